"""Registration pages (报名; issue 10 items 1 and 2). Thin: the selectors in competitions.selectors.registrations
read, the registration services write (their own checks decide rights: `views.pages.attempt`).

- The organizer's list of an event's registrations: filter by status, unit and skill; approve or reject one
  (`entry_approve`, `entry_reject` with a reason) or the ticked ones together (`entries_decide`: all or nothing,
  every refused entry named; see its docstring); the roster import of each skill for any unit of the event is the
  skill's Excel page (competitions.views.excel), linked from here.
- A unit's page: the events open for registration, each skill with a link to enter people one by one (here) or
  by Excel (the Excel page), and the unit's entries with status and reason, withdrawable with a reason.
- Entering one registration: the unit, its people (by name), the group, an optional coach.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.auth import signed_in_user
from accounts.models import Organization, User
from competitions import selectors, services
from competitions.models import Entry, EntryStatus, Event, Group, Skill
from competitions.views.pages import attempt
from core.errors import NotFound
from core.lookup import get_or_404

FILTERS = ("status", "unit", "skill")


def _int(raw: str | None, default: int = 1) -> int:
    try:
        return int(raw or default)
    except ValueError:
        return default


def _list_url(event_id: int, source: dict[str, str]) -> str:
    query = {k: source[k] for k in (*FILTERS, "page") if source.get(k)}
    url = reverse("competitions:event_registrations", args=[event_id])
    return f"{url}?{urlencode(query)}" if query else url


@login_required
@require_GET
def event_registrations(request: HttpRequest, event_id: int) -> HttpResponse:
    event = get_or_404(Event.objects.select_related("organizer"), pk=event_id)
    page = selectors.event_registrations(
        viewer=signed_in_user(request), event=event, status=request.GET.get("status", ""),
        unit=request.GET.get("unit", ""), skill=request.GET.get("skill", ""), page=_int(request.GET.get("page")),
    )
    return render(request, "competitions/registrations.html", {
        "page": page, "filters": {k: getattr(page, k) for k in FILTERS}, "here": request.get_full_path(),
    })


def _decision(request: HttpRequest) -> EntryStatus:
    decision = request.POST.get("decision", "")
    if decision not in (EntryStatus.APPROVED, EntryStatus.REJECTED):
        raise NotFound()  # a forged form
    return EntryStatus(decision)


@login_required
@require_POST
def registrations_decide(request: HttpRequest, event_id: int) -> HttpResponse:
    """The ticked registrations approved or rejected together (all or nothing: `services.entries_decide`)."""
    event = get_or_404(Event, pk=event_id)
    decision = _decision(request)
    ids = [_int(v, 0) for v in request.POST.getlist("entry_ids")]
    # Only this event's entries: another event's id is as unknown here as a made-up one.
    known = set(Entry.objects.filter(skill__event=event, pk__in=ids).values_list("pk", flat=True))
    if any(pk not in known for pk in ids):
        raise NotFound()
    done = _("已通过 %(count)d 条报名。") if decision == EntryStatus.APPROVED else _("已驳回 %(count)d 条报名。")
    attempt(request, lambda: services.entries_decide(actor=signed_in_user(request), entry_ids=ids, status=decision,
                                                     reason=request.POST.get("reason", "")),
            done % {"count": len(ids)}, code=f"entries.{decision.value}")
    return redirect(_list_url(event.pk, request.POST.dict()))


@login_required
@require_POST
def entry_decide(request: HttpRequest, entry_id: int) -> HttpResponse:
    """One registration approved or rejected (with a reason) from its row."""
    entry = get_or_404(Entry.objects.select_related("skill"), pk=entry_id)
    decision = _decision(request)
    reason = request.POST.get("reason", "")
    user = signed_in_user(request)
    if decision == EntryStatus.APPROVED:
        attempt(request, lambda: services.entry_approve(actor=user, entry=entry, reason=reason),
                _("报名已通过。"), code="entry.approved")
    else:
        attempt(request, lambda: services.entry_reject(actor=user, entry=entry, reason=reason),
                _("报名已驳回。"), code="entry.rejected")
    return redirect(_list_url(entry.skill.event_id, request.POST.dict()))


# --- a unit's pages -----------------------------------------------------------------------------------------------


@login_required
@require_GET
def unit_registrations(request: HttpRequest) -> HttpResponse:
    page = selectors.unit_registrations(viewer=signed_in_user(request))
    return render(request, "competitions/unit_registrations.html", {"page": page})


@login_required
@require_POST
def entry_withdraw(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = get_or_404(Entry.objects.select_related("unit"), pk=entry_id)
    attempt(request, lambda: services.entry_withdraw(actor=signed_in_user(request), entry=entry,
                                                     reason=request.POST.get("reason", "")),
            _("已退赛。"), code="entry.withdrawn")
    return redirect("competitions:unit_registrations")


@login_required
def register(request: HttpRequest, skill_id: int) -> HttpResponse:
    """Enter one registration (one person, or a team) for a skill (module docstring)."""
    skill = get_or_404(Skill.objects.select_related("event"), pk=skill_id)
    user = signed_in_user(request)
    if request.method == "POST":
        unit = get_or_404(Organization.objects.filter(pk__in=selectors.nominating_units(user)),
                          pk=request.POST.get("unit") or 0)
        # Only the unit's own people: anyone else is as unknown here as a made-up id.
        people = User.objects.filter(is_active=True, memberships__organization=unit).distinct()
        ids = list(dict.fromkeys(v for v in request.POST.getlist("members") if v))
        members = [get_or_404(people, pk=pk) for pk in ids]
        group = request.POST.get("group", "")
        if group not in Group.values:
            group = skill.group
        coach_id = request.POST.get("coach", "")
        coaches = [get_or_404(people, pk=coach_id)] if coach_id else []
        if attempt(request, lambda: services.entry_submit(
                actor=user, skill=skill, unit=unit, members=[services.MemberData(p, Group(group)) for p in members],
                coaches=coaches), _("已提交报名，等待主办单位审核。"), code="entry.submitted"):
            return redirect("competitions:unit_registrations")
        query = urlencode({"unit": unit.pk, "q": request.POST.get("q", "")})
        return redirect(f"{reverse('competitions:register', args=[skill.pk])}?{query}")
    form = selectors.registration_form(viewer=user, skill=skill, unit=request.GET.get("unit", ""),
                                       query=request.GET.get("q", ""))
    return render(request, "competitions/register.html", {"form": form, "skill": skill})
