"""The stream's recovery rule and audience projections (competitions.domain.stream)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from competitions.domain.stream import (
    Audience,
    Resume,
    StreamState,
    parse_position,
    project,
    resume_decision,
)

STREAM = StreamState(epoch="e1", first_retained=11, last=20)  # 1–10 pruned


@pytest.mark.parametrize(("epoch", "seq", "kind", "reason", "replayed"), [
    (None, None, Resume.SNAPSHOT, "no_position", []),
    ("e1", None, Resume.SNAPSHOT, "no_position", []),
    ("e1", -1, Resume.SNAPSHOT, "no_position", []),
    ("e0", 15, Resume.SNAPSHOT, "epoch_changed", []),
    ("e1", 21, Resume.SNAPSHOT, "future", []),
    ("e1", 10**12, Resume.SNAPSHOT, "future", []),
    ("e1", 9, Resume.SNAPSHOT, "history_gone", []),
    ("e1", 10, Resume.REPLAY, "", list(range(11, 21))),  # the first retained one is the next it needs
    ("e1", 17, Resume.REPLAY, "", [18, 19, 20]),  # a gap: exactly what was missed
    ("e1", 20, Resume.REPLAY, "", []),  # up to date: recovered, nothing to send
])
def test_a_resuming_client_gets_the_missed_deltas_or_a_snapshot(
    epoch: str | None, seq: int | None, kind: Resume, reason: str, replayed: list[int]
) -> None:
    decision = resume_decision(epoch, seq, STREAM)
    assert (decision.kind, decision.reason, list(decision.replayed())) == (kind, reason, replayed)


def test_an_empty_stream_replays_nothing_from_zero_and_snapshots_anything_later() -> None:
    empty = StreamState(epoch="e", first_retained=1, last=0)
    assert resume_decision("e", 0, empty).kind is Resume.REPLAY
    assert resume_decision("e", 1, empty).reason == "future"


@given(first=st.integers(1, 1000), length=st.integers(0, 200), seq=st.integers(0, 1400))
def test_a_replay_is_exactly_the_missing_range(first: int, length: int, seq: int) -> None:
    stream = StreamState(epoch="e", first_retained=first, last=first + length - 1)
    retained = set(range(stream.first_retained, stream.last + 1))
    decision = resume_decision("e", seq, stream)
    if decision.kind is Resume.REPLAY:
        sent = list(decision.replayed())
        # everything after the client's position, nothing before, all retained, in order
        assert sent == sorted(s for s in retained if s > seq)
        assert set(range(seq + 1, stream.last + 1)) <= retained
    else:
        assert seq > stream.last or seq < stream.first_retained - 1


PAYLOAD = {
    "kind": "mark", "skill": 3, "workstation_no": "05", "aspect": "J1", "aspect_mark": "6.6667",
    "divergent": False, "judgement": True, "signed_off": False, "decrypted": False, "total": "6.67",
    "scores": [{"referee": 41, "value": "2"}, {"referee": 42, "value": "2"}], "names": ["张三"], "signed_by": 9,
}


def test_the_public_never_sees_referees_names_before_decryption_or_judgement_scores_before_sign_off() -> None:
    public = project(PAYLOAD, Audience.PUBLIC)
    assert public == {"kind": "mark", "skill": 3, "workstation_no": "05", "aspect": "J1",
                      "aspect_mark": "6.6667", "divergent": False, "judgement": True, "signed_off": False,
                      "decrypted": False, "total": "6.67"}  # absent, not masked


def test_the_jury_sees_the_panel_with_referees_but_no_names_before_decryption() -> None:
    jury = project(PAYLOAD, Audience.JURY)
    assert jury["scores"] == PAYLOAD["scores"] and jury["signed_by"] == 9
    assert "names" not in jury


def test_after_sign_off_and_decryption_the_public_sees_scores_without_referees_and_names() -> None:
    public = project({**PAYLOAD, "signed_off": True, "decrypted": True}, Audience.PUBLIC)
    assert public["scores"] == [{"value": "2"}, {"value": "2"}]
    assert public["names"] == ["张三"] and "signed_by" not in public


def test_an_unknown_field_stays_with_the_jury() -> None:
    assert "new_thing" not in project({**PAYLOAD, "new_thing": 1}, Audience.PUBLIC)
    assert project({**PAYLOAD, "new_thing": 1}, Audience.JURY)["new_thing"] == 1


@pytest.mark.parametrize(("text", "position"), [
    ("abc:12", ("abc", 12)), ("abc:0", ("abc", 0)), ("", (None, None)), (None, (None, None)),
    ("abc", (None, None)), (":5", (None, None)), ("abc:-1", (None, None)), ("abc:x", (None, None)),
    ("abc:" + "9" * 30, (None, None)),
])
def test_a_since_token_is_read_or_taken_as_no_position(text: str | None, position: tuple[object, object]) -> None:
    assert parse_position(text) == position
