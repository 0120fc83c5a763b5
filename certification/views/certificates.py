"""Certificates' pages (issue 13 item 9): a batch's certificates (who passed, who is refused and why, issuing to
all who passed in one click, the list with status, revoke and re-issue forms with a reason, the Excel export and
the batch PDF zip), one certificate with its history, the holder's own (我的证书, with the verification link, the
PDF and the credential), and a body's filing codes (set by the platform admin, read by the body's staff).

The PDF (certpdf) and credential (certvc) links are guarded in the templates with `{% url … as %}`: they render
once those pages exist, and the pages render without them until then."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.auth import signed_in_user
from accounts.permissions import can
from certification import access
from certification.domain.certificates import ReissueKind as ReissueKindValue
from certification.excel.certificates import certificates_export
from certification.excel.sheets import XLSX_CONTENT_TYPE
from certification.models import HeldLevel, ReissueKind
from certification.permissions import Action
from certification.selectors import certificates as views
from certification.services import certificates as services
from core.errors import Conflict, DomainError, RuleBroken, ValidationFailed


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("原因"), max_length=500)


class ReissueForm(ReasonForm):
    kind = forms.ChoiceField(label=gettext_lazy("方式"), choices=ReissueKind.choices)


class FilingForm(forms.Form):
    agency_code = forms.CharField(label=gettext_lazy("机构代码"), max_length=4, initial="0000",
                                  help_text=gettext_lazy("4 位数字；仅在省级备案的为 0000"))
    province_code = forms.CharField(label=gettext_lazy("省份代码"), max_length=2, initial="37",
                                    help_text=gettext_lazy("2 位数字，山东为 37"))
    site_serial = forms.CharField(label=gettext_lazy("站点序号"), max_length=6, help_text=gettext_lazy("6 位数字"))


def _refused(request: HttpRequest, exc: DomainError) -> None:
    if isinstance(exc, ValidationFailed):
        messages.error(request, "；".join(e.message for e in exc.field_errors))
    else:
        messages.error(request, exc.message)


@login_required
def certificates(request: HttpRequest, batch_id: int) -> HttpResponse:
    """GET: the batch's certificates page; POST: issue to every candidate who passed."""
    user = signed_in_user(request)
    if request.method == "POST":
        access.access_batch_for_certificates(user, batch_id, issue=True)
        try:
            done = services.certificate_issue_batch(actor=user, batch_id=batch_id)
        except (Conflict, ValidationFailed) as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("已发证 %(n)s 张。") % {"n": len(done.issued)})
        return redirect("certification:certificates", batch_id=batch_id)
    batch = access.access_batch_for_certificates(user, batch_id)
    return render(request, "certification/certificates.html", {
        "batch": batch, "issuance": views.batch_issuance(batch), "certificates": views.batch_certificates(batch),
        "may_issue": can(user, Action.CERTIFICATE_ISSUE, batch), "filing": views.filing_view(batch.body),
        "reissue_kinds": ReissueKind.choices,
    })


def _back(request: HttpRequest, certificate_id: int) -> HttpResponse:
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("certification:certificate", certificate_id=certificate_id)


@login_required
@require_POST
def certificate_revoke(request: HttpRequest, certificate_id: int) -> HttpResponse:
    user = signed_in_user(request)
    access.access_certificate(user, certificate_id, manage=True)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写撤销原因。"))
        return _back(request, certificate_id)
    try:
        revoked = services.certificate_revoke(actor=user, certificate_id=certificate_id,
                                              reason=form.cleaned_data["reason"])
    except (Conflict, ValidationFailed) as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("证书 %(number)s 已撤销。") % {"number": revoked.number})
    return _back(request, certificate_id)


@login_required
@require_POST
def certificate_reissue(request: HttpRequest, certificate_id: int) -> HttpResponse:
    user = signed_in_user(request)
    access.access_certificate(user, certificate_id, manage=True)
    form = ReissueForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择补证或换证并填写原因。"))
        return _back(request, certificate_id)
    try:
        new = services.certificate_reissue(actor=user, certificate_id=certificate_id,
                                           reason=form.cleaned_data["reason"],
                                           kind=ReissueKindValue(form.cleaned_data["kind"]))
    except (Conflict, ValidationFailed, DomainError) as exc:
        _refused(request, exc)
        return _back(request, certificate_id)
    messages.success(request, _("已换发新证书 %(number)s。") % {"number": new.number})
    return _back(request, certificate_id)


@login_required
@require_GET
def certificate(request: HttpRequest, certificate_id: int) -> HttpResponse:
    user = signed_in_user(request)
    row = access.access_certificate(user, certificate_id)
    return render(request, "certification/certificate.html", {
        "detail": views.certificate_detail(row), "reissue_kinds": ReissueKind.choices,
        "may_manage": can(user, access.certificate_manage_action(row.source), row),
    })


@login_required
@require_GET
def certificates_export_download(request: HttpRequest, batch_id: int) -> HttpResponse:
    user = signed_in_user(request)
    batch = access.access_batch_for_certificates(user, batch_id)
    response = HttpResponse(certificates_export(viewer=user, certificates=views.batch_certificates(batch)),
                            content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="certificates-{batch.code}.xlsx"'
    return response


@login_required
@require_GET
def my_certificates(request: HttpRequest) -> HttpResponse:
    return render(request, "certification/my_certificates.html",
                  {"certificates": views.my_certificates(signed_in_user(request))})


@login_required
@require_POST
def promotion_certificate_issue(request: HttpRequest, held_id: int) -> HttpResponse:
    """The certificate of a recorded promotion, from the person's levels page (organizer staff)."""
    user = signed_in_user(request)
    try:
        certificate = services.certificate_issue_promotion(actor=user, held_level_id=held_id)
    except (Conflict, ValidationFailed, RuleBroken) as exc:
        _refused(request, exc)
        held = HeldLevel.objects.filter(pk=held_id).values_list("person_id", flat=True).first()
        return redirect("certification:person_levels", person_id=held) if held else redirect("certification:my_levels")
    messages.success(request, _("已发证 %(n)s 张。") % {"n": 1})
    return redirect("certification:certificate", certificate_id=certificate.pk)


@login_required
@require_POST
def appointment_letter_issue(request: HttpRequest, appointment_id: int) -> HttpResponse:
    """The letter (聘书) of an appointment, from the enterprise's appointments page (its HR)."""
    user = signed_in_user(request)
    appointment = access.access_appointment(user, appointment_id, manage=True)
    try:
        certificate = services.certificate_issue_appointment(actor=user, appointment_id=appointment.pk)
    except (Conflict, ValidationFailed, RuleBroken) as exc:
        _refused(request, exc)
        return redirect("certification:enterprise_appointments", unit_id=appointment.enterprise_id)
    messages.success(request, _("已发证 %(n)s 张。") % {"n": 1})
    return redirect("certification:certificate", certificate_id=certificate.pk)


@login_required
def body_filing(request: HttpRequest, unit_id: int) -> HttpResponse:
    """GET: the body's filing codes (its staff, organizer staff, the admin); POST: set them (the admin)."""
    user = signed_in_user(request)
    unit = access.access_filing_unit(user, unit_id, manage=request.method == "POST")
    filing = views.filing_view(unit)
    form = FilingForm(initial={"agency_code": filing.agency_code, "province_code": filing.province_code,
                               "site_serial": filing.site_serial})
    status = 200
    if request.method == "POST":
        form = FilingForm(request.POST)
        if form.is_valid():
            try:
                services.body_filing_set(actor=user, organization_id=unit.pk, **form.cleaned_data)
            except ValidationFailed as exc:
                for error in exc.field_errors:
                    form.add_error(error.field if error.field in form.fields else None, error.message)
            except Conflict as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("备案代码已保存。"))
                return redirect("certification:body_filing", unit_id=unit.pk)
        status = 422
    return render(request, "certification/body_filing.html", {
        "unit": unit, "filing": filing, "form": form, "may_manage": can(user, Action.FILING_MANAGE, unit),
    }, status=status)
