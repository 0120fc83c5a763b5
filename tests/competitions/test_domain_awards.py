"""Awards, the standardised score and 技术能手 proposals (DESIGN.md "Awards", "Titles")."""

# pytest asserts; pyproject ignores S101 for tests, this keeps the narrower `--select … S` command clean too.
# ruff: noqa: S101

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from competitions.domain.awards import (
    MEDALLION_THRESHOLD,
    AwardCode,
    AwardRule,
    AwardRuleKind,
    ExcellenceBasis,
    assign_awards,
    proportion_counts,
    standardised_scores,
)
from competitions.domain.eligibility import Group
from competitions.domain.promotion import CompetitionLevel
from competitions.domain.ranking import Placed, RankEntry, rank
from competitions.domain.titles import DEFAULT_TITLE_RULES, TitleRule, TitleScope, propose_titles

D = Decimal
G, S, B, E = AwardCode.GOLD, AwardCode.SILVER, AwardCode.BRONZE, AwardCode.EXCELLENCE
P1, P2, P3 = AwardCode.FIRST_PRIZE, AwardCode.SECOND_PRIZE, AwardCode.THIRD_PRIZE
PROPORTIONS = AwardRule(kind=AwardRuleKind.PROPORTIONS)


def ranked(*totals: str | int) -> list[Placed]:
    return rank(RankEntry(f"c{i}", D(t)) for i, t in enumerate(totals))


def awards(placed: list[Placed], rule: AwardRule | None = None) -> list[AwardCode | None]:
    return [a.award for a in assign_awards(placed, rule)]


def test_award_codes_have_chinese_labels() -> None:
    assert [c.label_zh for c in AwardCode] == ["金牌", "银牌", "铜牌", "优胜奖", "一等奖", "二等奖", "三等奖"]
    assert G.is_medal and not E.is_medal


# --- places rule -------------------------------------------------------------------------------------------------


def test_places_rule_gives_medals_by_place() -> None:
    assert awards(ranked(95, 90, 85, 80, 75, 70, 65, 60)) == [G, S, B, E, None, None, None, None]


def test_places_1_1_3_give_two_golds_and_a_bronze() -> None:
    placed = ranked(95, 95, 85, 80, 75, 70)
    assert [p.place for p in placed] == [1, 1, 3, 4, 5, 6]
    assert awards(placed) == [G, G, B, None, None, None]


def test_places_1_2_2_give_two_silvers_and_no_bronze() -> None:
    assert awards(ranked(95, 90, 90, 80, 75, 70, 65, 61)) == [G, S, S, E, None, None, None, None]


@pytest.mark.parametrize(
    ("entrants", "last_excellence_place"),
    [(7, 3), (8, 4), (9, 4), (10, 5), (11, 5), (20, 10)],
)
def test_excellence_goes_to_every_place_p_with_2p_at_most_n(entrants: int, last_excellence_place: int) -> None:
    placed = ranked(*(99 - i for i in range(entrants)))
    result = assign_awards(placed)
    excellence = [a.place for a in result if a.award is E]
    assert excellence == list(range(4, last_excellence_place + 1))


def test_a_tie_at_the_excellence_boundary_is_decided_by_the_shared_place() -> None:
    # N = 10: places 5, 5 both satisfy 2p ≤ 10; N = 9: a shared place 5 fails for both.
    assert awards(ranked(99, 98, 97, 96, 95, 95, 90, 80, 70, 65))[4:6] == [E, E]
    assert awards(ranked(99, 98, 97, 96, 95, 95, 90, 80, 70))[4:6] == [None, None]


def test_nobody_below_the_minimum_total_gets_an_award() -> None:
    assert awards(ranked("59.99", "59.99", "40", "30")) == [None, None, None, None]
    # N = 10: place 5 would earn 优胜奖 (2 × 5 ≤ 10) but 59.99 is below the minimum.
    assert awards(ranked(95, 90, 85, 80, "59.99", 50, 40, 30, 20, 10)) == [G, S, B, E] + [None] * 6
    # The gate takes the award away without moving anyone up: the bronze place stays unawarded.
    assert awards(ranked(95, 70, 65, 64), AwardRule(min_total=D(66))) == [G, S, None, None]


def test_the_minimum_total_compares_the_rounded_total() -> None:
    assert awards(ranked("59.995")) == [G]  # shows as 60.00
    assert awards(ranked("59.994")) == [None]


# --- proportions rule --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entrants", "counts"),
    [(0, (0, 0, 0)), (1, (1, 0, 0)), (3, (1, 1, 1)), (4, (1, 1, 1)), (5, (1, 1, 2)), (10, (1, 2, 3)),
     (15, (2, 3, 5)), (25, (3, 5, 8)), (35, (4, 7, 11))],
)
def test_proportion_counts_round_half_up_with_at_least_one_first_prize(
    entrants: int, counts: tuple[int, int, int]
) -> None:
    # 15 × 10% = 1.5 → 2 and 25 × 30% = 7.5 → 8: half up, not to even.
    assert proportion_counts(entrants) == counts


def test_proportions_rule_with_ten_entrants() -> None:
    assert awards(ranked(*(99 - i for i in range(10))), PROPORTIONS) == [P1, P2, P2, P3, P3, P3] + [None] * 4


def test_a_tie_straddling_n1_gives_both_the_higher_award() -> None:
    # N = 10, n1 = 1: two contestants share place 1, both 一等奖; place 3 is still within n1 + n2 = 3.
    placed = ranked(99, 99, 97, 96, 95, 94, 93, 92, 91, 90)
    assert [p.place for p in placed][:3] == [1, 1, 3]
    assert awards(placed, PROPORTIONS) == [P1, P1, P2, P3, P3, P3] + [None] * 4


def test_a_tie_straddling_the_last_boundary_extends_third_prize() -> None:
    placed = ranked(99, 98, 97, 96, 95, 94, 94, 94, 91, 90)
    assert awards(placed, PROPORTIONS) == [P1, P2, P2, P3, P3, P3, P3, P3, None, None]


def test_proportions_rule_respects_the_minimum_total() -> None:
    assert awards(ranked(99, 59, 58), PROPORTIONS) == [P1, None, None]


# --- standardised score ------------------------------------------------------------------------------------------


def test_standardised_score_formula() -> None:
    # Mean 80, population sd 20: 700 ± 100 per sd.
    assert standardised_scores({"a": D(60), "b": D(100)}) == {"a": 600, "b": 800}
    # Mean 80, sd = sqrt(1000 / 6) = 12.9099…: 70 ↦ 622.54 → 623, 60 ↦ 545.08 → 545.
    scores = standardised_scores({"a": D(70), "b": D(90), "c": D(80), "d": D(80), "e": D(60), "f": D(100)})
    assert scores == {"a": 623, "b": 777, "c": 700, "d": 700, "e": 545, "f": 855}


def test_standardised_score_is_700_for_everyone_when_all_totals_are_equal() -> None:
    assert standardised_scores({"a": D(75), "b": D(75)}) == {"a": 700, "b": 700}
    assert standardised_scores({}) == {}


def test_standardised_basis_gives_excellence_at_700_or_more() -> None:
    rule = AwardRule(excellence_basis=ExcellenceBasis.STANDARDISED_SCORE)
    result = assign_awards(ranked(95, 90, 85, 80, 80, 70, 40, 30), rule)
    assert [(r.award, r.standardised_score) for r in result] == [
        (G, 807), (S, 785), (B, 762), (E, 739), (E, 739), (None, 694), (None, 559), (None, 514),
    ]  # 70 is above the minimum total but below the mean: no 优胜奖 on this basis
    assert all(r.standardised_score is not None and r.standardised_score >= MEDALLION_THRESHOLD
               for r in result if r.award is E)


def test_standardised_excellence_still_needs_the_minimum_total() -> None:
    rule = AwardRule(excellence_basis=ExcellenceBasis.STANDARDISED_SCORE, min_total=D(75))
    result = assign_awards(ranked(95, 90, 85, 74, 74, 10), rule)
    assert [r.award for r in result] == [G, S, B, None, None, None]
    assert result[3].standardised_score is not None and result[3].standardised_score >= 700


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 100), max_size=30), st.sampled_from(list(AwardRuleKind)))
def test_a_better_place_never_gets_a_lesser_award(totals: list[int], kind: AwardRuleKind) -> None:
    order = [G, S, B, E] if kind is AwardRuleKind.PLACES else [P1, P2, P3]
    rule = AwardRule(kind=kind, min_total=D(0))
    result = assign_awards(ranked(*totals), rule)
    strength = [len(order) if r.award is None else order.index(r.award) for r in result]
    assert strength == sorted(strength)
    # Contestants sharing a place share the award.
    by_place: dict[int, set[AwardCode | None]] = {}
    for r in result:
        by_place.setdefault(r.place, set()).add(r.award)
    assert all(len(a) == 1 for a in by_place.values())


# --- titles ------------------------------------------------------------------------------------------------------


def titled(level: str, group: Group, team_size: int, placed: list[Placed]) -> list[str]:
    return [str(t.contestant_id) for t in propose_titles(level, group, team_size, placed)]


@pytest.mark.parametrize("group", [Group.WORKER, Group.TEACHER])
@pytest.mark.parametrize("level", [CompetitionLevel.PROVINCIAL_1, CompetitionLevel.PROVINCIAL_2])
def test_provincial_titles_go_to_the_top_three_of_workers_and_teachers(level: str, group: Group) -> None:
    assert titled(level, group, 1, ranked(95, 90, 85, 80)) == ["c0", "c1", "c2"]


def test_provincial_students_get_no_title() -> None:
    assert titled(CompetitionLevel.PROVINCIAL_1, Group.STUDENT, 1, ranked(95, 90, 85)) == []


@pytest.mark.parametrize(("team_size", "count"), [(1, 5), (2, 3), (3, 2)])
def test_national_titles_by_team_size(team_size: int, count: int) -> None:
    placed = ranked(*(99 - i for i in range(8)))
    assert titled(CompetitionLevel.NATIONAL, Group.STUDENT, team_size, placed) == [f"c{i}" for i in range(count)]
    proposals = propose_titles(CompetitionLevel.NATIONAL, Group.WORKER, team_size, placed)
    assert {p.scope for p in proposals} == {TitleScope.NATIONAL}
    assert TitleScope.NATIONAL.label_zh == "全国技术能手"


def test_titles_include_everyone_sharing_the_last_place_and_respect_the_minimum() -> None:
    assert titled(CompetitionLevel.PROVINCIAL_1, Group.WORKER, 1, ranked(95, 90, 85, 85, 80)) == [
        "c0", "c1", "c2", "c3",
    ]
    assert titled(CompetitionLevel.PROVINCIAL_1, Group.WORKER, 1, ranked(95, 59)) == ["c0"]


def test_levels_without_a_rule_propose_nothing_and_rules_are_data() -> None:
    assert titled(CompetitionLevel.CITY, Group.WORKER, 1, ranked(99)) == []
    custom = {**DEFAULT_TITLE_RULES, "city": TitleRule(TitleScope.PROVINCIAL, {1: 1})}
    assert [t.contestant_id for t in propose_titles("city", Group.WORKER, 1, ranked(99, 98), custom)] == ["c0"]
