"""Matchmaking events (对接会, issue 14 item 8): the list (organizers: every event, with a create form for those
who may; a unit: the events it is invited to, with its invitations to answer), one event (proposals with their
reasons, invitations, outcomes with a form to record them) and the POST actions on it."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.auth import signed_in_user
from accounts.models import Alliance, OrganizationKind
from accounts.permissions import can
from core.errors import Conflict, PermissionDenied, ValidationFailed
from talentpool import access_matchmaking as access
from talentpool.models import City, IndustryChain, InvitationStatus, MatchmakingScope, OutcomeKind
from talentpool.permissions import Action
from talentpool.selectors import matchmaking as selectors
from talentpool.services import matchmaking as services


class EventForm(forms.Form):
    organizer = forms.TypedChoiceField(label=gettext_lazy("主办单位"), coerce=int)
    name = forms.CharField(label=gettext_lazy("名称"), max_length=200)
    scope = forms.ChoiceField(label=gettext_lazy("范围"), choices=MatchmakingScope.choices)
    chain = forms.TypedChoiceField(label=gettext_lazy("产业链"), coerce=int, required=False, empty_value=None,
                                   help_text=gettext_lazy("范围为按产业链时必选"))
    city = forms.ChoiceField(label=gettext_lazy("城市"), required=False,
                             choices=[("", "—"), *City.choices], help_text=gettext_lazy("范围为按城市时必选"))
    alliance = forms.TypedChoiceField(label=gettext_lazy("联盟/集团"), coerce=int, required=False, empty_value=None,
                                      help_text=gettext_lazy("范围为按联盟/集团时必选"))
    held_on = forms.DateField(label=gettext_lazy("举办日期"), widget=forms.DateInput(attrs={"type": "date"}))
    venue = forms.CharField(label=gettext_lazy("地点"), max_length=200, required=False)
    description = forms.CharField(label=gettext_lazy("说明"), max_length=4000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: object, organizers: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["organizer"].choices = organizers  # type: ignore[attr-defined]
        self.fields["chain"].choices = [("", "—"), *IndustryChain.objects.values_list("pk", "name")]  # type: ignore[attr-defined]
        self.fields["alliance"].choices = [("", "—"), *Alliance.objects.values_list("pk", "name")]  # type: ignore[attr-defined]


class OutcomeForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=OutcomeKind.choices)
    enterprise = forms.TypedChoiceField(label=gettext_lazy("企业"), coerce=int)
    college = forms.TypedChoiceField(label=gettext_lazy("院校"), coerce=int, required=False, empty_value=None)
    count = forms.IntegerField(label=gettext_lazy("数量"), min_value=1, max_value=100000, initial=1)
    note = forms.CharField(label=gettext_lazy("备注"), max_length=300, required=False)

    def __init__(self, *args: object, event: selectors.EventView, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        listed = [i for i in event.invitations if i.status in (InvitationStatus.INVITED, InvitationStatus.ACCEPTED)]
        self.fields["enterprise"].choices = [(i.organization_id, i.organization_name) for i in listed  # type: ignore[attr-defined]
                                             if i.organization_kind == OrganizationKind.ENTERPRISE]
        self.fields["college"].choices = [("", "—")] + [(i.organization_id, i.organization_name)  # type: ignore[attr-defined]
                                                        for i in listed
                                                        if i.organization_kind == OrganizationKind.COLLEGE]


def _refused(request: HttpRequest, exc: ValidationFailed | Conflict) -> None:
    messages.error(request, "；".join(e.message for e in exc.field_errors) if isinstance(exc, ValidationFailed)
                   else exc.message)


def _add_errors(form: forms.Form, exc: ValidationFailed) -> None:
    names = {"chain_id": "chain", "alliance_id": "alliance", "enterprise_id": "enterprise",
             "college_id": "college", "organizer_id": "organizer"}
    for error in exc.field_errors:
        field = names.get(error.field, error.field)
        form.add_error(field if field in form.fields else None, error.message)


@login_required
def events(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    organizers = [(o.pk, o.name) for o in selectors.organizer_units(user)]
    form: EventForm | None = EventForm(organizers=organizers) if organizers else None
    status = 200
    if request.method == "POST":
        if not organizers:
            raise PermissionDenied()
        form = EventForm(request.POST, organizers=organizers)
        if form.is_valid():
            d = form.cleaned_data
            try:
                draft = services.EventDraft(
                    name=d["name"], scope=MatchmakingScope(d["scope"]), held_on=d["held_on"], chain_id=d["chain"],
                    city=d["city"], alliance_id=d["alliance"], venue=d["venue"], description=d["description"])
                event = services.matchmaking_event_create(actor=user, organizer_id=d["organizer"], draft=draft)
            except ValidationFailed as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("对接会已创建。"))
                return redirect("talentpool:event", event_id=event.pk)
        status = 422
    elif not (can(user, Action.MATCHMAKING_VIEW) or can(user, Action.MATCHMAKING_RESPOND)):
        raise PermissionDenied()
    return render(request, "talentpool/matchmaking/events.html", {
        "events": selectors.events_for(user), "form": form, "invitations": selectors.my_invitations(user),
    }, status=status)


def _event_page(request: HttpRequest, event_id: int, outcome_form: OutcomeForm | None = None,
                status: int = 200) -> HttpResponse:
    user = signed_in_user(request)
    event = access.access_event(user, event_id)
    view = selectors.event_view(event, viewer=user)
    if view.may_manage and outcome_form is None:
        outcome_form = OutcomeForm(event=view)
    totals = [(kind, label, view.outcome_totals.get(kind, 0)) for kind, label in OutcomeKind.choices]
    mine = [i for i in selectors.my_invitations(user) if i.event_id == event.pk]
    return render(request, "talentpool/matchmaking/event.html", {
        "event": view, "outcome_form": outcome_form, "totals": totals, "mine": mine,
        "proposals": [i for i in view.invitations if i.status == InvitationStatus.PROPOSED],
        "invited": [i for i in view.invitations if i.status != InvitationStatus.PROPOSED],
    }, status=status)


@login_required
def event(request: HttpRequest, event_id: int) -> HttpResponse:
    return _event_page(request, event_id)


@login_required
@require_POST
def event_propose(request: HttpRequest, event_id: int) -> HttpResponse:
    user = signed_in_user(request)
    added = services.matchmaking_propose(actor=user, event_id=event_id)
    messages.success(request, _("已生成推荐：新增 %(n)d 家单位。") % {"n": len(added)})
    return redirect("talentpool:event", event_id=event_id)


@login_required
@require_POST
def event_invite(request: HttpRequest, event_id: int) -> HttpResponse:
    user = signed_in_user(request)
    try:
        organization_id = int(request.POST.get("organization", ""))
    except ValueError:
        messages.error(request, _("请选择单位。"))
        return redirect("talentpool:event", event_id=event_id)
    try:
        services.matchmaking_invite(actor=user, event_id=event_id, organization_id=organization_id)
    except (ValidationFailed, Conflict) as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("已邀请。"))
    return redirect("talentpool:event", event_id=event_id)


@login_required
@require_POST
def invitation_uninvite(request: HttpRequest, invitation_id: int) -> HttpResponse:
    user = signed_in_user(request)
    invitation = access.access_invitation(user, invitation_id)
    event_id = invitation.event_id
    try:
        services.matchmaking_uninvite(actor=user, invitation_id=invitation_id)
    except Conflict as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("已取消邀请。"))
    return redirect("talentpool:event", event_id=event_id)


@login_required
@require_POST
def invitation_respond(request: HttpRequest, invitation_id: int) -> HttpResponse:
    user = signed_in_user(request)
    invitation = access.access_invitation(user, invitation_id, respond=True)
    accept = request.POST.get("answer") == "accept"
    try:
        services.matchmaking_respond(actor=user, invitation_id=invitation.pk, accept=accept)
    except Conflict as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("已确认参会。") if accept else _("已答复不参会。"))
    return redirect("talentpool:event", event_id=invitation.event_id)


@login_required
@require_POST
def event_outcome(request: HttpRequest, event_id: int) -> HttpResponse:
    user = signed_in_user(request)
    event = access.access_event(user, event_id, manage=True)
    form = OutcomeForm(request.POST, event=selectors.event_view(event, viewer=user))
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.matchmaking_outcome_record(actor=user, event_id=event.pk, draft=services.OutcomeDraft(
                kind=OutcomeKind(d["kind"]), enterprise_id=d["enterprise"], college_id=d["college"],
                count=d["count"], note=d["note"]))
        except ValidationFailed as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("成效已登记。"))
            return redirect("talentpool:event", event_id=event.pk)
    return _event_page(request, event_id, form, status=422)
