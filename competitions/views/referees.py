"""The referees page of a skill (裁判安排; issue 10 item 1): appoint referees and the chief referee from people
found by name (ID numbers masked as the selector decides), and record the relationships they declared to the
skill's contestants. Thin: competitions.selectors.referees reads; `services.referee_assign` and
`services.relationship_record` write and decide rights (the chief referee changes panels once marking started,
with a reason). The marking groups are another page's."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.auth import signed_in_user
from accounts.models import User
from competitions import selectors, services
from competitions.models import RefereeRole, Skill
from competitions.selectors.referees import REFEREE_ROLES
from competitions.views.pages import attempt
from core.errors import NotFound
from core.lookup import get_or_404


def _skill(skill_id: int) -> Skill:
    return get_or_404(Skill.objects.select_related("event"), pk=skill_id)


@login_required
@require_GET
def referees(request: HttpRequest, skill_id: int) -> HttpResponse:
    skill = _skill(skill_id)
    user = signed_in_user(request)
    page = selectors.skill_referees(viewer=user, skill=skill)
    query = request.GET.get("q", "")
    candidates = selectors.referee_candidates(viewer=user, skill=skill, query=query)
    template = "competitions/_referee_candidates.html" if request.headers.get("HX-Request") else \
        "competitions/referees.html"
    return render(request, template, {"page": page, "q": query.strip(), "candidates": candidates,
                                      "RefereeRole": RefereeRole})


def _back(skill: Skill, request: HttpRequest) -> HttpResponse:
    query = request.POST.get("q", "")
    url = reverse("competitions:referees", args=[skill.pk])
    return redirect(f"{url}?{urlencode({'q': query})}" if query else url)


@login_required
@require_POST
def referee_appoint(request: HttpRequest, skill_id: int) -> HttpResponse:
    skill = _skill(skill_id)
    referee = get_or_404(User.objects.filter(memberships__role__in=REFEREE_ROLES).distinct(),
                         pk=request.POST.get("referee") or 0)
    role = request.POST.get("role", RefereeRole.REFEREE)
    if role not in RefereeRole.values:
        raise NotFound()
    try:
        priority = int(request.POST.get("priority") or 100)
    except ValueError:
        priority = -1
    if not 0 <= priority <= 1000:
        messages.error(request, _("顺序请填写 0–1000 的整数。"), extra_tags="field.invalid")
        return _back(skill, request)
    attempt(request, lambda: services.referee_assign(
        actor=signed_in_user(request), skill=skill, referee=referee, role=RefereeRole(role), priority=priority,
        reason=request.POST.get("reason", "")),
        _("已安排 %(person)s 为%(role)s。") % {"person": referee, "role": RefereeRole(role).label},
        code="referee.assigned")
    return _back(skill, request)


@login_required
@require_POST
def relationship_record(request: HttpRequest, skill_id: int) -> HttpResponse:
    skill = _skill(skill_id)
    referee = get_or_404(User, pk=request.POST.get("referee") or 0)
    person = get_or_404(User, pk=request.POST.get("person") or 0)
    attempt(request, lambda: services.relationship_record(actor=signed_in_user(request), skill=skill,
                                                          referee=referee, person=person,
                                                          reason=request.POST.get("reason", "")),
            _("已登记 %(referee)s 与 %(person)s 的关系，该裁判将回避这名选手。")
            % {"referee": referee, "person": person},
            code="relationship.recorded")
    return _back(skill, request)
