"""Results of a certification batch (certification.domain.results): the pass rules part by part with every reason,
absences, the review period in working days, the state machine of a batch's results and objections; hypothesis
properties (a candidate passes exactly when every required part is ≥ 60; the review ends after at least the
period's working days)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from certification.domain.ladder import SkillLevel
from certification.domain.results import (
    RESULTS_MOVES,
    BatchResults,
    Part,
    PartResult,
    ResultsState,
    ReviewPeriod,
    Verdict,
    candidate_sees_results,
    duration_refusal,
    is_working_day,
    judge,
    move_refusal,
    objection_window_refusal,
    required_parts,
    review_ends,
)
from core.errors import RuleBroken

D = Decimal
SH = ZoneInfo("Asia/Shanghai")
T, P, R = Part.THEORY, Part.PRACTICAL, Part.REVIEW


def test_technicians_and_senior_technicians_also_sit_the_review() -> None:
    assert required_parts(SkillLevel.THREE) == (T, P)
    assert required_parts(SkillLevel.FIVE) == (T, P)
    assert required_parts(SkillLevel.TWO) == (T, P, R)
    assert required_parts(SkillLevel.ONE) == (T, P, R)


def test_each_part_lasts_at_least_its_minimum() -> None:
    assert duration_refusal(T, timedelta(minutes=90)) is None and duration_refusal(R, timedelta(minutes=30)) is None
    short = [duration_refusal(p, timedelta(minutes=m)) for p, m in ((T, 89), (P, 60), (R, 29))]
    assert [(r.code, r.params["minutes"]) for r in short if r is not None] == [
        ("results.too_short", 90), ("results.too_short", 90), ("results.too_short", 30)]
    with translation.override("zh-hans"):
        assert str(short[2]) == "综合评审时长不得少于 30 分钟。"


@pytest.mark.parametrize(("theory", "practical", "passed"), [
    ("60.0", "60.0", True), ("59.9", "95.0", False), ("100.0", "0.0", False), ("88.5", "72.0", True),
])
def test_a_candidate_passes_at_sixty_in_every_part(theory: str, practical: str, passed: bool) -> None:
    outcome = judge(SkillLevel.THREE, [PartResult(T, D(theory)), PartResult(P, D(practical))])
    assert outcome.passed is passed


def test_every_failing_part_is_named_with_its_own_reason() -> None:
    outcome = judge(SkillLevel.TWO, [PartResult(T, D("52.5")), PartResult(P, absent=True), PartResult(R, D(75))])
    assert outcome.passed is False
    assert [(r.part, r.verdict, r.code) for r in outcome.reasons] == [
        (T, Verdict.FAILED, "results.below_pass_mark"), (P, Verdict.ABSENT, "results.absent")]
    with translation.override("zh-hans"):
        assert [r.message for r in outcome.parts] == [
            "理论知识考试：52.5 分，低于合格线 60 分", "操作技能考核：缺考", "综合评审：75 分，合格"]
    with translation.override("en"):
        assert outcome.reasons[0].message == "Theory exam: 52.5, below the pass mark of 60"


def test_a_part_not_yet_scored_is_pending_not_failed_unless_another_part_failed() -> None:
    pending = judge(SkillLevel.TWO, [PartResult(T, D(80)), PartResult(P, D(70))])
    assert pending.passed is None and pending.pending and pending.parts[2].verdict is Verdict.PENDING
    failed = judge(SkillLevel.TWO, [PartResult(T, D(40))])
    assert failed.passed is False and [r.part for r in failed.reasons] == [T]


@pytest.mark.parametrize(("level", "result", "code"), [
    (SkillLevel.THREE, PartResult(R, D(80)), "results.part_not_sat"),
    (SkillLevel.THREE, PartResult(T, D(80), absent=True), "results.absent_with_score"),
    (SkillLevel.THREE, PartResult(T, D("100.1")), "results.bad_score"),
    (SkillLevel.THREE, PartResult(T, D(-1)), "results.bad_score"),
])
def test_impossible_part_results_are_refused(level: SkillLevel, result: PartResult, code: str) -> None:
    with pytest.raises(RuleBroken) as caught:
        judge(level, [result])
    assert caught.value.code == code


def test_a_part_given_twice_is_refused() -> None:
    with pytest.raises(RuleBroken) as caught:
        judge(SkillLevel.FOUR, [PartResult(T, D(70)), PartResult(T, D(75))])
    assert caught.value.code == "results.part_twice"


scores = st.one_of(st.none(), st.just("absent"), st.decimals(0, 100, places=1))


@settings(max_examples=300, deadline=None)
@given(level=st.sampled_from(list(SkillLevel)), parts=st.fixed_dictionaries({T: scores, P: scores, R: scores}))
def test_a_candidate_passes_exactly_when_every_required_part_reaches_sixty(
        level: SkillLevel, parts: dict[Part, Decimal | str | None]) -> None:
    results = [PartResult(p, None if v in (None, "absent") else D(v), absent=v == "absent")  # type: ignore[arg-type]
               for p, v in parts.items() if p in required_parts(level)]
    outcome = judge(level, results)
    values = [parts[p] for p in required_parts(level)]
    if any(v == "absent" or (isinstance(v, D) and v < 60) for v in values):
        assert outcome.passed is False
    elif any(v is None for v in values):
        assert outcome.passed is None
    else:
        assert outcome.passed is True
    assert len(outcome.parts) == len(required_parts(level))


# --- the review period ---------------------------------------------------------------------------------------------

def test_the_review_runs_five_full_working_days_after_the_day_it_starts() -> None:
    monday_afternoon = datetime(2026, 6, 1, 15, 30, tzinfo=SH)
    assert review_ends(monday_afternoon) == datetime(2026, 6, 9, 0, 0, tzinfo=SH)  # end of Monday 8 June
    friday = datetime(2026, 6, 5, 9, 0, tzinfo=SH)
    assert review_ends(friday) == datetime(2026, 6, 13, 0, 0, tzinfo=SH)  # end of Friday 12 June


def test_holidays_are_skipped_and_worked_weekend_days_count() -> None:
    # 端午节 2026: 19 June (Friday) off; suppose Sunday 28 June is worked in its place (调休)
    period = ReviewPeriod(holidays=frozenset({date(2026, 6, 19)}), workdays=frozenset({date(2026, 6, 28)}))
    assert not is_working_day(date(2026, 6, 19), period) and is_working_day(date(2026, 6, 28), period)
    start = datetime(2026, 6, 17, 10, 0, tzinfo=SH)  # Wednesday
    # 18, 22, 23, 24, 25 June
    assert review_ends(start, period) == datetime(2026, 6, 26, 0, 0, tzinfo=SH)
    start = datetime(2026, 6, 23, 10, 0, tzinfo=SH)  # Tuesday: 24, 25, 26, 28 (worked Sunday), 29
    assert review_ends(start, period) == datetime(2026, 6, 30, 0, 0, tzinfo=SH)


def test_the_period_is_data() -> None:
    start = datetime(2026, 6, 1, 15, 30, tzinfo=SH)
    assert review_ends(start, ReviewPeriod(working_days=7)) == datetime(2026, 6, 11, 0, 0, tzinfo=SH)
    assert review_ends(start, ReviewPeriod(working_days=0)) == start


@settings(max_examples=200, deadline=None)
@given(day=st.dates(date(2026, 1, 1), date(2027, 12, 31)), minute=st.integers(0, 24 * 60 - 1),
       days=st.integers(1, 15), holidays=st.sets(st.dates(date(2026, 1, 1), date(2028, 3, 1)), max_size=20))
def test_the_review_covers_the_periods_full_working_days(day: date, minute: int, days: int,
                                                         holidays: set[date]) -> None:
    start = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=SH)
    period = ReviewPeriod(working_days=days, holidays=frozenset(holidays))
    end = review_ends(start, period)
    assert end.time() == time(0) and end > start
    covered = [start.date() + timedelta(days=n) for n in range(1, (end.date() - start.date()).days)]
    assert sum(is_working_day(d, period) for d in covered) == days
    assert is_working_day(end.date() - timedelta(days=1), period)  # it ends with a working day, never a weekend


# --- the batch's results -------------------------------------------------------------------------------------------

NOW = datetime(2026, 6, 10, 10, 0, tzinfo=SH)
ENDS = datetime(2026, 6, 9, 0, 0, tzinfo=SH)
G, IR, PUB = ResultsState.GRADED, ResultsState.IN_REVIEW, ResultsState.PUBLISHED


def test_results_go_from_graded_to_review_to_published_and_no_step_is_skipped() -> None:
    assert RESULTS_MOVES[G] == {IR} and RESULTS_MOVES[IR] == {PUB, G} and RESULTS_MOVES[PUB] == frozenset()
    assert move_refusal(BatchResults(G), IR, NOW) is None
    assert move_refusal(BatchResults(IR, ENDS), PUB, NOW) is None
    skipped = move_refusal(BatchResults(G), PUB, NOW)
    assert skipped is not None and skipped.code == "results.bad_move" and skipped.status == 409
    with translation.override("zh-hans"):
        assert skipped.message == "成绩不能从“成绩已评定”变为“已公布”。"
    assert move_refusal(BatchResults(PUB), G, NOW) is not None  # published is final here


def test_review_waits_for_every_candidate() -> None:
    refusal = move_refusal(BatchResults(G, pending=3), IR, NOW)
    assert refusal is not None and refusal.code == "results.pending_candidates" and refusal.params == {"count": 3}


def test_publication_waits_for_the_end_of_the_review_and_every_answer() -> None:
    early = move_refusal(BatchResults(IR, ENDS), PUB, ENDS - timedelta(seconds=1))
    assert early is not None and early.code == "results.review_not_over"
    objected = move_refusal(BatchResults(IR, ENDS, open_objections=2), PUB, NOW)
    assert objected is not None and objected.code == "results.open_objections"


def test_a_correction_during_review_sends_the_batch_back_to_graded() -> None:
    assert move_refusal(BatchResults(IR, ENDS, open_objections=1), G, NOW) is None


def test_objections_only_during_the_review_period() -> None:
    assert objection_window_refusal(BatchResults(IR, ENDS), ENDS - timedelta(minutes=1)) is None
    for results, now in ((BatchResults(IR, ENDS), ENDS), (BatchResults(G), NOW), (BatchResults(PUB), NOW)):
        refusal = objection_window_refusal(results, now)
        assert refusal is not None and refusal.code == "results.not_in_review"


def test_candidates_see_their_results_from_the_start_of_the_review() -> None:
    assert [candidate_sees_results(s) for s in (G, IR, PUB)] == [False, True, True]
