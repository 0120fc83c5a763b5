"""Entries chained under the old hash chain migrate into the Merkle tree: checked one last time, given leaves in
chain order, sealed by the first run; a broken chain stops the migration, naming the entry."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from audit.chain import LEGACY_GENESIS_HASH, LegacyChainedEntry, legacy_link_hash

BEFORE = [("audit", "0002_append_only_triggers")]
AFTER = [("audit", "0006_entry_salt")]  # the entries table as the models read it


def _migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.fixture
def legacy_schema(transactional_db: None) -> Iterator[MigrationExecutor]:
    executor = _migrate(BEFORE)
    yield executor
    _migrate(executor.loader.graph.leaf_nodes())


def _chain(executor: MigrationExecutor, n: int, *, break_at: int | None = None) -> list[int]:
    apps = executor.loader.project_state(BEFORE).apps
    entry_model, head_model = apps.get_model("audit", "AuditEntry"), apps.get_model("audit", "AuditChainHead")
    prev, ids = LEGACY_GENESIS_HASH, []
    start = datetime(2026, 11, 1, tzinfo=UTC)
    for seq in range(1, n + 1):
        chained = LegacyChainedEntry(seq=seq, created_at=start + timedelta(seconds=seq), actor_id=None,
                                     actor_label="system", action="tests.legacy", target_type="tests.thing",
                                     target_id=str(seq), old=None, new={"v": seq}, reason="", request_id="")
        digest = legacy_link_hash(prev, chained)
        entry = entry_model.objects.create(
            seq=seq, created_at=chained.created_at, actor_label="system", action="tests.legacy",
            target_type="tests.thing", target_id=str(seq), new={"v": seq},
            reason="forged" if seq == break_at else "", request_id="", prev_hash=prev, hash=digest)
        ids.append(entry.pk)
        prev = digest
    head_model.objects.create(id=1, last_seq=n, last_hash=prev)
    return ids


def test_chained_entries_become_leaves_in_chain_order_and_the_first_seal_signs_them(
    legacy_schema: MigrationExecutor,
) -> None:
    ids = _chain(legacy_schema, 5)
    _migrate(AFTER)
    from audit.models import AuditLeaf, AuditSealer, AuditTreeHead
    from audit.sealing import audit_seal, audit_verify

    assert list(AuditLeaf.objects.order_by("index").values_list("index", "entry_id")) == list(enumerate(ids))
    assert AuditSealer.objects.get().tree_size == 5 and not AuditTreeHead.objects.exists()
    assert audit_seal().tree_size == 5
    assert AuditTreeHead.objects.get().tree_size == 5
    assert audit_verify().problem is None and audit_verify().checked == 5


def test_a_broken_chain_stops_the_migration_naming_the_entry(legacy_schema: MigrationExecutor) -> None:
    _chain(legacy_schema, 4, break_at=3)
    with pytest.raises(RuntimeError, match="broken at entry 3"):
        _migrate(AFTER)
    # leave a migratable database behind for the fixture's forward migration
    apps = legacy_schema.loader.project_state(BEFORE).apps
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        apps.get_model("audit", "AuditChainHead").objects.all().delete()
        cursor.execute("DELETE FROM audit_auditentry")
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")
