"""The certificate-issuing bodies' pages (issue 13, certpages: "every job the API offers, the pages offer too"):
the bodies with their filing codes (备案), each linking to its filing page and its certificates (the admin sees
every body, organizer staff too; a body's staff or HR their own), and one body's certificates with filters
(batch, status, number or name), paginated, with the body's Excel export in the columns reported upward (the
API's `GET /bodies/{id}/certificates` and `…/certificates.xlsx`). Another body's staff and outsiders get 404 from
certification.access, as everywhere.

The export writes every certificate of the body, not only the filtered page: it is the report upward, which the
API's export is too."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.auth import signed_in_user
from accounts.permissions import can
from certification import access
from certification.excel.certificates import certificates_export
from certification.excel.sheets import XLSX_CONTENT_TYPE
from certification.permissions import Action
from certification.selectors import bodies as views
from certification.selectors.certificates import body_certificates


@login_required
@require_GET
def bodies(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    rows = views.body_rows(access.access_bodies(user))
    return render(request, "certification/bodies.html", {
        "bodies": rows, "may_file": can(user, Action.FILING_MANAGE),
    })


@login_required
@require_GET
def body_certificates_page(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = access.access_body_certificates(signed_in_user(request), unit_id)
    filters = views.normalised_filters(batch=request.GET.get("batch", ""), status=request.GET.get("status", ""),
                                       q=request.GET.get("q", ""))
    page = request.GET.get("page", "1")
    listing = views.body_certificates_page(unit, filters, int(page) if page.isdigit() else 1)
    return render(request, "certification/body_certificates.html", {"listing": listing})


@login_required
@require_GET
def body_certificates_export_download(request: HttpRequest, unit_id: int) -> HttpResponse:
    user = signed_in_user(request)
    unit = access.access_body_certificates(user, unit_id)
    response = HttpResponse(certificates_export(viewer=user, certificates=body_certificates(unit)),
                            content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="certificates-{unit.pk}.xlsx"'
    return response
