"""The certification app's part of the audit pages: occupations found by code or name, its action codes and
stored fields in words (audit.targets, audit.labels)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from audit.labels import FieldSpec, register_action_labels, register_fields
from audit.targets import TargetKind, TargetMatch, register_target_kind
from certification.models import (
    AppointedTitle,
    AppointmentEndKind,
    CertificateSource,
    CertificateStatus,
    Importance,
    Level,
    Occupation,
    QuestionKind,
    ReissueKind,
    SourceKind,
)

LEVEL_LABELS = {str(value): label for value, label in Level.choices}

ACTIONS = {
    "certification.occupation.created": _("职业已添加"),
    "certification.occupation.updated": _("职业已修改"),
    "certification.catalogue.imported": _("职业目录已导入"),
    "certification.eligibility.rule_set": _("申报条件已修改"),
    "certification.level.recorded": _("持有等级已登记"),
    "certification.level.withdrawn": _("持有等级已撤销"),
    "certification.promotion.recorded": _("竞赛晋级已记录"),
    "certification.promotion.withdrawn": _("竞赛晋级已撤销"),
    "certification.question.created": _("试题已添加"),
    "certification.question.revised": _("试题已修改（新版本）"),
    "certification.question.retired": _("试题已停用"),
    "certification.bank.imported": _("题库已导入"),
    "certification.blueprint.set": _("鉴定要素细目表已保存"),
    "certification.paper.assembled": _("试卷已组卷"),
    "certification.exam.policy_set": _("理论考试规则已设置"),
    "certification.exam.started": _("考生已进入理论考试"),
    "certification.exam.session_taken_over": _("考试会话已由新设备接管"),
    "certification.exam.session_released": _("考试会话已释放"),
    "certification.exam.extra_time": _("已为考生延时"),
    "certification.exam.submitted": _("理论考试已交卷"),
    "certification.exam.swept": _("到时未交卷的理论考试已自动交卷"),
    "certification.exam.regraded": _("试题更正后已重新评分"),
    "certification.appointment.recorded": _("评聘已登记。"),
    "certification.appointment.renewed": _("评聘已续聘"),
    "certification.appointment.ended": _("评聘已解除。"),
    "certification.level.ended": _("持有等级已终止（评聘解除）"),
    "certification.practical.sheet_set": _("评分表已保存"),
    "certification.practical.scored": _("考评员评分已记录"),
    "certification.practical.flag_confirmed": _("考评组长已确认评分差异"),
    "certification.practical.rescore_requested": _("考评组长已要求重新评分"),
    "certification.results.part_scored": _("科目成绩已按评分更新"),
    "certification.results.part_recorded": _("科目成绩或缺考已登记"),
    "certification.results.in_review": _("成绩已开始公示"),
    "certification.results.published": _("成绩已公布"),
    "certification.results.graded": _("成绩已退回重新评定"),
    "certification.results.objection_filed": _("成绩异议已提出"),
    "certification.results.objection_answered": _("成绩异议已答复"),
    # certificates (issue 13)
    "certification.certificate.issued": _("证书已发放"),
    "certification.certificate.revoked": _("证书已撤销"),
    "certification.certificate.superseded": _("证书已换发（补证/换证）"),
    "certification.filing.set": _("评价机构备案代码已设置"),
}


def occupations_named(viewer: Any, query: str, limit: int) -> list[TargetMatch]:
    """At most `limit` occupations whose code starts with `query` or whose name contains it (the catalogue is
    platform-wide reference data: its history is as visible as the audit page itself)."""
    query = query.strip()
    rows = (Occupation.objects.filter(Q(code__startswith=query) | Q(name__icontains=query)).order_by("code")
            .values_list("pk", "code", "name")[:limit])
    return [TargetMatch(str(pk), f"{name}（{code}）") for pk, code, name in rows]


def _name(obj: Any) -> str:
    return str(obj)


def register() -> None:
    register_target_kind(TargetKind("certification.occupation", _("职业"), occupations_named, _name))
    register_target_kind(TargetKind("certification.heldlevel", _("持有等级"), None, _name))
    register_target_kind(TargetKind("certification.question", _("试题"), None, _name))
    register_target_kind(TargetKind("certification.blueprint", _("鉴定要素细目表"), None, _name))
    register_target_kind(TargetKind("certification.paper", _("试卷"), None, _name))
    register_target_kind(TargetKind("certification.appointment", _("评聘"), None, _name))
    register_target_kind(TargetKind("certification.scoringsheet", _("评分表"), None, _name))
    register_target_kind(TargetKind("certification.assessorscore", _("考评员评分"), None, _name))
    register_target_kind(TargetKind("certification.chiefdecision", _("考评组长处理"), None, _name))
    register_target_kind(TargetKind("certification.partresult", _("科目成绩"), None, _name))
    register_target_kind(TargetKind("certification.batchresults", _("批次成绩"), None, _name))
    register_target_kind(TargetKind("certification.objection", _("成绩异议"), None, _name))
    register_fields("certification.assessorscore", {
        "value": _("评分"), "item": _("评分项"), "part": _("考核科目"), "registration": _("报名"),
        "idempotency_key": _("请求标识")})
    register_fields("certification.partresult", {
        "score": _("成绩"), "absent": _("缺考"), "part": _("考核科目"), "registration": _("报名")})
    register_fields("certification.batchresults", {"state": _("成绩状态"), "review_ends_at": _("公示结束")})
    register_target_kind(TargetKind("certification.sitting", _("考试场次"), None, _name))
    register_target_kind(TargetKind("certification.regrade", _("重新评分"), None, _name))
    register_action_labels(ACTIONS)
    # certificates (issue 13)
    register_target_kind(TargetKind("certification.certificate", _("证书"), None, _name))
    register_target_kind(TargetKind("certification.bodyfiling", _("评价机构备案"), None, _name))
    register_fields("certification.certificate", {
        "number": _("证书编号"), "holder": _("持证人"), "holder_name": _("姓名"), "occupation": _("职业编码"),
        "level": FieldSpec(_("等级"), LEVEL_LABELS), "title": _("评聘等级"), "body": _("发证机构"),
        "issued_on": _("发证日期"), "source": FieldSpec(_("来源"), CertificateSource), "key_id": _("签名密钥"),
        "status": FieldSpec(_("状态"), CertificateStatus), "status_list": _("状态列表位置"),
        "revoked_at": _("撤销时间"), "successor": _("换发为"), "reissue_kind": FieldSpec(_("换发方式"), ReissueKind),
    })
    register_fields("certification.bodyfiling", {"agency_code": _("机构代码"), "province_code": _("省份代码"),
                                                 "site_serial": _("站点序号")})
    register_fields("certification.occupation", {
        "code": _("职业编码"), "name": _("职业名称"), "description": _("职业定义"), "levels": _("可认定等级"),
        "level": FieldSpec(_("等级"), LEVEL_LABELS), "rule": _("申报条件"), "created": _("新增"), "updated": _("修改"),
        "unchanged": _("未变"),
    })
    register_fields("certification.question", {
        "version": _("版本"), "kind": FieldSpec(_("题型"), QuestionKind), "point_code": _("鉴定点代码"),
        "importance": FieldSpec(_("重要程度"), Importance), "difficulty": _("难度"), "stem": _("题干"),
        "options": _("选项"), "answer": _("答案"), "explanation": _("解析"), "retired_at": _("停用时间"),
    })
    register_fields("certification.blueprint", {"depth": _("知识范围层级"), "cells": _("细目"),
                                                "points": _("每题分值")})
    register_fields("certification.paper", {"seed": _("随机种子"), "questions": _("题数"), "points": _("总分"),
                                            "excluded": _("回避的试题"), "candidate": _("考生")})
    register_fields("certification.heldlevel", {
        "person": _("人员"), "occupation": _("职业"), "level": FieldSpec(_("等级"), LEVEL_LABELS),
        "source_kind": FieldSpec(_("来源"), SourceKind), "source": _("来源记录"), "source_label": _("来源说明"),
        "evidence": _("证明材料"), "obtained_on": _("取得日期"), "withdrawn_at": _("撤销时间"),
        "title": FieldSpec(_("评聘等级"), AppointedTitle), "held_until": _("持有至"),
    })
    register_fields("certification.appointment", {
        "person": _("人员"), "occupation": _("职业"), "title": FieldSpec(_("评聘等级"), AppointedTitle),
        "enterprise": _("聘任企业"), "term_start": _("聘期开始"), "term_end": _("聘期结束"),
        "document_no": _("聘任文号"), "evidence": _("聘任文件"), "renews": _("续聘自"),
        "ended_on": _("解除生效日期"), "end_kind": FieldSpec(_("解除方式"), AppointmentEndKind),
    })
