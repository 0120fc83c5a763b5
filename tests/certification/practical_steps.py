"""Steps for practical assessment and results tests: a 焊工 四级 batch with seated candidates, a panel of three
assessors in the practical group, a chief assessor on duty (invigilating the theory), and a two-item sheet."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from uuid import uuid4

from accounts.actors import SYSTEM
from accounts.models import Organization, Role, User
from certification.models import Batch, BatchPart, Registration
from certification.services import batches as batch_services
from certification.services import practical as services
from certification.services import results as result_services
from tests.accounts.factories import person
from tests.certification.batch_steps import assessors, part, planned_batch, register, workers

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


__all__ = ["SYSTEM", "Sitting", "seated_sitting", "score", "score_all", "theory"]
