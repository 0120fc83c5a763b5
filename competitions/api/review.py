"""The review stage: objections, corrections and title lists, nominations, a contestant's own entries."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from accounts.auth import signed_in_user
from competitions import selectors, services
from competitions.api.schemas import AnswerIn, ObjectionIn
from competitions.models import Event, Objection, Skill, TitleProposal
from competitions.selectors import CorrectionView, EventNominations, MyEntryView, ObjectionView, TitleView
from core.lookup import get_or_404
from core.schemas import RowId, errors

router = Router()


@router.post("/titles/{title_id}/approve", response={200: TitleView, **errors(404, 409)},
             summary="核准技术能手 Approve a title")
def title_approve(request: HttpRequest, title_id: RowId) -> TitleView:
    proposal = services.title_approve(actor=signed_in_user(request), proposal=get_or_404(TitleProposal, pk=title_id))
    return selectors.title_view(proposal)


@router.post("/objections/{objection_id}/answer", response={200: ObjectionView, **errors(404, 409)},
             summary="答复异议 Answer an objection")
def objection_answer(request: HttpRequest, objection_id: RowId, payload: AnswerIn) -> ObjectionView:
    objection = services.objection_answer(chief=signed_in_user(request),
                                          objection=get_or_404(Objection, pk=objection_id), answer=payload.answer)
    return selectors.objection_view(objection)


@router.get("/my/entries", response={200: list[MyEntryView], **errors()}, summary="我的报名与成绩 My entries")
def my_entries(request: HttpRequest) -> list[MyEntryView]:
    return selectors.my_entry_results(person=signed_in_user(request))


@router.post("/entries/{entry_id}/objections", response={201: ObjectionView, **errors(404, 409, 429)},
             summary="实名提出成绩异议 File an objection")
def objection_file(request: HttpRequest, entry_id: RowId, payload: ObjectionIn) -> Status[ObjectionView]:
    objection = services.objection_file(person=signed_in_user(request), entry_id=entry_id, text=payload.text)
    return Status(201, selectors.objection_view(objection))


@router.get("/skills/{skill_id}/corrections", response={200: list[CorrectionView], **errors(404)},
            summary="评分更正（待审批在前，裁判长） A skill's corrections, pending first")
def skill_corrections(request: HttpRequest, skill_id: RowId) -> list[CorrectionView]:
    skill = get_or_404(Skill.objects.select_related("event"), pk=skill_id)
    return selectors.skill_corrections(chief=signed_in_user(request), skill=skill)


@router.get("/skills/{skill_id}/objections", response={200: list[ObjectionView], **errors(404)},
            summary="成绩异议（未答复在前，裁判长） A skill's objections, unanswered first")
def skill_objections(request: HttpRequest, skill_id: RowId) -> list[ObjectionView]:
    skill = get_or_404(Skill.objects.select_related("event"), pk=skill_id)
    return selectors.skill_objections(chief=signed_in_user(request), skill=skill)


@router.get("/events/{event_id}/titles", response={200: list[TitleView], **errors(404)},
            summary="技术能手推荐与核准 An event's title proposals")
def event_titles(request: HttpRequest, event_id: RowId) -> list[TitleView]:
    return selectors.event_titles(viewer=signed_in_user(request), event=get_or_404(Event, pk=event_id))


@router.get("/events/{event_id}/nominations", response={200: EventNominations, **errors(404)},
            summary="选拔推荐（推荐至上级、来自下级） An event's nominations sent and received")
def event_nominations(request: HttpRequest, event_id: RowId) -> EventNominations:
    return selectors.event_nominations(viewer=signed_in_user(request), event=get_or_404(Event, pk=event_id))
