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
        # matchmaking events (talentpool.services.matchmaking)
        "matchmaking.name_required": _("请填写对接会名称。"),
        "matchmaking.scope_missing": _("请选择对接会范围对应的产业链、城市或联盟。"),
        "matchmaking.not_a_unit_to_invite": _("只能邀请企业或院校。"),
        "matchmaking.already_invited": _("该单位已被邀请。"),
        "matchmaking.not_invited": _("该单位尚未被邀请。"),
        "matchmaking.event_past": _("对接会已经举办，不能再更改参会答复。"),
        "matchmaking.bad_outcome_kind": _("成效类型不是已知的类型。"),
        "matchmaking.outcome_not_invited": _("须是本次对接会已邀请的单位。"),
        "matchmaking.count_positive": _("数量须至少为 1。"),
        # 揭榜挂帅 challenges (talentpool.services.challenges)
        "challenge.not_an_enterprise": _("只有企业可以发榜。"),
        "challenge.not_a_college": _("只有院校可以揭榜。"),
        "challenge.required": _("此项必填。"),
        "challenge.bad_budget": _("榜单金额须为不小于 0 的万元数。"),
        "challenge.deadline_past": _("揭榜截止日期不能早于今天。"),
        "challenge.unknown_chain": _("产业链不存在。"),
        "challenge.not_own_need": _("只能选择本企业的合作需求。"),
        "challenge.not_open": _("榜单已揭榜或已关闭。"),
        "challenge.deadline_passed": _("已过揭榜截止日期，不再接受申请。"),
        "challenge.already_applied": _("本院校已提交过申请。"),
        "challenge.not_withdrawable": _("该申请不能撤回。"),
        "challenge.application_not_standing": _("只能选定仍有效的申请。"),
        # equipment sharing (talentpool.services.equipment)
        "equipment.purpose_required": _("请填写用途。"),
        "equipment.start_past": _("开始日期不能早于今天。"),
        "equipment.period_order": _("结束日期不能早于开始日期。"),
        "equipment.period_too_long": _("使用期限最长一年。"),
        "equipment.not_pending": _("该申请已答复或已撤回。"),
        "equipment.reply_required": _("拒绝时请填写答复。"),
    }
)
