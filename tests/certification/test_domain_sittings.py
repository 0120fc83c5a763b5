"""The sitting's state machine (certification.domain.sittings): the table of moves, every pair of states, the
codes of the refused moves, and the state read from the stored facts."""

from __future__ import annotations

import itertools

import pytest

from certification.domain.sittings import SITTING_MOVES, SittingState, may_move, move_refusal, state_of

S = SittingState
ALLOWED = {
    (S.NOT_STARTED, S.IN_PROGRESS),
    (S.IN_PROGRESS, S.RELEASED),
    (S.IN_PROGRESS, S.SUBMITTED),
    (S.RELEASED, S.IN_PROGRESS),
    (S.RELEASED, S.SUBMITTED),
}
REFUSED_CODES = {
    (S.RELEASED, S.RELEASED): "exam.session.not_active",
    (S.SUBMITTED, S.RELEASED): "exam.session.not_active",
    (S.SUBMITTED, S.SUBMITTED): "exam.submitted",
    (S.SUBMITTED, S.IN_PROGRESS): "exam.submitted",
    (S.SUBMITTED, S.NOT_STARTED): "exam.submitted",
}


@pytest.mark.parametrize(("current", "target"), list(itertools.product(S, S)), ids=lambda s: s.value)
def test_every_pair_of_states_is_allowed_or_refused_by_the_one_table(current: S, target: S) -> None:
    refusal = move_refusal(current, target)
    if (current, target) in ALLOWED:
        assert may_move(current, target) and refusal is None
    else:
        assert not may_move(current, target) and refusal is not None
        assert refusal.code == REFUSED_CODES.get((current, target), "exam.bad_move")


def test_the_table_names_every_state_and_a_submitted_sitting_moves_nowhere() -> None:
    assert set(SITTING_MOVES) == set(S)
    assert SITTING_MOVES[S.SUBMITTED] == frozenset()
    assert all(S.NOT_STARTED not in targets for targets in SITTING_MOVES.values())


def test_a_move_off_the_table_names_both_states() -> None:
    refusal = move_refusal(S.IN_PROGRESS, S.NOT_STARTED)
    assert refusal is not None and refusal.params == {"from_state": "作答中", "to_state": "未进入"}


@pytest.mark.parametrize(("exists", "submitted", "released", "state"), [
    (False, False, False, S.NOT_STARTED),
    (True, False, False, S.IN_PROGRESS),
    (True, False, True, S.RELEASED),
    (True, True, False, S.SUBMITTED),
    (True, True, True, S.SUBMITTED),  # swept while released: submitted is what counts
])
def test_the_state_is_read_from_the_stored_facts(exists: bool, submitted: bool, released: bool, state: S) -> None:
    assert state_of(exists=exists, submitted=submitted, released=released) is state
