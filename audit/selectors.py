"""Reading the audit log: an object's history, for those who may see that object's changes."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models import QuerySet

from accounts.permissions import require
from audit.models import AuditEntry
from audit.permissions import Action
from core.errors import NotFound


def resolve_target(target_type: str, target_id: str) -> Any:
    """The object an entry is about; NotFound for an unknown type or a missing object."""
    try:
        model = apps.get_model(target_type)
    except (LookupError, ValueError):
        raise NotFound() from None
    try:
        obj = model._default_manager.filter(pk=target_id).first()
    except (ValueError, TypeError):
        obj = None
    if obj is None:
        raise NotFound()
    return obj


def audit_entries_for(*, viewer: Any, target_type: str, target_id: str) -> QuerySet[AuditEntry]:
    """The change history of one object, oldest first, if `viewer` may see its changes (NotFound otherwise)."""
    require(viewer, Action.AUDIT_VIEW, resolve_target(target_type, target_id))
    return AuditEntry.objects.filter(target_type=target_type, target_id=target_id).select_related(None)


def audit_entries_all(*, viewer: Any) -> QuerySet[AuditEntry]:
    """The whole log, newest first: the platform admin only."""
    require(viewer, Action.AUDIT_VERIFY)
    return AuditEntry.objects.order_by("-seq")
