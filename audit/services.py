"""Writing to the audit log. `audit_record` is the one way every app appends an entry.

This module is the writer every app imports (accounts included, below audit in the layering), so it stands on
core alone; sealing and verifying the log live in audit.sealing.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, models
from django.utils import timezone

from audit.chain import normalise
from audit.models import AuditEntry
from core import sql
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
    """Append one entry: one INSERT, no shared lock, no read (DESIGN.md "Audit at scale"); must run inside the
    caller's transaction.

    Being inside the caller's transaction is the point: the change and its entry commit together or not at all.
    The entry's id comes from the table's sequence, so writers never wait for each other; the sealer gives it its
    place in the Merkle tree after it commits (audit.sealing). The actor is a person (recorded by id and
    username) or the system actor (no id, "system"); anything else, None or an anonymous visitor, is refused: an
    entry must say who did it.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record must run inside the service's transaction")
    if actor is not SYSTEM and not isinstance(actor, AbstractBaseUser):
        raise TypeError(f"audit_record needs a User or core.actors.SYSTEM as the actor, not {actor!r}")
    target_type, target_id = target_of(target)
    actor_obj = actor if isinstance(actor, AbstractBaseUser) else None
    entry = AuditEntry(
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
        salt=secrets.token_hex(16),  # what keeps a redacted entry's leaf hash from being guessed (audit.chain)
    )
    # Its INSERT composed once (core.sql), not by the ORM on each of the hundreds of entries a second a venue writes.
    return sql.insert(entry)


__all__ = ["audit_record", "target_of"]
