"""The theory exam's clock (certification.domain.exam_clock): the deadline from the sitting's events, time left,
the page's offset estimate, and whether an answer given at a moment is accepted; examples from the rules and
hypothesis properties (the deadline is monotone in extra time; an answer given before the deadline is accepted
whatever its arrival inside the offline window)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from certification.domain.exam_clock import (
    UNKNOWN_OFFSET,
    DeadlinePolicy,
    Disconnect,
    DisconnectPolicy,
    ExtraTime,
    OffsetEstimate,
    OffsetSample,
    Phase,
    Sitting,
    TimingPolicy,
    answer_refusal,
    check_policy,
    clock_view,
    deadline,
    estimate_offset,
    extra_time_refusal,
    time_left,
    timing,
)
from core.errors import RuleBroken

START = datetime(2026, 5, 9, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
MIN = timedelta(minutes=1)
SEC = timedelta(seconds=1)
RUNS_ON = TimingPolicy(duration=90 * MIN)
PAUSE = TimingPolicy(duration=90 * MIN, disconnect=DisconnectPolicy.PAUSE, pause_per_disconnect=5 * MIN,
                     pause_total=12 * MIN)
GRACE = TimingPolicy(duration=90 * MIN, deadline=DeadlinePolicy.GRACE, submit_grace=5 * MIN)
EXACT = OffsetEstimate(timedelta(0), timedelta(0))


def at(minutes: float) -> datetime:
    return START + timedelta(minutes=minutes)


def off(start: float, end: float | None) -> Disconnect:
    return Disconnect(at(start), None if end is None else at(end))


# --- policy -----------------------------------------------------------------------------------------------------

def test_a_theory_exam_lasts_at_least_ninety_minutes() -> None:
    assert check_policy(TimingPolicy(duration=89 * MIN)) == ["exam.policy.too_short"]
    assert check_policy(RUNS_ON) == [] and check_policy(PAUSE) == [] and check_policy(GRACE) == []


def test_every_problem_of_a_policy_is_named() -> None:
    policy = TimingPolicy(duration=60 * MIN, disconnect=DisconnectPolicy.PAUSE, pause_per_disconnect=10 * MIN,
                          pause_total=5 * MIN, deadline=DeadlinePolicy.GRACE, submit_grace=timedelta(0),
                          max_offline=-MIN)
    assert check_policy(policy) == ["exam.policy.too_short", "exam.policy.bad_pause", "exam.policy.bad_grace",
                                    "exam.policy.bad_window"]


# --- the deadline ----------------------------------------------------------------------------------------------

def test_the_deadline_is_the_start_plus_the_duration_plus_every_grant_of_extra_time() -> None:
    sitting = Sitting(START, extra=(ExtraTime(10 * MIN, "视力障碍"), ExtraTime(5 * MIN, "停电补时")))
    assert deadline(RUNS_ON, Sitting(START), at(0)) == at(90)
    assert deadline(RUNS_ON, sitting, at(0)) == at(105)


def test_when_the_clock_runs_on_a_disconnect_changes_nothing() -> None:
    sitting = Sitting(START, disconnects=(off(10, 20), off(30, None)))
    assert deadline(RUNS_ON, sitting, at(40)) == at(90)
    assert time_left(RUNS_ON, sitting, at(40)) == 50 * MIN


def test_a_paused_clock_credits_each_disconnect_up_to_its_cap_and_the_total_cap() -> None:
    # 3 min (all of it), 8 min (capped at 5), 7 min (capped at 5, then by the 12 min total: 4)
    sitting = Sitting(START, disconnects=(off(10, 13), off(20, 28), off(40, 47)))
    clock = timing(PAUSE, sitting, at(60))
    assert clock.paused == 12 * MIN
    assert clock.deadline == at(102)


def test_a_disconnect_still_going_moves_the_deadline_until_its_cap() -> None:
    sitting = Sitting(START, disconnects=(off(30, None),))
    assert deadline(PAUSE, sitting, at(32)) == at(92)
    assert time_left(PAUSE, sitting, at(32)) == 60 * MIN  # the countdown stands still while away
    assert deadline(PAUSE, sitting, at(50)) == at(95)  # capped at 5 minutes


def test_overlapping_reports_of_one_loss_are_counted_once() -> None:
    sitting = Sitting(START, disconnects=(off(10, 13), off(11, 14)))
    assert timing(PAUSE, sitting, at(60)).paused == 4 * MIN


def test_a_disconnect_after_the_deadline_counts_nothing_and_one_across_it_counts() -> None:
    assert deadline(PAUSE, Sitting(START, disconnects=(off(91, 95),)), at(100)) == at(90)
    assert deadline(PAUSE, Sitting(START, disconnects=(off(88, 91),)), at(100)) == at(93)


def test_a_disconnect_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(RuleBroken) as caught:
        timing(PAUSE, Sitting(START, disconnects=(Disconnect(at(10), at(9)),)), at(20))
    assert caught.value.code == "exam.clock.bad_disconnect"


def test_time_left_never_goes_below_zero_and_the_phase_follows_the_policy() -> None:
    sitting = Sitting(START)
    assert time_left(RUNS_ON, sitting, at(100)) == timedelta(0)
    assert timing(RUNS_ON, sitting, at(89)).phase is Phase.ANSWERING
    assert timing(RUNS_ON, sitting, at(90)).phase is Phase.CLOSED  # auto-submit at the deadline
    assert timing(GRACE, sitting, at(92)).phase is Phase.OVERDUE  # may submit, may not answer
    assert timing(GRACE, sitting, at(95)).phase is Phase.CLOSED
    assert timing(GRACE, sitting, at(92)).auto_submit_at == at(95)  # submitted, never abandoned
    assert timing(RUNS_ON, Sitting(START, submitted_at=at(50)), at(51)).phase is Phase.CLOSED


def test_the_page_gets_the_server_time_the_deadline_and_what_is_left() -> None:
    view = clock_view(timing(RUNS_ON, Sitting(START, extra=(ExtraTime(5 * MIN, "延时"),)), at(30)))
    assert (view.server_time, view.deadline, view.time_left, view.phase, view.extra) == (
        at(30), at(95), 65 * MIN, Phase.ANSWERING, 5 * MIN)


# --- extra time ------------------------------------------------------------------------------------------------

def test_extra_time_needs_a_reason_a_sensible_amount_and_an_open_sitting() -> None:
    sitting = Sitting(START)
    no_reason = extra_time_refusal(RUNS_ON, sitting, ExtraTime(10 * MIN, "  "), at(5))
    assert no_reason is not None and no_reason.code == "exam.extra.reason_required"
    for amount in (timedelta(0), -MIN, 91 * MIN):
        refusal = extra_time_refusal(RUNS_ON, sitting, ExtraTime(amount, "听力障碍"), at(5))
        assert refusal is not None and refusal.code == "exam.extra.bad_amount" and refusal.params == {"max": 90}
    assert extra_time_refusal(RUNS_ON, sitting, ExtraTime(10 * MIN, "听力障碍"), at(5)) is None
    assert extra_time_refusal(GRACE, sitting, ExtraTime(10 * MIN, "设备故障"), at(93)) is None  # still overdue
    closed = extra_time_refusal(RUNS_ON, sitting, ExtraTime(10 * MIN, "设备故障"), at(91))
    assert closed is not None and closed.code == "exam.extra.closed"
    with translation.override("zh-hans"):
        assert "不能重新开放" in closed.message


@settings(max_examples=200, deadline=None)
@given(grants=st.lists(st.integers(1, 90), max_size=4), more=st.integers(1, 90),
       disconnects=st.lists(st.tuples(st.integers(0, 150), st.integers(0, 20)), max_size=5),
       policy=st.sampled_from([RUNS_ON, PAUSE, GRACE]), asked=st.integers(0, 300))
def test_the_deadline_is_monotone_in_extra_time(grants: list[int], more: int, disconnects: list[tuple[int, int]],
                                                policy: TimingPolicy, asked: int) -> None:
    extra = tuple(ExtraTime(g * MIN, "延时") for g in grants)
    spans = tuple(off(s, s + d) for s, d in disconnects)
    before = deadline(policy, Sitting(START, extra, spans), at(asked))
    after = deadline(policy, Sitting(START, (*extra, ExtraTime(more * MIN, "延时")), spans), at(asked))
    assert after >= before + more * MIN  # the grant in full, and perhaps a disconnect that now falls inside


# --- the page's offset -----------------------------------------------------------------------------------------

def test_the_offset_comes_from_the_sample_with_the_least_round_trip() -> None:
    page_behind = timedelta(seconds=30)  # the page's clock is 30 s behind the server's

    def sample(sent: datetime, up: float, server: float, down: float) -> OffsetSample:
        received = sent + page_behind + timedelta(seconds=up)
        replied = received + timedelta(seconds=server)
        return OffsetSample(sent, received, replied, replied - page_behind + timedelta(seconds=down))

    slow = sample(at(0), 1.5, 0.1, 0.1)  # a congested uplink: skewed offset, long round trip
    fast = sample(at(1), 0.02, 0.1, 0.02)
    assert slow.round_trip == timedelta(seconds=1.6) and fast.round_trip == timedelta(seconds=0.04)
    estimate = estimate_offset([slow, fast])
    assert estimate == OffsetEstimate(page_behind, timedelta(seconds=0.04))
    assert estimate.uncertainty == timedelta(seconds=0.02)


def test_an_impossible_sample_is_ignored_and_no_sample_trusts_the_page_for_nothing() -> None:
    impossible = OffsetSample(at(0), at(0), at(0) + 2 * SEC, at(0) + SEC)  # the reply came back before it left
    assert impossible.round_trip < timedelta(0)
    assert estimate_offset([impossible]) is UNKNOWN_OFFSET
    assert estimate_offset([]) is UNKNOWN_OFFSET


# --- accepting an answer ---------------------------------------------------------------------------------------

def refusal_code(policy: TimingPolicy, page_time: datetime, received: datetime, *,
                 estimate: OffsetEstimate = EXACT, sitting: Sitting | None = None,
                 last: datetime | None = None) -> str | None:
    clock = timing(policy, sitting or Sitting(START), received)
    refusal = answer_refusal(clock, page_time=page_time, estimate=estimate, received_at=received,
                             last_acknowledged=last)
    return None if refusal is None else refusal.code


def test_an_answer_given_before_the_deadline_and_sent_on_reconnection_is_accepted() -> None:
    assert refusal_code(RUNS_ON, at(89.9), at(97)) is None  # queued offline, arrived 7 minutes late
    assert refusal_code(RUNS_ON, at(89.9), at(100)) is None  # the last instant of the offline window
    assert refusal_code(RUNS_ON, at(89.9), at(100) + SEC) == "exam.answer.too_late"


def test_an_answer_given_after_the_deadline_is_refused_whatever_the_policy() -> None:
    for policy in (RUNS_ON, GRACE, PAUSE):
        assert refusal_code(policy, at(90) + 3 * SEC, at(91)) == "exam.answer.after_deadline"


def test_the_tolerance_is_the_offsets_uncertainty_capped() -> None:
    half_second = OffsetEstimate(timedelta(0), timedelta(seconds=1))  # ± 0.5 s
    assert refusal_code(RUNS_ON, at(90) + timedelta(seconds=0.4), at(91), estimate=half_second) is None
    assert refusal_code(RUNS_ON, at(90) + timedelta(seconds=0.6), at(91), estimate=half_second) == (
        "exam.answer.after_deadline")
    wild = OffsetEstimate(timedelta(0), timedelta(seconds=60))  # ± 30 s, but the cap is 2 s
    assert refusal_code(RUNS_ON, at(90) + timedelta(seconds=1.9), at(91), estimate=wild) is None
    assert refusal_code(RUNS_ON, at(90) + timedelta(seconds=3), at(91), estimate=wild) == (
        "exam.answer.after_deadline")


def test_the_page_clock_is_corrected_by_the_offset() -> None:
    page_ahead = OffsetEstimate(-timedelta(minutes=3), timedelta(0))  # the page's clock is 3 minutes fast
    # stamped 92:00 on the page = 89:00 on the server
    assert refusal_code(RUNS_ON, at(92), at(95), estimate=page_ahead) is None
    page_behind = OffsetEstimate(timedelta(minutes=3), timedelta(0))
    assert refusal_code(RUNS_ON, at(88), at(95), estimate=page_behind) == "exam.answer.after_deadline"


def test_an_answer_that_arrived_before_the_deadline_is_in_time_whatever_the_page_claims() -> None:
    broken_clock = OffsetEstimate(timedelta(hours=2), timedelta(0))
    assert refusal_code(RUNS_ON, at(80), at(85), estimate=broken_clock) is None


def test_an_answer_stamped_before_the_start_or_before_the_last_saved_one_is_refused() -> None:
    assert refusal_code(RUNS_ON, at(-1), at(5)) == "exam.answer.before_start"
    assert refusal_code(RUNS_ON, at(0), at(5)) is None
    assert refusal_code(RUNS_ON, at(20), at(40), last=at(30)) == "exam.answer.out_of_order"
    assert refusal_code(RUNS_ON, at(30), at(40), last=at(30)) is None


def test_an_answer_given_after_the_candidate_submitted_is_refused() -> None:
    sitting = Sitting(START, submitted_at=at(60))
    assert refusal_code(RUNS_ON, at(61), at(61.5), sitting=sitting) == "exam.answer.after_submit"
    assert refusal_code(RUNS_ON, at(59), at(61.5), sitting=sitting) is None  # given before, flushed with submit


def test_a_paused_clock_accepts_the_answers_of_the_time_it_credited() -> None:
    sitting = Sitting(START, disconnects=(off(50, 54),))
    assert refusal_code(PAUSE, at(93), at(94), sitting=sitting) is None
    assert refusal_code(PAUSE, at(94.1), at(95), sitting=sitting) == "exam.answer.after_deadline"


def test_the_refusal_speaks_chinese_first() -> None:
    clock = timing(RUNS_ON, Sitting(START), at(91))
    refusal = answer_refusal(clock, page_time=at(91), estimate=EXACT, received_at=at(91))
    assert refusal is not None
    with translation.override("zh-hans"):
        assert refusal.message == "该答案作答于考试时间结束之后，未保存。"
    with translation.override("en"):
        assert "after the time was up" in refusal.message


@settings(max_examples=300, deadline=None)
@given(given_s=st.integers(0, 90 * 60), true_offset_s=st.integers(-3600, 3600),
       up_ms=st.integers(0, 1500), down_ms=st.integers(0, 1500), delay_s=st.floats(0, 1),
       policy=st.sampled_from([RUNS_ON, PAUSE, GRACE]))
def test_an_answer_given_before_the_deadline_is_accepted_whatever_its_arrival_in_the_window(
        given_s: int, true_offset_s: int, up_ms: int, down_ms: int, delay_s: float, policy: TimingPolicy) -> None:
    """The page's clock is off by any hour, the offset sample's network legs are asymmetric by up to 1.5 s (so the
    estimate errs by up to 0.75 s, within its uncertainty); the answer was given at any moment of the paper and
    arrives at any moment from then to the end of the offline window."""
    true_offset = timedelta(seconds=true_offset_s)
    sent = START - MIN
    received = sent + true_offset + timedelta(milliseconds=up_ms)
    replied = received + timedelta(milliseconds=3)
    got = replied - true_offset + timedelta(milliseconds=down_ms)
    estimate = estimate_offset([OffsetSample(sent, received, replied, got)])
    given_at = START + timedelta(seconds=given_s)
    clock_at_arrival = timing(policy, Sitting(START), given_at)
    arrival = given_at + (clock_at_arrival.settles_at - given_at) * delay_s
    clock = timing(policy, Sitting(START), arrival)
    assert answer_refusal(clock, page_time=given_at - true_offset, estimate=estimate, received_at=arrival) is None
