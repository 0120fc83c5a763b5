"""Competition promotion (竞赛晋级) of skill levels (DESIGN.md, "Competitions" → "Promotion"; levels from
"Certification" → "The ladder").

The table is data: `DEFAULT_PROMOTION_TABLE` maps a competition level code to bands tried in order; the caller may
pass its own table (an organizer's configured levels). Defaults:

- 国赛 (national): a medal or 优胜奖 → 技师 (二级).
- 省级一类: places 1–3 → 技师 (二级); places 4–10 → 高级工 (三级).
- 省级二类: place 1 → 技师 (二级); places 2–5 → 高级工 (三级).

Only a contestant whose rounded total reaches the minimum total (default 60, the awards gate) is eligible.
Whoever already holds the target level or a higher one goes one level up from the level they hold instead;
nobody goes above 一级 (高级技师), so a holder of 一级 gets no promotion. Place bands are inclusive and compare
places, so contestants sharing a place share its promotion.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from certification.domain.ladder import SkillLevel
from competitions.domain.awards import DEFAULT_MIN_TOTAL, MEDALS, AwardCode


class CompetitionLevel(StrEnum):
    """Default codes of competition levels (DESIGN.md "Levels (data, not code)"); tables take any string code."""

    WORLDSKILLS_SELECTION = "worldskills_selection"
    NATIONAL = "national"
    PROVINCIAL_1 = "provincial_1"
    PROVINCIAL_2 = "provincial_2"
    CITY = "city"
    INDUSTRY = "industry"
    ENTERPRISE = "enterprise"
    COLLEGE = "college"

    @property
    def label_zh(self) -> str:
        return _COMPETITION_LEVEL_LABELS[self]


_COMPETITION_LEVEL_LABELS: dict[CompetitionLevel, str] = {
    CompetitionLevel.WORLDSKILLS_SELECTION: "世赛选拔",
    CompetitionLevel.NATIONAL: "国赛",
    CompetitionLevel.PROVINCIAL_1: "省级一类",
    CompetitionLevel.PROVINCIAL_2: "省级二类",
    CompetitionLevel.CITY: "市级",
    CompetitionLevel.INDUSTRY: "行业",
    CompetitionLevel.ENTERPRISE: "企业",
    CompetitionLevel.COLLEGE: "院校",
}


@dataclass(frozen=True, slots=True)
class PromotionBand:
    """One row of a promotion table: a place range (inclusive) or a set of awards that earns `target`."""

    target: SkillLevel
    first_place: int | None = None
    last_place: int | None = None
    awards: frozenset[AwardCode] = frozenset()

    def matches(self, place: int | None, award: AwardCode | None) -> bool:
        if award is not None and award in self.awards:
            return True
        if place is None or self.first_place is None:
            return False
        return self.first_place <= place <= (self.last_place if self.last_place is not None else self.first_place)


PromotionTable = Mapping[str, Sequence[PromotionBand]]

DEFAULT_PROMOTION_TABLE: PromotionTable = {
    CompetitionLevel.NATIONAL: (PromotionBand(SkillLevel.TWO, awards=MEDALS | {AwardCode.EXCELLENCE}),),
    CompetitionLevel.PROVINCIAL_1: (
        PromotionBand(SkillLevel.TWO, first_place=1, last_place=3),
        PromotionBand(SkillLevel.THREE, first_place=4, last_place=10),
    ),
    CompetitionLevel.PROVINCIAL_2: (
        PromotionBand(SkillLevel.TWO, first_place=1, last_place=1),
        PromotionBand(SkillLevel.THREE, first_place=2, last_place=5),
    ),
}


@dataclass(frozen=True, slots=True)
class Promotion:
    """A promotion earned: the level the table names (`by_table`), the level granted (`level`) and the level held
    before (`held`, None when none)."""

    level: SkillLevel
    by_table: SkillLevel
    held: SkillLevel | None


def promotion_for(
    competition_level: str,
    place: int | None,
    award: AwardCode | None,
    total: Decimal,
    held: SkillLevel | None = None,
    table: PromotionTable = DEFAULT_PROMOTION_TABLE,
    min_total: Decimal = DEFAULT_MIN_TOTAL,
) -> Promotion | None:
    """The promotion a result earns, or None (module docstring; DESIGN.md "Promotion (竞赛晋级)"): the first band of
    the level's table matching the place or award, when the total reaches `min_total`; a holder of the target or
    higher goes one level up from the level held; nothing above 一级."""
    if total < min_total:
        return None
    band = next((b for b in table.get(competition_level, ()) if b.matches(place, award)), None)
    if band is None:
        return None
    level: SkillLevel | None = band.target
    if held is not None and held.at_least(band.target):
        level = held.one_up()
    if level is None:
        return None
    return Promotion(level=level, by_table=band.target, held=held)
