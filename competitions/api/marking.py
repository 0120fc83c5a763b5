"""Marking: the scheme, referee appointments, a referee's sheet and marks (by 工位号 only), the chief referee's
sign-off and corrections."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from accounts.models import User
from accounts.permissions import require
from competitions import access, selectors, services
from competitions.api.common import correction_out, get_object, mark_out, scheme_out, sheet_out, user_of
from competitions.api.schemas import (
    AssignmentIn,
    AssignmentOut,
    CorrectionIn,
    CorrectionOut,
    MarkIn,
    MarkingSheetOut,
    MarkOut,
    MyAssignmentOut,
    ReasonIn,
    SchemeIn,
    SchemeOut,
    SheetOut,
    SignOffIn,
)
from competitions.models import (
    Aspect,
    Entry,
    EntryStatus,
    Mark,
    MarkCorrection,
    RefereeRole,
    Sheet,
    Skill,
)
from competitions.permissions import Action
from core.errors import NotFound
from core.schemas import errors

router = Router()


@router.get("/skills/{skill_id}/scheme", response={200: SchemeOut, **errors(404)}, summary="评分标准 The scheme")
def scheme(request: HttpRequest, skill_id: int) -> dict[str, Any]:
    skill = get_object(Skill, skill_id, select=["event"])
    if skill.pk not in access.assigned_skill_ids(user_of(request)):
        require(user_of(request), Action.SCHEME_MANAGE, skill)
    return scheme_out(skill)


@router.put("/skills/{skill_id}/scheme", response={200: SchemeOut, **errors(404, 409)},
            summary="保存评分标准 Replace the scheme")
def scheme_save(request: HttpRequest, skill_id: int, payload: SchemeIn) -> dict[str, Any]:
    skill = get_object(Skill, skill_id)
    modules = [
        services.ModuleData(m.code, m.name, tuple(
            services.AspectData(
                code=a.code, max_mark=a.max_mark, method=a.method, description=a.description, nominal=a.nominal,
                bands=tuple((t, d) for t, d in a.bands), referee_count=a.referee_count,
                divergence_threshold=a.divergence_threshold,
            )
            for a in m.aspects
        ))
        for m in payload.modules
    ]
    services.scheme_save(actor=user_of(request), skill=skill, modules=modules)
    return scheme_out(Skill.objects.get(pk=skill.pk))


@router.post("/skills/{skill_id}/referees", response={200: AssignmentOut, **errors(404)},
             summary="安排裁判 Appoint a referee")
def referee_assign(request: HttpRequest, skill_id: int, payload: AssignmentIn) -> Any:
    skill = get_object(Skill, skill_id, select=["event"])
    require(user_of(request), Action.COMPETITION_MANAGE, skill)
    return services.referee_assign(
        actor=user_of(request), skill=skill, referee=get_object(User, payload.referee_id),
        role=RefereeRole(payload.role),
        priority=payload.priority, aspect_codes=payload.aspect_codes, workstation_nos=payload.workstation_nos,
    )


@router.get("/skills/{skill_id}/sheets", response={200: list[SheetOut], **errors(404)},
            summary="评分表与分歧 Sheets and divergences")
def sheets(request: HttpRequest, skill_id: int) -> list[dict[str, Any]]:
    skill = get_object(Skill, skill_id)
    return [asdict(s) for s in selectors.chief_sheets(chief=user_of(request), skill=skill)]


@router.post("/sheets/{sheet_id}/sign-off", response={200: SheetOut, **errors(404, 409)},
             summary="签字确认评分表 Sign a sheet off")
def sheet_sign_off(request: HttpRequest, sheet_id: int, payload: SignOffIn) -> dict[str, Any]:
    sheet = get_object(Sheet, sheet_id)
    signed = services.sheet_sign_off(chief=user_of(request), sheet=sheet, confirmations=payload.confirmations)
    return sheet_out(signed)


@router.post("/marks/{mark_id}/corrections", response={201: CorrectionOut, **errors(404, 409)},
             summary="申请更正评分 Request a correction")
def correction_request(request: HttpRequest, mark_id: int, payload: CorrectionIn) -> Status[dict[str, Any]]:
    mark = get_object(Mark, mark_id)
    correction = services.correction_request(actor=user_of(request), mark=mark, new_value=payload.new_value,
                                             reason=payload.reason)
    return Status(201, correction_out(correction))


@router.post("/corrections/{correction_id}/approve", response={200: CorrectionOut, **errors(404, 409)},
             summary="批准更正 Approve a correction")
def correction_approve(request: HttpRequest, correction_id: int, payload: ReasonIn) -> dict[str, Any]:
    correction = get_object(MarkCorrection, correction_id)
    return correction_out(services.correction_approve(chief=user_of(request), correction=correction,
                                                       reason=payload.reason))


@router.post("/corrections/{correction_id}/reject", response={200: CorrectionOut, **errors(404, 409)},
             summary="驳回更正 Reject a correction")
def correction_reject(request: HttpRequest, correction_id: int, payload: ReasonIn) -> dict[str, Any]:
    correction = get_object(MarkCorrection, correction_id)
    return correction_out(services.correction_reject(chief=user_of(request), correction=correction,
                                                      reason=payload.reason))


@router.get("/my/assignments", response={200: list[MyAssignmentOut], **errors()}, summary="我的裁判任务 My assignments")
def my_assignments(request: HttpRequest) -> list[dict[str, Any]]:
    return [asdict(a) for a in selectors.my_assignments(referee=user_of(request))]


@router.get("/skills/{skill_id}/marking", response={200: MarkingSheetOut, **errors(404)},
            summary="评分表（按工位号） What I mark")
def marking(request: HttpRequest, skill_id: int) -> dict[str, Any]:
    skill = get_object(Skill, skill_id)
    view = selectors.marking_sheet(referee=user_of(request), skill=skill)
    out = asdict(view)
    for row in out["workstations"]:
        row.pop("entry_id", None)
    return out


@router.get("/my/marks", response={200: list[MarkOut], **errors()}, summary="我的评分 My marks")
def my_marks(request: HttpRequest, skill_id: int | None = None) -> list[dict[str, Any]]:
    skill = Skill.objects.filter(pk=skill_id).first() if skill_id is not None else None
    return [mark_out(m) for m in selectors.my_marks(referee=user_of(request), skill=skill)[:2000]]


@router.post("/skills/{skill_id}/marks", response={200: MarkOut, 201: MarkOut, **errors(404, 409)},
             summary="录入评分（带幂等键） Record a mark")
def mark_record(request: HttpRequest, skill_id: int, payload: MarkIn) -> Status[dict[str, Any]]:
    user = user_of(request)
    skill = get_object(Skill, skill_id)
    if skill.pk not in access.assigned_skill_ids(user):
        raise NotFound()
    entry = Entry.objects.filter(skill=skill, workstation_no=payload.workstation_no).exclude(
        status__in=[EntryStatus.REJECTED]
    ).first()
    aspect = Aspect.objects.filter(scheme__skill=skill, code=payload.aspect_code).select_related("scheme").first()
    if entry is None or aspect is None:
        raise NotFound()
    mark = services.mark_record(referee=user, entry=entry, aspect=aspect, value=payload.value,
                                idempotency_key=payload.idempotency_key)
    mark = Mark.objects.select_related("entry", "aspect").get(pk=mark.pk) if not hasattr(mark, "entry") else mark
    replayed = getattr(mark, "replayed", False)
    return Status(200 if replayed else 201, mark_out(mark))
