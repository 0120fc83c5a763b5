"""The freeze's rules (competitions.domain.freeze): standard competition places, the reveal order from the bottom,
the public's last seq during a freeze; and a board client's message budget (competitions.domain.stream)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from competitions.domain.freeze import Standing, pending, public_last, reveal_order, shown_score, standard_places
from competitions.domain.stream import Admission, MessageBudget


@pytest.mark.parametrize(("scores", "places"), [
    ([], []),
    (["90"], [1]),
    (["90", "80", "80", "70"], [1, 2, 2, 4]),  # "1224": the place after a tie skips
    (["70", "80", "90", "80"], [4, 2, 1, 2]),  # whatever the input order
    (["50", None, "50"], [1, 3, 1]),  # nothing to show ranks below every score
    ([None, None], [1, 1]),
])
def test_places_are_standard_competition_ranking(scores: list[str | None], places: list[int]) -> None:
    assert standard_places([None if s is None else Decimal(s) for s in scores]) == places


def test_the_shown_score_is_the_practical_part_before_decryption_and_the_total_after() -> None:
    assert shown_score("40.0000", None, decrypted=False) == Decimal(40)
    assert shown_score("40.0000", "52.00", decrypted=True) == Decimal(52)
    assert shown_score("40.0000", None, decrypted=True) is None
    assert shown_score("junk", None, decrypted=False) is None


def test_the_reveal_goes_skill_by_skill_from_the_bottom_ties_by_the_higher_workstation_first() -> None:
    standings = [
        Standing(1, "01", Decimal(90)), Standing(1, "02", Decimal(50)), Standing(1, "03", Decimal(50)),
        Standing(1, "04", Decimal(70)), Standing(2, "01", Decimal(10)), Standing(2, "02", None),
    ]
    assert reveal_order(standings, [], [1, 2]) == [(1, "03"), (1, "02"), (1, "04"), (1, "01"), (2, "02"), (2, "01")]
    assert reveal_order(standings, [(1, "03"), (1, "02")], [1, 2])[:2] == [(1, "04"), (1, "01")]
    assert reveal_order(standings, [], [2, 1])[0] == (2, "02")  # the skills' order is the board's


scores = st.one_of(st.none(), st.decimals(min_value=0, max_value=100, places=2, allow_nan=False))


@given(st.lists(scores, max_size=30))
def test_places_are_one_plus_the_scores_strictly_above(values: list[Decimal | None]) -> None:
    places = standard_places(values)
    assert len(places) == len(values)
    if values:
        assert min(places) == 1
    for value, place in zip(values, places, strict=True):
        for other, other_place in zip(values, places, strict=True):
            if value is not None and other is not None and value > other:
                assert place < other_place
            if value == other:
                assert place == other_place


@given(st.lists(scores, min_size=1, max_size=20), st.data())
def test_the_reveal_order_is_every_unrevealed_workstation_once_lowest_place_first(
    values: list[Decimal | None], data: st.DataObject
) -> None:
    standings = [Standing(1, f"{i + 1:02d}", value) for i, value in enumerate(values)]
    revealed = data.draw(st.sets(st.sampled_from([s.workstation_no for s in standings])))
    order = reveal_order(standings, [(1, no) for no in revealed], [1])
    assert sorted(no for _skill, no in order) == sorted({s.workstation_no for s in standings} - revealed)
    places = dict(zip([s.workstation_no for s in standings], standard_places(values), strict=True))
    shown = [places[no] for _skill, no in order]
    assert shown == sorted(shown, reverse=True)  # the places only go up as the reveal goes on


def test_the_public_knows_the_freezes_seq_and_the_jury_what_is_pending() -> None:
    assert public_last(40, None) == 40
    assert public_last(40, 25) == 25
    assert pending(40, 25) == 15 and pending(25, 25) == 0


def test_a_client_over_its_budget_is_dropped_told_once_a_second_then_closed_when_it_persists() -> None:
    budget = MessageBudget(per_second=20, close_after=3)
    answers = [budget.admit(100.0 + i / 100) for i in range(25)]  # 25 messages within one second
    assert answers[:20] == [Admission.ADMIT] * 20
    assert answers[20:] == [Admission.DROP_AND_TELL, *[Admission.DROP] * 4]
    assert [budget.admit(101.5) for _ in range(21)][-1] is Admission.DROP_AND_TELL  # the second second in a row
    assert [budget.admit(102.5) for _ in range(21)][-1] is Admission.CLOSE  # the third: persistent
    calm = MessageBudget(per_second=20, close_after=3)
    for second in range(10):  # 20 a second, every second: never refused
        assert {calm.admit(second + i / 20) for i in range(20)} == {Admission.ADMIT}
    gap = MessageBudget(per_second=1, close_after=2)
    assert [gap.admit(t) for t in (0.1, 0.2, 5.1, 5.2)] == [Admission.ADMIT, Admission.DROP_AND_TELL,
                                                          Admission.ADMIT, Admission.DROP_AND_TELL]  # not in a row
