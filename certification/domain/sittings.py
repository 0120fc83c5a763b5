"""The states of a theory-exam sitting (考试场次; issue 12 item 7) and the one table of moves between them
(STYLE.md "State machines"); certification.services.exam moves a sitting only through its transition function,
which asks `move_refusal` first. Plain data in, plain data out; the words are message codes (certification.errors).

**States** (`SittingState`), read from the sitting's stored facts by `state_of` rather than kept in a column of
their own (the design is silent; chosen so the state can never disagree with the instants the clock and the
grading read): no row yet is "not started"; a row without `submitted_at` is in progress (作答中) with its session
active, or released (会话已释放) once an invigilator released the session; a row with `submitted_at` is submitted
(已交卷). How it was submitted (the candidate, the automatic submission at the deadline, the end of the grace
period) is recorded beside the state, not as states of their own: no move differs by it.

**Moves** (`SITTING_MOVES`):
- not started → in progress: the candidate opens the exam (the paper is assembled then);
- in progress → released: an invigilator releases the session (a crashed computer, a move to a spare seat);
- released → in progress: the next page the candidate opens takes the session over;
- in progress | released → submitted: the candidate submits, or the sweep submits at the last instant to submit
  (a released sitting whose time runs out is submitted like any other: the clock does not wait for a new device);
- submitted → nothing. An answer given in time that arrives after an automatic submission is accepted and the
  sitting graded again (exam_clock), but it stays submitted: grading is not a state.

A refused move names why with the code its callers always used: submitting (or anything else) after submission is
`exam.submitted`; releasing a sitting that has no active session (already released, or submitted) is
`exam.session.not_active`; any other move off the table is `exam.bad_move`, naming both states.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from core.errors import Conflict


class SittingState(StrEnum):
    NOT_STARTED = "not_started"  # 未进入 (no sitting yet)
    IN_PROGRESS = "in_progress"  # 作答中
    RELEASED = "released"  # 会话已释放
    SUBMITTED = "submitted"  # 已交卷

    @property
    def label_zh(self) -> str:
        return _LABELS[self]


_LABELS = {SittingState.NOT_STARTED: "未进入", SittingState.IN_PROGRESS: "作答中",
           SittingState.RELEASED: "会话已释放", SittingState.SUBMITTED: "已交卷"}

S = SittingState
SITTING_MOVES: Mapping[SittingState, frozenset[SittingState]] = {
    S.NOT_STARTED: frozenset({S.IN_PROGRESS}),
    S.IN_PROGRESS: frozenset({S.RELEASED, S.SUBMITTED}),
    S.RELEASED: frozenset({S.IN_PROGRESS, S.SUBMITTED}),
    S.SUBMITTED: frozenset(),
}


def state_of(*, exists: bool = True, submitted: bool, released: bool) -> SittingState:
    """The state of a sitting from its stored facts (module docstring)."""
    if not exists:
        return S.NOT_STARTED
    if submitted:
        return S.SUBMITTED
    return S.RELEASED if released else S.IN_PROGRESS


def may_move(current: SittingState, target: SittingState) -> bool:
    """Is current → target a move of the table?"""
    return target in SITTING_MOVES[current]


def move_refusal(current: SittingState, target: SittingState) -> Conflict | None:
    """Why a sitting may not move from `current` to `target`, or None (module docstring: the codes)."""
    if may_move(current, target):
        return None
    if target is S.RELEASED and current in (S.RELEASED, S.SUBMITTED):
        return Conflict("exam.session.not_active")
    if current is S.SUBMITTED:
        return Conflict("exam.submitted")
    return Conflict("exam.bad_move", {"from_state": current.label_zh, "to_state": target.label_zh},
                    "A sitting cannot move from {from_state} to {to_state}.")
