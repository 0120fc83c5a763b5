"""Exam batches as pages, API and the ticket read them (issue 12 item 4): the announced batches, a batch's plan with
its staffing check, its registrations (ID numbers masked for readers with no need: `accounts.permissions
.can_view_pii`), a candidate's registrations, the admission ticket. Also the eligibility records that registration
stores (`eligibility_records`: the same rule and pure `explain` as the explanation page, for many people at once).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.identity import mask_id_number, shown_id_number
from accounts.permissions import can, can_view_pii, filter_allowed
from certification.domain import batches as rules
from certification.domain import eligibility
from certification.domain.ladder import SkillLevel
from certification.models import (
    Batch,
    BatchPart,
    BatchStatus,
    Duty,
    EvaluationKind,
    OccupationLevel,
    PartKind,
    Registration,
    RegistrationStatus,
    Room,
    SeatAllocation,
    Sitting,
    StaffAssignment,
)
from certification.permissions import Action
from certification.selectors.catalogue import level_label
from certification.selectors.levels import held_levels
from core.errors import RuleBroken, render_message

_DUTY_OF_PART = {"theory": Duty.INVIGILATOR, "practical": Duty.ASSESSOR, "review": Duty.REVIEWER}
ACTIVE = (RegistrationStatus.SUBMITTED, RegistrationStatus.APPROVED, RegistrationStatus.SEATED)


def part_label(kind: str) -> str:
    return render_message(f"batch.part.{kind}", {})


def problem_text(code: str, params: Mapping[str, Any]) -> str:
    """A plan problem or shortfall in the reader's language (the part named by its label)."""
    return render_message(code, {**params, "part_label": part_label(str(params.get("part", "")))})


# --- eligibility at registration -----------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class FactsIn:
    """What a registration declares besides the levels on record (certification.selectors.eligibility.Facts)."""

    years_in_trade: Decimal = Decimal(0)
    apprenticeship_finished: bool = False
    school: eligibility.SchoolType | None = None
    education: eligibility.Education = eligibility.Education.NONE


def eligibility_records(batch: Batch, facts: Mapping[int, FactsIn], *, on: date) -> dict[int, dict[str, Any]]:
    """person id → the eligibility record a registration stores (eligible, held level, every path with every
    condition met or not, in Chinese: the record of what was checked). Two queries whatever the count."""
    stored = OccupationLevel.objects.filter(occupation_id=batch.occupation_id, level=batch.level).first()
    if stored is None:
        raise RuleBroken("eligibility.level_not_offered", {"occupation": batch.occupation.name,
                                                            "level": level_label(batch.level)})
    rule = eligibility.rule_from_data(SkillLevel(batch.level), stored.eligibility)
    held = held_levels(facts.keys(), batch.occupation_id, on=on)
    out: dict[int, dict[str, Any]] = {}
    with translation.override("zh-hans"):
        for person_id, f in facts.items():
            verdict = eligibility.explain(rule, eligibility.Candidate(
                held=held.get(person_id), years_in_trade=f.years_in_trade,
                apprenticeship_finished=f.apprenticeship_finished, school=f.school, education=f.education))
            out[person_id] = {
                "eligible": verdict.eligible, "checked_on": on.isoformat(),
                "held": None if held.get(person_id) is None else int(held[person_id]),
                "paths": [{"met": p.met, "conditions": [{"kind": c.condition.kind.value, "met": c.met,
                                                         "text": c.message} for c in p.conditions]}
                          for p in verdict.paths],
            }
    return out


def failing_reasons(record: Mapping[str, Any]) -> str:
    """Every path of a failed record with its unmet conditions: "条件1：…、…；条件2：…"."""
    return "；".join(
        render_message("registration.path", {"number": i, "failing": "、".join(
            c["text"] for c in path["conditions"] if not c["met"])})
        for i, path in enumerate(record["paths"], start=1)
    )


# --- batches ---------------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class BatchSummary:
    id: int
    code: str
    name: str
    body_id: int
    body_name: str
    evaluation_kind: str
    evaluation_kind_label: str
    occupation_id: int
    occupation_code: str
    occupation_name: str
    level: int
    level_label: str
    registration_opens: date
    registration_closes: date
    status: str
    status_label: str
    capacity: int


def _capacity(batch: Batch, seats: Mapping[tuple[int, str], int]) -> int:
    needed = rules.parts_for(batch.level)
    return rules.capacity({rules.Part(kind): n for (bid, kind), n in seats.items() if bid == batch.pk}, needed)


def _seats_by_part(batch_ids: Sequence[int]) -> dict[tuple[int, str], int]:
    out: dict[tuple[int, str], int] = {}
    for bid, kind, seats in Room.objects.filter(part__batch_id__in=batch_ids).values_list(
            "part__batch_id", "part__kind", "seats"):
        out[(bid, kind)] = out.get((bid, kind), 0) + seats
    return out


def batch_summary(batch: Batch, seats: Mapping[tuple[int, str], int] | None = None) -> BatchSummary:
    seats = _seats_by_part([batch.pk]) if seats is None else seats
    return BatchSummary(
        id=batch.pk, code=batch.code, name=batch.name, body_id=batch.body_id, body_name=batch.body.name,
        evaluation_kind=batch.evaluation_kind,
        evaluation_kind_label=str(EvaluationKind(batch.evaluation_kind).label), occupation_id=batch.occupation_id,
        occupation_code=batch.occupation.code, occupation_name=batch.occupation.name, level=batch.level,
        level_label=level_label(batch.level), registration_opens=batch.registration_opens,
        registration_closes=batch.registration_closes, status=batch.status,
        status_label=str(BatchStatus(batch.status).label), capacity=_capacity(batch, seats),
    )


def _summaries(queryset: Any) -> list[BatchSummary]:
    found = list(queryset.select_related("body", "occupation"))
    seats = _seats_by_part([b.pk for b in found])
    return [batch_summary(b, seats) for b in found]


def batches_managed(viewer: Any) -> list[BatchSummary]:
    """The batches of the bodies the viewer plans for (or oversees), newest first."""
    return _summaries(filter_allowed(viewer, Action.BATCH_VIEW, Batch.objects.all(), unit_field="body_id"))


def batches_open(*, on: date) -> list[BatchSummary]:
    """The batches announced and accepting registrations on the day: what anyone signed in may apply to."""
    return _summaries(Batch.objects.filter(status=BatchStatus.OPEN, registration_opens__lte=on,
                                           registration_closes__gte=on).order_by("registration_closes", "pk"))


@dataclass(frozen=True, slots=True)
class StaffView:
    id: int
    person_id: int
    person_name: str
    duty: str
    duty_label: str


@dataclass(frozen=True, slots=True)
class RoomView:
    id: int
    name: str
    seats: int
    seated: int
    staff: list[StaffView]


@dataclass(frozen=True, slots=True)
class PartView:
    id: int
    kind: str
    label: str
    duty_label: str  # who serves it: 监考员, 考评员 or 评审专家
    starts_at: datetime
    ends_at: datetime
    rooms: list[RoomView]
    part_staff: list[StaffView]


@dataclass(frozen=True, slots=True)
class AllocationView:
    seed: int
    seated: int
    digest: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class BatchPlan:
    """A batch as its body plans it: parts, rooms, staff, what the plan still lacks or fails (for the planned
    seats), the registrations by status and the allocation in force."""

    batch: BatchSummary
    parts: list[PartView]
    missing_parts: list[str]
    problems: list[str]
    counts: dict[str, int]
    count_rows: list[tuple[str, int]]  # (status label, count), for pages
    allocation: AllocationView | None


def _staff_view(s: StaffAssignment) -> StaffView:
    return StaffView(s.pk, s.person_id, str(s.person), s.duty, str(s.get_duty_display()))


def part_loads(parts: Sequence[BatchPart], candidates_in: Mapping[int, int] | None = None) -> list[rules.PartLoad]:
    """The parts as the staff ratios see them: each room with its planned seats (or, given `candidates_in`, the
    candidates seated in it) and its staff."""
    loads = []
    for part in parts:
        rooms = list(part.rooms.all())
        staff = list(part.staff.all())
        loads.append(rules.PartLoad(
            rules.Part(part.kind),
            tuple(rules.RoomLoad(r.name, r.seats if candidates_in is None else candidates_in.get(r.pk, 0),
                                 sum(1 for s in staff if s.room_id == r.pk)) for r in rooms),
            part_staff=sum(1 for s in staff if s.room_id is None),
        ))
    return loads


def plan_parts(batch: Batch) -> list[BatchPart]:
    return list(BatchPart.objects.filter(batch=batch).prefetch_related("rooms", "staff__person").order_by("starts_at"))


def plan_problems(batch: Batch, parts: Sequence[BatchPart]) -> tuple[list[str], list[str]]:
    """(the parts the level needs and the batch lacks, every other problem of the plan) in words: parts without a
    room, and every staff ratio the planned seats fail (certification.domain.batches)."""
    have = {p.kind for p in parts}
    missing = [part_label(k) for k in rules.parts_for(batch.level) if k.value not in have]
    problems = [problem_text("batch.part_missing", {"part": p.kind}) for p in parts if not p.rooms.all()]
    problems += [problem_text(s.code, s.params) for s in rules.staffing_shortfalls(part_loads(parts))]
    return missing, problems


def batch_plan(batch: Batch) -> BatchPlan:
    parts = plan_parts(batch)
    seated: dict[int, int] = dict(
        Room.objects.filter(part__batch=batch).annotate(n=Count("taken_seats")).values_list("pk", "n"))
    missing, problems = plan_problems(batch, parts)
    counts = dict(Registration.objects.filter(batch=batch).values("status").annotate(n=Count("pk"))
                  .values_list("status", "n"))
    latest = SeatAllocation.objects.filter(batch=batch).first()
    seats = _seats_by_part([batch.pk])
    return BatchPlan(
        batch=batch_summary(batch, seats),
        parts=[PartView(p.pk, p.kind, part_label(p.kind), str(_DUTY_OF_PART[p.kind].label), p.starts_at,
                        p.ends_at,
                        [RoomView(r.pk, r.name, r.seats, seated.get(r.pk, 0),
                                  [_staff_view(s) for s in p.staff.all() if s.room_id == r.pk]) for r in p.rooms.all()],
                        [_staff_view(s) for s in p.staff.all() if s.room_id is None]) for p in parts],
        missing_parts=missing, problems=problems,
        counts={s.value: counts.get(s.value, 0) for s in RegistrationStatus},
        count_rows=[(str(s.label), counts.get(s.value, 0)) for s in RegistrationStatus],
        allocation=None if latest is None else AllocationView(latest.seed, latest.seated, latest.digest,
                                                              latest.created_at),
    )


# --- registrations ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class RegistrationRow:
    id: int
    batch_id: int
    batch_name: str
    candidate_id: int
    candidate_name: str
    id_number: str  # masked unless the reader may see it (accounts.permissions.can_view_pii)
    unit_name: str
    status: str
    status_label: str
    eligible: bool
    review_reason: str
    submitted_at: datetime
    ticket_no: str
    seats: str
    # The candidate's theory exam as 我的报名 offers it: "open" (enter it), "submitted", "over" (ended unsat), "".
    exam_state: str = ""
    has_photo: bool = False  # 证件照 uploaded (certification.photos)
    may_set_photo: bool = False  # the reader may upload or replace it (certification.services.registration_photos)


def _seats_text(r: Registration) -> str:
    return "；".join(gettext("%(part)s %(room)s %(number)s 号") % {"part": part_label(s.part.kind), "room": s.room.name,
                                                                 "number": s.number}
                     for s in sorted(r.seats.all(), key=lambda s: s.part.starts_at))


def _exam_state(r: Registration) -> str:
    """Whether 我的报名 still leads into the theory exam: a seated candidate's sitting not yet submitted, or none
    yet while the theory part has not ended; a submitted sitting, or a part that ended unsat, leads to the result."""
    if r.status != RegistrationStatus.SEATED:
        return ""
    theory = [p for p in r.batch.parts.all() if p.kind == PartKind.THEORY]
    if not theory:
        return ""
    try:
        sitting = r.sitting
    except Sitting.DoesNotExist:
        sitting = None
    if sitting is not None:
        return "submitted" if sitting.submitted_at is not None else "open"
    return "over" if theory[0].ends_at < timezone.now() else "open"


def registration_row(viewer: Any, r: Registration) -> RegistrationRow:
    return RegistrationRow(
        id=r.pk, batch_id=r.batch_id, batch_name=r.batch.name, candidate_id=r.candidate_id,
        candidate_name=str(r.candidate),
        id_number=shown_id_number(r.candidate.id_number, full=can_view_pii(viewer, r.candidate)),
        unit_name=r.unit.name if r.unit else "", status=r.status,
        status_label=str(RegistrationStatus(r.status).label), eligible=bool(r.eligibility.get("eligible")),
        review_reason=r.review_reason, submitted_at=r.submitted_at, ticket_no=r.ticket_no or "",
        seats=_seats_text(r), exam_state=_exam_state(r), has_photo=bool(r.photo.name),
        may_set_photo=can(viewer, Action.REGISTRATION_SUBMIT, r),
    )


def _rows_queryset() -> Any:
    return Registration.objects.select_related("candidate", "unit", "batch", "sitting").prefetch_related(
        "candidate__memberships", "seats__room", "seats__part", "batch__parts")


def batch_registrations(viewer: Any, batch: Batch, *, status: str = "") -> list[RegistrationRow]:
    """Every registration of a batch for its body's staff (the caller asked `access_batch`)."""
    found = _rows_queryset().filter(batch=batch)
    if status in RegistrationStatus.values:
        found = found.filter(status=status)
    return [registration_row(viewer, r) for r in found.order_by("pk")]


def unit_registrations(viewer: Any, batch: Batch, unit_ids: Sequence[int]) -> list[RegistrationRow]:
    """The registrations of a batch that these units made (their staff follow them)."""
    return [registration_row(viewer, r) for r in _rows_queryset().filter(batch=batch, unit_id__in=unit_ids)]


def my_registrations(viewer: Any) -> list[RegistrationRow]:
    return [registration_row(viewer, r) for r in _rows_queryset().filter(candidate=viewer).order_by("-submitted_at")]


@dataclass(frozen=True, slots=True)
class RegistrationDetail:
    row: RegistrationRow
    batch: BatchSummary
    eligibility: dict[str, Any]


def registration_detail(viewer: Any, r: Registration) -> RegistrationDetail:
    return RegistrationDetail(registration_row(viewer, r), batch_summary(r.batch), r.eligibility)


# --- the admission ticket ----------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class TicketPart:
    kind: str
    label: str
    starts_at: datetime
    ends_at: datetime
    room: str
    seat: int


@dataclass(frozen=True, slots=True)
class TicketView:
    """What a 准考证 shows, and what the door check shows: the ID number always masked (the staff at the door
    compare the photo, the name and the last digits with the ID card in hand)."""

    registration_id: int
    ticket_no: str
    name: str
    id_number: str
    unit_name: str
    occupation_code: str
    occupation_name: str
    level_label: str
    batch_code: str
    batch_name: str
    body_name: str
    status: str
    status_label: str
    parts: list[TicketPart]
    verify_path: str


def ticket_view(r: Registration) -> TicketView:
    seats = sorted(r.seats.select_related("part", "room"), key=lambda s: s.part.starts_at)
    return TicketView(
        registration_id=r.pk, ticket_no=r.ticket_no or "", name=str(r.candidate),
        id_number=mask_id_number(r.candidate.id_number), unit_name=r.unit.name if r.unit else "",
        occupation_code=r.batch.occupation.code, occupation_name=r.batch.occupation.name,
        level_label=level_label(r.batch.level), batch_code=r.batch.code, batch_name=r.batch.name,
        body_name=r.batch.body.name, status=r.status, status_label=str(RegistrationStatus(r.status).label),
        parts=[TicketPart(s.part.kind, str(PartKind(s.part.kind).label), s.part.starts_at, s.part.ends_at,
                          s.room.name, s.number) for s in seats],
        verify_path=reverse("certification:ticket_verify", args=[r.ticket_token]) if r.ticket_token else "",
    )


def waiting_reviews(unit_ids: Sequence[int]) -> int:
    """Registrations waiting for review at these bodies (the home page's "waiting for you")."""
    return Registration.objects.filter(Q(batch__body_id__in=unit_ids), status=RegistrationStatus.SUBMITTED).count()


# --- the API's reads (certification.api.batches) -------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ShortfallView:
    """One staff ratio a room fails (domain.batches `Shortfall`), with its words in the reader's language."""

    code: str
    part: str
    room: str
    candidates: int
    needed: int
    has: int
    short: int
    message: str


@dataclass(frozen=True, slots=True)
class StaffingCheck:
    """The staffing check of a batch's plan for its planned seats (what opening registration asks): the parts the
    level needs and lacks, parts without a room, every ratio each room fails; `ok` when there is none."""

    batch_id: int
    ok: bool
    missing_parts: list[str]
    problems: list[str]
    shortfalls: list[ShortfallView]


def staffing_check(batch: Batch) -> StaffingCheck:
    parts = plan_parts(batch)
    missing, problems = plan_problems(batch, parts)
    shortfalls = [ShortfallView(s.code, s.part.value, s.room, s.candidates, s.needed, s.has, s.short,
                                problem_text(s.code, s.params)) for s in rules.staffing_shortfalls(part_loads(parts))]
    return StaffingCheck(batch.pk, not missing and not problems, missing, problems, shortfalls)


def registrations_listed(viewer: Any, batch: Batch, *, status: str = "", unit_id: int | None = None,
                         unit_ids: Sequence[int] = ()) -> list[RegistrationRow]:
    """The registrations of a batch a reader may list (the caller asked `access_batch_announced`): every one for
    the body's staff and organizer staff (`BATCH_VIEW`); otherwise those made by the reader's units (`unit_ids`,
    the units where they register people) and their own. Filtered by status and registering unit."""
    found = _rows_queryset().filter(batch=batch)
    if not can(viewer, Action.BATCH_VIEW, batch):
        found = found.filter(Q(unit_id__in=list(unit_ids)) | Q(candidate_id=getattr(viewer, "pk", None)))
    if status:
        found = found.filter(status=status)
    if unit_id is not None:
        found = found.filter(unit_id=unit_id)
    return [registration_row(viewer, r) for r in found.order_by("pk")]


def registrations_by_id(viewer: Any, ids: Sequence[int]) -> list[RegistrationRow]:
    """Rows of registrations the caller just wrote (their rights were asked by the service)."""
    return [registration_row(viewer, r) for r in _rows_queryset().filter(pk__in=list(ids)).order_by("pk")]


def allocation_view(allocation: SeatAllocation) -> AllocationView:
    return AllocationView(allocation.seed, allocation.seated, allocation.digest, allocation.created_at)


def assignment_in_batch(batch: Batch, assignment_id: int) -> bool:
    return StaffAssignment.objects.filter(pk=assignment_id, part__batch=batch).exists()
