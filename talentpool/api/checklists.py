"""The checklists' API (issue 14 items 3–5): list and read the demand and supply checklists a caller may see,
file one for one's unit (POST for a year: create or replace) or replace one (PUT), submit it (报送), the Excel
template, import (an upload answering the checklist, the task id of a large file, or every bad cell) and export.
The body is the domain's form itself (talentpool.domain.checklists): every problem is a 422 naming its field
path (`posts[2].headcount`).

The demand and supply endpoints stand side by side, one typed function each, on purpose: each is three lines over
its own access check, service and schema, and the OpenAPI document names each body and response type; a factory
generating both would hide those types from the schema for a saving of a few lines. What the two share (filters,
upload limit, workbook response) is factored below."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, File, Query, Router, Schema, Status, UploadedFile
from pydantic import StringConstraints

from accounts.auth import signed_in_user
from certification.excel.sheets import content_disposition
from core.errors import ImportFailed, RowError
from core.schemas import RowId, errors
from talentpool import access
from talentpool.checklist_tasks import checklist_import_submit
from talentpool.domain import checklists as d
from talentpool.excel import checklists as excel
from talentpool.models import ChecklistStatus, DemandChecklist, SupplyChecklist
from talentpool.permissions import Action
from talentpool.selectors import checklists as selectors
from talentpool.services import checklists as services
from tasks.models import TaskProgress
from tasks.progress import TaskStarted, task_started

router = Router(tags=["talentpool-checklists"])

Reason = Annotated[str, StringConstraints(max_length=500, pattern=r"^[^\x00]*$")]
Filter = Annotated[str, StringConstraints(max_length=40, pattern=r"^[A-Za-z0-9_-]*$")]
XLSX_RESPONSE = {"responses": {200: {"description": "Excel 工作簿 (.xlsx)", "content": {
    excel.XLSX_CONTENT_TYPE: {"schema": {"type": "string", "format": "binary"}}}}}}


class ListFilters(Schema):
    chain: Filter = Field("", description="产业链代码")
    city: Filter = Field("", description="城市（jinan、qingdao …）")
    status: Filter = Field("", description="draft 草稿 / submitted 已报送")
    year: int | None = Field(None, ge=2000, le=2100)


class DemandIn(Schema):
    year: int = Field(ge=0, le=32767, description="填报年度")
    form: d.DemandForm
    reason: Reason = ""


class DemandReplaceIn(Schema):
    form: d.DemandForm
    reason: Reason = ""


class SupplyIn(Schema):
    year: int = Field(ge=0, le=32767, description="填报年度")
    form: d.SupplyForm
    reason: Reason = ""


class SupplyReplaceIn(Schema):
    form: d.SupplyForm
    reason: Reason = ""


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=excel.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(filename)
    return response


def _filters(filters: ListFilters) -> dict[str, object]:
    return {"chain": filters.chain, "city": filters.city, "year": filters.year,
            "status": filters.status if filters.status in ChecklistStatus.values else ""}


def _upload(file: UploadedFile, sheet: str) -> bytes:
    if file.size is not None and file.size > excel.MAX_FILE_BYTES:
        raise ImportFailed([RowError(sheet, 0, "", "excel.checklist_too_large",
                                     {"max": excel.MAX_FILE_BYTES // 2**20})])
    return bytes(file.read())


# Demand checklists.

@router.get("/demand-checklists", response={200: list[selectors.ChecklistRow], **errors()},
            summary="企业需求清单列表 Demand checklists the caller may read")
def demand_list(request: HttpRequest, filters: Query[ListFilters]) -> list[selectors.ChecklistRow]:
    return selectors.demand_checklist_list(signed_in_user(request), **_filters(filters))  # type: ignore[arg-type]


@router.get("/demand-checklist-template", response={200: None, **errors()}, openapi_extra=XLSX_RESPONSE,
            summary="企业需求清单 Excel 模板 The demand checklist's template")
def demand_template(request: HttpRequest) -> HttpResponse:
    signed_in_user(request)
    return _xlsx(excel.demand_template(selectors.chain_names()), "企业需求清单模板.xlsx")


@router.get("/demand-checklists/{checklist_id}", response={200: selectors.DemandChecklistDetail, **errors(404)},
            summary="一份企业需求清单 One demand checklist")
def demand_get(request: HttpRequest, checklist_id: RowId) -> selectors.DemandChecklistDetail:
    return selectors.demand_detail(access.access_demand_checklist(signed_in_user(request), checklist_id))


@router.put("/demand-checklists/{checklist_id}", response={200: selectors.DemandChecklistDetail, **errors(404)},
            summary="替换企业需求清单的全部内容 Replace a demand checklist")
def demand_put(request: HttpRequest, checklist_id: RowId, body: DemandReplaceIn) -> selectors.DemandChecklistDetail:
    user = signed_in_user(request)
    checklist = access.access_demand_checklist(user, checklist_id, Action.DEMAND_MANAGE)
    saved = services.demand_checklist_save(actor=user, enterprise=checklist.enterprise, year=checklist.year,
                                           form=body.form, reason=body.reason)
    return selectors.demand_detail(saved)


@router.post("/enterprises/{unit_id}/demand-checklists",
             response={200: selectors.DemandChecklistDetail, **errors(404)},
             summary="填报企业需求清单（该年度已有则替换） File the enterprise's demand checklist of a year")
def demand_file(request: HttpRequest, unit_id: RowId, body: DemandIn) -> selectors.DemandChecklistDetail:
    user = signed_in_user(request)
    unit = access.access_enterprise_for_demand(user, unit_id)
    saved = services.demand_checklist_save(actor=user, enterprise=unit, year=body.year, form=body.form,
                                           reason=body.reason)
    return selectors.demand_detail(saved)


@router.post("/demand-checklists/{checklist_id}/submit",
             response={200: selectors.DemandChecklistDetail, **errors(404, 409)},
             summary="报送企业需求清单 Submit a demand checklist")
def demand_submit(request: HttpRequest, checklist_id: RowId) -> selectors.DemandChecklistDetail:
    user = signed_in_user(request)
    checklist = access.access_demand_checklist(user, checklist_id, Action.DEMAND_MANAGE)
    return selectors.demand_detail(services.demand_checklist_submit(actor=user, checklist=checklist))


@router.post("/enterprises/{unit_id}/demand-checklists/import",
             response={200: selectors.DemandChecklistDetail, 202: TaskStarted, **errors(404)},
             description="At most `IMPORT_BACKGROUND_ROWS` detail rows (300): imported at once, 200 with the "
                         "checklist; a bigger workbook runs as a background task: 202 with its id and progress URL.",
             summary="导入企业需求清单（任何单元格有误则全部不保存） Import a demand workbook")
def demand_import(request: HttpRequest, unit_id: RowId, file: File[UploadedFile]) -> Any:
    user = signed_in_user(request)
    unit = access.access_enterprise_for_demand(user, unit_id)  # before the file is read
    outcome = checklist_import_submit(actor=user, kind="demand", unit=unit, data=_upload(file, excel.DEMAND.title),
                                      filename=file.name or "")
    if isinstance(outcome, TaskProgress):
        return Status(202, task_started(outcome))
    assert isinstance(outcome, DemandChecklist)  # noqa: S101 - the kind asked for
    return selectors.demand_detail(outcome)


@router.get("/demand-checklists/{checklist_id}/export", response={200: None, **errors(404)},
            openapi_extra=XLSX_RESPONSE, summary="导出企业需求清单 Export a demand checklist")
def demand_export(request: HttpRequest, checklist_id: RowId) -> HttpResponse:
    checklist = access.access_demand_checklist(signed_in_user(request), checklist_id)
    data = excel.demand_workbook(checklist.year, selectors.demand_form(checklist), selectors.chain_names())
    return _xlsx(data, f"企业需求清单-{checklist.enterprise_name}-{checklist.year}.xlsx")


# Supply checklists.

@router.get("/supply-checklists", response={200: list[selectors.ChecklistRow], **errors()},
            summary="院校供给清单列表 Supply checklists the caller may read")
def supply_list(request: HttpRequest, filters: Query[ListFilters]) -> list[selectors.ChecklistRow]:
    return selectors.supply_checklist_list(signed_in_user(request), **_filters(filters))  # type: ignore[arg-type]


@router.get("/supply-checklist-template", response={200: None, **errors()}, openapi_extra=XLSX_RESPONSE,
            summary="院校供给清单 Excel 模板 The supply checklist's template")
def supply_template(request: HttpRequest) -> HttpResponse:
    signed_in_user(request)
    return _xlsx(excel.supply_template(selectors.chain_names()), "院校供给清单模板.xlsx")


@router.get("/supply-checklists/{checklist_id}", response={200: selectors.SupplyChecklistDetail, **errors(404)},
            summary="一份院校供给清单 One supply checklist")
def supply_get(request: HttpRequest, checklist_id: RowId) -> selectors.SupplyChecklistDetail:
    return selectors.supply_detail(access.access_supply_checklist(signed_in_user(request), checklist_id))


@router.put("/supply-checklists/{checklist_id}", response={200: selectors.SupplyChecklistDetail, **errors(404)},
            summary="替换院校供给清单的全部内容 Replace a supply checklist")
def supply_put(request: HttpRequest, checklist_id: RowId, body: SupplyReplaceIn) -> selectors.SupplyChecklistDetail:
    user = signed_in_user(request)
    checklist = access.access_supply_checklist(user, checklist_id, Action.SUPPLY_MANAGE)
    saved = services.supply_checklist_save(actor=user, college=checklist.college, year=checklist.year,
                                           form=body.form, reason=body.reason)
    return selectors.supply_detail(saved)


@router.post("/colleges/{unit_id}/supply-checklists", response={200: selectors.SupplyChecklistDetail, **errors(404)},
             summary="填报院校供给清单（该年度已有则替换） File the college's supply checklist of a year")
def supply_file(request: HttpRequest, unit_id: RowId, body: SupplyIn) -> selectors.SupplyChecklistDetail:
    user = signed_in_user(request)
    unit = access.access_college_for_supply(user, unit_id)
    saved = services.supply_checklist_save(actor=user, college=unit, year=body.year, form=body.form,
                                           reason=body.reason)
    return selectors.supply_detail(saved)


@router.post("/supply-checklists/{checklist_id}/submit",
             response={200: selectors.SupplyChecklistDetail, **errors(404, 409)},
             summary="报送院校供给清单 Submit a supply checklist")
def supply_submit(request: HttpRequest, checklist_id: RowId) -> selectors.SupplyChecklistDetail:
    user = signed_in_user(request)
    checklist = access.access_supply_checklist(user, checklist_id, Action.SUPPLY_MANAGE)
    return selectors.supply_detail(services.supply_checklist_submit(actor=user, checklist=checklist))


@router.post("/colleges/{unit_id}/supply-checklists/import",
             response={200: selectors.SupplyChecklistDetail, 202: TaskStarted, **errors(404)},
             description="At most `IMPORT_BACKGROUND_ROWS` detail rows (300): imported at once, 200 with the "
                         "checklist; a bigger workbook runs as a background task: 202 with its id and progress URL.",
             summary="导入院校供给清单（任何单元格有误则全部不保存） Import a supply workbook")
def supply_import(request: HttpRequest, unit_id: RowId, file: File[UploadedFile]) -> Any:
    user = signed_in_user(request)
    unit = access.access_college_for_supply(user, unit_id)
    outcome = checklist_import_submit(actor=user, kind="supply", unit=unit, data=_upload(file, excel.SUPPLY.title),
                                      filename=file.name or "")
    if isinstance(outcome, TaskProgress):
        return Status(202, task_started(outcome))
    assert isinstance(outcome, SupplyChecklist)  # noqa: S101 - the kind asked for
    return selectors.supply_detail(outcome)


@router.get("/supply-checklists/{checklist_id}/export", response={200: None, **errors(404)},
            openapi_extra=XLSX_RESPONSE, summary="导出院校供给清单 Export a supply checklist")
def supply_export(request: HttpRequest, checklist_id: RowId) -> HttpResponse:
    checklist = access.access_supply_checklist(signed_in_user(request), checklist_id)
    data = excel.supply_workbook(checklist.year, selectors.supply_form(checklist), selectors.chain_names())
    return _xlsx(data, f"院校供给清单-{checklist.college_name}-{checklist.year}.xlsx")
