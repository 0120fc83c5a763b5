"""The 新八级工 ladder (DESIGN.md "Certification" → "The ladder")."""

from __future__ import annotations

import pytest

from certification.domain.ladder import LADDER, HowObtained, Rung, SkillLevel


def test_ladder_has_eight_rungs_lowest_first() -> None:
    assert [r.label_zh for r in LADDER] == [
        "学徒工", "五级/初级工", "四级/中级工", "三级/高级工", "二级/技师", "一级/高级技师", "特级技师", "首席技师",
    ]


@pytest.mark.parametrize(("level", "rung"), [
    (SkillLevel.FIVE, Rung.FIVE), (SkillLevel.FOUR, Rung.FOUR), (SkillLevel.THREE, Rung.THREE),
    (SkillLevel.TWO, Rung.TWO), (SkillLevel.ONE, Rung.ONE),
])
def test_certified_levels_map_to_their_rung_and_back(level: SkillLevel, rung: Rung) -> None:
    assert Rung.of(level) is rung
    assert rung.skill_level is level
    assert rung.how_obtained is HowObtained.CERTIFIED
    assert level.label_zh == rung.label_zh


@pytest.mark.parametrize("rung", [Rung.APPRENTICE, Rung.PRINCIPAL, Rung.CHIEF])
def test_uncertified_rungs_carry_no_certificate_level(rung: Rung) -> None:
    assert rung.skill_level is None


def test_appointed_rungs_need_the_rung_below() -> None:
    assert Rung.PRINCIPAL.how_obtained is HowObtained.APPOINTED
    assert Rung.PRINCIPAL.requires_for_appointment() is Rung.ONE
    assert Rung.CHIEF.requires_for_appointment() is Rung.PRINCIPAL
    assert Rung.ONE.requires_for_appointment() is None
    assert Rung.APPRENTICE.how_obtained is HowObtained.APPRENTICESHIP


def test_one_up_stops_at_level_one() -> None:
    assert SkillLevel.THREE.one_up() is SkillLevel.TWO
    assert SkillLevel.ONE.one_up() is None
    assert SkillLevel.ONE.at_least(SkillLevel.TWO) and not SkillLevel.THREE.at_least(SkillLevel.TWO)
