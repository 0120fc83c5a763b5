"""Pages of the encryption officer (加密裁判): the two draws and decryption of an event's skills (DESIGN.md
"Anonymity (二次加密)"; issue 4 item 7). The API offers the same writes (POST /skills/{id}/draws/{stage},
/skills/{id}/decrypt) for the venue's device; both call competitions.services.draws.

Who may open the page is decided in competitions.selectors.draws: the encryption officer of the organizer sees and
does everything; the organizer's staff and the platform admin, who manage the event and must know whether the
draws are done before it may start, see the page read-only, without the seeds and without the 检录号 → 工位号
table until the skill is decrypted, because either would let them decrypt before the sheets are signed off (the
draws are the encryption officer's "alone, not even the platform admin" in accounts.permissions, and the audit
log records only the seed's SHA-256 for the same reason). The organizer's referees get 403, other units 404.

Thin, like competitions.views.events: writes go through the services, which check the officer's right first (a
refused person gets the 403/404 page, competitions.views.pages.attempt), and a write the rules refuse comes back as
a message with the domain error's text.
"""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.auth import signed_in_user
from competitions import services
from competitions.models import DrawStage, Event, Skill
from competitions.selectors import draws as selectors_draws
from competitions.views.pages import attempt
from core.errors import NotFound
from core.lookup import get_or_404


def _back(skill: Skill) -> HttpResponse:
    return redirect(reverse("competitions:event_draws", args=[skill.event_id]) + f"#skill-{skill.pk}")


@login_required
def draws_index(request: HttpRequest) -> HttpResponse:
    """The menu's "抽签与解密": the events of the officer's units; straight to the page when there is one."""
    events = selectors_draws.draws_events(viewer=signed_in_user(request))
    if len(events) == 1:
        return redirect("competitions:event_draws", event_id=events[0].pk)
    return render(request, "competitions/draws_index.html", {"events": events})


@login_required
def event_draws(request: HttpRequest, event_id: int) -> HttpResponse:
    event = get_or_404(Event, pk=event_id)
    data = selectors_draws.event_draws(viewer=signed_in_user(request), event=event)
    return render(request, "competitions/draws.html", {"data": data, "DrawStage": DrawStage})


@login_required
@require_POST
def draw_run(request: HttpRequest, skill_id: int, stage: str) -> HttpResponse:
    skill = get_or_404(Skill, pk=skill_id)
    if stage == DrawStage.CHECKIN:
        attempt(request, lambda: services.draw_checkin(officer=signed_in_user(request), skill=skill),
                 _("%(skill)s：检录号抽签完成。") % {"skill": skill})
    elif stage == DrawStage.WORKSTATION:
        attempt(request, lambda: services.draw_workstations(officer=signed_in_user(request), skill=skill),
                 _("%(skill)s：工位号抽签完成。") % {"skill": skill})
    else:
        raise NotFound()
    return _back(skill)


@login_required
@require_POST
def skill_decrypt(request: HttpRequest, skill_id: int) -> HttpResponse:
    skill = get_or_404(Skill, pk=skill_id)
    attempt(request, lambda: services.skill_decrypt(officer=signed_in_user(request), skill=skill),
             _("%(skill)s：已解密。") % {"skill": skill})
    return _back(skill)


@login_required
def draw_record(request: HttpRequest, draw_id: int) -> HttpResponse:
    """The draw's record as a JSON file to keep or hand to an observer (`python -m competitions.draws verify`)."""
    record = selectors_draws.draw_record_file(viewer=signed_in_user(request), draw_id=draw_id)
    body = json.dumps(record, ensure_ascii=False, indent=2, sort_keys=True)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="draw-{draw_id}-{record["stage"]}.json"'
    response["Cache-Control"] = "no-store"
    return response
