"""The credential download (the holder's 我的证书 and the body's certificate pages link here) and the platform's
controller document, the issuer id every credential names (certification/credentials.py).

The download is `application/ld+json` (the JSON-LD media type every wallet and verifier accepts; VC 2.0's own
`application/vc` is not yet what they expect) as an attachment named after the certificate number. The controller
document is public, like /.well-known/certificate-keys.json: it holds public keys only."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from accounts.auth import signed_in_user
from certification import access
from certification.selectors.credentials import certificate_credential, issuer_controller_document


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
