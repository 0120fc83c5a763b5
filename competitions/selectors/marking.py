"""Reads of the marking stage: the scheme, a referee's assignments, marking sheet and marks, the chief referee's
sheets and what blocks their sign-off (`sheet_state`), and the shapes the API returns for what the marking services
wrote (a mark, a signed sheet, a correction, an appointment). Each dataclass here is the one output shape of its
subject: pages render it and the API returns it as it is.

Referees see entries by 工位号 only: no view a referee gets carries an entry id or a name. On a judgement aspect a
referee sees the other panel members' scores for an entry only once their own score for it is in (private entry,
DESIGN.md "Marking scheme"). `marking_sheet` takes the skill as `access.access_skill_for_marking` let the referee
in, and checks nothing again; `marking_cell` takes one cell as `access.access_entry_for_marking` found it (the
marking page's answer to one saved value).

What the marking page tells a referee, where DESIGN.md is silent (issue 10 item 3):

- Each aspect says what its input takes, because a measured value typed as a mark (25 "full marks" into a 24 V
  tolerance aspect: recorded as 25 V, scored 10 of 25) is a valid entry the rules cannot catch: measurement by
  tolerance takes the measured value (nominal and tolerance table shown, with the mark of each line), full or
  zero takes 0 or the maximum (offered as two choices), WorldSkills judgement a score 0–3 (offered as four choices
  with the DESIGN.md descriptors, there being no per-aspect descriptors in the scheme), panel and mean judgement
  a mark 0..max. The scheme holds no unit of measurement: the aspect's description names it ("输出电压 24 V").
- A measurement's cell shows the mark the referee's own value gives (`CellView.my_mark`), the one referee of the
  aspect being the whole panel; a judgement's mark needs the panel and is not shown.
- A cell's state: 未评 (no value of mine), 已保存 (my value stored, still open), 已签字锁定 (the module's sheet is
  signed off: read-only, changed through a correction), 不可评 (the skill is not in marking, or the entry was
  withdrawn; the reason names the stage, never a person or unit).
- Progress counts the referee's own cells: `marked` of `total`, where `total` is every cell listed (their share of
  the sheet, signed off or not) and `marked` those holding a value of theirs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from django.db import connection, models
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
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
    MarkingMethod,
    MarkingScheme,
    MarkRevision,
    Module,
    RefereeAssignment,
    RefereeRole,
    Sheet,
    SheetStatus,
    Skill,
    Status,
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
class EntryChoice:
    """One value a referee may pick for an aspect: 0 or the maximum (full or zero), a WorldSkills score 0–3 with its
    descriptor (DESIGN.md "Marking scheme")."""

    value: Decimal
    label: str


@dataclass(frozen=True, slots=True)
class AspectView:
    """An aspect (评分项) of the scheme, with the number of referees who mark it and what a referee enters for it
    (module docstring): `entry_label` names the input (实测值, 评价分, 分数), `entry_hint` says what it takes;
    `choices` are the only values allowed where there are few (full or zero, WorldSkills), else empty;
    `tolerance_rows` the tolerance table as the marks it gives (tolerance aspects only)."""

    id: int
    code: str
    module: str
    description: str
    method: str
    method_label: str
    max_mark: Decimal
    referee_count: int
    module_name: str = ""
    nominal: Decimal | None = None
    tolerance_rows: list[scoring.ToleranceRow] = field(default_factory=list)
    choices: list[EntryChoice] = field(default_factory=list)
    entry_label: str = ""
    entry_hint: str = ""


def _plain(value: Decimal) -> Decimal:
    """The number without trailing zeros or an exponent: 25.0000 → 25, 0.5000 → 0.5 (what a page and a form show)."""
    return Decimal(format(value.normalize(), "f"))


# DESIGN.md "Marking scheme", WorldSkills method: what each score 0–3 means.
WORLDSKILLS_DESCRIPTORS: dict[int, str | Promise] = {
    0: gettext_lazy("低于行业标准"),
    1: gettext_lazy("达到行业标准"),
    2: gettext_lazy("部分超出行业标准"),
    3: gettext_lazy("优秀"),
}


def _entry(rule: scoring.Aspect) -> tuple[str, str, list[EntryChoice]]:
    """What a referee enters for the aspect: the input's label, the hint, and the choices (module docstring)."""
    top = _plain(rule.max_mark)
    method = MarkingMethod(rule.method)
    if method == MarkingMethod.FULL_OR_ZERO:
        return (_("分数"), _("全得或零分：只能是 0 或满分 %(max)s。") % {"max": top},
                [EntryChoice(Decimal(0), _("零分")), EntryChoice(top, _("满分"))])
    if method == MarkingMethod.TOLERANCE:
        nominal = _plain(rule.nominal) if rule.nominal is not None else ""
        hint = _("输入测得的数值，不是分数：标准值 %(nominal)s，得分按公差表计算。") % {"nominal": nominal}
        return _("实测值"), hint, []
    if method == MarkingMethod.WORLDSKILLS:
        hint = _("评价分 0–3，不是分数：得分 = 三位裁判评价分之和 ÷ 9 × 满分 %(max)s。") % {"max": top}
        return _("评价分"), hint, [EntryChoice(Decimal(n), str(label)) for n, label in WORLDSKILLS_DESCRIPTORS.items()]
    if method == MarkingMethod.PANEL:
        hint = _("输入分数 0–%(max)s，最多两位小数；去掉一个最高分和一个最低分后取平均。") % {"max": top}
        return _("分数"), hint, []
    return _("分数"), _("输入分数 0–%(max)s，最多两位小数；各裁判的分数取平均。") % {"max": top}, []


def _aspect_view(aspect: Aspect, rule: scoring.Aspect) -> AspectView:
    label, hint, choices = _entry(rule)
    return AspectView(aspect.pk, aspect.code, aspect.module.code, aspect.description, aspect.method,
                      str(aspect.get_method_display()), aspect.max_mark, rule.referee_count,
                      module_name=aspect.module.name, nominal=aspect.nominal,
                      tolerance_rows=list(scoring.tolerance_table(rule)), choices=choices, entry_label=label,
                      entry_hint=hint)


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


class CellState(models.TextChoices):
    """Where one cell of a referee's sheet stands (module docstring)."""

    UNMARKED = "unmarked", gettext_lazy("未评")
    SAVED = "saved", gettext_lazy("已保存")
    LOCKED = "locked", gettext_lazy("已签字锁定")
    CLOSED = "closed", gettext_lazy("不可评")


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
    state: str = CellState.UNMARKED.value
    state_label: str = ""
    reason: str = ""  # why a closed cell takes no value: the stage, never a person or a unit
    my_mark: Decimal | None = None  # measurement: the mark my own value gives (module docstring)


def _cell(
    aspect: Aspect, rule: scoring.Aspect, scores: Mapping[int, Decimal], *, referee_id: int, my_mark_id: int | None,
    signed_off: bool, closed_reason: str,
) -> CellView:
    """One cell from the (entry, aspect)'s marks by referee, whether its sheet is signed off, and why it is closed
    ("" when open): the one place `marking_sheet` and `marking_cell` decide a cell."""
    my_value = scores.get(referee_id)
    others = [v for r, v in scores.items() if r != referee_id]
    if signed_off:
        state = CellState.LOCKED
    elif closed_reason:
        state = CellState.CLOSED
    else:
        state = CellState.UNMARKED if my_value is None else CellState.SAVED
    return CellView(
        aspect_id=aspect.pk, aspect_code=aspect.code, my_value=my_value,
        others=others if (my_value is not None or not aspect.is_judgement) else None,
        may_mark=state in (CellState.UNMARKED, CellState.SAVED), signed_off=signed_off, my_mark_id=my_mark_id,
        state=state.value, state_label=str(state.label), reason=closed_reason if state == CellState.CLOSED else "",
        my_mark=None if my_value is None else scoring.entered_mark(rule, my_value),
    )


def _closed_reason(skill: Skill, entry: Entry) -> str:
    if entry.status != EntryStatus.APPROVED:
        return Conflict("entry.withdrawn").message
    if skill.status != Status.MARKING:
        return Conflict("mark.not_marking").message
    return ""


@dataclass(frozen=True, slots=True)
class WorkstationView:
    """One workstation as a referee sees it: its 工位号 and cells, never the entry behind it; `marked` of `total`
    cells hold a value of the referee's (module docstring)."""

    workstation_no: str
    cells: list[CellView]
    marked: int = 0
    total: int = 0


@dataclass(frozen=True, slots=True)
class MarkingSheetView:
    """What a referee marks in a skill (评分表): their aspects × the skill's workstations, and their progress:
    `marked` of `total` cells (module docstring)."""

    skill_id: int
    skill_name: str
    status: str
    aspects: list[AspectView]
    workstations: list[WorkstationView]
    marked: int = 0
    total: int = 0


def marking_sheet(*, referee: User, skill: Skill) -> MarkingSheetView:
    """What a referee marks in a skill (as `access.access_skill_for_marking` let them in): workstations (工位号
    only) × their assigned aspects, with their own values and, after their own entry, the other panel members'
    values (module docstring). A fixed number of queries however many workstations and aspects: the referees,
    the aspects, the entries, their marks, signed-off sheets and members.

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
        closed_reason = _closed_reason(skill, entry)
        cells = []
        for aspect in my_aspects:
            refusal = access.mark_refusal(referee, entry, aspect, rules[aspect.pk].referee_count, candidates,
                                          member_ids=member_ids)
            if refusal is not None:
                continue
            cells.append(_cell(
                aspect, rules[aspect.pk], values.get((entry.pk, aspect.pk), {}), referee_id=referee.pk,
                my_mark_id=my_marks.get((entry.pk, aspect.pk)), signed_off=(entry.pk, aspect.module_id) in signed,
                closed_reason=closed_reason,
            ))
        if cells:
            rows.append(WorkstationView(entry.workstation_no, cells, sum(c.my_value is not None for c in cells),
                                        len(cells)))
    return MarkingSheetView(skill.pk, skill.name, skill.status,
                            [_aspect_view(a, rules[a.pk]) for a in my_aspects], rows,
                            sum(w.marked for w in rows), sum(w.total for w in rows))


@dataclass(frozen=True, slots=True)
class MarkingCellView:
    """One cell of a referee's sheet with its aspect: what the marking page redraws after a value is saved."""

    workstation_no: str
    aspect: AspectView
    cell: CellView


def marking_cell(target: access.MarkingTarget) -> MarkingCellView:
    """One cell as `marking_sheet` shows it, for the (entry, aspect) `access.access_entry_for_marking` let the
    referee at (the panel's marks come with it), in no further query."""
    entry, aspect = target.entry, target.aspect
    cell = _cell(
        aspect, target.scoring_aspect, {r: m.value for r, m in target.marks.items()}, referee_id=target.referee.pk,
        my_mark_id=(mine.pk if (mine := target.marks.get(target.referee.pk)) is not None else None),
        signed_off=target.sheet is not None and target.sheet.status == SheetStatus.SIGNED_OFF,
        closed_reason=_closed_reason(entry.skill, entry) or ("" if target.sheet is not None
                                                              else Conflict("mark.not_marking").message),
    )
    return MarkingCellView(entry.workstation_no, _aspect_view(aspect, target.scoring_aspect), cell)


def marking_cell_refused(*, skill_id: int, workstation_no: str, aspect_code: str,
                         refusal: DomainError) -> MarkingCellView:
    """A cell the referee may no longer mark (a cell is refused after the page was drawn when the marking groups or
    the assignments changed), closed with the refusal's message: for `access.MarkRefused` always the one neutral
    `mark.not_assigned`, whatever the reason (DESIGN.md "Recusal without a leak"). Neither the referee's value
    nor anyone's is shown. NotFound when the skill has no such aspect."""
    aspect = access.marking_aspect(skill_id, aspect_code)
    if aspect is None:
        raise NotFound()
    rule = domain_aspect(aspect)
    state = CellState.CLOSED
    cell = CellView(aspect_id=aspect.pk, aspect_code=aspect.code, my_value=None, others=None, may_mark=False,
                    state=state.value, state_label=str(state.label), reason=refusal.message)
    return MarkingCellView(workstation_no, _aspect_view(aspect, rule), cell)


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
