"""Occupation codes and levels as people write them (certification.domain.catalogue)."""

from __future__ import annotations

import pytest

from certification.domain.catalogue import (
    Kinship,
    kinship,
    levels_text,
    parse_level,
    parse_levels,
    parse_occupation_code,
)
from certification.domain.ladder import SkillLevel
from core.errors import RuleBroken


@pytest.mark.parametrize("text", ["6-18-02-04", "６－１８－０２－０４", " 6-18-02-04 ", "6—18—02—04"])
def test_a_code_is_read_with_its_hierarchy(text: str) -> None:
    code = parse_occupation_code(text)
    assert (code.code, code.major, code.middle, code.minor) == ("6-18-02-04", "6", "6-18", "6-18-02")


@pytest.mark.parametrize("text", ["6-18-2-04", "61802 04", "X-18-02-04", "6-18-02-04-01", ""])
def test_a_bad_code_is_refused_naming_it(text: str) -> None:
    with pytest.raises(RuleBroken) as refused:
        parse_occupation_code(text)
    assert refused.value.code == "catalogue.bad_code" and refused.value.params == {"value": text}


@pytest.mark.parametrize(("a", "b", "expected"), [
    ("6-18-02-04", "6-18-02-04", Kinship.SAME), ("6-18-01-01", "6-18-01-02", Kinship.SAME_MINOR),
    ("6-18-01-01", "6-18-02-04", Kinship.SAME_MIDDLE), ("6-18-02-04", "6-31-01-03", Kinship.SAME_MAJOR),
    ("4-12-01-01", "6-31-01-03", Kinship.NONE),
])
def test_kinship_compares_the_hierarchy(a: str, b: str, expected: Kinship) -> None:
    assert kinship(parse_occupation_code(a), parse_occupation_code(b)) is expected


@pytest.mark.parametrize(("text", "level"), [
    ("五级", SkillLevel.FIVE), ("初级工", SkillLevel.FIVE), ("5", SkillLevel.FIVE), ("四级/中级工", SkillLevel.FOUR),
    ("技师", SkillLevel.TWO), ("高级技师", SkillLevel.ONE), ("一级", SkillLevel.ONE),
])
def test_a_level_is_read_however_people_write_it(text: str, level: SkillLevel) -> None:
    assert parse_level(text) is level


@pytest.mark.parametrize("text", ["特级技师", "首席技师", "学徒工", "六级", "0"])
def test_levels_not_certified_are_refused(text: str) -> None:
    with pytest.raises(RuleBroken) as refused:
        parse_level(text)
    assert refused.value.code == "catalogue.unknown_level"


def test_a_list_of_levels_is_read_lowest_first_without_repeats() -> None:
    assert parse_levels("三级、五级，四级;三级") == (SkillLevel.FIVE, SkillLevel.FOUR, SkillLevel.THREE)
    assert levels_text(parse_levels("一级、五级")) == "五级、一级"
