"""Excel in and out: templates, roster and scheme import and export, official results."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import File, Router, Status, UploadedFile

from accounts.auth import signed_in_user
from competitions import excel as workbooks
from competitions import selectors, services
from competitions.api.common import XLSX_RESPONSE, xlsx
from competitions.models import Event, Skill
from competitions.selectors import EntryView
from core.errors import NotFound
from core.lookup import get_or_404
from core.schemas import errors

router = Router()


@router.get("/excel-templates/{kind}", response={200: None, **errors(404)}, openapi_extra=XLSX_RESPONSE,
            summary="Excel 模板（roster 报名表 / scheme 评分标准） Download a template")
def excel_template(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in workbooks.TEMPLATES:
        raise NotFound()
    build, filename = workbooks.TEMPLATES[kind]
    return xlsx(build(), filename)


@router.post("/skills/{skill_id}/roster/import", response={201: list[EntryView], **errors(404, 409)},
             summary="Excel 导入报名表（全部成功或全部不保存） Import a roster")
def roster_import(request: HttpRequest, skill_id: int, file: File[UploadedFile]) -> Status[list[EntryView]]:
    skill = get_or_404(Skill, pk=skill_id)
    data = workbooks.read_upload(file, workbooks.ROSTER)
    entries = services.roster_import(actor=signed_in_user(request), skill=skill, data=data)
    return Status(201, selectors.entry_views(entries))


@router.get("/skills/{skill_id}/roster/export", response={200: None, **errors(404)}, openapi_extra=XLSX_RESPONSE,
            summary="Excel 导出报名表 Export the roster")
def roster_export(request: HttpRequest, skill_id: int) -> HttpResponse:
    skill = get_or_404(Skill, pk=skill_id)
    return xlsx(workbooks.roster_export(viewer=signed_in_user(request), skill=skill), f"{skill.name}报名表.xlsx")


@router.post("/skills/{skill_id}/scheme/import", response={200: selectors.SchemeView, **errors(404, 409)},
             summary="Excel 导入评分标准（评分开始后锁定） Import a scheme")
def scheme_import(request: HttpRequest, skill_id: int, file: File[UploadedFile]) -> selectors.SchemeView:
    skill = get_or_404(Skill, pk=skill_id)
    data = workbooks.read_upload(file, workbooks.SCHEME)
    services.scheme_import(actor=signed_in_user(request), skill=skill, data=data)
    return selectors.scheme_of(skill)


@router.get("/skills/{skill_id}/scheme/export", response={200: None, **errors(404)}, openapi_extra=XLSX_RESPONSE,
            summary="Excel 导出评分标准 Export the scheme")
def scheme_export(request: HttpRequest, skill_id: int) -> HttpResponse:
    skill = get_or_404(Skill, pk=skill_id)
    return xlsx(workbooks.scheme_export(viewer=signed_in_user(request), skill=skill), f"{skill.name}评分标准.xlsx")


@router.get("/skills/{skill_id}/results/export", response={200: None, **errors(404, 409)},
            openapi_extra=XLSX_RESPONSE, summary="Excel 导出赛项正式成绩 Export a skill's official results")
def skill_results_export(request: HttpRequest, skill_id: int) -> HttpResponse:
    skill = get_or_404(Skill.objects.select_related("event"), pk=skill_id)
    data = workbooks.results_export(viewer=signed_in_user(request), event=skill.event, skill=skill)
    return xlsx(data, f"{skill.name}正式成绩.xlsx")


@router.get("/events/{event_id}/results/export", response={200: None, **errors(404, 409)},
            openapi_extra=XLSX_RESPONSE, summary="Excel 导出竞赛正式成绩 Export an event's official results")
def event_results_export(request: HttpRequest, event_id: int) -> HttpResponse:
    event = get_or_404(Event, pk=event_id)
    return xlsx(workbooks.results_export(viewer=signed_in_user(request), event=event), f"{event.name}正式成绩.xlsx")
