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
    }
)
