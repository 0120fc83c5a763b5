"""Matchmaking events (对接会): list and create, one event with its proposals, invitations and outcomes, the
proposals run, invite and uninvite, an invited unit's answer, and outcomes; the caller's unit's invitations."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import StringConstraints

from accounts.auth import signed_in_user
from core.schemas import RowId, errors
from talentpool import access_matchmaking as access
from talentpool.models import City, MatchmakingScope, OutcomeKind
from talentpool.selectors import matchmaking as selectors
from talentpool.services import matchmaking as services

router = Router(tags=["talentpool-matchmaking"])

_PRINTABLE = r"^[^\x00]*$"
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=_PRINTABLE)]
Short = Annotated[str, StringConstraints(max_length=200, pattern=_PRINTABLE)]
Note = Annotated[str, StringConstraints(max_length=300, pattern=_PRINTABLE)]
Long = Annotated[str, StringConstraints(max_length=4000, pattern=_PRINTABLE)]


class EventIn(Schema):
    organizer_id: RowId = Field(description="主办单位")
    name: Name
    scope: MatchmakingScope = Field(description="chain 按产业链 / city 按城市 / alliance 按联盟/集团")
    held_on: date
    chain_id: RowId | None = None
    city: City | None = None
    alliance_id: RowId | None = None
    venue: Short = ""
    description: Long = ""


class InviteIn(Schema):
    organization_id: RowId


class ResponseIn(Schema):
    accept: bool = Field(description="true 确认参会 / false 不参会")


class OutcomeIn(Schema):
    kind: OutcomeKind = Field(description="interview 面试 / hire 录用 / training_contract 培训合作 / agreement 签约")
    enterprise_id: RowId
    college_id: RowId | None = None
    count: int = Field(1, ge=1, le=100000)
    note: Note = ""


@router.get("/events", response={200: list[selectors.EventRow], **errors()}, summary="对接会列表 Matchmaking events")
def events(request: HttpRequest) -> list[selectors.EventRow]:
    return selectors.events_for(signed_in_user(request))


@router.post("/events", response={201: selectors.EventView, **errors(404)}, summary="创建对接会 Create an event")
def event_create(request: HttpRequest, payload: EventIn) -> Status[selectors.EventView]:
    user = signed_in_user(request)
    draft = services.EventDraft(name=payload.name, scope=payload.scope, held_on=payload.held_on,
                                chain_id=payload.chain_id, city=payload.city or "", alliance_id=payload.alliance_id,
                                venue=payload.venue, description=payload.description)
    event = services.matchmaking_event_create(actor=user, organizer_id=payload.organizer_id, draft=draft)
    return Status(201, selectors.event_view(event, viewer=user))


@router.get("/events/{event_id}", response={200: selectors.EventView, **errors(404)},
            summary="一场对接会（推荐、邀请、成效） One event")
def event(request: HttpRequest, event_id: RowId) -> selectors.EventView:
    user = signed_in_user(request)
    return selectors.event_view(access.access_event(user, event_id), viewer=user)


@router.post("/events/{event_id}/proposals", response={200: selectors.EventView, **errors(404)},
             summary="生成推荐邀请单位（幂等） Propose units to invite")
def event_propose(request: HttpRequest, event_id: RowId) -> selectors.EventView:
    user = signed_in_user(request)
    services.matchmaking_propose(actor=user, event_id=event_id)
    return selectors.event_view(access.access_event(user, event_id), viewer=user)


@router.post("/events/{event_id}/invitations", response={200: selectors.EventView, **errors(404, 409)},
             summary="邀请单位 Invite a unit")
def event_invite(request: HttpRequest, event_id: RowId, payload: InviteIn) -> selectors.EventView:
    user = signed_in_user(request)
    services.matchmaking_invite(actor=user, event_id=event_id, organization_id=payload.organization_id)
    return selectors.event_view(access.access_event(user, event_id), viewer=user)


@router.delete("/invitations/{invitation_id}", response={200: selectors.EventView, **errors(404, 409)},
               summary="取消邀请 Uninvite")
def invitation_uninvite(request: HttpRequest, invitation_id: RowId) -> selectors.EventView:
    user = signed_in_user(request)
    event_id = access.access_invitation(user, invitation_id).event_id
    services.matchmaking_uninvite(actor=user, invitation_id=invitation_id)
    return selectors.event_view(access.access_event(user, event_id), viewer=user)


@router.get("/my-invitations", response={200: list[selectors.MyInvitation], **errors()},
            summary="本单位收到的邀请 The caller's units' invitations")
def my_invitations(request: HttpRequest) -> list[selectors.MyInvitation]:
    return selectors.my_invitations(signed_in_user(request))


@router.post("/invitations/{invitation_id}/response", response={200: list[selectors.MyInvitation],
                                                                **errors(404, 409)},
             summary="受邀单位答复 Accept or decline")
def invitation_respond(request: HttpRequest, invitation_id: RowId, payload: ResponseIn) -> list[selectors.MyInvitation]:
    user = signed_in_user(request)
    services.matchmaking_respond(actor=user, invitation_id=invitation_id, accept=payload.accept)
    return selectors.my_invitations(user)


@router.post("/events/{event_id}/outcomes", response={201: selectors.EventView, **errors(404)},
             summary="登记对接成效 Record an outcome")
def event_outcome(request: HttpRequest, event_id: RowId, payload: OutcomeIn) -> Status[selectors.EventView]:
    user = signed_in_user(request)
    services.matchmaking_outcome_record(actor=user, event_id=event_id, draft=services.OutcomeDraft(
        kind=payload.kind, enterprise_id=payload.enterprise_id, college_id=payload.college_id, count=payload.count,
        note=payload.note))
    return Status(201, selectors.event_view(access.access_event(user, event_id), viewer=user))
