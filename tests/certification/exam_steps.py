"""Steps of the theory-exam tests: a 焊工 四级 batch whose theory part starts now, a bank of 7 questions per
paper (5 single choice, 1 multiple choice, 1 true/false), and seated candidates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from accounts.actors import SYSTEM
from accounts.models import Organization, User
from certification import services
from certification.domain.papers import Blueprint, Cell, Kind
from certification.models import Batch, PaperItem, Registration, Sitting
from certification.services import batches as batch_services
from certification.services import exam
from tests.certification.bank_steps import multiple, single, true_false
from tests.certification.batch_steps import part, planned_batch, register, workers

POINTS = {Kind.SINGLE: 1, Kind.MULTIPLE: 2, Kind.TRUE_FALSE: 1}


def bank(occupation_id: int, extra: int = 3) -> None:
    """A bank that can fill the blueprint more than once (so a second paper can avoid the first's questions)."""
    for n in range(5 + extra):
        services.question_create(actor=SYSTEM, occupation_id=occupation_id, level=4, content=single(n))
    for n in range(1 + extra):
        services.question_create(actor=SYSTEM, occupation_id=occupation_id, level=4, content=multiple(n))
        services.question_create(actor=SYSTEM, occupation_id=occupation_id, level=4, content=true_false(n))
    services.blueprint_set(actor=SYSTEM, occupation_id=occupation_id, level=4, blueprint=Blueprint(
        (Cell("A-B", Kind.SINGLE, 3, 5), Cell("A-B", Kind.MULTIPLE, 2, 1), Cell("A-B", Kind.TRUE_FALSE, 1, 1)),
        POINTS))


@dataclass(frozen=True)
class ExamWorld:
    batch: Batch
    candidates: list[User]
    registrations: list[Registration]


def exam_world(staff: User, body: Organization, unit: Organization, n: int = 3,
               invigilators: list[User] | None = None, starts_at: datetime | None = None) -> ExamWorld:
    """A batch planned, registered, approved, closed and seated, whose theory part starts now (a minute ago)."""
    batch = planned_batch(staff, body, invigilators=invigilators)
    bank(batch.occupation_id)
    people = workers(unit, n)
    ids = register(batch, people, unit)
    batch_services.registrations_approve(actor=staff, batch_id=batch.pk, registration_ids=ids)
    batch_services.batch_close(actor=staff, batch_id=batch.pk)
    batch_services.seats_allocate(actor=staff, batch_id=batch.pk, seed=3)
    start = starts_at or timezone.now() - timedelta(minutes=1)
    batch_services.batch_part_set(actor=staff, batch_id=batch.pk, kind="theory", starts_at=start,
                                  ends_at=start + timedelta(minutes=90))
    return ExamWorld(batch, people, list(Registration.objects.filter(pk__in=ids).order_by("pk")))


def open_sitting(world: ExamWorld, i: int = 0, key: str = "session-key-0001", device: str = "Chrome 手机") -> Sitting:
    return exam.sitting_open(actor=world.candidates[i], registration_id=world.registrations[i].pk,
                             session_key=key, device=device)


def correct_displayed(sitting: Sitting, position: int) -> tuple[int, ...]:
    """The displayed option indexes of the right answer of item `position` (what a candidate who knows clicks)."""
    item = PaperItem.objects.select_related("version").get(paper=sitting.paper, position=position + 1)
    return tuple(sorted(item.option_order.index(c) for c in item.version.answer))


def wrong_displayed(sitting: Sitting, position: int) -> tuple[int, ...]:
    item = PaperItem.objects.select_related("version").get(paper=sitting.paper, position=position + 1)
    wrong = next(c for c in range(len(item.option_order)) if c not in item.version.answer)
    return (item.option_order.index(wrong),)


def answer(position: int, choices: tuple[int, ...], seq: int, at: datetime | None = None) -> exam.AnswerIn:
    return exam.AnswerIn(position, choices, seq, at or timezone.now())


def age(sitting: Sitting, minutes: float) -> None:
    """Time passes: the sitting (and its last contact) moved `minutes` into the past, as if it started then (the
    tests have no clock to turn; every rule reads the stored instants)."""
    delta = timedelta(minutes=minutes)
    Sitting.objects.filter(pk=sitting.pk).update(started_at=sitting.started_at - delta,
                                                 session_opened_at=sitting.session_opened_at - delta,
                                                 last_seen_at=timezone.now())
    sitting.refresh_from_db()


def theory(world: ExamWorld):  # type: ignore[no-untyped-def]
    return part(world.batch, "theory")


def invigilator(world: ExamWorld) -> User:
    """One of the theory room's invigilators (an assessor of the body, assigned to the room)."""
    from certification.models import StaffAssignment

    return StaffAssignment.objects.filter(part=theory(world), duty="invigilator").select_related("person")[0].person
