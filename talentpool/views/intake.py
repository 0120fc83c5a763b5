"""The admin's intake pages (issue 14 item 1): the policy in force with its history, a form to change it with a
reason (audited), a button to run intake now; and the industry chains, where the admin adds one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.auth import signed_in_user
from accounts.permissions import require
from core.errors import ValidationFailed
from talentpool.domain.intake import AWARD_LABELS, COMPETITION_ORDER, LEVEL_LABELS
from talentpool.models import IndustryChain, IntakePolicy, Talent, TalentStatus
from talentpool.permissions import Action
from talentpool.services.intake import chain_create, intake_policy_change, policy_in_force, talent_intake_run
from talentpool.views.pool import RUNGS, _error_text


@login_required
def intake_policy(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    require(user, Action.INTAKE_POLICY_MANAGE)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        try:
            rung = int(request.POST.get("min_certificate_rung", "0"))
        except ValueError:
            rung = 0
        try:
            intake_policy_change(
                actor=user, min_competition_level=request.POST.get("min_competition_level", ""),
                award_codes=request.POST.getlist("award_codes"),
                include_titles=request.POST.get("include_titles") == "on", min_certificate_rung=rung,
                include_appointments=request.POST.get("include_appointments") == "on",
                reason=request.POST.get("reason", ""))
        except ValidationFailed as exc:
            errors = {e.field: e.message for e in exc.field_errors}
            status = 422
        else:
            messages.success(request, _("入库规则已调整，下次入库时生效。"))
            return redirect("talentpool:intake_policy")
    return render(request, "talentpool/intake/policy.html", {
        "policy": policy_in_force(), "history": IntakePolicy.objects.select_related("created_by")[:20],
        "levels": [(code, LEVEL_LABELS[code]) for code in COMPETITION_ORDER], "awards": list(AWARD_LABELS.items()),
        "rungs": RUNGS, "errors": errors,
        "in_pool": Talent.objects.filter(status=TalentStatus.IN_POOL).count(),
        "out": Talent.objects.filter(status=TalentStatus.OUT).count(),
    }, status=status)


@login_required
@require_POST
def intake_run_now(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    report = talent_intake_run(actor=user)
    messages.success(request, _("入库完成：核查 %(checked)s 人，新入库 %(entered)s 人，出库 %(left)s 人。") % {
        "checked": report.checked, "entered": len(report.entered), "left": len(report.left)})
    return redirect("talentpool:intake_policy")


@login_required
def chains(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    require(user, Action.CHAIN_MANAGE)
    status = 200
    if request.method == "POST":
        try:
            chain_create(actor=user, code=request.POST.get("code", ""), name=request.POST.get("name", ""))
        except ValidationFailed as exc:
            messages.error(request, _error_text(exc))
            status = 422
        else:
            messages.success(request, _("产业链已添加。"))
            return redirect("talentpool:chains")
    return render(request, "talentpool/intake/chains.html", {"chains": IndustryChain.objects.all()}, status=status)
