"""Excel in and out: templates, roster and scheme import and export, official results."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import File, Router, Status, UploadedFile

from accounts.auth import signed_in_user
from competitions import excel as workbooks
from competitions import selectors
from competitions.api.common import XLSX_RESPONSE, xlsx
from competitions.models import Event, Skill
from competitions.selectors import EntryView
from competitions.services import roster_import_check, scheme_import_check
from competitions.tasks import roster_import_submit, scheme_import_submit
from core.errors import NotFound
from core.lookup import get_or_404
from core.schemas import RowId, errors
from tasks.models import TaskProgress
from tasks.progress import TaskStarted, task_started

router = Router()


@router.get("/excel-templates/{kind}", response={200: None, **errors(404)}, openapi_extra=XLSX_RESPONSE,
            summary="Excel 模板（roster 报名表 / scheme 评分标准） Download a template")
def excel_template(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in workbooks.TEMPLATES:
        raise NotFound()
    build, filename = workbooks.TEMPLATES[kind]
    return xlsx(build(), filename)


@router.post("/skills/{skill_id}/roster/import", response={201: list[EntryView], 202: TaskStarted, **errors(404, 409)},
             summary="Excel 导入报名表（全部成功或全部不保存；大文件在后台导入） Import a roster",
             description="At most `IMPORT_BACKGROUND_ROWS` rows (300): imported at once, 201 with the entries. "
                         "More: queued, 202 with the task to follow at `api_url` (its result: a summary, or "
                         "the error shape with every bad cell); nothing is saved unless every row is good.")
def roster_import(request: HttpRequest, skill_id: RowId,
                  file: File[UploadedFile]) -> Status[list[EntryView]] | Status[TaskStarted]:
    skill = get_or_404(Skill.objects.select_related("event"), pk=skill_id)
    # Rights, then the event's stage, before the file is even read (issue 9 item 15); the import asks again.
    roster_import_check(actor=signed_in_user(request), skill=skill)
    data = workbooks.read_upload(file, workbooks.ROSTER)
    outcome = roster_import_submit(actor=signed_in_user(request), skill=skill, data=data, filename=file.name or "")
    if isinstance(outcome, TaskProgress):
        return Status(202, task_started(outcome))
    return Status(201, selectors.entry_views(outcome))


@router.get("/skills/{skill_id}/roster/export", response={200: None, **errors(404)}, openapi_extra=XLSX_RESPONSE,
            summary="Excel 导出报名表 Export the roster")
def roster_export(request: HttpRequest, skill_id: RowId) -> HttpResponse:
    skill = get_or_404(Skill, pk=skill_id)
    return xlsx(workbooks.roster_export(viewer=signed_in_user(request), skill=skill), f"{skill.name}报名表.xlsx")


@router.post("/skills/{skill_id}/scheme/import", response={200: selectors.SchemeView, 202: TaskStarted,
                                                          **errors(404, 409)},
             summary="Excel 导入评分标准（评分开始后锁定；大文件在后台导入） Import a scheme",
             description="Up to `IMPORT_BACKGROUND_ROWS` aspects: 200 with the scheme; more: 202 with the task.")
def scheme_import(request: HttpRequest, skill_id: RowId,
                  file: File[UploadedFile]) -> selectors.SchemeView | Status[TaskStarted]:
    skill = get_or_404(Skill.objects.select_related("event"), pk=skill_id)
    scheme_import_check(actor=signed_in_user(request), skill=skill)  # rights and a frozen scheme, before the file
    data = workbooks.read_upload(file, workbooks.SCHEME)
    outcome = scheme_import_submit(actor=signed_in_user(request), skill=skill, data=data, filename=file.name or "")
    if isinstance(outcome, TaskProgress):
        return Status(202, task_started(outcome))
    return selectors.scheme_of(skill)


@router.get("/skills/{skill_id}/scheme/export", response={200: None, **errors(404)}, openapi_extra=XLSX_RESPONSE,
            summary="Excel 导出评分标准 Export the scheme")
def scheme_export(request: HttpRequest, skill_id: RowId) -> HttpResponse:
    skill = get_or_404(Skill, pk=skill_id)
    return xlsx(workbooks.scheme_export(viewer=signed_in_user(request), skill=skill), f"{skill.name}评分标准.xlsx")


@router.get("/skills/{skill_id}/results/export", response={200: None, **errors(404, 409)},
            openapi_extra=XLSX_RESPONSE, summary="Excel 导出赛项正式成绩 Export a skill's official results")
def skill_results_export(request: HttpRequest, skill_id: RowId) -> HttpResponse:
    skill = get_or_404(Skill.objects.select_related("event"), pk=skill_id)
    data = workbooks.results_export(viewer=signed_in_user(request), event=skill.event, skill=skill)
    return xlsx(data, f"{skill.name}正式成绩.xlsx")


@router.get("/events/{event_id}/results/export", response={200: None, **errors(404, 409)},
            openapi_extra=XLSX_RESPONSE, summary="Excel 导出竞赛正式成绩 Export an event's official results")
def event_results_export(request: HttpRequest, event_id: RowId) -> HttpResponse:
    event = get_or_404(Event, pk=event_id)
    return xlsx(workbooks.results_export(viewer=signed_in_user(request), event=event), f"{event.name}正式成绩.xlsx")
