"""The review stage: objections, corrections and title lists, nominations, a contestant's own entries."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from competitions import selectors, services
from competitions.api.common import get_object, user_of
from competitions.api.schemas import (
    AnswerIn,
    CorrectionRowOut,
    EventNominationsOut,
    MyEntryOut,
    ObjectionIn,
    ObjectionOut,
    ObjectionRowOut,
    TitleOut,
    TitleRowOut,
)
from competitions.models import (
    Entry,
    EntryStatus,
    Event,
    Objection,
    Skill,
    TitleProposal,
)
from competitions.selectors import review
from core.errors import NotFound
from core.schemas import errors

router = Router()


@router.post("/titles/{title_id}/approve", response={200: TitleOut, **errors(404, 409)},
             summary="核准技术能手 Approve a title")
def title_approve(request: HttpRequest, title_id: int) -> Any:
    return services.title_approve(actor=user_of(request), proposal=get_object(TitleProposal, title_id))


@router.post("/objections/{objection_id}/answer", response={200: ObjectionOut, **errors(404, 409)},
             summary="答复异议 Answer an objection")
def objection_answer(request: HttpRequest, objection_id: int, payload: AnswerIn) -> Objection:
    return services.objection_answer(chief=user_of(request), objection=get_object(Objection, objection_id),
                                     answer=payload.answer)


@router.get("/my/entries", response={200: list[MyEntryOut], **errors()}, summary="我的报名与成绩 My entries")
def my_entries(request: HttpRequest) -> list[dict[str, Any]]:
    out = []
    standings: dict[int, dict[int, Any]] = {}
    for entry in selectors.my_entries(person=user_of(request)):
        skill = entry.skill
        published = skill.published_at is not None
        row = None
        # From the review period (公示) on, one's own place and total are shown, as they are to the public.
        if skill.status in selectors.PUBLIC_STATUSES and entry.status == EntryStatus.APPROVED:
            if skill.pk not in standings:
                standings[skill.pk] = {r.entry_id: r for r in selectors.skill_standings(skill, names=False).rows}
            row = standings[skill.pk].get(entry.pk)
        out.append({
            "id": entry.pk, "event_id": skill.event_id, "event_name": skill.event.name, "skill_id": skill.pk,
            "skill_name": skill.name, "status": entry.status, "status_label": str(entry.get_status_display()),
            "published": published, "place": row.place if row else None, "total": row.total if row else None,
            "award_label": row.award_label if row else None,
        })
    return out


@router.post("/entries/{entry_id}/objections", response={201: ObjectionOut, **errors(404, 409)},
             summary="实名提出成绩异议 File an objection")
def objection_file(request: HttpRequest, entry_id: int, payload: ObjectionIn) -> Status[Objection]:
    entry = get_object(Entry, entry_id, select=["skill__event"])
    if entry.skill.review_until is None:  # results not shown yet: nothing to object to, nothing to reveal
        raise NotFound()
    return Status(201, services.objection_file(person=user_of(request), entry=entry, text=payload.text))


@router.get("/skills/{skill_id}/corrections", response={200: list[CorrectionRowOut], **errors(404)},
            summary="评分更正（待审批在前，裁判长） A skill's corrections, pending first")
def skill_corrections(request: HttpRequest, skill_id: int) -> list[dict[str, Any]]:
    skill = get_object(Skill, skill_id, select=["event"])
    return [asdict(c) for c in review.skill_corrections(chief=user_of(request), skill=skill)]


@router.get("/skills/{skill_id}/objections", response={200: list[ObjectionRowOut], **errors(404)},
            summary="成绩异议（未答复在前，裁判长） A skill's objections, unanswered first")
def skill_objections(request: HttpRequest, skill_id: int) -> list[dict[str, Any]]:
    skill = get_object(Skill, skill_id, select=["event"])
    return [asdict(o) for o in review.skill_objections(chief=user_of(request), skill=skill)]


@router.get("/events/{event_id}/titles", response={200: list[TitleRowOut], **errors(404)},
            summary="技术能手推荐与核准 An event's title proposals")
def event_titles(request: HttpRequest, event_id: int) -> list[dict[str, Any]]:
    return [asdict(t) for t in review.event_titles(viewer=user_of(request), event=get_object(Event, event_id))]


@router.get("/events/{event_id}/nominations", response={200: EventNominationsOut, **errors(404)},
            summary="选拔推荐（推荐至上级、来自下级） An event's nominations sent and received")
def event_nominations(request: HttpRequest, event_id: int) -> dict[str, Any]:
    return asdict(review.event_nominations(viewer=user_of(request), event=get_object(Event, event_id)))
