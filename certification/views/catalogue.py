"""The catalogue's pages (issue 12 item 1): the list with search by code or name and the 新八级工 ladder, an
occupation's detail with its levels and eligibility rules, and the Excel page (template, import, export; a refused
file lists every bad cell by sheet, row and column). Rights from certification.access, as the API asks them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.auth import signed_in_user
from accounts.permissions import can
from certification import access, selectors, services
from certification.excel.exports import catalogue_export
from certification.excel.sheets import (
    CATALOGUE,
    MAX_FILE_BYTES,
    XLSX_CONTENT_TYPE,
    catalogue_template,
    content_disposition,
)
from certification.permissions import Action
from core.errors import ImportFailed, RowError


@login_required
@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    access.require_catalogue_view(user)
    found = selectors.occupation_page(query=request.GET.get("q", ""), page=request.GET.get("page", 1))
    return render(request, "certification/catalogue.html", {
        "found": found, "ladder": selectors.ladder(), "may_manage": can(user, Action.CATALOGUE_MANAGE),
    })


@login_required
@require_GET
def occupation(request: HttpRequest, occupation_id: int) -> HttpResponse:
    found = access.access_occupation(signed_in_user(request), occupation_id)
    return render(request, "certification/occupation.html", {"detail": selectors.occupation_detail(found)})


def _excel_page(request: HttpRequest, failed: ImportFailed | None = None, status: int = 200) -> HttpResponse:
    return render(request, "certification/catalogue_excel.html", {
        "failed": failed, "error_rows": failed.rows() if failed is not None else [],
        "may_manage": can(signed_in_user(request), Action.CATALOGUE_MANAGE),
    }, status=status)


@login_required
@require_GET
def catalogue_excel(request: HttpRequest) -> HttpResponse:
    access.require_catalogue_view(signed_in_user(request))
    return _excel_page(request)


@login_required
@require_POST
def catalogue_import(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    access.require_catalogue_manage(user)  # 403 before the file is read
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请选择要上传的 Excel 文件。"))
        return redirect("certification:catalogue_excel")
    try:
        if upload.size is not None and upload.size > MAX_FILE_BYTES:
            raise ImportFailed([RowError(CATALOGUE.name, 0, "", "catalogue.too_large",
                                         {"max": MAX_FILE_BYTES // 2**20})])
        summary = services.catalogue_import(actor=user, data=bytes(upload.read()))
    except ImportFailed as exc:
        return _excel_page(request, failed=exc, status=422)
    messages.success(request, _("职业目录已导入：新增 %(created)s 个，修改 %(updated)s 个，未变 %(unchanged)s 个。") % {
        "created": len(summary.created), "updated": len(summary.updated), "unchanged": summary.unchanged})
    return redirect("certification:catalogue_excel")


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(filename)
    return response


@login_required
@require_GET
def catalogue_template_download(request: HttpRequest) -> HttpResponse:
    access.require_catalogue_view(signed_in_user(request))
    return _xlsx(catalogue_template(), "职业目录模板.xlsx")


@login_required
@require_GET
def catalogue_export_download(request: HttpRequest) -> HttpResponse:
    return _xlsx(catalogue_export(viewer=signed_in_user(request)), "职业目录.xlsx")
