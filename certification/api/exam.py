"""The online theory exam's API (issue 12 item 7): the candidate's page opens (or resumes) the sitting, saves
answers in batches with their sequence numbers, beats for the clock and the connection, and submits; the
invigilator reads the room and releases a session or grants extra time; the body's staff set the part's policy;
the bank's keeper regrades after a correction. Thin endpoints over certification.services.exam and
certification.selectors.exam."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Router, Schema
from pydantic import StringConstraints

from accounts.auth import signed_in_user
from certification import access
from certification.domain import exam_clock as clock
from certification.domain.grading import MultiplePolicy
from certification.selectors import exam as views
from certification.services import exam as services
from core.schemas import RowId, errors

router = Router()

SessionKey = Annotated[str, StringConstraints(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
Device = Annotated[str, StringConstraints(max_length=200, pattern=r"^[^\x00]*$")]
Reason = Annotated[str, StringConstraints(max_length=500, pattern=r"^[^\x00]*$")]


class OpenIn(Schema):
    session_key: SessionKey = Field(description="页面生成的会话标识（刷新后沿用）")
    device: Device = ""


class AnswerIn(Schema):
    position: int = Field(ge=0, le=10_000, description="题目位置（从 0 起）")
    choices: list[Annotated[int, Field(ge=0, le=20)]] = Field(max_length=20,
                                                              description="所选选项（按显示顺序，从 0 起）")
    seq: int = Field(ge=-(2**31), le=2**31 - 1, description="答案序号，本场考试内从 1 起递增")
    given_at_ms: int = Field(ge=0, le=32_503_680_000_000, description="作答时刻（页面时钟，Unix 毫秒，3000 年以前）")


class AnswersIn(Schema):
    session_key: SessionKey
    answers: list[AnswerIn] = Field(max_length=services.MAX_BATCH)
    offset_ms: int | None = Field(None, ge=-(10**10), le=10**10, description="页面估计的时钟偏差：服务器 − 页面")
    round_trip_ms: int | None = Field(None, ge=0, le=10**8, description="该估计所用样本的往返时间")


class BeatIn(Schema):
    session_key: SessionKey
    visible: bool | None = None
    was_hidden: bool = False


class SessionIn(Schema):
    session_key: SessionKey


class ReasonIn(Schema):
    reason: Reason


class ExtraIn(Schema):
    minutes: int = Field(ge=-1000, le=1000)
    reason: Reason


class PolicyIn(Schema):
    duration_minutes: int = Field(ge=0, le=1000)
    disconnect: clock.DisconnectPolicy = clock.DisconnectPolicy.RUNS_ON
    pause_per_disconnect_minutes: int = Field(5, ge=0, le=1000)
    pause_total_minutes: int = Field(15, ge=0, le=1000)
    deadline: clock.DeadlinePolicy = clock.DeadlinePolicy.AUTO_SUBMIT
    submit_grace_minutes: int = Field(5, ge=0, le=1000)
    max_offline_minutes: int = Field(10, ge=0, le=1000)
    late_entry_minutes: int = Field(15, ge=0, le=1000)
    multiple_grading: MultiplePolicy = MultiplePolicy.ALL_OR_NOTHING


class RegradeIn(Schema):
    reason: Reason
    void: bool = Field(False, description="作废该题（全体考生得该题分）；否则按该题当前（更正后）版本的答案重评")


def _ms(value: int) -> datetime:
    return datetime.fromtimestamp(value / 1000, tz=UTC)


@router.post("/exam/registrations/{registration_id}/sitting", response={200: views.ExamPaperView, **errors(404, 409)},
             summary="进入（或继续）理论考试 Open or resume the theory exam")
def sitting_open(request: HttpRequest, registration_id: RowId, payload: OpenIn) -> views.ExamPaperView:
    user = signed_in_user(request)
    sitting = services.sitting_open(actor=user, registration_id=registration_id, session_key=payload.session_key,
                                    device=payload.device)
    return views.exam_paper(access.access_sitting_for_candidate(user, sitting.pk))


@router.post("/exam/sittings/{sitting_id}/answers", response={200: services.SaveResult, **errors(404, 409)},
             summary="保存答案（按序号幂等） Save answers")
def answers_save(request: HttpRequest, sitting_id: RowId, payload: AnswersIn) -> services.SaveResult:
    offset = clock.UNKNOWN_OFFSET
    if payload.offset_ms is not None and payload.round_trip_ms is not None:
        offset = clock.OffsetEstimate(timedelta(milliseconds=payload.offset_ms),
                                      timedelta(milliseconds=payload.round_trip_ms))
    return services.answers_save(
        actor=signed_in_user(request), sitting_id=sitting_id, session_key=payload.session_key, offset=offset,
        answers=[services.AnswerIn(a.position, tuple(a.choices), a.seq, _ms(a.given_at_ms)) for a in payload.answers])


@router.post("/exam/sittings/{sitting_id}/heartbeat", response={200: services.BeatResult, **errors(404, 409)},
             summary="心跳与校时 Heartbeat and clock sync")
def heartbeat(request: HttpRequest, sitting_id: RowId, payload: BeatIn) -> services.BeatResult:
    return services.sitting_heartbeat(actor=signed_in_user(request), sitting_id=sitting_id,
                                      session_key=payload.session_key, visible=payload.visible,
                                      was_hidden=payload.was_hidden)


@router.post("/exam/sittings/{sitting_id}/submit", response={200: views.SubmittedView, **errors(404, 409)},
             summary="交卷 Submit")
def submit(request: HttpRequest, sitting_id: RowId, payload: SessionIn) -> views.SubmittedView:
    user = signed_in_user(request)
    services.sitting_submit(actor=user, sitting_id=sitting_id, session_key=payload.session_key)
    return views.submitted_view(access.access_sitting_for_candidate(user, sitting_id))


@router.get("/exam/rooms/{room_id}", response={200: views.RoomView, **errors(404)},
            summary="考场实时情况 The room, live")
def room(request: HttpRequest, room_id: RowId) -> views.RoomView:
    user = signed_in_user(request)
    services.room_watch(actor=user, room_id=room_id)
    return views.room_view(access.access_room_for_invigilation(user, room_id))


@router.post("/exam/sittings/{sitting_id}/release", response={200: views.RoomView, **errors(404, 409)},
             summary="释放考生会话 Release a session")
def release(request: HttpRequest, sitting_id: RowId, payload: ReasonIn) -> views.RoomView:
    user = signed_in_user(request)
    sitting = services.session_release(actor=user, sitting_id=sitting_id, reason=payload.reason)
    return views.room_view(access.access_room_for_invigilation(user, sitting.room_id))


@router.post("/exam/sittings/{sitting_id}/extra-time", response={200: views.RoomView, **errors(404, 409)},
             summary="为考生延时 Grant extra time")
def extra_time(request: HttpRequest, sitting_id: RowId, payload: ExtraIn) -> views.RoomView:
    user = signed_in_user(request)
    grant = services.extra_time_grant(actor=user, sitting_id=sitting_id, minutes=payload.minutes,
                                      reason=payload.reason)
    return views.room_view(access.access_room_for_invigilation(user, grant.sitting.room_id))


@router.put("/exam/parts/{part_id}/policy", response={200: PolicyIn, **errors(404)},
            summary="理论考试计时规则 The theory part's timing policy")
def policy_set(request: HttpRequest, part_id: RowId, payload: PolicyIn) -> PolicyIn:
    services.exam_policy_set(actor=signed_in_user(request), part_id=part_id, data=services.PolicyData(
        **payload.model_dump()))
    return payload


@router.post("/exam/question-versions/{version_id}/regrade", response={201: views.RegradeView, **errors(404, 409)},
             summary="试题更正后重新评分 Regrade after a correction")
def regrade(request: HttpRequest, version_id: RowId, payload: RegradeIn) -> tuple[int, views.RegradeView]:
    run = services.question_regrade(actor=signed_in_user(request), options=services.RegradeOptions(
        version_id, payload.reason, payload.void))
    return 201, views.regrade_view(run)
