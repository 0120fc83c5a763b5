"""The sequencer's loop (competitions.stream_runner): started in daphne processes only, and a commit wakes it."""

from __future__ import annotations

import time

import pytest

from competitions import stream_runner
from competitions.models import StreamDelta
from tests.competitions.steps import Scenario, mark


def test_the_sequencer_runs_in_daphne_only(settings) -> None:  # type: ignore[no-untyped-def]
    assert stream_runner.wanted(["/srv/.venv/bin/daphne", "-p", "8000", "config.asgi:application"])
    assert not stream_runner.wanted(["manage.py", "db_worker"]) and not stream_runner.wanted(["pytest"])
    settings.STREAM_SEQUENCE_INTERVAL = 0
    assert not stream_runner.wanted(["daphne"])


@pytest.mark.django_db(transaction=True)
def test_a_committed_mark_is_numbered_by_the_running_loop(  # type: ignore[no-untyped-def]
    scenario: Scenario, monkeypatch, settings
) -> None:
    """The loop as daphne runs it (a long tick, so only the commit's wake-up can explain a prompt number)."""
    s = scenario
    settings.STREAM_SEQUENCE_INTERVAL = 30
    monkeypatch.setattr("sys.argv", ["daphne"])
    assert stream_runner.start_if_wanted() is not None
    try:
        mark(s.referee_a, s.entries_b[0], s.aspects["A1"], 20)
        deadline = time.monotonic() + 10
        while StreamDelta.objects.filter(seq__isnull=True).exists() and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stream_runner.stop()
    assert list(StreamDelta.objects.values_list("seq", flat=True)) == [1]
