"""Events and skills: public lists and results, creation and status moves by the organizer."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from accounts.auth import OPTIONAL_AUTH, signed_in_user
from accounts.models import Organization
from competitions import selectors, services
from competitions.access import access_event_board, access_event_for_board_freeze
from competitions.api.common import event_results_answer
from competitions.api.schemas import BoardFreezeIn, BoardStepIn, EventIn, SkillIn, TransitionIn
from competitions.domain.stream import parse_position
from competitions.models import Event, Skill
from competitions.selectors import EventDetailView, EventResults, EventView, SkillView
from competitions.selectors import stream as selectors_stream
from competitions.selectors.freeze import BoardFreezeView, board_freeze_view, freeze_view_of
from competitions.selectors.stream import FeedView
from core.lookup import get_or_404
from core.schemas import RowId, errors

router = Router()


@router.get("/events", response={200: list[EventView], **errors()}, auth=OPTIONAL_AUTH, summary="竞赛列表 Events")
def events(request: HttpRequest) -> list[EventView]:
    return selectors.event_list(viewer=request.user, limit=500)


@router.get("/events/{event_id}", response={200: EventDetailView, **errors(404)}, auth=OPTIONAL_AUTH,
            summary="竞赛详情 An event")
def event_detail(request: HttpRequest, event_id: RowId) -> EventDetailView:
    return selectors.event_detail(viewer=request.user, event_id=event_id)


@router.get("/events/{event_id}/results", response={200: EventResults, 304: None, **errors(404)},
            auth=OPTIONAL_AUTH, summary="竞赛成绩 Standings of every skill",
            description="带 ETag：以 If-None-Match 重新请求，成绩未变时答 304；成绩快照重建期间答上一版本并带 "
                        "Standings-Stale: rebuilding 头。With an ETag; 304 while unchanged; while the standings are "
                        "rebuilt, the previous version with the header Standings-Stale: rebuilding.")
def event_results(request: HttpRequest, event_id: RowId) -> HttpResponse:
    return event_results_answer(request, event_id)


@router.post("/events", response={201: EventView, **errors(404)}, summary="创建竞赛 Announce an event")
def event_create(request: HttpRequest, payload: EventIn) -> Status[EventView]:
    organizer = get_or_404(Organization, pk=payload.organizer_id)
    data = services.EventData(
        name=payload.name, level=payload.level, starts_on=payload.starts_on, ends_on=payload.ends_on,
        series=payload.series, award_rule=payload.award_rule, excellence_basis=payload.excellence_basis,
        min_total=payload.min_total, review_days=payload.review_days,
    )
    event = services.event_create(actor=signed_in_user(request), organizer=organizer, data=data)
    return Status(201, selectors.event_view(event))


@router.post("/events/{event_id}/skills", response={201: SkillView, **errors(404, 409)}, summary="添加赛项 Add a skill")
def skill_create(request: HttpRequest, event_id: RowId, payload: SkillIn) -> Status[SkillView]:
    event = get_or_404(Event, pk=event_id)
    data = services.SkillData(
        name=payload.name, occupation_code=payload.occupation_code, group=payload.group,
        team_size=payload.team_size, min_age=payload.min_age, max_age=payload.max_age,
        theory_weight=payload.theory_weight, tie_breaks=tuple(payload.tie_breaks),
        award_rule=payload.award_rule or "", occupation_id=payload.occupation_id,
    )
    skill = services.skill_create(actor=signed_in_user(request), event=event, data=data)
    return Status(201, selectors.skill_view(skill))


@router.post("/events/{event_id}/transition", response={200: EventView, **errors(404, 409)},
             summary="竞赛状态变更 Move an event")
def event_transition(request: HttpRequest, event_id: RowId, payload: TransitionIn) -> EventView:
    event = get_or_404(Event, pk=event_id)
    moved = services.event_transition(actor=signed_in_user(request), event=event, target=payload.target,
                                      reason=payload.reason)
    return selectors.event_view(moved)


@router.post("/skills/{skill_id}/transition", response={200: SkillView, **errors(404, 409)},
             summary="赛项状态变更 Move one skill")
def skill_transition(request: HttpRequest, skill_id: RowId, payload: TransitionIn) -> SkillView:
    skill = get_or_404(Skill, pk=skill_id)
    moved = services.skill_transition(actor=signed_in_user(request), skill=skill, target=payload.target,
                                      reason=payload.reason)
    return selectors.skill_view(moved)


@router.get("/events/{event_id}/feed", response={200: FeedView, **errors(404)}, auth=OPTIONAL_AUTH,
            summary="实时数据流 The live stream, for integrations",
            description="since=epoch:seq 时答其后的增量（recovered: true），否则或无法续传时答快照；"
                        "audience=jury 需登录并具有裁判长或主办方权限。"
                        "With since=epoch:seq, the deltas after it (recovered: true); "
                        "otherwise, or when they cannot be replayed, a snapshot. audience=jury needs a sign-in and "
                        "the jury's rights; without audience, the jury board for those who may see it.")
def event_feed(request: HttpRequest, event_id: RowId, since: str = "", audience: str = "") -> FeedView:
    _event, shown_to = access_event_board(request.user, event_id, audience)
    epoch, seq = parse_position(since)
    return selectors_stream.event_feed(event_id, shown_to, epoch, seq)


# --- 封榜 and 揭榜 of the public board (competitions.services.freeze) ------------------------------------------------


@router.get("/events/{event_id}/board/freeze", response={200: BoardFreezeView, **errors(404)},
            summary="公众榜封榜状态 The public board's freeze")
def board_freeze_state(request: HttpRequest, event_id: RowId) -> BoardFreezeView:
    user = signed_in_user(request)
    return board_freeze_view(viewer=user, event=access_event_for_board_freeze(user, event_id))


@router.post("/events/{event_id}/board/freeze", response={200: BoardFreezeView, **errors(404, 409)},
             summary="封榜 Freeze the public board",
             description="公众榜停在当前序号，评委榜照常更新；须说明原因，可填计划揭榜时间（仅显示）。"
                         "The public board holds at the current seq while the jury's moves on; a reason is "
                         "required, a planned thaw time is shown only.")
def board_freeze(request: HttpRequest, event_id: RowId, payload: BoardFreezeIn) -> BoardFreezeView:
    user = signed_in_user(request)
    event = access_event_for_board_freeze(user, event_id)
    return freeze_view_of(services.board_freeze(actor=user, event=event, reason=payload.reason,
                                                planned_thaw_at=payload.planned_thaw_at))


@router.post("/events/{event_id}/board/reveal", response={200: BoardFreezeView, **errors(404, 409)},
             summary="揭晓下一名 Reveal the next workstation",
             description="从最低名次起揭晓下一个工位的当前成绩。Reveals the next workstation's current figures, "
                         "lowest provisional place first.")
def board_reveal_next(request: HttpRequest, event_id: RowId, payload: BoardStepIn) -> BoardFreezeView:
    user = signed_in_user(request)
    event = access_event_for_board_freeze(user, event_id)
    return freeze_view_of(services.board_reveal_next(actor=user, event=event, reason=payload.reason))


@router.post("/events/{event_id}/board/thaw", response={200: BoardFreezeView, **errors(404, 409)},
             summary="全部揭晓 Thaw the public board")
def board_thaw(request: HttpRequest, event_id: RowId, payload: BoardStepIn) -> BoardFreezeView:
    user = signed_in_user(request)
    event = access_event_for_board_freeze(user, event_id)
    return freeze_view_of(services.board_thaw(actor=user, event=event, reason=payload.reason))
