"""What a live board derives from the figures it shows (DESIGN.md "Live scoring", "Ranking"; issue 11 item 2).

Provisional place (暂定名次): standard competition ranking ("1224") on the one score the board shows
(`board_score`): the practical score before the skill is decrypted (the total holds the theory score, recorded by
name, so the board has none then), the total after, each rounded half up to two decimals as it is shown. Equal
scores share a place and the next place skips as many as shared (1, 2, 2, 4). A workstation none of whose aspects
is marked yet has no score to place (None: the board shows 未评) and takes no place from the others. No tie-break
is applied: the board
knows neither completion times nor theory scores before decryption, so a place here is only provisional. The
official order, with the skill's tie-breaks (competitions.domain.ranking), is the results page's.
static/js/board.js recomputes places after each delta with this same rule (`placesOf`, on the same two-decimal
score); tests/e2e/test_board.py checks the places it shows after a live mark against `provisional_places`.

Big-screen fitting (`screen_grid`): a 1920×1080 venue screen shows one skill at a time; the grid's columns and rows
follow the number of workstations so that each card is as large as it can be and none needs scrolling; up to
`SCREEN_PAGE_SIZE` (48) workstations fit one screen, more are shown a screenful at a time (board.js turns the
pages). 40 entrants (a large provincial skill) therefore always fit on one screen (8 × 5).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from competitions.domain.scoring import round_total

SCREEN_PAGE_SIZE = 48

# (most cards, columns, rows) for a 16:9 screen, smallest first: the first that holds the count is used.
SCREEN_GRIDS: tuple[tuple[int, int, int], ...] = (
    (1, 1, 1), (2, 2, 1), (4, 2, 2), (6, 3, 2), (9, 3, 3), (12, 4, 3), (16, 4, 4), (20, 5, 4), (25, 5, 5),
    (30, 6, 5), (36, 6, 6), (40, 8, 5), (48, 8, 6),
)


def board_score(practical: Decimal, total: Decimal | None, *, decrypted: bool) -> Decimal:
    """The one score a board shows and places by (module docstring): the total after decryption, the practical
    before; rounded half up to two decimals, as every page shows a total (DESIGN.md "Ranking")."""
    return round_total(total if decrypted and total is not None else practical)


def provisional_places(scores: Sequence[Decimal | None]) -> list[int | None]:
    """The place of each score, in the order given (module docstring): 1 + how many scores are strictly higher;
    None (nothing marked yet) has no place."""
    ordered = sorted((score for score in scores if score is not None), reverse=True)
    first_at: dict[Decimal, int] = {}
    for index, score in enumerate(ordered):
        first_at.setdefault(score, index + 1)
    return [None if score is None else first_at[score] for score in scores]


@dataclass(frozen=True, slots=True)
class ScreenGrid:
    columns: int
    rows: int
    pages: int


def screen_grid(count: int) -> ScreenGrid:
    """The big screen's grid for `count` workstations (module docstring): the smallest grid of `SCREEN_GRIDS`
    that holds them, or the largest with as many pages as needed."""
    pages = max(1, -(-count // SCREEN_PAGE_SIZE))
    per_page = min(count, SCREEN_PAGE_SIZE)
    for most, columns, rows in SCREEN_GRIDS:
        if per_page <= most:
            return ScreenGrid(columns, rows, pages)
    _most, columns, rows = SCREEN_GRIDS[-1]
    return ScreenGrid(columns, rows, pages)
