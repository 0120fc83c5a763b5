"""Finding a competition's objects by name for their change history (the audit pages, audit.targets): events by
name, skills by name or occupation code, among those whose audit the reader may see (the audit app's AUDIT_VIEW
rule, through the permission engine), so another unit's are never listed."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from accounts.permissions import filter_allowed
from audit.permissions import Action as AuditAction
from audit.targets import TargetMatch
from competitions.models import Event, Group, Skill


def events_named(viewer: Any, query: str, limit: int) -> list[TargetMatch]:
    """At most `limit` events whose name contains `query`, newest first."""
    events = filter_allowed(viewer, AuditAction.AUDIT_VIEW, Event.objects.filter(name__icontains=query.strip())
                            .order_by("-starts_on", "-pk"), unit_field="organizer")
    return [TargetMatch(str(pk), name) for pk, name in events.values_list("pk", "name")[:limit]]


def skills_named(viewer: Any, query: str, limit: int) -> list[TargetMatch]:
    """At most `limit` skills whose name contains `query` or whose occupation code starts with it, named with
    their occupation code, group and event ("电工（6-31-01-03，职工组）· 第二届…大赛")."""
    query = query.strip()
    skills = filter_allowed(
        viewer, AuditAction.AUDIT_VIEW,
        Skill.objects.filter(Q(name__icontains=query) | Q(occupation_code__startswith=query))
        .order_by("-event__starts_on", "event_id", "pk"), unit_field="event__organizer",
    )
    rows = skills.values_list("pk", "name", "occupation_code", "group", "event__name")[:limit]
    return [TargetMatch(str(pk), f"{name}（{code}，{Group(group).label}）· {event}")
            for pk, name, code, group, event in rows]
