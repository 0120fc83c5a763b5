"""Writes of exam batches (批次; issue 12 item 4): planning (parts, rooms, staff), opening and closing registration,
registration (by the candidate or by their unit), review, seat allocation, declared relationships. Each takes an
actor, checks its right through certification.access, runs the pure rules of certification.domain.batches, saves
in one transaction and writes its audit entry.

Choices where the issue is silent (each tested in tests/certification/test_services_batches.py):
- **Who runs a batch**: the staff (exam_center_staff) of an exam center (社会评价) or of an enterprise (企业自主
  评价); the body's kind decides the evaluation kind, recorded on the batch when it is made. Organizer staff
  oversee (read) every batch, and plan none.
- **When the ratios are enforced**: opening registration needs every part the level has, each with a room, and
  staff meeting every ratio for the planned seats (a body does not announce a sitting it cannot staff); seat
  allocation checks them again for the candidates actually seated in each room, with recusal. Parts, rooms and
  staff may change until the batch is cancelled (a room added when many register); allocation is then run again.
- **Capacity**: approvals stop at the batch's capacity (the seats of its tightest part); the batch row is locked
  while counting, so two reviewers cannot both take the last seat.
- **Registration window**: a registration is accepted while the batch is open and today is within its dates. The
  candidate registers themselves; a unit's staff register people who hold a role in their unit.
- **Eligibility** is checked at submission and recorded on the registration (every path, every condition, in
  Chinese); an ineligible candidate is refused, naming every path's failing conditions, and nothing is saved. The
  reviewer sees the record; review does not re-judge it (the facts were declared at submission).
- **Seats**: allocation runs after registration closes, for every approved (and already seated) registration,
  from a seed (random unless given), and is recorded (seed, digest); a run that cannot seat everyone (no seat,
  recusal) or fails a ratio saves nothing and names who and what. Ticket numbers are given at first seating and
  kept when seats are allocated again; the ticket's verification token likewise.
- **Withdrawal**: the candidate, their unit's staff or the body's staff, at any time before the batch is
  cancelled; a seated candidate's seat stays empty (the recorded allocation is not rewritten).
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.actors import Actor
from accounts.models import Membership, Organization, OrganizationKind, Role, User
from accounts.permissions import require
from audit.services import audit_record
from certification import access
from certification.domain import batches as rules
from certification.models import (
    Batch,
    BatchPart,
    BatchStatus,
    DeclaredRelationship,
    Duty,
    EvaluationKind,
    OccupationLevel,
    Registration,
    RegistrationStatus,
    Room,
    Seat,
    SeatAllocation,
    StaffAssignment,
)
from certification.permissions import Action
from certification.selectors import batches as views
from certification.selectors.catalogue import level_label
from core.errors import Conflict, FieldError, NotFound, RuleBroken, ValidationFailed, render_message
from core.lookup import get_or_404


def _user(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) else None


def _snapshot(batch: Batch) -> dict[str, object]:
    return {"name": batch.name, "body": batch.body_id, "occupation": batch.occupation_id, "level": batch.level,
            "opens": batch.registration_opens, "closes": batch.registration_closes, "status": batch.status}


# --- planning --------------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class BatchData:
    body_id: int
    occupation_id: int
    level: int
    name: str
    registration_opens: date
    registration_closes: date


@transaction.atomic(durable=True)
def batch_create(*, actor: Actor, data: BatchData) -> Batch:
    """A batch in planning at an evaluation body (module docstring); its code is the body's next."""
    body_unit = get_or_404(Organization.objects.select_for_update(), pk=data.body_id)
    probe = Batch(body=body_unit)
    require(actor, Action.BATCH_MANAGE, probe)
    occupation = access.access_occupation(actor, data.occupation_id)
    errors = []
    if body_unit.kind not in (OrganizationKind.EXAM_CENTER, OrganizationKind.ENTERPRISE):
        errors.append(FieldError("body_id", "batch.not_an_evaluation_body"))
    if not OccupationLevel.objects.filter(occupation=occupation, level=data.level).exists():
        errors.append(FieldError("level", "batch.level_not_offered", {"occupation": occupation.name,
                                                                      "level": level_label(data.level)}))
    if not data.name.strip():
        errors.append(FieldError("name", "batch.name_required"))
    if data.registration_closes < data.registration_opens:
        errors.append(FieldError("registration_closes", "batch.bad_dates"))
    if errors:
        raise ValidationFailed(errors)
    # The body's row is locked above: two batches created at once get consecutive codes.
    count = Batch.objects.filter(body=body_unit).count()
    batch = Batch.objects.create(
        body=body_unit, occupation=occupation, level=data.level, name=data.name.strip()[:200],
        evaluation_kind=EvaluationKind.SOCIAL if body_unit.kind == OrganizationKind.EXAM_CENTER
        else EvaluationKind.ENTERPRISE,
        code=f"{data.registration_opens:%y}{body_unit.pk:05d}{count + 1:03d}",
        registration_opens=data.registration_opens, registration_closes=data.registration_closes,
        created_by=_user(actor), created_at=timezone.now(),
    )
    audit_record(actor=actor, action="certification.batch.created", target=batch, new=_snapshot(batch))
    return batch


def _editable(batch: Batch) -> None:
    if batch.status == BatchStatus.CANCELLED:
        raise Conflict("batch.bad_move", {"status": batch.get_status_display(), "target": "-"})


@transaction.atomic(durable=True)
def batch_part_set(*, actor: Actor, batch_id: int, kind: str, starts_at: datetime, ends_at: datetime) -> BatchPart:
    """Set (or move) a part's times: a part the level has, lasting at least its minimum (domain.batches)."""
    batch = access.access_batch(actor, batch_id, manage=True, lock=True)
    _editable(batch)
    part_kind = rules.Part(kind)
    if part_kind not in rules.parts_for(batch.level):
        raise ValidationFailed([FieldError("kind", "batch.part_not_for_level", {
            "level": level_label(batch.level), "part_label": views.part_label(kind)})])
    problems = rules.part_time_problems(part_kind, starts_at, ends_at)
    if problems:
        raise ValidationFailed([FieldError("ends_at", p.code, {**p.params, "part_label": views.part_label(kind)})
                                for p in problems])
    before = BatchPart.objects.filter(batch=batch, kind=kind).values("starts_at", "ends_at").first()
    part, _created = BatchPart.objects.update_or_create(batch=batch, kind=kind,
                                                        defaults={"starts_at": starts_at, "ends_at": ends_at})
    audit_record(actor=actor, action="certification.batch.part_set", target=part, old=before,
                 new={"kind": kind, "starts_at": starts_at, "ends_at": ends_at})
    return part


def _part_for_manage(actor: Actor, part_id: int) -> BatchPart:
    part = get_or_404(BatchPart.objects.select_related("batch"), pk=part_id)
    access.access_batch(actor, part.batch_id, manage=True, lock=True)
    _editable(part.batch)
    return part


@transaction.atomic(durable=True)
def room_add(*, actor: Actor, part_id: int, name: str, seats: int) -> Room:
    """A room of a part with its seats (1–500)."""
    part = _part_for_manage(actor, part_id)
    errors = []
    if not name.strip():
        errors.append(FieldError("name", "batch.room_name_required"))
    elif Room.objects.filter(part=part, name=name.strip()).exists():
        errors.append(FieldError("name", "batch.room_taken", {"name": name.strip()}))
    if not 1 <= seats <= 500:
        errors.append(FieldError("seats", "batch.room_seats"))
    if errors:
        raise ValidationFailed(errors)
    room = Room.objects.create(part=part, name=name.strip()[:100], seats=seats)
    audit_record(actor=actor, action="certification.batch.room_added", target=room,
                 new={"part": part.pk, "name": room.name, "seats": seats})
    return room


_DUTY_OF_PART = {rules.Part.THEORY: Duty.INVIGILATOR, rules.Part.PRACTICAL: Duty.ASSESSOR,
                 rules.Part.REVIEW: Duty.REVIEWER}
# Who may serve: assessors and reviewers hold an assessor role (考评员, 主考) somewhere; invigilators are the
# body's own staff or assessors.
_ASSESSOR_ROLES = (Role.ASSESSOR, Role.CHIEF_ASSESSOR)


@transaction.atomic(durable=True)
def staff_assign(*, actor: Actor, part_id: int, person_id: int, room_id: int | None = None) -> StaffAssignment:
    """Put a person on duty in a part: the part's duty (theory → invigilator, practical → assessor, review →
    reviewer), in one of its rooms (the review panel may serve the whole part). Ratios are checked on the plan
    (`selectors.batches.plan_problems`), when registration opens and when seats are allocated."""
    part = _part_for_manage(actor, part_id)
    duty = _DUTY_OF_PART[rules.Part(part.kind)]
    person = get_or_404(User.objects.filter(is_active=True), pk=person_id)
    room = None
    if room_id is not None:
        room = get_or_404(Room.objects.all(), pk=room_id)
        if room.part_id != part.pk:
            raise ValidationFailed([FieldError("room_id", "batch.room_not_in_part")])
    elif duty != Duty.REVIEWER:
        raise ValidationFailed([FieldError("room_id", "batch.room_required")])
    roles = set(Membership.objects.filter(user=person).values_list("role", "organization_id"))
    qualified = any(r in _ASSESSOR_ROLES for r, _u in roles) or (
        duty == Duty.INVIGILATOR and (Role.EXAM_CENTER_STAFF, part.batch.body_id) in roles)
    if not qualified:
        raise ValidationFailed([FieldError("person_id", "batch.not_staff", {
            "person": str(person), "duty": Duty(duty).label})])
    if StaffAssignment.objects.filter(part=part, person=person).exists():
        raise Conflict("batch.staff_twice", {"person": str(person)})
    assignment = StaffAssignment.objects.create(part=part, room=room, person=person, duty=duty,
                                                assigned_at=timezone.now())
    audit_record(actor=actor, action="certification.batch.staff_assigned", target=assignment,
                 new={"part": part.pk, "room": room_id, "person": person.pk, "duty": duty})
    return assignment


@transaction.atomic(durable=True)
def staff_remove(*, actor: Actor, assignment_id: int) -> None:
    assignment = get_or_404(StaffAssignment.objects.all(), pk=assignment_id)
    _part_for_manage(actor, assignment.part_id)
    audit_record(actor=actor, action="certification.batch.staff_removed", target=assignment,
                 old={"part": assignment.part_id, "room": assignment.room_id, "person": assignment.person_id,
                      "duty": assignment.duty})
    assignment.delete()


def _move(actor: Actor, batch: Batch, target: BatchStatus, reason: str = "") -> Batch:
    if not rules.batch_may_move(batch.status, target):
        raise Conflict("batch.bad_move", {"status": batch.get_status_display(), "target": target.label})
    old = batch.status
    batch.status = target
    batch.save(update_fields=["status"])
    audit_record(actor=actor, action=f"certification.batch.{target.value}", target=batch, old={"status": old},
                 new={"status": target.value}, reason=reason)
    return batch


@transaction.atomic(durable=True)
def batch_open(*, actor: Actor, batch_id: int) -> Batch:
    """Open registration (module docstring): every part the level has, each with a room, staffed to every ratio
    for the planned seats; otherwise refused, naming each missing part and each failing ratio with its shortfall."""
    batch = access.access_batch(actor, batch_id, manage=True, lock=True)
    missing, problems = views.plan_problems(batch, views.plan_parts(batch))
    details = [render_message("batch.part_missing", {"part_label": m}) for m in missing] + problems
    if details and batch.status != BatchStatus.CANCELLED:
        raise RuleBroken("batch.staffing_short", {"details": "；".join(details)})
    return _move(actor, batch, BatchStatus.OPEN)


@transaction.atomic(durable=True)
def batch_close(*, actor: Actor, batch_id: int) -> Batch:
    return _move(actor, access.access_batch(actor, batch_id, manage=True, lock=True), BatchStatus.CLOSED)


@transaction.atomic(durable=True)
def batch_cancel(*, actor: Actor, batch_id: int, reason: str) -> Batch:
    if not reason.strip():
        raise ValidationFailed([FieldError("reason", "registration.reason_required")])
    return _move(actor, access.access_batch(actor, batch_id, manage=True, lock=True), BatchStatus.CANCELLED,
                 reason.strip())


# --- registration ----------------------------------------------------------------------------------------------------

def _check_open(batch: Batch, today: date) -> None:
    if batch.status != BatchStatus.OPEN:
        raise Conflict("batch.not_open", {"status": batch.get_status_display()})
    if not batch.registration_opens <= today <= batch.registration_closes:
        raise Conflict("batch.registration_window", {"opens": batch.registration_opens.isoformat(),
                                                     "closes": batch.registration_closes.isoformat()})


def registering_unit(actor: Actor, candidate: User, unit_id: int | None) -> int | None:
    """The unit a registration is made for: the caller's unit (which the candidate must belong to), or, for a
    candidate registering themselves without naming one, their single unit if they have exactly one."""
    if unit_id is not None:
        unit = access.access_unit_for_registration(actor, unit_id)
        if not Membership.objects.filter(user=candidate, organization=unit).exists():
            raise ValidationFailed([FieldError("candidate_id", "registration.unit_not_yours")])
        return int(unit.pk)
    require(actor, Action.REGISTRATION_SUBMIT, candidate)  # the candidate themselves (own)
    units = {m for m in Membership.objects.filter(user=candidate, organization__isnull=False)
             .values_list("organization_id", flat=True)}
    return units.pop() if len(units) == 1 else None


def ineligible(batch: Batch, person: User, record: dict[str, object]) -> RuleBroken:
    return RuleBroken("registration.ineligible", {
        "occupation": batch.occupation.name, "level": level_label(batch.level), "person": str(person),
        "reasons": views.failing_reasons(record)})


def _snapshot_registration(r: Registration) -> dict[str, object]:
    return {"batch": r.batch_id, "candidate": r.candidate_id, "unit": r.unit_id, "status": r.status,
            "years_in_trade": r.years_in_trade, "apprenticeship_finished": r.apprenticeship_finished,
            "school": r.school, "education": r.education, "eligible": r.eligibility.get("eligible")}


@transaction.atomic(durable=True)
def registration_submit(*, actor: Actor, batch_id: int, candidate_id: int, facts: views.FactsIn,
                        unit_id: int | None = None) -> Registration:
    """Register a candidate (module docstring): by themselves (no `unit_id`) or by their unit's staff; the
    eligibility explanation is recorded; an ineligible candidate is refused naming every failing rule."""
    batch = access.access_batch_announced(actor, batch_id)
    candidate = get_or_404(User.objects.filter(is_active=True), pk=candidate_id)
    unit = registering_unit(actor, candidate, unit_id)
    batch = Batch.objects.select_related("body", "occupation").get(pk=batch.pk)
    today = timezone.localdate()
    _check_open(batch, today)
    record = views.eligibility_records(batch, {candidate.pk: facts}, on=today)[candidate.pk]
    if not record["eligible"]:
        raise ineligible(batch, candidate, record)
    if Registration.objects.filter(batch=batch, candidate=candidate, status__in=views.ACTIVE).exists():
        raise Conflict("registration.exists", {"person": str(candidate)})
    registration = Registration.objects.create(
        batch=batch, candidate=candidate, unit_id=unit, years_in_trade=facts.years_in_trade,
        apprenticeship_finished=facts.apprenticeship_finished, school=facts.school.value if facts.school else "",
        education=int(facts.education), eligibility=record, submitted_by=_user(actor), submitted_at=timezone.now(),
    )
    audit_record(actor=actor, action="certification.registration.submitted", target=registration,
                 new=_snapshot_registration(registration))
    return registration


def _set_status(actor: Actor, r: Registration, target: RegistrationStatus, reason: str = "") -> None:
    if not rules.registration_may_move(r.status, target):
        raise Conflict("registration.bad_move", {"status": r.get_status_display(), "target": target.label})
    old = r.status
    r.status = target
    fields = ["status"]
    if target in (RegistrationStatus.APPROVED, RegistrationStatus.REJECTED):
        r.reviewed_by, r.reviewed_at, r.review_reason = _user(actor), timezone.now(), reason
        fields += ["reviewed_by", "reviewed_at", "review_reason"]
    if target == RegistrationStatus.WITHDRAWN:
        r.withdrawn_at = timezone.now()
        fields.append("withdrawn_at")
    r.save(update_fields=fields)
    audit_record(actor=actor, action=f"certification.registration.{target.value}", target=r, old={"status": old},
                 new={"status": target.value}, reason=reason)


def _batch_registrations(batch: Batch, ids: Sequence[int]) -> list[Registration]:
    found = list(Registration.objects.select_for_update().filter(batch=batch, pk__in=list(ids)).order_by("pk"))
    if len(found) != len(set(ids)):
        raise NotFound()
    return found


@transaction.atomic(durable=True)
def registrations_approve(*, actor: Actor, batch_id: int, registration_ids: Sequence[int],
                          reason: str = "") -> list[Registration]:
    """Approve submitted registrations, one or many, up to the batch's capacity (module docstring); all or none."""
    # The batch row is locked: two reviewers approving at once cannot both take the last seat.
    batch = access.access_batch_for_review(actor, batch_id, lock=True)
    if batch.status == BatchStatus.CANCELLED:
        raise Conflict("batch.not_open", {"status": batch.get_status_display()})
    found = _batch_registrations(batch, registration_ids)
    capacity = views.batch_summary(batch).capacity
    approved = Registration.objects.filter(batch=batch, status__in=[RegistrationStatus.APPROVED,
                                                                    RegistrationStatus.SEATED]).count()
    if capacity <= 0:
        raise Conflict("batch.no_capacity")
    if approved + len(found) > capacity:
        raise Conflict("batch.full", {"capacity": capacity, "approved": approved})
    for r in found:
        _set_status(actor, r, RegistrationStatus.APPROVED, reason.strip())
    return found


@transaction.atomic(durable=True)
def registrations_reject(*, actor: Actor, batch_id: int, registration_ids: Sequence[int],
                         reason: str) -> list[Registration]:
    """Reject submitted registrations, one or many, with the reason the candidates will read."""
    if not reason.strip():
        raise ValidationFailed([FieldError("reason", "registration.reason_required")])
    batch = access.access_batch_for_review(actor, batch_id, lock=True)
    found = _batch_registrations(batch, registration_ids)
    for r in found:
        _set_status(actor, r, RegistrationStatus.REJECTED, reason.strip())
    return found


@transaction.atomic(durable=True)
def registration_withdraw(*, actor: Actor, registration_id: int, reason: str = "") -> Registration:
    """Withdraw a registration: the candidate, their unit's staff, or the body's staff (module docstring)."""
    r = access.access_registration(actor, registration_id, lock=True)
    require(actor, Action.REGISTRATION_SUBMIT, r)
    _set_status(actor, r, RegistrationStatus.WITHDRAWN, reason.strip())
    return r


# --- seats -----------------------------------------------------------------------------------------------------------

def new_seed() -> int:
    return secrets.randbelow(2**62)


@transaction.atomic(durable=True)
def seats_allocate(*, actor: Actor, batch_id: int, seed: int | None = None) -> SeatAllocation:
    """Allocate seats to every approved (and seated) registration (module docstring; domain.batches
    `allocate_seats`), with recusal and the staff ratios for the seated counts; all or nothing, recorded."""
    batch = access.access_batch_for_review(actor, batch_id, lock=True)
    if batch.status != BatchStatus.CLOSED:
        raise Conflict("batch.not_closed")
    parts = views.plan_parts(batch)
    registrations = list(Registration.objects.select_for_update(of=("self",)).select_related("candidate").filter(
        batch=batch, status__in=[RegistrationStatus.APPROVED, RegistrationStatus.SEATED]).order_by("pk"))
    if not registrations:
        raise Conflict("batch.nothing_to_seat")
    missing, _problems = views.plan_problems(batch, parts)
    if missing:
        raise RuleBroken("batch.staffing_short", {"details": "；".join(
            render_message("batch.part_missing", {"part_label": m}) for m in missing)})
    social = batch.evaluation_kind == EvaluationKind.SOCIAL
    known = access.staff_facts([s for p in parts for s in p.staff.all()])

    def facts(s: StaffAssignment) -> rules.StaffFacts:
        return rules.StaffFacts(s.person_id, rules.DutyKind(s.duty), known[s.person_id].unit_ids,
                                known[s.person_id].related_ids)

    layout = [rules.PartRooms(rules.Part(p.kind),
                              tuple(rules.RoomSeats(r.pk, r.seats, tuple(facts(s) for s in p.staff.all()
                                                                         if s.room_id == r.pk))
                                    for r in p.rooms.all()),
                              tuple(facts(s) for s in p.staff.all() if s.room_id is None)) for p in parts]
    candidates = [rules.CandidateFacts(r.pk, r.candidate_id, r.unit_id) for r in registrations]
    seed = new_seed() if seed is None else seed
    result = rules.allocate_seats(candidates, layout, seed=seed, social=social)
    by_id = {r.pk: r for r in registrations}
    if not result.complete:
        names = {r.pk: str(r.candidate) for r in registrations}
        raise RuleBroken("allocation.failed", {"details": "；".join(
            render_message(u.reason, {"candidate": names[u.registration_id],
                                      "part_label": views.part_label(u.part.value)}) for u in result.unplaced)})
    seated_in: dict[int, int] = {}
    for p in result.placements:
        seated_in[p.room_id] = seated_in.get(p.room_id, 0) + 1
    shortfalls = rules.staffing_shortfalls(views.part_loads(parts, seated_in))
    if shortfalls:
        raise RuleBroken("batch.staffing_short", {"details": "；".join(
            views.problem_text(s.code, s.params) for s in shortfalls)})

    Seat.objects.filter(registration__batch=batch).delete()
    part_ids = {p.kind: p.pk for p in parts}
    Seat.objects.bulk_create([Seat(registration_id=p.registration_id, part_id=part_ids[p.part.value],
                                   room_id=p.room_id, number=p.number) for p in result.placements])
    last = Registration.objects.filter(batch=batch, ticket_no__isnull=False).aggregate(n=Max("ticket_no"))["n"]
    position = int(last[len(batch.code):]) if last else 0
    for registration_id in result.order:
        r = by_id[registration_id]
        if r.ticket_no is None:
            position += 1
            r.ticket_no = rules.ticket_number(batch.code, position)
            r.ticket_token = secrets.token_urlsafe(18)
            r.save(update_fields=["ticket_no", "ticket_token"])
        if r.status != RegistrationStatus.SEATED:
            _set_status(actor, r, RegistrationStatus.SEATED)
    allocation = SeatAllocation.objects.create(batch=batch, seed=seed, seated=len(registrations),
                                               digest=rules.seating_digest(result.placements),
                                               created_by=_user(actor), created_at=timezone.now())
    audit_record(actor=actor, action="certification.batch.seats_allocated", target=batch,
                 new={"seed": seed, "seated": len(registrations), "digest": allocation.digest})
    return allocation


# --- declared relationships ------------------------------------------------------------------------------------------

@transaction.atomic(durable=True)
def relationship_declare(*, actor: Actor, declarer_id: int, person_id: int, reason: str) -> DeclaredRelationship:
    """An assessor's (or invigilator's) relationship to a person: they are recused from that person on every
    batch (domain.batches "Recusal"). Declared by themselves, or recorded by the staff of their unit."""
    declarer = get_or_404(User.objects.filter(is_active=True).prefetch_related("memberships"), pk=declarer_id)
    require(actor, Action.RELATIONSHIP_DECLARE, declarer)
    person = get_or_404(User.objects.filter(is_active=True), pk=person_id)
    errors = []
    if not reason.strip():
        errors.append(FieldError("reason", "relationship.reason_required"))
    if declarer.pk == person.pk:
        errors.append(FieldError("person_id", "relationship.not_self"))
    if errors:
        raise ValidationFailed(errors)
    before = DeclaredRelationship.objects.filter(declarer=declarer, person=person).values("reason").first()
    declaration, _created = DeclaredRelationship.objects.update_or_create(
        declarer=declarer, person=person, defaults={"reason": reason.strip()[:200], "declared_at": timezone.now()})
    audit_record(actor=actor, action="certification.relationship.declared", target=declaration, old=before,
                 new={"declarer": declarer.pk, "person": person.pk, "reason": declaration.reason})
    return declaration


__all__ = [
    "BatchData", "batch_cancel", "batch_close", "batch_create", "batch_open", "batch_part_set",
    "new_seed", "registration_submit", "registration_withdraw", "registrations_approve", "registrations_reject",
    "relationship_declare", "room_add", "seats_allocate", "staff_assign", "staff_remove",
]
