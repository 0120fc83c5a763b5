"""The audit log: append-only in the model, the queryset and the database; the hash chain finds tampering."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from accounts.actors import SYSTEM, Actor
from accounts.models import Organization, User
from audit.models import AppendOnlyError, AuditEntry
from audit.services import audit_record, audit_verify


def _record(actor: Actor, target: Organization, n: int) -> None:
    for i in range(n):
        with transaction.atomic():
            audit_record(actor=actor, action="tests.thing.changed", target=target, old={"v": i}, new={"v": i + 1},
                         reason=f"第{i}次")


def test_entries_chain_onto_each_other(organizer: User, organizer_unit: Organization) -> None:
    _record(organizer, organizer_unit, 3)
    entries = list(AuditEntry.objects.order_by("seq"))
    assert [e.seq for e in entries] == [1, 2, 3]
    assert entries[0].prev_hash == "0" * 64
    assert entries[1].prev_hash == entries[0].hash and entries[2].prev_hash == entries[1].hash
    assert entries[2].actor == organizer and entries[2].actor_label == organizer.username
    assert entries[2].target_type == "accounts.organization" and entries[2].target_id == str(organizer_unit.pk)
    assert audit_verify().broken is None


@pytest.mark.django_db(transaction=True)
def test_audit_record_refuses_to_run_outside_a_transaction() -> None:
    organizer_unit = Organization.objects.create(name="单位", kind="organizer", city="济南市")
    with pytest.raises(RuntimeError):
        audit_record(actor=SYSTEM, action="tests.x", target=organizer_unit)


def test_model_refuses_update_and_delete(organizer_unit: Organization) -> None:
    _record(SYSTEM, organizer_unit, 1)
    entry = AuditEntry.objects.get()
    entry.reason = "改过"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="改过")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get().reason == "第0次"


def test_database_refuses_update_even_in_raw_sql(organizer_unit: Organization) -> None:
    _record(SYSTEM, organizer_unit, 1)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET reason = 'forged'")
    assert AuditEntry.objects.get().reason == "第0次"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the DELETE trigger exists on PostgreSQL only")
def test_postgresql_refuses_delete_in_raw_sql(organizer_unit: Organization) -> None:
    _record(SYSTEM, organizer_unit, 1)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry")
    assert AuditEntry.objects.count() == 1


def _bypass_guards(cursor) -> None:  # type: ignore[no-untyped-def]
    """Play the attacker with database superuser rights, who can switch the guard off."""
    if connection.vendor == "postgresql":
        cursor.execute("SET LOCAL session_replication_role = replica")
    else:
        cursor.execute("DROP TRIGGER audit_entry_no_update")


def test_verify_finds_an_edited_entry(organizer_unit: Organization) -> None:
    _record(SYSTEM, organizer_unit, 5)
    with transaction.atomic(), connection.cursor() as cursor:
        _bypass_guards(cursor)
        cursor.execute("UPDATE audit_auditentry SET reason = 'forged' WHERE seq = 3")
        report = audit_verify()
        assert report.broken is not None and report.broken.seq == 3
        assert "edited" in report.broken.reason
        with pytest.raises(CommandError, match="entry 3"):
            call_command("verify_audit")
        transaction.set_rollback(True)


def test_verify_finds_a_removed_entry_in_the_middle_and_at_the_end(organizer_unit: Organization) -> None:
    _record(SYSTEM, organizer_unit, 5)
    with transaction.atomic(), connection.cursor() as cursor:
        _bypass_guards(cursor)
        cursor.execute("DELETE FROM audit_auditentry WHERE seq = 2")
        assert audit_verify().broken.seq == 2  # type: ignore[union-attr]
        transaction.set_rollback(True)
    with transaction.atomic(), connection.cursor() as cursor:
        _bypass_guards(cursor)
        cursor.execute("DELETE FROM audit_auditentry WHERE seq = 5")
        broken = audit_verify().broken
        assert broken is not None and broken.seq == 5 and "missing" in broken.reason
        transaction.set_rollback(True)


def test_verify_command_reports_an_intact_chain(
    organizer_unit: Organization, capsys: pytest.CaptureFixture[str]
) -> None:
    _record(SYSTEM, organizer_unit, 4)
    call_command("verify_audit")
    assert "4 entries verified" in capsys.readouterr().out


def test_values_are_stored_as_they_read_back_so_the_hash_survives(organizer_unit: Organization) -> None:
    from datetime import datetime
    from decimal import Decimal
    from zoneinfo import ZoneInfo

    with transaction.atomic():
        audit_record(actor=SYSTEM, action="tests.mark.recorded", target=organizer_unit,
                     old={"mark": Decimal("7.2500")},
                     new={"mark": Decimal("8.5000"),
                          "at": datetime(2026, 5, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))})
    entry = AuditEntry.objects.get()
    assert entry.old == {"mark": "7.2500"}
    assert entry.new["at"] == "2026-05-01T01:00:00+00:00"
    assert audit_verify().broken is None
