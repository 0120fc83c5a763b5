"""Practical assessment and comprehensive review (issue 12 item 8): a part's scoring sheet (read by the body and
the assessors on duty, set by the body's staff until the first score), the assessor's tablet, a score (with its
idempotency key: a retry after a lost reply is harmless), the chief assessor's flags, confirmations and re-score
requests. Thin endpoints over certification.access, .services.practical and .selectors.practical."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from ninja import Field, File, Router, Schema, Status, UploadedFile
from pydantic import StringConstraints

from accounts.auth import signed_in_user
from certification import access
from certification.api.schemas import Text
from certification.excel import tables
from certification.excel.sheets import XLSX_CONTENT_TYPE
from certification.selectors import practical as views
from certification.services import practical as services
from core.errors import ImportFailed, NotFound, RowError
from core.schemas import RowId, errors

router = Router()

ScoredPart = Literal["practical", "review"]
ItemCode = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=30,
                                            pattern=r"^[^\x00]*$")]
Points = Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2)]


class SheetItemIn(Schema):
    code: ItemCode
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    max_points: Points
    tolerance: Points | None = Field(None, description="误差允许范围（分）；空则按评分表的默认比例")


class SheetIn(Schema):
    items: list[SheetItemIn] = Field(min_length=1, max_length=100)
    tolerance_share: Annotated[Decimal, Field(ge=0, le=1, max_digits=4, decimal_places=3)] = Decimal("0.2")
    aggregation: Literal["", "mean", "trimmed_mean", "median"] = ""


class ScoreIn(Schema):
    part: ScoredPart = "practical"
    item_code: ItemCode
    value: Points
    idempotency_key: UUID
    reason: Text = Field("", description="修改已录入的评分时必填")


class DecisionIn(Schema):
    part: ScoredPart = "practical"
    item_code: ItemCode
    reason: Text


@router.get("/parts/{part_id}/sheet", response={200: views.SheetView, **errors(404)},
            summary="评分表 A part's scoring sheet (for the body's staff)")
def sheet_get(request: HttpRequest, part_id: RowId) -> views.SheetView:
    user = signed_in_user(request)
    part = access.access_batch_part_results(user, part_id)
    sheet = views.part_sheet(part)
    if sheet is None:
        raise NotFound()
    return views.sheet_view(sheet)


@router.put("/parts/{part_id}/sheet", response={200: views.SheetView, **errors(404, 409)},
            summary="设置评分表（首次评分前） Set a part's scoring sheet")
def sheet_put(request: HttpRequest, part_id: RowId, payload: SheetIn) -> views.SheetView:
    user = signed_in_user(request)
    sheet = services.sheet_set(actor=user, part_id=part_id, data=services.SheetIn(
        [services.SheetItemIn(i.code, i.title, i.max_points, i.tolerance) for i in payload.items],
        payload.tolerance_share, payload.aggregation))
    return views.sheet_view(sheet)


@router.get("/parts/{part_id}/tablet", response={200: views.TabletView, **errors(404)},
            summary="考评员评分页：本人负责的考生及评分 The assessor's tablet")
def tablet(request: HttpRequest, part_id: RowId) -> views.TabletView:
    user = signed_in_user(request)
    part, _duty = access.access_assessor_part(user, part_id)
    return views.tablet(user, part)


@router.post("/registrations/{registration_id}/scores", response={200: services.ScoreView, **errors(404, 409)},
             summary="录入或修改一项评分 Record a score")
def score_record(request: HttpRequest, registration_id: RowId, payload: ScoreIn) -> services.ScoreView:
    user = signed_in_user(request)
    return services.score_record(assessor=user, registration_id=registration_id, part_kind=payload.part,
                                 item_code=payload.item_code, value=payload.value,
                                 idempotency_key=payload.idempotency_key, reason=payload.reason)


@router.get("/batches/{batch_id}/flags", response={200: list[views.FlagView], **errors(404)},
            summary="考评组长：超出误差的评分项 The chief assessor's flags")
def flags(request: HttpRequest, batch_id: RowId) -> list[views.FlagView]:
    user = signed_in_user(request)
    batch = access.access_batch_for_chief(user, batch_id)
    return views.batch_flags(batch.pk)


@router.post("/registrations/{registration_id}/flags/confirm",
             response={201: list[views.FlagView], **errors(404, 409)},
             summary="考评组长确认评分（须填理由） Confirm a flag")
def flag_confirm(request: HttpRequest, registration_id: RowId, payload: DecisionIn) -> Status[list[views.FlagView]]:
    user = signed_in_user(request)
    decision = services.flag_confirm(chief=user, registration_id=registration_id, part_kind=payload.part,
                                     item_code=payload.item_code, reason=payload.reason)
    return Status(201, views.batch_flags(decision.registration.batch_id))


@router.post("/registrations/{registration_id}/flags/rescore",
             response={201: list[views.FlagView], **errors(404, 409)},
             summary="考评组长要求重新评分 Ask for a re-score")
def flag_rescore(request: HttpRequest, registration_id: RowId, payload: DecisionIn) -> Status[list[views.FlagView]]:
    user = signed_in_user(request)
    decision = services.rescore_request(chief=user, registration_id=registration_id, part_kind=payload.part,
                                        item_code=payload.item_code, reason=payload.reason)
    return Status(201, views.batch_flags(decision.registration.batch_id))


# --- the scoring sheet's Excel (certification.excel.tables) ---------------------------------------------------------

@router.get("/parts/{part_id}/sheet/template.xlsx", response={200: None, **errors(404)},
            summary="评分表 Excel 模板 The scoring sheet's Excel template")
def sheet_template(request: HttpRequest, part_id: RowId) -> HttpResponse:
    access.access_batch_part_results(signed_in_user(request), part_id)
    return HttpResponse(tables.scoring_sheet_template(), content_type=XLSX_CONTENT_TYPE)


@router.get("/parts/{part_id}/sheet.xlsx", response={200: None, **errors(404)},
            summary="导出评分表（Excel） Export the scoring sheet as Excel")
def sheet_export(request: HttpRequest, part_id: RowId) -> HttpResponse:
    part = access.access_batch_part_results(signed_in_user(request), part_id)
    sheet = views.part_sheet(part)
    if sheet is None:
        raise NotFound()
    return HttpResponse(tables.write_scoring_sheet(views.domain_sheet(sheet).items), content_type=XLSX_CONTENT_TYPE)


@router.post("/parts/{part_id}/sheet/import", response={200: views.SheetView, **errors(404, 409)},
             summary="从 Excel 导入评分项（整体替换，首次评分前；任何一处有误都不保存） Import the sheet's items")
def sheet_import(request: HttpRequest, part_id: RowId, file: File[UploadedFile]) -> views.SheetView:
    user = signed_in_user(request)
    part = access.access_batch_part_results(user, part_id)
    access.access_batch_results(user, part.batch_id, manage=True)  # before the file is read
    if file.size is not None and file.size > tables.MAX_FILE_BYTES:
        raise ImportFailed([RowError("", 0, "", "bank.too_large", {"max": tables.MAX_FILE_BYTES // 2**20})])
    items = tables.read_scoring_sheet(bytes(file.read()))
    current = views.part_sheet(part)  # its tolerance share and aggregation are kept (excel.tables)
    sheet = services.sheet_set(actor=user, part_id=part.pk, data=services.SheetIn(
        [services.SheetItemIn(i.code, i.title, i.max_points, i.tolerance) for i in items],
        *((current.tolerance_share, current.aggregation) if current is not None else ())))
    return views.sheet_view(sheet)
