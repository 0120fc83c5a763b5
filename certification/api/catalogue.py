"""The catalogue: list and search, an occupation, create and edit (the admin), its eligibility rules, the ladder,
and Excel (template, import, export)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import File, Router, Status, UploadedFile

from accounts.auth import signed_in_user
from certification import access, selectors, services
from certification.api.schemas import OccupationIn, OccupationUpdateIn, RuleIn, SearchText
from certification.domain import eligibility
from certification.domain.ladder import SkillLevel
from certification.excel.exports import catalogue_export
from certification.excel.sheets import (
    CATALOGUE,
    MAX_FILE_BYTES,
    XLSX_CONTENT_TYPE,
    catalogue_template,
    content_disposition,
)
from core.errors import FieldError, ImportFailed, RowError, RuleBroken, ValidationFailed
from core.schemas import RowId, errors

router = Router()

XLSX_RESPONSE = {"responses": {200: {"description": "Excel 工作簿 (.xlsx)", "content": {
    XLSX_CONTENT_TYPE: {"schema": {"type": "string", "format": "binary"}}}}}}


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(filename)
    return response


@router.get("/occupations", response={200: selectors.OccupationPage, **errors()},
            summary="职业目录（按编码前缀或名称搜索） List the catalogue")
def occupation_list(request: HttpRequest, q: SearchText = "", page: int = 1) -> selectors.OccupationPage:
    access.require_catalogue_view(signed_in_user(request))
    return selectors.occupation_page(query=q[:100], page=max(1, min(page, 10**6)))


@router.get("/occupations/{occupation_id}", response={200: selectors.OccupationDetail, **errors(404)},
            summary="职业：等级与申报条件 An occupation")
def occupation_get(request: HttpRequest, occupation_id: RowId) -> selectors.OccupationDetail:
    return selectors.occupation_detail(access.access_occupation(signed_in_user(request), occupation_id))


@router.post("/occupations", response={201: selectors.OccupationDetail, **errors()},
             summary="添加职业（平台管理员） Add an occupation")
def occupation_create(request: HttpRequest, payload: OccupationIn) -> Status[selectors.OccupationDetail]:
    occupation = services.occupation_create(actor=signed_in_user(request), data=services.OccupationData(
        code=payload.code, name=payload.name, levels=tuple(SkillLevel(v) for v in payload.levels),
        description=payload.description))
    return Status(201, selectors.occupation_detail(occupation))


@router.put("/occupations/{occupation_id}", response={200: selectors.OccupationDetail, **errors(404)},
            summary="修改职业（平台管理员） Edit an occupation")
def occupation_update(request: HttpRequest, occupation_id: RowId,
                      payload: OccupationUpdateIn) -> selectors.OccupationDetail:
    occupation = services.occupation_update(actor=signed_in_user(request), occupation_id=occupation_id,
                                            data=services.OccupationData(
                                                code="", name=payload.name,
                                                levels=tuple(SkillLevel(v) for v in payload.levels),
                                                description=payload.description))
    return selectors.occupation_detail(occupation)


@router.put("/occupations/{occupation_id}/levels/{level}/rule",
            response={200: selectors.OccupationDetail, **errors(404)},
            summary="设置申报条件（平台管理员） Set a level's eligibility rule")
def occupation_rule_set(request: HttpRequest, occupation_id: RowId, level: int,
                        payload: RuleIn) -> selectors.OccupationDetail:
    if not 1 <= level <= 5:
        raise ValidationFailed([FieldError("level", "field.invalid")])
    data = [[c.model_dump(exclude_none=True, mode="json") for c in path] for path in payload.paths]
    for path in data:
        for condition in path:
            if not condition.get("schools"):
                condition.pop("schools", None)
    try:
        rule = eligibility.rule_from_data(SkillLevel(level), data)
    except RuleBroken as exc:
        raise ValidationFailed([FieldError("paths", exc.code, exc.params)]) from None
    actor = signed_in_user(request)
    services.occupation_rule_set(actor=actor, occupation_id=occupation_id, level=SkillLevel(level), rule=rule)
    return selectors.occupation_detail(access.access_occupation(actor, occupation_id))


@router.get("/ladder", response={200: list[selectors.RungView], **errors()}, summary="新八级工等级 The ladder")
def ladder(request: HttpRequest) -> list[selectors.RungView]:
    access.require_catalogue_view(signed_in_user(request))
    return selectors.ladder()


@router.get("/catalogue/template", response={200: None, **errors()}, openapi_extra=XLSX_RESPONSE,
            summary="职业目录 Excel 模板 Download the template")
def catalogue_template_download(request: HttpRequest) -> HttpResponse:
    access.require_catalogue_view(signed_in_user(request))
    return _xlsx(catalogue_template(), "职业目录模板.xlsx")


@router.get("/catalogue/export", response={200: None, **errors()}, openapi_extra=XLSX_RESPONSE,
            summary="导出职业目录 Export the catalogue")
def catalogue_export_download(request: HttpRequest) -> HttpResponse:
    return _xlsx(catalogue_export(viewer=signed_in_user(request)), "职业目录.xlsx")


@router.post("/catalogue/import", response={200: services.ImportSummary, **errors()},
             summary="导入职业目录（全部成功或全部不保存；重复导入不变） Import the catalogue")
def catalogue_import(request: HttpRequest, file: File[UploadedFile]) -> services.ImportSummary:
    actor = signed_in_user(request)
    access.require_catalogue_manage(actor)  # before the file is read
    if file.size is not None and file.size > MAX_FILE_BYTES:
        raise ImportFailed([RowError(CATALOGUE.name, 0, "", "catalogue.too_large", {"max": MAX_FILE_BYTES // 2**20})])
    return services.catalogue_import(actor=actor, data=bytes(file.read()))
