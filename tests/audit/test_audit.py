"""The audit log: one INSERT per entry, append-only in the model, the queryset and the database; values stored as
they read back, so the leaf survives the round trip."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from accounts.actors import SYSTEM
from accounts.models import Organization, User
from audit.models import AppendOnlyError, AuditEntry, AuditLeaf, AuditTreeHead
from audit.sealing import audit_verify
from audit.services import audit_record
from tests.audit.steps import record, seal


def test_an_entry_records_who_did_what_to_which_object(organizer: User, organizer_unit: Organization) -> None:
    entries = record(organizer, organizer_unit, 3)
    assert [e.pk for e in AuditEntry.objects.order_by("id")] == [e.pk for e in entries]
    last = AuditEntry.objects.get(pk=entries[2].pk)
    assert last.actor == organizer and last.actor_label == organizer.username
    assert last.target_type == "accounts.organization" and last.target_id == str(organizer_unit.pk)
    assert last.old == {"v": 2} and last.new == {"v": 3} and last.reason == "第2次"
    assert not AuditLeaf.objects.exists()  # sealed later, by the sealer
    seal()
    assert list(AuditLeaf.objects.order_by("index").values_list("entry_id", flat=True)) == [e.pk for e in entries]
    assert audit_verify().problem is None


def test_audit_record_costs_exactly_one_query(organizer: User, organizer_unit: Organization,
                                              django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    record(organizer, organizer_unit, 1)  # warm-up: nothing is cached that the count depends on
    with transaction.atomic():
        with django_assert_num_queries(1) as captured:
            audit_record(actor=organizer, action="tests.thing.changed", target=organizer_unit, new={"v": 1})
    sql = captured.captured_queries[0]["sql"].upper()
    assert sql.startswith("INSERT INTO") and "AUDIT_AUDITENTRY" in sql and "FOR UPDATE" not in sql


@pytest.mark.django_db(transaction=True)
def test_audit_record_refuses_to_run_outside_a_transaction() -> None:
    organizer_unit = Organization.objects.create(name="单位", kind="organizer", city="济南市")
    with pytest.raises(RuntimeError):
        audit_record(actor=SYSTEM, action="tests.x", target=organizer_unit)


def test_model_refuses_update_and_delete(organizer_unit: Organization) -> None:
    record(SYSTEM, organizer_unit, 1)
    seal()
    entry, leaf, head = AuditEntry.objects.get(), AuditLeaf.objects.get(), AuditTreeHead.objects.get()
    entry.reason = "改过"
    for obj, model in ((entry, AuditEntry), (leaf, AuditLeaf), (head, AuditTreeHead)):
        with pytest.raises(AppendOnlyError):
            obj.save()
        with pytest.raises(AppendOnlyError):
            obj.delete()
        with pytest.raises(AppendOnlyError):
            model.objects.filter(pk=obj.pk).update(pk=obj.pk)
        with pytest.raises(AppendOnlyError):
            model.objects.all().delete()
    assert AuditEntry.objects.get().reason == "第0次"


@pytest.mark.parametrize("statement", [
    "UPDATE audit_auditentry SET reason = 'forged'",
    "UPDATE audit_auditleaf SET hash = 'forged'",
    "UPDATE audit_audittreehead SET root_hash = 'forged'",
])
def test_database_refuses_update_even_in_raw_sql(organizer_unit: Organization, statement: str) -> None:
    record(SYSTEM, organizer_unit, 1)
    seal()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert AuditEntry.objects.get().reason == "第0次" and AuditLeaf.objects.get().hash != "forged"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the DELETE triggers exist on PostgreSQL only "
                    "(on SQLite one would also block Django's test flush)")
@pytest.mark.parametrize("table", ["audit_auditentry", "audit_auditleaf", "audit_audittreehead"])
def test_postgresql_refuses_delete_in_raw_sql(organizer_unit: Organization, table: str) -> None:
    record(SYSTEM, organizer_unit, 1)
    seal()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - a fixed table name
    assert (AuditEntry.objects.count(), AuditLeaf.objects.count(), AuditTreeHead.objects.count()) == (1, 1, 1)


def test_values_are_stored_as_they_read_back_so_the_leaf_survives(organizer_unit: Organization) -> None:
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
    seal()
    assert audit_verify().problem is None
