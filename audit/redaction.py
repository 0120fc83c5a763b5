"""Redacting audit entries at read time, for readers who may see an object's history but not every value in it
(issue 9 item 1).

Entries are append-only and their bytes are hashed into the Merkle tree (audit.chain), so nothing is ever rewritten:
what a reader is shown is computed when they read. An app that writes values some readers must not see yet
registers a redactor here (the competitions app: a workstation number, 工位号, before its skill is decrypted, for
anyone not on the skill's jury; competitions.selectors.anonymity). The audit app stands below the other apps and
does not know their rules, so it asks every registered redactor about the entries it is about to show: the history
page and API (audit.selectors.audit_history), an entry's inclusion proof (whose salt, the opening of the leaf, is
withheld from a reader shown the entry redacted) and the admin site's audit pages.

A redactor answers, for the entries it has a say on, what the reader gets instead of `old` and `new`, and which
fields it hid; entries it leaves out are shown as stored. Redactors get the whole page of entries at once, so they
read what they need in a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from audit.models import AuditEntry

REDACTED = "［解密前不显示］"  # what stands in for a hidden value (the reader's pages and API alike)


@dataclass(frozen=True, slots=True)
class Redacted:
    """What a reader is shown of one entry instead of its stored `old` and `new` (and `reason`, unless None: shown
    as stored); `fields` names what was hidden ("reason" among them when the reason is)."""

    old: Any
    new: Any
    fields: tuple[str, ...]
    reason: str | None = None


Redactor = Callable[[Any, Sequence[AuditEntry]], Mapping[int, Redacted]]

_REDACTORS: dict[str, Redactor] = {}


def register_redactor(name: str, redactor: Redactor) -> None:
    """Add (or replace) an app's redactor; `name` is the app's label, so registering twice keeps one."""
    _REDACTORS[name] = redactor


def redactions_for(viewer: Any, entries: Sequence[AuditEntry]) -> dict[int, Redacted]:
    """Entry id → what `viewer` is shown instead, for every entry some redactor hides something of."""
    if not entries:
        return {}
    hidden: dict[int, Redacted] = {}
    for redactor in _REDACTORS.values():
        for entry_id, redacted in redactor(viewer, entries).items():
            earlier = hidden.get(entry_id)
            if earlier is None:
                hidden[entry_id] = redacted
            else:  # two apps hide parts of one entry: neither answer holds the other's, so show neither value
                reason = REDACTED if REDACTED in (earlier.reason, redacted.reason) else None
                hidden[entry_id] = Redacted(REDACTED, REDACTED, (*earlier.fields, *redacted.fields, "old", "new"),
                                            reason)
    return hidden


def redact_keys(value: Any, keys: frozenset[str], hidden: set[str]) -> Any:
    """`value` with the value of every dict key in `keys`, at any depth, replaced by `REDACTED` (and the key added
    to `hidden`)."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key in keys and item not in (None, "", REDACTED):
                out[key] = REDACTED
                hidden.add(key)
            else:
                out[key] = redact_keys(item, keys, hidden)
        return out
    if isinstance(value, list):
        return [redact_keys(item, keys, hidden) for item in value]
    return value
