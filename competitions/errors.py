"""The Chinese messages of every error code the competitions app raises (English lives in locale/en like every
other app's); registered at start-up by `CompetitionsConfig.ready`.

The errors themselves are the platform's, from `core.errors`: the pure modules (`scoring`, `ranking`, `awards`,
`draws`, `recusal`, `eligibility`, `promotion`, `titles`) raise `RuleBroken` when an input breaks a rule (a mark
out of range, an ineligible registrant; the API answers 422), and services raise `Conflict` (409) when the
object's state refuses the request (a locked sheet, a skipped step). `core.errors` imports nothing of Django but
its translation helpers, so the pure modules still run without a configured project: a message is looked up by
code only when it is shown.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.errors import register_messages

register_messages(
    {
        # readiness.py: the items of the "what is missing" checklist
        "readiness.entries_unreviewed": _("报名审核（{count} 条报名待审核）"),
        "readiness.no_approved_entry": _("审核通过的报名"),
        "readiness.checkin_draw": _("检录号抽签"),
        "readiness.workstation_draw": _("工位号抽签"),
        "readiness.workstations_short": _("足够的工位（{contestants} 名选手，只有 {workstations} 个工位）"),
        "readiness.scheme": _("完整的评分标准（{reason}）"),
        "readiness.referees": _("裁判安排"),
        "readiness.sheets_signed_off": _("全部评分表签字确认（{open} 张未签字）"),
        "readiness.no_sheets": _("全部评分表签字确认（还没有评分表）"),
        "readiness.decrypted": _("解密"),
        "readiness.theory": _("理论成绩（{count} 名选手未录入，或登记缺考）"),
        "readiness.standings": _("成绩快照与重算一致（见裁判长签字确认页）"),
        "readiness.review_not_started": _("公示期满（成绩尚未公示）"),
        "readiness.review_period": _("公示期满（公示期至 {until} 结束）"),
        "readiness.objections": _("异议答复（{count} 条异议待裁判长答复）"),
        "readiness.no_skill": _("赛项（请先添加至少一个赛项）"),
        # workstations.py
        "workstations.empty": _("请填写工位号，如 H01 或 H01–H40。"),
        "workstations.unreadable": _("看不懂“{text}”：请写成一个工位号（H01）或一个范围（H01–H40）。"),
        "workstations.mixed_prefixes": _("范围“{start}–{end}”的前缀不同：起止工位号应使用同一前缀。"),
        "workstations.reversed": _("范围“{start}–{end}”是倒序的：请从小号写到大号（如 {end}–{start}）。"),
        "workstations.too_many": _("一次最多添加 {max} 个工位，这里有 {count} 个。"),
        "workstations.duplicate": _("工位号重复：{numbers}。"),
        "workstations.too_long": _("工位号“{number}”超过 {max} 个字符。"),
        "workstations.taken": _("赛项“{skill}”已有工位号：{numbers}。"),
        # setup.py
        "event.name_taken": _("本单位已有名为“{name}”的竞赛。"),
        "event.dates_reversed": _("比赛结束日期不能早于开始日期。"),
        "event.min_total_range": _("获奖最低总分应在 0–100 之间。"),
        "event.review_days_range": _("公示期应为 0–30 个工作日。"),
        "skill.name_taken": _("本竞赛已有同一组别的赛项“{name}”。"),
        "skill.occupation_code_mismatch": _("所选职业“{name}”的编码是 {code}，与赛项的职业编码不一致。"),
        "skill.frozen_by_entries": _("赛项已有报名，不能再修改“{field}”。"),
        "skill.theory_scores_recorded": _("已有选手录入理论成绩，不能再修改理论成绩权重。"),
        "venue.name_taken": _("本竞赛已有名为“{name}”的赛场。"),
        "workstations.unknown": _("赛场“{venue}”没有该赛项的工位号：{numbers}。"),
        "workstations.drawn": _("赛项“{skill}”的工位号已抽签，不能再增减工位。"),
        "import.unknown_skill": _("本竞赛没有赛项“{value}”（同名赛项分组别时写“名称（组别）”）。"),
        "import.workstation_repeated": _("工位号 {value} 与第 {other} 行重复。"),
        "import.workstation_taken": _("该赛项已有工位号 {value}。"),
        # events.py (issue 10 item 9: a refused move says which move comes first)
        "skill.event_first": _(
            "赛项只能在竞赛进入“{needed}”后单独变更状态，竞赛当前为“{status}”：请先让竞赛进入“{next}”。"
        ),
        # freeze.py (封榜 and 揭榜 of the public board)
        "board.already_frozen": _("公众榜已于 {since} 封榜，请先揭榜再重新封榜。"),
        "board.not_frozen": _("公众榜没有封榜。"),
        "board.nothing_to_reveal": _("所有工位都已揭晓，请点击“全部揭晓”结束封榜。"),
        "board.reason_required": _("封榜须说明原因。"),
        "board.thaw_in_past": _("计划揭榜时间须晚于现在。"),
        "board.thaw_too_far": _("计划揭榜时间须在一年之内。"),
        "board.frozen_rebuild": _("公众榜封榜期间不能重建数据流，请先揭榜。"),
        # draws.py
        "draw.duplicate": _("{what} 名单中有重复：{values}。"),
        "draw.inconsistent": _(
            "两次抽签结果对不上（无人对应的检录号：{unknown_numbers}；未分配工位的检录号：{unplaced_numbers}）。"
        ),
        "draw.not_enough_workstations": _("{contestants} 名选手无法安排到 {workstations} 个工位。"),
        "draw.seed_missing": _("抽签必须记录随机种子。"),
        # scoring.py
        "mark.duplicate": _("裁判 {referee} 对 {contestant} 的评分项 {aspect} 有两条评分。"),
        "mark.judgement_score_invalid": _("评价分只能是 {allowed} 之一，不能是 {value}。"),
        "mark.not_a_number": _("{value} 不是数字。"),
        "mark.not_full_or_zero": _("评分项 {aspect} 只能给 {max} 分或 0 分，不能是 {value}。"),
        "mark.out_of_range": _("分数 {value} 超出 {min}–{max} 的范围。"),
        "mark.too_many_decimals": _("分数 {value} 的小数超过 {places} 位。"),
        "mark.too_many_referees": _("评分项 {aspect} 只需 {referees} 名裁判评分。"),
        "mark.unknown_aspect": _("评分标准中没有评分项 {aspect}。"),
        "scheme.divergence_threshold_invalid": _("评分项 {aspect}：分歧阈值应在 0 到 1 之间，不能是 {threshold}。"),
        "scheme.duplicate_aspect": _("评分项编号 {aspect} 重复。"),
        "scheme.max_mark_invalid": _("评分项 {aspect}：满分应为正数且最多 4 位小数，不能是 {max}。"),
        "scheme.practical_max_not_100": _("各评分项满分合计为 {total}，实操部分应为 100 分。"),
        "scheme.referee_count_invalid": _("评分项 {aspect}：{referees} 名裁判不适用于“{method}”评分方式。"),
        "scheme.theory_weight_invalid": _("理论成绩权重应大于 0 小于 1、最多 4 位小数，不能是 {weight}。"),
        "scheme.tolerance_table_invalid": _("评分项 {aspect}：公差评分需要标准值和按公差递增的扣分表。"),
        "theory.not_in_scheme": _("该赛项没有理论考试部分。"),
        "theory.jury": _("赛项解密前，本赛项的裁判不能查看或录入按姓名记录的理论成绩和用时。"),
        "theory.out_of_range": _("理论成绩 {value} 超出 {min}–{max} 的范围或小数超过 4 位。"),
        # ranking.py
        "ranking.duplicate_contestant": _("{contestant} 在同一排名中出现两次。"),
        # recusal.py
        "recusal.declared_relationship": _("裁判已申报与选手 {contestant} 存在关系，须回避。"),
        "recusal.not_enough_referees": _("选手 {contestant} 只有 {eligible} 名可评分的裁判，评判组需要 {needed} 名。"),
        "recusal.panel_size_invalid": _("评判组至少需要一名裁判。"),
        "recusal.same_organization": _("裁判与选手 {contestant} 同属一个单位，须回避。"),
        # eligibility.py
        "registration.already_entered": _("{person} 已报名本次竞赛的其他赛项（{skills}）。"),
        "registration.duplicate_member": _("{person} 在同一报名中出现两次。"),
        "registration.group_mismatch": _("{person} 属于{group}，该赛项为{skill_group}。"),
        "registration.team_size": _("赛项 {skill} 每队 {expected} 人，不能是 {given} 人。"),
        "registration.team_size_invalid": _(
            "赛项 {skill} 的每队人数为 {size}；赛项应为个人赛或 {min}–{max} 人团体赛。"
        ),
        "registration.too_old": _("{person} 在 {day} 为 {age} 周岁，超过该赛项的最大年龄 {max_age} 周岁。"),
        "registration.too_young": _("{person} 在 {day} 为 {age} 周岁，未达到该赛项的最小年龄 {min_age} 周岁。"),
        # services.py
        "event.transition_not_allowed": _("竞赛状态不能从“{current}”变为“{target}”：还缺少“{missing}”。"),
        "event.transition_blocked": _("竞赛状态不能变为“{target}”：{reason}"),
        "event.not_open_for_registration": _("竞赛当前为“{status}”，不在报名阶段。"),
        "event.results_not_published": _("成绩尚未公布。"),
        "event.review_period_open": _("成绩公示期至 {until} 结束，期满后才能公布。"),
        "event.objections_unanswered": _("还有 {count} 条异议未答复。"),
        "event.wrong_stage": _("竞赛当前为“{status}”，此操作需要在“{needed}”阶段进行。"),
        "entry.not_submitted": _("该报名当前为“{status}”，不能审核。"),
        "draw.record_hidden": _("解密之前，抽签记录只对加密裁判提供，且检录号抽签记录在解密后提供。"),
        "assignment.frozen": _("评分已开始，裁判安排已锁定：如需调整，由裁判长说明原因后修改。"),
        "assignment.reason_required": _("评分开始后调整裁判安排须说明原因。"),
        "assignment.results_published": _("成绩已公布，裁判安排不能再修改。"),
        "entry.withdraw_reason_required": _("退赛须说明原因。"),
        "entry.reason_required": _("驳回报名必须填写原因。"),
        "entry.none_selected": _("请至少选择一条报名。"),
        "entry.not_decidable": _("{unit} 的报名（{members}）当前为“{status}”，不能审核；请取消勾选后再提交。"),
        "entry.withdrawn": _("选手已退赛，不能评分。"),
        "entry.not_drawn": _("选手还没有工位号。"),
        "draw.no_entries": _("该赛项没有已审核通过的报名。"),
        "draw.checkin_missing": _("须先完成检录号抽签。"),
        "draw.already_decrypted": _("该赛项已解密，不能重新抽签。"),
        "decrypt.sheets_open": _("还有 {count} 张评分表未签字确认，不能解密。"),
        "decrypt.already_done": _("该赛项已解密。"),
        "scheme.frozen": _("评分标准已于 {frozen_at} 锁定，不能修改。"),
        "scheme.missing": _("赛项“{skill}”还没有评分标准。"),
        "scheme.invalid": _("赛项“{skill}”的评分标准不完整：{reason}"),
        "mark.not_assigned": _("您未被安排评判该评分项或该工位。"),
        "mark.recused": _("您须回避该选手：{reason}"),
        # groups.py (裁判分组): what is missing, never which workstation
        "groups.none": _("请至少组成一个裁判组。"),
        "groups.empty": _("“{group}”没有裁判。"),
        "groups.referee_twice": _("同一名裁判同时在“{other}”和“{group}”中。"),
        "groups.panel_unfillable": _("“{group}”中评判评分项 {aspect} 的裁判只有 {has} 名，评判组需要 {needed} 名。"),
        "groups.block_size_invalid": _("“{group}”的工位数至少为 1。"),
        "groups.block_sizes_sum": _("各组工位数合计 {total} 个，与本赛项的 {stations} 个工位不符。"),
        "groups.duplicate_workstation": _("工位号有重复。"),
        "groups.skill_too_small": _(
            "本赛项只有 {referees} 名裁判，不足以分组：两个裁判组至少需要 {needed} 名裁判（每组 {panel} 名）。"
        ),
        "groups.no_placement": _(
            "{stations} 个工位中有 {unplaced} 个无法安排：有空位的各组中都有须回避该工位选手的裁判。"
            "请增加裁判组或无回避关系的裁判，或调整各组工位数。"
        ),
        "groups.not_drawn": _("须先完成工位号抽签，才能分组。"),
        "groups.too_late": _("成绩已进入公示，不能再调整裁判分组。"),
        "groups.reason_required": _("评分已开始，调整裁判分组须说明原因。"),
        "groups.unknown_referee": _("所选人员不是本赛项的裁判员。"),
        "groups.re_form_needed": _(
            "本赛项已分组，按这一回避关系须调整某裁判组负责的工位，但平台无法自行调整（相关工位已开始评分，"
            "或其他组没有可对调的工位）。请裁判长先重新分组（可将该裁判调出各组），再记录。"
        ),
        "mark.sheet_locked": _("该模块评分表已签字锁定，只能通过更正申请修改。"),
        "mark.not_marking": _("赛项当前不在评分阶段。"),
        "mark.idempotency_conflict": _("该幂等键已用于另一条评分。"),
        "mark.scores_hidden": _("请先录入您自己的评分，再查看其他裁判的评分。"),
        "standings.mismatch": _(
            "{skill} 的成绩快照与按全部评分重算的结果不一致（{count} 处，工位 {workstations}），请裁判长核查后再继续。"
        ),
        "sheet.divergent": _("评分项 {aspects} 存在分歧，须重新评分或由裁判长说明原因后确认。"),
        "sheet.incomplete": _("评分表尚未完成：评分项 {aspects} 还缺评分。"),
        "sheet.already_signed": _("该评分表已签字确认。"),
        "sheet.none_selected": _("没有选中要签字确认的评分表。"),
        "sheet.not_signed": _("该评分表尚未签字确认，请直接修改评分。"),
        "correction.reason_required": _("更正申请必须填写原因。"),
        "correction.not_pending": _("该更正申请已处理。"),
        "correction.same_value": _("更正后的分数与原分数相同。"),
        "correction.not_requester": _("只有录入该评分的裁判或裁判长可以申请更正。"),
        "correction.own_request": _("更正须由申请人以外的人批准或驳回。"),
        "correction.for_chiefs": _("该更正由裁判长处理；监督只处理本赛项唯一裁判长提出的更正。"),
        "correction.not_decider": _("只有裁判长或监督可以处理更正。"),
        "objection.real_name_required": _("异议须实名提出：请先完善姓名和身份证号。"),
        "objection.not_in_review": _("成绩不在公示期，不能提出异议。"),
        "objection.already_answered": _("该异议已答复。"),
        "theory.results_fixed": _("成绩已进入公示，理论成绩不能再修改。"),
        "completion_time.results_fixed": _("成绩已进入公示，比赛用时不能再修改。"),
        "theory.absent_with_score": _("登记缺考时不能同时填写理论成绩。"),
        "objection.already_open": _("您对该选手成绩的异议尚未答复，请等待答复后再提出新的异议。"),
        "objection.too_many": _("提交过于频繁：{minutes} 分钟内最多提出 {limit} 条异议，请稍后再试。"),
        "objection.answer_required": _("答复异议必须说明理由。"),
        "title.already_approved": _("该称号推荐已核准。"),
        "relationship.reason_required": _("申报关系必须说明原因。"),
        "relationship.not_appointed": _("{person} 不是本赛项的裁判。"),
        "relationship.not_entrant": _("{person} 不是本赛项的参赛选手。"),
        "assignment.wrong_role": _("{person} 没有“{role}”角色。"),
        "import.bad_header": _("缺少“{column}”列。"),
        "import.required": _("“{column}”不能为空。"),
        "import.invalid": _("“{column}”的值“{value}”无效。"),
        "import.unknown_unit": _("找不到单位“{value}”。"),
        "import.unknown_person": _("找不到身份证号为 {value} 的人员。"),
        "import.duplicate": _("“{column}”的值“{value}”与第 {other} 行重复。"),
        "import.rule": _("{message}"),
        "import.empty": _("表格中没有数据行。"),
        "import.unreadable": _("无法读取该 Excel 文件。"),
    }
)
