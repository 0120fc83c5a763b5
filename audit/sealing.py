"""Sealing and verifying the audit log (DESIGN.md "Audit at scale", after Certificate Transparency, RFC 9162).

`audit_seal` takes the committed entries that have no leaf yet, orders them by id, appends them to the Merkle tree
as leaves (audit.models.AuditLeaf, 0-based index without gaps) and writes a signed tree head over the whole tree.
It runs every second inside each task worker (audit.runner), on demand (`manage.py audit_seal`, the API) and
before `verify_audit`. One sealer at a time: it locks its own bookkeeping row, which no writer touches.

Finding the entries not yet sealed, never skipping one that commits late (a lower id committing after a higher
one was sealed):
- PostgreSQL: each entry row carries `txid`, the id of the transaction that wrote it (a column migration 0005
  adds with the default `pg_current_xact_id()` and an index; the model does not name it, so the writer's single
  INSERT stays as it is). A seal first takes a snapshot (`pg_current_snapshot()`): every transaction id below
  its xmax that is not in its list of running ones has finished, so whatever it committed is visible to the
  seal's next statement, which reads the entries, and is sealed now. The seal keeps that xmax and that list; the
  next seal need only look at entries without a leaf whose `txid` is in the list or at least the xmax: a
  transaction still running at a seal (a lower id committing after a higher one was sealed) is one of those, and
  is found once it commits. Both lookups use the txid index, so an idle seal costs a few index probes, and a
  transaction left open elsewhere adds one probe, not a scan from its start.
- SQLite: writers hold the write lock from their first statement (IMMEDIATE transactions) to their commit, so
  entries commit one at a time in id order; a seal looks at ids above the last one it sealed.
Either way the seal also requires that an entry has no leaf yet, so nothing is sealed twice.

`audit_verify` rebuilds the tree from the entries: it recomputes every entry's leaf and compares it with the
stored one, checks that leaf indexes have no gaps, checks every head's signature (a key unknown to
audit.signing fails) and root, and, given heads kept elsewhere (`--trusted-heads`, from `audit_export_heads`),
that the log still holds the tree each of them signed: a rewound history (newest entries deleted and the head rows
rolled back) or a history rewritten and re-signed is caught only that way, since nothing inside one database can
prove its own past. The first problem is reported with the first bad position (a leaf index): exact when an
entry no longer matches its leaf or a leaf is missing; when leaves and entries were rewritten together, the first
leaf after the last head that still matches (heads are written once per seal, so the position is exact to one
seal's batch).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import BooleanField, Exists, OuterRef
from django.db.models.expressions import RawSQL
from django.utils import timezone

from audit import merkle, signing
from audit.chain import EntryRecord
from audit.models import AuditEntry, AuditLeaf, AuditSealer, AuditTreeHead

SEAL_BATCH = 20_000
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class HeadView:
    """A signed tree head, as published (API, `audit_export_heads`); it names no person."""

    tree_size: int
    root_hash: str
    timestamp: datetime
    timestamp_ms: int
    key_id: str
    signature: str

    def message(self) -> bytes:
        return signing.head_message(tree_size=self.tree_size, timestamp_ms=self.timestamp_ms,
                                    root=bytes.fromhex(self.root_hash), key_id=self.key_id)

    def to_json(self) -> str:
        return json.dumps({"tree_size": self.tree_size, "root_hash": self.root_hash,
                           "timestamp": self.timestamp.isoformat(), "timestamp_ms": self.timestamp_ms,
                           "key_id": self.key_id, "signature": self.signature}, sort_keys=True)

    @staticmethod
    def from_json(line: str) -> HeadView:
        data = json.loads(line)
        return HeadView(tree_size=int(data["tree_size"]), root_hash=str(data["root_hash"]),
                        timestamp=datetime.fromisoformat(data["timestamp"]), timestamp_ms=int(data["timestamp_ms"]),
                        key_id=str(data["key_id"]), signature=str(data["signature"]))


def _ms(moment: datetime) -> int:
    return (moment - EPOCH) // timedelta(milliseconds=1)


def head_view(head: AuditTreeHead) -> HeadView:
    return HeadView(tree_size=head.tree_size, root_hash=head.root_hash, timestamp=head.timestamp,
                    timestamp_ms=_ms(head.timestamp), key_id=head.key_id, signature=head.signature)


RECORD_FIELDS = ("id", "created_at", "actor_id", "actor_label", "action", "target_type", "target_id", "old", "new",
                 "reason", "request_id", "salt")  # EntryRecord's fields, in its order


def entry_record(entry: AuditEntry) -> EntryRecord:
    return EntryRecord(id=entry.pk, created_at=entry.created_at, actor_id=entry.actor_id,
                       actor_label=entry.actor_label, action=entry.action, target_type=entry.target_type,
                       target_id=entry.target_id, old=entry.old, new=entry.new, reason=entry.reason,
                       request_id=entry.request_id, salt=entry.salt)


def entry_leaf_hash(entry: AuditEntry) -> bytes:
    return merkle.leaf_hash(entry_record(entry).leaf_data())


# --- sealing -----------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class SealReport:
    sealed: int
    tree_size: int
    head: HeadView | None
    lag_ms: int  # the oldest newly sealed entry's age when its head was signed (0 when nothing was sealed)


class SealerStateBroken(RuntimeError):
    """The sealer's bookkeeping disagrees with the leaves; run `verify_audit`."""


def _pg_snapshot() -> tuple[int, list[int]]:
    """(xmax, running) of a snapshot taken now: every transaction id below xmax that is not running has finished.
    The sealer's own transaction counts as running: a test writes entries in the transaction it seals in."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_snapshot_xmax(s)::text, ARRAY(SELECT x::text FROM pg_snapshot_xip(s) AS x),"
            " pg_current_xact_id_if_assigned()::text FROM pg_current_snapshot() AS s"
        )
        row = cursor.fetchone()
    assert row is not None
    xmax, running, own = row
    return int(xmax), sorted({int(x) for x in running} | ({int(own)} if own is not None else set()))


@transaction.atomic(durable=True)
def audit_seal(*, limit: int = SEAL_BATCH) -> SealReport:
    """Seal the committed entries that have no leaf yet (at most `limit`, oldest id first) and sign the new tree
    head (module docstring: how late commits are never skipped)."""
    # One sealer at a time: the bookkeeping row is the sealer's own lock; writers never touch it.
    state, _ = AuditSealer.objects.select_for_update().get_or_create(id=1)
    postgres = connection.vendor == "postgresql"
    # taken before the entries are read, so whatever it saw finished is visible to the read below
    xmax, running = _pg_snapshot() if postgres else (0, [])
    unsealed = AuditEntry.objects.filter(~Exists(AuditLeaf.objects.filter(entry_id=OuterRef("pk"))))
    if postgres:
        unsealed = unsealed.filter(RawSQL(
            '("audit_auditentry"."txid" >= %s::text::xid8 OR "audit_auditentry"."txid" = ANY(%s::text[]::xid8[]))',
            [state.seen_xmax, [str(x) for x in state.seen_running]], output_field=BooleanField()))
    else:
        unsealed = unsealed.filter(id__gt=state.last_entry_id)
    # plain tuples, not model instances: the sealer reads thousands a second
    batch = [EntryRecord(*row) for row in unsealed.order_by("id").values_list(*RECORD_FIELDS)[:limit]]

    last_leaf = AuditLeaf.objects.order_by("-index").values_list("index", flat=True).first()
    if (last_leaf + 1 if last_leaf is not None else 0) != state.tree_size:
        raise SealerStateBroken(f"the sealer counts {state.tree_size} leaves but the last leaf is {last_leaf}")
    frontier = merkle.Frontier(state.tree_size, tuple(bytes.fromhex(node) for node in state.frontier))
    hashes = [merkle.leaf_hash(record.leaf_data()) for record in batch]
    with connection.cursor() as cursor:  # AuditLeaf's rows, inserted in one pipelined go
        cursor.executemany('INSERT INTO audit_auditleaf ("index", entry_id, hash) VALUES (%s, %s, %s)',
                           [(state.tree_size + i, record.id, digest.hex())
                            for i, (record, digest) in enumerate(zip(batch, hashes, strict=True))])
    frontier = frontier.extend(hashes)

    now = timezone.now()
    now = now.replace(microsecond=now.microsecond // 1000 * 1000)  # heads carry milliseconds, as RFC 6962
    head = None
    last_size = AuditTreeHead.objects.order_by("-tree_size").values_list("tree_size", flat=True).first() or 0
    if frontier.size > last_size:
        key = signing.signing_key()
        root = frontier.root()
        message = signing.head_message(tree_size=frontier.size, timestamp_ms=_ms(now), root=root, key_id=key.key_id)
        head = AuditTreeHead(tree_size=frontier.size, root_hash=root.hex(), timestamp=now, key_id=key.key_id,
                             signature=key.sign(message))
        head.save()
    lag_ms = max(((now - record.created_at) // timedelta(milliseconds=1) for record in batch), default=0)

    state.tree_size = frontier.size
    state.frontier = [node.hex() for node in frontier.nodes]
    if len(batch) < limit:  # the look was complete; a truncated one must look again where the last one did
        state.seen_xmax, state.seen_running = xmax, running
    state.last_entry_id = max([state.last_entry_id, *(record.id for record in batch)])
    state.sealed_at = now
    state.last_batch = len(batch)
    state.last_lag_ms = max(lag_ms, 0)
    state.save()
    return SealReport(sealed=len(batch), tree_size=frontier.size, head=head_view(head) if head else None,
                      lag_ms=max(lag_ms, 0))


def audit_seal_all() -> list[SealReport]:
    """Seal until nothing is left (on demand and before verification)."""
    reports = [audit_seal()]
    while reports[-1].sealed == SEAL_BATCH:
        reports.append(audit_seal())
    return reports


# --- verifying ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Problem:
    position: int | None  # the first bad leaf index, when the problem has one
    reason: str
    # What went wrong, for saying it in a reader's words (audit.tasks.verify_words): a code and its numbers
    code: str = ""
    params: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class VerifyReport:
    checked: int  # leaves (sealed entries) recomputed
    heads: int
    trusted: int
    unsealed: int
    problem: Problem | None


def _leaves(batch: int) -> Iterator[tuple[int, str, int, AuditEntry | None]]:
    """(index, stored hash, entry id, entry or None when it is gone), in index order; a missing entry is not
    hidden by a join."""
    last = -1
    while True:
        rows = list(AuditLeaf.objects.filter(index__gt=last).order_by("index")
                    .values_list("index", "hash", "entry_id")[:batch])
        if not rows:
            return
        entries = AuditEntry.objects.in_bulk([entry_id for _, _, entry_id in rows])
        for index, digest, entry_id in rows:
            yield index, digest, entry_id, entries.get(entry_id)
        last = rows[-1][0]


def audit_verify(*, trusted_heads: Sequence[HeadView] = (), batch: int = 2000,
                 progress: Callable[[int, int], Any] | None = None) -> VerifyReport:
    """Rebuild the tree and check every entry, leaf and head, and the trusted heads (module docstring); report
    the first problem. Reads only: seal first (`audit_seal_all`) to include the newest entries."""
    keys = signing.known_public_keys()
    heads = {head.tree_size: head_view(head) for head in AuditTreeHead.objects.order_by("tree_size")}
    trusted: dict[int, HeadView] = {}
    for head in sorted(trusted_heads, key=lambda h: h.tree_size):
        bad = signing.signature_problem(key_id=head.key_id, message=head.message(), signature=head.signature,
                                        keys=keys)
        if bad:
            return _report(0, heads, trusted_heads, Problem(None, f"trusted head {head.tree_size}: {bad}",
                                                            "trusted_signature", {"size": head.tree_size}))
        trusted[head.tree_size] = head
    total = AuditLeaf.objects.count()
    frontier = merkle.Frontier.empty()
    good_head = good_trusted = 0
    checked = 0

    def at_checkpoint(size: int) -> Problem | None:
        nonlocal good_head, good_trusted
        root = frontier.root().hex()
        head = heads.get(size)
        if head is not None:
            bad = signing.signature_problem(key_id=head.key_id, message=head.message(), signature=head.signature,
                                            keys=keys)
            if bad:
                return Problem(good_head, f"head {size}: {bad}", "head_signature", {"size": size})
            if head.root_hash != root:
                return Problem(good_head, f"the first {size} leaves do not match signed head {size}: a leaf from "
                                          f"position {good_head} to {size - 1} was changed, moved or removed",
                               "head_mismatch", {"size": size, "first": good_head, "last": size - 1})
            good_head = size
        kept = trusted.get(size)
        if kept is not None:
            if head is not None and head != kept:
                return Problem(good_trusted, f"head {size} differs from the trusted copy: history rewritten from "
                                             f"position {good_trusted} to {size - 1}",
                               "trusted_differs", {"size": size, "first": good_trusted, "last": size - 1})
            if kept.root_hash != root:
                return Problem(good_trusted, f"the first {size} leaves do not match trusted head {size}: history "
                                             f"rewritten from position {good_trusted} to {size - 1}",
                               "trusted_mismatch", {"size": size, "first": good_trusted, "last": size - 1})
            good_trusted = size
        return None

    checkpoints = sorted(set(heads) | set(trusted))
    next_checkpoint = 0
    problem: Problem | None = None
    for index, stored, entry_id, entry in _leaves(batch):
        if index != frontier.size:
            problem = Problem(frontier.size, f"leaf {frontier.size} is missing (next is {index})", "leaf_missing",
                              {"index": frontier.size, "next": index})
            break
        if entry is None:
            problem = Problem(index, f"leaf {index}: entry {entry_id} is missing (deleted)", "entry_deleted",
                              {"index": index, "entry": entry_id})
            break
        digest = entry_leaf_hash(entry)
        if digest.hex() != stored:
            problem = Problem(index, f"leaf {index}: entry {entry_id} does not match its leaf (edited)",
                              "entry_edited", {"index": index, "entry": entry_id})
            break
        frontier = frontier.extend([digest])
        checked += 1
        while next_checkpoint < len(checkpoints) and checkpoints[next_checkpoint] == frontier.size:
            problem = at_checkpoint(frontier.size)
            next_checkpoint += 1
            if problem:
                break
        if problem:
            break
        if progress is not None and checked % batch == 0:
            progress(checked, total)
    if problem is None and next_checkpoint < len(checkpoints):
        size = checkpoints[next_checkpoint]
        whose = "trusted head" if size in trusted else "signed head"
        problem = Problem(frontier.size, f"{whose} {size} covers {size} leaves but the log holds {frontier.size}: "
                                         f"leaves {frontier.size} to {size - 1} are missing (history rewound)",
                          "rewound", {"size": size, "held": frontier.size, "first": frontier.size, "last": size - 1})
    if problem is None and frontier.size > good_head:
        problem = Problem(good_head, f"leaves {good_head} to {frontier.size - 1} are covered by no signed head "
                                     "(a head was removed, or the log was not sealed since)",
                          "uncovered", {"first": good_head, "last": frontier.size - 1})
    if progress is not None:
        progress(checked, total)
    return _report(checked, heads, trusted_heads, problem)


def _report(checked: int, heads: dict[int, HeadView], trusted: Sequence[HeadView],
            problem: Problem | None) -> VerifyReport:
    unsealed = AuditEntry.objects.filter(~Exists(AuditLeaf.objects.filter(entry_id=OuterRef("pk")))).count()
    return VerifyReport(checked=checked, heads=len(heads), trusted=len(trusted), unsealed=unsealed, problem=problem)


def read_heads(lines: Iterable[str]) -> list[HeadView]:
    """Heads from a JSON-lines file written by `audit_export_heads` (blank lines skipped)."""
    return [HeadView.from_json(line) for line in lines if line.strip()]
