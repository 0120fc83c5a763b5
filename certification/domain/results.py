"""Results of a certification batch (DESIGN.md "Certification" → "Exam parts"; issue 12 item 9): who passed, why
a candidate failed, the review period (公示) and the state machine of a batch's results.

Rules, and the choices where the issue and DESIGN.md are silent (each is tested):

- **Parts**: theory (理论知识考试) and practical (操作技能考核) for every level; for 二级/技师 and 一级/高级技师 also
  the comprehensive review (综合评审). Each is out of 100, and a part passes at ≥ 60 on its score as shown (one
  decimal, already rounded half up by grading and practical): 59.9 fails, 60.0 passes.
- **Durations** (DESIGN.md): theory and practical at least 90 minutes, the review at least 30
  (`duration_refusal`, for the batch's plan).
- **A candidate passes** when every required part passes. Every part is judged and every failing part named with
  its own reason (below the pass mark, with the score; absent, 缺考), never only the first; a part not yet scored
  makes the outcome pending (`passed` is None), not a failure. An absent part counts as failed, and a score given
  to a part recorded absent, a part the level does not have, or a score outside 0–100 is refused.
- **Review period** (公示): data, `ReviewPeriod` (default 5 working days, as competitions' 公示 and common
  practice for skill-level results). A working day is Monday to Friday, except the holidays the period lists, plus
  the weekend days worked in their place (调休) it lists. The day the review starts is never counted (it is
  partial), so a review started on a Monday afternoon runs to the end (24:00) of the next Monday: five full
  working days. The caller passes the start in the province's time zone (Asia/Shanghai), so days are local.
- **States** (`ResultsState`, one table of moves `RESULTS_MOVES`): graded (成绩已评定) → in review (公示中) →
  published (已公布). Review starts only when no candidate's outcome is pending (every part scored or recorded
  absent, every practical sheet final). Publication waits for the end of the review period and for an answer to
  every objection. A result corrected during the review (an objection upheld) sends the batch back to graded, and
  its review starts again in full: the public must see the corrected list for the whole period. Published is
  final here; a later correction is an audited correction, not a move of this machine.
- **Objections** are accepted only while the batch is in review and before its period ends. Who may object (a
  real-name account; 公示 exists for public scrutiny) is an access rule, not this module's.
- **Candidates see their own results** (each part's score and verdict, and why they failed) from the start of the
  review on, never while the batch is only graded (the examiners are still checking it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from certification.domain.ladder import SkillLevel
from core.errors import Conflict, DomainError, RuleBroken, render_message

PASS_MARK = Decimal(60)
MAX_SCORE = Decimal(100)
DEFAULT_REVIEW_DAYS = 5


class Part(StrEnum):
    THEORY = "theory"  # 理论知识考试
    PRACTICAL = "practical"  # 操作技能考核
    REVIEW = "review"  # 综合评审

    @property
    def label_zh(self) -> str:
        return _PART_LABELS[self]


_PART_LABELS = {Part.THEORY: "理论知识考试", Part.PRACTICAL: "操作技能考核", Part.REVIEW: "综合评审"}
REVIEWED_LEVELS = frozenset({SkillLevel.ONE, SkillLevel.TWO})


MIN_DURATIONS: Mapping[Part, timedelta] = {
    Part.THEORY: timedelta(minutes=90), Part.PRACTICAL: timedelta(minutes=90), Part.REVIEW: timedelta(minutes=30)}


def duration_refusal(part: Part, duration: timedelta) -> RuleBroken | None:
    """Why a part cannot be planned to last `duration`, or None: at least its minimum (module docstring)."""
    minimum = MIN_DURATIONS[part]
    if duration < minimum:
        return RuleBroken("results.too_short", {"part": part.label_zh, "minutes": int(minimum.total_seconds() // 60)},
                          "The {part} must last at least {minutes} minutes.")
    return None


def required_parts(level: SkillLevel) -> tuple[Part, ...]:
    """The parts a candidate for `level` sits: theory and practical, and the review for 二级 and 一级."""
    if level in REVIEWED_LEVELS:
        return (Part.THEORY, Part.PRACTICAL, Part.REVIEW)
    return (Part.THEORY, Part.PRACTICAL)


@dataclass(frozen=True, slots=True)
class PartResult:
    """A candidate's result in one part: the score out of 100, or absent (缺考), or neither yet."""

    part: Part
    score: Decimal | None = None
    absent: bool = False


class Verdict(StrEnum):
    PASSED = "passed"  # 合格
    FAILED = "failed"  # 不合格
    ABSENT = "absent"  # 缺考
    PENDING = "pending"  # 待评定


@dataclass(frozen=True, slots=True)
class PartOutcome:
    """One part judged, with the words saying why (a message code of certification.errors and its parameters)."""

    part: Part
    verdict: Verdict
    score: Decimal | None
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return render_message(self.code, {**self.params, "part": render_message(f"results.part.{self.part}", {})})

    @property
    def failed(self) -> bool:
        return self.verdict in (Verdict.FAILED, Verdict.ABSENT)


@dataclass(frozen=True, slots=True)
class Outcome:
    """A candidate's outcome: every required part judged; passed is None while a part is pending."""

    level: SkillLevel
    parts: tuple[PartOutcome, ...]

    @property
    def pending(self) -> bool:
        return any(p.verdict is Verdict.PENDING for p in self.parts)

    @property
    def passed(self) -> bool | None:
        if any(p.failed for p in self.parts):
            return False
        return None if self.pending else True

    @property
    def reasons(self) -> tuple[PartOutcome, ...]:
        """Every failing part, in part order: why the candidate did not pass."""
        return tuple(p for p in self.parts if p.failed)


def _judge_part(part: Part, result: PartResult | None) -> PartOutcome:
    if result is None or (result.score is None and not result.absent):
        return PartOutcome(part, Verdict.PENDING, None, "results.pending")
    if result.absent:
        return PartOutcome(part, Verdict.ABSENT, None, "results.absent")
    score = result.score
    assert score is not None  # noqa: S101 - neither pending nor absent
    params = {"score": score, "pass_mark": PASS_MARK}
    if score >= PASS_MARK:
        return PartOutcome(part, Verdict.PASSED, score, "results.passed", params)
    return PartOutcome(part, Verdict.FAILED, score, "results.below_pass_mark", params)


def part_refusal(level: SkillLevel, result: PartResult) -> RuleBroken | None:
    """Why a part result cannot be recorded for a candidate of `level`, or None (module docstring)."""
    if result.part not in required_parts(level):
        return RuleBroken("results.part_not_sat", {"part": result.part.label_zh},
                          "Candidates of this level do not sit {part}.")
    if result.absent and result.score is not None:
        return RuleBroken("results.absent_with_score", {"part": result.part.label_zh},
                          "{part} is recorded absent and cannot have a score.")
    if result.score is not None and (not result.score.is_finite() or not 0 <= result.score <= MAX_SCORE):
        return RuleBroken("results.bad_score", {"part": result.part.label_zh},
                          "The score of {part} must be between 0 and 100.")
    return None


def judge(level: SkillLevel, results: Iterable[PartResult]) -> Outcome:
    """A candidate's outcome for `level` from their part results (module docstring). Raises `RuleBroken` for a
    result `part_refusal` refuses or a part given twice."""
    by_part: dict[Part, PartResult] = {}
    for result in results:
        refusal = part_refusal(level, result)
        if refusal is not None:
            raise refusal
        if result.part in by_part:
            raise RuleBroken("results.part_twice", {"part": result.part.label_zh}, "{part} is given twice.")
        by_part[result.part] = result
    return Outcome(level, tuple(_judge_part(part, by_part.get(part)) for part in required_parts(level)))


# --- the review period (公示) -----------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ReviewPeriod:
    """How long results are under review: `working_days`, with the public holidays and the worked weekend days
    (调休) of the calendar concerned."""

    working_days: int = DEFAULT_REVIEW_DAYS
    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()


def is_working_day(day: date, period: ReviewPeriod) -> bool:
    if day in period.workdays:
        return True
    return day.weekday() < 5 and day not in period.holidays


def review_ends(start: datetime, period: ReviewPeriod = ReviewPeriod()) -> datetime:
    """The end (24:00 local) of the `working_days`-th full working day after the day `start` falls on (module
    docstring); 0 working days ends the review at once."""
    if period.working_days <= 0:
        return start
    day = start.date()
    counted = 0
    while counted < period.working_days:
        day += timedelta(days=1)
        if is_working_day(day, period):
            counted += 1
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=start.tzinfo)


# --- the batch's results ----------------------------------------------------------------------------------------

class ResultsState(StrEnum):
    GRADED = "graded"  # 成绩已评定
    IN_REVIEW = "in_review"  # 公示中
    PUBLISHED = "published"  # 已公布

    @property
    def label_zh(self) -> str:
        return _STATE_LABELS[self]


_STATE_LABELS = {ResultsState.GRADED: "成绩已评定", ResultsState.IN_REVIEW: "公示中", ResultsState.PUBLISHED: "已公布"}

RESULTS_MOVES: Mapping[ResultsState, frozenset[ResultsState]] = {
    ResultsState.GRADED: frozenset({ResultsState.IN_REVIEW}),
    ResultsState.IN_REVIEW: frozenset({ResultsState.PUBLISHED, ResultsState.GRADED}),
    ResultsState.PUBLISHED: frozenset(),
}


@dataclass(frozen=True, slots=True)
class BatchResults:
    """What the moves of a batch's results look at: its state, when its review ends (None unless in review), how
    many objections wait for an answer, how many candidates' outcomes are pending."""

    state: ResultsState
    review_ends_at: datetime | None = None
    open_objections: int = 0
    pending: int = 0


def move_refusal(results: BatchResults, target: ResultsState, now: datetime) -> DomainError | None:
    """Why the batch's results may not move to `target` at `now`, or None (module docstring: the table of moves,
    review only when nothing is pending, publication after the period and every objection answered)."""
    current = results.state
    if target not in RESULTS_MOVES[current]:
        return Conflict("results.bad_move", {"from_state": current.label_zh, "to_state": target.label_zh},
                        "Results cannot move from {from_state} to {to_state}.")
    if target is ResultsState.IN_REVIEW and results.pending:
        return Conflict("results.pending_candidates", {"count": results.pending},
                        "{count} candidates still have parts without a result.")
    if target is ResultsState.PUBLISHED:
        if results.review_ends_at is None or now < results.review_ends_at:
            return Conflict("results.review_not_over", {}, "The review period is not over yet.")
        if results.open_objections:
            return Conflict("results.open_objections", {"count": results.open_objections},
                            "{count} objections have not been answered.")
    return None


def objection_window_refusal(results: BatchResults, now: datetime) -> DomainError | None:
    """Why no objection may be filed now, or None: only while in review and before the period ends."""
    if results.state is not ResultsState.IN_REVIEW or results.review_ends_at is None or now >= results.review_ends_at:
        return Conflict("results.not_in_review", {}, "Objections can be filed only while results are under review.")
    return None


def candidate_sees_results(state: ResultsState) -> bool:
    """Whether candidates see their own results (module docstring): from the start of the review on."""
    return state in (ResultsState.IN_REVIEW, ResultsState.PUBLISHED)
