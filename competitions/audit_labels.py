"""The competitions app's part of the audit pages (issue 10 item 7): events and skills found by name, its action
codes and stored fields in words, status codes by the models' labels (audit.targets, audit.labels).

Objects of the marking stage (sheets, marks, checks) are registered without a name: the history page's heading then
shows their kind and id only, never a 工位号, which the redaction rule (selectors.anonymity) hides from readers off
the jury before decryption.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from audit.labels import FieldSpec, register_action_labels, register_fields
from audit.targets import TargetKind, register_target_kind
from competitions.models import (
    AwardRuleKind,
    CompetitionLevel,
    CorrectionStatus,
    DrawStage,
    EntryStatus,
    ExcellenceBasis,
    Group,
    MarkingMethod,
    RefereeRole,
    SheetStatus,
    Status,
    TitleScope,
)
from competitions.selectors.history import events_named, skills_named

ACTIONS = {
    "competitions.board.frozen": _("公众榜已封榜"),
    "competitions.board.revealed": _("公众榜已揭晓一名"),
    "competitions.board.thawed": _("公众榜已揭榜"),
    "competitions.correction.approved": _("更正已批准"),
    "competitions.correction.rejected": _("更正已驳回"),
    "competitions.correction.requested": _("已申请更正"),
    "competitions.draw.checkin": _("检录号已抽签"),
    "competitions.draw.workstation": _("工位号已抽签"),
    "competitions.entry.approved": _("报名已通过"),
    "competitions.entry.rejected": _("报名已退回"),
    "competitions.entry.completion_time_recorded": _("用时已记录"),
    "competitions.entry.submitted": _("报名已提交"),
    "competitions.entry.theory_recorded": _("理论成绩已记录"),
    "competitions.entry.withdrawn": _("报名已撤回"),
    "competitions.event.created": _("赛事已创建"),
    "competitions.event.status_changed": _("赛事阶段已变更"),
    "competitions.event.updated": _("赛事信息已修改"),
    "competitions.groups.dropped": _("裁判分组已取消"),
    "competitions.groups.formed": _("裁判分组已组建"),
    "competitions.mark.corrected": _("评分已更正"),
    "competitions.mark.recorded": _("评分已记录"),
    "competitions.mark.refused": _("评分被拒绝"),
    "competitions.nomination.recorded": _("晋级推荐已记录"),
    "competitions.objection.answered": _("异议已答复"),
    "competitions.objection.filed": _("异议已提出"),
    "competitions.referee.assigned": _("裁判已选派"),
    "competitions.relationship.declared": _("关系已申报"),
    "competitions.relationship.recorded": _("关系已登记"),
    "competitions.results.corrected": _("公布成绩已更正"),
    "competitions.results.published": _("成绩已公布"),
    "competitions.roster.imported": _("名单已导入"),
    "competitions.scheme.edited": _("评分方案已编辑"),
    "competitions.scheme.frozen": _("评分方案已锁定"),
    "competitions.scheme.saved": _("评分方案已保存"),
    "competitions.sheet.signed_off": _("评分表已签字确认"),
    "competitions.skill.created": _("赛项已创建"),
    "competitions.skill.decrypted": _("赛项已解密"),
    "competitions.skill.status_changed": _("赛项阶段已变更"),
    "competitions.skill.theory_weight_set": _("理论权重已设置"),
    "competitions.skill.updated": _("赛项信息已修改"),
    "competitions.standings.mismatch": _("成绩核对不一致"),
    "competitions.title.approved": _("技术能手已核准"),
    "competitions.title.proposed": _("技术能手已推荐"),
    "competitions.venue.created": _("赛场已创建"),
    "competitions.workstations.added": _("工位已添加"),
    "competitions.workstations.removed": _("工位已删除"),
}

# Keys several objects store, with their labels.
COMMON: dict[str, FieldSpec | Any] = {
    "name": _("名称"), "status": FieldSpec(_("状态"), Status), "reason": _("原因"), "skill": _("赛项"),
    "entry": _("报名"), "unit": _("推荐单位"), "workstation_no": _("工位号"), "workstations": _("工位"),
    "module": _("模块"), "aspect": _("评分项"), "value": _("评分"), "score": _("成绩"), "person": _("人员"),
    "place": _("名次"), "version": _("版本"),
}


def _name(obj: Any) -> str:
    return str(obj.name)


def register() -> None:
    register_target_kind(TargetKind("competitions.event", _("赛事"), events_named, _name))
    register_target_kind(TargetKind("competitions.skill", _("赛项"), skills_named, _name))
    register_target_kind(TargetKind("competitions.venue", _("赛场"), None, _name))
    register_action_labels(ACTIONS)
    register_fields("competitions.event", {
        **COMMON, "level": FieldSpec(_("级别"), CompetitionLevel), "series": _("系列"), "starts_on": _("开始日期"),
        "ends_on": _("结束日期"), "award_rule": FieldSpec(_("奖项规则"), AwardRuleKind),
        "excellence_basis": FieldSpec(_("优胜奖依据"), ExcellenceBasis), "min_total": _("获奖最低总成绩"),
        "organizer_id": _("主办单位"), "review_days": _("公示天数（工作日）"),
        "frozen": _("封榜"), "seq": _("封榜位置（序号）"), "planned_thaw_at": _("计划揭榜时间"),
        "revealed": _("已揭晓工位数"),
    })
    register_fields("competitions.skill", {
        **COMMON, "occupation_code": _("职业编码"), "occupation_id": _("职业目录中的职业"),
        "group": FieldSpec(_("组别"), Group), "team_size": _("每队人数"),
        "min_age": _("最小年龄"), "max_age": _("最大年龄"), "theory_weight": _("理论权重"), "tie_breaks": _("并列区分"),
        "award_rule": FieldSpec(_("奖项规则"), AwardRuleKind), "nominates_to_id": _("晋级至赛项"),
        "nominate_top": _("晋级名额"), "review_until": _("公示截止"), "decrypted_at": _("解密时间"),
        "entries": _("报名数"), "content_hash": _("内容哈希"), "rows": _("成绩行"),
    })
    register_fields("competitions.entry", {
        **COMMON, "status": FieldSpec(_("状态"), EntryStatus), "members": _("选手"), "coaches": _("教练"),
        "completion_time": _("用时"), "theory_score": _("理论成绩"), "theory_absent_reason": _("理论缺考原因"),
    })
    register_fields("competitions.sheet", {
        **COMMON, "status": FieldSpec(_("状态"), SheetStatus), "confirmed_divergences": _("已确认的分歧"),
    })
    register_fields("competitions.mark", {**COMMON, "idempotency_key": _("幂等键")})
    register_fields("competitions.markcorrection", {**COMMON, "status": FieldSpec(_("状态"), CorrectionStatus),
                                                    "new_value": _("更正后评分"), "old_value": _("原评分")})
    register_fields("competitions.draw", {**COMMON, "stage": FieldSpec(_("抽签"), DrawStage),
                                          "algorithm": _("算法"), "seed_sha256": _("种子摘要（SHA-256）"),
                                          "entries": _("人数")})
    register_fields("competitions.refereeassignment", {
        **COMMON, "role": FieldSpec(_("职务"), RefereeRole), "referee": _("裁判"), "priority": _("顺位"),
        "aspects": _("评分项"), "workstation_nos": _("工位"),
    })
    register_fields("competitions.objection", {**COMMON, "text": _("异议内容"), "answer": _("答复")})
    register_fields("competitions.titleproposal", {**COMMON, "scope": FieldSpec(_("级别"), TitleScope)})
    register_fields("competitions.markingscheme", {"frozen_at": _("锁定时间"),
                                                   "method": FieldSpec(_("评分方法"), MarkingMethod)})
    register_fields("competitions.venue", {**COMMON, "address": _("地址")})
