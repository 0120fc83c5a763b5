"""The Chinese messages of every error code and explanation the certification app shows (English lives in
locale/en like every other app's); registered at start-up by `CertificationConfig.ready`. The pure modules
(certification.domain) raise `core.errors.RuleBroken` and name their words by these codes."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.errors import register_messages

register_messages(
    {
        # the ladder's certified levels, as explanations name them
        "ladder.level.1": _("一级/高级技师"),
        "ladder.level.2": _("二级/技师"),
        "ladder.level.3": _("三级/高级工"),
        "ladder.level.4": _("四级/中级工"),
        "ladder.level.5": _("五级/初级工"),
        "ladder.rung.1": _("学徒工"),
        "ladder.rung.2": _("五级/初级工"),
        "ladder.rung.3": _("四级/中级工"),
        "ladder.rung.4": _("三级/高级工"),
        "ladder.rung.5": _("二级/技师"),
        "ladder.rung.6": _("一级/高级技师"),
        "ladder.rung.7": _("特级技师"),
        "ladder.rung.8": _("首席技师"),
        # a rule's conditions stated as requirements (the catalogue's detail page)
        "rule.holds_level": _("取得{level}或以上等级"),
        "rule.years": _("从事本职业工作满 {years} 年"),
        "rule.apprenticeship": _("完成学徒培训"),
        "rule.graduate_of": _("{schools}毕业"),
        "rule.education": _("具有{education}及以上学历"),
        # catalogue.py
        "catalogue.bad_code": _("“{value}”不是职业编码：应为 X-XX-XX-XX 格式，如焊工 6-18-02-04。"),
        "catalogue.unknown_level": _(
            "“{value}”不是可认定的等级：应为五级、四级、三级、二级或一级（或初级工…高级技师）。"),
        "catalogue.no_levels": _("至少填写一个等级。"),
        "catalogue.code_taken": _("职业编码 {code} 已存在。"),
        "catalogue.occupation_in_use": _("职业 {code} 已有人员持有等级，不能删除等级“{level}”。"),
        "catalogue.too_large": _("文件超过 {max} MB。"),
        # eligibility.py: each condition, met or not
        "eligibility.holds_level.met": _("已取得{level}或以上等级（现持有{held}）"),
        "eligibility.holds_level.unmet": _("须取得{level}或以上等级，现持有：{held}"),
        "eligibility.years.met": _("从事本职业工作满 {years} 年（现为 {has} 年）"),
        "eligibility.years.unmet": _("须从事本职业工作满 {years} 年，现为 {has} 年"),
        "eligibility.apprenticeship.met": _("已完成学徒培训"),
        "eligibility.apprenticeship.unmet": _("须完成学徒培训"),
        "eligibility.graduate_of.met": _("{school}毕业（须为{schools}毕业）"),
        "eligibility.graduate_of.unmet": _("须为{schools}毕业，现为：{school}"),
        "eligibility.education.met": _("学历为{has_education}，达到{education}及以上"),
        "eligibility.education.unmet": _("须具有{education}及以上学历，现为{has_education}"),
        "eligibility.no_level": _("无"),
        "eligibility.no_school": _("未填写"),
        "eligibility.school.technical_school": _("技工学校"),
        "eligibility.school.senior_technical_school": _("高级技工学校"),
        "eligibility.school.technician_college": _("技师学院"),
        "eligibility.school.higher_vocational": _("高职"),
        "eligibility.education.0": _("初中及以下"),
        "eligibility.education.1": _("高中/中专"),
        "eligibility.education.2": _("大专"),
        "eligibility.education.3": _("本科"),
        "eligibility.education.4": _("研究生"),
        "eligibility.eligible": _("符合申报{occupation}{level}的条件。"),
        "eligibility.not_eligible": _("不符合申报{occupation}{level}的条件：以下每条申报条件都有未满足的项。"),
        "eligibility.bad_rule": _("{level}的申报条件无效。"),
        "eligibility.level_not_offered": _("职业“{occupation}”不开展{level}认定。"),
        # held levels
        "held_level.evidence_required": _("请填写证明材料（如证书编号、发证机构）。"),
        "held_level.future_date": _("取得日期不能晚于今天。"),
        "held_level.reason_required": _("请填写撤销原因。"),
        "held_level.already_withdrawn": _("该等级已撤销。"),
        "held_level.not_by_hand": _("只能撤销手工登记的等级；竞赛晋级随公布成绩的更正而变化。"),
    }
)
