"""The per-skill "Excel 导入导出" page (issue 4 items 2, 4, 6): templates to download, a roster and a scheme to
upload (a refused file lists every bad cell by sheet, row and column), the roster, scheme and official results to
download. Thin: the services import, `competitions.excel` exports; rights come from accounts.permissions and
competitions.access, asked the same way as the API asks them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.auth import signed_in_user
from accounts.models import User
from accounts.permissions import can, require
from competitions import access
from competitions import excel as workbooks
from competitions.models import MarkingScheme, Skill, Status
from competitions.permissions import Action
from competitions.services import roster_import_check, scheme_import_check
from competitions.tasks import roster_import_submit, scheme_import_submit
from core.errors import Conflict, DomainError, ImportFailed, NotFound, PermissionDenied
from core.excel import Sheet
from core.lookup import get_or_404
from tasks.models import TaskProgress


def _rights(user: User, skill: Skill) -> dict[str, bool]:
    """What the page offers this person; each is checked again by the service or export it leads to."""
    return {
        "roster_import": can(user, Action.ENTRY_SUBMIT) and skill.event.status == Status.REGISTRATION,
        "roster_export": can(user, Action.ENTRY_REVIEW, skill.event) or can(user, Action.ENTRY_VIEW),
        "scheme_import": can(user, Action.SCHEME_MANAGE, skill),
        "scheme_export": access.may_read_scheme(user, skill)
        and MarkingScheme.objects.filter(skill=skill).exists(),
        "results_export": can(user, Action.COMPETITION_JURY_VIEW, skill.event)
        and (skill.decrypted_at is not None or skill.status in (Status.PUBLISHED, Status.ARCHIVED)),
    }


def _page(request: HttpRequest, skill: Skill, *, failed: ImportFailed | None = None, kind: str = "",
          status: int = 200) -> HttpResponse:
    user = signed_in_user(request)
    access.require_skill_visible(user, skill)  # a skill of an event in preparation, for its managers only
    rights = _rights(user, skill)
    if not any(rights.values()) and not can(user, Action.COMPETITION_MANAGE, skill):
        require(user, Action.SCHEME_MANAGE, skill)  # 404 across units, 403 otherwise
    frozen = MarkingScheme.objects.filter(skill=skill, frozen_at__isnull=False).exists()
    return render(request, "competitions/excel.html", {
        "skill": skill, "rights": rights, "frozen": frozen, "failed": failed, "failed_kind": kind, "Status": Status,
        "error_rows": failed.rows() if failed is not None else [],
        "background_rows": settings.IMPORT_BACKGROUND_ROWS,
    }, status=status)


@login_required
@require_GET
def excel(request: HttpRequest, skill_id: int) -> HttpResponse:
    return _page(request, get_or_404(Skill.objects.select_related("event"), pk=skill_id))


def _import(request: HttpRequest, skill_id: int, kind: str, sheet: Sheet, check: Callable[[Skill], None],
            run: Callable[[Skill, bytes], Any], success: Callable[[Any], str]) -> HttpResponse:
    skill = get_or_404(Skill.objects.select_related("event"), pk=skill_id)
    try:
        check(skill)  # rights (404, 403) before the stage is told or the file read, as the API asks them
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:  # registration closed, a frozen scheme
        messages.error(request, exc.message)
        return redirect("competitions:excel", skill_id=skill.pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请选择要上传的 Excel 文件。"))
        return redirect("competitions:excel", skill_id=skill.pk)
    try:
        result = run(skill, workbooks.read_upload(upload, sheet))
        if isinstance(result, TaskProgress):  # a big file: imported in the background, followed on its page
            return redirect("task_detail", task_id=result.pk)
    except ImportFailed as exc:
        # The page itself, not a redirect: the table of bad cells is the answer.
        return _page(request, skill, failed=exc, kind=kind, status=422)
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:  # a frozen scheme, registration closed
        messages.error(request, exc.message)
        return redirect("competitions:excel", skill_id=skill.pk)
    messages.success(request, success(result))
    return redirect("competitions:excel", skill_id=skill.pk)


def _filename(request: HttpRequest) -> str:
    upload = request.FILES.get("file")
    return (upload.name or "") if upload is not None else ""


@login_required
@require_POST
def roster_import(request: HttpRequest, skill_id: int) -> HttpResponse:
    return _import(
        request, skill_id, "roster", workbooks.ROSTER,
        lambda skill: roster_import_check(actor=signed_in_user(request), skill=skill),
        lambda skill, data: roster_import_submit(actor=signed_in_user(request), skill=skill, data=data,
                                                 filename=_filename(request)),
        lambda entries: _("已导入 %(count)s 条报名。") % {"count": len(entries)},
    )


@login_required
@require_POST
def scheme_import(request: HttpRequest, skill_id: int) -> HttpResponse:
    return _import(
        request, skill_id, "scheme", workbooks.SCHEME,
        lambda skill: scheme_import_check(actor=signed_in_user(request), skill=skill),
        lambda skill, data: scheme_import_submit(actor=signed_in_user(request), skill=skill, data=data,
                                                 filename=_filename(request)),
        lambda scheme: _("评分标准已导入：%(count)s 个评分项。") % {"count": scheme.aspects.count()},
    )


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=workbooks.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = workbooks.content_disposition(filename)
    return response


@login_required
@require_GET
def template(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in workbooks.TEMPLATES:
        raise NotFound()
    build, filename = workbooks.TEMPLATES[kind]
    return _xlsx(build(), filename)


@login_required
@require_GET
def roster_export(request: HttpRequest, skill_id: int) -> HttpResponse:
    skill = get_or_404(Skill.objects.select_related("event"), pk=skill_id)
    return _xlsx(workbooks.roster_export(viewer=request.user, skill=skill), f"{skill.name}报名表.xlsx")


@login_required
@require_GET
def scheme_export(request: HttpRequest, skill_id: int) -> HttpResponse:
    skill = get_or_404(Skill.objects.select_related("event"), pk=skill_id)
    return _xlsx(workbooks.scheme_export(viewer=request.user, skill=skill), f"{skill.name}评分标准.xlsx")


@login_required
@require_GET
def results_export(request: HttpRequest, skill_id: int) -> HttpResponse:
    skill = get_or_404(Skill.objects.select_related("event"), pk=skill_id)
    try:
        data = workbooks.results_export(viewer=request.user, event=skill.event, skill=skill)
    except Conflict as exc:  # not decrypted yet
        messages.error(request, exc.message)
        return redirect("competitions:excel", skill_id=skill.pk)
    return _xlsx(data, f"{skill.name}正式成绩.xlsx")
