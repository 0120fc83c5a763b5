"""Signals competitions sends for readers above it (the talent pool re-runs intake on them; competitions imports
none of them). Sent after the publishing transaction commits, with the people named in the published rows."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.dispatch import Signal

# kwargs: skill_id (int), person_ids (a sorted list of ints). Sent after a skill's results are published and after
# each correction stores a new version of them.
results_published = Signal()


def results_published_on_commit(skill_id: int, person_ids: Iterable[int]) -> None:
    ids = sorted({int(i) for i in person_ids})
    transaction.on_commit(lambda: results_published.send(sender="competitions", skill_id=skill_id, person_ids=ids))
