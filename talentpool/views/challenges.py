"""揭榜挂帅 challenges (issue 14 item 9): the list (an enterprise: its own, with a publish form; a college: the open
ones ranked by how well its research, equipment and cases match, with the reason; organizers: every one), one
challenge (the applications the viewer may read, the apply form for a college, pick and close for the
enterprise), and the POST actions."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.auth import signed_in_user
from accounts.permissions import can, reach
from core.errors import Conflict, PermissionDenied, ValidationFailed
from talentpool import access_matchmaking as access
from talentpool.models import IndustryChain
from talentpool.permissions import Action
from talentpool.selectors import challenges as selectors
from talentpool.services import challenges as services


class PublishForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("榜单名称"), max_length=200)
    problem = forms.CharField(label=gettext_lazy("技术难题"), max_length=4000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=gettext_lazy("由合作需求发榜时可留空，沿用该需求的内容"))
    goal = forms.CharField(label=gettext_lazy("目标要求"), max_length=4000, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))
    budget = forms.DecimalField(label=gettext_lazy("榜单金额（万元）"), min_value=Decimal(0),
                                max_value=services.MAX_BUDGET, decimal_places=2)
    deadline = forms.DateField(label=gettext_lazy("揭榜截止日期"), widget=forms.DateInput(attrs={"type": "date"}))
    chain = forms.TypedChoiceField(label=gettext_lazy("产业链"), coerce=int, required=False, empty_value=None)
    need = forms.TypedChoiceField(label=gettext_lazy("来自合作需求"), coerce=int, required=False, empty_value=None,
                                  help_text=gettext_lazy("可选：由本企业需求清单中的校企合作需求发榜"))

    def __init__(self, *args: object, enterprise_id: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        chain = self.fields["chain"]
        need = self.fields["need"]
        assert isinstance(chain, forms.TypedChoiceField) and isinstance(need, forms.TypedChoiceField)  # noqa: S101
        chain.choices = [("", "—"), *IndustryChain.objects.values_list("pk", "name")]
        need.choices = [("", "—")] + [(n.id, n.label) for n in selectors.enterprise_needs(enterprise_id)]


class ApplyForm(forms.Form):
    proposal = forms.CharField(label=gettext_lazy("技术方案"), max_length=4000,
                               widget=forms.Textarea(attrs={"rows": 4}))
    team = forms.CharField(label=gettext_lazy("团队"), max_length=500, required=False,
                           help_text=gettext_lazy("团队负责人与成员（职称、专业）"))


def _refused(request: HttpRequest, exc: ValidationFailed | Conflict) -> None:
    messages.error(request, "；".join(e.message for e in exc.field_errors) if isinstance(exc, ValidationFailed)
                   else exc.message)


def _enterprise_of(user: object) -> int | None:
    units = sorted(reach(user, Action.CHALLENGE_PUBLISH).units)
    return units[0] if units else None


@login_required
def challenges(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not can(user, Action.CHALLENGE_VIEW):
        raise PermissionDenied()
    enterprise_id = _enterprise_of(user)
    form = PublishForm(enterprise_id=enterprise_id) if enterprise_id else None
    status = 200
    if request.method == "POST":
        if enterprise_id is None:
            raise PermissionDenied()
        form = PublishForm(request.POST, enterprise_id=enterprise_id)
        if form.is_valid():
            d = form.cleaned_data
            try:
                challenge = services.challenge_publish(actor=user, enterprise_id=enterprise_id,
                                                       draft=services.ChallengeDraft(
                                                           title=d["title"], problem=d["problem"], goal=d["goal"],
                                                           budget=d["budget"], deadline=d["deadline"],
                                                           chain_id=d["chain"], need_id=d["need"]))
            except ValidationFailed as exc:
                for error in exc.field_errors:
                    field = error.field.removesuffix("_id")
                    form.add_error(field if field in form.fields else None, error.message)
            else:
                messages.success(request, _("榜单已发布。"))
                return redirect("talentpool:challenge", challenge_id=challenge.pk)
        status = 422
    rows = selectors.challenges_for(user)
    return render(request, "talentpool/challenges/challenges.html", {
        "challenges": rows, "form": form, "ranked": any(r.match_score is not None for r in rows),
        "today": timezone.localdate(),
    }, status=status)


def _page(request: HttpRequest, challenge_id: int, form: ApplyForm | None = None, status: int = 200) -> HttpResponse:
    user = signed_in_user(request)
    challenge = access.access_challenge(user, challenge_id)
    view = selectors.challenge_view(challenge, viewer=user)
    if view.apply_as is not None and form is None:
        form = ApplyForm()
    return render(request, "talentpool/challenges/challenge.html", {"challenge": view, "form": form},
                  status=status)


@login_required
def challenge(request: HttpRequest, challenge_id: int) -> HttpResponse:
    if request.method != "POST":
        return _page(request, challenge_id)
    user = signed_in_user(request)
    view = selectors.challenge_view(access.access_challenge(user, challenge_id), viewer=user)
    if view.apply_as is None:
        raise PermissionDenied()
    form = ApplyForm(request.POST)
    if form.is_valid():
        try:
            services.challenge_apply(actor=user, challenge_id=challenge_id, college_id=view.apply_as,
                                     proposal=form.cleaned_data["proposal"], team=form.cleaned_data["team"])
        except ValidationFailed as exc:
            for error in exc.field_errors:
                form.add_error(error.field if error.field in form.fields else None, error.message)
        except Conflict as exc:
            _refused(request, exc)
            return redirect("talentpool:challenge", challenge_id=challenge_id)
        else:
            messages.success(request, _("揭榜申请已提交。"))
            return redirect("talentpool:challenge", challenge_id=challenge_id)
    return _page(request, challenge_id, form, status=422)


@login_required
@require_POST
def application_pick(request: HttpRequest, application_id: int) -> HttpResponse:
    user = signed_in_user(request)
    application = access.access_application(user, application_id)
    try:
        services.challenge_pick(actor=user, application_id=application.pk)
    except Conflict as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("已选定揭榜单位。"))
    return redirect("talentpool:challenge", challenge_id=application.challenge_id)


@login_required
@require_POST
def application_withdraw(request: HttpRequest, application_id: int) -> HttpResponse:
    user = signed_in_user(request)
    application = access.access_application(user, application_id)
    try:
        services.challenge_application_withdraw(actor=user, application_id=application.pk)
    except Conflict as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("申请已撤回。"))
    return redirect("talentpool:challenge", challenge_id=application.challenge_id)


@login_required
@require_POST
def challenge_close(request: HttpRequest, challenge_id: int) -> HttpResponse:
    user = signed_in_user(request)
    try:
        services.challenge_close(actor=user, challenge_id=challenge_id, reason=request.POST.get("reason", "")[:500])
    except Conflict as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("榜单已关闭。"))
    return redirect("talentpool:challenge", challenge_id=challenge_id)
