"""The domain's codes as people read them, in the reader's language.

The pure modules carry their Chinese names (`label_zh`) because certificates, reports sent upward and Excel files
use them whatever the reader's language; pages and the API show these translatable labels instead.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from certification.domain.ladder import SkillLevel
from competitions.domain.awards import AwardCode

AWARD_LABELS: dict[AwardCode, Promise] = {
    AwardCode.GOLD: _("金牌"),
    AwardCode.SILVER: _("银牌"),
    AwardCode.BRONZE: _("铜牌"),
    AwardCode.EXCELLENCE: _("优胜奖"),
    AwardCode.FIRST_PRIZE: _("一等奖"),
    AwardCode.SECOND_PRIZE: _("二等奖"),
    AwardCode.THIRD_PRIZE: _("三等奖"),
}

LEVEL_LABELS: dict[SkillLevel, Promise] = {
    SkillLevel.ONE: _("一级/高级技师"),
    SkillLevel.TWO: _("二级/技师"),
    SkillLevel.THREE: _("三级/高级工"),
    SkillLevel.FOUR: _("四级/中级工"),
    SkillLevel.FIVE: _("五级/初级工"),
}


def award_label(code: AwardCode | None) -> str | None:
    return str(AWARD_LABELS[code]) if code is not None else None


def level_label(level: SkillLevel | None) -> str | None:
    return str(LEVEL_LABELS[level]) if level is not None else None
