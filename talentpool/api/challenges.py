"""揭榜挂帅 challenges and equipment sharing: challenges (a college's ranked by its match), publish, one challenge
with the applications the caller may read, apply, withdraw, pick, close; open equipment search, requests and the
college's decision; the dashboard's figures (aggregates only)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import StringConstraints

from accounts.auth import signed_in_user
from accounts.permissions import can, require
from core.errors import PermissionDenied
from core.schemas import RowId, errors
from talentpool import access_matchmaking as access
from talentpool.models import City
from talentpool.permissions import Action
from talentpool.selectors import challenges as selectors
from talentpool.selectors import dashboard as dashboard_selectors
from talentpool.services import challenges as services
from talentpool.services import equipment as equipment_services

router = Router(tags=["talentpool-challenges"])

_PRINTABLE = r"^[^\x00]*$"
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=_PRINTABLE)]
Long = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000, pattern=_PRINTABLE)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000, pattern=_PRINTABLE)]
Team = Annotated[str, StringConstraints(max_length=500, pattern=_PRINTABLE)]
Reason = Annotated[str, StringConstraints(max_length=500, pattern=_PRINTABLE)]
Purpose = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000, pattern=_PRINTABLE)]
Reply = Annotated[str, StringConstraints(max_length=2000, pattern=_PRINTABLE)]
SearchText = Annotated[str, StringConstraints(max_length=100, pattern=_PRINTABLE)]


class ChallengeIn(Schema):
    enterprise_id: RowId = Field(description="发榜企业")
    title: Title
    problem: Text = Field("", description="由合作需求发榜时可留空，沿用该需求的技术难题")
    goal: Text = Field("", description="由合作需求发榜时可留空，沿用该需求的预期目标")
    budget: Decimal = Field(ge=0, le=services.MAX_BUDGET, max_digits=10, decimal_places=2, description="万元")
    deadline: date
    chain_id: RowId | None = None
    need_id: RowId | None = Field(None, description="来自本企业的校企合作需求（可选）")


class ApplyIn(Schema):
    college_id: RowId
    proposal: Long
    team: Team = ""


class CloseIn(Schema):
    reason: Reason = ""


class EquipmentQuery(Schema):
    q: SearchText = ""
    city: City | None = None
    chain_id: RowId | None = None
    paid: bool | None = None


class EquipmentRequestIn(Schema):
    enterprise_id: RowId
    purpose: Purpose
    start_on: date
    end_on: date


class DecisionIn(Schema):
    approve: bool
    reply: Reply = ""


@router.get("/challenges", response={200: list[selectors.ChallengeRow], **errors()},
            summary="榜单（院校按匹配度排序） Challenges")
def challenges(request: HttpRequest) -> list[selectors.ChallengeRow]:
    user = signed_in_user(request)
    require(user, Action.CHALLENGE_VIEW)
    return selectors.challenges_for(user)


@router.post("/challenges", response={201: selectors.ChallengeView, **errors(404)}, summary="发布榜单 Publish")
def challenge_publish(request: HttpRequest, payload: ChallengeIn) -> Status[selectors.ChallengeView]:
    user = signed_in_user(request)
    draft = services.ChallengeDraft(title=payload.title, problem=payload.problem, goal=payload.goal,
                                    budget=payload.budget, deadline=payload.deadline, chain_id=payload.chain_id,
                                    need_id=payload.need_id)
    challenge = services.challenge_publish(actor=user, enterprise_id=payload.enterprise_id, draft=draft)
    return Status(201, selectors.challenge_view(access.access_challenge(user, challenge.pk), viewer=user))


@router.get("/challenges/{challenge_id}", response={200: selectors.ChallengeView, **errors(404)},
            summary="一个榜单及可见的申请 One challenge")
def challenge(request: HttpRequest, challenge_id: RowId) -> selectors.ChallengeView:
    user = signed_in_user(request)
    return selectors.challenge_view(access.access_challenge(user, challenge_id), viewer=user)


@router.post("/challenges/{challenge_id}/applications", response={201: selectors.ChallengeView, **errors(404, 409)},
             summary="揭榜申请 Apply")
def challenge_apply(request: HttpRequest, challenge_id: RowId, payload: ApplyIn) -> Status[selectors.ChallengeView]:
    user = signed_in_user(request)
    services.challenge_apply(actor=user, challenge_id=challenge_id, college_id=payload.college_id,
                             proposal=payload.proposal, team=payload.team)
    return Status(201, selectors.challenge_view(access.access_challenge(user, challenge_id), viewer=user))


@router.post("/applications/{application_id}/withdraw", response={200: selectors.ChallengeView, **errors(404, 409)},
             summary="撤回申请 Withdraw")
def application_withdraw(request: HttpRequest, application_id: RowId) -> selectors.ChallengeView:
    user = signed_in_user(request)
    application = services.challenge_application_withdraw(actor=user, application_id=application_id)
    return selectors.challenge_view(access.access_challenge(user, application.challenge_id), viewer=user)


@router.post("/applications/{application_id}/pick", response={200: selectors.ChallengeView, **errors(404, 409)},
             summary="选定揭榜单位 Pick")
def application_pick(request: HttpRequest, application_id: RowId) -> selectors.ChallengeView:
    user = signed_in_user(request)
    challenge = services.challenge_pick(actor=user, application_id=application_id)
    return selectors.challenge_view(access.access_challenge(user, challenge.pk), viewer=user)


@router.post("/challenges/{challenge_id}/close", response={200: selectors.ChallengeView, **errors(404, 409)},
             summary="关闭榜单 Close")
def challenge_close(request: HttpRequest, challenge_id: RowId, payload: CloseIn) -> selectors.ChallengeView:
    user = signed_in_user(request)
    services.challenge_close(actor=user, challenge_id=challenge_id, reason=payload.reason)
    return selectors.challenge_view(access.access_challenge(user, challenge_id), viewer=user)


@router.get("/equipment", response={200: list[selectors.EquipmentRow], **errors()},
            summary="院校开放设备 Open equipment")
def equipment(request: HttpRequest, filters: Query[EquipmentQuery]) -> list[selectors.EquipmentRow]:
    require(signed_in_user(request), Action.SUPPLY_BROWSE)
    return selectors.open_equipment(selectors.EquipmentFilters(text=filters.q, city=filters.city or "",
                                                               chain_id=filters.chain_id, paid=filters.paid))


@router.post("/equipment/{equipment_id}/requests", response={201: selectors.EquipmentRequestView, **errors(404)},
             summary="申请使用设备 Request equipment")
def equipment_request(request: HttpRequest, equipment_id: RowId,
                      payload: EquipmentRequestIn) -> Status[selectors.EquipmentRequestView]:
    user = signed_in_user(request)
    made = equipment_services.equipment_request_create(
        actor=user, equipment_id=equipment_id, enterprise_id=payload.enterprise_id, purpose=payload.purpose,
        start_on=payload.start_on, end_on=payload.end_on)
    return Status(201, selectors.equipment_request_view(made, viewer=user))


@router.get("/equipment-requests", response={200: list[selectors.EquipmentRequestView], **errors()},
            summary="设备使用申请 Equipment requests")
def equipment_requests(request: HttpRequest) -> list[selectors.EquipmentRequestView]:
    user = signed_in_user(request)
    if not (access.reads_everything(user) or can(user, Action.EQUIPMENT_REQUEST)
            or can(user, Action.EQUIPMENT_DECIDE)):
        raise PermissionDenied()
    return selectors.equipment_requests_for(user)


@router.post("/equipment-requests/{request_id}/decision", response={200: selectors.EquipmentRequestView,
                                                                     **errors(404, 409)},
             summary="院校答复 Decide")
def equipment_request_decide(request: HttpRequest, request_id: RowId,
                             payload: DecisionIn) -> selectors.EquipmentRequestView:
    user = signed_in_user(request)
    decided = equipment_services.equipment_request_decide(actor=user, request_id=request_id,
                                                          approve=payload.approve, reply=payload.reply)
    return selectors.equipment_request_view(decided, viewer=user)


@router.post("/equipment-requests/{request_id}/withdraw", response={200: selectors.EquipmentRequestView,
                                                                     **errors(404, 409)},
             summary="撤回申请 Withdraw")
def equipment_request_withdraw(request: HttpRequest, request_id: RowId) -> selectors.EquipmentRequestView:
    user = signed_in_user(request)
    withdrawn = equipment_services.equipment_request_withdraw(actor=user, request_id=request_id)
    return selectors.equipment_request_view(withdrawn, viewer=user)


@router.get("/dashboard", response={200: dashboard_selectors.Dashboard, **errors()},
            summary="产教资源匹配数字地图（汇总） The dashboard's figures")
def dashboard(request: HttpRequest) -> dashboard_selectors.Dashboard:
    require(signed_in_user(request), Action.DASHBOARD_VIEW)
    return dashboard_selectors.dashboard()
