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
        # intake, profiles, consent and the enterprise pool pages (pool2)
        "talentpool.profile.phone_invalid": _(
            "联系电话格式不正确：请填写 11 位手机号或带区号的固定电话，如 0531-88886666。"),
        "talentpool.profile.email_invalid": _("电子邮箱格式不正确，如 name@example.com。"),
        "talentpool.profile.city_unknown": _("请选择山东省 16 个市之一。"),
        "talentpool.profile.education_unknown": _("请选择学历。"),
        "talentpool.profile.years_range": _("从业年限应在 0 到 60 年之间。"),
        "talentpool.profile.summary_long": _("个人简介不超过 2000 字。"),
        "talentpool.profile.skill_long": _("技能点名称不超过 100 字。"),
        "talentpool.profile.rung_unknown": _("技能点等级应为学徒工到首席技师之一。"),
        "talentpool.profile.too_many_skills": _("技能点最多填写 30 个。"),
        "talentpool.profile.chain_unknown": _("请选择已有的产业链。"),
        "talentpool.contact.bad_move": _("该联系请求当前为“%(status)s”，不能再进行此操作。"),
        "talentpool.contact.open_exists": _("本企业已向此人发出联系请求（待同意或已同意），无需重复申请。"),
        "talentpool.contact.own": _("不能向自己发出联系请求。"),
        "talentpool.contact.message_long": _("留言不超过 1000 字。"),
        "talentpool.contact.reason_long": _("原因不超过 1000 字。"),
        "talentpool.contact.post_not_yours": _("只能选择本企业需求清单中的岗位。"),
        "talentpool.intake.reason_required": _("调整入库规则须说明原因。"),
        "talentpool.intake.rung_range": _("最低证书等级应为学徒工到首席技师之一。"),
        "talentpool.intake.level_unknown": _("竞赛级别不正确。"),
        "talentpool.intake.award_unknown": _("奖项代码不正确。"),
        "talentpool.chain.code_invalid": _("代码只能包含小写字母、数字和连字符。"),
        "talentpool.chain.name_required": _("请填写产业链名称。"),
        "talentpool.chain.exists": _("该产业链代码或名称已存在。"),
        "talentpool.search.saved_name_required": _("请为保存的搜索命名。"),
        "talentpool.search.saved_exists": _("已有同名的保存搜索。"),
        "talentpool.shortlist.exists": _("此人已在候选名单中。"),
        "talentpool.shortlist.note_long": _("备注不超过 300 字。"),
        # The two checklists (talentpool.domain.checklists, services.checklists, excel.checklists).
        "checklist.required": _("“{field}”不能为空。"),
        "checklist.too_long": _("“{field}”最多 {max} 个字。"),
        "checklist.too_many": _("“{field}”最多 {max} 行。"),
        "checklist.not_positive": _("“{field}”必须大于 0。"),
        "checklist.out_of_range": _("“{field}”须在 {low} 到 {high} 之间。"),
        "checklist.too_precise": _("“{field}”最多保留两位小数。"),
        "checklist.not_a_choice": _("“{field}”的值“{value}”不在可选范围内。"),
        "checklist.year_out_of_range": _("“{field}”须在 {low} 年到 {high} 年之间。"),
        "checklist.occupation_code_malformed": _("“{field}”的值“{value}”不是职业编码（格式如 6-18-02-04）。"),
        "checklist.occupation_unknown": _("“{field}”的值“{value}”不在职业目录中。"),
        "checklist.level_unknown": _(
            "“{field}”的值“{value}”不是技能等级：请填写 学徒工、五级/初级工 … 首席技师，或阶数 1–8。"),
        "checklist.phone_malformed": _(
            "“{field}”的值“{value}”不是电话号码：请填写手机号（如 13800000000）或带区号的固话（如 0531-88888888）。"),
        "checklist.email_malformed": _("“{field}”的值“{value}”不是电子邮箱地址。"),
        "checklist.credit_code_malformed": _("“{field}”的值“{value}”不是 18 位统一社会信用代码。"),
        "checklist.chain_required": _("请至少选择一条产业链。"),
        "checklist.chain_unknown": _("“{field}”的值“{value}”不是已有的产业链。"),
        "checklist.duplicate": _("“{field}”重复：{value}。"),
        "checklist.duplicate_row": _("“{field}”与第 {other} 行重复。"),
        "checklist.submitted_already": _("该清单已报送。"),
        "checklist.unit_kind": _("该单位不能填报此清单。"),
        "demand.no_post": _("需求清单至少要有一个岗位。"),
        "supply.major_unknown": _("“{field}”的值“{value}”不在本清单的专业设置中。"),
        "supply.senior_over_full_time": _("“{field}”不能多于专任教师数。"),
        "supply.employed_over_graduates": _("“{field}”不能多于毕业生人数。"),
        "checklist.unprintable": _("“{field}”含有无法保存的字符。"),
        "checklist.not_a_number": _("“{field}”的值“{value}”不是数字。"),
        "excel.checklist_post_unknown": _("“{column}”的值“{value}”不在“岗位需求”表的岗位序号中。"),
        "excel.checklist_too_large": _("文件不能超过 {max} MB。"),
        "excel.checklist_facts_missing": _("“{column}”不能为空。"),
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
