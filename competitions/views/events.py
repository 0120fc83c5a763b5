"""Pages of events: public events and results, the organizer's event page with its status moves and the public
board's freeze (封榜, 揭晓下一名, 全部揭晓), and "my competitions" (assignments, entries). Thin: a selector to read,
a service to write, and a refused write shown as a message with the domain error's text."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.auth import signed_in_user
from accounts.permissions import can
from competitions import access, selectors, services
from competitions.access import access_event_for_board_freeze
from competitions.models import Entry, Event, RefereeRole, Skill, Status
from competitions.permissions import Action
from competitions.selectors.freeze import board_freeze_view
from competitions.selectors.standings import ATTEMPTS, ENCODED
from competitions.views.pages import attempt
from core.errors import NotFound
from core.lookup import get_or_404


def events(request: HttpRequest) -> HttpResponse:
    rows = list(selectors.events_visible(viewer=request.user)[:200])
    manage = {e.pk for e in rows if can(request.user, Action.COMPETITION_MANAGE, e)}
    return render(request, "competitions/events.html",
                  {"events": [selectors.event_view(e) for e in rows], "manage": manage,
                   "may_create": can(request.user, Action.COMPETITION_MANAGE),
                   "with_results": selectors.events_with_results(viewer=request.user, events=rows)})


def results(request: HttpRequest, event_id: int) -> HttpResponse:
    """The results page: the skills' standings rendered once per snapshot version (competitions.selectors
    .standings: the ETag names everything they show), inside the page shell of the reader."""
    for _attempt in range(ATTEMPTS):
        version = selectors.event_results_version(viewer=request.user, event_id=event_id)
        key = f"page:{version.etag}"
        html = ENCODED.get(key)
        if html is None:
            data = selectors.event_results_from(version)
            if data is None:  # a rebuild raced this read: read the version again
                continue
            html = render_to_string("competitions/_results_sections.html", {"results": data}).encode()
            ENCODED.put(key, html)
        return _results_page(request, event_id, version.event.name, html, stale=version.stale)
    data = selectors.event_results(viewer=request.user, event_id=event_id)
    return _results_page(request, event_id, data.event_name,
                         render_to_string("competitions/_results_sections.html", {"results": data}).encode())


def _results_page(request: HttpRequest, event_id: int, event_name: str, sections: bytes, *,
                  stale: bool = False) -> HttpResponse:
    """The sections are shared by every reader of one version; the reader's own rows are singled out here, by the
    key each named row carries (`selectors.row_key`), so the shared rendering stays shared. `stale`: the sections
    are the previous version while another reader rebuilds the snapshot (competitions.selectors.standings), which
    the page says."""
    html = sections.decode()
    mine = [p for p in selectors.my_places(viewer=request.user, event_id=event_id)
            if f'data-row="{escape(selectors.row_key(p.skill_id, p.workstation_no))}"' in html]
    for place in mine:
        marker = f'data-row="{escape(selectors.row_key(place.skill_id, place.workstation_no))}"'
        html = html.replace(marker, f'{marker} id="mine-{place.skill_id}" data-mine="true" aria-current="true"', 1)
    # Our own template's output, escaped when it was rendered; the marker added is our own text.
    return render(request, "competitions/results.html", {
        "event_id": event_id, "event_name": event_name, "sections": mark_safe(html),  # noqa: S308
        "mine": mine, "notice": 'data-testid="under-review"' in html or 'data-testid="published-at"' in html,
        "stale": stale,
    })


def results_notice(request: HttpRequest, event_id: int) -> HttpResponse:
    """The printable 成绩公示 notice of the event's public results (its print stylesheet drops the page shell)."""
    notice = selectors.results_notice(viewer=request.user, event_id=event_id)
    return render(request, "competitions/results_notice.html", {"notice": notice})


@login_required
def event_manage(request: HttpRequest, event_id: int) -> HttpResponse:
    event = get_or_404(Event, pk=event_id)
    user = signed_in_user(request)
    page = selectors.event_management(viewer=user, event=event)
    board = board_freeze_view(viewer=user, event=event) if can(user, Action.BOARD_FREEZE, event) else None
    return render(request, "competitions/event_manage.html", {
        "page": page, "has_results": event.pk in selectors.events_with_results(viewer=request.user, events=[event]),
        "may_see_jury_board": access.may_see_jury_board(request.user, event),
        "board": board,
    })


# --- 封榜 and 揭榜 of the public board (competitions.services.freeze): forms of the event page -----------------------


def _planned_thaw(request: HttpRequest) -> datetime | None:
    """The form's planned thaw time (a `datetime-local`, read in the page's time zone); ValueError when unreadable."""
    raw = request.POST.get("planned_thaw_at", "").strip()
    if not raw:
        return None
    parsed = parse_datetime(raw)
    if parsed is None:
        raise ValueError(raw)
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


@login_required
@require_POST
def board_freeze(request: HttpRequest, event_id: int) -> HttpResponse:
    user = signed_in_user(request)
    event = access_event_for_board_freeze(user, event_id)
    try:
        planned = _planned_thaw(request)
    except ValueError:
        messages.error(request, _("计划揭榜时间无法识别，请按“年-月-日 时:分”填写。"),
                       extra_tags="board.thaw_unreadable")
        return redirect("competitions:event_manage", event_id=event.pk)
    attempt(request, lambda: services.board_freeze(actor=user, event=event, reason=request.POST.get("reason", ""),
                                                    planned_thaw_at=planned),
            _("公众榜已封榜：公众看到的成绩停在此刻，评委榜照常更新。"))
    return redirect("competitions:event_manage", event_id=event.pk)


@login_required
@require_POST
def board_reveal(request: HttpRequest, event_id: int) -> HttpResponse:
    user = signed_in_user(request)
    event = access_event_for_board_freeze(user, event_id)
    attempt(request, lambda: services.board_reveal_next(actor=user, event=event,
                                                         reason=request.POST.get("reason", "")),
            lambda freeze: _("已揭晓工位 %(no)s。") % {"no": freeze.revealed[-1]["workstation_no"]})
    return redirect("competitions:event_manage", event_id=event.pk)


@login_required
@require_POST
def board_thaw(request: HttpRequest, event_id: int) -> HttpResponse:
    user = signed_in_user(request)
    event = access_event_for_board_freeze(user, event_id)
    attempt(request, lambda: services.board_thaw(actor=user, event=event, reason=request.POST.get("reason", "")),
            _("已全部揭晓：公众榜恢复实时更新。"))
    return redirect("competitions:event_manage", event_id=event.pk)


def _posted_target(request: HttpRequest) -> Status:
    """The status a transition form asks for; an unknown one is a 404, as for a forged form."""
    target = request.POST.get("target", "")
    if target not in Status.values:
        raise NotFound()
    return Status(target)


@login_required
@require_POST
def event_transition(request: HttpRequest, event_id: int) -> HttpResponse:
    event = get_or_404(Event, pk=event_id)
    target = _posted_target(request)
    attempt(request, lambda: services.event_transition(actor=signed_in_user(request), event=event, target=target,
                                                        reason=request.POST.get("reason", "")),
             _("竞赛状态已变更为“%(status)s”。") % {"status": target.label})
    return redirect("competitions:event_manage", event_id=event.pk)


@login_required
@require_POST
def skill_transition(request: HttpRequest, skill_id: int) -> HttpResponse:
    skill = get_or_404(Skill, pk=skill_id)
    target = _posted_target(request)
    attempt(request, lambda: services.skill_transition(actor=signed_in_user(request), skill=skill, target=target,
                                                        reason=request.POST.get("reason", "")),
             _("赛项状态已变更为“%(status)s”。") % {"status": target.label})
    return redirect("competitions:event_manage", event_id=skill.event_id)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """"My competitions": the skills one referees or chairs, one's entries (as the API's `my/entries` returns
    them), and the objections one filed."""
    user = signed_in_user(request)
    return render(request, "competitions/mine.html", {
        "assignments": selectors.my_assignments(referee=user), "entries": selectors.my_entry_results(person=user),
        "objections": selectors.my_objections(person=user), "RefereeRole": RefereeRole, "Status": Status,
    })


@login_required
def theory(request: HttpRequest, skill_id: int) -> HttpResponse:
    """The organizer records each entrant's theory score, or 缺考 with a reason, one row at a time."""
    skill = get_or_404(Skill.objects.select_related("event"), pk=skill_id)
    sheet = selectors.skill_theory(viewer=signed_in_user(request), skill=skill)
    if request.method == "POST":
        entry = get_or_404(Entry.objects.filter(skill=skill), pk=request.POST.get("entry_id") or 0)
        raw, reason = request.POST.get("score", "").strip(), request.POST.get("absent_reason", "")
        try:
            score = Decimal(raw) if raw else None
        except InvalidOperation:
            messages.error(request, _("理论成绩请输入 0–100 的数字。"))
            return redirect("competitions:theory", skill_id=skill.pk)
        attempt(request, lambda: services.entry_theory_record(actor=signed_in_user(request), entry=entry,
                                                               score=score, absent_reason=reason),
                _("已保存检录号 %(no)s 的理论成绩。") % {"no": entry.checkin_no or "—"})
        return redirect("competitions:theory", skill_id=skill.pk)
    return render(request, "competitions/theory.html", {"skill": skill, "sheet": sheet})
