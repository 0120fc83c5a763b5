"""A person's levels (issue 12 item 2): every level a person holds with its source, for the person themselves
("我的技能等级") and for staff who may see the person (certification.permissions), who may also record a level by
hand with its evidence or withdraw one recorded by hand. Appointments (评聘) show beside the levels with their
term and a link to their document, each to the readers who may see it (certification.selectors.appointments)."""

from __future__ import annotations

from typing import Any

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
from accounts.models import User
from accounts.permissions import can, reach
from certification import access, selectors, services
from certification.domain.ladder import SkillLevel
from certification.models import Level
from certification.permissions import Action
from core.errors import Conflict, ValidationFailed


class RecordForm(forms.Form):
    occupation = forms.TypedChoiceField(label=gettext_lazy("职业"), coerce=int)
    level = forms.TypedChoiceField(label=gettext_lazy("等级"), coerce=int, choices=Level.choices)
    obtained_on = forms.DateField(label=gettext_lazy("取得日期"), widget=forms.DateInput(attrs={"type": "date"}))
    evidence = forms.CharField(label=gettext_lazy("证明材料"), max_length=2000,
                               widget=forms.Textarea(attrs={"rows": 2}),
                               help_text=gettext_lazy("证书编号、发证机构等，平台上线前取得的证书须填写"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["occupation"]
        assert isinstance(field, forms.TypedChoiceField)  # noqa: S101 - declared above
        field.choices = selectors.occupation_choices()


def _page(request: HttpRequest, person: User, form: RecordForm | None = None, status: int = 200) -> HttpResponse:
    user = signed_in_user(request)
    may_record = can(user, Action.LEVEL_RECORD, person)
    today = timezone.localdate()
    return render(request, "certification/person_levels.html", {
        "record": selectors.person_levels(person), "own": person.pk == user.pk, "may_record": may_record,
        "form": form or (RecordForm() if may_record else None), "person": person, "today": today,
        "appointments": selectors.person_appointments(viewer=user, person=person, on=today),
        # certificates (issue 13): organizer staff issue a recorded promotion's certificate from here
        "may_issue_promotion": bool(reach(user, Action.CERTIFICATE_ISSUE_PROMOTION).units),
    }, status=status)


@login_required
def my_levels(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    return _page(request, access.access_person_levels(user, user.pk))


@login_required
def person_levels(request: HttpRequest, person_id: int) -> HttpResponse:
    user = signed_in_user(request)
    person = access.access_person_levels(user, person_id)
    if request.method != "POST":
        return _page(request, person)
    person = access.access_person_for_recording(user, person_id)
    form = RecordForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.held_level_record(actor=user, person_id=person.pk, occupation_id=d["occupation"],
                                       level=SkillLevel(d["level"]), obtained_on=d["obtained_on"],
                                       evidence=d["evidence"])
        except ValidationFailed as exc:
            for error in exc.field_errors:
                form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("等级已登记。"))
            return redirect("certification:person_levels", person_id=person.pk)
    return _page(request, person, form, status=422)


@login_required
@require_POST
def held_level_withdraw(request: HttpRequest, held_id: int) -> HttpResponse:
    user = signed_in_user(request)
    held = access.access_held_level_for_withdrawal(user, held_id)
    try:
        services.held_level_withdraw(actor=user, held_id=held.pk, reason=request.POST.get("reason", ""))
    except (ValidationFailed, Conflict) as exc:
        messages.error(request, exc.message if not isinstance(exc, ValidationFailed)
                       else "；".join(e.message for e in exc.field_errors))
    else:
        messages.success(request, _("等级已撤销。"))
    return redirect("certification:person_levels", person_id=held.person_id)
