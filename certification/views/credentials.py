"""The credential download (the holder's 我的证书 and the body's certificate pages link here) and the platform's
controller document, the issuer id every credential names (certification/credentials.py), and the public page on
which anyone verifies an uploaded credential (linked from /verify/).

The download is `application/ld+json` (the JSON-LD media type every wallet and verifier accepts; VC 2.0's own
`application/vc` is not yet what they expect) as an attachment named after the certificate number. The controller
document is public, like /.well-known/certificate-keys.json: it holds public keys only.

The verification page (`credential_verify_page`) is the API's `POST /api/v1/certification/credentials/verify` on a
page: a file upload or pasted text (the file wins when both are given), the same selector (`credential_check`,
which refuses a credential that is not ours before canonicalising it), the same per-client budget as every single
verification (certification.throttle), the verdict in the reader's language. It is a POST form with Django's CSRF
token (a public form: the token comes with the page's cookie); nothing is stored, and the answer is not cached."""

from __future__ import annotations

import json

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from accounts.auth import signed_in_user
from certification import access, throttle
from certification.credentials import MAX_CREDENTIAL_BYTES
from certification.selectors.credentials import certificate_credential, credential_check, issuer_controller_document
from core.errors import TooManyRequests


def _json_ld(document: object, *, filename: str | None = None) -> HttpResponse:
    response = HttpResponse(json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8"),
                            content_type="application/ld+json; charset=utf-8")
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def certificate_credential_download(request: HttpRequest, certificate_id: int) -> HttpResponse:
    certificate = access.access_certificate(signed_in_user(request), certificate_id)
    response = _json_ld(certificate_credential(certificate), filename=f"{certificate.number}.credential.jsonld")
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def credential_issuer(request: HttpRequest) -> HttpResponse:
    response = _json_ld(issuer_controller_document())
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"  # verifiers in a browser fetch it
    return response


class CredentialUploadForm(forms.Form):
    credential = forms.FileField(label=gettext_lazy("凭证文件（.jsonld / .json）"), required=False)
    text = forms.CharField(label=gettext_lazy("或粘贴凭证内容"), required=False, widget=forms.Textarea(attrs={
        "rows": 6, "spellcheck": "false", "autocomplete": "off"}), max_length=MAX_CREDENTIAL_BYTES + 1)


@require_http_methods(["GET", "POST"])
def credential_verify_page(request: HttpRequest) -> HttpResponse:
    """GET: the upload form; POST: the verdict on the uploaded or pasted credential (module docstring)."""
    context: dict[str, object] = {"form": CredentialUploadForm(), "max_kb": MAX_CREDENTIAL_BYTES // 1024}
    status = 200
    if request.method == "POST":
        form = CredentialUploadForm(request.POST, request.FILES)
        context["form"] = form
        upload = request.FILES.get("credential")
        raw: bytes | str
        if upload is not None:
            raw = upload.read(MAX_CREDENTIAL_BYTES + 1)  # +1: "too large", not cut
        else:
            raw = request.POST.get("text", "").strip()
        if not raw:
            context["missing"] = True
            status = 422
        else:
            try:
                throttle.throttle_single(request)
                context["check"] = credential_check(raw)
            except TooManyRequests as exc:
                context["throttled"] = exc.message
                status = 429
    response = render(request, "certification/verify_credential.html", context, status=status)
    patch_cache_control(response, no_store=True)
    return response
