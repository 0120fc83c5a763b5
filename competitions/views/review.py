"""Pages of the review stage: the chief referee's corrections and objections, the organizer's 技术能手 approvals,
objections overview and nominations (选拔), and a contestant's or coach's real-name objection (DESIGN.md
"Publication", "Titles"; issue 4 items 5–7).

Thin, like competitions.views.events: reads come from competitions.selectors.review, which check the reader's right,
writes go through the services, which check the writer's; a refused person gets the 403/404 page, not a message
(competitions.views.pages.attempt), and a write the rules refuse comes back as a message with the domain error's
text. One page checks before the service: deciding a correction (the service asks a rejection's reason before the
right, and an outsider must not learn that a reason is missing).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.auth import signed_in_user
from competitions import access, services
from competitions.models import (
    CorrectionStatus,
    Event,
    Mark,
    MarkCorrection,
    Objection,
    Sheet,
    Skill,
    TitleProposal,
)
from competitions.selectors import review
from competitions.views.pages import attempt
from core.errors import NotFound
from core.lookup import get_or_404

# --- chief referee --------------------------------------------------------------------------------------------------


@login_required
def corrections(request: HttpRequest, skill_id: int) -> HttpResponse:
    skill = get_or_404(Skill, pk=skill_id)
    rows = review.skill_corrections(chief=signed_in_user(request), skill=skill)
    return render(request, "competitions/corrections.html",
                  {"skill": skill, "rows": rows, "CorrectionStatus": CorrectionStatus})


@login_required
@require_POST
def correction_decide(request: HttpRequest, correction_id: int) -> HttpResponse:
    correction = get_or_404(MarkCorrection, pk=correction_id)
    skill = Skill.objects.get(entries__pk=correction.mark.entry_id)
    # Before the service: correction_reject asks for the reason before the right (module docstring).
    access.require_correction_decider(signed_in_user(request), skill)
    reason = request.POST.get("reason", "")
    if request.POST.get("decision") == "approve":
        attempt(request, lambda: services.correction_approve(chief=signed_in_user(request), correction_id=correction.pk,
                                                              reason=reason),
                 _("更正已批准，分数已修改。"))
    elif request.POST.get("decision") == "reject":
        attempt(request, lambda: services.correction_reject(chief=signed_in_user(request), correction_id=correction.pk,
                                                             reason=reason),
                 _("更正已驳回，分数不变。"))
    else:
        raise NotFound()
    return redirect("competitions:corrections", skill_id=skill.pk)


@login_required
def sheet_correction(request: HttpRequest, sheet_id: int) -> HttpResponse:
    """GET: the marks of a signed-off sheet; POST: request a correction of one of them, with a reason."""
    sheet = get_or_404(Sheet, pk=sheet_id)
    view = review.sheet_marks(chief=signed_in_user(request), sheet=sheet)
    if request.method == "POST":
        mark = get_or_404(Mark.objects.filter(entry_id=sheet.entry_id, aspect__module_id=sheet.module_id),
                          pk=request.POST.get("mark_id", ""))
        try:
            value = Decimal(request.POST.get("new_value", ""))
        except InvalidOperation:
            messages.error(request, _("请输入数字。"))
            return redirect("competitions:sheet_correction", sheet_id=sheet.pk)
        actor = signed_in_user(request)
        done = attempt(request, lambda: services.correction_request(actor=actor, mark_id=mark.pk, new_value=value,
                                                                     reason=request.POST.get("reason", "")),
                        _("更正申请已提交，待裁判长批准。"))
        if done:
            return redirect("competitions:corrections", skill_id=view.skill_id)
        return redirect("competitions:sheet_correction", sheet_id=sheet.pk)
    return render(request, "competitions/sheet_correction.html", {"view": view})


@login_required
def mark_correction(request: HttpRequest, mark_id: int) -> HttpResponse:
    """A referee's own mark on a signed-off sheet, from the marking page: GET shows it, POST requests its correction
    with a reason (decided by a chief referee: two people for every correction)."""
    view = review.mark_to_correct(actor=signed_in_user(request), mark_id=mark_id)
    if request.method == "POST":
        try:
            value = Decimal(request.POST.get("new_value", ""))
        except InvalidOperation:
            messages.error(request, _("请输入数字。"))
            return redirect("competitions:mark_correction", mark_id=mark_id)
        done = attempt(request, lambda: services.correction_request(
            actor=signed_in_user(request), mark_id=mark_id, new_value=value, reason=request.POST.get("reason", ""),
        ), _("更正申请已提交，待裁判长批准。"))
        if done:
            return redirect("competitions:marking", skill_id=view.skill_id)
        return redirect("competitions:mark_correction", mark_id=mark_id)
    return render(request, "competitions/mark_correction.html", {"view": view})


@login_required
def skill_objections(request: HttpRequest, skill_id: int) -> HttpResponse:
    skill = get_or_404(Skill, pk=skill_id)
    rows = review.skill_objections(chief=signed_in_user(request), skill=skill)
    return render(request, "competitions/skill_objections.html", {"skill": skill, "rows": rows})


@login_required
@require_POST
def objection_answer(request: HttpRequest, objection_id: int) -> HttpResponse:
    objection = get_or_404(Objection, pk=objection_id)
    attempt(request, lambda: services.objection_answer(chief=signed_in_user(request), objection=objection,
                                                        answer=request.POST.get("answer", "")),
             _("异议已答复。"))
    return redirect("competitions:skill_objections", skill_id=objection.entry.skill_id)


# --- organizer ----------------------------------------------------------------------------------------------------


@login_required
def event_titles(request: HttpRequest, event_id: int) -> HttpResponse:
    event = get_or_404(Event, pk=event_id)
    rows = review.event_titles(viewer=signed_in_user(request), event=event)
    return render(request, "competitions/titles.html", {"event": event, "rows": rows})


@login_required
@require_POST
def title_approve(request: HttpRequest, title_id: int) -> HttpResponse:
    proposal = get_or_404(TitleProposal, pk=title_id)
    # The name is shown only once the service has approved, that is, once it has checked the right.
    person = str(proposal.person)
    attempt(request, lambda: services.title_approve(actor=signed_in_user(request), proposal=proposal),
             _("已核准 %(person)s 的技术能手称号。") % {"person": person})
    return redirect("competitions:event_titles", event_id=proposal.entry.skill.event_id)


@login_required
def event_objections(request: HttpRequest, event_id: int) -> HttpResponse:
    event = get_or_404(Event, pk=event_id)
    rows = review.event_objections(viewer=signed_in_user(request), event=event)
    return render(request, "competitions/event_objections.html", {"event": event, "rows": rows})


@login_required
def event_nominations(request: HttpRequest, event_id: int) -> HttpResponse:
    event = get_or_404(Event, pk=event_id)
    data = review.event_nominations(viewer=signed_in_user(request), event=event)
    return render(request, "competitions/nominations.html", {"event": event, "data": data})


# --- contestants and coaches --------------------------------------------------------------------------------------


@login_required
@require_POST
def objection_file(request: HttpRequest, entry_id: int) -> HttpResponse:
    """A contestant or coach objects, under their real name, to the result of their own entry under review."""
    attempt(request, lambda: services.objection_file(person=signed_in_user(request), entry_id=entry_id,
                                                      text=request.POST.get("text", "")),
             _("异议已提交，裁判长将答复。"))
    return redirect("competitions:mine")
