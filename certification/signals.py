"""Signals certification sends for readers above it (the talent pool re-runs intake on them; certification
imports none of them). Sent once after the writing transaction commits, with every person it concerned (a batch
issuance of 300 certificates sends one signal naming 300 people, not 300 signals)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.dispatch import Signal

# kwargs: person_ids (a sorted list of ints). Sent after issuance, revocation, re-issue, an appointment recorded or
# ended, and a level recorded or withdrawn by hand.
certificates_changed = Signal()


def certificates_changed_on_commit(person_ids: Iterable[int]) -> None:
    ids = {int(i) for i in person_ids}
    if not ids:
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        certificates_changed.send(sender="certification", person_ids=sorted(ids))
        return
    # One callback per transaction: find ours among the pending ones (a rollback drops it with its ids).
    for _savepoints, callback, _robust in connection.run_on_commit:
        pending = getattr(callback, "certificates_changed_ids", None)
        if pending is not None:
            pending.update(ids)
            return

    def send() -> None:
        pending = send.certificates_changed_ids  # type: ignore[attr-defined]
        send.certificates_changed_ids = None  # type: ignore[attr-defined]  # sent: never joined again
        certificates_changed.send(sender="certification", person_ids=sorted(pending))

    send.certificates_changed_ids = ids  # type: ignore[attr-defined]
    transaction.on_commit(send)
