"""Audit API: an object's change history (organizers, filtered by target), the signed tree heads and consistency
proofs (public: audit/permissions.py says why), an entry's inclusion proof (who may see the entry), and sealing
and verification on demand (admin)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from accounts.auth import OPTIONAL_AUTH, signed_in_user
from audit import selectors
from audit.sealing import HeadView
from audit.selectors import AuditEntryView, ConsistencyProofView, InclusionProofView
from audit.tasks import audit_seal_start, audit_verify_start
from core.schemas import RowId, errors

router = Router()


class AuditFilter(Schema):
    target_type: str = Field(..., max_length=100, description="如 accounts.user")
    target_id: str = Field(..., max_length=64)
    limit: int = Field(200, ge=1, le=1000)
    offset: int = Field(0, ge=0)


class HeadsFilter(Schema):
    after_size: int = Field(0, ge=0, description="只返回叶子数大于此值的树头")
    limit: int = Field(1000, ge=1, le=10000)


class ProofFilter(Schema):
    tree_size: int | None = Field(None, ge=1, description="对哪个树头证明；默认最新")


class ConsistencyFilter(Schema):
    first: int = Field(..., ge=1)
    second: int = Field(..., ge=1)


class TaskStartedOut(Schema):
    task_id: UUID
    status: str


@router.get("/entries", response={200: list[AuditEntryView], **errors(403, 404)},
            summary="对象的变更记录 An object's change history")
def entries(request: HttpRequest, filters: Query[AuditFilter]) -> list[AuditEntryView]:
    return selectors.audit_history(viewer=request.user, target_type=filters.target_type,
                                   target_id=filters.target_id, offset=filters.offset, limit=filters.limit)


@router.get("/entries/{entry_id}/proof", response={200: InclusionProofView, **errors(403, 404, 409)},
            summary="记录的包含证明 An entry's inclusion proof")
def inclusion_proof(request: HttpRequest, entry_id: RowId, filters: Query[ProofFilter]) -> InclusionProofView:
    return selectors.audit_inclusion_proof(viewer=request.user, entry_id=entry_id, tree_size=filters.tree_size)


@router.get("/heads", response={200: list[HeadView], **errors()}, auth=OPTIONAL_AUTH,
            summary="签名树头 Signed tree heads")
def heads(request: HttpRequest, filters: Query[HeadsFilter]) -> list[HeadView]:
    return selectors.audit_heads(after_size=filters.after_size, limit=filters.limit)


@router.get("/heads/latest", response={200: HeadView, **errors(404)}, auth=OPTIONAL_AUTH,
            summary="最新签名树头 The newest signed tree head")
def latest_head(request: HttpRequest) -> HeadView:
    return selectors.audit_head()


@router.get("/consistency", response={200: ConsistencyProofView, **errors(404, 422)}, auth=OPTIONAL_AUTH,
            summary="两个树头的一致性证明 Consistency proof between two heads")
def consistency(request: HttpRequest, filters: Query[ConsistencyFilter]) -> ConsistencyProofView:
    return selectors.audit_consistency_proof(first_size=filters.first, second_size=filters.second)


@router.post("/seal", response={202: TaskStartedOut, **errors(403)}, summary="立即封存 Seal now")
def seal(request: HttpRequest) -> Status[dict[str, Any]]:
    progress = audit_seal_start(actor=signed_in_user(request))
    return Status(202, {"task_id": progress.pk, "status": progress.status})


@router.post("/verify", response={202: TaskStartedOut, **errors(403)}, summary="校验审计日志 Verify the log")
def verify(request: HttpRequest) -> Status[dict[str, Any]]:
    progress = audit_verify_start(actor=signed_in_user(request))
    return Status(202, {"task_id": progress.pk, "status": progress.status})
