"""The enterprise's pool pages (issue 14 item 7): search and filter the pool, a talent's profile with the contact
request and the shortlist, saved searches, the shortlist, the enterprise's contact requests, and the exports.
Thin: access (talentpool.access_pool), one service or selector, a template. Contact data comes masked from the
selectors unless the person consented (talentpool.selectors.profiles)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.auth import signed_in_user
from accounts.permissions import can, require
from core.errors import Conflict, DomainError, ValidationFailed
from talentpool import access_pool
from talentpool.excel_pool import pool_workbook
from talentpool.models import AwardKind, City, DemandPost
from talentpool.permissions import Action
from talentpool.selectors import pool as pool_selectors
from talentpool.selectors.profiles import CONTACT_HIDDEN, enterprise_requests, open_request_of, talent_profile
from talentpool.services import contacts, pool_tools

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RUNGS = [(1, "学徒工"), (2, "五级/初级工"), (3, "四级/中级工"), (4, "三级/高级工"), (5, "二级/技师"),
         (6, "一级/高级技师"), (7, "特级技师"), (8, "首席技师")]


def _error_text(exc: DomainError) -> str:
    if isinstance(exc, ValidationFailed):
        return "；".join(e.message for e in exc.field_errors)
    return exc.message


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, min(int(request.GET.get("page", "1")), 10_000))
    except ValueError:
        return 1


def _xlsx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def pool_search(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    require(user, Action.POOL_SEARCH)
    query = pool_selectors.query_from(request.GET)
    result = pool_selectors.pool_search(user, query, page=_page_number(request))
    units = access_pool.hr_enterprises(user)
    base = urlencode(query.as_dict())
    return render(request, "talentpool/pool/search.html", {
        "result": result, "query": query, "querystring": base, "cities": City.choices, "rungs": RUNGS,
        "awards": [c for c in AwardKind.choices if c[0]], "chains": pool_selectors.chain_choices(),
        "is_hr": bool(units), "saved": pool_selectors.saved_searches(user, units[0]) if units else [],
        "hidden": CONTACT_HIDDEN,
    })


@login_required
def pool_export(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    require(user, Action.POOL_SEARCH)
    rows = pool_selectors.pool_search_all(user, pool_selectors.query_from(request.GET))
    return _xlsx(pool_workbook(rows), "talent-pool.xlsx")


def _posts_of(units: list[int]) -> list[tuple[int, str]]:
    if not units:
        return []
    return [(p.pk, f"{p.checklist.year} · {p.name}") for p in DemandPost.objects.filter(
        checklist__enterprise_id=units[0]).select_related("checklist").order_by("-checklist__year", "position")]


@login_required
def talent_detail(request: HttpRequest, talent_id: int) -> HttpResponse:
    user = signed_in_user(request)
    talent = access_pool.access_talent(user, talent_id)
    units = access_pool.hr_enterprises(user)
    enterprise = units[0] if units else None
    return render(request, "talentpool/pool/talent.html", {
        "profile": talent_profile(user, talent), "hidden": CONTACT_HIDDEN,
        "may_request": enterprise is not None and can(user, Action.CONTACT_REQUEST,
                                                      access_pool.access_enterprise(user, enterprise)),
        "open_request": open_request_of(units, talent) if units else None, "posts": _posts_of(units),
        "selected_post": _post_id(request.GET.get("post")),  # from a post's matches: the post it is for
    })


def _post_id(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@login_required
@require_POST
def contact_request_create(request: HttpRequest, talent_id: int) -> HttpResponse:
    user = signed_in_user(request)
    try:
        contacts.contact_request_create(actor=user, talent_id=talent_id, post_id=_post_id(request.POST.get("post")),
                                        message=request.POST.get("message", ""))
    except (ValidationFailed, Conflict) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("联系请求已发出，本人同意后可查看联系方式。"))
    return redirect("talentpool:talent", talent_id=talent_id)


@login_required
@require_POST
def shortlist_add(request: HttpRequest, talent_id: int) -> HttpResponse:
    user = signed_in_user(request)
    try:
        pool_tools.shortlist_add(actor=user, talent_id=talent_id, post_id=_post_id(request.POST.get("post")),
                                 note=request.POST.get("note", ""))
    except (ValidationFailed, Conflict) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("已加入候选名单。"))
    back = str(request.POST.get("next", ""))
    return redirect(back if back.startswith("/talentpool/") and "//" not in back
                    else reverse("talentpool:talent", args=[talent_id]))


@login_required
def shortlist_page(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    enterprise = access_pool.access_enterprise(user, None)
    post_id = _post_id(request.GET.get("post"))
    entries = pool_selectors.shortlist(user, enterprise.pk, post_id)
    if request.GET.get("format") == "xlsx":
        return _xlsx(pool_workbook([e.talent for e in entries], {e.talent.id: e.note for e in entries}),
                     "shortlist.xlsx")
    return render(request, "talentpool/pool/shortlist.html", {
        "enterprise": enterprise, "entries": entries, "posts": _posts_of([enterprise.pk]), "post_id": post_id,
        "hidden": CONTACT_HIDDEN,
    })


@login_required
@require_POST
def shortlist_remove(request: HttpRequest, item_id: int) -> HttpResponse:
    user = signed_in_user(request)
    pool_tools.shortlist_remove(actor=user, item_id=item_id)
    messages.success(request, _("已移出候选名单。"))
    return redirect("talentpool:shortlist")


@login_required
@require_POST
def saved_search_create(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    query: dict[str, Any] = {k: request.POST.get(k, "") for k in
                             ("occupation", "min_rung", "city", "chain_id", "min_award", "open_only", "text")}
    try:
        pool_tools.saved_search_create(actor=user, name=request.POST.get("name", ""), query=query)
    except ValidationFailed as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("搜索已保存。"))
    return redirect(reverse("talentpool:pool") + "?" + urlencode(pool_selectors.query_from(query).as_dict()))


@login_required
@require_POST
def saved_search_delete(request: HttpRequest, search_id: int) -> HttpResponse:
    user = signed_in_user(request)
    pool_tools.saved_search_delete(actor=user, search_id=search_id)
    messages.success(request, _("已删除保存的搜索。"))
    return redirect("talentpool:pool")


@login_required
def enterprise_contact_requests(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    enterprise = access_pool.access_enterprise(user, None, Action.CONTACT_REQUEST)
    return render(request, "talentpool/pool/contact_requests.html", {
        "enterprise": enterprise, "requests": enterprise_requests(enterprise.pk), "hidden": CONTACT_HIDDEN,
    })


@login_required
@require_POST
def contact_request_withdraw(request: HttpRequest, request_id: int) -> HttpResponse:
    user = signed_in_user(request)
    try:
        contacts.contact_request_withdraw(actor=user, request_id=request_id, reason=request.POST.get("reason", ""))
    except (ValidationFailed, Conflict) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("联系请求已撤回。"))
    return redirect("talentpool:contact_requests")
