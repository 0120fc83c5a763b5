"""Events and skills: public lists and results, creation and status moves by the organizer."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from accounts.models import Organization
from competitions import selectors, services
from competitions.api.common import OPTIONAL_AUTH, event_out, get_object, skill_out, user_of
from competitions.api.schemas import (
    EventDetailOut,
    EventIn,
    EventOut,
    EventResultsOut,
    SkillIn,
    SkillOut,
    TransitionIn,
)
from competitions.models import (
    Event,
    Skill,
)
from core.schemas import errors

router = Router()


@router.get("/events", response={200: list[EventOut], **errors()}, auth=OPTIONAL_AUTH, summary="竞赛列表 Events")
def events(request: HttpRequest) -> list[dict[str, Any]]:
    return [event_out(e) for e in selectors.events_visible(viewer=user_of(request))[:500]]


@router.get("/events/{event_id}", response={200: EventDetailOut, **errors(404)}, auth=OPTIONAL_AUTH,
            summary="竞赛详情 An event")
def event_detail(request: HttpRequest, event_id: int) -> dict[str, Any]:
    event = selectors.event_visible(viewer=user_of(request), event_id=event_id)
    return {**event_out(event), "skills": [skill_out(s) for s in selectors.skills_of(event)]}


@router.get("/events/{event_id}/results", response={200: EventResultsOut, **errors(404)}, auth=OPTIONAL_AUTH,
            summary="竞赛成绩 Standings of every skill")
def event_results(request: HttpRequest, event_id: int) -> dict[str, Any]:
    results = selectors.event_results(viewer=user_of(request), event_id=event_id)
    return {
        "event_id": results.event.pk, "event_name": results.event.name,
        "provisional": any(s.provisional for s in results.skills),
        "skills": [asdict(s) for s in results.skills],
    }


@router.post("/events", response={201: EventOut, **errors(404)}, summary="创建竞赛 Announce an event")
def event_create(request: HttpRequest, payload: EventIn) -> Status[dict[str, Any]]:
    organizer = get_object(Organization, payload.organizer_id)
    data = services.EventData(
        name=payload.name, level=payload.level, starts_on=payload.starts_on, ends_on=payload.ends_on,
        series=payload.series, award_rule=payload.award_rule, excellence_basis=payload.excellence_basis,
        min_total=payload.min_total, review_days=payload.review_days,
    )
    return Status(201, event_out(services.event_create(actor=user_of(request), organizer=organizer, data=data)))


@router.post("/events/{event_id}/skills", response={201: SkillOut, **errors(404, 409)}, summary="添加赛项 Add a skill")
def skill_create(request: HttpRequest, event_id: int, payload: SkillIn) -> Status[dict[str, Any]]:
    event = get_object(Event, event_id)
    data = services.SkillData(
        name=payload.name, occupation_code=payload.occupation_code, group=payload.group,
        team_size=payload.team_size, min_age=payload.min_age, max_age=payload.max_age,
        theory_weight=payload.theory_weight, tie_breaks=tuple(payload.tie_breaks),
        award_rule=payload.award_rule or "",
    )
    return Status(201, skill_out(services.skill_create(actor=user_of(request), event=event, data=data)))


@router.post("/events/{event_id}/transition", response={200: EventOut, **errors(404, 409)},
             summary="竞赛状态变更 Move an event")
def event_transition(request: HttpRequest, event_id: int, payload: TransitionIn) -> dict[str, Any]:
    event = get_object(Event, event_id)
    moved = services.event_transition(actor=user_of(request), event=event, target=payload.target,
                                      reason=payload.reason)
    return event_out(Event.objects.select_related("organizer").get(pk=moved.pk))


@router.post("/skills/{skill_id}/transition", response={200: SkillOut, **errors(404, 409)},
             summary="赛项状态变更 Move one skill")
def skill_transition(request: HttpRequest, skill_id: int, payload: TransitionIn) -> dict[str, Any]:
    skill = get_object(Skill, skill_id)
    return skill_out(services.skill_transition(actor=user_of(request), skill=skill, target=payload.target,
                                                reason=payload.reason))
