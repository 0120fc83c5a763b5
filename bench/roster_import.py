"""A roster import of 2,000 contestants (issue 8 item 6: "2,000 roster rows import in under 15 s").

Scenario: an event in registration with one individual skill; an enterprise's HR imports an Excel roster of 2,000
people new to the platform (so every row creates a person, their contestant membership, an entry and its member,
each with its audit entry). Timed: `competitions.services.roster_import` as the API and the page call it, file
reading included (the file is built before the clock starts).

References, measured in the same run on the same database, each inside a transaction that is rolled back:
- a plain bulk insert of the same 2,000 people (`User.objects.bulk_create`, no checks, no audit): the floor;
- a bulk insert of every row the import wrote (people, memberships, entries, members, coaches and audit entries,
  copied from what the import left), so the ratio to it is the cost of the checks and of the per-row work;
- as many `audit_record` calls as the import made (one per person, membership and entry): the share of the
  import that is the audit log's, whose cost is the audit app's (one INSERT per entry, or more).

Run from the repository root, on SQLite (a fresh file each run) and on PostgreSQL (a scratch database):
    python bench/roster_import.py --db var/bench_roster.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scratch python bench/roster_import.py
Options: --rows N (default 2,000), --runs N (default 1), --profile PATH (a pyinstrument HTML profile of the
first run; pyinstrument must be installed).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from demo_database import django_in_process  # bench/demo_database.py, beside this script

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TARGET_SECONDS = 15.0


def _roster(rows: int, unit: str, taken: set[str], seed: int) -> bytes:
    import io

    from openpyxl import Workbook

    from accounts.synthetic import synthetic_id_number, synthetic_mobile, synthetic_name
    from competitions.excel import ROSTER

    rng = random.Random(seed)
    book = Workbook()
    book.remove(book.active)
    sheet = book.create_sheet(ROSTER.name)
    sheet.append([c.header for c in ROSTER.columns])
    seen = set(taken)
    while sheet.max_row <= rows:
        born = date(1975, 1, 1) + timedelta(days=rng.randrange(25 * 365))
        number = synthetic_id_number(rng, born=born, male=rng.random() < 0.5)
        if number in seen:
            continue
        seen.add(number)
        sheet.append(["", synthetic_name(rng), number, synthetic_mobile(rng), unit, "职工组", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _setup(run: int) -> tuple[Any, Any, str]:
    """A fresh event in registration, a unit and its HR; returns (hr, skill, the unit's name)."""
    import uuid

    from accounts.models import Membership, Organization, OrganizationKind, Role, User
    from competitions import services
    from competitions.models import CompetitionLevel, Event, Group, MarkingMethod, Skill, Status

    tag = uuid.uuid4().hex[:8]
    organizer_unit = Organization.objects.create(name=f"主办单位{tag}", kind=OrganizationKind.ORGANIZER, city="济南市")
    unit = Organization.objects.create(name=f"企业{tag}", kind=OrganizationKind.ENTERPRISE, city="济南市")
    organizer = User.objects.create(username=f"org_{tag}")
    Membership.objects.create(user=organizer, role=Role.ORGANIZER_STAFF, organization=organizer_unit)
    hr = User.objects.create(username=f"hr_{tag}")
    Membership.objects.create(user=hr, role=Role.ENTERPRISE_HR, organization=unit)
    event = Event.objects.create(name=f"基准测试{run}-{tag}", level=CompetitionLevel.PROVINCIAL_1,
                                 organizer=organizer_unit, starts_on=date(2026, 9, 15), ends_on=date(2026, 9, 17))
    skill = Skill.objects.create(event=event, name="焊工", occupation_code="6-18-02-04", group=Group.WORKER,
                                 min_age=18, max_age=60)
    services.scheme_save(actor=organizer, skill=skill, modules=[services.ModuleData("M1", "测量", (
        services.AspectData("A1", Decimal(100), MarkingMethod.FULL_OR_ZERO),))])
    services.event_transition(actor=organizer, event=event, target=Status.REGISTRATION)
    skill.refresh_from_db()
    return hr, skill, unit.name


class _Rollback(Exception):
    pass


def _timed_rolled_back(work: Any) -> float:
    from django.db import transaction

    started = time.perf_counter()
    try:
        with transaction.atomic():
            work()
            elapsed = time.perf_counter() - started
            raise _Rollback
    except _Rollback:
        pass
    return elapsed


def _reference_people(rows: int, seed: int) -> float:
    """2,000 people bulk-inserted as they are, no checks and no audit."""
    from django.contrib.auth.hashers import make_password

    from accounts.models import User
    from accounts.synthetic import synthetic_id_number, synthetic_name

    rng = random.Random(seed)
    people = []
    seen: set[str] = set()
    while len(people) < rows:
        number = synthetic_id_number(rng, born=date(1970, 1, 1) + timedelta(days=rng.randrange(9000)), male=True)
        if number in seen or User.objects.filter(id_number=number).exists():
            continue
        seen.add(number)
        people.append(number)
    prefix = f"ref{seed}_"

    unusable = make_password(None)

    def work() -> None:
        User.objects.bulk_create([User(username=f"{prefix}{i}", real_name=synthetic_name(rng), id_number=number,
                                       password=unusable) for i, number in enumerate(people)])

    return _timed_rolled_back(work)


def _reference_everything(skill: Any, since_audit: int) -> tuple[float, int]:
    """Every row the import wrote, copied (new keys) and bulk-inserted in one transaction that rolls back."""
    from accounts.models import Membership, User
    from audit.models import AuditEntry
    from competitions.models import Entry, EntryCoach, EntryMember

    entries = list(Entry.objects.filter(skill=skill))
    members = list(EntryMember.objects.filter(entry__skill=skill))
    coaches = list(EntryCoach.objects.filter(entry__skill=skill))
    people = list(User.objects.filter(competition_entries__entry__skill=skill))
    memberships = list(Membership.objects.filter(user__competition_entries__entry__skill=skill))
    audit = list(AuditEntry.objects.filter(pk__gt=since_audit).order_by("pk"))
    chained = {f.name for f in AuditEntry._meta.get_fields()} >= {"seq", "hash"}  # the hash-chained log's columns
    top = (AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0) if chained else 0
    count = len(entries) + len(members) + len(coaches) + len(people) + len(memberships) + len(audit)

    def work() -> None:
        user_map: dict[int, User] = {}
        copies = []
        for p in people:
            old = p.pk
            p.pk = None
            p.username = f"copy_{p.username}"
            p.id_number = ""
            copies.append(p)
            user_map[old] = p
        User.objects.bulk_create(copies)
        for m in memberships:
            m.pk, m.user = None, user_map[m.user_id]
        Membership.objects.bulk_create(memberships)
        entry_map: dict[int, Entry] = {}
        for e in entries:
            old = e.pk
            e.pk = None
            entry_map[old] = e
        Entry.objects.bulk_create(entries)
        for member in members:
            member.pk, member.entry, member.person, member.active = None, entry_map[member.entry_id], \
                user_map[member.person_id], False
        EntryMember.objects.bulk_create(members)
        for c in coaches:
            c.pk, c.entry = None, entry_map[c.entry_id]
        EntryCoach.objects.bulk_create(coaches)
        for offset, a in enumerate(audit, start=1):
            a.pk = None
            if chained:
                a.seq, a.hash = top + offset, f"{top + offset:064x}"  # both are unique
        AuditEntry.objects.bulk_create(audit)

    return _timed_rolled_back(work), count


def _reference_audit(actor: Any, entries: int) -> float:
    """The import's audit entries alone: as many `audit_record` calls, of a similar size, in one transaction."""
    from audit.services import audit_record

    def work() -> None:
        for i in range(entries):
            audit_record(actor=actor, action="bench.reference", target=("bench.row", i),
                         new={"username": f"c{i:012x}", "real_name": "王小明", "id_number": "3701**********0012",
                              "mobile": "138****5678", "email": "", "language": "", "is_active": True})

    return _timed_rolled_back(work)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--db", metavar="PATH", help="a SQLite file (recreated); otherwise DATABASE_URL is used")
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--profile", metavar="PATH", help="write a pyinstrument HTML profile of the first run")
    args = parser.parse_args(argv)
    django_in_process(args.db)

    from django.db import connection

    from accounts.models import User
    from audit.models import AuditEntry
    from competitions import services

    vendor = f"{connection.vendor} {connection.settings_dict['NAME']}"
    taken = set(User.objects.exclude(id_number="").values_list("id_number", flat=True))
    for run in range(1, args.runs + 1):
        hr, skill, unit = _setup(run)
        seed = int(time.time() * 1000) % 1_000_000 + run
        data = _roster(args.rows, unit, taken, seed)
        since = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        profiler = None
        if args.profile and run == 1:
            from pyinstrument import Profiler

            profiler = Profiler()
            profiler.start()
        started = time.perf_counter()
        entries = services.roster_import(actor=hr, skill=skill, data=data)
        elapsed = time.perf_counter() - started
        if profiler is not None:
            profiler.stop()
            Path(args.profile).write_text(profiler.output_html(), encoding="utf-8")
        assert len(entries) == args.rows, len(entries)
        people_ref = _reference_people(args.rows, seed + 7)
        everything_ref, written = _reference_everything(skill, since)
        audited = AuditEntry.objects.filter(pk__gt=since).count()
        audit_ref = _reference_audit(hr, audited)
        taken |= set(User.objects.filter(competition_entries__entry__skill=skill).values_list("id_number", flat=True))
        print(f"[{vendor}, run {run}] roster import of {args.rows:,} rows: {elapsed:.2f} s "
              f"(target < {TARGET_SECONDS:.0f} s: {'met' if elapsed < TARGET_SECONDS else 'NOT met'}), "
              f"{args.rows / elapsed:,.0f} rows/s")
        print(f"    reference: bulk insert of {args.rows:,} people {people_ref:.3f} s "
              f"(import = {elapsed / people_ref:,.0f}× it); bulk insert of the {written:,} rows the import wrote "
              f"{everything_ref:.3f} s (import = {elapsed / everything_ref:,.1f}× it)")
        print(f"    of which audit: {audited:,} audit_record calls alone take {audit_ref:.2f} s "
              f"({100 * audit_ref / elapsed:.0f}% of the import's time, measured apart); the rest of the import "
              f"≈ {max(elapsed - audit_ref, 0):.2f} s")


if __name__ == "__main__":
    main()
