"""Reads of events, skills and registrations, and what a skill lacks to move on.

- Events: anyone (signed in or not) sees events past the draft; drafts only those who manage the event.
- Registrations: all of a skill's for its organizer, a unit's own for the unit's staff.
- Readiness (`skill_missing`): what each status move needs of a skill, as competitions.services.events
  documents the moves.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import can, filter_allowed
from competitions.adapters import domain_scheme
from competitions.domain import scoring
from competitions.models import (
    Entry,
    EntryStatus,
    Event,
    Objection,
    RefereeAssignment,
    RefereeRole,
    Sheet,
    SheetStatus,
    Skill,
    Status,
)
from competitions.permissions import Action
from core.errors import NotFound, RuleBroken


def events_visible(*, viewer: Any) -> QuerySet[Event]:
    """Every event past its draft, and the drafts the viewer manages."""
    events = Event.objects.select_related("organizer").order_by("-starts_on", "name")
    managed = filter_allowed(viewer, Action.COMPETITION_MANAGE, Event.objects.all(), unit_field="organizer")
    return events.filter(~Q(status=Status.DRAFT) | Q(pk__in=managed.values("pk")))


def event_visible(*, viewer: Any, event_id: int) -> Event:
    event = events_visible(viewer=viewer).filter(pk=event_id).first()
    if event is None:
        raise NotFound()
    return event


def is_jury(viewer: Any, event: Event) -> bool:
    return can(viewer, Action.COMPETITION_JURY_VIEW, event)


def my_entries(*, person: User) -> QuerySet[Entry]:
    """Entries where the person competes or coaches."""
    return (
        Entry.objects.filter(Q(members__person=person) | Q(coaches__person=person))
        .select_related("skill__event", "unit").distinct().order_by("-skill__event__starts_on", "pk")
    )


def entries_visible(*, viewer: Any, skill: Skill) -> QuerySet[Entry]:
    """A skill's registrations: all of them for its organizer, a unit's own for the unit's staff."""
    qs = Entry.objects.filter(skill=skill).select_related("unit").prefetch_related("members__person").order_by("pk")
    if can(viewer, Action.ENTRY_REVIEW, skill.event):
        return qs
    return filter_allowed(viewer, Action.ENTRY_VIEW, qs, unit_field="unit")


def skills_of(event: Event) -> Iterable[Skill]:
    return event.skills.select_related("event").order_by("id")


def skill_missing(skill: Skill, target: str, *, now: datetime) -> list[str]:
    """What `skill` lacks to move to `target` (module docstring); empty when it may move."""
    missing: list[str] = []
    entries = Entry.objects.filter(skill=skill)
    if target == Status.CHECK_IN:
        if entries.filter(status=EntryStatus.SUBMITTED).exists():
            missing.append(_("报名审核"))
        if not entries.filter(status=EntryStatus.APPROVED).exists():
            missing.append(_("审核通过的报名"))
    elif target == Status.COMPETING:
        approved = entries.filter(status=EntryStatus.APPROVED)
        if approved.filter(checkin_no__isnull=True).exists() or not approved.exists():
            missing.append(_("检录号抽签"))
        if approved.filter(workstation_no="").exists() or not approved.exists():
            missing.append(_("工位号抽签"))
    elif target == Status.MARKING:
        if scheme_problem(skill) is not None:
            missing.append(_("完整的评分标准"))
        if not RefereeAssignment.objects.filter(skill=skill, role=RefereeRole.REFEREE).exists():
            missing.append(_("裁判安排"))
    elif target == Status.REVIEW:
        sheets = Sheet.objects.filter(entry__skill=skill, entry__status=EntryStatus.APPROVED)
        if not sheets.exists() or sheets.filter(status=SheetStatus.OPEN).exists():
            missing.append(_("全部评分表签字确认"))
        if skill.decrypted_at is None:
            missing.append(_("解密"))
    elif target == Status.PUBLISHED:
        if skill.review_until is None or now < skill.review_until:
            missing.append(_("公示期满"))
        if Objection.objects.filter(entry__skill=skill, answered_at__isnull=True).exists():
            missing.append(_("异议答复"))
    return missing


def scheme_problem(skill: Skill) -> str | None:
    """Why the skill's scheme is not usable (no scheme, no aspects, practical part not 100), or None."""
    scheme = getattr(skill, "scheme", None)
    if scheme is None:
        return _("没有评分标准")
    try:
        built = domain_scheme(scheme, skill.theory_weight)
    except RuleBroken as exc:
        return exc.message
    if not built.aspects:
        return _("没有评分项")
    errors = scoring.scheme_errors(built)
    return errors[0].message if errors else None
