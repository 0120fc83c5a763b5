"""Steps for practical assessment and results tests: a 焊工 四级 batch with seated candidates, a panel of three
assessors in the practical group, a chief assessor on duty (invigilating the theory), and a two-item sheet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from uuid import uuid4

from django.utils import timezone

from accounts.models import Organization, Role, User
from certification.domain.ladder import SkillLevel
from certification.models import Batch, BatchPart, Registration
from certification.services import batches as batch_services
from certification.services import practical as services
from certification.services import results as result_services
from tests.accounts.factories import person
from tests.certification.batch_steps import assessors, part, planned_batch, register, workers
from tests.certification.factories import held, occupation

SHEET = services.SheetIn(items=[
    services.SheetItemIn("A1", "焊缝外观", Decimal(40), tolerance=Decimal(5)),
    services.SheetItemIn("A2", "焊缝内部质量", Decimal(60)),  # tolerance: 20 % of 60 = 12
])


@dataclass
class Sitting:
    batch: Batch
    practical: BatchPart
    panel: list[User]
    chief: User
    registrations: list[Registration]


def seated_sitting(staff: User, body: Organization, unit: Organization, n: int = 2) -> Sitting:
    panel = assessors(body, 3)
    batch = planned_batch(staff, body, panel=panel, open_it=False)
    chief = person(Role.CHIEF_ASSESSOR, body, username=f"chief_{body.pk}")
    theory = part(batch, "theory")
    batch_services.staff_assign(actor=staff, part_id=theory.pk, room_id=theory.rooms.get().pk, person_id=chief.pk)
    batch_services.batch_open(actor=staff, batch_id=batch.pk)
    ids = register(batch, workers(unit, n), unit)
    batch_services.registrations_approve(actor=staff, batch_id=batch.pk, registration_ids=ids)
    batch_services.batch_close(actor=staff, batch_id=batch.pk)
    batch_services.seats_allocate(actor=staff, batch_id=batch.pk, seed=1)
    practical = part(batch, "practical")
    services.sheet_set(actor=staff, part_id=practical.pk, data=SHEET)
    return Sitting(batch, practical, panel, chief,
                   list(Registration.objects.filter(batch=batch).order_by("ticket_no")))


def score(assessor: User, registration: Registration, item: str, value: str, reason: str = "",
          part_kind: str = "practical") -> services.ScoreView:
    return services.score_record(assessor=assessor, registration_id=registration.pk, part_kind=part_kind,
                                 item_code=item, value=Decimal(value), idempotency_key=uuid4(), reason=reason)


def score_all(sitting: Sitting, registration: Registration, a1: tuple[str, str, str] = ("30", "30", "30"),
              a2: tuple[str, str, str] = ("45", "45", "45")) -> None:
    for assessor, v1, v2 in zip(sitting.panel, a1, a2, strict=True):
        score(assessor, registration, "A1", v1)
        score(assessor, registration, "A2", v2)


def theory(staff: User, registration: Registration, value: str, reason: str = "") -> None:
    result_services.part_result_record(actor=staff, registration_id=registration.pk, data=result_services.PartResultIn(
        "theory", Decimal(value), reason=reason))




REVIEW_SHEET = services.SheetIn(items=[
    services.SheetItemIn("defence", "答辩", Decimal(60)),
    services.SheetItemIn("work_record", "业绩评审", Decimal(40)),
])


@dataclass
class ReviewSitting:
    batch: Batch
    review: BatchPart
    reviewers: list[User]
    registration: Registration


def seated_review_sitting(staff: User, body: Organization, unit: Organization) -> ReviewSitting:
    """A 焊工 二级 (技师) batch with theory, practical and the comprehensive review, one candidate who holds 三级,
    three assessors in the practical group and three reviewers serving the whole review part."""
    welder = occupation()
    today = timezone.localdate()
    batch = batch_services.batch_create(actor=staff, data=batch_services.BatchData(
        body.pk, welder.pk, 2, "2026 年焊工技师", today, today + timedelta(days=10)))
    start = timezone.now() + timedelta(days=20)
    parts = {}
    for n, (kind, minutes) in enumerate((("theory", 90), ("practical", 120), ("review", 40))):
        parts[kind] = batch_services.batch_part_set(actor=staff, batch_id=batch.pk, kind=kind,
                                                    starts_at=start + timedelta(hours=3 * n),
                                                    ends_at=start + timedelta(hours=3 * n, minutes=minutes))
    theory_room = batch_services.room_add(actor=staff, part_id=parts["theory"].pk, name="第一考场", seats=30)
    shop = batch_services.room_add(actor=staff, part_id=parts["practical"].pk, name="车间", seats=10)
    hall = batch_services.room_add(actor=staff, part_id=parts["review"].pk, name="评审室", seats=10)
    for p in assessors(body, 2, "inv"):
        batch_services.staff_assign(actor=staff, part_id=parts["theory"].pk, room_id=theory_room.pk, person_id=p.pk)
    for p in assessors(body, 3, "prac"):
        batch_services.staff_assign(actor=staff, part_id=parts["practical"].pk, room_id=shop.pk, person_id=p.pk)
    reviewers = assessors(body, 3, "rev")
    for p in reviewers:
        batch_services.staff_assign(actor=staff, part_id=parts["review"].pk, person_id=p.pk)
    assert hall.pk
    batch_services.batch_open(actor=staff, batch_id=batch.pk)
    worker = workers(unit, 1, "senior")[0]
    held(worker.pk, welder, SkillLevel.THREE, date(2015, 1, 1))
    ids = register(batch, [worker], unit)
    batch_services.registrations_approve(actor=staff, batch_id=batch.pk, registration_ids=ids)
    batch_services.batch_close(actor=staff, batch_id=batch.pk)
    batch_services.seats_allocate(actor=staff, batch_id=batch.pk, seed=3)
    services.sheet_set(actor=staff, part_id=parts["practical"].pk, data=SHEET)
    services.sheet_set(actor=staff, part_id=parts["review"].pk, data=REVIEW_SHEET)
    return ReviewSitting(batch, parts["review"], reviewers, Registration.objects.get(pk=ids[0]))


def practical_panel(batch: Batch) -> list[User]:
    return [s.person for s in BatchPart.objects.get(batch=batch, kind="practical").staff.order_by("pk")]
