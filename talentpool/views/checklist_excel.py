"""The checklists' Excel pages (issue 14 item 5): download the template laid out like the official form, upload a
filled workbook for one's own unit (a refused file lists every bad cell by sheet, row and column; nothing saved),
export a checklist in the same layout."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.auth import signed_in_user
from certification.excel.sheets import content_disposition
from core.errors import ImportFailed, NotFound, RowError
from talentpool import access
from talentpool.checklist_tasks import checklist_import_submit
from talentpool.excel import checklists as excel
from talentpool.selectors import checklists as selectors
from tasks.models import TaskProgress


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=excel.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(filename)
    return response


def _page(request: HttpRequest, kind: str, failed: ImportFailed | None = None, status: int = 200) -> HttpResponse:
    user = signed_in_user(request)
    units = list(access.demand_units(user) if kind == "demand" else access.supply_units(user))
    return render(request, "talentpool/checklists/excel.html", {
        "kind": kind, "units": units, "failed": failed, "error_rows": failed.rows() if failed is not None else [],
    }, status=status)


@login_required
@require_GET
def demand_excel(request: HttpRequest) -> HttpResponse:
    return _page(request, "demand")


@login_required
@require_GET
def supply_excel(request: HttpRequest) -> HttpResponse:
    return _page(request, "supply")


@login_required
@require_GET
def demand_template(request: HttpRequest) -> HttpResponse:
    return _xlsx(excel.demand_template(selectors.chain_names()), "企业需求清单模板.xlsx")


@login_required
@require_GET
def supply_template(request: HttpRequest) -> HttpResponse:
    return _xlsx(excel.supply_template(selectors.chain_names()), "院校供给清单模板.xlsx")


def _upload(request: HttpRequest, sheet: str) -> bytes:
    upload = request.FILES.get("file")
    if upload is None:
        raise ImportFailed([RowError(sheet, 0, "", "excel.unreadable")])
    if upload.size is not None and upload.size > excel.MAX_FILE_BYTES:
        limit = {"max": excel.MAX_FILE_BYTES // 2**20}
        raise ImportFailed([RowError(sheet, 0, "", "excel.checklist_too_large", limit)])
    return bytes(upload.read())


def _name(request: HttpRequest) -> str:
    upload = request.FILES.get("file")
    return (upload.name or "") if upload is not None else ""


def _unit_id(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("unit", ""))
    except ValueError:
        raise NotFound() from None


@login_required
@require_POST
def demand_import(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    unit = access.access_enterprise_for_demand(user, _unit_id(request))  # 404/403 before the file is read
    try:
        checklist = checklist_import_submit(actor=user, kind="demand", unit=unit,
                                            data=_upload(request, excel.DEMAND.title), filename=_name(request))
    except ImportFailed as exc:
        return _page(request, "demand", failed=exc, status=422)
    if isinstance(checklist, TaskProgress):
        return redirect("task_detail", task_id=checklist.pk)
    messages.success(request, _("需求清单已导入。"))
    return redirect("talentpool:demand_checklist", checklist_id=checklist.pk)


@login_required
@require_POST
def supply_import(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    unit = access.access_college_for_supply(user, _unit_id(request))
    try:
        checklist = checklist_import_submit(actor=user, kind="supply", unit=unit,
                                            data=_upload(request, excel.SUPPLY.title), filename=_name(request))
    except ImportFailed as exc:
        return _page(request, "supply", failed=exc, status=422)
    if isinstance(checklist, TaskProgress):
        return redirect("task_detail", task_id=checklist.pk)
    messages.success(request, _("供给清单已导入。"))
    return redirect("talentpool:supply_checklist", checklist_id=checklist.pk)


@login_required
@require_GET
def demand_export(request: HttpRequest, checklist_id: int) -> HttpResponse:
    checklist = access.access_demand_checklist(signed_in_user(request), checklist_id)
    data = excel.demand_workbook(checklist.year, selectors.demand_form(checklist), selectors.chain_names())
    return _xlsx(data, f"企业需求清单-{checklist.enterprise_name}-{checklist.year}.xlsx")


@login_required
@require_GET
def supply_export(request: HttpRequest, checklist_id: int) -> HttpResponse:
    checklist = access.access_supply_checklist(signed_in_user(request), checklist_id)
    data = excel.supply_workbook(checklist.year, selectors.supply_form(checklist), selectors.chain_names())
    return _xlsx(data, f"院校供给清单-{checklist.college_name}-{checklist.year}.xlsx")
