"""The occupation catalogue's codes and levels (DESIGN.md "Certification" → "Occupation codes", "The ladder").

An occupation (职业) or trade (工种) of the national classification (《中华人民共和国职业分类大典》) carries a code
`X-XX-XX-XX`: 大类 (major group, one digit), 中类 (middle group), 小类 (minor group) and 细类 (the occupation
itself). The catalogue keeps each prefix (`OccupationCode.major` … `.minor`), so the talent pool can compare two
codes (same occupation, same 小类, same 中类: `kinship`) without parsing them again.

Choices where DESIGN.md is silent (tested in tests/certification/test_domain_catalogue.py):
- a code is read after Unicode NFKC (full-width digits and hyphens become ASCII) with spaces removed, and the
  dashes people type (— – － ‐) count as hyphens; anything else that is not `\\d-\\d\\d-\\d\\d-\\d\\d` is refused;
- a level is named by its digit (5), its name (五级), its old title (初级工), or both as the ladder writes them
  (五级/初级工); only 五级–一级 are certified, so 学徒工, 特级技师 and 首席技师 are refused as catalogue levels.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import IntEnum

from certification.domain.ladder import Rung, SkillLevel
from core.errors import RuleBroken

_CODE = re.compile(r"^(\d)-(\d{2})-(\d{2})-(\d{2})$")
_DASHES = str.maketrans({"—": "-", "–": "-", "‐": "-", "‑": "-", "−": "-"})


@dataclass(frozen=True, slots=True)
class OccupationCode:
    """A code of the national classification, with each level of its hierarchy as a prefix of it."""

    code: str  # 细类, 6-18-02-04
    major: str  # 大类, 6
    middle: str  # 中类, 6-18
    minor: str  # 小类, 6-18-02


def parse_occupation_code(text: str) -> OccupationCode:
    """The code of `text` (module docstring: NFKC, spaces and dash variants tolerated), or RuleBroken
    `catalogue.bad_code` naming the text."""
    normalised = unicodedata.normalize("NFKC", text).translate(_DASHES).replace(" ", "").strip()
    match = _CODE.match(normalised)
    if match is None:
        raise RuleBroken("catalogue.bad_code", {"value": text}, "{value} is not an occupation code (X-XX-XX-XX).")
    major, middle, minor, unit = match.groups()
    return OccupationCode(
        code=f"{major}-{middle}-{minor}-{unit}", major=major, middle=f"{major}-{middle}",
        minor=f"{major}-{middle}-{minor}",
    )


class Kinship(IntEnum):
    """How close two occupations are in the classification; a larger value is closer."""

    NONE = 0
    SAME_MAJOR = 1  # 同大类
    SAME_MIDDLE = 2  # 同中类
    SAME_MINOR = 3  # 同小类
    SAME = 4  # 同职业


def kinship(a: OccupationCode, b: OccupationCode) -> Kinship:
    """The closest level of the hierarchy the two codes share (DESIGN.md "Match score" compares by it)."""
    if a.code == b.code:
        return Kinship.SAME
    if a.minor == b.minor:
        return Kinship.SAME_MINOR
    if a.middle == b.middle:
        return Kinship.SAME_MIDDLE
    if a.major == b.major:
        return Kinship.SAME_MAJOR
    return Kinship.NONE


_OLD_TITLES = {
    SkillLevel.FIVE: "初级工", SkillLevel.FOUR: "中级工", SkillLevel.THREE: "高级工", SkillLevel.TWO: "技师",
    SkillLevel.ONE: "高级技师",
}
_NUMERALS = {SkillLevel.FIVE: "五级", SkillLevel.FOUR: "四级", SkillLevel.THREE: "三级", SkillLevel.TWO: "二级",
             SkillLevel.ONE: "一级"}


def _level_names() -> dict[str, SkillLevel]:
    names: dict[str, SkillLevel] = {}
    for level in SkillLevel:
        for name in (str(int(level)), _NUMERALS[level], _OLD_TITLES[level], Rung.of(level).label_zh,
                     f"{int(level)}级"):
            names[name] = level
    return names


LEVEL_NAMES = _level_names()


def parse_level(text: str) -> SkillLevel:
    """A certified level from the way people write it (module docstring), or RuleBroken `catalogue.unknown_level`."""
    normalised = unicodedata.normalize("NFKC", text).replace(" ", "").strip()
    level = LEVEL_NAMES.get(normalised)
    if level is None:
        raise RuleBroken("catalogue.unknown_level", {"value": text}, "{value} is not a certified level (五级–一级).")
    return level


def parse_levels(text: str) -> tuple[SkillLevel, ...]:
    """Levels separated by 、 , ， ; or ；, lowest first and without repeats; every unknown one named in one
    RuleBroken (the first)."""
    parts = [p for p in re.split(r"[、,，;；\s]+", unicodedata.normalize("NFKC", text).strip()) if p]
    if not parts:
        raise RuleBroken("catalogue.no_levels", {}, "No level given.")
    levels = {parse_level(p) for p in parts}
    return tuple(sorted(levels, reverse=True))


def level_label(level: SkillLevel) -> str:
    """五级/初级工: the ladder's label of a certified level."""
    return Rung.of(level).label_zh


def levels_text(levels: tuple[SkillLevel, ...] | list[SkillLevel]) -> str:
    """The levels as the catalogue's Excel column writes them (五级、四级、三级), lowest first."""
    return "、".join(_NUMERALS[level] for level in sorted(levels, reverse=True))
