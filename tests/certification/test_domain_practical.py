"""The practical assessment and the comprehensive review (certification.domain.practical): sheets, panels,
aggregation, divergence flags and the chief assessor's confirmations, completeness; hypothesis properties (a
complete score is within the sheet's 0–100 and between the lowest and highest assessor's totals for a mean; the
order of the panel does not change a mark)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from certification.domain.practical import (
    DEFENCE,
    WORK_RECORD,
    Aggregation,
    Confirmation,
    ScoringSheet,
    SheetItem,
    aggregate,
    assess,
    check_review_sheet,
    check_sheet,
    confirmation_refusal,
    panel_refusal,
    review_sheet,
    score_refusal,
)
from core.errors import RuleBroken

D = Decimal
SHEET = ScoringSheet((
    SheetItem("A1", "焊前准备", D(20)),
    SheetItem("A2", "焊缝外观", D(40), tolerance=D(4)),
    SheetItem("A3", "安全文明生产", D(40)),
))
PANEL = ("张", "李", "王")


def scores(table: dict[str, tuple[str | int, ...]], panel: tuple[str, ...] = PANEL) -> dict[tuple[str, str], D]:
    return {(who, item): D(str(v)) for item, row in table.items() for who, v in zip(panel, row, strict=True)}


def test_a_sound_sheet_totals_one_hundred() -> None:
    assert check_sheet(SHEET) == []
    assert check_review_sheet(review_sheet()) == []
    assert check_sheet(ScoringSheet(())) == ["practical.sheet_empty"]
    bad = ScoringSheet((SheetItem("A1", "x", D(50)), SheetItem("A1", "y", D("49.999"))), tolerance_share=D(-1))
    assert check_sheet(bad) == ["practical.repeated_item", "practical.bad_max", "practical.bad_tolerance"]
    assert check_sheet(ScoringSheet((SheetItem("A1", "x", D(50)),))) == ["practical.total_not_100"]


def test_a_review_sheet_has_the_defence_and_the_work_record() -> None:
    sheet = review_sheet()
    assert [(i.code, i.title, i.max_points) for i in sheet.items] == [(DEFENCE, "答辩", D(60)),
                                                                       (WORK_RECORD, "业绩评审", D(40))]
    assert check_review_sheet(review_sheet(D(50), D(50))) == []
    assert check_review_sheet(SHEET) == ["practical.review_items"]


@pytest.mark.parametrize(("panel", "ok"), [(("a", "b", "c"), True), (("a", "b", "c", "d", "e"), True),
                                           (("a", "b"), False), (("a", "b", "c", "d"), False),
                                           (("a", "a", "b"), False), ((), False)])
def test_a_panel_is_an_odd_number_of_at_least_three(panel: tuple[str, ...], ok: bool) -> None:
    refusal = panel_refusal(panel)
    assert (refusal is None) is ok
    if refusal is not None:
        assert refusal.code == "practical.bad_panel"


def test_a_score_is_between_zero_and_the_items_maximum_with_two_decimals() -> None:
    assert score_refusal(SHEET, "A1", D("19.5")) is None and score_refusal(SHEET, "A1", D(0)) is None
    for value in (D(-1), D("20.01"), D("3.125"), D("NaN")):
        refusal = score_refusal(SHEET, "A1", value)
        assert refusal is not None and refusal.code == "practical.bad_score"
    with translation.override("zh-hans"):
        assert str(score_refusal(SHEET, "A1", D(21))) == (
            "“焊前准备”的评分应在 0 至 20 之间，最多两位小数。")
    unknown = score_refusal(SHEET, "Z9", D(1))
    assert unknown is not None and unknown.code == "practical.unknown_item"


def test_three_assessors_are_averaged_and_the_score_is_the_sum_to_one_decimal() -> None:
    result = assess(SHEET, PANEL, scores({"A1": (18, 17, 17), "A2": (35, 36, 37), "A3": (38, 38, 39)}))
    assert result.aggregation is Aggregation.MEAN
    assert [i.mark for i in result.items] == [D("17.3333"), D("36.0000"), D("38.3333")]
    assert result.score == D("91.7") and result.complete and result.final and result.flags == ()


def test_five_assessors_drop_the_highest_and_the_lowest() -> None:
    panel = ("1", "2", "3", "4", "5")
    result = assess(SHEET, panel, scores({"A1": (20, 16, 17, 18, 10), "A2": (36,) * 5, "A3": (30,) * 5}, panel))
    assert result.aggregation is Aggregation.TRIMMED_MEAN
    assert result.items[0].mark == D(17)  # 16, 17, 18
    assert result.items[0].divergent  # spread 10 > 20% of 20


@pytest.mark.parametrize(("how", "mark"), [(Aggregation.MEAN, "15.0000"), (Aggregation.TRIMMED_MEAN, "16.0000"),
                                           (Aggregation.MEDIAN, "16.0000")])
def test_a_sheet_may_fix_its_aggregation(how: Aggregation, mark: str) -> None:
    assert aggregate([D(10), D(16), D(19)], how) == D(mark)


def test_a_spread_beyond_the_tolerance_is_flagged_for_the_chief_assessor() -> None:
    table = {"A1": (20, 16, 16), "A2": (30, 34, 35), "A3": (30, 38, 30)}
    result = assess(SHEET, PANEL, scores(table))
    # A1: spread 4 = 20% of 20, not beyond; A2: 5 > its own 4; A3: 8 = 20% of 40, not beyond
    assert [(i.code, i.spread, i.tolerance, i.divergent) for i in result.items] == [
        ("A1", D(4), D("4.00"), False), ("A2", D(5), D(4), True), ("A3", D(8), D("8.00"), False)]
    assert result.flags == ("A2",) and result.complete and not result.final
    assert result.score is not None  # shown, but not final until the chief decides


def test_the_chief_confirms_with_a_reason_and_a_changed_score_undoes_the_confirmation() -> None:
    table = {"A1": (20, 16, 16), "A2": (30, 34, 35), "A3": (30, 38, 30)}
    flagged = assess(SHEET, PANEL, scores(table))
    item = flagged.items[1]
    assert confirmation_refusal(item, " ") is not None
    assert confirmation_refusal(flagged.items[0], "已复核") is not None  # nothing to confirm
    assert confirmation_refusal(item, "已复核，评分依据充分") is None
    confirmation = Confirmation("A2", (D(30), D(34), D(35)), "已复核，评分依据充分")
    assert assess(SHEET, PANEL, scores(table), {"A2": confirmation}).final
    rescored = {**table, "A2": (29, 34, 35)}  # still divergent, but not the scores the chief saw
    assert assess(SHEET, PANEL, scores(rescored), {"A2": confirmation}).flags == ("A2",)
    agreed = {**table, "A2": (33, 34, 35)}  # re-scored within the tolerance: the flag goes by itself
    assert assess(SHEET, PANEL, scores(agreed)).final


def test_what_is_missing_is_listed_and_there_is_no_score_until_it_is_complete() -> None:
    given_ = scores({"A1": (18, 17, 17), "A2": (35, 36, 37), "A3": (38, 38, 39)})
    del given_[("李", "A2")], given_[("王", "A3")]
    result = assess(SHEET, PANEL, given_)
    assert result.missing == (("李", "A2"), ("王", "A3"))
    assert result.score is None and not result.complete and not result.final
    assert result.items[1].mark is None and result.items[1].scores == (D(35), None, D(37))


def test_an_even_panel_cannot_be_assessed() -> None:
    with pytest.raises(RuleBroken) as caught:
        assess(SHEET, ("a", "b"), {})
    assert caught.value.code == "practical.bad_panel" and caught.value.params == {"count": 2}


def test_the_comprehensive_review_is_aggregated_the_same_way() -> None:
    panel = ("评委一", "评委二", "评委三")
    result = assess(review_sheet(), panel, scores({DEFENCE: (50, 52, 48), WORK_RECORD: (30, 20, 31)}, panel))
    assert [i.mark for i in result.items] == [D(50), D(27)]
    assert result.score == D("77.0") and result.flags == (WORK_RECORD,)  # 11 > 20% of 40


@settings(max_examples=200, deadline=None)
@given(data=st.data(), size=st.sampled_from([3, 5, 7]))
def test_a_complete_score_lies_between_the_lowest_and_highest_assessors_totals(data: st.DataObject,
                                                                               size: int) -> None:
    panel = tuple(f"p{n}" for n in range(size))
    table = {(who, item.code): D(data.draw(st.integers(0, int(item.max_points) * 2))) / 2
             for item in SHEET.items for who in panel}
    result = assess(SHEET, panel, table)
    assert result.score is not None and D(0) <= result.score <= D(100)
    totals = [sum(table[(who, item.code)] for item in SHEET.items) for who in panel]
    lowest_items = sum(min(table[(w, i.code)] for w in panel) for i in SHEET.items)
    highest_items = sum(max(table[(w, i.code)] for w in panel) for i in SHEET.items)
    assert lowest_items - D("0.05") <= result.score <= highest_items + D("0.05")
    if size == 3:  # a plain mean: the score is the mean of the assessors' totals
        assert abs(result.score - sum(totals) / 3) <= D("0.05")
    shuffled = data.draw(st.permutations(panel))
    assert assess(SHEET, tuple(shuffled), table).score == result.score
