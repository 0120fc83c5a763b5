"""A unit registers 5,000 of its people for an exam batch from Excel (issue 12 item 4: "importing 5,000
registrations under 20 s", PostgreSQL).

Scenario: an exam center's 焊工 四级 batch open for registration, planned with enough seats; an enterprise whose
5,000 workers are on the platform (members of the unit) uploads the registration sheet; every row is checked
(person, name, membership, standing registration, eligibility with held levels) and saved with its audit entry.
Timed: `certification.services.batch_import.registrations_import`, file reading included (the file is built
before the clock starts). Reference, measured in the same run on the same database inside a rolled-back
transaction: a plain bulk INSERT of the same 5,000 registration rows (no checks, no audit); the ratio is printed.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scratch python bench/batch_registration_import.py
    python bench/batch_registration_import.py --db var/bench_batches.sqlite3
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from demo_database import django_in_process  # bench/demo_database.py, beside this script

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TARGET_SECONDS = 20.0


def _setup(rows: int) -> tuple[Any, Any, Any, bytes]:
    from django.utils import timezone
    from openpyxl import Workbook

    from accounts.actors import SYSTEM
    from accounts.models import Membership, Organization, OrganizationKind, Role, User
    from accounts.synthetic import synthetic_id_number, synthetic_name
    from certification import services as cert
    from certification.domain.ladder import SkillLevel
    from certification.excel.batches import REGISTRATIONS
    from certification.models import BatchPart, Occupation, Room, StaffAssignment
    from certification.services import batches as services

    tag = uuid.uuid4().hex[:8]
    center = Organization.objects.create(name=f"考核站{tag}", kind=OrganizationKind.EXAM_CENTER, city="济南市")
    unit = Organization.objects.create(name=f"企业{tag}", kind=OrganizationKind.ENTERPRISE, city="济南市")
    hr = User.objects.create(username=f"hr_{tag}")
    Membership.objects.create(user=hr, role=Role.ENTERPRISE_HR, organization=unit)
    welder = Occupation.objects.filter(code="6-18-02-04").first() or cert.occupation_create(
        actor=SYSTEM, data=cert.OccupationData("6-18-02-04", "焊工", (SkillLevel.FOUR,)))
    today = timezone.localdate()
    batch = services.batch_create(actor=SYSTEM, data=services.BatchData(
        center.pk, welder.pk, 4, f"基准批次{tag}", today, today + timedelta(days=30)))
    start = timezone.now() + timedelta(days=40)
    # Seats are planned straight into the tables (the plan's services are not what is measured).
    for kind, offset in (("theory", 0), ("practical", 3)):
        part = BatchPart.objects.create(batch=batch, kind=kind, starts_at=start + timedelta(hours=offset),
                                        ends_at=start + timedelta(hours=offset + 2))
        room = Room.objects.create(part=part, name="大厅", seats=500)
        for i in range(3):
            person = User.objects.create(username=f"as_{kind}_{i}_{tag}")
            Membership.objects.create(user=person, role=Role.ASSESSOR, organization=center)
            StaffAssignment.objects.create(part=part, room=room, person=person, duty="invigilator"
                                           if kind == "theory" else "assessor", assigned_at=timezone.now())
    batch.status = "open"
    batch.save(update_fields=["status"])
    rng = random.Random(7)
    people, seen = [], set(User.objects.values_list("id_number", flat=True))
    while len(people) < rows:
        number = synthetic_id_number(rng, born=date(1975, 1, 1) + timedelta(days=rng.randrange(25 * 365)),
                                     male=rng.random() < 0.5)
        if number in seen:
            continue
        seen.add(number)
        people.append(User(username=f"w{len(people)}_{tag}", real_name=synthetic_name(rng), id_number=number))
    made = User.objects.bulk_create(people, batch_size=1000)
    Membership.objects.bulk_create([Membership(user=u, role=Role.CANDIDATE, organization=unit) for u in made],
                                   batch_size=1000)
    book = Workbook()
    book.remove(book.active)
    sheet = book.create_sheet(REGISTRATIONS.name)
    sheet.append([c.header for c in REGISTRATIONS.columns])
    for u in made:
        sheet.append([u.real_name, u.id_number, "6", "否", "", "高中/中专"])
    buffer = io.BytesIO()
    book.save(buffer)
    return hr, batch, unit, buffer.getvalue()


class _Rollback(Exception):
    pass


def _reference(batch: Any, unit: Any, made: list[Any]) -> float:
    from django.db import transaction

    from certification.models import Registration

    rows = [Registration(batch=batch, candidate_id=r.candidate_id, unit=unit, years_in_trade=r.years_in_trade,
                         education=r.education, eligibility=r.eligibility, submitted_at=r.submitted_at,
                         status="withdrawn") for r in made]
    started = time.perf_counter()
    elapsed = 0.0
    try:
        with transaction.atomic():
            Registration.objects.bulk_create(rows, batch_size=1000)
            elapsed = time.perf_counter() - started
            raise _Rollback
    except _Rollback:
        pass
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default=None, help="an SQLite file (made afresh); default: DATABASE_URL")
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()
    django_in_process(args.db)
    from django.db import connection

    from certification.services.batch_import import registrations_import

    hr, batch, unit, data = _setup(args.rows)
    started = time.perf_counter()
    made = registrations_import(actor=hr, batch_id=batch.pk, unit_id=unit.pk, data=data)
    took = time.perf_counter() - started
    assert len(made) == args.rows, len(made)  # noqa: S101 - a benchmark's own sanity check
    reference = _reference(batch, unit, made)
    print(f"database: {connection.vendor}; rows: {args.rows}")
    print(f"registrations_import: {took:.2f} s (target < {TARGET_SECONDS:.0f} s: "
          f"{'met' if took < TARGET_SECONDS else 'MISSED'})")
    print(f"reference, plain INSERT of the same rows: {reference:.3f} s; ratio {took / max(reference, 1e-9):.1f}×")


if __name__ == "__main__":
    main()
