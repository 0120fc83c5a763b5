"""The answer log of an online theory sitting (issue 12 item 7: "every answer is saved on the server as it is given
and acknowledged with a sequence number"), one active session per candidate, and the invigilator's view of a seat.

The page numbers every answer it gives, 1, 2, 3 … within the sitting (`seq`), keeps it in the browser until the
server has acknowledged it, and sends whatever is waiting in batches (at once when online, on reconnection when
not). The server applies a batch to the saved state with `apply`:

- **Idempotent**: a sequence number already decided (accepted or refused) changes nothing and is acknowledged
  again; a resend is never compared with what was first sent under that number (the number is the answer's
  identity, as an idempotency key is a mark's).
- **Later wins**: per question, the saved answer is the one with the highest sequence number accepted, whatever
  order the batches arrive in (a retry of an old batch after a newer one changes nothing).
- **Acknowledgement** is the highest contiguous sequence number decided: every number up to it is settled, so the
  page drops them from its queue; numbers decided beyond a gap are remembered (`ahead`) and acknowledged when the
  gap fills. A refused answer counts as decided (its refusal is reported in the reply that decided it), so a
  refusal never stalls the acknowledgement.
- **Shape**: an answer names a question by its 0-based position in the candidate's paper and its choices by the
  *stored* option indexes (the service maps the letters the candidate saw through the item's `option_order`, see
  `to_stored`); choices are a set, kept sorted; no choice clears the answer. A single-choice or true/false answer
  with two choices, a position or option out of range, or a sequence number below 1 or more than `MAX_AHEAD` past
  the acknowledgement is refused (the last two are not remembered: they are not numbers of this sitting).
- **Time**: whether an answer was given in time is `exam_clock.answer_refusal`'s question; `apply` asks it through
  the `judge` it is given, passing the page stamp of the last acknowledged answer that was accepted.
- **Next number**: a page that lost its storage (a private window, another browser after a release) continues
  from `next_seq`, one past every number the server has decided, so it never reuses one.

**One active session per candidate** (`session_decision`): a candidate's first page opens the sitting's session;
the same session (a reload, a reconnection, carrying its session key) resumes; any other is refused, naming the
device and time the active session opened, unless staff have released that session (a crashed computer, a move
to a spare seat), when the new one takes over and the old one is closed. A session is never released by the
platform on its own, even one silent for long: an automatic take-over is exactly how a second person would sit
the paper from another machine.

**The invigilator's view** (`seat_view`): per candidate, whether they are in (connected, disconnected, page left,
not started, submitted), how many questions are answered, and how many times they left the page or reconnected.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from certification.domain.papers import Kind
from core.errors import Conflict, RuleBroken

MAX_AHEAD = 1000


@dataclass(frozen=True, slots=True)
class Answer:
    """One answer as the page sent it: question position, stored option indexes, sequence number, page stamp."""

    position: int
    choices: tuple[int, ...]
    seq: int
    given_at: datetime


Judge = Callable[[Answer, datetime | None], RuleBroken | None]


@dataclass(frozen=True, slots=True)
class Saved:
    """The answer kept for one question: the choices of the highest sequence number accepted."""

    choices: tuple[int, ...]
    seq: int
    given_at: datetime


@dataclass(frozen=True, slots=True)
class ItemShape:
    """What `apply` checks an answer against: the question's type and its number of options."""

    kind: Kind
    option_count: int


@dataclass(frozen=True, slots=True)
class AnswerLog:
    """The saved state of a sitting's answers: per position the saved answer, the acknowledgement, the numbers
    decided beyond it (seq → page stamp if accepted, None if refused), the stamp of the last acknowledged
    accepted answer."""

    answers: Mapping[int, Saved] = field(default_factory=dict)
    ack: int = 0
    ahead: Mapping[int, datetime | None] = field(default_factory=dict)
    acknowledged_at: datetime | None = None

    @property
    def next_seq(self) -> int:
        return max((self.ack, *self.ahead)) + 1

    @property
    def answered(self) -> int:
        """How many questions have a (non-empty) saved answer."""
        return sum(1 for saved in self.answers.values() if saved.choices)

    def choices(self, size: int) -> tuple[tuple[int, ...], ...]:
        """The saved choices of every position of a paper of `size` items (() where unanswered): what grading
        reads."""
        return tuple(self.answers[p].choices if p in self.answers else () for p in range(size))


@dataclass(frozen=True, slots=True)
class Refusal:
    seq: int
    error: RuleBroken


@dataclass(frozen=True, slots=True)
class Applied:
    """The result of applying a batch: the new log, the acknowledgement to send, and what became of each number."""

    log: AnswerLog
    accepted: tuple[int, ...]
    repeated: tuple[int, ...]
    refused: tuple[Refusal, ...]

    @property
    def ack(self) -> int:
        return self.log.ack


def to_stored(option_order: Sequence[int], displayed: Iterable[int]) -> tuple[int, ...]:
    """The stored option indexes of the options a candidate picked at displayed positions `displayed` (the paper
    item's `option_order` lists the stored index shown at each position)."""
    return tuple(sorted({option_order[i] for i in displayed}))


def shape_refusal(answer: Answer, shape: Sequence[ItemShape]) -> RuleBroken | None:
    """Why an answer does not fit the paper, or None (module docstring: shape)."""
    if not 0 <= answer.position < len(shape):
        return RuleBroken("exam.answer.bad_position", {"position": answer.position + 1},
                          "There is no question {position} in this paper.")
    item = shape[answer.position]
    if any(not 0 <= c < item.option_count for c in answer.choices):
        return RuleBroken("exam.answer.bad_choice", {"position": answer.position + 1},
                          "Question {position} has no such option.")
    if item.kind is not Kind.MULTIPLE and len(set(answer.choices)) > 1:
        return RuleBroken("exam.answer.one_choice", {"position": answer.position + 1},
                          "Question {position} takes one answer only.")
    return None


def apply(log: AnswerLog, batch: Iterable[Answer], shape: Sequence[ItemShape], judge: Judge | None = None) -> Applied:
    """`batch` applied to `log` (module docstring: idempotent, later wins per question, contiguous
    acknowledgement). `judge(answer, last acknowledged stamp)` says why an answer is refused on time grounds."""
    answers = dict(log.answers)
    ahead = dict(log.ahead)
    ack, acknowledged_at = log.ack, log.acknowledged_at
    accepted: list[int] = []
    repeated: list[int] = []
    refused: list[Refusal] = []
    for answer in sorted(batch, key=lambda a: a.seq):
        seq = answer.seq
        if 1 <= seq <= ack or seq in ahead:
            repeated.append(seq)
            continue
        if not 1 <= seq <= ack + MAX_AHEAD:
            refused.append(Refusal(seq, RuleBroken("exam.answer.bad_seq", {"seq": seq},
                                                   "Answer number {seq} does not belong to this sitting.")))
            continue
        answer = Answer(answer.position, tuple(sorted(set(answer.choices))), seq, answer.given_at)
        error = shape_refusal(answer, shape)
        if error is None and judge is not None:
            error = judge(answer, acknowledged_at)
        if error is None:
            saved = answers.get(answer.position)
            if saved is None or saved.seq < seq:
                answers[answer.position] = Saved(answer.choices, seq, answer.given_at)
            ahead[seq] = answer.given_at
            accepted.append(seq)
        else:
            ahead[seq] = None
            refused.append(Refusal(seq, error))
        while ack + 1 in ahead:
            ack += 1
            stamp = ahead.pop(ack)
            if stamp is not None:
                acknowledged_at = stamp if acknowledged_at is None else max(acknowledged_at, stamp)
    return Applied(AnswerLog(answers, ack, ahead, acknowledged_at), tuple(accepted), tuple(repeated),
                   tuple(refused))


# --- one active session per candidate ---------------------------------------------------------------------------

class SessionMove(StrEnum):
    OPEN = "open"  # the first session of the sitting
    RESUME = "resume"  # the active session again (reload, reconnection)
    TAKE_OVER = "take_over"  # staff released the active session; the new one replaces it


@dataclass(frozen=True, slots=True)
class Session:
    """A sitting's session: its key (the page keeps it), when it opened, the device as the page described it, and
    whether staff released it. The refusal names `opened_at`'s hour and minute as given, so the service passes it
    in the reader's time zone (Asia/Shanghai)."""

    key: str
    opened_at: datetime
    device: str = ""
    released: bool = False


def session_decision(active: Session | None, key: str) -> SessionMove:
    """What a page presenting session `key` may do (module docstring). Raises `Conflict` naming the active
    session's device and opening time when another session holds the sitting."""
    if active is None:
        return SessionMove.OPEN
    if active.key == key and not active.released:
        return SessionMove.RESUME
    if active.released:
        return SessionMove.TAKE_OVER
    raise Conflict("exam.session.active",
                   {"device": active.device or "?", "opened": active.opened_at.strftime("%H:%M")},
                   "The exam is open on another device ({device}, since {opened}); an invigilator must release it.")


# --- the invigilator's view of a seat ---------------------------------------------------------------------------

class SeatEventKind(StrEnum):
    CONNECTED = "connected"  # 连接（首次或重连）
    DISCONNECTED = "disconnected"  # 断线
    PAGE_HIDDEN = "page_hidden"  # 离开考试页面
    PAGE_VISIBLE = "page_visible"  # 回到考试页面
    SUBMITTED = "submitted"  # 交卷


class SeatState(StrEnum):
    NOT_STARTED = "not_started"  # 未进入
    IN = "in"  # 在线作答
    AWAY = "away"  # 在线但离开了考试页面
    DISCONNECTED = "disconnected"  # 断线
    SUBMITTED = "submitted"  # 已交卷


@dataclass(frozen=True, slots=True)
class SeatEvent:
    at: datetime
    kind: SeatEventKind


@dataclass(frozen=True, slots=True)
class SeatView:
    state: SeatState
    answered: int
    questions: int
    left_page: int  # times the candidate left the page
    reconnections: int
    since: datetime | None  # when the current state began


def seat_view(events: Iterable[SeatEvent], log: AnswerLog, questions: int) -> SeatView:
    """A seat as the invigilator's live room shows it, from its logged events in time order (module docstring).
    A reconnection is a CONNECTED after the first; leaving is each PAGE_HIDDEN."""
    state, since = SeatState.NOT_STARTED, None
    left = connects = 0
    for event in sorted(events, key=lambda e: e.at):
        if state is SeatState.SUBMITTED:
            break
        kind, before = event.kind, state
        if kind is SeatEventKind.CONNECTED:
            connects += 1
            state = SeatState.IN
        elif kind is SeatEventKind.DISCONNECTED:
            state = SeatState.DISCONNECTED
        elif kind is SeatEventKind.PAGE_HIDDEN:
            left += 1
            if state is SeatState.IN:
                state = SeatState.AWAY
        elif kind is SeatEventKind.PAGE_VISIBLE:
            if state is SeatState.AWAY:
                state = SeatState.IN
        else:
            state = SeatState.SUBMITTED
        if state is not before:
            since = event.at
    return SeatView(state, log.answered, questions, left, max(0, connects - 1), since)
