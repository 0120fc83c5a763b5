"""Competition promotion (竞赛晋级) (DESIGN.md "Promotion")."""

# pytest asserts; pyproject ignores S101 for tests, this keeps the narrower `--select … S` command clean too.
# ruff: noqa: S101

from __future__ import annotations

from decimal import Decimal

import pytest

from certification.domain.ladder import SkillLevel
from competitions.domain.awards import AwardCode
from competitions.domain.promotion import (
    DEFAULT_PROMOTION_TABLE,
    CompetitionLevel,
    Promotion,
    PromotionBand,
    promotion_for,
)

D = Decimal
NATIONAL, PROV1, PROV2 = CompetitionLevel.NATIONAL, CompetitionLevel.PROVINCIAL_1, CompetitionLevel.PROVINCIAL_2
ONE, TWO, THREE, FOUR, FIVE = SkillLevel.ONE, SkillLevel.TWO, SkillLevel.THREE, SkillLevel.FOUR, SkillLevel.FIVE


def level(
    competition: str, place: int | None, award: AwardCode | None = None, held: SkillLevel | None = None,
    total: str = "80",
) -> SkillLevel | None:
    result = promotion_for(competition, place, award, D(total), held)
    return None if result is None else result.level


def test_levels_have_chinese_names_and_smaller_is_higher() -> None:
    assert [lv.label_zh for lv in sorted(SkillLevel, reverse=True)] == [
        "五级/初级工", "四级/中级工", "三级/高级工", "二级/技师", "一级/高级技师",
    ]
    assert TWO.at_least(THREE) and TWO.at_least(TWO) and not THREE.at_least(TWO)
    assert ONE.one_up() is None and TWO.one_up() is ONE
    assert CompetitionLevel.PROVINCIAL_1.label_zh == "省级一类"


@pytest.mark.parametrize(
    ("award", "expected"),
    [
        (AwardCode.GOLD, TWO), (AwardCode.SILVER, TWO), (AwardCode.BRONZE, TWO), (AwardCode.EXCELLENCE, TWO),
        (None, None),
    ],
)
def test_national_medal_or_excellence_promotes_to_technician(award: AwardCode | None, expected: SkillLevel) -> None:
    assert level(NATIONAL, 12, award) is expected


@pytest.mark.parametrize(
    ("place", "expected"), [(1, TWO), (3, TWO), (4, THREE), (10, THREE), (11, None), (None, None)]
)
def test_provincial_class_one_by_place(place: int | None, expected: SkillLevel | None) -> None:
    assert level(PROV1, place) is expected


@pytest.mark.parametrize(("place", "expected"), [(1, TWO), (2, THREE), (5, THREE), (6, None)])
def test_provincial_class_two_by_place(place: int, expected: SkillLevel | None) -> None:
    assert level(PROV2, place) is expected


@pytest.mark.parametrize(
    ("competition", "place", "held", "expected"),
    [
        (PROV1, 2, TWO, ONE),  # holds the target 二级 → one up from 二级
        (PROV1, 5, THREE, TWO),  # holds the target 三级 → 二级
        (PROV1, 5, TWO, ONE),  # holds more than the target → one up from what is held
        (PROV1, 5, FOUR, THREE),  # holds less: the table's level
        (PROV1, 1, FIVE, TWO),
        (PROV1, 1, ONE, None),  # nobody above 一级
        (PROV2, 1, ONE, None),
        (PROV2, 3, ONE, None),
    ],
)
def test_holders_of_the_target_level_go_one_up_and_nobody_above_level_one(
    competition: str, place: int, held: SkillLevel, expected: SkillLevel | None
) -> None:
    assert level(competition, place, held=held) is expected


def test_national_excellence_for_a_technician_gives_senior_technician() -> None:
    assert promotion_for(NATIONAL, 8, AwardCode.EXCELLENCE, D(75), TWO) == Promotion(ONE, TWO, TWO)


@pytest.mark.parametrize(("total", "expected"), [("59.99", None), ("60", TWO)])
def test_only_results_reaching_the_minimum_total_promote(total: str, expected: SkillLevel | None) -> None:
    assert level(PROV1, 1, total=total) is expected


def test_levels_without_a_table_promote_nobody() -> None:
    assert level(CompetitionLevel.CITY, 1, AwardCode.GOLD) is None


def test_the_table_is_data_the_caller_may_replace() -> None:
    table = {**DEFAULT_PROMOTION_TABLE, "city": (PromotionBand(THREE, first_place=1, last_place=2),)}
    assert promotion_for("city", 2, None, D(70), table=table) == Promotion(THREE, THREE, None)
    assert promotion_for("city", 3, None, D(70), table=table) is None
    assert promotion_for("city", 1, None, D(55), table=table, min_total=D(50)) == Promotion(THREE, THREE, None)


def test_a_single_place_band_matches_only_that_place() -> None:
    band = PromotionBand(TWO, first_place=1)
    assert band.matches(1, None) and not band.matches(2, None)
