"""Results of a batch (issue 12 item 9): the body's view with every candidate's parts, outcome and reasons and
what a move still waits for; part results the body records (theory score for now, absences); the review period
and publication; a candidate's own result; objections and their answers; the upward report as Excel. Thin
endpoints over certification.access, .services.results and .selectors.results."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status

from accounts.auth import signed_in_user
from certification import access
from certification.api.schemas import Text
from certification.excel.results import results_export
from certification.selectors import results as views
from certification.services import results as services
from core.schemas import RowId, errors

router = Router()

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PartResultIn(Schema):
    part: Literal["theory", "practical", "review"]
    score: Annotated[Decimal, Field(ge=0, le=100, max_digits=4, decimal_places=1)] | None = Field(
        None, description="理论成绩（操作技能考核与综合评审的成绩来自评分，这里只能登记缺考）")
    absent: bool = False
    reason: Text = Field("", description="修改已登记的成绩或缺考时必填")


class ObjectionIn(Schema):
    text: Annotated[str, Field(min_length=1, max_length=2000)]


class AnswerIn(Schema):
    answer: Annotated[str, Field(min_length=1, max_length=2000)]
    upheld: bool = Field(description="异议成立：成绩退回“已评定”，更正后重新公示")


@router.get("/batches/{batch_id}/results", response={200: views.BatchResultsView, **errors(404)},
            summary="批次成绩（每名考生各科目、是否合格及原因） A batch's results")
def batch_results(request: HttpRequest, batch_id: RowId) -> views.BatchResultsView:
    user = signed_in_user(request)
    return views.batch_results(user, access.access_batch_results(user, batch_id))


@router.post("/registrations/{registration_id}/part-results",
             response={200: views.BatchResultsView, **errors(404, 409)},
             summary="登记理论成绩或缺考 Record a theory score or an absence")
def part_result_record(request: HttpRequest, registration_id: RowId,
                       payload: PartResultIn) -> views.BatchResultsView:
    user = signed_in_user(request)
    result = services.part_result_record(actor=user, registration_id=registration_id, data=services.PartResultIn(
        payload.part, payload.score, payload.absent, payload.reason))
    return views.batch_results(user, result.registration.batch)


@router.post("/batches/{batch_id}/results/review", response={200: views.BatchResultsView, **errors(404, 409)},
             summary="开始公示 Start the review period")
def review_start(request: HttpRequest, batch_id: RowId) -> views.BatchResultsView:
    user = signed_in_user(request)
    row = services.results_review_start(actor=user, batch_id=batch_id)
    return views.batch_results(user, row.batch)


@router.post("/batches/{batch_id}/results/publish", response={200: views.BatchResultsView, **errors(404, 409)},
             summary="公布成绩（公示期满且异议均已答复） Publish")
def publish(request: HttpRequest, batch_id: RowId) -> views.BatchResultsView:
    user = signed_in_user(request)
    row = services.results_publish(actor=user, batch_id=batch_id)
    return views.batch_results(user, row.batch)


@router.get("/batches/{batch_id}/results.xlsx", response={200: None, **errors(404)},
            summary="导出认定成绩（上报格式） Export the results as reported upward")
def export(request: HttpRequest, batch_id: RowId) -> HttpResponse:
    user = signed_in_user(request)
    batch = access.access_batch_results(user, batch_id)
    response = HttpResponse(results_export(viewer=user, batch=batch), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="results-{batch.code}.xlsx"'
    return response


@router.get("/registrations/{registration_id}/result", response={200: views.MyResultView, **errors(404)},
            summary="考生本人的成绩 A candidate's result")
def my_result(request: HttpRequest, registration_id: RowId) -> views.MyResultView:
    user = signed_in_user(request)
    return views.my_result(user, access.access_registration(user, registration_id))


@router.post("/registrations/{registration_id}/objections", response={201: views.MyResultView, **errors(404, 409)},
             summary="公示期内提出异议 File an objection")
def objection_file(request: HttpRequest, registration_id: RowId, payload: ObjectionIn) -> Status[views.MyResultView]:
    user = signed_in_user(request)
    objection = services.objection_file(actor=user, registration_id=registration_id, text=payload.text)
    return Status(201, views.my_result(user, objection.registration))


@router.post("/objections/{objection_id}/answer", response={200: views.BatchResultsView, **errors(404, 409)},
             summary="答复异议 Answer an objection")
def objection_answer(request: HttpRequest, objection_id: RowId, payload: AnswerIn) -> views.BatchResultsView:
    user = signed_in_user(request)
    objection = services.objection_answer(actor=user, objection_id=objection_id, answer=payload.answer,
                                          upheld=payload.upheld)
    return views.batch_results(user, objection.registration.batch)
