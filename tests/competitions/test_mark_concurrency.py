"""Marks, retries and sign-offs at the same moment, on PostgreSQL with real concurrent transactions (issue 8:
"Bad input"; DESIGN.md "Data flow of one mark"). SQLite runs one writer at a time, so these races cannot happen
there; the single-writer behaviour is covered by the other marking tests.

- A replayed idempotency key sent 20 times at once yields one mark, one revision and one audit entry.
- A sign-off racing a change of a mark on the same sheet ends in one of two orders, never in an error: the mark
  is recorded and then the sheet signed (with the new value), or the sheet signed and the mark refused.
- A mark holds the rows of its own entry only: while one entry's row is locked by an open transaction, a mark of
  another entry of the same skill goes through (under a lock timeout that would fail it if it had to wait).
"""

from __future__ import annotations

import threading
from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest
from django.db import connection, connections, transaction

from audit.models import AuditEntry
from competitions import services
from competitions.models import Entry, Mark, MarkRevision, Sheet, SheetStatus
from core.errors import Conflict
from tests.competitions.steps import Scenario, at_once, mark, mark_entry

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="concurrent writers need PostgreSQL"),
]


def test_twenty_copies_of_one_mark_at_once_write_it_once(scenario: Scenario) -> None:
    s = scenario
    entry, key = s.entries_b[0], uuid4()
    before = AuditEntry.objects.count()

    def send() -> Any:
        return services.mark_record(referee=s.referee_a, skill_id=s.skill.pk, workstation_no=entry.workstation_no,
                                    aspect_code="A1", value=Decimal(20), idempotency_key=key)

    results = at_once([send] * 20)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(r.replayed for r in results) == [False] + [True] * 19
    assert len({r.id for r in results}) == 1
    assert Mark.objects.count() == MarkRevision.objects.count() == 1
    assert AuditEntry.objects.filter(action="competitions.mark.recorded").count() == 1
    assert AuditEntry.objects.count() == before + 1
    entry.refresh_from_db()
    assert entry.practical == Decimal(20)


def test_a_sign_off_racing_a_mark_on_its_sheet_ends_in_one_order_or_the_other(scenario: Scenario) -> None:
    s = scenario
    for entry in s.entries:
        mark_entry(s, entry)
    outcomes: set[str] = set()
    for entry in s.entries:
        sheet = Sheet.objects.get(entry=entry, module__code="M1")
        changer = s.panel(entry)[0]

        def sign_off(sheet_id: int = sheet.pk) -> Any:
            return services.sheet_sign_off(chief=s.chief, sheet_id=sheet_id)

        def change(entry: Entry = entry, referee: Any = changer) -> Any:
            return mark(referee, entry, s.aspects["A1"], 0)

        signed, changed = at_once([sign_off, change])
        assert not isinstance(signed, Exception), signed  # the sheet was complete either way
        sheet.refresh_from_db()
        assert sheet.status == SheetStatus.SIGNED_OFF
        a1 = Mark.objects.get(entry=entry, aspect=s.aspects["A1"])
        if isinstance(changed, Exception):
            assert isinstance(changed, Conflict) and changed.code == "mark.sheet_locked", changed
            assert a1.value == 20
            outcomes.add("signed first")
        else:
            assert a1.value == 0
            outcomes.add("marked first")
        entry.refresh_from_db()
        assert entry.practical == entry.module_score(sheet.module_id) + entry.module_score(
            Sheet.objects.get(entry=entry, module__code="M2").module_id)
    assert outcomes  # each race ended cleanly (which order won varies from run to run)


def test_a_mark_does_not_wait_for_another_entrys_lock(scenario: Scenario) -> None:
    s = scenario
    held, other = s.entries_b[0], s.entries_b[1]
    locked, release = threading.Event(), threading.Event()

    def hold() -> None:
        try:
            with transaction.atomic():
                Entry.objects.select_for_update().get(pk=held.pk)
                Sheet.objects.select_for_update().filter(entry=held).count()
                locked.set()
                release.wait(30)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert locked.wait(30)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '3s'")  # waiting on any lock would fail the mark
        mark(s.referee_a, other, s.aspects["A1"], 20)
        with pytest.raises(Exception, match="lock"):
            mark(s.referee_a, held, s.aspects["A1"], 20)  # the held entry's own mark does wait, and times out
    finally:
        release.set()
        holder.join(30)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = 0")
    assert Mark.objects.filter(entry=other).count() == 1 and not Mark.objects.filter(entry=held).exists()
