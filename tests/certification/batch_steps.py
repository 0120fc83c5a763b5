"""Steps for batch tests: a 焊工 四级 batch at the exam center, planned to the ratios, and registered candidates."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import openpyxl
from django.utils import timezone

from accounts.actors import SYSTEM
from accounts.models import Organization, Role, User
from certification.models import Batch, BatchPart
from certification.selectors.batches import FactsIn
from certification.services import batches as services
from tests.accounts.factories import person
from tests.certification.factories import occupation

SIX_YEARS = FactsIn(years_in_trade=Decimal(6))


def assessors(unit: Organization, n: int, prefix: str = "assessor") -> list[User]:
    return [person(Role.ASSESSOR, unit, username=f"{prefix}_{unit.pk}_{i}") for i in range(n)]


def planned_batch(staff: User, body: Organization, *, theory_seats: int = 30, practical_seats: int = 15,
                  invigilators: list[User] | None = None, panel: list[User] | None = None,
                  open_it: bool = True) -> Batch:
    """A 焊工 四级 batch with one theory room and one practical group, staffed to the ratios, open."""
    welder = occupation()
    today = timezone.localdate()
    batch = services.batch_create(actor=staff, data=services.BatchData(
        body.pk, welder.pk, 4, "2026 年第一批焊工四级", today, today + timedelta(days=10)))
    start = timezone.now() + timedelta(days=20)
    theory = services.batch_part_set(actor=staff, batch_id=batch.pk, kind="theory", starts_at=start,
                                     ends_at=start + timedelta(minutes=90))
    practical = services.batch_part_set(actor=staff, batch_id=batch.pk, kind="practical",
                                        starts_at=start + timedelta(hours=3), ends_at=start + timedelta(hours=5))
    room = services.room_add(actor=staff, part_id=theory.pk, name="第一考场", seats=theory_seats)
    group = services.room_add(actor=staff, part_id=practical.pk, name="焊接实训车间", seats=practical_seats)
    for p in invigilators if invigilators is not None else assessors(body, 2, "invigilator"):
        services.staff_assign(actor=staff, part_id=theory.pk, room_id=room.pk, person_id=p.pk)
    for p in panel if panel is not None else assessors(body, 3):
        services.staff_assign(actor=staff, part_id=practical.pk, room_id=group.pk, person_id=p.pk)
    if open_it:
        services.batch_open(actor=staff, batch_id=batch.pk)
    return batch


def part(batch: Batch, kind: str) -> BatchPart:
    return BatchPart.objects.get(batch=batch, kind=kind)


def workers(unit: Organization, n: int, prefix: str = "w") -> list[User]:
    return [person(Role.CANDIDATE, unit, username=f"{prefix}_{unit.pk}_{i}", real_name=f"工人{unit.pk}-{i}")
            for i in range(n)]


def register(batch: Batch, people: list[User], unit: Organization | None = None) -> list[int]:
    return [services.registration_submit(actor=SYSTEM if unit else p, batch_id=batch.pk, candidate_id=p.pk,
                                         facts=SIX_YEARS, unit_id=unit.pk if unit else None).pk for p in people]


def registration_sheet(rows: list[list[object]]) -> bytes:
    """A unit's registration workbook (the 报名表 sheet, its header row, then `rows`), as the template lays it out."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "报名表"
    sheet.append(["姓名", "身份证号", "从事本职业工作年限", "完成学徒培训", "毕业院校类型", "学历"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
