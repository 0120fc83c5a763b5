"""Audit API: an object's change history (organizers, filtered by target) and chain verification (admin)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from accounts.auth import signed_in_user
from audit import selectors
from audit.tasks import audit_verify_start
from core.schemas import errors

router = Router()


class AuditEntryOut(Schema):
    seq: int
    created_at: datetime
    actor_label: str
    action: str
    target_type: str
    target_id: str
    old: Any | None = None
    new: Any | None = None
    reason: str
    request_id: str
    hash: str


class AuditFilter(Schema):
    target_type: str = Field(..., max_length=100, description="如 accounts.user")
    target_id: str = Field(..., max_length=64)
    limit: int = Field(200, ge=1, le=1000)
    offset: int = Field(0, ge=0)


class TaskStartedOut(Schema):
    task_id: UUID
    status: str


@router.get("/entries", response={200: list[AuditEntryOut], **errors(403, 404)},
            summary="对象的变更记录 An object's change history")
def entries(request: HttpRequest, filters: Query[AuditFilter]) -> list[Any]:
    qs = selectors.audit_entries_for(viewer=request.user, target_type=filters.target_type,
                                     target_id=filters.target_id)
    return list(qs.order_by("seq")[filters.offset: filters.offset + filters.limit])


@router.post("/verify", response={202: TaskStartedOut, **errors(403)}, summary="校验审计链 Verify the chain")
def verify(request: HttpRequest) -> Status[dict[str, Any]]:
    progress = audit_verify_start(actor=signed_in_user(request))
    return Status(202, {"task_id": progress.pk, "status": progress.status})
