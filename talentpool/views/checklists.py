"""The checklists' pages (issue 14 items 3–4): an enterprise's HR files its demand checklist (企业需求清单) in the
browser (facts, contact, chains; posts with their skill points; training and collaboration needs; rows added and
removed in the page by static/js/checklists.js, each error shown beside its field), reads it, submits it (报送);
a college's staff do the same with the supply checklist (院校供给清单). The lists: a unit sees its own; organizer
staff and the admin see all, filtered by chain, city and status; an alliance's lead college sees its members'
supply checklists. Rights from talentpool.access, as the API asks them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.auth import signed_in_user
from accounts.models import Organization
from accounts.permissions import can
from core.errors import Conflict, FieldError, NotFound, ValidationFailed
from talentpool import access
from talentpool.domain import checklists as d
from talentpool.models import ChecklistStatus, DemandChecklist, SupplyChecklist
from talentpool.models.pool import City
from talentpool.permissions import Action
from talentpool.selectors import checklists as selectors
from talentpool.services import checklists as services
from talentpool.views import checklist_forms as cf


def city_of(unit: Organization) -> str:
    """Organization.city ("济南市") as a `City` value ("jinan"), "" when it names none."""
    name = unit.city.removesuffix("市")
    return next((value for value, label in City.choices if str(label) == name), "")


def _filters(request: HttpRequest) -> dict[str, Any]:
    status = request.GET.get("status", "")
    return {"chain": request.GET.get("chain", ""), "city": request.GET.get("city", ""),
            "status": status if status in ChecklistStatus.values else ""}


def _list_page(request: HttpRequest, kind: str) -> HttpResponse:
    user = signed_in_user(request)
    filters = _filters(request)
    if kind == "demand":
        rows = selectors.demand_checklist_list(user, **filters)
        units = list(access.demand_units(user))
        readable = can(user, Action.DEMAND_VIEW)
    else:
        rows = selectors.supply_checklist_list(user, **filters)
        units = list(access.supply_units(user))
        readable = can(user, Action.SUPPLY_VIEW)
    if not readable and not units:
        raise NotFound()
    return render(request, "talentpool/checklists/list.html", {
        "kind": kind, "rows": rows, "units": units, "filters": filters, "chains": selectors.chain_choices(),
        "cities": City.choices, "statuses": ChecklistStatus.choices, "this_year": timezone.localdate().year,
    })


@login_required
@require_GET
def demand_list(request: HttpRequest) -> HttpResponse:
    return _list_page(request, "demand")


@login_required
@require_GET
def supply_list(request: HttpRequest) -> HttpResponse:
    return _list_page(request, "supply")


def _year(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("year") or request.POST.get("year") or timezone.localdate().year)
    except ValueError:
        return timezone.localdate().year


def _unit_id(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("unit") or request.POST.get("unit") or 0)
    except ValueError:
        raise NotFound() from None


def _demand_context(form: d.DemandForm, raw_posts: list[dict[str, Any]] | None, errors: dict[str, list[str]],
                    *, unit: Organization, year: int, checklist: DemandChecklist | None) -> dict[str, Any]:
    values = {f.name: getattr(form, f.name) for f in cf.DEMAND_FACTS}
    posts = raw_posts if raw_posts is not None else [
        {**row, "skills": cf.as_rows(row["skills"])} for row in cf.as_rows(form.posts)]
    return {
        "kind": "demand", "unit": unit, "year": year, "checklist": checklist, "facts": cf.facts_cells(
            cf.DEMAND_FACTS, values, errors), "chains": selectors.chain_choices(), "chosen": set(form.chains),
        "chain_errors": [m for k, v in errors.items() if k.startswith("chains") for m in v],
        "year_errors": errors.get("year", []),
        "posts": cf.post_rows(posts, errors, raw=raw_posts is not None),
        "sections": [cf.section_rows(s, cf.as_rows(getattr(form, s.key)), errors) for s in (cf.TRAINING,
                                                                                             cf.COLLABORATION)],
        "occupations": selectors.occupation_choices(), "error_count": sum(len(v) for v in errors.values()),
    }


def _demand_blank(unit: Organization) -> d.DemandForm:
    return d.DemandForm(enterprise_name=unit.name, nature="", city=city_of(unit), contact_person="",
                        contact_phone="", posts=(d.PostForm(name="", occupation_code="", headcount=1, level="",
                                                            city=city_of(unit)),))


@dataclass(frozen=True)
class _Kind:
    """What differs between the demand and the supply checklist's edit and submit pages; the flow is one."""

    template: str
    detail_route: str
    saved: str  # the message after a save, translated when shown
    submitted: str
    parse: Callable[[QueryDict], tuple[Any, list[FieldError], Any]]  # form, parse errors, what the page re-shows
    problems: Callable[..., list[FieldError]]
    save: Callable[..., Any]
    submit: Callable[..., Any]
    context: Callable[..., dict[str, Any]]
    blank: Callable[[Organization], Any]
    load: Callable[[Any], Any]


DEMAND = _Kind(
    template="talentpool/checklists/demand_form.html", detail_route="talentpool:demand_checklist",
    saved=gettext_noop("需求清单已保存。"), submitted=gettext_noop("需求清单已报送。"),
    parse=cf.demand_from_post, problems=services.demand_checklist_problems,
    save=lambda *, unit, **kw: services.demand_checklist_save(enterprise=unit, **kw),
    submit=services.demand_checklist_submit,
    context=lambda form, raw_posts, errors, **kw: _demand_context(form, raw_posts, errors, **kw),
    blank=_demand_blank, load=selectors.demand_form)

SUPPLY = _Kind(
    template="talentpool/checklists/supply_form.html", detail_route="talentpool:supply_checklist",
    saved=gettext_noop("供给清单已保存。"), submitted=gettext_noop("供给清单已报送。"),
    parse=lambda post: (*cf.supply_from_post(post), None), problems=services.supply_checklist_problems,
    save=lambda *, unit, **kw: services.supply_checklist_save(college=unit, **kw),
    submit=services.supply_checklist_submit,
    context=lambda form, _extra, errors, **kw: _supply_context(form, errors, **kw),
    blank=lambda unit: d.SupplyForm(college_name=unit.name, city=city_of(unit), contact_person="",
                                    contact_phone=""),
    load=selectors.supply_form)


def _edit(request: HttpRequest, kind: _Kind, unit: Organization, checklist: Any) -> HttpResponse:
    """New or edit: GET shows the form (blank, or the checklist's), POST saves all of it or nothing, re-showing
    what was typed with each error beside its field (422)."""
    user = signed_in_user(request)
    year = checklist.year if checklist is not None else _year(request)
    if request.method == "POST":
        form, parse_errors, typed = kind.parse(request.POST)
        if checklist is None:
            year, year_errors = cf.read_year(request.POST)
            parse_errors = year_errors + parse_errors
        problems = cf.merged(parse_errors, kind.problems(year=year, form=form))
        if not problems:
            try:
                saved = kind.save(actor=user, unit=unit, year=year, form=form,
                                  reason=request.POST.get("reason", "")[:500])
            except ValidationFailed as exc:
                problems = exc.field_errors
            else:
                messages.success(request, _(kind.saved))
                return redirect(kind.detail_route, checklist_id=saved.pk)
        context = kind.context(form, typed, cf.error_map(problems), unit=unit, year=year, checklist=checklist)
        return render(request, kind.template, context, status=422)
    form = kind.load(checklist) if checklist is not None else kind.blank(unit)
    return render(request, kind.template, kind.context(form, None, {}, unit=unit, year=year, checklist=checklist))


def _submit(request: HttpRequest, kind: _Kind, checklist: Any) -> HttpResponse:
    try:
        kind.submit(actor=signed_in_user(request), checklist=checklist)
    except (Conflict, ValidationFailed) as exc:
        messages.error(request, exc.message if isinstance(exc, Conflict)
                       else "；".join(e.message for e in exc.field_errors))
    else:
        messages.success(request, _(kind.submitted))
    return redirect(kind.detail_route, checklist_id=checklist.pk)


@login_required
@require_http_methods(["GET", "POST"])
def demand_new(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    unit = access.access_enterprise_for_demand(user, _unit_id(request))
    existing = DemandChecklist.objects.filter(enterprise=unit, year=_year(request)).first()
    if existing is not None and request.method == "GET":
        return redirect("talentpool:demand_checklist_edit", checklist_id=existing.pk)
    return _edit(request, DEMAND, unit, None)


@login_required
@require_http_methods(["GET", "POST"])
def demand_edit(request: HttpRequest, checklist_id: int) -> HttpResponse:
    checklist = access.access_demand_checklist(signed_in_user(request), checklist_id, Action.DEMAND_MANAGE)
    return _edit(request, DEMAND, checklist.enterprise, checklist)


@login_required
@require_GET
def demand_detail(request: HttpRequest, checklist_id: int) -> HttpResponse:
    user = signed_in_user(request)
    checklist = access.access_demand_checklist(user, checklist_id)
    form = selectors.demand_form(checklist)
    return render(request, "talentpool/checklists/demand_detail.html", {
        "kind": "demand", "checklist": checklist, "header": selectors.demand_header(checklist), "form": form,
        "facts": [(f.label, cf.display(f, getattr(form, f.name))) for f in cf.DEMAND_FACTS],
        "posts": selectors.demand_post_rows(checklist),
        "tables": [cf.table(s, getattr(form, s.key)) for s in (cf.TRAINING, cf.COLLABORATION)],
        "may_manage": can(user, Action.DEMAND_MANAGE, checklist),
    })


@login_required
@require_POST
def demand_submit(request: HttpRequest, checklist_id: int) -> HttpResponse:
    checklist = access.access_demand_checklist(signed_in_user(request), checklist_id, Action.DEMAND_MANAGE)
    return _submit(request, DEMAND, checklist)


def _supply_context(form: d.SupplyForm, errors: dict[str, list[str]], *, unit: Organization, year: int,
                    checklist: SupplyChecklist | None) -> dict[str, Any]:
    values = {f.name: getattr(form, f.name) for f in cf.SUPPLY_FACTS}
    return {
        "kind": "supply", "unit": unit, "year": year, "checklist": checklist,
        "facts": cf.facts_cells(cf.SUPPLY_FACTS, values, errors), "chains": selectors.chain_choices(),
        "chosen": set(form.chains), "year_errors": errors.get("year", []),
        "chain_errors": [m for k, v in errors.items() if k.startswith("chains") for m in v],
        "sections": [cf.section_rows(s, cf.as_rows(getattr(form, s.key)), errors) for s in cf.SUPPLY_SECTIONS],
        "occupations": selectors.occupation_choices(), "error_count": sum(len(v) for v in errors.values()),
    }


@login_required
@require_http_methods(["GET", "POST"])
def supply_new(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    unit = access.access_college_for_supply(user, _unit_id(request))
    existing = SupplyChecklist.objects.filter(college=unit, year=_year(request)).first()
    if existing is not None and request.method == "GET":
        return redirect("talentpool:supply_checklist_edit", checklist_id=existing.pk)
    return _edit(request, SUPPLY, unit, None)


@login_required
@require_http_methods(["GET", "POST"])
def supply_edit(request: HttpRequest, checklist_id: int) -> HttpResponse:
    checklist = access.access_supply_checklist(signed_in_user(request), checklist_id, Action.SUPPLY_MANAGE)
    return _edit(request, SUPPLY, checklist.college, checklist)


@login_required
@require_GET
def supply_detail(request: HttpRequest, checklist_id: int) -> HttpResponse:
    user = signed_in_user(request)
    checklist = access.access_supply_checklist(user, checklist_id)
    form = selectors.supply_form(checklist)
    return render(request, "talentpool/checklists/supply_detail.html", {
        "kind": "supply", "checklist": checklist, "header": selectors.supply_header(checklist), "form": form,
        "facts": [(f.label, cf.display(f, getattr(form, f.name))) for f in cf.SUPPLY_FACTS],
        "tables": [cf.table(s, getattr(form, s.key)) for s in cf.SUPPLY_SECTIONS],
        "may_manage": can(user, Action.SUPPLY_MANAGE, checklist),
    })


@login_required
@require_POST
def supply_submit(request: HttpRequest, checklist_id: int) -> HttpResponse:
    checklist = access.access_supply_checklist(signed_in_user(request), checklist_id, Action.SUPPLY_MANAGE)
    return _submit(request, SUPPLY, checklist)
