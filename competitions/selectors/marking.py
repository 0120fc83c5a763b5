"""Reads of the marking stage: a referee's assignments and marking sheet, the chief referee's sheets and what
blocks their sign-off (`sheet_state`).

Referees see entries by 工位号 only. On a judgement aspect a referee sees the other panel members' scores for an
entry only once their own score for it is in (private entry, DESIGN.md "Marking scheme").
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import can, require
from competitions import access
from competitions.adapters import domain_aspect
from competitions.domain import scoring
from competitions.models import (
    Aspect,
    Entry,
    EntryMember,
    EntryStatus,
    Mark,
    RefereeAssignment,
    RefereeRole,
    Sheet,
    Skill,
)
from competitions.permissions import Action
from core.errors import DomainError, NotFound, PermissionDenied


@dataclass(frozen=True, slots=True)
class AssignmentView:
    skill_id: int
    skill_name: str
    event_id: int
    event_name: str
    role: str
    skill_status: str


def my_assignments(*, referee: User) -> list[AssignmentView]:
    if not (can(referee, Action.MARK_ENTER) or can(referee, Action.SHEET_SIGN_OFF)):
        return []
    return [
        AssignmentView(a.skill_id, a.skill.name, a.skill.event_id, a.skill.event.name, a.role, a.skill.status)
        for a in RefereeAssignment.objects.filter(referee=referee).select_related("skill__event").order_by("-id")
    ]


@dataclass(frozen=True, slots=True)
class CellView:
    """One aspect of one workstation as a referee sees it."""

    aspect_id: int
    aspect_code: str
    my_value: Decimal | None
    others: list[Decimal] | None  # None: hidden until my own score is in (private entry)
    may_mark: bool
    refusal: str | None


@dataclass(frozen=True, slots=True)
class WorkstationView:
    entry_id: int
    workstation_no: str
    cells: list[CellView]


@dataclass(frozen=True, slots=True)
class AspectView:
    id: int
    code: str
    module: str
    description: str
    method: str
    method_label: str
    max_mark: Decimal
    referee_count: int


@dataclass(frozen=True, slots=True)
class MarkingSheetView:
    skill_id: int
    skill_name: str
    status: str
    aspects: list[AspectView]
    workstations: list[WorkstationView]


def _cell_refusal(refusal: DomainError | None) -> str | None:
    """Why a cell of the marking page is closed. A recusal's own reason (same unit, declared relationship) would
    tell the referee which workstation holds a contestant of their unit, which the second encryption exists to
    hide, so the page only says another referee marks it; a direct attempt still gets the full reason."""
    if refusal is None:
        return None
    if refusal.code in {"mark.recused", "mark.not_assigned"}:
        return str(_("由其他裁判评判。"))
    return refusal.message


def marking_sheet(*, referee: User, skill: Skill) -> MarkingSheetView:
    """What a referee marks in a skill: workstations (工位号 only) × their assigned aspects, with their own values
    and, after their own entry, the other panel members' values (module docstring)."""
    require(referee, Action.MARK_ENTER)
    if skill.pk not in access.assigned_skill_ids(referee):
        raise NotFound()
    candidates = access.skill_candidates(skill)
    aspects = list(skill.scheme.aspects.select_related("module").order_by("module__position", "position", "id"))
    dom = {a.pk: domain_aspect(a) for a in aspects}
    entries = list(
        Entry.objects.filter(skill=skill, status=EntryStatus.APPROVED).exclude(workstation_no="")
        .select_related("skill").order_by("workstation_no")
    )
    values: dict[tuple[int, int], dict[int, Decimal]] = {}
    for entry_id, aspect_id, referee_id, value in Mark.objects.filter(entry__in=entries).values_list(
        "entry_id", "aspect_id", "referee_id", "value"
    ):
        values.setdefault((entry_id, aspect_id), {})[referee_id] = value
    members: dict[int, set[int]] = {}
    for entry_id, person_id in EntryMember.objects.filter(entry__in=entries).values_list("entry_id", "person_id"):
        members.setdefault(entry_id, set()).add(person_id)
    mine = next((c for c in candidates if c.assignment.referee_id == referee.pk), None)
    my_aspects = [a for a in aspects if mine is not None and access.covers(mine.assignment, a, None)]
    rows = []
    for entry in entries:
        member_ids = frozenset(members.get(entry.pk, ()))
        cells = []
        for aspect in my_aspects:
            scores = values.get((entry.pk, aspect.pk), {})
            refusal = access.mark_refusal(referee, entry, aspect, dom[aspect.pk].referee_count, candidates,
                                          member_ids=member_ids)
            my_value = scores.get(referee.pk)
            others = [v for r, v in scores.items() if r != referee.pk]
            cells.append(CellView(
                aspect.pk, aspect.code, my_value,
                others if (my_value is not None or not aspect.is_judgement) else None,
                refusal is None, _cell_refusal(refusal),
            ))
        rows.append(WorkstationView(entry.pk, entry.workstation_no, cells))
    return MarkingSheetView(
        skill.pk, skill.name, skill.status,
        [AspectView(a.pk, a.code, a.module.code, a.description, a.method, str(a.get_method_display()), a.max_mark,
                    dom[a.pk].referee_count) for a in my_aspects],
        rows,
    )


def aspect_scores(*, referee: User, entry: Entry, aspect: Aspect) -> list[Decimal]:
    """The panel's scores of one aspect of one entry for a referee: refused before their own (private entry)."""
    if access.mark_refusal(referee, entry, aspect, domain_aspect(aspect).referee_count) is not None:
        raise NotFound()
    scores = dict(Mark.objects.filter(entry=entry, aspect=aspect).values_list("referee_id", "value"))
    if aspect.is_judgement and referee.pk not in scores:
        raise PermissionDenied("mark.scores_hidden")
    return list(scores.values())


def my_marks(*, referee: User, skill: Skill | None = None) -> QuerySet[Mark]:
    marks = Mark.objects.filter(referee=referee).select_related("aspect", "entry").order_by("-updated_at")
    return marks.filter(entry__skill=skill) if skill is not None else marks


@dataclass(frozen=True, slots=True)
class SheetView:
    sheet_id: int
    entry_id: int
    workstation_no: str
    module: str
    status: str
    score: Decimal
    incomplete: list[str]
    divergent: list[str]
    confirmed: dict[str, str]


def chief_sheets(*, chief: User, skill: Skill) -> list[SheetView]:
    """Every sheet of the skill with what blocks its sign-off (incomplete and divergent aspects)."""
    access.require_chief(chief, skill)
    out = []
    for sheet in Sheet.objects.filter(entry__skill=skill, entry__status=EntryStatus.APPROVED).select_related(
        "entry", "module"
    ).order_by("entry__workstation_no", "module__position"):
        state = sheet_state(sheet)
        out.append(SheetView(
            sheet.pk, sheet.entry_id, sheet.entry.workstation_no, sheet.module.code, sheet.status, sheet.score,
            list(state.incomplete), list(state.divergent),
            {code: value["reason"] for code, value in sheet.confirmed_divergences.items()},
        ))
    return out


def chief_skill_ids(user: User) -> set[int]:
    if not can(user, Action.SHEET_SIGN_OFF):
        return set()
    return set(RefereeAssignment.objects.filter(referee=user, role=RefereeRole.CHIEF).values_list("skill_id",
                                                                                                 flat=True))


@dataclass(frozen=True, slots=True)
class SheetState:
    """What sign-off needs to know of a sheet: incomplete and divergent aspects (codes, in marking order)."""

    incomplete: tuple[str, ...]
    divergent: tuple[str, ...]


def sheet_state(sheet: Sheet) -> SheetState:
    aspects = list(Aspect.objects.filter(module_id=sheet.module_id).order_by("position", "id"))
    values: dict[int, list[Decimal]] = {}
    for aspect_id, value in Mark.objects.filter(entry_id=sheet.entry_id, aspect__in=aspects).values_list(
        "aspect_id", "value"
    ):
        values.setdefault(aspect_id, []).append(value)
    incomplete, divergent = [], []
    for aspect in aspects:
        result = scoring.score_aspect(domain_aspect(aspect, ""), values.get(aspect.pk, []))
        if result.mark is None:
            incomplete.append(aspect.code)
        elif result.divergent:
            divergent.append(aspect.code)
    return SheetState(tuple(incomplete), tuple(divergent))
