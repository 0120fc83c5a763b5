"""The sealer: committed entries become leaves in id order under a signed head; late commits are sealed by the
next run, never skipped; one sealer at a time; the head's signature and root verify."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from accounts.actors import SYSTEM
from accounts.models import Organization
from audit import merkle, signing
from audit.models import AuditEntry, AuditLeaf, AuditSealer, AuditTreeHead
from audit.sealing import audit_seal, audit_verify, entry_leaf_hash, head_view
from audit.services import audit_record
from tests.audit.steps import record


def test_a_seal_appends_leaves_in_id_order_and_signs_the_tree(organizer_unit: Organization) -> None:
    entries = record(SYSTEM, organizer_unit, 5)
    report = audit_seal()
    assert report.sealed == 5 and report.tree_size == 5 and report.lag_ms >= 0
    leaves = list(AuditLeaf.objects.order_by("index"))
    assert [(leaf.index, leaf.entry_id) for leaf in leaves] == [(i, e.pk) for i, e in enumerate(entries)]
    assert [leaf.hash for leaf in leaves] == [entry_leaf_hash(e).hex() for e in entries]
    head = AuditTreeHead.objects.get()
    assert head.tree_size == 5
    assert head.root_hash == merkle.root([bytes.fromhex(leaf.hash) for leaf in leaves]).hex()
    view = head_view(head)
    assert signing.signature_problem(key_id=head.key_id, message=view.message(), signature=head.signature,
                                     keys=signing.known_public_keys()) is None
    assert report.head == view


def test_the_next_seal_extends_the_tree_and_an_idle_one_writes_no_head(organizer_unit: Organization) -> None:
    record(SYSTEM, organizer_unit, 3)
    audit_seal()
    record(SYSTEM, organizer_unit, 4)
    assert audit_seal().tree_size == 7
    assert audit_seal().sealed == 0
    assert list(AuditTreeHead.objects.values_list("tree_size", flat=True)) == [3, 7]
    all_leaves = [bytes.fromhex(h) for h in AuditLeaf.objects.order_by("index").values_list("hash", flat=True)]
    assert AuditTreeHead.objects.get(tree_size=7).root_hash == merkle.root(all_leaves).hex()
    assert AuditSealer.objects.get().tree_size == 7
    assert audit_verify().problem is None


def test_a_seal_takes_at_most_its_batch_and_the_next_takes_the_rest(organizer_unit: Organization) -> None:
    record(SYSTEM, organizer_unit, 5)
    assert audit_seal(limit=2).sealed == 2
    assert audit_seal(limit=2).sealed == 2
    assert audit_seal(limit=2).sealed == 1
    assert audit_seal().sealed == 0 and AuditLeaf.objects.count() == 5
    assert audit_verify().problem is None


def _writer_holding_an_uncommitted_entry(unit_pk: int, written: threading.Event, release: threading.Event,
                                         ids: list[int]) -> None:
    try:
        with transaction.atomic():
            entry = audit_record(actor=SYSTEM, action="tests.late", target=("accounts.organization", unit_pk))
            ids.append(entry.pk)
            written.set()
            release.wait(30)
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="SQLite's writers hold the write lock from their first write to their commit, so a lower "
                           "id can never commit after a higher one there")
def test_an_entry_committing_late_is_sealed_by_the_next_run_never_skipped() -> None:
    unit = Organization.objects.create(name="单位", kind="organizer", city="济南市")
    written, release, late_ids = threading.Event(), threading.Event(), []
    slow = threading.Thread(target=_writer_holding_an_uncommitted_entry, args=(unit.pk, written, release, late_ids))
    slow.start()
    try:
        assert written.wait(30)
        # a second writer, later id, commits first
        with transaction.atomic():
            early = audit_record(actor=SYSTEM, action="tests.early", target=unit)
        assert late_ids[0] < early.pk
        first = audit_seal()
        assert first.sealed == 1
        assert list(AuditLeaf.objects.values_list("entry_id", flat=True)) == [early.pk]
    finally:
        release.set()
        slow.join(30)
    second = audit_seal()
    assert second.sealed == 1 and second.tree_size == 2
    assert list(AuditLeaf.objects.order_by("index").values_list("entry_id", flat=True)) == [early.pk, late_ids[0]]
    assert audit_seal().sealed == 0
    assert audit_verify().problem is None


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks between connections need PostgreSQL")
def test_only_one_sealer_runs_at_a_time() -> None:
    unit = Organization.objects.create(name="单位", kind="organizer", city="济南市")
    for _ in range(20):
        with transaction.atomic():
            audit_record(actor=SYSTEM, action="tests.x", target=unit)
    results: list[int] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            results.append(audit_seal().sealed)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors
    assert sorted(results) == [0, 0, 0, 20]  # the others waited for the lock, then found nothing left
    assert AuditLeaf.objects.count() == 20 and AuditTreeHead.objects.count() == 1
    assert audit_verify().problem is None


def test_entries_written_after_a_seal_in_the_same_transaction_are_sealed_next(organizer_unit: Organization) -> None:
    # a test runs in one transaction: the sealer's horizon must not pass the entries its own transaction writes
    record(SYSTEM, organizer_unit, 1)
    audit_seal()
    with transaction.atomic():
        audit_record(actor=SYSTEM, action="tests.x", target=organizer_unit)
    assert audit_seal().sealed == 1
    assert AuditEntry.objects.count() == AuditLeaf.objects.count() == 2
