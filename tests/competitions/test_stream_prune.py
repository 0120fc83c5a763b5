"""Pruning the stream's history (competitions.services.stream, "Pruning"): the sequencer keeps the last
`STREAM_KEEP_DELTAS` deltas of an event; a resume from before them gets a snapshot (`history_gone`), one within
them the exact replay."""

from __future__ import annotations

from typing import Any

import pytest

from competitions.domain.stream import Audience
from competitions.models import StreamDelta
from competitions.selectors.stream import stream_resume, stream_state
from competitions.services.stream import stream_sequence
from tests.competitions.steps import Scenario, mark_by_measurer


@pytest.mark.django_db
def test_the_sequencer_keeps_the_last_deltas_and_a_resume_before_them_gets_a_snapshot(
    scenario: Scenario, settings: Any
) -> None:
    s = scenario
    settings.STREAM_KEEP_DELTAS = 4  # a prune each time the last seq crosses a multiple of 1
    epoch = ""
    for value in (20, 0, 20, 0, 20, 0, 20):
        mark_by_measurer(s, s.entries_b[0], "A1", value)
        epoch = stream_sequence(event_id=s.event.pk).epoch
    kept = list(StreamDelta.objects.filter(event=s.event).order_by("seq").values_list("seq", flat=True))
    assert kept == [4, 5, 6, 7]
    state = stream_state(s.event.pk)
    assert (state.first_retained, state.last) == (4, 7)
    gone = stream_resume(s.event.pk, Audience.PUBLIC, epoch, 2)
    assert gone.snapshot is not None and gone.decision.reason == "history_gone"
    replay = stream_resume(s.event.pk, Audience.PUBLIC, epoch, 3)  # the first kept one is the next it needs
    assert [d["seq"] for d in replay.deltas] == [4, 5, 6, 7]
    settings.STREAM_KEEP_DELTAS = 0  # keep everything
    mark_by_measurer(s, s.entries_b[0], "A1", 0)
    stream_sequence(event_id=s.event.pk)
    assert StreamDelta.objects.filter(event=s.event).count() == 5
