"""Access to certification's objects: each function loads one object, checks the caller's right through
`accounts.permissions` (certification.permissions), and locks it when asked (DESIGN.md "Layout": access.py). The
API, the pages and the services call these; nobody else looks these objects up and checks rights by hand.

- `require_catalogue_view(user)`: anyone signed in (and scripts); 401/403 otherwise.
- `require_catalogue_manage(user)`: the platform admin (and scripts); 403 otherwise.
- `access_occupation(user, occupation_id, *, manage=False, lock=False)` → the occupation: 404 when missing; the
  right to read (or, with `manage`, to edit) the catalogue; `lock` locks its row (inside the caller's transaction).
- `access_person_levels(user, person_id)` → the person whose levels the caller reads: 404 for an unknown person or
  one of a unit the caller does not see (the engine's NotFound), 403 when seen but not allowed.
- `access_person_for_recording(user, person_id)` → the person to whom the caller records a level by hand.
- `access_held_level_for_withdrawal(user, held_id, *, lock=False)` → a level recorded by hand, to withdraw.
- `access_person_for_eligibility(user, person_id)` → the person whose eligibility the caller checks: the right to
  check, then the right to read the person's levels (the explanation shows them).
- `access_bank(user, occupation_id, level, *, manage=False)` → the `BankRef` of one occupation and level: 404 for
  an unknown occupation or a level it is not certified at; `BANK_VIEW` (counts, blueprint) or `BANK_MANAGE`.
- `access_question(user, question_id, *, lock=False)` → a question, with `BANK_MANAGE` (its text and answers).
- `access_paper(user, paper_id)` → a stored paper, with `BANK_MANAGE` (it shows the questions and answers).
- `access_enterprise_appointments(user, unit_id, *, manage=False)` → the unit whose appointments the caller reads
  (`APPOINTMENT_VIEW`) or records (`APPOINTMENT_MANAGE`): 404 for an unknown unit or one the caller does not see.
- `access_appointment(user, appointment_id, *, manage=False, lock=False)` → one appointment (with its evidence):
  404 when missing or of an enterprise the caller has no role in (even when the person is their member too).
- `access_person_for_appointment(user, enterprise, person_id)` → the person to appoint: 404 for a person the
  caller may not see (the rule then asks whether they are the enterprise's member).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet

from accounts.actors import SYSTEM
from accounts.models import Membership, Organization, User
from accounts.permissions import can, require
from certification.domain.batches import CandidateFacts, DutyKind, StaffFacts, recusal_reason
from certification.models import (
    Appointment,
    Batch,
    BatchPart,
    BatchStatus,
    Certificate,
    DeclaredRelationship,
    Duty,
    EvaluationKind,
    ExamPolicy,
    HeldLevel,
    Objection,
    Occupation,
    OccupationLevel,
    Paper,
    PartKind,
    Question,
    Registration,
    Regrade,
    Room,
    Seat,
    Sitting,
    StaffAssignment,
)
from certification.permissions import Action
from core import sql
from core.errors import NotAuthenticated, NotFound, PermissionDenied
from core.lookup import get_or_404


def require_catalogue_view(user: Any) -> None:
    require(user, Action.CATALOGUE_VIEW)


def require_catalogue_manage(user: Any) -> None:
    require(user, Action.CATALOGUE_MANAGE)


def access_occupation(user: Any, occupation_id: int, *, manage: bool = False, lock: bool = False) -> Occupation:
    require(user, Action.CATALOGUE_MANAGE if manage else Action.CATALOGUE_VIEW)
    queryset = Occupation.objects.select_for_update() if lock else Occupation.objects.all()
    return get_or_404(queryset, pk=occupation_id)


def _person(person_id: int) -> User:
    return get_or_404(User.objects.filter(is_active=True).prefetch_related("memberships"), pk=person_id)


def access_person_levels(user: Any, person_id: int) -> User:
    person = _person(person_id)
    require(user, Action.LEVEL_VIEW, person)
    return person


def access_person_for_recording(user: Any, person_id: int) -> User:
    person = _person(person_id)
    require(user, Action.LEVEL_RECORD, person)
    return person


def access_held_level_for_withdrawal(user: Any, held_id: int, *, lock: bool = False) -> HeldLevel:
    queryset = HeldLevel.objects.select_related("occupation", "person")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    held = get_or_404(queryset, pk=held_id)
    require(user, Action.LEVEL_RECORD, held.person)
    return held


def access_person_for_eligibility(user: Any, person_id: int) -> User:
    require(user, Action.ELIGIBILITY_CHECK)
    person = _person(person_id)
    require(user, Action.LEVEL_VIEW, person)
    return person


@dataclass(frozen=True, slots=True)
class BankRef:
    """The bank of one occupation and level (a bank has no row of its own: certification.models)."""

    occupation: Occupation
    level: int


def require_bank_view(user: Any) -> None:
    require(user, Action.BANK_VIEW)


def require_bank_manage(user: Any) -> None:
    require(user, Action.BANK_MANAGE)


def access_bank(user: Any, occupation_id: int, level: int, *, manage: bool = False) -> BankRef:
    require(user, Action.BANK_MANAGE if manage else Action.BANK_VIEW)
    found = get_or_404(OccupationLevel.objects.select_related("occupation"), occupation_id=occupation_id,
                       level=level)
    return BankRef(found.occupation, found.level)


def access_question(user: Any, question_id: int, *, lock: bool = False) -> Question:
    require(user, Action.BANK_MANAGE)
    queryset = Question.objects.select_related("occupation")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    return get_or_404(queryset, pk=question_id)


def access_paper(user: Any, paper_id: int) -> Paper:
    require(user, Action.BANK_MANAGE)
    return get_or_404(Paper.objects.select_related("occupation"), pk=paper_id)


# --- exam batches (issue 12 item 4) --------------------------------------------------------------------------------
# - `access_batch(user, batch_id, *, manage=False, lock=False)`: the body's view of a batch (`BATCH_VIEW`) or the
#   right to plan it (`BATCH_MANAGE`); other units' batches are invisible (404).
# - `access_batch_for_review(user, batch_id, *, lock=False)`: review and seats (`REGISTRATION_REVIEW`).
# - `access_batch_announced(user, batch_id)`: a batch as its notice shows it to anyone signed in: open or closed
#   for registration (not in planning, not cancelled), else 404 unless the caller may view the body's batch.
# - `access_unit_for_registration(user, unit_id)`: a unit whose people the caller registers (`REGISTRATION_SUBMIT`).
# - `access_registration(user, registration_id, *, lock=False)`: the candidate, the registering unit's staff, the
#   body's staff (`REGISTRATION_VIEW`); `access_registration_for_review`: the body's staff.
# - `access_ticket(user, token)`: the registration a ticket's QR names, for the door staff of its batch's body.

def _batches() -> QuerySet[Batch]:
    return Batch.objects.select_related("body", "occupation")


def access_batch(user: Any, batch_id: int, *, manage: bool = False, lock: bool = False) -> Batch:
    queryset = _batches()
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    batch = get_or_404(queryset, pk=batch_id)
    require(user, Action.BATCH_MANAGE if manage else Action.BATCH_VIEW, batch)
    return batch


def access_batch_for_review(user: Any, batch_id: int, *, lock: bool = False) -> Batch:
    queryset = _batches()
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    batch = get_or_404(queryset, pk=batch_id)
    require(user, Action.REGISTRATION_REVIEW, batch)
    return batch


def access_batch_announced(user: Any, batch_id: int) -> Batch:
    if user is None or not (user is SYSTEM or getattr(user, "is_authenticated", False)):
        raise NotAuthenticated("not_authenticated")
    batch = get_or_404(_batches(), pk=batch_id)
    if batch.status in (BatchStatus.OPEN, BatchStatus.CLOSED) or can(user, Action.BATCH_VIEW, batch):
        return batch
    raise NotFound()


def access_unit_for_registration(user: Any, unit_id: int) -> Organization:
    unit = get_or_404(Organization.objects.all(), pk=unit_id)
    require(user, Action.REGISTRATION_SUBMIT, unit)
    return unit


def _registrations(lock: bool) -> QuerySet[Registration]:
    queryset = Registration.objects.select_related("batch", "batch__body", "batch__occupation", "candidate", "unit")
    return queryset.select_for_update(of=("self",)) if lock else queryset


def access_registration(user: Any, registration_id: int, *, lock: bool = False) -> Registration:
    registration = get_or_404(_registrations(lock), pk=registration_id)
    require(user, Action.REGISTRATION_VIEW, registration)
    return registration


def access_registration_for_photo(user: Any, registration_id: int, *, lock: bool = False) -> Registration:
    """A registration whose ID photo the caller may set: whoever may register the candidate, as
    `REGISTRATION_SUBMIT` says (certification.services.registration_photos); 404 when they do not see it."""
    registration = get_or_404(_registrations(lock), pk=registration_id)
    require(user, Action.REGISTRATION_VIEW, registration)
    require(user, Action.REGISTRATION_SUBMIT, registration)
    return registration


def access_registration_for_review(user: Any, registration_id: int, *, lock: bool = False) -> Registration:
    registration = get_or_404(_registrations(lock), pk=registration_id)
    require(user, Action.REGISTRATION_REVIEW, registration.batch)
    return registration


def access_ticket(user: Any, token: str) -> Registration:
    registration = get_or_404(_registrations(False), ticket_token=token)
    require(user, Action.TICKET_VERIFY, registration.batch)
    return registration
def access_enterprise_appointments(user: Any, unit_id: int, *, manage: bool = False) -> Organization:
    unit = get_or_404(Organization.objects.all(), pk=unit_id)
    require(user, Action.APPOINTMENT_VIEW, unit)  # 404 for a unit the caller does not see; 403 below for a reader
    if manage and not can(user, Action.APPOINTMENT_MANAGE, unit):
        raise PermissionDenied()
    return unit


def access_appointment(user: Any, appointment_id: int, *, manage: bool = False, lock: bool = False) -> Appointment:
    queryset = Appointment.objects.select_related("person", "occupation", "enterprise")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    appointment = get_or_404(queryset, pk=appointment_id)
    require(user, Action.APPOINTMENT_VIEW, appointment)  # 404 across enterprises
    if manage and not can(user, Action.APPOINTMENT_MANAGE, appointment):
        # The person and organizer staff read it (so 403, not 404), but only the enterprise's HR manages it.
        raise PermissionDenied()
    return appointment


def access_person_for_appointment(user: Any, person_id: int) -> User:
    person = _person(person_id)
    require(user, Action.LEVEL_VIEW, person)
    return person


# --- practical assessment and results (issue 12 items 8–9) ---------------------------------------------------------
# - `access_scoring(user, registration_id, part_kind, *, lock=False)` → `ScoringTarget`: the candidate as one
#   assessor on duty scores them: `PRACTICAL_SCORE`, then the caller's duty in the room of the candidate's seat
#   (practical: an assessor of that room; review: a reviewer of that room or of the whole part), not recused from
#   this candidate (certification.domain.batches.recusal_reason, checked again at scoring: a relationship may be
#   declared after seating). No duty, no seat, or recused: 404, one neutral answer that names no reason.
# - `access_assessor_part(user, part_id)` → (part, the caller's duty): the tablet page of an assessor on duty.
# - `access_batch_for_chief(user, batch_id)`: Role.CHIEF_ASSESSOR on duty in any part of the batch; else 404.
# - `access_batch_results(user, batch_id, *, manage=False, lock=False)`: the body's view (`BATCH_VIEW`) or its
#   management of results (`RESULTS_MANAGE`).
# - `access_registration_for_objection(user, registration_id)`: the candidate themselves (`OBJECTION_FILE`).
# - `access_objection(user, objection_id, *, lock=False)`: the body's staff answering it (`RESULTS_MANAGE`).

SCORED_PARTS = ("practical", "review")


@dataclass(frozen=True, slots=True)
class ScoringTarget:
    registration: Registration
    part: BatchPart
    duty: StaffAssignment
    panel: tuple[int, ...]  # the person ids on this candidate's panel, in duty order, recused ones left out
    seat: Seat | None = None  # the candidate's seat in the part, with its room


def staff_facts(assignments: list[StaffAssignment]) -> dict[int, StaffFacts]:
    """What recusal needs to know of each person on duty (their units, the people they declared a relationship
    with), keyed by person: two queries whatever the number of duties. Seat allocation and scoring both ask it."""
    people = [a.person_id for a in assignments]
    units: dict[int, set[int]] = {}
    for user_id, unit in Membership.objects.filter(user_id__in=people, organization__isnull=False).values_list(
            "user_id", "organization_id"):
        units.setdefault(user_id, set()).add(unit)
    related: dict[int, set[int]] = {}
    for declarer, person in DeclaredRelationship.objects.filter(declarer_id__in=people).values_list(
            "declarer_id", "person_id"):
        related.setdefault(declarer, set()).add(person)
    return {a.person_id: StaffFacts(a.person_id, DutyKind(a.duty), frozenset(units.get(a.person_id, ())),
                                    frozenset(related.get(a.person_id, ()))) for a in assignments}


def _room_duties(part: BatchPart, room_id: int) -> list[StaffAssignment]:
    """Every duty of a candidate's room in a scored part (for the review, also the whole part's panel), in the
    order they were put on duty; invigilators included."""
    return list(StaffAssignment.objects.filter(part=part).filter(
        Q(room_id=room_id) | Q(room__isnull=True, duty=Duty.REVIEWER)).order_by("pk"))


def candidate_panel(registration: Registration, part: BatchPart, room_id: int) -> tuple[int, ...]:
    """The panel of one candidate in a scored part: the duty holders of the candidate's room (for the review, also
    the panel of the whole part), in the order they were put on duty, without those recused from the candidate."""
    return _panel(registration, [a for a in _room_duties(part, room_id) if a.duty != Duty.INVIGILATOR])


def _panel(registration: Registration, assignments: list[StaffAssignment]) -> tuple[int, ...]:
    facts = staff_facts(assignments)
    candidate = CandidateFacts(registration.pk, registration.candidate_id, registration.unit_id)
    social = registration.batch.evaluation_kind == EvaluationKind.SOCIAL
    return tuple(a.person_id for a in assignments
                 if recusal_reason(facts[a.person_id], candidate, social=social) is None)


def access_scoring(user: Any, registration_id: int, part_kind: str, *, lock: bool = False) -> ScoringTarget:
    require(user, Action.PRACTICAL_SCORE)
    if part_kind not in SCORED_PARTS:
        raise NotFound()
    registration = get_or_404(_registrations(lock), pk=registration_id)
    seat = Seat.objects.select_related("part", "room").filter(registration=registration, part__kind=part_kind).first()
    if seat is None:
        raise NotFound()
    # One read of the room's duties gives both the caller's duty and the candidate's panel (candidate_panel).
    duties = _room_duties(seat.part, seat.room_id)
    duty = next((a for a in duties if a.person_id == user.pk), None)
    if duty is None or duty.duty == Duty.INVIGILATOR:
        raise NotFound()
    panel = _panel(registration, [a for a in duties if a.duty != Duty.INVIGILATOR])
    if user.pk not in panel:
        raise NotFound()  # recused: refused without naming why
    return ScoringTarget(registration, seat.part, duty, panel, seat)


def access_assessor_part(user: Any, part_id: int) -> tuple[BatchPart, StaffAssignment]:
    require(user, Action.PRACTICAL_SCORE)
    part = get_or_404(BatchPart.objects.select_related("batch", "batch__occupation", "batch__body"), pk=part_id,
                      kind__in=SCORED_PARTS)
    duty = StaffAssignment.objects.filter(part=part, person_id=user.pk).exclude(duty=Duty.INVIGILATOR).first()
    if duty is None:
        raise NotFound()
    return part, duty


def access_batch_for_chief(user: Any, batch_id: int) -> Batch:
    require(user, Action.PRACTICAL_CONFIRM)
    batch = get_or_404(_batches(), pk=batch_id)
    if not StaffAssignment.objects.filter(part__batch=batch, person_id=user.pk).exists():
        raise NotFound()
    return batch


def access_batch_results(user: Any, batch_id: int, *, manage: bool = False, lock: bool = False) -> Batch:
    batch = access_batch(user, batch_id, lock=lock)  # 404 for another unit's batch
    if manage:
        require(user, Action.RESULTS_MANAGE, batch)
    return batch


def access_registration_for_objection(user: Any, registration_id: int) -> Registration:
    registration = get_or_404(_registrations(False), pk=registration_id)
    require(user, Action.OBJECTION_FILE, registration)
    return registration


def access_objection(user: Any, objection_id: int, *, lock: bool = False) -> Objection:
    queryset = Objection.objects.select_related("registration", "registration__batch", "registration__candidate")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    objection = get_or_404(queryset, pk=objection_id)
    require(user, Action.RESULTS_MANAGE, objection)
    return objection


def access_batch_part_results(user: Any, part_id: int) -> BatchPart:
    """A scored part of a batch the caller may view (the body's staff, organizer staff, the admin)."""
    part = get_or_404(BatchPart.objects.select_related("batch"), pk=part_id, kind__in=SCORED_PARTS)
    access_batch(user, part.batch_id)
    return part

# --- the online theory exam (issue 12 item 7) ----------------------------------------------------------------------
# - `access_registration_for_exam(user, registration_id, *, lock=False)`: the candidate's own registration
#   (`EXAM_SIT`, own); anyone else's is invisible (404) even to the body's staff, who watch the room instead.
# - `access_sitting_for_candidate(user, sitting_id, *, lock=False)`: the candidate's own sitting, loaded with its
#   part and policy in one query (the answer hot path); 404 for anyone else.
# - `access_room_for_invigilation(user, room_id)`: a theory room, for the body's staff and the admin, or for an
#   assessor of the body assigned to that room as its invigilator (the composed rule); 404 across units.
# - `access_sitting_for_invigilation(user, sitting_id, *, lock=False)`: a sitting of a room the caller invigilates.

def access_registration_for_exam(user: Any, registration_id: int, *, lock: bool = False) -> Registration:
    registration = get_or_404(_registrations(lock), pk=registration_id)
    if not can(user, Action.EXAM_SIT, registration):
        raise NotFound()
    return registration


def _sittings(lock: bool) -> QuerySet[Sitting]:
    queryset = Sitting.objects.select_related("part", "part__exam_policy")
    return queryset.select_for_update(of=("self",)) if lock else queryset


_SITTING_COLUMNS = sql.Columns(Sitting, "s")
_SITTING_PART_COLUMNS = sql.Columns(BatchPart, "p")
_SITTING_POLICY_COLUMNS = sql.Columns(ExamPolicy, "x")
_POLICY_PART = ExamPolicy._meta.get_field("part")


def _sitting_with_part(sitting_id: int, *, lock: bool) -> Sitting:
    """The sitting with its part and the part's policy (None without a row), as `_sittings(lock)` reads them, in
    one statement written once (core.sql): every answer a candidate saves starts here, and composing the query
    with the ORM cost more CPU than PostgreSQL took to run it. With `lock`, the sitting's row only is locked."""
    if not 0 < sitting_id < 2**63:
        raise NotFound()
    locking = " FOR UPDATE OF s" if lock and connection.features.has_select_for_update_of else ""
    statement = (
        f"SELECT {_SITTING_COLUMNS.sql()}, {_SITTING_PART_COLUMNS.sql()}, {_SITTING_POLICY_COLUMNS.sql()} "  # noqa: S608
        f"FROM {sql.table(Sitting)} s INNER JOIN {sql.table(BatchPart)} p ON p.id = s.part_id "
        f"LEFT JOIN {sql.table(ExamPolicy)} x ON x.part_id = p.id WHERE s.id = %s{locking}"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [sitting_id])
        row = cursor.fetchone()
    if row is None:
        raise NotFound()
    sitting = _SITTING_COLUMNS.load(row)
    sitting.part = part = _SITTING_PART_COLUMNS.load(row, _SITTING_COLUMNS.width)
    at = _SITTING_COLUMNS.width + _SITTING_PART_COLUMNS.width
    policy = None if row[at] is None else _SITTING_POLICY_COLUMNS.load(row, at)
    _POLICY_PART.remote_field.set_cached_value(part, policy)  # part.exam_policy, as select_related caches it
    if policy is not None:
        _POLICY_PART.set_cached_value(policy, part)
    return sitting


def access_sitting_for_candidate(user: Any, sitting_id: int, *, lock: bool = False) -> Sitting:
    sitting = _sitting_with_part(sitting_id, lock=lock)
    if not can(user, Action.EXAM_SIT, sitting):
        raise NotFound()
    return sitting


def _invigilates(user: Any, room: Room) -> None:
    require(user, Action.EXAM_INVIGILATE, room.part.batch)
    if user is SYSTEM or can(user, Action.BATCH_VIEW, room.part.batch):
        return
    # An assessor of the body sees only the rooms they are assigned to as invigilator.
    if not StaffAssignment.objects.filter(room=room, person=user, duty=Duty.INVIGILATOR).exists():
        raise NotFound()


def access_room_for_invigilation(user: Any, room_id: int) -> Room:
    room = get_or_404(Room.objects.select_related("part", "part__batch", "part__batch__occupation"),
                      pk=room_id, part__kind=PartKind.THEORY)
    _invigilates(user, room)
    return room


def access_sitting_for_invigilation(user: Any, sitting_id: int, *, lock: bool = False) -> Sitting:
    sitting = get_or_404(_sittings(lock).select_related("room", "room__part", "room__part__batch", "candidate"),
                         pk=sitting_id)
    _invigilates(user, sitting.room)
    return sitting


# --- the exam policy and regrade pages (issue 12, follow-ups) --------------------------------------------------------
# - `access_theory_part(user, part_id, *, manage=False)`: a batch's theory part with its policy, for the body's
#   staff (`BATCH_VIEW`; with `manage`, `BATCH_MANAGE`, who set the policy); 404 across units.
# - `access_regrade(user, regrade_id)`: a regrade with its changes, for whoever may regrade (`EXAM_REGRADE`).

def access_theory_part(user: Any, part_id: int, *, manage: bool = False) -> BatchPart:
    part = get_or_404(BatchPart.objects.select_related("batch", "exam_policy"), pk=part_id, kind=PartKind.THEORY)
    access_batch(user, part.batch_id, manage=manage)
    return part


def access_regrade(user: Any, regrade_id: int) -> Regrade:
    require(user, Action.EXAM_REGRADE)
    return get_or_404(Regrade.objects.select_related("old_version"), pk=regrade_id)
# --- certificates (issue 13) ---------------------------------------------------------------------------------------
# - `access_batch_for_certificates(user, batch_id, *, issue=False, lock=False)`: a batch whose certificates the
#   caller reads (`BATCH_VIEW`: the body's staff, organizer staff, the admin; 404 across bodies) or, with `issue`,
#   issues (`CERTIFICATE_ISSUE`: the body's exam-center staff).
# - `access_certificate(user, certificate_id, *, manage=False, lock=False)`: one certificate (`CERTIFICATE_VIEW`,
#   404 across bodies); with `manage`, the right to revoke or re-issue it, which is the right that issued it (the
#   action of its source, certification.permissions).
# - `access_certificate_by_number(user, number)`: the same, found by its (validated) number.
# - `access_issuer(user, action, unit_id)`: the unit issuing a promotion's or an appointment's certificate.
# - `access_body_certificates(user, unit_id)`: a body whose certificates the caller lists (`CERTIFICATE_VIEW`).
# - `access_filing_unit(user, unit_id, *, manage=False)`: the body whose filing codes the caller reads or sets.

def access_batch_for_certificates(user: Any, batch_id: int, *, issue: bool = False, lock: bool = False) -> Batch:
    batch = access_batch(user, batch_id, lock=lock)  # 404 for another body's batch
    if issue and not can(user, Action.CERTIFICATE_ISSUE, batch):
        raise PermissionDenied()  # organizer staff and the admin see the batch but do not issue
    return batch


def certificate_manage_action(source: str) -> Action:
    """The right that issues, revokes and re-issues a certificate of this source."""
    return {"registration": Action.CERTIFICATE_ISSUE, "promotion": Action.CERTIFICATE_ISSUE_PROMOTION,
            "appointment": Action.CERTIFICATE_ISSUE_APPOINTMENT}[source]


def access_certificate(user: Any, certificate_id: int, *, manage: bool = False, lock: bool = False) -> Certificate:
    queryset = Certificate.objects.select_related("body", "holder", "occupation", "superseded_by")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    certificate = get_or_404(queryset, pk=certificate_id)
    require(user, Action.CERTIFICATE_VIEW, certificate)  # 404 across bodies
    if manage and not can(user, certificate_manage_action(certificate.source), certificate):
        raise PermissionDenied()  # the holder and overseers read it, only the issuing body changes it
    return certificate


def access_certificate_by_number(user: Any, number: str) -> Certificate:
    """A certificate by its number (already validated and normalised), with `CERTIFICATE_VIEW`; 404 otherwise."""
    certificate = get_or_404(Certificate.objects.select_related("body", "holder"), number=number)
    require(user, Action.CERTIFICATE_VIEW, certificate)
    return certificate


def access_issuer(user: Any, action: Action, unit_id: int) -> Organization:
    unit = get_or_404(Organization.objects.all(), pk=unit_id)
    require(user, action, unit)
    return unit


def access_body_certificates(user: Any, unit_id: int) -> Organization:
    """A body whose issued certificates the caller lists (its staff, organizer staff, the admin)."""
    unit = get_or_404(Organization.objects.all(), pk=unit_id)
    require(user, Action.CERTIFICATE_VIEW, unit)
    return unit


def access_filing_unit(user: Any, unit_id: int, *, manage: bool = False) -> Organization:
    unit = get_or_404(Organization.objects.all(), pk=unit_id)
    require(user, Action.FILING_MANAGE if manage else Action.FILING_VIEW, unit)
    return unit


def access_bodies(user: Any) -> list[Organization]:
    """The certificate-issuing bodies whose certificates and filing codes the caller may see (certpages' bodies
    page): the admin and organizer staff every one, a body's staff or HR their own; 403 for someone who may see
    no body's filing codes (`FILING_VIEW` on nothing), so the page is never an empty list of everything hidden."""
    from certification.selectors.bodies import issuing_bodies

    require(user, Action.FILING_VIEW)
    return [unit for unit in issuing_bodies() if can(user, Action.FILING_VIEW, unit)]


def require_bulk_verification(user: Any) -> None:
    """The right to the bulk verification API (certification.permissions.VerifyAction): 401/403 otherwise."""
    from certification.permissions import VerifyAction

    require(user, VerifyAction.CERTIFICATE_VERIFY_BULK)
