"""The Chinese messages of every error code the talent pool shows (English lives in locale/en like every other
app's); registered at start-up by `TalentpoolConfig.ready`. Each module adds its codes under its own prefix
(`intake.`, `profile.`, `contact.`, `demand.`, `supply.`, `excel.`, `match.`, `matchmaking.`, `challenge.`,
`equipment.`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.errors import register_messages

register_messages(
    {
        "talentpool.not_in_pool": _("此人不在人才库中。"),
        # matching (talentpool.domain.matching, selectors/matching.py)
        "match.bad_weights": _("匹配权重须为非负数，且至少有一项大于 0。"),
        "match.bad_rung": _("{what}：等级不在技能等级阶梯（学徒工至首席技师）上。"),
        "match.repeated_talent": _("人才库中有重复的人员。"),
        "match.bad_award": _("奖项不是已知的奖项类别。"),
    }
)
