"""Pages of the practical assessment and results (issue 12 items 8–9), thin over access, services and selectors:

- the assessor's tablet (`tablet`): their candidates by room and seat (工位号) with the ticket number, never the
  name; every item with its maximum and the entered score; each item saves in place with htmx (the candidate's
  card comes back), or by a plain POST and redirect without JavaScript. A score already entered asks for the
  reason of the change. Read-only once the results are in review or published; a re-score the chief asked for
  is marked on the item.
- the chief assessor's flags (`flags`): each divergent item with the panel's scores (no names), its spread and
  tolerance; confirm with a reason, or ask for a re-score with a reason.
- the body's results page (`results`): each candidate's parts and outcome with the reasons; the theory score for
  now and absences by form; the review and publication buttons, each with what it still waits for shown before
  the click (and disabled while it does); objections with their answer forms; the Excel export.
- the candidate's own result (`my_result`): each part and why a failed part failed, from the review on; the
  objection form during the review.
"""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.auth import signed_in_user
from accounts.permissions import can
from certification import access
from certification.excel import tables
from certification.excel.results import results_export
from certification.models import BatchPart, Registration
from certification.permissions import Action
from certification.selectors import practical as practical_views
from certification.selectors import results as result_views
from certification.services import practical as practical_services
from certification.services import results as result_services
from core.errors import DomainError, ImportFailed, NotFound, PermissionDenied, RowError, ValidationFailed

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _error_text(exc: DomainError) -> str:
    if isinstance(exc, ValidationFailed):
        return "；".join(m for ms in exc.fields().values() for m in ms) or exc.message
    return exc.message


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


@login_required
def tablet(request: HttpRequest, part_id: int) -> HttpResponse:
    """GET: the assessor's candidates and items; POST: one score (module docstring)."""
    user = signed_in_user(request)
    part, _duty = access.access_assessor_part(user, part_id)
    message, level, typed, item_focus = "", "", "", ""
    registration_id = 0
    recorded = None
    if request.method == "POST":
        registration_id = int(request.POST.get("registration", "0") or 0)
        item_focus = request.POST.get("item_code", "")
        value = _decimal(request.POST.get("value", ""))
        try:
            key = uuid.UUID(request.POST.get("idempotency_key", ""))
        except ValueError:
            key = uuid.uuid4()
        if value is None:
            message, level, typed = _("请输入数字。"), "error", request.POST.get("value", "")
        else:
            try:
                recorded = practical_services.score_record_for_card(
                    assessor=user, registration_id=registration_id, part_kind=part.kind, item_code=item_focus,
                    value=value, idempotency_key=key, reason=request.POST.get("reason", ""))
                message, level = _("已保存：%(value)s 分") % {"value": recorded.score.value}, "success"
            except (NotFound, PermissionDenied):
                raise
            except DomainError as exc:
                message, level, typed = _error_text(exc), "error", request.POST.get("value", "")
        if not request.headers.get("HX-Request"):
            (messages.success if level == "success" else messages.error)(request, message)
            return redirect(f"{request.path}#candidate-{registration_id}")
    if recorded is not None and recorded.target is not None and recorded.target.seat is not None \
            and recorded.sheet is not None and recorded.assessment is not None and recorded.target.part == part:
        view = practical_views.tablet_card(user, part, recorded.target.seat,
                                           recorded.target.registration.ticket_no or "", recorded.sheet,
                                           recorded.assessment)
    else:  # a refused or replayed save: the card as it stands, read afresh
        view = practical_views.tablet(user, part, registration_id=registration_id if request.method == "POST"
                                      else None)
    context = {"view": view, "key": uuid.uuid4, "message": message, "message_level": level, "typed": typed,
               "item_focus": item_focus}
    if request.method == "POST":
        candidate = next((c for c in view.candidates if c.registration_id == registration_id), None)
        if candidate is None:
            raise NotFound()
        return render(request, "certification/_tablet_candidate.html", {**context, "c": candidate})
    return render(request, "certification/practical_tablet.html", context)


@login_required
def flags(request: HttpRequest, batch_id: int) -> HttpResponse:
    """GET: the batch's flags for its chief assessor; POST: confirm one, or ask for its re-score."""
    user = signed_in_user(request)
    batch = access.access_batch_for_chief(user, batch_id)
    if request.method == "POST":
        registration_id = int(request.POST.get("registration", "0") or 0)
        part_kind, item_code = request.POST.get("part", ""), request.POST.get("item_code", "")
        reason = request.POST.get("reason", "")
        try:
            if request.POST.get("decision") == "rescore":
                practical_services.rescore_request(chief=user, registration_id=registration_id, part_kind=part_kind,
                                                   item_code=item_code, reason=reason)
                messages.success(request, _("已要求考评员重新评分。"))
            else:
                practical_services.flag_confirm(chief=user, registration_id=registration_id, part_kind=part_kind,
                                                item_code=item_code, reason=reason)
                messages.success(request, _("已确认评分。"))
        except (NotFound, PermissionDenied):
            raise
        except DomainError as exc:
            messages.error(request, _error_text(exc))
        return redirect("certification:practical_flags", batch_id=batch_id)
    return render(request, "certification/practical_flags.html",
                  {"batch": batch, "flags": practical_views.batch_flags(batch.pk)})


@login_required
def results(request: HttpRequest, batch_id: int) -> HttpResponse:
    """GET: the body's results of a batch; POST: a part result, a state move or an objection's answer."""
    user = signed_in_user(request)
    batch = access.access_batch_results(user, batch_id)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "review":
                result_services.results_review_start(actor=user, batch_id=batch.pk)
                messages.success(request, _("成绩已开始公示。"))
            elif action == "publish":
                result_services.results_publish(actor=user, batch_id=batch.pk)
                messages.success(request, _("成绩已公布。"))
            elif action == "answer":
                result_services.objection_answer(
                    actor=user, objection_id=int(request.POST.get("objection", "0") or 0),
                    answer=request.POST.get("answer", ""), upheld=request.POST.get("upheld") == "yes")
                messages.success(request, _("异议已答复。"))
            elif action == "part":
                absent = request.POST.get("absent") == "yes"
                score = None if absent else _decimal(request.POST.get("score", ""))
                if not absent and score is None:
                    raise ValidationFailed([])
                result_services.part_result_record(
                    actor=user, registration_id=int(request.POST.get("registration", "0") or 0),
                    data=result_services.PartResultIn(request.POST.get("part", ""), score, absent,
                                                      request.POST.get("reason", "")))
                messages.success(request, _("成绩已登记。"))
        except (NotFound, PermissionDenied):
            raise
        except DomainError as exc:
            messages.error(request, _error_text(exc) or _("请填写成绩，或登记缺考。"))
        return redirect("certification:results", batch_id=batch.pk)
    return render(request, "certification/results.html", {
        "batch": batch, "view": result_views.batch_results(user, batch),
        "manage": can(user, Action.RESULTS_MANAGE, batch),
        "scored_parts": batch.parts.filter(kind__in=access.SCORED_PARTS).order_by("starts_at")})


@login_required
def results_download(request: HttpRequest, batch_id: int) -> HttpResponse:
    user = signed_in_user(request)
    batch = access.access_batch_results(user, batch_id)
    response = HttpResponse(results_export(viewer=user, batch=batch), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="results-{batch.code}.xlsx"'
    return response


@login_required
def my_result(request: HttpRequest, registration_id: int) -> HttpResponse:
    """GET: a candidate's own result; POST: their objection during the review."""
    user = signed_in_user(request)
    registration: Registration = access.access_registration(user, registration_id)
    if request.method == "POST":
        try:
            result_services.objection_file(actor=user, registration_id=registration.pk,
                                           text=request.POST.get("text", ""))
            messages.success(request, _("异议已提交，评价机构将予以答复。"))
        except (NotFound, PermissionDenied):
            raise
        except DomainError as exc:
            messages.error(request, _error_text(exc))
        return redirect("certification:my_result", registration_id=registration.pk)
    return render(request, "certification/my_result.html",
                  {"view": result_views.my_result(user, registration)})


SHEET_ROWS = 12


@login_required
def sheet(request: HttpRequest, part_id: int) -> HttpResponse:
    """GET: a scored part's sheet, as a form of rows while it has no score, read-only after; POST: save it whole."""
    user = signed_in_user(request)
    part = access.access_batch_part_results(user, part_id)
    if request.method == "POST":
        items = []
        for n in range(SHEET_ROWS):
            code, title = request.POST.get(f"code_{n}", "").strip(), request.POST.get(f"title_{n}", "").strip()
            points, tolerance = request.POST.get(f"max_{n}", "").strip(), request.POST.get(f"tolerance_{n}", "").strip()
            if not (code or title or points):
                continue
            items.append(practical_services.SheetItemIn(code, title, _decimal(points) or Decimal(0),
                                                        _decimal(tolerance) if tolerance else None))
        share = _decimal(request.POST.get("tolerance_share", "20") or "20")
        try:
            practical_services.sheet_set(actor=user, part_id=part.pk, data=practical_services.SheetIn(
                items, (share if share is not None else Decimal(-1)) / 100, request.POST.get("aggregation", "")))
            messages.success(request, _("评分表已保存。"))
        except (NotFound, PermissionDenied):
            raise
        except DomainError as exc:
            messages.error(request, _error_text(exc))
        return redirect("certification:practical_sheet", part_id=part.pk)
    return _sheet_page(request, part)


def _sheet_page(request: HttpRequest, part: BatchPart, failed: ImportFailed | None = None) -> HttpResponse:
    user = signed_in_user(request)
    found = practical_views.part_sheet(part)
    view = practical_views.sheet_view(found) if found is not None else None
    rows = list(view.items) if view else []
    return render(request, "certification/practical_sheet.html", {
        "part": part, "view": view, "rows": rows + [None] * max(0, SHEET_ROWS - len(rows)),
        "manage": can(user, Action.RESULTS_MANAGE, part.batch),
        "share": (view.tolerance_share * 100).normalize() if view else 20,
        "failed": failed, "error_rows": failed.rows() if failed is not None else []},
        status=422 if failed else 200)


# --- the scoring sheet's Excel (issue 12 follow-ups; certification.excel.tables) -------------------------------------
# The template and the sheet as it stands are downloads for whoever reads the sheet (the body's staff); the upload
# (RESULTS_MANAGE, asked before the file is read) replaces the items through services.practical.sheet_set, keeping
# the part's tolerance share and aggregation, or re-renders the sheet page naming every bad cell with nothing saved.

def _sheet_filename(part: BatchPart, what: str) -> str:
    return f"{what}-{part.batch.name}-{part.get_kind_display()}.xlsx"


def _xlsx(data: bytes, ascii_name: str, filename: str) -> HttpResponse:
    from urllib.parse import quote

    from certification.excel.sheets import XLSX_CONTENT_TYPE

    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    return response


@login_required
@require_GET
def sheet_template_download(request: HttpRequest, part_id: int) -> HttpResponse:
    part = access.access_batch_part_results(signed_in_user(request), part_id)
    return _xlsx(tables.scoring_sheet_template(), "scoring-sheet-template.xlsx", _sheet_filename(part, "评分表模板"))


@login_required
@require_GET
def sheet_export_download(request: HttpRequest, part_id: int) -> HttpResponse:
    part = access.access_batch_part_results(signed_in_user(request), part_id)
    found = practical_views.part_sheet(part)
    if found is None:
        raise NotFound()
    return _xlsx(tables.write_scoring_sheet(practical_views.domain_sheet(found).items), "scoring-sheet.xlsx",
                 _sheet_filename(part, "评分表"))


@login_required
@require_POST
def sheet_import(request: HttpRequest, part_id: int) -> HttpResponse:
    user = signed_in_user(request)
    part = access.access_batch_part_results(user, part_id)
    access.access_batch_results(user, part.batch_id, manage=True)  # 403 before the file is read
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请选择要上传的文件。"))
        return redirect("certification:practical_sheet", part_id=part.pk)
    try:
        if upload.size is not None and upload.size > tables.MAX_FILE_BYTES:
            raise ImportFailed([RowError("", 0, "", "bank.too_large", {"max": tables.MAX_FILE_BYTES // 2**20})])
        items = tables.read_scoring_sheet(bytes(upload.read()))
        current = practical_views.part_sheet(part)  # its share and aggregation are kept (excel.tables)
        practical_services.sheet_set(actor=user, part_id=part.pk, data=practical_services.SheetIn(
            [practical_services.SheetItemIn(i.code, i.title, i.max_points, i.tolerance) for i in items],
            *((current.tolerance_share, current.aggregation) if current is not None else ())))
    except ImportFailed as exc:
        return _sheet_page(request, part, failed=exc)
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        messages.error(request, _error_text(exc))
        return redirect("certification:practical_sheet", part_id=part.pk)
    messages.success(request, _("评分表已从 Excel 导入。"))
    return redirect("certification:practical_sheet", part_id=part.pk)
