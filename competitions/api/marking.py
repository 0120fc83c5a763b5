"""Marking: the scheme, referee appointments, a referee's sheet and marks (by 工位号 only), the chief referee's
sign-off and corrections. Each endpoint returns the selector's dataclass as it is (competitions.selectors.marking)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from accounts.auth import signed_in_user
from accounts.models import User
from accounts.permissions import require
from competitions import access, selectors, services
from competitions.api.schemas import (
    AssignmentIn,
    CorrectionIn,
    MarkIn,
    MarkingGroupsIn,
    ReasonIn,
    SchemeIn,
    SheetsSignOffIn,
    SignOffIn,
)
from competitions.models import Skill
from competitions.permissions import Action
from competitions.selectors import (
    AppointmentView,
    AssignmentView,
    BulkSignOffView,
    MarkCorrectionView,
    MarkingGroupsView,
    MarkingSheetView,
    MarkView,
    SchemeView,
    SheetView,
)
from core.lookup import get_or_404
from core.schemas import RowId, errors

router = Router()


@router.get("/skills/{skill_id}/scheme", response={200: SchemeView, **errors(404)}, summary="评分标准 The scheme")
def scheme(request: HttpRequest, skill_id: RowId) -> SchemeView:
    return selectors.scheme_of(access.access_skill_for_scheme(signed_in_user(request), skill_id))


@router.put("/skills/{skill_id}/scheme", response={200: SchemeView, **errors(404, 409)},
            summary="保存评分标准 Replace the scheme")
def scheme_save(request: HttpRequest, skill_id: RowId, payload: SchemeIn) -> SchemeView:
    skill = get_or_404(Skill, pk=skill_id)
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
    services.scheme_save(actor=signed_in_user(request), skill=skill, modules=modules)
    return selectors.scheme_of(skill)


@router.post("/skills/{skill_id}/referees", response={200: AppointmentView, **errors(404)},
             summary="安排裁判 Appoint a referee")
def referee_assign(request: HttpRequest, skill_id: RowId, payload: AssignmentIn) -> AppointmentView:
    skill = get_or_404(Skill.objects.select_related("event"), pk=skill_id)
    if not access.is_chief_of(signed_in_user(request), skill):  # the chief changes frozen panels (the service)
        require(signed_in_user(request), Action.COMPETITION_MANAGE, skill)
    assignment = services.referee_assign(
        actor=signed_in_user(request), skill=skill, referee=get_or_404(User, pk=payload.referee_id),
        role=payload.role, priority=payload.priority, aspect_codes=payload.aspect_codes,
        workstation_nos=payload.workstation_nos, reason=payload.reason,
    )
    return selectors.appointment_view(assignment)


@router.get("/skills/{skill_id}/groups", response={200: MarkingGroupsView, **errors(404)},
            summary="裁判分组 Marking groups")
def marking_groups(request: HttpRequest, skill_id: RowId) -> MarkingGroupsView:
    """The groups, their referees and block sizes, and whether the workstations are placed; never which
    workstations a block holds."""
    return selectors.marking_groups(skill=access.access_skill_for_groups(signed_in_user(request), skill_id))


@router.put("/skills/{skill_id}/groups", response={200: MarkingGroupsView, **errors(404, 409)},
            summary="分组并安排工位 Form the marking groups")
def marking_groups_form(request: HttpRequest, skill_id: RowId, payload: MarkingGroupsIn) -> MarkingGroupsView:
    """Form the groups; the platform places the workstations by the recusal rules, or answers 422 with what is
    missing (naming no workstation)."""
    user = signed_in_user(request)
    skill = access.access_skill_for_groups(user, skill_id)
    services.marking_groups_form(actor=user, skill=skill, reason=payload.reason, groups=[
        services.GroupData(tuple(g.referee_ids), g.name, g.block_size) for g in payload.groups
    ])
    return selectors.marking_groups(skill=skill)


@router.get("/skills/{skill_id}/sheets", response={200: list[SheetView], **errors(404)},
            summary="评分表与分歧 Sheets and divergences")
def sheets(request: HttpRequest, skill_id: RowId) -> list[SheetView]:
    skill = get_or_404(Skill, pk=skill_id)
    return selectors.chief_sheets(chief=signed_in_user(request), skill=skill)


@router.post("/sheets/{sheet_id}/sign-off", response={200: SheetView, **errors(404, 409)},
             summary="签字确认评分表 Sign a sheet off")
def sheet_sign_off(request: HttpRequest, sheet_id: RowId, payload: SignOffIn) -> SheetView:
    signed = services.sheet_sign_off(chief=signed_in_user(request), sheet_id=sheet_id,
                                     confirmations=payload.confirmations)
    return selectors.signed_sheet_view(signed)  # with the standings check the sign-off ran


@router.post("/skills/{skill_id}/sheets/sign-off", response={200: BulkSignOffView, **errors(404, 422)},
             summary="一并签字确认完整且无分歧的评分表 Sign clean sheets off together")
def sheets_sign_off_clean(request: HttpRequest, skill_id: RowId, payload: SheetsSignOffIn) -> BulkSignOffView:
    done = services.sheets_sign_off_clean(chief=signed_in_user(request), skill_id=skill_id,
                                          sheet_ids=payload.sheet_ids)
    return selectors.bulk_sign_off_view(done.signed, done.left_open)


@router.post("/marks/{mark_id}/corrections", response={201: MarkCorrectionView, **errors(404, 409)},
             summary="申请更正评分 Request a correction")
def correction_request(request: HttpRequest, mark_id: RowId, payload: CorrectionIn) -> Status[MarkCorrectionView]:
    correction = services.correction_request(actor=signed_in_user(request), mark_id=mark_id,
                                             new_value=payload.new_value, reason=payload.reason)
    return Status(201, selectors.correction_view(correction))


@router.post("/corrections/{correction_id}/approve", response={200: MarkCorrectionView, **errors(404, 409)},
             summary="批准更正 Approve a correction")
def correction_approve(request: HttpRequest, correction_id: RowId, payload: ReasonIn) -> MarkCorrectionView:
    return selectors.correction_view(services.correction_approve(chief=signed_in_user(request),
                                                                 correction_id=correction_id, reason=payload.reason))


@router.post("/corrections/{correction_id}/reject", response={200: MarkCorrectionView, **errors(404, 409)},
             summary="驳回更正 Reject a correction")
def correction_reject(request: HttpRequest, correction_id: RowId, payload: ReasonIn) -> MarkCorrectionView:
    return selectors.correction_view(services.correction_reject(chief=signed_in_user(request),
                                                                correction_id=correction_id, reason=payload.reason))


@router.get("/my/assignments", response={200: list[AssignmentView], **errors()}, summary="我的裁判任务 My assignments")
def my_assignments(request: HttpRequest) -> list[AssignmentView]:
    return selectors.my_assignments(referee=signed_in_user(request))


@router.get("/skills/{skill_id}/marking", response={200: MarkingSheetView, **errors(404)},
            summary="评分表（按工位号） What I mark")
def marking(request: HttpRequest, skill_id: RowId) -> MarkingSheetView:
    user = signed_in_user(request)
    return selectors.marking_sheet(referee=user, skill=access.access_skill_for_marking(user, skill_id))


@router.get("/my/marks", response={200: list[MarkView], **errors()}, summary="我的评分 My marks")
def my_marks(request: HttpRequest, skill_id: RowId | None = None) -> list[MarkView]:
    # Bounded: a foreign-key lookup passes an id past 64 bits to SQLite, which raises OverflowError (a 500).
    return selectors.my_marks(referee=signed_in_user(request), skill_id=skill_id)


@router.post("/skills/{skill_id}/marks", response={200: MarkView, 201: MarkView, **errors(404, 409)},
             summary="录入评分（带幂等键） Record a mark")
def mark_record(request: HttpRequest, skill_id: RowId, payload: MarkIn) -> Status[MarkView]:
    """201 with the new mark; 200 with the stored one when the idempotency key was used for it already."""
    mark = services.mark_record(referee=signed_in_user(request), skill_id=skill_id,
                                workstation_no=payload.workstation_no, aspect_code=payload.aspect_code,
                                value=payload.value, idempotency_key=payload.idempotency_key)
    return Status(200 if mark.replayed else 201, mark)
