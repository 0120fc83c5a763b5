"""The audit log's hash chain (DESIGN.md "Audit"), as pure functions.

Each entry stores `sha256(previous hash + canonical JSON of the entry)`. Canonical JSON: keys sorted, no
whitespace, UTF-8 kept as is (`ensure_ascii=False`), timestamps as ISO 8601 in UTC with microseconds. The first
entry's previous hash is 64 zeros. Re-computing the chain from the first entry proves that no entry was edited,
removed or inserted: any change breaks the link at that entry and every later one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

GENESIS_HASH = "0" * 64


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
class ChainedEntry:
    """What the hash covers: every field of an entry except its own hash."""

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


def link_hash(previous_hash: str, entry: ChainedEntry) -> str:
    return hashlib.sha256((previous_hash + canonical_json(entry.payload())).encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class BrokenLink:
    seq: int
    reason: str


def verify_chain(entries: Iterable[tuple[ChainedEntry, str, str]], start: Mapping[str, Any] | None = None) -> (
    BrokenLink | None
):
    """Walk (entry, stored previous hash, stored hash) in seq order; return the first broken link, or None.

    `start` may give `{"seq": n, "hash": h}` to resume after entry n (used to verify in batches).
    """
    expected_prev = GENESIS_HASH if start is None else start["hash"]
    expected_seq = 1 if start is None else start["seq"] + 1
    for entry, stored_prev, stored_hash in entries:
        if entry.seq != expected_seq:
            return BrokenLink(expected_seq, f"entry {expected_seq} is missing (next is {entry.seq})")
        if stored_prev != expected_prev:
            return BrokenLink(entry.seq, "previous hash does not match the entry before it")
        if link_hash(stored_prev, entry) != stored_hash:
            return BrokenLink(entry.seq, "content does not match its hash (edited)")
        expected_prev = stored_hash
        expected_seq += 1
    return None
