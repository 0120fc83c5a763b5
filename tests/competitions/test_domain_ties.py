"""Why tied totals got different places (competitions.domain.ties): table-driven, and a property that a note never
disagrees with the places."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from competitions.domain.ranking import DEFAULT_TIE_BREAKS, RankEntry, TieBreak, rank
from competitions.domain.ties import TieKey, shown_duration, tie_notes

D = Decimal
TIME, PRACTICAL, THEORY = TieKey(TieBreak.COMPLETION_TIME), TieKey(TieBreak.PRACTICAL), TieKey(TieBreak.THEORY)


def _entry(name: str, total: str, minutes: int | None = None, practical: str | None = None,
           theory: str | None = None, modules: tuple[str, ...] = ()) -> RankEntry:
    return RankEntry(name, D(total), None if minutes is None else timedelta(minutes=minutes),
                     None if practical is None else D(practical), None if theory is None else D(theory),
                     tuple(D(m) for m in modules))


def test_an_untied_total_gets_no_note() -> None:
    placed = rank([_entry("a", "90"), _entry("b", "80")])
    assert tie_notes(placed, DEFAULT_TIE_BREAKS, []) == [None, None]


def test_the_first_differing_tie_break_decides_and_the_keys_stop_there() -> None:
    placed = rank([_entry("slow", "88", 100, "80"), _entry("fast", "88", 90, "70"), _entry("other", "70")])
    notes = tie_notes(placed, DEFAULT_TIE_BREAKS, [])
    assert [p.contestant_id for p in placed] == ["fast", "slow", "other"]
    assert notes[0] is not None and notes[1] is not None and notes[2] is None
    assert notes[0].keys == (TIME,) and notes[0].values == ("1:30:00",) and notes[0].decided_by is None
    assert notes[1].values == ("1:40:00",) and notes[1].decided_by == TIME and not notes[1].shares_place


def test_equal_times_go_on_to_the_practical_score() -> None:
    placed = rank([_entry("a", "88", 90, "70"), _entry("b", "88", 90, "80")])
    notes = tie_notes(placed, DEFAULT_TIE_BREAKS, [])
    assert [p.place for p in placed] == [1, 2]
    assert notes[1] is not None and notes[1].keys == (TIME, PRACTICAL) and notes[1].values == ("1:30:00", "70.00")
    assert notes[1].decided_by == PRACTICAL


def test_still_tied_shows_every_key_and_shares_the_place() -> None:
    placed = rank([_entry("a", "88", 90, "70", "60"), _entry("b", "88", 90, "70", "60")])
    notes = tie_notes(placed, DEFAULT_TIE_BREAKS, [])
    assert [p.place for p in placed] == [1, 1]
    assert notes[1] is not None and notes[1].keys == (TIME, PRACTICAL, THEORY) and notes[1].shares_place
    assert notes[1].decided_by is None


def test_modules_in_reverse_order_are_one_key_per_module_last_first() -> None:
    placed = rank([_entry("a", "88", modules=("40", "48")), _entry("b", "88", modules=("38", "50"))],
                  [TieBreak.MODULES_REVERSE])
    notes = tie_notes(placed, [TieBreak.MODULES_REVERSE], ["M1", "M2"])
    assert [p.contestant_id for p in placed] == ["b", "a"]
    assert notes[1] is not None and notes[1].keys == (TieKey(TieBreak.MODULES_REVERSE, "M2"),)
    assert notes[1].values == ("48.00",)


def test_a_missing_value_is_shown_as_a_dash() -> None:
    placed = rank([_entry("a", "88"), _entry("b", "88", 90)])
    notes = tie_notes(placed, DEFAULT_TIE_BREAKS, [])
    assert notes[0] is not None and notes[0].values[0] == "1:30:00"
    assert notes[1] is not None and notes[1].values[0] == "—" and notes[1].decided_by == TIME


def test_durations_show_hours_minutes_seconds() -> None:
    assert shown_duration(timedelta(hours=2, minutes=3, seconds=4)) == "2:03:04"
    assert shown_duration(timedelta(seconds=61, microseconds=500_000)) == "0:01:01.5"


scores = st.decimals(min_value=0, max_value=3, places=0)


@given(st.lists(st.tuples(scores, st.integers(0, 2), scores), min_size=1, max_size=8))
def test_a_note_never_disagrees_with_the_places(rows: list[tuple[Decimal, int, Decimal]]) -> None:
    entries = [RankEntry(i, 80 + total, timedelta(minutes=m), practical)
               for i, (total, m, practical) in enumerate(rows)]
    placed = rank(entries)
    notes = tie_notes(placed, DEFAULT_TIE_BREAKS, [])
    for i, (item, note) in enumerate(zip(placed, notes, strict=True)):
        same_total = [p for p in placed if p.total == item.total]
        assert (note is None) == (len(same_total) == 1)
        if note is not None and i > 0 and placed[i - 1].total == item.total:
            assert note.shares_place == (placed[i - 1].place == item.place)
            assert (note.decided_by is not None) == (placed[i - 1].place != item.place)
