"""Ranking by rounded total and the tie-break list (DESIGN.md "Ranking")."""

# pytest asserts; pyproject ignores S101 for tests, this keeps the narrower `--select … S` command clean too.
# ruff: noqa: S101

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from competitions.domain.ranking import DEFAULT_TIE_BREAKS, RankEntry, TieBreak, entry_from_result, rank
from competitions.domain.scoring import Aspect, MarkEntry, MarkingMethod, MarkingScheme, compute_results
from core.errors import RuleBroken

D = Decimal
MIN = timedelta(minutes=1)


def places(entries: list[RankEntry], tie_breaks: tuple[TieBreak, ...] = DEFAULT_TIE_BREAKS) -> list[tuple[str, int]]:
    return [(str(p.contestant_id), p.place) for p in rank(entries, tie_breaks)]


def test_total_descending_with_standard_competition_places() -> None:
    entries = [RankEntry("a", D("80")), RankEntry("b", D("90")), RankEntry("c", D("80")), RankEntry("d", D("70"))]
    assert places(entries) == [("b", 1), ("a", 2), ("c", 2), ("d", 4)]


def test_the_rounded_total_ranks() -> None:
    # 80.004 and 80.001 both show as 80.00, so they tie; 80.005 rounds up to 80.01 and wins.
    entries = [RankEntry("a", D("80.001")), RankEntry("b", D("80.004")), RankEntry("c", D("80.005"))]
    assert places(entries, ()) == [("c", 1), ("a", 2), ("b", 2)]


def test_shorter_completion_time_breaks_a_tie_first() -> None:
    entries = [
        RankEntry("slow", D(80), completion_time=50 * MIN, practical=D(99)),
        RankEntry("fast", D(80), completion_time=40 * MIN, practical=D(1)),
    ]
    assert places(entries) == [("fast", 1), ("slow", 2)]


def test_higher_practical_breaks_a_tie_in_time() -> None:
    entries = [
        RankEntry("a", D(80), completion_time=40 * MIN, practical=D("70.00"), theory=D(100)),
        RankEntry("b", D(80), completion_time=40 * MIN, practical=D("70.01"), theory=D(0)),
    ]
    assert places(entries) == [("b", 1), ("a", 2)]


def test_practical_is_compared_at_the_two_decimals_pages_show() -> None:
    entries = [
        RankEntry("a", D(80), practical=D("70.0049"), theory=D(50)),
        RankEntry("b", D(80), practical=D("70.0001"), theory=D(60)),
    ]
    assert places(entries) == [("b", 1), ("a", 2)]  # practical ties at 70.00; theory decides


def test_higher_theory_breaks_a_tie_last_by_default() -> None:
    entries = [
        RankEntry("a", D(80), completion_time=40 * MIN, practical=D(70), theory=D(50)),
        RankEntry("b", D(80), completion_time=40 * MIN, practical=D(70), theory=D("50.5")),
    ]
    assert places(entries) == [("b", 1), ("a", 2)]


def test_modules_in_reverse_order_compare_the_last_module_first() -> None:
    entries = [
        RankEntry("a", D(80), module_scores=(D(30), D(20), D(30))),
        RankEntry("b", D(80), module_scores=(D(20), D(30), D(30))),
        RankEntry("c", D(80), module_scores=(D(50), D(0), D(30))),
    ]
    assert places(entries, (TieBreak.MODULES_REVERSE,)) == [("b", 1), ("a", 2), ("c", 3)]


def test_the_skill_order_of_tie_breaks_is_respected() -> None:
    entries = [
        RankEntry("a", D(80), completion_time=30 * MIN, theory=D(40)),
        RankEntry("b", D(80), completion_time=50 * MIN, theory=D(90)),
    ]
    assert places(entries, (TieBreak.COMPLETION_TIME, TieBreak.THEORY)) == [("a", 1), ("b", 2)]
    assert places(entries, (TieBreak.THEORY, TieBreak.COMPLETION_TIME)) == [("b", 1), ("a", 2)]


@pytest.mark.parametrize(
    ("tie_break", "field", "present"),
    [
        (TieBreak.COMPLETION_TIME, "completion_time", 500 * MIN),  # even a very slow time beats a missing one
        (TieBreak.PRACTICAL, "practical", D(0)),
        (TieBreak.THEORY, "theory", D(0)),
    ],
)
def test_a_missing_tie_break_value_sorts_last(tie_break: TieBreak, field: str, present: object) -> None:
    missing = RankEntry("missing", D(80))
    given_value = RankEntry("given", D(80), **{field: present})  # type: ignore[arg-type]
    assert places([missing, given_value], (tie_break,)) == [("given", 1), ("missing", 2)]


def test_a_missing_module_score_sorts_last_and_short_lists_are_padded() -> None:
    entries = [RankEntry("short", D(80), module_scores=(D(10),)), RankEntry("long", D(80), module_scores=(D(0), D(0)))]
    assert places(entries, (TieBreak.MODULES_REVERSE,)) == [("long", 1), ("short", 2)]


def test_still_tied_share_the_place_and_keep_input_order() -> None:
    entries = [RankEntry(name, D(75), completion_time=40 * MIN) for name in "zyx"]
    assert places([RankEntry("top", D(99)), *entries, RankEntry("low", D(1))]) == [
        ("top", 1), ("z", 2), ("y", 2), ("x", 2), ("low", 5),
    ]


def test_duplicate_contestants_are_refused() -> None:
    with pytest.raises(RuleBroken) as raised:
        rank([RankEntry("a", D(1)), RankEntry("a", D(2))])
    assert raised.value.code == "ranking.duplicate_contestant"


def test_empty_ranking() -> None:
    assert rank([]) == []


def test_entry_from_result_carries_the_scored_values() -> None:
    scheme = MarkingScheme((Aspect("A", D(100), MarkingMethod.MEAN, module="M1", referees=1),), D("0.2"))
    result = compute_results(scheme, [MarkEntry("c", "A", "r", D("77.77"))], {"c": D(50)})["c"]
    entry = entry_from_result(result, 40 * MIN)
    assert entry == RankEntry("c", D("72.22"), 40 * MIN, D("77.77"), D(50), (D("77.77"),))


# --- properties --------------------------------------------------------------------------------------------------

totals = st.sampled_from([D("60"), D("60.004"), D("60.01"), D("75.5"), D("90")])
optional_decimal = st.one_of(st.none(), st.sampled_from([D(0), D("50"), D("50.001"), D(70)]))
optional_time = st.one_of(st.none(), st.sampled_from([30 * MIN, 40 * MIN]))
entry_lists = st.lists(
    st.tuples(totals, optional_time, optional_decimal, optional_decimal, st.lists(optional_decimal, max_size=3)),
    max_size=25,
).map(
    lambda rows: [
        RankEntry(f"c{i}", total, time, practical, theory, tuple(modules))
        for i, (total, time, practical, theory, modules) in enumerate(rows)
    ]
)
tie_break_lists = st.lists(st.sampled_from(list(TieBreak)), max_size=4, unique=True).map(tuple)


def _values(entry: RankEntry, tie_break: TieBreak, module_count: int) -> list[tuple[int, Decimal]]:
    """An independent restatement of one tie-break: (0, value to minimise) or (1, 0) for missing."""

    def higher(value: Decimal | None) -> tuple[int, Decimal]:
        return (1, D(0)) if value is None else (0, -round(value, 2))

    if tie_break is TieBreak.COMPLETION_TIME:
        time = entry.completion_time
        return [(1, D(0)) if time is None else (0, D(str(time.total_seconds())))]
    if tie_break is TieBreak.PRACTICAL:
        return [higher(entry.practical)]
    if tie_break is TieBreak.THEORY:
        return [higher(entry.theory)]
    scores = list(entry.module_scores) + [None] * (module_count - len(entry.module_scores))
    return [higher(s) for s in reversed(scores)]


def strictly_better(a: RankEntry, b: RankEntry, tie_breaks: tuple[TieBreak, ...], module_count: int) -> bool:
    from decimal import ROUND_HALF_UP

    ta, tb = (x.total.quantize(D("0.01"), rounding=ROUND_HALF_UP) for x in (a, b))
    if ta != tb:
        return ta > tb
    for tie_break in tie_breaks:
        for va, vb in zip(
            _values(a, tie_break, module_count), _values(b, tie_break, module_count), strict=True
        ):
            if va != vb:
                return va < vb
    return False


@settings(max_examples=300, deadline=None)
@given(entry_lists, tie_break_lists)
def test_ranking_properties(entries: list[RankEntry], tie_breaks: tuple[TieBreak, ...]) -> None:
    placed = rank(entries, tie_breaks)
    # A permutation of the input.
    assert sorted(p.contestant_id for p in placed) == sorted(e.contestant_id for e in entries)  # type: ignore[type-var]
    assert len(placed) == len(entries)
    # Places never decrease down the list.
    assert all(a.place <= b.place for a, b in zip(placed, placed[1:], strict=False))
    # The place of each entry is 1 + the number of strictly better entries.
    module_count = max((len(e.module_scores) for e in entries), default=0)
    for item in placed:
        better = sum(strictly_better(other, item.entry, tie_breaks, module_count) for other in entries)
        assert item.place == 1 + better


@settings(max_examples=100, deadline=None)
@given(entry_lists)
def test_ranking_ignores_input_order_except_within_a_shared_place(entries: list[RankEntry]) -> None:
    forward = {p.contestant_id: p.place for p in rank(entries)}
    backward = {p.contestant_id: p.place for p in rank(list(reversed(entries)))}
    assert forward == backward
