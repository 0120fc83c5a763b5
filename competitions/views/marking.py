"""The referee's marking page and the chief referee's sign-off page. Thin: a selector to read, a service to write,
and a refused write shown as a message with the domain error's text.

The marking page saves one cell at a time with htmx (issue 10 item 3): the POST answers with the cell alone
(`competitions/_marking_cell.html`: its value, state and a message, with the idempotency key of the next attempt),
so the page neither reloads nor moves. A refused value answers with its status (422 a value the rules refuse, 409
a signed-off sheet or a skill not in marking, 403 a cell the referee may not mark, with the one neutral message
`mark.not_assigned` and no input left in the cell); static/js/platform.js swaps those in too, and only answers
marked `X-Marking-Cell` (the login page after a lapsed session, or an error page, never lands in the sheet).
Without script the same form posts plainly and is redirected back to the cell's own anchor (`#cell-<工位号>-<code>`,
inside the workstation's card: where the referee was, not the top of a card of many aspects), with the message at
the top of the page.
A retry of one attempt (the reply lost) sends the same key and is answered with the stored mark; when the stored
value is not what the retry carried (a value changed between the lost reply and the retry), the cell says so
rather than letting it pass as saved."""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.auth import signed_in_user
from competitions import access, selectors, services
from competitions.models import Sheet, SheetStatus, Skill, Status
from competitions.views.pages import attempt
from core.errors import DomainError, NotFound, PermissionDenied
from core.lookup import get_or_404

CELL_TEMPLATE = "competitions/_marking_cell.html"
CELL_HEADER = "X-Marking-Cell"


def cell_anchor(workstation_no: str, aspect_code: str) -> str:
    """The id of a cell on the marking page, where a plain POST lands again."""
    return f"cell-{workstation_no}-{aspect_code}"


@login_required
def marking(request: HttpRequest, skill_id: int) -> HttpResponse:
    """GET: what the referee marks, a card per 工位号; POST: one mark, addressed as the API addresses it (工位号 and
    aspect code), through the same replay check, access function and service: answered with the cell to htmx,
    with a redirect to the cell otherwise (module docstring)."""
    if request.method == "POST":
        if request.headers.get("HX-Request"):
            return _record_cell(request, skill_id)
        _record(request, skill_id)
        anchor = cell_anchor(request.POST.get("workstation_no", ""), request.POST.get("aspect_code", ""))
        return redirect(f"{reverse('competitions:marking', args=[skill_id])}#{quote(anchor)}")
    skill = access.access_skill_for_marking(signed_in_user(request), skill_id)
    sheet = selectors.marking_sheet(referee=signed_in_user(request), skill=skill)
    aspects = {a.id: a for a in sheet.aspects}
    rows = [(w, [(aspects[c.aspect_id], c) for c in w.cells]) for w in sheet.workstations]
    return render(request, "competitions/marking.html", {
        "sheet": sheet, "rows": rows, "key": uuid.uuid4, "marking_open": sheet.status == Status.MARKING,
        "percent": round(100 * sheet.marked / sheet.total) if sheet.total else 0,
    })


def _value_and_key(request: HttpRequest) -> tuple[Decimal, uuid.UUID] | None:
    try:
        return Decimal(request.POST.get("value", "").strip()), uuid.UUID(request.POST.get("idempotency_key", ""))
    except (InvalidOperation, ValueError):
        return None


def _record(request: HttpRequest, skill_id: int) -> None:
    workstation_no, aspect_code = request.POST.get("workstation_no", ""), request.POST.get("aspect_code", "")
    parsed = _value_and_key(request)
    if parsed is None:
        messages.error(request, _("请输入数字。"), extra_tags="mark.not_a_number")
        return
    value, key = parsed

    def record() -> selectors.MarkView:
        return services.mark_record(referee=signed_in_user(request), skill_id=skill_id,
                                    workstation_no=workstation_no, aspect_code=aspect_code, value=value,
                                    idempotency_key=key)

    attempt(request, record, _("工位 %(no)s 的 %(aspect)s 已记录：%(value)s")
            % {"no": workstation_no, "aspect": aspect_code, "value": value})


def _cell_response(request: HttpRequest, skill_id: int, view: selectors.MarkingCellView, *, status: int = 200,
                   message: str = "", level: str = "", code: str = "") -> HttpResponse:
    """The cell redrawn; after a refused value the field keeps what was typed, marked invalid, to be corrected."""
    response = render(request, CELL_TEMPLATE, {
        "skill_id": skill_id, "workstation_no": view.workstation_no, "aspect": view.aspect, "cell": view.cell,
        "key": uuid.uuid4, "message": message, "message_level": level, "message_code": code,
        "typed": request.POST.get("value", "").strip() if level == "error" else "",
    }, status=status)
    response[CELL_HEADER] = "1"  # what platform.js swaps into a cell, whatever the status (module docstring)
    return response


def _refused_cell(request: HttpRequest, skill_id: int, workstation_no: str, aspect_code: str,
                  refused: access.MarkRefused) -> HttpResponse:
    view = selectors.marking_cell_refused(skill_id=skill_id, workstation_no=workstation_no,
                                          aspect_code=aspect_code, refusal=refused)
    return _cell_response(request, skill_id, view, status=refused.status, message=refused.message, level="error",
                          code=refused.code)


def _record_cell(request: HttpRequest, skill_id: int) -> HttpResponse:
    """One value saved from the page by htmx, answered with the cell redrawn (module docstring). A refusal of the
    person's right to the skill or the workstation itself (404, 403 without the role) goes to the error page as
    for a plain POST; a refusal of this one cell is the neutral closed cell."""
    referee = signed_in_user(request)
    workstation_no, aspect_code = request.POST.get("workstation_no", ""), request.POST.get("aspect_code", "")
    status, message, level, code = 200, "", "", ""
    parsed = _value_and_key(request)
    if parsed is None:
        status, message, level, code = 422, _("请输入数字。"), "error", "mark.not_a_number"
    else:
        value, key = parsed
        try:
            saved = services.mark_record(referee=referee, skill_id=skill_id, workstation_no=workstation_no,
                                         aspect_code=aspect_code, value=value, idempotency_key=key)
        except access.MarkRefused as refused:
            return _refused_cell(request, skill_id, workstation_no, aspect_code, refused)
        except (NotFound, PermissionDenied):
            raise
        except DomainError as exc:
            status, message, level, code = exc.status, exc.message, "error", exc.code
        else:
            if saved.replayed and saved.value != value:
                level, code = "warning", "mark.replayed_other_value"
                message = _("这次提交此前已保存，保存的值是 %(value)s，不是 %(typed)s。如需改为 %(typed)s，"
                            "请再保存一次。") % {"value": format(saved.value.normalize(), "f"), "typed": value}
            else:
                level, code = "success", "done"
                message = _("已保存。")
    try:
        target = access.access_entry_for_marking(referee, skill_id, workstation_no, aspect_code)
    except access.MarkRefused as refused:
        return _refused_cell(request, skill_id, workstation_no, aspect_code, refused)
    return _cell_response(request, skill_id, selectors.marking_cell(target), status=status, message=message,
                          level=level, code=code)


@login_required
def sheets(request: HttpRequest, skill_id: int) -> HttpResponse:
    """The chief referee's sign-off page: every sheet with what blocks it; a divergence shows the panel's scores
    (no names) beside its confirm-with-reason field; each sign-off asks before it submits (it cannot be undone);
    the sheets shown complete and clean are signed off together with one button."""
    skill = get_or_404(Skill, pk=skill_id)
    if request.method == "POST":
        if request.POST.get("clean") == "1":
            _sign_off_clean(request, skill)
        else:
            _sign_off_one(request, skill)
        return redirect("competitions:sheets", skill_id=skill.pk)
    chief = signed_in_user(request)
    rows = selectors.chief_sheets(chief=chief, skill=skill)
    clean = [r for r in rows if r.clean]
    return render(request, "competitions/sheets.html", {
        "skill": skill, "rows": rows, "SheetStatus": SheetStatus, "clean_ids": [r.sheet_id for r in clean],
        "signed_count": sum(r.status == SheetStatus.SIGNED_OFF for r in rows),
        "is_chief": access.is_chief_of(chief, skill), "standings_check": selectors.standings_check_view(skill)})


def _sign_off_one(request: HttpRequest, skill: Skill) -> None:
    sheet = get_or_404(Sheet.objects.filter(entry__skill=skill), pk=request.POST.get("sheet_id", ""))
    confirmations = {
        key.removeprefix("confirm_"): reason for key in request.POST
        if key.startswith("confirm_") and (reason := request.POST.get(key, "").strip())
    }
    attempt(request, lambda: services.sheet_sign_off(chief=signed_in_user(request), sheet_id=sheet.pk,
                                                      confirmations=confirmations),
            _("评分表已签字确认。"))


def _sign_off_clean(request: HttpRequest, skill: Skill) -> None:
    try:
        ids = [int(value) for value in request.POST.getlist("sheet_id")]
    except ValueError:
        ids = []

    def signed(result: services.BulkSignOff) -> str:
        for sheet, error in result.left_open:  # named one by one, after the count
            messages.warning(request, _("工位 %(no)s 模块 %(module)s 未签字：%(reason)s")
                             % {"no": sheet.entry.workstation_no, "module": sheet.module.code,
                                "reason": error.message}, extra_tags=error.code)
        return _("已一并签字确认 %(count)d 份评分表。") % {"count": len(result.signed)}

    attempt(request, lambda: services.sheets_sign_off_clean(chief=signed_in_user(request), skill_id=skill.pk,
                                                             sheet_ids=ids), signed, code="sheets.signed_off")
