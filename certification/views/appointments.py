"""Appointments (评聘 of 特级技师 and 首席技师, issue 12 item 10): the enterprise's page lists its appointments with
their terms and evidence and, for its HR, a form to record one (the person picked from the enterprise's members,
each shown with whether they hold 一级), and forms to renew or end one early. Organizer staff and the admin read
the same page without the forms; the evidence is served only after the access check (certification.evidence)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.auth import signed_in_user
from accounts.models import Organization
from accounts.permissions import can, reach
from certification import access, selectors, services
from certification.domain.appointments import MAX_EVIDENCE_BYTES, EndKind, Title
from certification.evidence import evidence_response
from certification.models import AppointedTitle, AppointmentEndKind
from certification.permissions import Action
from core.errors import Conflict, NotFound, ValidationFailed

_ACCEPT = "application/pdf,image/png,image/jpeg,.pdf,.png,.jpg,.jpeg"


class RecordForm(forms.Form):
    person = forms.TypedChoiceField(label=gettext_lazy("人员"), coerce=int,
                                    help_text=gettext_lazy("本企业人员；须持有本职业一级/高级技师"))
    occupation = forms.TypedChoiceField(label=gettext_lazy("职业"), coerce=int)
    title = forms.ChoiceField(label=gettext_lazy("评聘等级"), choices=AppointedTitle.choices,
                              initial=AppointedTitle.PRINCIPAL,
                              help_text=gettext_lazy("首席技师须已是本职业特级技师"))
    term_start = forms.DateField(label=gettext_lazy("聘期开始"), widget=forms.DateInput(attrs={"type": "date"}))
    term_end = forms.DateField(label=gettext_lazy("聘期结束"), widget=forms.DateInput(attrs={"type": "date"}),
                               help_text=gettext_lazy("聘期最后一天；期满未续聘即不再持有"))
    document_no = forms.CharField(label=gettext_lazy("聘任文号"), max_length=100)
    evidence = forms.FileField(label=gettext_lazy("聘任文件"), required=False,
                               widget=forms.ClearableFileInput(attrs={"accept": _ACCEPT}),
                               help_text=gettext_lazy("PDF 或图片（PNG、JPEG），不超过 10 MB"))
    reason = forms.CharField(label=gettext_lazy("说明"), max_length=2000, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, candidates: list[selectors.AppointmentCandidate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person = self.fields["person"]
        occupation = self.fields["occupation"]
        assert isinstance(person, forms.TypedChoiceField) and isinstance(occupation, forms.TypedChoiceField)  # noqa: S101
        person.choices = [("", "—")] + [(c.person_id, _candidate_label(c)) for c in candidates]
        occupation.choices = selectors.occupation_choices()


def _candidate_label(c: selectors.AppointmentCandidate) -> str:
    held = _("一级：%(where)s") % {"where": "、".join(c.level_one_in)} if c.holds_level_one else _("未持有一级")
    return f"{c.name} · {c.id_number or '—'} · {held}"


class RenewForm(forms.Form):
    term_end = forms.DateField(label=gettext_lazy("新聘期结束"), widget=forms.DateInput(attrs={"type": "date"}))
    document_no = forms.CharField(label=gettext_lazy("聘任文号"), max_length=100)
    evidence = forms.FileField(label=gettext_lazy("聘任文件"), required=False,
                               widget=forms.ClearableFileInput(attrs={"accept": _ACCEPT}))


class EndForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("解除方式"), choices=AppointmentEndKind.choices)
    effective_on = forms.DateField(label=gettext_lazy("生效日期"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=gettext_lazy("解除原因"), max_length=500)


@login_required
@require_GET
def appointments(request: HttpRequest) -> HttpResponse:
    """The menu's entry: the caller's enterprise (the first, when they are HR of several)."""
    units = sorted(reach(signed_in_user(request), Action.APPOINTMENT_MANAGE).units)
    if not units:
        raise NotFound()
    return redirect("certification:enterprise_appointments", unit_id=units[0])


def _page(request: HttpRequest, unit: Organization, form: RecordForm | None = None,
          status: int = 200) -> HttpResponse:
    user = signed_in_user(request)
    today = timezone.localdate()
    may_manage = can(user, Action.APPOINTMENT_MANAGE, unit)
    if may_manage and form is None:
        form = RecordForm(candidates=selectors.appointment_candidates(viewer=user, enterprise=unit, on=today))
    return render(request, "certification/appointments.html", {
        "unit": unit, "may_manage": may_manage, "form": form, "today": today,
        "appointments": selectors.enterprise_appointments(viewer=user, enterprise=unit, on=today),
        "end_kinds": AppointmentEndKind.choices, "max_mb": MAX_EVIDENCE_BYTES // 2**20,
    }, status=status)


def _add_errors(form: forms.Form, exc: ValidationFailed) -> None:
    for error in exc.field_errors:
        form.add_error(error.field if error.field in form.fields else None, error.message)


@login_required
def enterprise_appointments(request: HttpRequest, unit_id: int) -> HttpResponse:
    user = signed_in_user(request)
    if request.method != "POST":
        return _page(request, access.access_enterprise_appointments(user, unit_id))
    unit = access.access_enterprise_appointments(user, unit_id, manage=True)
    form = RecordForm(request.POST, request.FILES, candidates=selectors.appointment_candidates(
        viewer=user, enterprise=unit, on=timezone.localdate()))
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.appointment_record(
                actor=user, enterprise_id=unit.pk, person_id=d["person"], occupation_id=d["occupation"],
                title=Title(d["title"]), term=services.Term(d["term_start"], d["term_end"], d["document_no"],
                                                            d["reason"]), evidence=d["evidence"])
        except ValidationFailed as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("评聘已登记。"))
            return redirect("certification:enterprise_appointments", unit_id=unit.pk)
    return _page(request, unit, form, status=422)


def _refused(request: HttpRequest, exc: ValidationFailed | Conflict) -> None:
    messages.error(request, "；".join(e.message for e in exc.field_errors) if isinstance(exc, ValidationFailed)
                   else exc.message)


@login_required
@require_POST
def appointment_end(request: HttpRequest, appointment_id: int) -> HttpResponse:
    user = signed_in_user(request)
    appointment = access.access_appointment(user, appointment_id, manage=True)
    form = EndForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(f"{form.fields[f].label}：{e[0]}" for f, e in form.errors.items()))
    else:
        d = form.cleaned_data
        try:
            services.appointment_end(actor=user, appointment_id=appointment.pk, kind=EndKind(d["kind"]),
                                     effective_on=d["effective_on"], reason=d["reason"])
        except (ValidationFailed, Conflict) as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("评聘已解除。"))
    return redirect("certification:enterprise_appointments", unit_id=appointment.enterprise_id)


@login_required
@require_POST
def appointment_renew(request: HttpRequest, appointment_id: int) -> HttpResponse:
    user = signed_in_user(request)
    appointment = access.access_appointment(user, appointment_id, manage=True)
    form = RenewForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "；".join(f"{form.fields[f].label}：{e[0]}" for f, e in form.errors.items()))
    else:
        d = form.cleaned_data
        try:
            services.appointment_renew(actor=user, appointment_id=appointment.pk, term_end=d["term_end"],
                                       document_no=d["document_no"], evidence=d["evidence"])
        except (ValidationFailed, Conflict) as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("已续聘。"))
    return redirect("certification:enterprise_appointments", unit_id=appointment.enterprise_id)


@login_required
@require_GET
def appointment_evidence(request: HttpRequest, appointment_id: int) -> HttpResponseBase:
    return evidence_response(access.access_appointment(signed_in_user(request), appointment_id))
