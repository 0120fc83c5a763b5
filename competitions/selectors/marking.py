"""Reads of the marking stage: the scheme, a referee's assignments, marking sheet and marks, the chief referee's
sheets and what blocks their sign-off (`sheet_state`), and the shapes the API returns for what the marking services
wrote (a mark, a signed sheet, a correction, an appointment). Each dataclass here is the one output shape of its
subject: pages render it and the API returns it as it is.

Referees see entries by 工位号 only: no view a referee gets carries an entry id or a name. On a judgement aspect a
referee sees the other panel members' scores for an entry only once their own score for it is in (private entry,
DESIGN.md "Marking scheme"). `marking_sheet` takes the skill as `access.access_skill_for_marking` let the referee
in, and checks nothing again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from django.db import connection
from pydantic import Field

from accounts.models import User
from accounts.permissions import can
from competitions import access
from competitions.adapters import domain_aspect
from competitions.domain import scoring
from competitions.models import (
    Aspect,
    Entry,
    EntryMember,
    EntryStatus,
    Mark,
    MarkCorrection,
    MarkingScheme,
    MarkRevision,
    Module,
    RefereeAssignment,
    RefereeRole,
    Sheet,
    SheetStatus,
    Skill,
)
from competitions.permissions import Action
from core import sql
from core.errors import Conflict, DomainError, NotFound, PermissionDenied
from core.lookup import get_or_404


@dataclass(frozen=True, slots=True)
class AssignmentView:
    """A skill the reader referees or chairs (我的裁判任务)."""

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
class AppointmentView:
    """A referee's appointment to a skill, as the organizer made it."""

    id: int
    skill_id: int
    referee_id: int
    role: str
    priority: int


def appointment_view(assignment: RefereeAssignment) -> AppointmentView:
    return AppointmentView(assignment.pk, assignment.skill_id, assignment.referee_id, assignment.role,
                           assignment.priority)


# --- the scheme ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AspectView:
    """An aspect (评分项) of the scheme, with the number of referees who mark it."""

    id: int
    code: str
    module: str
    description: str
    method: str
    method_label: str
    max_mark: Decimal
    referee_count: int


def _aspect_view(aspect: Aspect, rule: scoring.Aspect) -> AspectView:
    return AspectView(aspect.pk, aspect.code, aspect.module.code, aspect.description, aspect.method,
                      str(aspect.get_method_display()), aspect.max_mark, rule.referee_count)


@dataclass(frozen=True, slots=True)
class SchemeView:
    """A skill's marking scheme (评分标准), aspects in marking order."""

    skill_id: int
    frozen_at: datetime | None
    aspects: list[AspectView]


def scheme_of(skill: Skill) -> SchemeView:
    """The skill's scheme as it is stored now; NotFound when it has none."""
    scheme = get_or_404(MarkingScheme, skill_id=skill.pk)
    aspects = scheme.aspects.select_related("module").order_by("module__position", "position", "id")
    return SchemeView(skill.pk, scheme.frozen_at, [_aspect_view(a, domain_aspect(a)) for a in aspects])


# --- a referee's marking sheet ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CellView:
    """One aspect of one workstation as a referee sees it."""

    aspect_id: int
    aspect_code: str
    my_value: Decimal | None
    # None: hidden until my own score is in (private entry)
    others: Annotated[list[Decimal] | None, Field(description="录入本人评分前为 null（独立评分）")]
    may_mark: bool
    # The module's sheet is signed off: the value changes only through a correction (my_mark_id: what to correct).
    signed_off: bool = False
    my_mark_id: int | None = None


@dataclass(frozen=True, slots=True)
class WorkstationView:
    """One workstation as a referee sees it: its 工位号 and cells, never the entry behind it."""

    workstation_no: str
    cells: list[CellView]


@dataclass(frozen=True, slots=True)
class MarkingSheetView:
    """What a referee marks in a skill (评分表): their aspects × the skill's workstations."""

    skill_id: int
    skill_name: str
    status: str
    aspects: list[AspectView]
    workstations: list[WorkstationView]


def marking_sheet(*, referee: User, skill: Skill) -> MarkingSheetView:
    """What a referee marks in a skill (as `access.access_skill_for_marking` let them in): workstations (工位号
    only) × their assigned aspects, with their own values and, after their own entry, the other panel members'
    values (module docstring).

    Only the cells the referee marks are listed, and only the workstations with such a cell: in a skill with
    marking groups, their group's block (DESIGN.md "Recusal without a leak"). A cell closed to them (recused,
    another group's, another panel's) is left out rather than shown closed, so the page is the same whatever the
    reason."""
    candidates = access.skill_candidates(skill)
    aspects = list(skill.scheme.aspects.select_related("module").order_by("module__position", "position", "id"))
    rules = {a.pk: domain_aspect(a) for a in aspects}
    entries = list(
        Entry.objects.filter(skill=skill, status=EntryStatus.APPROVED).exclude(workstation_no="")
        .order_by("workstation_no")
    )
    values: dict[tuple[int, int], dict[int, Decimal]] = {}
    my_marks: dict[tuple[int, int], int] = {}
    for mark_id, entry_id, aspect_id, referee_id, value in Mark.objects.filter(entry__in=entries).values_list(
        "pk", "entry_id", "aspect_id", "referee_id", "value"
    ):
        values.setdefault((entry_id, aspect_id), {})[referee_id] = value
        if referee_id == referee.pk:
            my_marks[(entry_id, aspect_id)] = mark_id
    signed = set(Sheet.objects.filter(entry__in=entries, status=SheetStatus.SIGNED_OFF)
                 .values_list("entry_id", "module_id"))
    members: dict[int, set[int]] = {}
    for entry_id, person_id in EntryMember.objects.filter(entry__in=entries).values_list("entry_id", "person_id"):
        members.setdefault(entry_id, set()).add(person_id)
    mine = next((c for c in candidates if c.referee_id == referee.pk), None)
    my_aspects = [a for a in aspects if mine is not None and mine.covers(a, None)]
    rows = []
    for entry in entries:
        member_ids = frozenset(members.get(entry.pk, ()))
        cells = []
        for aspect in my_aspects:
            scores = values.get((entry.pk, aspect.pk), {})
            refusal = access.mark_refusal(referee, entry, aspect, rules[aspect.pk].referee_count, candidates,
                                          member_ids=member_ids)
            if refusal is not None:
                continue
            my_value = scores.get(referee.pk)
            others = [v for r, v in scores.items() if r != referee.pk]
            signed_off = (entry.pk, aspect.module_id) in signed
            cells.append(CellView(
                aspect.pk, aspect.code, my_value,
                others if (my_value is not None or not aspect.is_judgement) else None,
                not signed_off, signed_off, my_marks.get((entry.pk, aspect.pk)),
            ))
        if cells:
            rows.append(WorkstationView(entry.workstation_no, cells))
    return MarkingSheetView(skill.pk, skill.name, skill.status,
                            [_aspect_view(a, rules[a.pk]) for a in my_aspects], rows)


def aspect_scores(*, referee: User, entry: Entry, aspect: Aspect) -> list[Decimal]:
    """The panel's scores of one aspect of one entry for a referee: refused before their own (private entry)."""
    if access.marking_refusal(referee, entry, aspect) is not None:
        raise NotFound()
    scores = dict(Mark.objects.filter(entry=entry, aspect=aspect).values_list("referee_id", "value"))
    if aspect.is_judgement and referee.pk not in scores:
        raise PermissionDenied("mark.scores_hidden")
    return list(scores.values())


# --- marks --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MarkView:
    """A referee's mark, by 工位号; `replayed` when a retry with a used idempotency key was answered with it."""

    id: int
    workstation_no: str
    aspect_code: str
    value: Decimal
    updated_at: datetime
    replayed: bool = False


def mark_replay(
    *, referee: User, idempotency_key: UUID, skill_id: int, workstation_no: str, aspect_code: str
) -> MarkView | None:
    """The mark a used idempotency key wrote, when it is this referee's mark of this 工位号 and aspect: a retry,
    answered with the stored mark (`replayed`) and nothing checked or written again. None for a new key; a key
    already used for another mark is refused (mark.idempotency_conflict). One query."""
    row = MarkRevision.objects.filter(idempotency_key=idempotency_key).values_list(
        "mark_id", "mark__referee_id", "mark__entry__skill_id", "mark__entry__workstation_no", "mark__aspect__code",
        "mark__value", "mark__updated_at",
    ).first()
    if row is None:
        return None
    mark_id, referee_id, mark_skill_id, mark_workstation_no, mark_aspect_code, value, updated_at = row
    if (referee_id, mark_skill_id, mark_workstation_no, mark_aspect_code) != (
        referee.pk, skill_id, workstation_no, aspect_code
    ):
        raise Conflict("mark.idempotency_conflict")
    return MarkView(mark_id, mark_workstation_no, mark_aspect_code, value, updated_at, replayed=True)


_ASPECT_COLUMNS = sql.Columns(Aspect, "a")
_ASPECT_MODULE_COLUMNS = sql.Columns(Module, "md")


def _aspect_for_mark_sql() -> str:
    # Written once (core.sql): composed with the ORM, this first query of every mark cost more CPU than the
    # database took to answer it. Only quoted names from the models go into the text.
    return (
        f"SELECT {_ASPECT_COLUMNS.sql()}, {_ASPECT_MODULE_COLUMNS.sql()}, "  # noqa: S608
        f"EXISTS (SELECT 1 FROM {sql.table(MarkRevision)} r WHERE r.idempotency_key = %(key)s) "
        f"FROM {sql.table(Aspect)} a INNER JOIN {sql.table(Module)} md ON md.id = a.module_id "
        f"INNER JOIN {sql.table(MarkingScheme)} sc ON sc.id = a.scheme_id "
        "WHERE sc.skill_id = %(skill)s AND a.code = %(code)s"
    )


def aspect_for_mark(*, skill_id: int, aspect_code: str, idempotency_key: UUID) -> tuple[Aspect | None, bool]:
    """The aspect a mark is for, its module loaded, and whether the mark's idempotency key was used already: one
    query, the first of the mark path (`services.mark_record`), which answers a used key with `mark_replay`. The
    aspect code is unique within the skill's scheme (constraint `aspect_code_once`), so at most one row."""
    key = sql.value_of(MarkRevision, "idempotency_key", idempotency_key)
    with connection.cursor() as cursor:
        cursor.execute(_aspect_for_mark_sql(), {"key": key, "skill": skill_id, "code": aspect_code})
        row = cursor.fetchone()
    if row is None:
        return None, MarkRevision.objects.filter(idempotency_key=idempotency_key).exists()
    aspect = _ASPECT_COLUMNS.load(row)
    aspect.module = _ASPECT_MODULE_COLUMNS.load(row, _ASPECT_COLUMNS.width)
    return aspect, bool(row[-1])


def my_marks(*, referee: User, skill_id: int | None = None, limit: int = 2000) -> list[MarkView]:
    """The referee's own marks, newest first, of one skill or of all."""
    marks = Mark.objects.filter(referee=referee)
    if skill_id is not None:
        marks = marks.filter(entry__skill_id=skill_id)
    return [
        MarkView(*row)
        for row in marks.order_by("-updated_at").values_list(
            "pk", "entry__workstation_no", "aspect__code", "value", "updated_at"
        )[:limit]
    ]


# --- sheets and corrections ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Mismatch:
    """One difference between a skill's stored standings snapshot and their full recomputation from the marks
    (成绩快照与重算不一致; competitions.selectors.standings)."""

    workstation_no: str
    field: str
    snapshot: str
    recomputed: str


@dataclass(frozen=True, slots=True)
class StandingsCheckView:
    """The last check of a skill's standings snapshot against a full recomputation from the marks (成绩核对),
    shown to the chief referee: `mismatch` is an error to resolve, never silently replaced."""

    status: str
    status_label: str
    checked_at: datetime | None
    scope: str
    mismatches: list[Mismatch]


@dataclass(frozen=True, slots=True)
class SheetView:
    """One module of one workstation (评分表) as the chief referee sees it, with what blocks its sign-off."""

    sheet_id: int
    workstation_no: str
    module: str
    status: str
    score: Decimal
    incomplete: list[str]
    divergent: list[str]
    confirmed: dict[str, str]
    standings_check: StandingsCheckView | None = None  # in the answer of a sign-off
    # Each divergent aspect's panel scores, lowest first, with no referee names or order (DESIGN.md: the chief
    # referee confirms a divergence seeing the scores, never blind, and never who gave which).
    panel_scores: dict[str, list[Decimal]] = field(default_factory=dict)
    module_name: str = ""

    @property
    def clean(self) -> bool:
        """Open, complete and without divergence: signed off together with the others (`sheets_sign_off_clean`)."""
        return self.status == SheetStatus.OPEN and not self.incomplete and not self.divergent


def sheet_view(sheet: Sheet, state: SheetState | None = None) -> SheetView:
    """A sheet loaded with its entry and module, with its state (`sheet_state`, read here unless given)."""
    if state is None:
        state = sheet_state(sheet)
    return SheetView(
        sheet.pk, sheet.entry.workstation_no, sheet.module.code, sheet.status,
        sheet.entry.module_score(sheet.module_id),
        list(state.incomplete), list(state.divergent),
        {code: value["reason"] for code, value in sheet.confirmed_divergences.items()},
        panel_scores={code: list(values) for code, values in state.panel_scores.items()},
        module_name=sheet.module.name,
    )


def chief_sheets(*, chief: User, skill: Skill) -> list[SheetView]:
    """Every sheet of the skill with what blocks its sign-off (incomplete and divergent aspects), in a fixed
    number of queries however many sheets there are: the sheets, then their aspects and marks (`sheet_states`)."""
    access.require_chief(chief, skill)
    sheets = list(
        Sheet.objects.filter(entry__skill=skill, entry__status=EntryStatus.APPROVED)
        .select_related("entry", "module").order_by("entry__workstation_no", "module__position")
    )
    states = sheet_states(sheets)
    return [sheet_view(sheet, states[sheet.pk]) for sheet in sheets]


@dataclass(frozen=True, slots=True)
class SheetLeftOpen:
    """A sheet a bulk sign-off did not sign, and why (the rule's code and its message in the reader's language)."""

    sheet_id: int
    workstation_no: str
    module: str
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class BulkSignOffView:
    signed: list[SheetView]
    left_open: list[SheetLeftOpen]


def bulk_sign_off_view(signed: Sequence[Sheet], left_open: Sequence[tuple[Sheet, DomainError]]) -> BulkSignOffView:
    """The answer of `services.sheets_sign_off_clean`: the signed sheets as `sheet_view` shows them (in two
    queries for all of them), and the ones left open with their reason."""
    states = sheet_states(signed)
    return BulkSignOffView(
        [sheet_view(sheet, states[sheet.pk]) for sheet in signed],
        [SheetLeftOpen(sheet.pk, sheet.entry.workstation_no, sheet.module.code, error.code, error.message)
         for sheet, error in left_open],
    )


def chief_skill_ids(user: User) -> set[int]:
    if not can(user, Action.SHEET_SIGN_OFF):
        return set()
    return set(RefereeAssignment.objects.filter(referee=user, role=RefereeRole.CHIEF).values_list("skill_id",
                                                                                                 flat=True))


@dataclass(frozen=True, slots=True)
class MarkCorrectionView:
    """A correction of a mark on a signed-off sheet (评分更正), as requested and decided."""

    id: int
    mark_id: int
    old_value: Decimal
    new_value: Decimal
    reason: str
    status: str
    requested_at: datetime
    decided_at: datetime | None


def correction_view(correction: MarkCorrection) -> MarkCorrectionView:
    c = correction
    return MarkCorrectionView(c.pk, c.mark_id, c.old_value, c.new_value, c.reason, c.status, c.requested_at,
                              c.decided_at)


@dataclass(frozen=True, slots=True)
class SheetState:
    """What sign-off needs to know of a sheet: incomplete and divergent aspects (codes, in marking order)."""

    incomplete: tuple[str, ...]
    divergent: tuple[str, ...]
    panel_scores: Mapping[str, tuple[Decimal, ...]] = field(default_factory=dict)  # divergent aspects only


def sheet_state(sheet: Sheet) -> SheetState:
    """What blocks the sheet's sign-off: each aspect of its module scored by `scoring.score_aspect` from the
    entry's marks; an aspect without a mark yet is incomplete, one whose referees diverge is divergent."""
    return sheet_states([sheet])[sheet.pk]


def sheet_states(sheets: Sequence[Sheet]) -> dict[int, SheetState]:
    """`sheet_state` of each sheet (by id), in two queries however many: the aspects of their modules, and the
    marks of their entries on those aspects."""
    if not sheets:
        return {}
    aspects: dict[int, list[Aspect]] = defaultdict(list)
    for aspect in Aspect.objects.filter(module_id__in={s.module_id for s in sheets}).order_by("position", "id"):
        aspects[aspect.module_id].append(aspect)
    values: dict[tuple[int, int], list[Decimal]] = defaultdict(list)
    aspect_ids = [a.pk for module_aspects in aspects.values() for a in module_aspects]
    for entry_id, aspect_id, value in Mark.objects.filter(
        entry_id__in={s.entry_id for s in sheets}, aspect_id__in=aspect_ids
    ).values_list("entry_id", "aspect_id", "value"):
        values[entry_id, aspect_id].append(value)
    states = {}
    for sheet in sheets:
        incomplete, divergent, panel = [], [], {}
        for aspect in aspects[sheet.module_id]:
            scores = values.get((sheet.entry_id, aspect.pk), [])
            result = scoring.score_aspect(domain_aspect(aspect, ""), scores)
            if result.mark is None:
                incomplete.append(aspect.code)
            elif result.divergent:
                divergent.append(aspect.code)
                panel[aspect.code] = tuple(sorted(scores))
        states[sheet.pk] = SheetState(tuple(incomplete), tuple(divergent), panel)
    return states
