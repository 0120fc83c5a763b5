"""The referee's plain marking page and the chief referee's sign-off page. Thin: a selector to read, a service to
write, and a refused write shown as a message with the domain error's text."""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.auth import signed_in_user
from competitions import access, selectors, services
from competitions.models import Sheet, SheetStatus, Skill
from competitions.views.pages import attempt
from core.lookup import get_or_404


@login_required
def marking(request: HttpRequest, skill_id: int) -> HttpResponse:
    """GET: what the referee marks; POST: one mark, addressed as the API addresses it (工位号 and aspect code), through
    the same replay check, access function and service."""
    if request.method == "POST":
        _record(request, skill_id)
        return redirect("competitions:marking", skill_id=skill_id)
    skill = access.access_skill_for_marking(signed_in_user(request), skill_id)
    sheet = selectors.marking_sheet(referee=signed_in_user(request), skill=skill)
    return render(request, "competitions/marking.html", {"sheet": sheet, "key": uuid.uuid4})


def _record(request: HttpRequest, skill_id: int) -> None:
    workstation_no, aspect_code = request.POST.get("workstation_no", ""), request.POST.get("aspect_code", "")
    try:
        value = Decimal(request.POST.get("value", ""))
        key = uuid.UUID(request.POST.get("idempotency_key", ""))
    except (InvalidOperation, ValueError):
        messages.error(request, _("请输入数字。"))
        return

    def record() -> selectors.MarkView:
        return services.mark_record(referee=signed_in_user(request), skill_id=skill_id,
                                    workstation_no=workstation_no, aspect_code=aspect_code, value=value,
                                    idempotency_key=key)

    attempt(request, record, _("工位 %(no)s 的 %(aspect)s 已记录：%(value)s")
            % {"no": workstation_no, "aspect": aspect_code, "value": value})


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
