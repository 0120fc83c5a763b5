"""The freeze's rules (competitions.domain.freeze): the reveal order from the bottom of the board's places,
the public's last seq during a freeze; and a board client's message budget (competitions.domain.stream)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from competitions.domain.board import provisional_places
from competitions.domain.freeze import Standing, pending, public_last, reveal_order
from competitions.domain.stream import Admission, MessageBudget


def test_the_reveal_goes_skill_by_skill_from_the_bottom_ties_by_the_higher_workstation_first() -> None:
    standings = [
        Standing(1, "01", 1), Standing(1, "02", 3), Standing(1, "03", 3),
        Standing(1, "04", 2), Standing(2, "01", 1), Standing(2, "02", None),
    ]
    assert reveal_order(standings, [], [1, 2]) == [(1, "03"), (1, "02"), (1, "04"), (1, "01"), (2, "02"), (2, "01")]
    assert reveal_order(standings, [(1, "03"), (1, "02")], [1, 2])[:2] == [(1, "04"), (1, "01")]
    assert reveal_order(standings, [], [2, 1])[0] == (2, "02")  # the skills' order is the board's


scores = st.one_of(st.none(), st.decimals(min_value=0, max_value=100, places=2, allow_nan=False))


@given(st.lists(scores, min_size=1, max_size=20), st.data())
def test_the_reveal_order_is_every_unrevealed_workstation_once_lowest_place_first(
    values: list[Decimal | None], data: st.DataObject
) -> None:
    places_of = provisional_places(values)
    standings = [Standing(1, f"{i + 1:02d}", place) for i, place in enumerate(places_of)]
    revealed = data.draw(st.sets(st.sampled_from([s.workstation_no for s in standings])))
    order = reveal_order(standings, [(1, no) for no in revealed], [1])
    assert sorted(no for _skill, no in order) == sorted({s.workstation_no for s in standings} - revealed)
    lowest = len(values) + 1  # nothing marked: below every place
    places = {s.workstation_no: lowest if s.place is None else s.place for s in standings}
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
