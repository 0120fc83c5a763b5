"""The live board's provisional place and big-screen grid (competitions.domain.board)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from competitions.domain.board import SCREEN_PAGE_SIZE, board_score, provisional_places, screen_grid

D = Decimal


@pytest.mark.parametrize(("scores", "places"), [
    ([], []),
    (["50"], [1]),
    (["80", "90", "80", "70"], [2, 1, 2, 4]),  # 1, 2, 2, 4 in score order
    (["60", "60", "60"], [1, 1, 1]),
    (["10", "20", "30", "30", "0"], [4, 3, 1, 1, 5]),
    (["0", "0", "100"], [2, 2, 1]),
    (["50", None, "50", "40"], [1, None, 1, 3]),  # nothing marked: no place, and it takes none from the others
    ([None, None], [None, None]),
])
def test_provisional_places_are_standard_competition_ranking(scores: list[str | None],
                                                              places: list[int | None]) -> None:
    assert provisional_places([None if s is None else D(s) for s in scores]) == places


def test_the_board_places_by_the_practical_before_decryption_and_the_total_after_rounded_as_shown() -> None:
    assert board_score(D("45.5050"), D("70.12"), decrypted=False) == D("45.51")
    assert board_score(D("45.5050"), D("70.12"), decrypted=True) == D("70.12")
    # two practicals that show the same figure share a place: the board ranks what it shows
    shown = [board_score(D(p), None, decrypted=False) for p in ("45.5050", "45.5149", "45.4949")]
    assert provisional_places(shown) == [1, 1, 3]


@settings(deadline=None)  # a shared machine: the check is quadratic in the list
@given(st.lists(st.decimals(min_value=0, max_value=100, places=2), max_size=60))
def test_places_count_the_strictly_higher_scores_and_equal_scores_share_one(scores: list[Decimal]) -> None:
    places = provisional_places(scores)
    assert len(places) == len(scores)
    for score, place in zip(scores, places, strict=True):
        assert place == 1 + sum(1 for other in scores if other > score)
        assert all(p == place for s, p in zip(scores, places, strict=True) if s == score)
    if scores:
        assert min(places) == 1 and max(places) <= len(scores)


@pytest.mark.parametrize(("count", "columns", "rows", "pages"), [
    (0, 1, 1, 1), (1, 1, 1, 1), (5, 3, 2, 1), (12, 4, 3, 1), (20, 5, 4, 1), (33, 6, 6, 1), (40, 8, 5, 1),
    (48, 8, 6, 1), (49, 8, 6, 2), (100, 8, 6, 3),
])
def test_the_big_screen_grid_follows_the_count_and_40_fit_one_screen(count: int, columns: int, rows: int,
                                                                      pages: int) -> None:
    grid = screen_grid(count)
    assert (grid.columns, grid.rows, grid.pages) == (columns, rows, pages)
    assert grid.columns * grid.rows >= min(count, SCREEN_PAGE_SIZE)
