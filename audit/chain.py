"""What an audit entry's hash covers, as pure functions (DESIGN.md "Audit", "Audit at scale").

Canonical JSON: keys sorted, no whitespace, UTF-8 kept as is (`ensure_ascii=False`), timestamps as ISO 8601 in UTC
with microseconds. An entry's leaf data (the bytes its Merkle leaf hashes, audit.merkle) is the canonical JSON of
every field of the entry, its id included, so an edited field, an entry swapped for another or moved to another
id all change the leaf. Entries written since issue 9 item 1 carry a random `salt` (128 bits) the leaf covers too:
an entry shown redacted (audit.redaction) keeps its hidden values out of reach of anyone who holds its leaf hash
(an inclusion proof, or a neighbour's proof, where it is a sibling) and tries each value a field can take; entries
without a salt hash as they always did.

The `legacy_*` part is the hash chain the log used before the Merkle tree (one locked head row, each entry storing
`sha256(previous hash + canonical JSON of the entry with its seq)`); migration 0003 checks it one last time before
it turns the chained entries into leaves, so a history broken before the move is not sealed as if it were whole.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_default)


def normalise(value: Any) -> Any:
    """The JSON value as it will read back from the database (Decimals and dates become strings)."""
    return json.loads(canonical_json(value))


@dataclass(frozen=True, slots=True)
class EntryRecord:
    """Every stored field of an entry: what its leaf covers."""

    id: int
    created_at: datetime
    actor_id: int | None
    actor_label: str
    action: str
    target_type: str
    target_id: str
    old: Any
    new: Any
    reason: str
    request_id: str
    salt: str | None = None

    def leaf_data(self) -> bytes:
        data: dict[str, Any] = {
            "id": self.id,
            "created_at": self.created_at.astimezone(UTC).isoformat(timespec="microseconds"),
            "actor_id": self.actor_id,
            "actor_label": self.actor_label,
            "action": self.action,
            "target_type": self.target_type,
            "target_id": self.target_id,
            "old": self.old,
            "new": self.new,
            "reason": self.reason,
            "request_id": self.request_id,
        }
        if self.salt:  # entries written before the salt existed hash exactly as they were sealed
            data["salt"] = self.salt
        return canonical_json(data).encode("utf-8")


# --- the legacy hash chain (before migration 0003) ---------------------------------------------------------------

LEGACY_GENESIS_HASH = "0" * 64


@dataclass(frozen=True, slots=True)
class LegacyChainedEntry:
    seq: int
    created_at: datetime
    actor_id: int | None
    actor_label: str
    action: str
    target_type: str
    target_id: str
    old: Any
    new: Any
    reason: str
    request_id: str

    def payload(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "created_at": self.created_at.astimezone(UTC).isoformat(timespec="microseconds"),
            "actor_id": self.actor_id,
            "actor_label": self.actor_label,
            "action": self.action,
            "target_type": self.target_type,
            "target_id": self.target_id,
            "old": self.old,
            "new": self.new,
            "reason": self.reason,
            "request_id": self.request_id,
        }


def legacy_link_hash(previous_hash: str, entry: LegacyChainedEntry) -> str:
    return hashlib.sha256((previous_hash + canonical_json(entry.payload())).encode("utf-8")).hexdigest()


def legacy_first_broken_link(entries: Iterable[tuple[LegacyChainedEntry, str, str]]) -> tuple[int, str] | None:
    """Walk (entry, stored previous hash, stored hash) in seq order; (seq, reason) of the first broken link."""
    expected_prev, expected_seq = LEGACY_GENESIS_HASH, 1
    for entry, stored_prev, stored_hash in entries:
        if entry.seq != expected_seq:
            return expected_seq, f"entry {expected_seq} is missing (next is {entry.seq})"
        if stored_prev != expected_prev:
            return entry.seq, "previous hash does not match the entry before it"
        if legacy_link_hash(stored_prev, entry) != stored_hash:
            return entry.seq, "content does not match its hash (edited)"
        expected_prev = stored_hash
        expected_seq += 1
    return None
