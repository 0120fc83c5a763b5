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
        # question bank (certification.domain.questions, certification.excel.bank, certification.moodle)
        "question.bad_point_code": _("鉴定点代码应为 A-B-A-001 格式（字母段加序号）。"),
        "question.bad_difficulty": _("难度应为 1 至 5 的整数。"),
        "question.bad_importance": _("重要程度应为 X、Y 或 Z。"),
        "question.stem_required": _("请填写题干。"),
        "question.true_false_options": _("判断题的选项只能是“正确”和“错误”。"),
        "question.true_false_answer": _("判断题的答案应为“正确”或“错误”。"),
        "question.bad_options": _("选择题应有 2 至 6 个非空选项。"),
        "question.repeated_option": _("选项不能重复。"),
        "question.answer_not_an_option": _("答案必须是已填写的选项字母。"),
        "question.single_needs_one": _("单项选择题只能有一个正确答案。"),
        "question.multiple_needs_two": _("多项选择题至少有两个正确答案。"),
        "question.reason_required": _("请填写修改或停用的原因。"),
        "question.retired": _("该试题已停用。"),
        "question.unchanged": _("内容没有变化，未生成新版本。"),
        "bank.bad_kind": _("题型应为单选、多选或判断。"),
        "bank.option_gap": _("选项之间不能有空缺。"),
        "bank.too_large": _("文件超过 {max} MB。"),
        "bank.unknown_format": _("只能导入 Excel（.xlsx）、Moodle XML（.xml）或 GIFT（.gift、.txt）文件。"),
        "gift.no_answers": _("缺少答案：GIFT 试题的答案应写在 {} 中。"),
        "gift.not_utf8": _("GIFT 文件应为 UTF-8 编码。"),
        "moodle.doctype": _("文件含有 DOCTYPE 或实体声明，出于安全原因拒绝导入。"),
        "moodle.unreadable": _("文件不是有效的 XML：{detail}"),
        "moodle.not_a_quiz": _("文件不是 Moodle XML 题库（根元素应为 quiz）。"),
        "moodle.no_questions": _("文件中没有试题。"),
        "moodle.point_missing": _("缺少鉴定点代码（标签 point:A-B-A-001）。"),
        "moodle.bad_fraction": _("答案的 fraction 不是数字。"),
        "moodle.true_false_fractions": _("判断题应有 true 和 false 两个答案，一个 fraction 为 100，另一个为 0。"),
        "moodle.bad_single": _("single 应为 true 或 false。"),
        "moodle.single_fractions": _("单项选择题应恰有一个答案 fraction 为 100，其余为 0。"),
        "moodle.multiple_fractions": _("多项选择题的正确答案 fraction 应为正数且合计 100，至少两个。"),
        "moodle.unsupported_type": _("不支持的题型：只能导入单选、多选（multichoice）和判断（truefalse）。"),
        # blueprints and papers (certification.domain.papers)
        "blueprint.repeated_cell": _("细目表中有重复的行（同一知识范围、题型和难度）。"),
        "blueprint.bad_cell": _("细目表的题量不能为负，难度应为 1 至 5。"),
        "blueprint.points_missing": _("有题量的题型必须设置每题分值。"),
        "blueprint.empty": _("细目表至少要有一道题。"),
        "blueprint.bad_depth": _("知识范围层级应为 1 至 3。"),
        "blueprint.missing": _("该题库还没有鉴定要素细目表。"),
        "paper.blueprint_short": _("题库不能满足细目表：{count} 个单元格题量不足（{cells}）。"),
        "held_level.not_by_hand": _("只能撤销手工登记的等级；竞赛晋级随公布成绩的更正而变化。"),
        # appointments (certification.domain.appointments)
        "appointment.evidence_required": _("请上传聘任文件（PDF 或图片）。"),
        "appointment.evidence_too_large": _("聘任文件超过 {max} MB。"),
        "appointment.evidence_type": _("聘任文件只能是 PDF、PNG 或 JPEG 文件，且扩展名须与文件内容一致。"),
        "appointment.not_an_enterprise": _("聘任单位须为企业。"),
        "appointment.not_a_member": _("该人员不是本企业的成员：企业只能聘任本企业职工。"),
        "appointment.needs_level_one": _("聘任{title}须在聘期开始日（{on}）持有本职业一级/高级技师（证书或竞赛晋级），"
                                         "现持有：{held}。"),
        "appointment.chief_needs_principal": _(
            "聘任首席技师须在聘期开始日（{on}）已是本职业的特级技师（续聘首席技师除外）。"),
        "appointment.term_end_before_start": _("聘期结束日期须晚于聘期开始日期。"),
        "appointment.overlaps": _("聘期开始日期有误：该人员已有本职业{title}聘期（{first} 至 {last}），聘期不能重叠；"
                                  "续聘请从原聘期结束后开始。"),
        "appointment.document_no_required": _("请填写聘任文号。"),
        "appointment.already_ended": _("该聘任已解除。"),
        "appointment.end_outside_term": _("解除生效日期须在聘期内（{first} 至 {last}）。"),
        "appointment.end_reason_required": _("请填写解除原因。"),
        "appointment.renew_ended": _("已解除的聘任不能续聘，请重新登记聘任。"),
        "appointment.already_renewed": _("该聘任已续聘。"),
    }
)
