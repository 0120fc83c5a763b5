"""The signing keys' writes, audited (issue 13 item 4): generating the first key and rotating. The keys live in
files (certification.keys), never in the database, so the file is written first and the audit entry after it,
in its own transaction: a failed audit write leaves a key that was made but not recorded, never a record of a
key that does not exist. Only the public part is recorded (kid, public key); the audit log never holds a secret.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from audit.services import audit_record
from certification import keys


def _record(*, actor: Any, action: str, info: keys.PublicKeyInfo, retired: str | None) -> None:
    with transaction.atomic(durable=True):
        audit_record(actor=actor, action=action, target=("certificate_key", info.kid),
                     old={"active": retired} if retired else None,
                     new={"kid": info.kid, "algorithm": info.algorithm, "public_key": info.public_key_b64url,
                          "valid_from": info.valid_from.isoformat()})


def certificate_key_generate(*, actor: Any) -> keys.PublicKeyInfo:
    """The first signing key of an empty store (refused when one exists: `Conflict`)."""
    info = keys.key_generate()
    _record(actor=actor, action="certification.certificate_key.generated", info=info, retired=None)
    return info


def certificate_key_rotate(*, actor: Any) -> keys.PublicKeyInfo:
    """A new active key; the previous one retires (valid_until now) and stays published."""
    retired = keys.active_key_id() if keys.public_keys() else None
    info = keys.key_rotate()
    _record(actor=actor, action="certification.certificate_key.rotated", info=info, retired=retired)
    return info
