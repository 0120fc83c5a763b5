"""Pages of the competitions app: public events and results, the organizer's event page, the referee's plain
marking page, the chief referee's sign-off page, and "my competitions". Thin: a selector to read, a service to
write, and a refused write shown as a message with the domain error's text."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.permissions import Action, can, require
from competitions import access, selectors, services
from competitions.models import ALLOWED_MOVES, Aspect, Entry, EntryStatus, Event, Sheet, Skill, Status
from competitions.selectors import review as selectors_review
from core.errors import DomainError, NotFound, ValidationFailed


def _me(request: HttpRequest) -> User:
    """The signed-in person: the views that call this are behind login_required."""
    return cast(User, request.user)


def _get(model: Any, pk: int) -> Any:
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise NotFound()
    return obj


def _attempt(request: HttpRequest, action: Callable[[], Any], success: str) -> bool:
    try:
        action()
    except ValidationFailed as exc:  # name what is wrong, not only that something is
        messages.error(request, "；".join(m for ms in exc.fields().values() for m in ms) or exc.message)
        return False
    except DomainError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, success)
    return True


def events(request: HttpRequest) -> HttpResponse:
    rows = list(selectors.events_visible(viewer=request.user)[:200])
    manage = {e.pk for e in rows if can(request.user, Action.COMPETITION_MANAGE, e)}
    return render(request, "competitions/events.html", {"events": rows, "manage": manage})


def results(request: HttpRequest, event_id: int) -> HttpResponse:
    data = selectors.event_results(viewer=request.user, event_id=event_id)
    return render(request, "competitions/results.html", {"results": data})


@login_required
def event_manage(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _get(Event, event_id)
    require(request.user, Action.COMPETITION_MANAGE, event)
    skills = []
    for skill in selectors.skills_of(event):
        entries = Entry.objects.filter(skill=skill)
        skills.append({
            "skill": skill, "next": ALLOWED_MOVES.get(skill.status),
            "next_label": Status(ALLOWED_MOVES[skill.status]).label if skill.status in ALLOWED_MOVES else "",
            "approved": entries.filter(status=EntryStatus.APPROVED).count(),
            "pending": entries.filter(status=EntryStatus.SUBMITTED).count(),
            "open_sheets": Sheet.objects.filter(entry__skill=skill, status="open").count(),
        })
    nxt = ALLOWED_MOVES.get(event.status)
    return render(request, "competitions/event_manage.html", {
        "event": event, "skills": skills, "next": nxt, "next_label": Status(nxt).label if nxt else "",
    })


def _posted_target(request: HttpRequest) -> Status:
    """The status a transition form asks for; an unknown one is a 404, as for a forged form."""
    target = request.POST.get("target", "")
    if target not in Status.values:
        raise NotFound()
    return Status(target)


@login_required
@require_POST
def event_transition(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _get(Event, event_id)
    target = _posted_target(request)
    _attempt(request, lambda: services.event_transition(actor=_me(request), event=event, target=target,
                                                        reason=request.POST.get("reason", "")),
             _("竞赛状态已变更为“%(status)s”。") % {"status": target.label})
    return redirect("competitions:event_manage", event_id=event.pk)


@login_required
@require_POST
def skill_transition(request: HttpRequest, skill_id: int) -> HttpResponse:
    skill = _get(Skill, skill_id)
    target = _posted_target(request)
    _attempt(request, lambda: services.skill_transition(actor=_me(request), skill=skill, target=target,
                                                        reason=request.POST.get("reason", "")),
             _("赛项状态已变更为“%(status)s”。") % {"status": target.label})
    return redirect("competitions:event_manage", event_id=skill.event_id)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    user = request.user
    assignments = selectors.my_assignments(referee=user)  # type: ignore[arg-type]
    entries = list(selectors.my_entries(person=user))  # type: ignore[arg-type]
    return render(request, "competitions/mine.html", {
        "assignments": assignments, "entries": entries,
        "objectable": selectors_review.objectable_entry_ids(person=user),  # type: ignore[arg-type]
        "objections": selectors_review.my_objections(person=user),  # type: ignore[arg-type]
    })


@login_required
def marking(request: HttpRequest, skill_id: int) -> HttpResponse:
    skill = _get(Skill, skill_id)
    if request.method == "POST":
        entry = Entry.objects.filter(skill=skill, workstation_no=request.POST.get("workstation_no", "")).first()
        aspect = Aspect.objects.filter(scheme__skill=skill, pk=request.POST.get("aspect_id") or 0).first()
        try:
            value = Decimal(request.POST.get("value", ""))
            key = uuid.UUID(request.POST.get("idempotency_key", ""))
        except (InvalidOperation, ValueError):
            messages.error(request, _("请输入数字。"))
            return redirect("competitions:marking", skill_id=skill.pk)
        if entry is None or aspect is None:
            raise NotFound()
        _attempt(request, lambda: services.mark_record(referee=_me(request), entry=entry, aspect=aspect, value=value,
                                                       idempotency_key=key),
                 _("工位 %(no)s 的 %(aspect)s 已记录：%(value)s") % {"no": entry.workstation_no, "aspect": aspect.code,
                                                                   "value": value})
        return redirect("competitions:marking", skill_id=skill.pk)
    sheet = selectors.marking_sheet(referee=_me(request), skill=skill)
    return render(request, "competitions/marking.html", {"sheet": sheet, "key": uuid.uuid4})


@login_required
def sheets(request: HttpRequest, skill_id: int) -> HttpResponse:
    skill = _get(Skill, skill_id)
    if request.method == "POST":
        sheet = Sheet.objects.filter(entry__skill=skill, pk=request.POST.get("sheet_id") or 0).first()
        if sheet is None:
            raise NotFound()
        confirmations = {
            key.removeprefix("confirm_"): reason for key in request.POST
            if key.startswith("confirm_") and (reason := request.POST.get(key, "").strip())
        }
        _attempt(request, lambda: services.sheet_sign_off(chief=_me(request), sheet=sheet,
                                                          confirmations=confirmations),
                 _("评分表已签字确认。"))
        return redirect("competitions:sheets", skill_id=skill.pk)
    rows = selectors.chief_sheets(chief=_me(request), skill=skill)
    return render(request, "competitions/sheets.html", {"skill": skill, "rows": rows,
                                                        "is_chief": access.is_chief_of(_me(request), skill)})
