"""Grading a theory paper and regrading after a correction (certification.domain.grading): table tests from the
rules and hypothesis properties (a score is in [0, 100] with one decimal; a regrade that corrects nothing changes
nothing; a void never lowers a score)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from certification.domain.grading import (
    CandidateRegrade,
    ItemChange,
    KeyEntry,
    MultiplePolicy,
    PaperToGrade,
    check_key_entry,
    corrected_key,
    grade,
    regrade,
    score_of,
)
from certification.domain.papers import Kind, PaperItem
from core.errors import RuleBroken

KEY = {
    1: KeyEntry(Kind.SINGLE, (2,)),
    2: KeyEntry(Kind.MULTIPLE, (0, 1, 3)),
    3: KeyEntry(Kind.TRUE_FALSE, (0,)),
    4: KeyEntry(Kind.SINGLE, (1,)),
}
ITEMS = (PaperItem(1, 1, Kind.SINGLE, (0, 1, 2, 3), 1), PaperItem(2, 2, Kind.MULTIPLE, (0, 1, 2, 3), 3),
         PaperItem(3, 3, Kind.TRUE_FALSE, (0, 1), 1), PaperItem(4, 4, Kind.SINGLE, (0, 1, 2, 3), 1))
PROPORTIONAL = MultiplePolicy.PROPORTIONAL


def test_each_type_is_graded_by_its_key() -> None:
    result = grade(ITEMS, ((2,), (0, 1, 3), (0,), (0,)), KEY)
    assert result.earned == (1, 3, 1, 0) and result.raw == 5 and result.total == 6
    assert result.score == Decimal("83.3")


def test_multiple_choice_is_all_or_nothing_by_default() -> None:
    for given_ in ((0, 1), (0, 1, 2, 3), (0, 1, 2)):
        assert grade(ITEMS, ((), given_, (), ()), KEY).earned[1] == 0


def test_partial_credit_gives_a_share_for_a_subset_and_nothing_for_a_wrong_option() -> None:
    assert grade(ITEMS, ((), (0, 1), (), ()), KEY, PROPORTIONAL).earned[1] == 2
    assert grade(ITEMS, ((), (3,), (), ()), KEY, PROPORTIONAL).earned[1] == 1
    assert grade(ITEMS, ((), (0, 1, 2), (), ()), KEY, PROPORTIONAL).earned[1] == 0  # 2 is wrong
    assert grade(ITEMS, ((), (0, 1, 3), (), ()), KEY, PROPORTIONAL).earned[1] == 3
    items = (PaperItem(2, 2, Kind.MULTIPLE, (0, 1, 2, 3), 2),)
    result = grade(items, ((0,),), KEY, PROPORTIONAL)  # 2 × 1/3: kept exact, rounded once at the end
    assert result.earned == (Fraction(2, 3),) and result.score == Decimal("33.3")


def test_partial_credit_never_applies_to_single_choice() -> None:
    assert grade(ITEMS, ((1, 2), (), (), ()), KEY, PROPORTIONAL).earned[0] == 0


def test_an_unanswered_paper_scores_zero_and_a_perfect_one_scores_one_hundred() -> None:
    assert grade(ITEMS, ((),) * 4, KEY).score == Decimal("0.0")
    assert grade(ITEMS, ((2,), (0, 1, 3), (0,), (1,)), KEY).score == Decimal("100.0")


@pytest.mark.parametrize(("raw", "total", "score"), [
    (1, 3, "33.3"), (2, 3, "66.7"), (1, 8, "12.5"), (1, 16, "6.3"), (3, 16, "18.8"), (119, 200, "59.5"),
    (1199, 2000, "60.0"),  # 59.95 rounds half up to 60.0
    (Fraction(1199, 20), 100, "60.0"), (Fraction(2, 3), 2, "33.3"), (0, 7, "0.0"), (7, 7, "100.0"),
])
def test_the_score_is_rounded_half_up_to_one_decimal(raw: int | Fraction, total: int, score: str) -> None:
    assert score_of(raw, total) == Decimal(score)
    assert str(score_of(raw, total)) == score


def test_a_paper_without_points_or_a_key_or_matching_answers_is_refused() -> None:
    with pytest.raises(RuleBroken) as caught:
        grade((), (), KEY)
    assert caught.value.code == "grading.empty_paper"
    with pytest.raises(RuleBroken) as caught:
        grade((PaperItem(99, 99, Kind.SINGLE, (0, 1), 1),), ((0,),), KEY)
    assert caught.value.code == "grading.no_key" and caught.value.params == {"version": 99}
    with pytest.raises(RuleBroken) as caught:
        grade(ITEMS, ((0,),), KEY)
    assert caught.value.code == "grading.length_mismatch"


@pytest.mark.parametrize(("entry", "problem"), [
    (KeyEntry(Kind.SINGLE, (1,)), None), (KeyEntry(Kind.SINGLE, (0, 1)), "question.single_needs_one"),
    (KeyEntry(Kind.TRUE_FALSE, ()), "question.single_needs_one"), (KeyEntry(Kind.MULTIPLE, (2,)),
                                                                   "question.multiple_needs_two"),
    (KeyEntry(Kind.MULTIPLE, (2, 0)), "grading.bad_key"), (KeyEntry(Kind.MULTIPLE, (1, 1)), "grading.bad_key"),
    (KeyEntry(Kind.MULTIPLE, (), voided=True), None),
])
def test_a_key_entry_is_checked(entry: KeyEntry, problem: str | None) -> None:
    assert check_key_entry(entry) == problem


# --- regrade -----------------------------------------------------------------------------------------------------

PAPERS = (
    PaperToGrade("甲", ITEMS, ((2,), (0, 1, 3), (0,), (1,))),  # 100
    PaperToGrade("乙", ITEMS, ((3,), (0, 1), (1,), (1,))),  # 1 of 6
    PaperToGrade("丙", ITEMS[:1] + ITEMS[2:], ((3,), (0,), (0,))),  # 1 of 3, and no version 2
)


def test_a_corrected_key_changes_the_scores_both_ways_and_names_the_items() -> None:
    result = regrade(PAPERS, KEY, {1: KeyEntry(Kind.SINGLE, (3,))})
    assert result == (
        CandidateRegrade("甲", Decimal("100.0"), Decimal("83.3"), (ItemChange(0, 1, 1, 0),)),
        CandidateRegrade("乙", Decimal("16.7"), Decimal("33.3"), (ItemChange(0, 1, 0, 1),)),
        CandidateRegrade("丙", Decimal("33.3"), Decimal("66.7"), (ItemChange(0, 1, 0, 1),)),
    )
    assert [r.difference for r in result] == [Decimal("-16.7"), Decimal("16.6"), Decimal("33.4")]


def test_a_void_gives_everyone_the_points_and_never_lowers_a_score() -> None:
    result = regrade(PAPERS, KEY, {2: KeyEntry(Kind.MULTIPLE, (0, 1, 3), voided=True)})
    assert result[0] == CandidateRegrade("甲", Decimal("100.0"), Decimal("100.0"), ())  # had it right already
    assert result[1] == CandidateRegrade("乙", Decimal("16.7"), Decimal("66.7"), (ItemChange(1, 2, 0, 3),))
    assert not result[2].changed  # never had the item


def test_a_correction_keeps_the_type_and_concerns_a_known_version() -> None:
    with pytest.raises(RuleBroken) as caught:
        corrected_key(KEY, {1: KeyEntry(Kind.MULTIPLE, (0, 2))})
    assert caught.value.code == "grading.kind_changed"
    with pytest.raises(RuleBroken) as caught:
        corrected_key(KEY, {7: KeyEntry(Kind.SINGLE, (0,))})
    assert caught.value.code == "grading.no_key"
    with pytest.raises(RuleBroken) as caught:
        corrected_key(KEY, {1: KeyEntry(Kind.SINGLE, (0, 1))})
    assert caught.value.code == "question.single_needs_one"


def test_a_regrade_under_partial_credit_compares_fractions() -> None:
    result = regrade(PAPERS[1:2], KEY, {2: KeyEntry(Kind.MULTIPLE, (0, 1))}, PROPORTIONAL)
    # 乙 chose (0, 1): 2 of 3 points under the old key (0, 1, 3), all 3 under the corrected (0, 1)
    assert result[0].items == (ItemChange(1, 2, 2, 3),)
    assert (result[0].old_score, result[0].new_score) == (Decimal("50.0"), Decimal("66.7"))


# --- properties --------------------------------------------------------------------------------------------------

@st.composite
def papers(draw: st.DrawFn) -> tuple[dict[int, KeyEntry], list[PaperToGrade]]:
    size = draw(st.integers(1, 12))
    key: dict[int, KeyEntry] = {}
    for version in range(1, size + 1):
        kind = draw(st.sampled_from(list(Kind)))
        options = 2 if kind is Kind.TRUE_FALSE else 5
        if kind is Kind.MULTIPLE:
            correct = tuple(sorted(draw(st.sets(st.integers(0, options - 1), min_size=2))))
        else:
            correct = (draw(st.integers(0, options - 1)),)
        key[version] = KeyEntry(kind, correct)
    out = []
    for n in range(draw(st.integers(1, 6))):
        versions = draw(st.lists(st.sampled_from(sorted(key)), min_size=1, max_size=size, unique=True))
        items = tuple(PaperItem(v, v, key[v].kind, (), draw(st.integers(0, 5))) for v in versions)
        if sum(i.points for i in items) == 0:
            items = (PaperItem(items[0].version_id, items[0].version_id, items[0].kind, (), 1), *items[1:])
        choices = tuple(tuple(sorted(draw(st.sets(st.integers(0, 4), max_size=3)))) for _ in items)
        out.append(PaperToGrade(n, items, choices))
    return key, out


@settings(max_examples=200, deadline=None)
@given(case=papers(), policy=st.sampled_from(list(MultiplePolicy)))
def test_a_score_is_between_0_and_100_with_one_decimal(case: tuple[dict[int, KeyEntry], list[PaperToGrade]],
                                                     policy: MultiplePolicy) -> None:
    key, graded = case
    for paper in graded:
        result = grade(paper.items, paper.choices, key, policy)
        assert Decimal(0) <= result.score <= Decimal(100)
        assert result.score == result.score.quantize(Decimal("0.1"))
        assert 0 <= result.raw <= result.total
        assert abs(result.score - Decimal(result.raw.numerator * 100) / Decimal(
            result.raw.denominator * result.total)) <= Decimal("0.05")


@settings(max_examples=200, deadline=None)
@given(case=papers(), policy=st.sampled_from(list(MultiplePolicy)), data=st.data())
def test_a_regrade_that_corrects_nothing_changes_nothing(case: tuple[dict[int, KeyEntry], list[PaperToGrade]],
                                                        policy: MultiplePolicy, data: st.DataObject) -> None:
    key, graded = case
    same = data.draw(st.dictionaries(st.sampled_from(sorted(key)), st.just(None))) if key else {}
    for corrections in ({}, {v: key[v] for v in same}):
        result = regrade(graded, key, corrections, policy)
        assert [r.candidate for r in result] == [p.candidate for p in graded]
        assert not any(r.changed for r in result)


@settings(max_examples=200, deadline=None)
@given(case=papers(), policy=st.sampled_from(list(MultiplePolicy)), data=st.data())
def test_a_void_never_lowers_a_score(case: tuple[dict[int, KeyEntry], list[PaperToGrade]], policy: MultiplePolicy,
                                     data: st.DataObject) -> None:
    key, graded = case
    void = data.draw(st.sampled_from(sorted(key)))
    result = regrade(graded, key, {void: KeyEntry(key[void].kind, key[void].correct, voided=True)}, policy)
    assert all(r.new_score >= r.old_score for r in result)
    assert all(change.new > change.old for r in result for change in r.items)
