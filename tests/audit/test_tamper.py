"""verify_audit finds tampering and names the first bad position (a leaf index): an edited entry, an entry
removed in the middle or at the end, a reordered entry, and, given heads kept elsewhere, a history rewritten after
them: an edit with every later leaf, root and signature recomputed, and the newest entries deleted with the head
rows rewound."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from accounts.actors import SYSTEM
from accounts.models import Organization
from audit import merkle, signing
from audit.models import AuditEntry, AuditLeaf, AuditTreeHead
from audit.sealing import HeadView, audit_verify, entry_leaf_hash, read_heads
from tests.audit.steps import record, rolled_back, tamper


def _leaf_entry(index: int) -> int:
    return AuditLeaf.objects.get(index=index).entry_id


def _export(tmp_path: Path) -> Path:
    kept = tmp_path / "heads.jsonl"
    call_command("audit_export_heads", "--output", str(kept))
    return kept


def test_an_intact_log_verifies_and_the_command_says_so(organizer_unit: Organization,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    record(SYSTEM, organizer_unit, 4)
    call_command("verify_audit")  # seals first
    out = capsys.readouterr().out
    assert "Sealed 4 new entries" in out and "4 entries verified against 1 signed heads" in out


def test_an_edited_entry_is_found_at_its_leaf(organizer_unit: Organization) -> None:
    record(SYSTEM, organizer_unit, 5, seal_each=False)
    call_command("audit_seal")
    tamper(("UPDATE audit_auditentry SET reason = 'forged' WHERE id = %s", [_leaf_entry(2)]))
    problem = audit_verify().problem
    assert problem is not None and problem.position == 2 and "edited" in problem.reason
    with pytest.raises(CommandError, match="position 2"):
        call_command("verify_audit", "--no-seal")


def test_an_edit_with_its_leaf_recomputed_breaks_the_signed_root(organizer_unit: Organization) -> None:
    record(SYSTEM, organizer_unit, 5, seal_each=True)
    entry_id = _leaf_entry(2)
    tamper(("UPDATE audit_auditentry SET reason = 'forged' WHERE id = %s", [entry_id]))
    forged = entry_leaf_hash(AuditEntry.objects.get(pk=entry_id)).hex()
    tamper(('UPDATE audit_auditleaf SET hash = %s WHERE "index" = 2', [forged]))
    problem = audit_verify().problem
    assert problem is not None and problem.position == 2 and "signed head 3" in problem.reason


def test_a_removed_entry_in_the_middle_is_found_at_its_leaf(organizer_unit: Organization) -> None:
    record(SYSTEM, organizer_unit, 5)
    call_command("audit_seal")
    with rolled_back():
        tamper(("DELETE FROM audit_auditentry WHERE id = %s", [_leaf_entry(1)]))
        problem = audit_verify().problem
        assert problem is not None and problem.position == 1 and "missing" in problem.reason
        with pytest.raises(CommandError, match="position 1"):
            call_command("verify_audit", "--no-seal")


def test_a_removed_newest_entry_and_leaf_leave_the_head_pointing_past_the_end(organizer_unit: Organization) -> None:
    record(SYSTEM, organizer_unit, 5)
    call_command("audit_seal")
    tamper("DELETE FROM audit_auditleaf WHERE \"index\" = 4",
           ("DELETE FROM audit_auditentry WHERE id = %s", [_leaf_entry(4)]))
    problem = audit_verify().problem
    assert problem is not None and problem.position == 4 and "missing" in problem.reason


def test_a_removed_leaf_in_the_middle_is_a_gap(organizer_unit: Organization) -> None:
    record(SYSTEM, organizer_unit, 5)
    call_command("audit_seal")
    tamper("DELETE FROM audit_auditleaf WHERE \"index\" = 3")
    problem = audit_verify().problem
    assert problem is not None and problem.position == 3 and "leaf 3 is missing" in problem.reason


def test_reordered_entries_are_found_at_the_first_moved_position(organizer_unit: Organization) -> None:
    record(SYSTEM, organizer_unit, 6, seal_each=True)
    a, b = _leaf_entry(2), _leaf_entry(4)
    # swap the two leaves whole (entry and hash), so each leaf still matches its entry
    tamper('UPDATE audit_auditleaf SET "index" = 1000 WHERE "index" = 4',
           'UPDATE audit_auditleaf SET "index" = 4 WHERE "index" = 2',
           'UPDATE audit_auditleaf SET "index" = 2 WHERE "index" = 1000')
    assert (_leaf_entry(2), _leaf_entry(4)) == (b, a)
    problem = audit_verify().problem
    assert problem is not None and problem.position == 2 and "signed head 3" in problem.reason


def test_entry_contents_swapped_between_two_ids_are_found_at_the_first(organizer_unit: Organization) -> None:
    record(SYSTEM, organizer_unit, 4)
    call_command("audit_seal")
    a, b = AuditEntry.objects.get(pk=_leaf_entry(1)), AuditEntry.objects.get(pk=_leaf_entry(3))
    # the leaf covers the entry's id, so moving content from one row to another breaks both leaves
    tamper(("UPDATE audit_auditentry SET reason = %s WHERE id = %s", [b.reason, a.pk]),
           ("UPDATE audit_auditentry SET reason = %s WHERE id = %s", [a.reason, b.pk]))
    problem = audit_verify().problem
    assert problem is not None and problem.position == 1 and "edited" in problem.reason


def _re_sign_everything() -> None:
    """The insider who holds the signing key too: rebuild every leaf, root and signature from the entries."""
    key = signing.signing_key()
    leaves = []
    for leaf in AuditLeaf.objects.order_by("index"):
        digest = entry_leaf_hash(AuditEntry.objects.get(pk=leaf.entry_id))
        leaves.append(digest)
        tamper(('UPDATE audit_auditleaf SET hash = %s WHERE "index" = %s', [digest.hex(), leaf.index]))
    for head in AuditTreeHead.objects.order_by("tree_size"):
        root = merkle.root(leaves[: head.tree_size])
        view = HeadView(tree_size=head.tree_size, root_hash=root.hex(), timestamp=head.timestamp,
                        timestamp_ms=int(head.timestamp.timestamp() * 1000), key_id=key.key_id, signature="")
        tamper(("UPDATE audit_audittreehead SET root_hash = %s, signature = %s WHERE tree_size = %s",
                [root.hex(), key.sign(view.message()), head.tree_size]))


def test_a_history_rewritten_and_re_signed_is_caught_by_a_head_kept_elsewhere(
    organizer_unit: Organization, tmp_path: Path
) -> None:
    record(SYSTEM, organizer_unit, 5, seal_each=True)
    kept = _export(tmp_path)
    tamper(("UPDATE audit_auditentry SET reason = 'forged' WHERE id = %s", [_leaf_entry(2)]))
    _re_sign_everything()
    assert audit_verify().problem is None  # nothing inside the database can tell
    problem = audit_verify(trusted_heads=read_heads(kept.read_text().splitlines())).problem
    assert problem is not None and problem.position == 2 and "trusted copy" in problem.reason
    with pytest.raises(CommandError, match="position 2"):
        call_command("verify_audit", "--no-seal", "--trusted-heads", str(kept))


def test_newest_entries_deleted_with_the_heads_rewound_are_caught_by_a_head_kept_elsewhere(
    organizer_unit: Organization, tmp_path: Path
) -> None:
    record(SYSTEM, organizer_unit, 5, seal_each=True)
    kept = _export(tmp_path)
    newest = _leaf_entry(4)
    tamper('DELETE FROM audit_auditleaf WHERE "index" = 4', "DELETE FROM audit_audittreehead WHERE tree_size = 5",
           ("DELETE FROM audit_auditentry WHERE id = %s", [newest]))
    rewound = merkle.Frontier.of([bytes.fromhex(h) for h in AuditLeaf.objects.values_list("hash", flat=True)])
    tamper(("UPDATE audit_auditsealer SET tree_size = 4, frontier = %s",
            [json.dumps([node.hex() for node in rewound.nodes])]))
    assert audit_verify().problem is None  # the rewound log is consistent with itself
    problem = audit_verify(trusted_heads=read_heads(kept.read_text().splitlines())).problem
    assert problem is not None and problem.position == 4 and "rewound" in problem.reason
    with pytest.raises(CommandError, match="position 4"):
        call_command("verify_audit", "--no-seal", "--trusted-heads", str(kept))


def test_a_forged_trusted_heads_file_is_refused(organizer_unit: Organization, tmp_path: Path) -> None:
    record(SYSTEM, organizer_unit, 2, seal_each=True)
    kept = _export(tmp_path)
    line = kept.read_text().splitlines()[0].replace('"tree_size": 1', '"tree_size": 2')
    problem = audit_verify(trusted_heads=read_heads([line])).problem
    assert problem is not None and problem.position is None and "signature does not match" in problem.reason


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the sealer's late-commit look uses PostgreSQL's txid")
def test_entries_carry_their_transaction_id_on_postgresql(organizer_unit: Organization) -> None:
    record(SYSTEM, organizer_unit, 1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT txid = pg_current_xact_id() FROM audit_auditentry")
        assert cursor.fetchone() == (True,)  # written in this test's transaction
