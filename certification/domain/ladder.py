"""The skill-level ladder of the 新八级工 system (DESIGN.md "Certification" → "The ladder").

Eight rungs, lowest first: 学徒工, 五级/初级工, 四级/中级工, 三级/高级工, 二级/技师, 一级/高级技师, 特级技师,
首席技师. Only 五级–一级 are certified (职业技能等级认定) and carried on certificates as a digit 1–5, where a
smaller number is a higher level: that digit is `SkillLevel`, the type competitions' promotion and certificate
numbers use. 学徒工 is the apprenticeship below them; 特级技师 and 首席技师 are appointed (评聘) from holders of
一级, never certified and never reached by a competition promotion.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum


class SkillLevel(IntEnum):
    """A certified skill level as certificates carry it; a smaller number is a higher level."""

    ONE = 1
    TWO = 2
    THREE = 3
    FOUR = 4
    FIVE = 5

    @property
    def label_zh(self) -> str:
        return Rung.of(self).label_zh

    def one_up(self) -> SkillLevel | None:
        """The next higher certified level, or None above 一级 (appointments, not promotions, lead higher)."""
        return SkillLevel(self - 1) if self > SkillLevel.ONE else None

    def at_least(self, other: SkillLevel) -> bool:
        """True when this level is `other` or higher."""
        return self <= other


class HowObtained(StrEnum):
    APPRENTICESHIP = "apprenticeship"  # 学徒
    CERTIFIED = "certified"  # 职业技能等级认定 (or a competition promotion counting as it)
    APPOINTED = "appointed"  # 评聘 by an enterprise


class Rung(IntEnum):
    """One rung of the eight-rung ladder; a larger number is a higher rung (the opposite of `SkillLevel`)."""

    APPRENTICE = 1
    FIVE = 2
    FOUR = 3
    THREE = 4
    TWO = 5
    ONE = 6
    PRINCIPAL = 7  # 特级技师
    CHIEF = 8  # 首席技师

    @classmethod
    def of(cls, level: SkillLevel) -> Rung:
        return cls(7 - int(level))

    @property
    def skill_level(self) -> SkillLevel | None:
        """The certified level of this rung, or None for the apprenticeship and the appointed rungs."""
        return SkillLevel(7 - int(self)) if Rung.FIVE <= self <= Rung.ONE else None

    @property
    def how_obtained(self) -> HowObtained:
        if self is Rung.APPRENTICE:
            return HowObtained.APPRENTICESHIP
        return HowObtained.APPOINTED if self > Rung.ONE else HowObtained.CERTIFIED

    @property
    def label_zh(self) -> str:
        return _LABELS[self]

    def requires_for_appointment(self) -> Rung | None:
        """The rung one must hold to be appointed to this one (一级 for 特级技师, 特级技师 for 首席技师)."""
        return Rung(self - 1) if self.how_obtained is HowObtained.APPOINTED else None


_LABELS: dict[Rung, str] = {
    Rung.APPRENTICE: "学徒工",
    Rung.FIVE: "五级/初级工",
    Rung.FOUR: "四级/中级工",
    Rung.THREE: "三级/高级工",
    Rung.TWO: "二级/技师",
    Rung.ONE: "一级/高级技师",
    Rung.PRINCIPAL: "特级技师",
    Rung.CHIEF: "首席技师",
}

LADDER: tuple[Rung, ...] = tuple(Rung)
