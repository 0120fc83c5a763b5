"""The marking groups page (裁判分组) of a skill, for its chief referee and the organizer: the referees by group, the
block sizes, whether the platform placed the workstations, and the "too small" warning (DESIGN.md "Recusal without a
leak"). Thin: the selector reads, the service forms and places; the page never shows which workstations a block
holds (competitions.domain.groups)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.auth import signed_in_user
from competitions import access, selectors, services
from competitions.views.pages import attempt

MAX_GROUPS = 20


def _count(raw: str | None, default: int, most: int) -> int:
    try:
        return max(1, min(int(raw or default), most))
    except ValueError:
        return default


def _posted_groups(post: QueryDict, count: int, referee_ids: list[int]) -> list[services.GroupData] | str:
    """The groups the form asks for, or the message naming the first bad field."""
    members: dict[int, list[int]] = {n: [] for n in range(1, count + 1)}
    for referee_id in referee_ids:
        raw = post.get(f"group_{referee_id}", "")
        if raw:
            try:
                members[int(raw)].append(referee_id)
            except (ValueError, KeyError):
                return _("裁判的分组无效。")
    groups = []
    for n in range(1, count + 1):
        raw = post.get(f"size_{n}", "").strip()
        try:
            size = int(raw) if raw else None
        except ValueError:
            return _("第%(n)d组的工位数须为整数。") % {"n": n}
        groups.append(services.GroupData(tuple(members[n]), post.get(f"name_{n}", "")[:50], size))
    return groups


@login_required
def groups(request: HttpRequest, skill_id: int) -> HttpResponse:
    """GET: the skill's groups and the form; POST: form the groups (the service places the workstations)."""
    user = signed_in_user(request)
    skill = access.access_skill_for_groups(user, skill_id)
    view = selectors.marking_groups(skill=skill)
    most = max(1, min(MAX_GROUPS, len(view.referees)))
    suggested = len(view.groups) or max(1, min(most, len(view.referees) // max(1, view.panel_size)))
    count = _count(request.POST.get("count") or request.GET.get("count"), suggested, most)
    url = reverse("competitions:groups", kwargs={"skill_id": skill.pk})
    if request.method == "POST":
        data = _posted_groups(request.POST, count, [r.referee_id for r in view.referees])
        if isinstance(data, str):
            messages.error(request, data, extra_tags="field.invalid")
        else:
            attempt(request, lambda: services.marking_groups_form(actor=user, skill=skill, groups=data,
                                                                  reason=request.POST.get("reason", "")),
                    _("已完成分组：平台已按回避规则安排各组评判的工位。"), code="groups.formed")
        return redirect(f"{url}?count={count}")
    # The form starts from the groups in force, else deals the referees out in priority order.
    choice = {r.referee_id: (r.group + 1 if r.group is not None and r.group < count else (i % count) + 1)
              for i, r in enumerate(view.referees)}
    rows = [(r, choice[r.referee_id]) for r in view.referees]
    slots = [(n, next((g for g in view.groups if g.position == n - 1), None)) for n in range(1, count + 1)]
    return render(request, "competitions/groups.html", {
        "skill": skill, "view": view, "rows": rows, "slots": slots, "count": count, "most": most,
        "numbers": range(1, count + 1),
    })
