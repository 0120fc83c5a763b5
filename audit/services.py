"""Writing to and checking the audit log. `audit_record` is the one way every app appends an entry."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, models
from django.utils import timezone

from audit.chain import GENESIS_HASH, BrokenLink, ChainedEntry, link_hash, normalise, verify_chain
from audit.models import AuditChainHead, AuditEntry
from core.actors import SYSTEM, SystemActor
from core.request_context import current_request_id


def target_of(obj: models.Model | tuple[str, Any]) -> tuple[str, str]:
    """("app_label.model", "pk") for a model instance, or an explicit (type, id) pair."""
    if isinstance(obj, tuple):
        return obj[0], str(obj[1])
    return obj._meta.label_lower, str(obj.pk)


def audit_record(
    *,
    actor: AbstractBaseUser | SystemActor,
    action: str,
    target: models.Model | tuple[str, Any],
    old: Any = None,
    new: Any = None,
    reason: str = "",
) -> AuditEntry:
    """Append one entry, chained onto the newest; must run inside the caller's transaction.

    Being inside the caller's transaction is the point: the change and its entry commit together or not at all.
    The actor is a person (recorded by id and username) or the system actor (no id, "system"); anything else,
    None or an anonymous visitor, is refused: an entry must say who did it.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record must run inside the service's transaction")
    if actor is not SYSTEM and not isinstance(actor, AbstractBaseUser):
        raise TypeError(f"audit_record needs a User or core.actors.SYSTEM as the actor, not {actor!r}")
    target_type, target_id = target_of(target)
    actor_obj = actor if isinstance(actor, AbstractBaseUser) else None
    # Lock the head so two concurrent writers cannot both chain onto the same predecessor (a forked chain).
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(
        id=1, defaults={"last_seq": 0, "last_hash": GENESIS_HASH}
    )
    chained = ChainedEntry(
        seq=head.last_seq + 1,
        created_at=timezone.now(),
        actor_id=actor_obj.pk if actor_obj is not None else None,
        actor_label=actor_obj.get_username() if actor_obj is not None else "system",
        action=action,
        target_type=target_type,
        target_id=target_id,
        old=normalise(old),
        new=normalise(new),
        reason=reason,
        request_id=current_request_id(),
    )
    digest = link_hash(head.last_hash, chained)
    entry = AuditEntry(
        seq=chained.seq,
        created_at=chained.created_at,
        actor_id=chained.actor_id,
        actor_label=chained.actor_label,
        action=action,
        target_type=target_type,
        target_id=target_id,
        old=chained.old,
        new=chained.new,
        reason=reason,
        request_id=chained.request_id,
        prev_hash=head.last_hash,
        hash=digest,
    )
    entry.save()
    head.last_seq = chained.seq
    head.last_hash = digest
    head.save(update_fields=["last_seq", "last_hash"])
    return entry


def _as_chained(entry: AuditEntry) -> ChainedEntry:
    return ChainedEntry(
        seq=entry.seq,
        created_at=entry.created_at,
        actor_id=entry.actor_id,
        actor_label=entry.actor_label,
        action=entry.action,
        target_type=entry.target_type,
        target_id=entry.target_id,
        old=entry.old,
        new=entry.new,
        reason=entry.reason,
        request_id=entry.request_id,
    )


@dataclass(frozen=True, slots=True)
class ChainReport:
    checked: int
    broken: BrokenLink | None


def _entries(batch: int) -> Iterator[tuple[ChainedEntry, str, str]]:
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=batch):
        yield _as_chained(entry), entry.prev_hash, entry.hash


def audit_verify(*, batch: int = 2000, progress: Any = None) -> ChainReport:
    """Re-compute the whole chain; report the first broken link, including entries missing at the end."""
    total = AuditEntry.objects.count()
    checked = 0

    def counted() -> Iterator[tuple[ChainedEntry, str, str]]:
        nonlocal checked
        for item in _entries(batch):
            checked += 1
            if progress is not None and checked % batch == 0:
                progress(checked, total)
            yield item

    broken = verify_chain(counted())
    if broken is None:
        head = AuditChainHead.objects.filter(id=1).first()
        last = AuditEntry.objects.order_by("-seq").only("seq", "hash").first()
        head_seq = head.last_seq if head else 0
        last_seq = last.seq if last else 0
        if head_seq != last_seq or (head is not None and last is not None and head.last_hash != last.hash):
            broken = BrokenLink(last_seq + 1, f"entries {last_seq + 1}..{head_seq} are missing at the end")
    if progress is not None:
        progress(checked, total)
    return ChainReport(checked=checked, broken=broken)



__all__ = ["audit_record", "audit_verify", "target_of"]
