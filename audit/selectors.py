"""Reading the audit log: an object's history, for those who may see that object's changes; the signed tree heads
and the proofs, for anyone (audit/permissions.py says why).

Proofs are computed from the stored leaf hashes of the tree they are asked against, O(size) hashing; fine at the
embedded default's sizes, and a cache of inner nodes (CT's tiles) is the step when logs grow to tens of millions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.apps import apps
from django.db.models import QuerySet

from accounts.permissions import can, require
from audit import merkle
from audit.labels import FieldChange, action_label, field_changes
from audit.models import AuditEntry, AuditLeaf, AuditTreeHead
from audit.permissions import Action
from audit.redaction import Redacted, redactions_for
from audit.sealing import HeadView, head_view
from audit.targets import MAX_QUERY, PER_KIND, target_kind, target_kinds
from core.errors import Conflict, NotFound, RuleBroken


def resolve_target(target_type: str, target_id: str) -> Any:
    """The object an entry is about; NotFound for an unknown type or a missing object."""
    try:
        model = apps.get_model(target_type)
    except (LookupError, ValueError):
        raise NotFound() from None
    try:
        obj = model._default_manager.filter(pk=target_id).first()
    except (ValueError, TypeError):
        obj = None
    if obj is None:
        raise NotFound()
    return obj


@dataclass(frozen=True, slots=True)
class AuditEntryView:
    """One entry as the history page and API show it: its id (the order writes were made in) and, once sealed, its
    leaf index (its place in the signed tree). Named apart from competitions' EntryView (a registration): the
    OpenAPI document names its schemas by class name, and one name for both documented the audit log's entries
    as registrations."""

    id: int
    leaf_index: int | None
    created_at: datetime
    actor_label: str
    action: str
    target_type: str
    target_id: str
    old: Any
    new: Any
    reason: str
    request_id: str
    # Fields whose values this reader is not shown yet (audit.redaction), each replaced by audit.redaction.REDACTED
    redacted: list[str] = field(default_factory=list)
    # The action and the changed fields in words (audit.labels), computed from the redacted old and new
    action_label: str = ""
    changes: list[FieldChange] = field(default_factory=list)


def _entry_view(entry: AuditEntry, leaf_index: int | None, redacted: Redacted | None = None) -> AuditEntryView:
    old, new = (entry.old, entry.new) if redacted is None else (redacted.old, redacted.new)
    reason = entry.reason if redacted is None or redacted.reason is None else redacted.reason
    return AuditEntryView(
        id=entry.pk, leaf_index=leaf_index, created_at=entry.created_at, actor_label=entry.actor_label,
        action=entry.action, target_type=entry.target_type, target_id=entry.target_id, old=old, new=new,
        reason=reason, request_id=entry.request_id,
        redacted=sorted(redacted.fields) if redacted is not None else [], action_label=action_label(entry.action),
        changes=field_changes(action=entry.action, target_type=entry.target_type, old=old, new=new),
    )


def audit_entries_for(*, viewer: Any, target_type: str, target_id: str) -> QuerySet[AuditEntry]:
    """The change history of one object, oldest first, if `viewer` may see its changes (NotFound otherwise)."""
    require(viewer, Action.AUDIT_VIEW, resolve_target(target_type, target_id))
    return AuditEntry.objects.filter(target_type=target_type, target_id=target_id).order_by("id")


def audit_history(*, viewer: Any, target_type: str, target_id: str, offset: int = 0,
                  limit: int = 500) -> list[AuditEntryView]:
    """One page of an object's history as views, each with its leaf index once sealed, and redacted for the viewer
    where an app says so (audit.redaction)."""
    entries = list(audit_entries_for(viewer=viewer, target_type=target_type, target_id=target_id)
                   [offset: offset + limit])
    leaves = dict(AuditLeaf.objects.filter(entry_id__in=[e.pk for e in entries]).values_list("entry_id", "index"))
    hidden = redactions_for(viewer, entries)
    return [_entry_view(e, leaves.get(e.pk), hidden.get(e.pk)) for e in entries]


@dataclass(frozen=True, slots=True)
class TargetView:
    """The object a history is about, as its page names it ("赛项：电工"), and how many entries it has."""

    target_type: str
    target_id: str
    kind: str
    name: str
    total: int


def audit_target(*, viewer: Any, target_type: str, target_id: str) -> TargetView:
    """Name the object whose history `viewer` asks for (NotFound or PermissionDenied as `audit_entries_for`)."""
    obj = resolve_target(target_type, target_id)
    require(viewer, Action.AUDIT_VIEW, obj)
    kind = target_kind(target_type)
    # An unregistered kind is named by its model and id only: its str() might say what the reader may not see yet
    # (a sheet's 工位号 before decryption, audit.redaction).
    label = str(kind.label) if kind is not None else str(obj._meta.verbose_name)
    name = kind.describe(obj) if kind is not None else f"#{obj.pk}"
    total = AuditEntry.objects.filter(target_type=target_type, target_id=target_id).count()
    return TargetView(target_type=target_type, target_id=str(target_id), kind=label, name=name, total=total)


@dataclass(frozen=True, slots=True)
class TargetHitView:
    """One search result: which kind of object (赛事, 赛项, 人员, 单位 …), its name, and its history's target."""

    kind: str
    name: str
    target_type: str
    target_id: str


def audit_targets_search(*, viewer: Any, query: str, per_kind: int = PER_KIND) -> list[TargetHitView]:
    """The objects named like `query` whose history `viewer` may see, kind by kind, as the registered kinds'
    search functions find them (audit.targets); none for an empty query."""
    require(viewer, Action.AUDIT_VIEW)
    query = query.strip()[:MAX_QUERY]
    if not query:
        return []
    hits: list[TargetHitView] = []
    for kind in target_kinds():
        if kind.search is None:
            continue
        for match in list(kind.search(viewer, query, per_kind))[:per_kind]:
            hits.append(TargetHitView(kind=str(kind.label), name=match.name, target_type=kind.target_type,
                                      target_id=match.target_id))
    return hits


def audit_entries_all(*, viewer: Any) -> QuerySet[AuditEntry]:
    """The whole log, newest first: the platform admin only."""
    require(viewer, Action.AUDIT_VERIFY)
    return AuditEntry.objects.order_by("-id")


# --- heads and proofs (public: audit/permissions.py) ---------------------------------------------------------------

def audit_heads(*, after_size: int = 0, limit: int = 1000) -> list[HeadView]:
    """Signed tree heads, smallest first, from the first one larger than `after_size`."""
    return [head_view(h) for h in AuditTreeHead.objects.filter(tree_size__gt=after_size).order_by("tree_size")[:limit]]


def audit_head(*, tree_size: int | None = None) -> HeadView:
    """The head of that size, or the newest; NotFound when there is none."""
    heads = AuditTreeHead.objects.order_by("-tree_size")
    head = heads.filter(tree_size=tree_size).first() if tree_size is not None else heads.first()
    if head is None:
        raise NotFound()
    return head_view(head)


def _leaf_hashes(size: int) -> list[bytes]:
    return [bytes.fromhex(h) for h in
            AuditLeaf.objects.filter(index__lt=size).order_by("index").values_list("hash", flat=True)]


@dataclass(frozen=True, slots=True)
class InclusionProofView:
    """RFC 9162 2.1.3: the entry's leaf is at `leaf_index` of the tree that `head` signed."""

    entry_id: int
    leaf_index: int
    leaf_hash: str
    path: list[str]
    head: HeadView
    # The blinding salt the leaf covers (audit.chain), to recompute `leaf_hash` from the entry; null when the entry
    # has none (written before salts) or is shown to this reader redacted (audit.redaction), whose hidden values
    # the salt would let them guess back from `leaf_hash`.
    salt: str | None = None


@dataclass(frozen=True, slots=True)
class ConsistencyProofView:
    """RFC 9162 2.1.4: the tree `first` signed is a prefix of the tree `second` signed."""

    first: HeadView
    second: HeadView
    path: list[str]


def audit_inclusion_proof(*, viewer: Any, entry_id: int, tree_size: int | None = None) -> InclusionProofView:
    """Prove an entry is in the tree of a signed head (the newest by default), for whoever may see the entry."""
    entry = AuditEntry.objects.filter(pk=entry_id).first()
    if entry is None:
        raise NotFound()
    if not can(viewer, Action.AUDIT_VERIFY):
        require(viewer, Action.AUDIT_VIEW, resolve_target(entry.target_type, entry.target_id))
    leaf = AuditLeaf.objects.filter(entry_id=entry.pk).first()
    if leaf is None:
        raise Conflict("audit.not_sealed", {"entry": entry_id, "tree_size": tree_size or "-"})
    head = audit_head(tree_size=tree_size)
    if leaf.index >= head.tree_size:
        raise Conflict("audit.not_sealed", {"entry": entry_id, "tree_size": head.tree_size})
    leaves = _leaf_hashes(head.tree_size)
    path = merkle.inclusion_proof(leaf.index, leaves)
    salt = None if redactions_for(viewer, [entry]) else entry.salt
    return InclusionProofView(entry_id=entry.pk, leaf_index=leaf.index, leaf_hash=leaf.hash,
                              path=[p.hex() for p in path], head=head, salt=salt)


def audit_consistency_proof(*, first_size: int, second_size: int) -> ConsistencyProofView:
    """Prove the older of two signed heads is a prefix of the newer."""
    if first_size > second_size:
        raise RuleBroken("audit.bad_sizes", {"first": first_size, "second": second_size})
    first, second = audit_head(tree_size=first_size), audit_head(tree_size=second_size)
    path = merkle.consistency_proof(first.tree_size, _leaf_hashes(second.tree_size))
    return ConsistencyProofView(first=first, second=second, path=[p.hex() for p in path])
