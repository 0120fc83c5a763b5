"""The organizer's setup pages (issue 10 item 1): announce and edit an event, add and edit its skills, its venues
and workstations (one by one, as a range such as H01–H40, or from Excel), and a skill's marking scheme (edited in a
table, imported and exported as Excel; the total is shown as one types, and the server judges on save).

Thin, as every page: a Django form turns the posted text into typed values (a field that is not a date or a number
is named here), then the service decides every rule and its refusal is shown beside the field it names; nothing
is written by a view. Rights come from the permission module through the services and selectors (another unit's
event is a 404, as in the API); forms carry CSRF tokens; templates escape.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.auth import signed_in_user
from accounts.permissions import can, require
from certification.selectors import occupation_choices
from competitions import access, services
from competitions import excel as workbooks
from competitions.domain import ranking
from competitions.domain.workstations import expand_workstation_numbers
from competitions.models import (
    AwardRuleKind,
    CompetitionLevel,
    Event,
    ExcellenceBasis,
    Group,
    MarkingMethod,
    MarkingScheme,
    Skill,
    Status,
    Venue,
)
from competitions.permissions import Action
from competitions.selectors.setup import event_venues, organizer_units, scheme_rows
from competitions.views.pages import attempt
from core.errors import DomainError, ImportFailed, NotFound, PermissionDenied, ValidationFailed
from core.lookup import get_or_404

TIE_BREAK_LABELS = {
    ranking.TieBreak.COMPLETION_TIME: gettext_lazy("用时短者列前"),
    ranking.TieBreak.PRACTICAL: gettext_lazy("实操成绩高者列前"),
    ranking.TieBreak.THEORY: gettext_lazy("理论成绩高者列前"),
    ranking.TieBreak.MODULES_REVERSE: gettext_lazy("按模块倒序比较模块成绩"),
}
TIE_BREAK_SLOTS = 4
BLANK_SCHEME_ROWS = 3
MORE_SCHEME_ROWS = 5


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EventForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("名称"), max_length=200)
    level = forms.ChoiceField(label=gettext_lazy("级别"), choices=CompetitionLevel.choices)
    series = forms.CharField(label=gettext_lazy("系列"), max_length=100, required=False,
                             help_text=gettext_lazy("如“技能兴鲁”"))
    starts_on = forms.DateField(label=gettext_lazy("比赛开始日期"), widget=_date_input())
    ends_on = forms.DateField(label=gettext_lazy("比赛结束日期"), widget=_date_input())
    award_rule = forms.ChoiceField(label=gettext_lazy("奖项规则"), choices=AwardRuleKind.choices)
    excellence_basis = forms.ChoiceField(label=gettext_lazy("优胜奖依据"), choices=ExcellenceBasis.choices)
    min_total = forms.DecimalField(label=gettext_lazy("获奖最低总分"), initial=Decimal(60), max_digits=5,
                                   decimal_places=2, help_text=gettext_lazy("低于此总分者不获奖、不晋级"))
    review_days = forms.IntegerField(label=gettext_lazy("公示期（工作日）"), initial=5, min_value=0)

    def data_for_service(self) -> services.EventData:
        d = self.cleaned_data
        return services.EventData(
            name=d["name"], level=CompetitionLevel(d["level"]), starts_on=d["starts_on"], ends_on=d["ends_on"],
            series=d["series"], award_rule=AwardRuleKind(d["award_rule"]),
            excellence_basis=ExcellenceBasis(d["excellence_basis"]), min_total=d["min_total"],
            review_days=d["review_days"],
        )


class NewEventForm(EventForm):
    organizer = forms.TypedChoiceField(label=gettext_lazy("主办单位"), coerce=int)

    field_order = ["organizer"]

    def __init__(self, *args: Any, units: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organizer"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(u.pk, u.name) for u in units]
        if len(units) == 1:
            field.initial = units[0].pk


class SkillForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("赛项名称"), max_length=100)
    occupation_code = forms.CharField(label=gettext_lazy("职业编码"), max_length=10,
                                      help_text=gettext_lazy("X-XX-XX-XX，如焊工 6-18-02-04"))
    group = forms.ChoiceField(label=gettext_lazy("组别"), choices=Group.choices)
    team_size = forms.TypedChoiceField(label=gettext_lazy("每队人数"), coerce=int, initial=1, choices=[
        (1, gettext_lazy("个人赛")), (2, gettext_lazy("2 人团体赛")), (3, gettext_lazy("3 人团体赛"))])
    min_age = forms.IntegerField(label=gettext_lazy("最小年龄"), required=False, min_value=0)
    max_age = forms.IntegerField(label=gettext_lazy("最大年龄"), required=False, min_value=0,
                                 help_text=gettext_lazy("按比赛首日计算的周岁；留空不限"))
    theory_weight = forms.DecimalField(label=gettext_lazy("理论成绩权重"), required=False, max_digits=5,
                                       decimal_places=4, help_text=gettext_lazy(
                                           "如 0.2：总成绩 = 理论×0.2 + 实操×0.8；留空表示没有理论部分"))
    award_rule = forms.ChoiceField(label=gettext_lazy("奖项规则"), required=False,
                                   choices=[("", gettext_lazy("按竞赛的规则")), *AwardRuleKind.choices])
    occupation = forms.TypedChoiceField(
        label=gettext_lazy("职业目录中的职业"), required=False, coerce=int, empty_value=None,
        help_text=gettext_lazy("竞赛晋级按选手在该职业持有的等级计算，并登记到该职业；编码须与职业编码一致"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        occupation = self.fields["occupation"]
        assert isinstance(occupation, forms.TypedChoiceField)
        occupation.choices = [("", gettext_lazy("（未关联）")), *occupation_choices()]
        choices = [("", gettext_lazy("（不使用）")), *((t.value, TIE_BREAK_LABELS[t]) for t in ranking.TieBreak)]
        for n in range(1, TIE_BREAK_SLOTS + 1):
            self.fields[f"tie_break_{n}"] = forms.ChoiceField(
                label=_("并列时第 %(n)d 依据") % {"n": n}, choices=choices, required=False)

    def tie_break_fields(self) -> list[forms.BoundField]:
        return [self[f"tie_break_{n}"] for n in range(1, TIE_BREAK_SLOTS + 1)]

    def data_for_service(self, skill: Skill | None = None) -> services.SkillData:
        """The form's values; for an existing skill, what the form does not show (its nomination link) is kept."""
        d = self.cleaned_data
        tie_breaks = tuple(dict.fromkeys(d[f"tie_break_{n}"] for n in range(1, TIE_BREAK_SLOTS + 1)
                                         if d[f"tie_break_{n}"]))
        return services.SkillData(
            name=d["name"], occupation_code=d["occupation_code"].strip(), group=Group(d["group"]),
            team_size=d["team_size"], min_age=d["min_age"], max_age=d["max_age"], theory_weight=d["theory_weight"],
            tie_breaks=tie_breaks, award_rule=d["award_rule"] or "",
            nominates_to=skill.nominates_to if skill is not None else None,
            nominate_top=skill.nominate_top if skill is not None else None,
            occupation_id=d["occupation"],
        )


def _refused(form: forms.Form, exc: ValidationFailed) -> None:
    """The service's refusal shown beside each field it names (or above the form)."""
    for error in exc.field_errors:
        form.add_error(error.field if error.field in form.fields else None, error.message)


def _save(request: HttpRequest, form: forms.Form, write: Any, success: str) -> Any:
    """Run the service `write`; its result, or None with its refusal on the form or as a message."""
    try:
        result = write()
    except ValidationFailed as exc:
        _refused(form, exc)
        return None
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        form.add_error(None, exc.message)
        return None
    messages.success(request, success, extra_tags="done")
    return result


def _managed_event(request: HttpRequest, event_id: int) -> Event:
    event = get_or_404(Event.objects.select_related("organizer"), pk=event_id)
    require(signed_in_user(request), Action.COMPETITION_MANAGE, event)  # 404 across units, 403 otherwise
    return event


def _managed_skill(request: HttpRequest, skill_id: int) -> Skill:
    skill = get_or_404(Skill.objects.select_related("event"), pk=skill_id)
    require(signed_in_user(request), Action.COMPETITION_MANAGE, skill)
    return skill


# --- events -------------------------------------------------------------------------------------------------------


@login_required
def event_new(request: HttpRequest) -> HttpResponse:
    """Announce an event (筹备): the organizing unit is one the person manages events for."""
    user = signed_in_user(request)
    units = organizer_units(viewer=user)
    if not units:
        require(user, Action.COMPETITION_MANAGE)  # 403: nobody to announce an event for
    form = NewEventForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        unit = next(u for u in units if u.pk == form.cleaned_data["organizer"])
        event = _save(request, form, lambda: services.event_create(actor=user, organizer=unit,
                                                                   data=form.data_for_service()),
                      _("竞赛已创建。下一步：添加赛项。"))
        if event is not None:
            return redirect("competitions:event_manage", event_id=event.pk)
    return render(request, "competitions/setup_event.html", {"form": form, "event": None},
                  status=422 if form.errors else 200)


@login_required
def event_edit(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _managed_event(request, event_id)
    initial = {f: getattr(event, f) for f in EventForm.base_fields}
    form = EventForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, lambda: services.event_update(actor=signed_in_user(request), event=event,
                                                                   data=form.data_for_service()),
                      _("竞赛信息已保存。"))
        if saved is not None:
            return redirect("competitions:event_manage", event_id=event.pk)
    return render(request, "competitions/setup_event.html", {"form": form, "event": event},
                  status=422 if form.errors else 200)


# --- skills -------------------------------------------------------------------------------------------------------


@login_required
def skill_new(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _managed_event(request, event_id)
    form = SkillForm(request.POST or None, initial={
        f"tie_break_{n}": t.value for n, t in enumerate(ranking.DEFAULT_TIE_BREAKS, start=1)})
    if request.method == "POST" and form.is_valid():
        skill = _save(request, form, lambda: services.skill_create(actor=signed_in_user(request), event=event,
                                                                   data=form.data_for_service()),
                      _("赛项已添加。下一步：评分标准和工位。"))
        if skill is not None:
            return redirect("competitions:event_manage", event_id=event.pk)
    return render(request, "competitions/setup_skill.html", {"form": form, "event": event, "skill": None},
                  status=422 if form.errors else 200)


@login_required
def skill_edit(request: HttpRequest, skill_id: int) -> HttpResponse:
    skill = _managed_skill(request, skill_id)
    initial: dict[str, Any] = {f: getattr(skill, f) for f in SkillForm.base_fields}
    initial.update({f"tie_break_{n}": code for n, code in enumerate(skill.tie_breaks, start=1)})
    initial["occupation"] = skill.occupation_id
    form = SkillForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, lambda: services.skill_update(actor=signed_in_user(request), skill=skill,
                                                                   data=form.data_for_service(skill)),
                      _("赛项已保存。"))
        if saved is not None:
            return redirect("competitions:event_manage", event_id=skill.event_id)
    return render(request, "competitions/setup_skill.html", {"form": form, "event": skill.event, "skill": skill},
                  status=422 if form.errors else 200)


# --- venues and workstations --------------------------------------------------------------------------------------


def _venues_page(request: HttpRequest, event: Event, *, failed: ImportFailed | None = None,
                 status: int = 200) -> HttpResponse:
    venues, totals = event_venues(viewer=signed_in_user(request), event_id=event.pk)
    return render(request, "competitions/setup_venues.html", {
        "event": event, "venues": venues, "totals": totals, "failed": failed,
        "error_rows": failed.rows() if failed is not None else [],
        "skills": list(Skill.objects.filter(event=event).select_related("event").order_by("pk")),
    }, status=status)


@login_required
def venues(request: HttpRequest, event_id: int) -> HttpResponse:
    return _venues_page(request, _managed_event(request, event_id))


@login_required
@require_POST
def venue_add(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _managed_event(request, event_id)
    data = services.VenueData(request.POST.get("name", ""), request.POST.get("address", ""))
    attempt(request, lambda: services.venue_add(actor=signed_in_user(request), event=event, data=data),
            _("赛场“%(name)s”已添加。") % {"name": data.name.strip()})
    return redirect("competitions:venues", event_id=event.pk)


def _venue_and_skill(request: HttpRequest, venue_id: int) -> tuple[Venue, Skill]:
    venue = get_or_404(Venue.objects.select_related("event"), pk=venue_id)
    require(signed_in_user(request), Action.COMPETITION_MANAGE, venue.event)
    skill = get_or_404(Skill.objects.filter(event_id=venue.event_id), pk=request.POST.get("skill") or 0)
    return venue, skill


@login_required
@require_POST
def workstations_add(request: HttpRequest, venue_id: int) -> HttpResponse:
    venue, skill = _venue_and_skill(request, venue_id)
    numbers = request.POST.get("numbers", "")
    count = len(expand_workstation_numbers(numbers).numbers)  # shown only when the service added them all
    attempt(request, lambda: services.workstations_add(actor=signed_in_user(request), venue=venue, skill=skill,
                                                       numbers=numbers),
            _("已为“%(skill)s”添加 %(count)d 个工位。") % {"skill": skill, "count": count})
    return redirect("competitions:venues", event_id=venue.event_id)


@login_required
@require_POST
def workstations_remove(request: HttpRequest, venue_id: int) -> HttpResponse:
    venue, skill = _venue_and_skill(request, venue_id)
    attempt(request, lambda: services.workstations_remove(actor=signed_in_user(request), venue=venue, skill=skill,
                                                          numbers=request.POST.get("numbers", "")),
            _("已删除“%(skill)s”的工位。") % {"skill": skill})
    return redirect("competitions:venues", event_id=venue.event_id)


@login_required
@require_POST
def venues_import(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _managed_event(request, event_id)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请选择要上传的 Excel 文件。"))
        return redirect("competitions:venues", event_id=event.pk)
    try:
        made = services.venues_import(actor=signed_in_user(request), event=event,
                                      data=workbooks.read_upload(upload, workbooks.VENUES))
    except ImportFailed as exc:  # the page itself: the table of bad cells is the answer
        return _venues_page(request, event, failed=exc, status=422)
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        messages.error(request, exc.message, extra_tags=exc.code)
        return redirect("competitions:venues", event_id=event.pk)
    messages.success(request, _("已导入 %(count)d 个工位。") % {"count": len(made)}, extra_tags="done")
    return redirect("competitions:venues", event_id=event.pk)


# --- the marking scheme -------------------------------------------------------------------------------------------

SCHEME_KEYS = tuple(c.key for c in workbooks.SCHEME.columns)


def _posted_rows(request: HttpRequest) -> list[dict[str, str]]:
    columns = {key: request.POST.getlist(key) for key in SCHEME_KEYS}
    count = max((len(v) for v in columns.values()), default=0)
    return [{key: (columns[key][i] if i < len(columns[key]) else "") for key in SCHEME_KEYS} for i in range(count)]


def _blank_row() -> dict[str, str]:
    return dict.fromkeys(SCHEME_KEYS, "")


def _total(rows: list[dict[str, str]]) -> str:
    total = Decimal(0)
    for row in rows:
        try:
            total += Decimal(row.get("max_mark") or "0")
        except ArithmeticError:
            continue
    return format(total.normalize(), "f") if total else "0"


@login_required
def scheme(request: HttpRequest, skill_id: int) -> HttpResponse:
    """The scheme editor: one table row per aspect (the import's columns), saved as a whole by the same rules as
    an imported file; "添加行" adds blank rows without saving; a refused save keeps what was typed."""
    user = signed_in_user(request)
    skill = access.access_skill_for_scheme(user, skill_id)
    may_edit = can(user, Action.SCHEME_MANAGE, skill)
    frozen = MarkingScheme.objects.filter(skill=skill, frozen_at__isnull=False).exists()
    failed: ImportFailed | DomainError | None = None
    if request.method == "POST":
        if not may_edit:
            require(user, Action.SCHEME_MANAGE, skill)
        rows = _posted_rows(request)
        if "add_rows" in request.POST:
            rows += [_blank_row() for _n in range(MORE_SCHEME_ROWS)]
        else:
            try:
                saved = services.scheme_table_save(actor=user, skill=skill, rows=rows)
            except ImportFailed as exc:
                failed = exc
            except (NotFound, PermissionDenied):
                raise
            except DomainError as exc:
                failed = exc
            else:
                messages.success(request, _("评分标准已保存：%(count)d 个评分项。") % {"count": saved.aspects.count()},
                                 extra_tags="done")
                return redirect("competitions:scheme", skill_id=skill.pk)
    else:
        rows = scheme_rows(skill)
        if may_edit and not frozen:
            rows += [_blank_row() for _n in range(BLANK_SCHEME_ROWS if rows else BLANK_SCHEME_ROWS + 2)]
    row_errors: dict[int, list[str]] = {}
    if isinstance(failed, ImportFailed):
        for e in failed.row_errors:
            row_errors.setdefault(e.row, []).append(f"{e.column}：{e.message}" if e.column else e.message)
    return render(request, "competitions/setup_scheme.html", {
        "skill": skill, "rows": [(n, row, row_errors.get(n, [])) for n, row in enumerate(rows, start=1)],
        "failed": failed, "import_failed": isinstance(failed, ImportFailed), "may_edit": may_edit and not frozen,
        "frozen": frozen, "methods": MarkingMethod.choices, "total": _total(rows), "Status": Status,
        "may_export": MarkingScheme.objects.filter(skill=skill).exists(),
    }, status=422 if failed is not None else 200)

