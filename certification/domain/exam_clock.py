"""The clock of an online theory exam (DESIGN.md "Certification" → "Exam parts"; issue 12 item 7: "an online
theory exam that cannot be lost").

The server keeps the deadline. A sitting (one candidate's attempt at the theory paper) starts when the server
first hands the candidate the paper, and its deadline follows from the batch's `TimingPolicy` and what happened
since, as the server saw it: the disconnects it detected and the extra time staff granted. Nothing here reads a
clock: every function is given the server instant it should answer for.

Rules, and the choices where the issue and DESIGN.md are silent (each is tested in
tests/certification/test_domain_exam_clock.py):

- **Duration** at least 90 minutes (DESIGN.md: theory ≥ 90 min); `check_policy` names every problem of a policy.
- **Extra time** (accommodation, 延时) is granted by staff to one candidate, always with a reason; a grant is
  positive and at most the paper's duration (a bigger one is a typing error, not an accommodation), and grants
  add up. A grant cannot reopen a sitting whose window for acting has closed (`extra_time_refusal`). Taking a
  grant back is the service deleting it (audited), never a negative grant.
- **Disconnects**, per batch: `RUNS_ON` (the clock runs on; Moodle's only behaviour) or `PAUSE`: each disconnect
  the server saw adds its length to the deadline, at most `pause_per_disconnect` each and `pause_total` in all, in
  the order they happened. Only a disconnect that began before the deadline (as it stood then) counts; one still
  going counts up to the instant asked about, so the deadline moves on while the candidate is away and stops
  moving once a cap is reached. Overlapping intervals (two detectors reporting the same loss) are merged, never
  counted twice. Answers the page kept while offline are accepted in either policy (a half-open connection looks
  online to the page, so the page cannot reliably lock itself); the caps bound what a deliberate disconnect can
  win, and every disconnect is logged for the invigilator.
- **Deadline**, per batch, after Moodle's overdue handling: `AUTO_SUBMIT` (at the deadline the attempt is
  submitted with every saved answer) or `GRACE` (after the deadline the candidate has `submit_grace` to press
  submit, and may change nothing: an answer given after the deadline is refused in both policies). Unlike Moodle's
  grace period, a sitting whose grace runs out is submitted, not abandoned: every answer was saved as it was given,
  and a certification candidate does not lose a paper for not pressing a button.
- **The offline window**: an answer given before the deadline but still queued in the browser is accepted if it
  arrives by `deadline + max_offline` (default 10 minutes; `settles_at`); after that the sitting is graded as it
  stands. This is the one place where arrival matters: the server cannot wait for ever.
- **When an answer was given** is the page's clock reading plus the tracked offset (`OffsetEstimate`, NTP style
  from the page's request/response timestamps: offset θ = ((t1 − t0) + (t2 − t3)) / 2, round trip
  δ = (t3 − t0) − (t2 − t1), the sample with the least round trip kept, as NTP's clock filter does). An answer
  cannot have been given after it reached the server, so the estimate is capped at the arrival instant: an answer
  that arrives before the deadline is always in time, whatever the page's clock says.
- **Tolerance** for the offset's uncertainty: the true server time of a click lies within ± δ/2 of the estimate,
  so the candidate gets the benefit of that doubt, capped at `offset_tolerance` (default 2 s): a wild round trip
  (a phone on a train) buys no more than two seconds.
- **Refused** (a `RuleBroken` naming why): given after the deadline (beyond the tolerance); given before the start;
  given before the answer the server last acknowledged (a page's stamps never go backwards within a sitting, so
  this is a replay or a tampered clock; the same tolerance absorbs a small step of the device's clock); given
  after the candidate submitted; arriving after the offline window. Acceptance never depends on when, inside the
  window, an answer arrived.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from core.errors import RuleBroken

MIN_THEORY_DURATION = timedelta(minutes=90)
DEFAULT_PAUSE_PER_DISCONNECT = timedelta(minutes=5)
DEFAULT_PAUSE_TOTAL = timedelta(minutes=15)
DEFAULT_SUBMIT_GRACE = timedelta(minutes=5)
DEFAULT_MAX_OFFLINE = timedelta(minutes=10)
DEFAULT_OFFSET_TOLERANCE = timedelta(seconds=2)
ZERO = timedelta(0)


class DisconnectPolicy(StrEnum):
    """What a lost connection does to the clock (断线处理)."""

    RUNS_ON = "runs_on"  # 计时继续
    PAUSE = "pause"  # 断线暂停计时（有上限）


class DeadlinePolicy(StrEnum):
    """What happens at the deadline (到时处理), after Moodle's overdue handling."""

    AUTO_SUBMIT = "auto_submit"  # 到时自动交卷
    GRACE = "grace"  # 到时后限时交卷（不得再作答）


class Phase(StrEnum):
    """Where a sitting stands at a server instant."""

    ANSWERING = "answering"  # 作答中
    OVERDUE = "overdue"  # 已到时，可交卷，不可作答（GRACE）
    CLOSED = "closed"  # 已交卷或已到时


@dataclass(frozen=True, slots=True)
class TimingPolicy:
    """A batch's timing of its theory part; durations are `timedelta`s."""

    duration: timedelta
    disconnect: DisconnectPolicy = DisconnectPolicy.RUNS_ON
    pause_per_disconnect: timedelta = DEFAULT_PAUSE_PER_DISCONNECT
    pause_total: timedelta = DEFAULT_PAUSE_TOTAL
    deadline: DeadlinePolicy = DeadlinePolicy.AUTO_SUBMIT
    submit_grace: timedelta = DEFAULT_SUBMIT_GRACE
    max_offline: timedelta = DEFAULT_MAX_OFFLINE
    offset_tolerance: timedelta = DEFAULT_OFFSET_TOLERANCE


def check_policy(policy: TimingPolicy) -> list[str]:
    """Every problem of a policy (message codes of certification.errors), empty when it is sound."""
    problems = []
    if policy.duration < MIN_THEORY_DURATION:
        problems.append("exam.policy.too_short")
    if policy.disconnect is DisconnectPolicy.PAUSE and (
            policy.pause_per_disconnect <= ZERO or policy.pause_total < policy.pause_per_disconnect):
        problems.append("exam.policy.bad_pause")
    if policy.deadline is DeadlinePolicy.GRACE and policy.submit_grace <= ZERO:
        problems.append("exam.policy.bad_grace")
    if policy.max_offline < ZERO or policy.offset_tolerance < ZERO:
        problems.append("exam.policy.bad_window")
    return problems


@dataclass(frozen=True, slots=True)
class ExtraTime:
    """Extra time granted to one candidate (延时, an accommodation), with the reason staff gave."""

    amount: timedelta
    reason: str


@dataclass(frozen=True, slots=True, order=True)
class Disconnect:
    """A connection loss as the server saw it: from `start` to `end` (None: still disconnected)."""

    start: datetime
    end: datetime | None = None


@dataclass(frozen=True, slots=True)
class Sitting:
    """One candidate's sitting of the theory paper: when the server first gave the paper, the extra time granted,
    the disconnects seen, and when it was submitted (by the candidate or automatically), if it was."""

    started_at: datetime
    extra: tuple[ExtraTime, ...] = ()
    disconnects: tuple[Disconnect, ...] = ()
    submitted_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Timing:
    """A sitting's clock as known at server instant `at`."""

    at: datetime
    started_at: datetime
    deadline: datetime  # answers given after it are refused
    closes_at: datetime  # the last instant to press submit (the deadline under AUTO_SUBMIT)
    settles_at: datetime  # the last instant a queued answer may arrive; then the sitting is graded
    paused: timedelta  # disconnect time credited so far
    extra: timedelta
    submitted_at: datetime | None
    offset_tolerance: timedelta

    @property
    def time_left(self) -> timedelta:
        """Time left to answer at `at`, never negative (what the page's countdown shows)."""
        return max(ZERO, self.deadline - self.at)

    @property
    def phase(self) -> Phase:
        if self.submitted_at is not None and self.submitted_at <= self.at:
            return Phase.CLOSED
        if self.at < self.deadline:
            return Phase.ANSWERING
        return Phase.OVERDUE if self.at < self.closes_at else Phase.CLOSED

    @property
    def auto_submit_at(self) -> datetime:
        """When the server submits the sitting itself if the candidate has not (module docstring)."""
        return self.closes_at


def _merged(disconnects: Iterable[Disconnect], at: datetime) -> list[tuple[datetime, datetime]]:
    """Disconnect intervals up to `at`, sorted, overlaps merged; one still open ends at `at`."""
    spans = sorted((d.start, min(d.end, at) if d.end is not None else at) for d in disconnects if d.start < at)
    merged: list[tuple[datetime, datetime]] = []
    for start, end in spans:
        if end < start:
            raise RuleBroken("exam.clock.bad_disconnect", {}, "A disconnect cannot end before it starts.")
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def timing(policy: TimingPolicy, sitting: Sitting, at: datetime) -> Timing:
    """The sitting's deadline and windows as the server knows them at `at` (module docstring: extra time adds up;
    under PAUSE each disconnect that began before the deadline adds its length, capped per disconnect and in
    total)."""
    extra = sum((g.amount for g in sitting.extra), ZERO)
    deadline = sitting.started_at + policy.duration + extra
    paused = ZERO
    if policy.disconnect is DisconnectPolicy.PAUSE:
        for start, end in _merged(sitting.disconnects, at):
            if start < sitting.started_at:
                start = min(sitting.started_at, end)
            if start >= deadline or paused >= policy.pause_total:
                break
            credit = min(end - start, policy.pause_per_disconnect, policy.pause_total - paused)
            paused += credit
            deadline += credit
    grace = policy.submit_grace if policy.deadline is DeadlinePolicy.GRACE else ZERO
    closes_at = deadline + grace
    if sitting.submitted_at is not None:
        closes_at = min(closes_at, sitting.submitted_at)
    return Timing(at=at, started_at=sitting.started_at, deadline=deadline, closes_at=closes_at,
                  settles_at=max(closes_at, deadline + policy.max_offline), paused=paused, extra=extra,
                  submitted_at=sitting.submitted_at, offset_tolerance=policy.offset_tolerance)


def deadline(policy: TimingPolicy, sitting: Sitting, at: datetime) -> datetime:
    """The deadline of `sitting` as known at server instant `at` (see `timing`)."""
    return timing(policy, sitting, at).deadline


def time_left(policy: TimingPolicy, sitting: Sitting, at: datetime) -> timedelta:
    """Time left to answer at server instant `at`, never negative."""
    return timing(policy, sitting, at).time_left


def extra_time_refusal(policy: TimingPolicy, sitting: Sitting, grant: ExtraTime, at: datetime) -> RuleBroken | None:
    """Why staff may not grant `grant` now, or None: a reason is required, the amount is positive and at most the
    paper's duration, and a sitting already closed (submitted, or past its last instant to submit) stays closed."""
    if not grant.reason.strip():
        return RuleBroken("exam.extra.reason_required", {}, "Give the reason for the extra time.")
    if grant.amount <= ZERO or grant.amount > policy.duration:
        return RuleBroken("exam.extra.bad_amount", {"max": int(policy.duration.total_seconds() // 60)},
                          "Extra time must be more than 0 and at most {max} minutes.")
    if timing(policy, sitting, at).phase is Phase.CLOSED:
        return RuleBroken("exam.extra.closed", {}, "This sitting is closed; extra time cannot reopen it.")
    return None


# --- the page's clock -------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class OffsetSample:
    """One request/response exchange, NTP's four timestamps: the page sent at `sent` (page clock), the server
    received at `received` and replied at `replied` (server clock), the page got the reply at `got` (page clock)."""

    sent: datetime
    received: datetime
    replied: datetime
    got: datetime

    @property
    def offset(self) -> timedelta:
        """Server clock minus page clock: θ = ((t1 − t0) + (t2 − t3)) / 2."""
        return ((self.received - self.sent) + (self.replied - self.got)) / 2

    @property
    def round_trip(self) -> timedelta:
        """Time on the wire: δ = (t3 − t0) − (t2 − t1)."""
        return (self.got - self.sent) - (self.replied - self.received)


@dataclass(frozen=True, slots=True)
class OffsetEstimate:
    """The page's clock offset (server = page + offset) and the round trip of the sample it came from; the true
    offset lies within ± round_trip / 2 of `offset`."""

    offset: timedelta
    round_trip: timedelta

    @property
    def uncertainty(self) -> timedelta:
        return self.round_trip / 2


UNKNOWN_OFFSET = OffsetEstimate(ZERO, timedelta(days=1))  # no sample yet: the page's clock, trusted for nothing


def estimate_offset(samples: Sequence[OffsetSample]) -> OffsetEstimate:
    """The offset from the sample with the least round trip (NTP's clock filter: the shortest exchange is the one
    least skewed by queueing); a sample with a negative round trip is impossible and ignored. No usable sample
    gives `UNKNOWN_OFFSET`, whose uncertainty is so large that only the arrival instant bounds an answer."""
    usable = [s for s in samples if s.round_trip >= ZERO]
    if not usable:
        return UNKNOWN_OFFSET
    best = min(usable, key=lambda s: (s.round_trip, s.got))
    return OffsetEstimate(best.offset, best.round_trip)


@dataclass(frozen=True, slots=True)
class Given:
    """When an answer was given, on the server's clock: the estimate, its tolerance, the arrival instant."""

    at: datetime
    tolerance: timedelta


def given_at(page_time: datetime, estimate: OffsetEstimate, received_at: datetime, cap: timedelta) -> Given:
    """The server instant an answer stamped `page_time` on the page was given: page time + offset, never later
    than its arrival; the tolerance is the estimate's uncertainty, at most `cap` (module docstring)."""
    return Given(min(page_time + estimate.offset, received_at), min(estimate.uncertainty, cap))


def answer_refusal(clock: Timing, *, page_time: datetime, estimate: OffsetEstimate, received_at: datetime,
                   last_acknowledged: datetime | None = None) -> RuleBroken | None:
    """Why an answer stamped `page_time` by the page, arriving at `received_at`, is refused, or None when it is
    accepted (module docstring: only when it was given decides, within the offline window). `last_acknowledged` is
    the page stamp of the answer the server acknowledged last in this sitting (same page clock, so no offset)."""
    if received_at > clock.settles_at:
        return RuleBroken("exam.answer.too_late", {}, "This answer reached the server after the exam was settled.")
    given = given_at(page_time, estimate, received_at, clock.offset_tolerance)
    if given.at + given.tolerance < clock.started_at:
        return RuleBroken("exam.answer.before_start", {}, "This answer is stamped before the exam started.")
    if last_acknowledged is not None and page_time + given.tolerance < last_acknowledged:
        return RuleBroken("exam.answer.out_of_order", {},
                          "This answer is stamped before an answer already saved; the page's clock went back.")
    if clock.submitted_at is not None and given.at - given.tolerance > clock.submitted_at:
        return RuleBroken("exam.answer.after_submit", {}, "This answer was given after the paper was submitted.")
    if given.at - given.tolerance > clock.deadline:
        return RuleBroken("exam.answer.after_deadline", {}, "This answer was given after the time was up.")
    return None


@dataclass(frozen=True, slots=True)
class ClockView:
    """What the page shows and tracks: time left, the phase, and the server instant it was computed at (the page
    counts down from it with its own clock corrected by its offset)."""

    server_time: datetime
    deadline: datetime
    time_left: timedelta
    phase: Phase
    paused: timedelta = ZERO
    extra: timedelta = ZERO


def clock_view(clock: Timing) -> ClockView:
    """The clock as the candidate's page receives it on load, reload and reconnection."""
    return ClockView(clock.at, clock.deadline, clock.time_left, clock.phase, clock.paused, clock.extra)
