"""Equipment sharing (设备共享, issue 14 item 9): enterprises search the open equipment of every college (text in
name or function, city, chain, free/paid) and request one for a period with a purpose; the owning college's staff
see the requests for their equipment and approve or decline with a reply; both sides follow their requests."""

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
from accounts.permissions import can, reach
from core.errors import Conflict, PermissionDenied, ValidationFailed
from talentpool import access_matchmaking as access
from talentpool.models import City, IndustryChain
from talentpool.permissions import Action
from talentpool.selectors import challenges as selectors
from talentpool.services import equipment as services


class SearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("名称或功能"), max_length=100, required=False)
    city = forms.ChoiceField(label=gettext_lazy("城市"), required=False, choices=[("", "—"), *City.choices])
    chain = forms.TypedChoiceField(label=gettext_lazy("产业链"), coerce=int, required=False, empty_value=None)
    paid = forms.ChoiceField(label=gettext_lazy("收费"), required=False,
                             choices=[("", "—"), ("free", gettext_lazy("免费")), ("paid", gettext_lazy("有偿"))])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        chain = self.fields["chain"]
        assert isinstance(chain, forms.TypedChoiceField)  # noqa: S101
        chain.choices = [("", "—"), *IndustryChain.objects.values_list("pk", "name")]


class RequestForm(forms.Form):
    purpose = forms.CharField(label=gettext_lazy("用途"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    start_on = forms.DateField(label=gettext_lazy("开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    end_on = forms.DateField(label=gettext_lazy("结束日期"), widget=forms.DateInput(attrs={"type": "date"}))


def _refused(request: HttpRequest, exc: ValidationFailed | Conflict) -> None:
    messages.error(request, "；".join(e.message for e in exc.field_errors) if isinstance(exc, ValidationFailed)
                   else exc.message)


@login_required
def equipment_search(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not can(user, Action.SUPPLY_BROWSE):
        raise PermissionDenied()
    form = SearchForm(request.GET or None)
    filters = selectors.EquipmentFilters()
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        filters = selectors.EquipmentFilters(text=d["q"], city=d["city"], chain_id=d["chain"],
                                             paid={"free": False, "paid": True}.get(d["paid"]))
    return render(request, "talentpool/equipment/search.html", {
        "form": form, "rows": selectors.open_equipment(filters),
        "may_request": can(user, Action.EQUIPMENT_REQUEST), "requests": selectors.equipment_requests_for(user),
    })


@login_required
def equipment_request(request: HttpRequest, equipment_id: int) -> HttpResponse:
    user = signed_in_user(request)
    equipment = access.access_equipment(user, equipment_id)
    units = sorted(reach(user, Action.EQUIPMENT_REQUEST).units)
    if not units:
        raise PermissionDenied()
    form = RequestForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.equipment_request_create(actor=user, equipment_id=equipment.pk, enterprise_id=units[0],
                                                  purpose=d["purpose"], start_on=d["start_on"], end_on=d["end_on"])
            except ValidationFailed as exc:
                for error in exc.field_errors:
                    form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, _("申请已提交，等待院校答复。"))
                return redirect("talentpool:equipment_search")
        status = 422
    return render(request, "talentpool/equipment/request.html", {
        "equipment": selectors.equipment_row(equipment), "form": form}, status=status)


@login_required
@require_POST
def equipment_request_decide(request: HttpRequest, request_id: int) -> HttpResponse:
    user = signed_in_user(request)
    try:
        services.equipment_request_decide(actor=user, request_id=request_id,
                                          approve=request.POST.get("answer") == "approve",
                                          reply=request.POST.get("reply", "")[:2000])
    except (ValidationFailed, Conflict) as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("已答复。"))
    return redirect("talentpool:equipment_search")


@login_required
@require_POST
def equipment_request_withdraw(request: HttpRequest, request_id: int) -> HttpResponse:
    user = signed_in_user(request)
    try:
        services.equipment_request_withdraw(actor=user, request_id=request_id)
    except Conflict as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("申请已撤回。"))
    return redirect("talentpool:equipment_search")
