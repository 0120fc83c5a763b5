"""Matching pages (issue 14 item 6): a demand post's matched talents, each with every factor's value, weight and
contribution and the sentence of what would lift their rank ("若焊工等级再高一级，将升至第 3 名"), and the
colleges whose majors and graduates supply the post; and a demand checklist's training and collaboration needs
with the colleges' courses, research, open equipment and cases most like them. For the enterprise, organizer
staff and the admin; the same selectors as the API, so the pages show no contact data either."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.auth import signed_in_user
from core.errors import RuleBroken
from talentpool import access
from talentpool.selectors import matching as selectors


@login_required
@require_GET
def post_matches(request: HttpRequest, post_id: int) -> HttpResponse:
    user = signed_in_user(request)
    post = access.access_post_for_matching(user, post_id)
    asked = request.GET.get("talent", "")
    talent_id = int(asked) if asked.isascii() and asked.isdigit() and len(asked) < 19 else None
    same_city = request.GET.get("same_city") == "1"
    try:
        matches = selectors.post_matches(viewer=user, post=post, talent_id=talent_id, same_city_only=same_city)
    except RuleBroken as exc:  # the post's own weights are malformed: say so, as the API's 422 does
        return render(request, "shell/error.html", {"message": exc.message, "code": exc.code,
                                                    "status": exc.status}, status=exc.status)
    return render(request, "talentpool/matching/post_matches.html", {"matches": matches, "asked": asked})


@login_required
@require_GET
def checklist_offers(request: HttpRequest, checklist_id: int) -> HttpResponse:
    user = signed_in_user(request)
    checklist = access.access_checklist_for_matching(user, checklist_id)
    return render(request, "talentpool/matching/checklist_offers.html", {
        "offers": selectors.checklist_offers(viewer=user, checklist=checklist),
    })
