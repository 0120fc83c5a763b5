"""Certificate PDFs (issue 13 item 3): the batch zip page (`certification:certificates_zip`: a start button, the
progress bar polled with htmx, the failures, the download link) for the body's staff, its download, and one
certificate's PDF (`certification:certificate_pdf`) for the holder and the body's staff. Thin: access, then one
call of certification.certificate_zips."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from accounts.auth import signed_in_user
from certification import access, certificate_zips
from core.errors import DomainError


@login_required
@require_http_methods(["GET", "POST"])
def certificates_zip(request: HttpRequest, batch_id: int) -> HttpResponse:
    user = signed_in_user(request)
    batch = access.access_batch_for_certificates(user, batch_id, issue=True)
    if request.method == "POST":
        try:
            certificate_zips.certificates_zip_start(actor=user, batch_id=batch.pk)
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("certification:certificates_zip", batch_id=batch.pk)
    latest = certificate_zips.latest_zip(user, batch)
    state = certificate_zips.certificates_zip_state(latest) if latest is not None else None
    context = {"batch": batch, "state": state,
               "valid_count": certificate_zips.valid_certificate_count(batch)}
    if request.headers.get("HX-Request"):
        return render(request, "certification/_certificates_zip_progress.html", context)
    return render(request, "certification/certificates_zip.html", context)


@login_required
@require_GET
def certificates_zip_download(request: HttpRequest, batch_id: int, task_id: UUID) -> HttpResponse | FileResponse:
    progress = certificate_zips.access_certificates_zip(signed_in_user(request), batch_id, task_id)
    try:
        stored, name = certificate_zips.zip_file(progress)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("certification:certificates_zip", batch_id=batch_id)
    return FileResponse(stored, as_attachment=True, filename=name, content_type="application/zip")


@login_required
@require_GET
def certificate_pdf(request: HttpRequest, certificate_id: int) -> HttpResponse:
    certificate = access.access_certificate(signed_in_user(request), certificate_id)
    try:
        data = certificate_zips.certificate_pdf_of(certificate)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(request.headers.get("Referer") or "home")
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.number}.pdf"'
    return response
