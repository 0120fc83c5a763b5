"""The sequencer with real concurrent writers and sequencers, on PostgreSQL (competitions.services.stream): marks
and two sequencers at once leave every delta numbered exactly once, 1…N without a gap, and each entry's deltas in
the order its marks committed, so the last delta of an entry carries its final total. SQLite runs one writer at a
time; the single-writer behaviour is covered by tests/competitions/test_stream.py."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection, connections  # noqa: F401 - `connection` is read by the skipif below

from competitions.models import Entry, StreamDelta
from competitions.services.stream import stream_sequence, stream_sequence_all
from tests.competitions.steps import Scenario, at_once, mark

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="concurrent writers need PostgreSQL"),
]


def test_marks_and_two_sequencers_at_once_number_every_delta_once_without_gaps(scenario: Scenario) -> None:
    s = scenario
    first, second = s.entries_b

    def marks(entry: Entry) -> Callable[[], None]:
        def run() -> None:
            for value in (20, 0, 20, 0, 20):
                mark(s.referee_a, entry, s.aspects["A1"], value)
        return run

    def sequencer() -> None:
        for _ in range(30):
            stream_sequence(event_id=s.event.pk)

    results = at_once([marks(first), marks(second), sequencer, sequencer])
    assert not [r for r in results if isinstance(r, Exception)]
    stream_sequence_all()  # whatever committed after the sequencers' last run
    seqs = list(StreamDelta.objects.filter(event=s.event).order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, 11))
    for entry in (first, second):
        # The practical part (before decryption the deltas carry no total), in commit order: the last is final.
        figures = [p["practical"] for p in StreamDelta.objects.filter(entry=entry).order_by("seq")
                   .values_list("payload", flat=True)]
        assert figures == ["20.0000", "0.0000", "20.0000", "0.0000", "20.0000"]
