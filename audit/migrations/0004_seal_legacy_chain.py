"""Turn the chained entries into the Merkle tree's first leaves (DESIGN.md "Audit at scale").

The old hash chain is checked one last time (every link, and the head row against the newest entry); a broken
chain stops the migration, naming the first bad entry, so a history tampered with before the move is never sealed
as if it were whole. Each entry then gets a leaf, in chain (seq) order: leaf index = seq - 1, its hash the RFC 6962
leaf hash of the entry's canonical JSON (audit.chain.EntryRecord). The sealer's row records the tree's right edge,
so its first run signs a tree head over the migrated leaves (and whatever was written since); `verify_audit` seals
first, so it checks that head at once. After this migration the chain's columns are dropped (0005): the leaves and
the signed heads are what verification needs from then on.
"""

from collections.abc import Iterator

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from audit import merkle
from audit.chain import EntryRecord, LegacyChainedEntry, legacy_first_broken_link


def seal_legacy(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    entry_model = apps.get_model("audit", "AuditEntry")
    head_model = apps.get_model("audit", "AuditChainHead")
    leaf_model = apps.get_model("audit", "AuditLeaf")
    sealer_model = apps.get_model("audit", "AuditSealer")
    db = schema_editor.connection.alias

    def chained() -> Iterator[tuple[LegacyChainedEntry, str, str]]:
        for e in entry_model.objects.using(db).order_by("seq").iterator(chunk_size=2000):
            yield LegacyChainedEntry(seq=e.seq, created_at=e.created_at, actor_id=e.actor_id,
                                     actor_label=e.actor_label, action=e.action, target_type=e.target_type,
                                     target_id=e.target_id, old=e.old, new=e.new, reason=e.reason,
                                     request_id=e.request_id), e.prev_hash, e.hash

    broken = legacy_first_broken_link(chained())
    last = entry_model.objects.using(db).order_by("-seq").first()
    head = head_model.objects.using(db).filter(id=1).first()
    if broken is None and head is not None and (last is None or (head.last_seq, head.last_hash) != (last.seq, last.hash)):
        broken = ((last.seq if last else 0) + 1, f"entries up to {head.last_seq} are missing at the end")
    if broken is not None:
        raise RuntimeError(
            f"The audit chain is broken at entry {broken[0]}: {broken[1]}. Refusing to seal a tampered history; "
            "restore the audit tables from a backup, then migrate again."
        )

    frontier = merkle.Frontier.empty()
    batch = []
    last_id = 0
    for e in entry_model.objects.using(db).order_by("seq").iterator(chunk_size=2000):
        record = EntryRecord(id=e.pk, created_at=e.created_at, actor_id=e.actor_id, actor_label=e.actor_label,
                             action=e.action, target_type=e.target_type, target_id=e.target_id, old=e.old,
                             new=e.new, reason=e.reason, request_id=e.request_id)
        digest = merkle.leaf_hash(record.leaf_data())
        batch.append(leaf_model(index=frontier.size, entry_id=e.pk, hash=digest.hex()))
        frontier = frontier.extend([digest])
        last_id = max(last_id, e.pk)
        if len(batch) >= 2000:
            leaf_model.objects.using(db).bulk_create(batch)
            batch = []
    leaf_model.objects.using(db).bulk_create(batch)
    sealer_model.objects.using(db).update_or_create(
        id=1, defaults={"tree_size": frontier.size, "frontier": [node.hex() for node in frontier.nodes],
                        "last_entry_id": last_id},
    )


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_merkle_tree")]
    operations = [migrations.RunPython(seal_legacy, migrations.RunPython.noop)]
