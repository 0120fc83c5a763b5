"""Certificates as verifiable credentials (issue 13 items 8 and 9; certification/credentials.py): the holder or
the issuing body's staff download a certificate's Open Badges 3.0 credential, and anyone uploads a credential to
have it verified, getting the verdict and the certificate's current status, within the per-client limit of the
single verifications."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.http.multipartparser import MultiPartParserError
from ninja import Router

from accounts.auth import OPTIONAL_AUTH, signed_in_user
from certification import access, throttle
from certification.credentials import MAX_CREDENTIAL_BYTES
from certification.selectors.credentials import CredentialCheck, certificate_credential, credential_check
from core.schemas import RowId, errors

router = Router()


@router.get("/certificates/{certificate_id}/credential", response={200: dict[str, Any], **errors(404)},
            summary="证书的可验证凭证（Open Badges 3.0） A certificate's verifiable credential")
def certificate_credential_get(request: HttpRequest, certificate_id: RowId) -> dict[str, Any]:
    """A JSON-LD document (the credential itself, not a view of it): its shape is the Open Badges 3.0 standard's."""
    return certificate_credential(access.access_certificate(signed_in_user(request), certificate_id))


@router.post("/credentials/verify", response={200: CredentialCheck, **errors(429)}, auth=OPTIONAL_AUTH,
             summary="上传凭证验证 Verify an uploaded credential",
             openapi_extra={"requestBody": {"content": {
                 "application/json": {"schema": {"type": "object"}},
                 "multipart/form-data": {"schema": {"type": "object", "properties": {
                     "credential": {"type": "string", "format": "binary"}}}},
             }}})
def credential_verify(request: HttpRequest) -> CredentialCheck:
    """The credential as the JSON body, or as the file field `credential` of a form upload. A credential that is
    not ours is refused, with its reason, before any JSON-LD processing. Rate-limited with the single
    verifications (certification.throttle: one per-client budget for the page, its API and this)."""
    throttle.throttle_single(request)
    if request.content_type == "multipart/form-data":
        try:
            upload = request.FILES.get("credential")
        except MultiPartParserError:  # a broken form (no boundary): nothing uploaded, answered as not JSON
            upload = None
        raw = upload.read(MAX_CREDENTIAL_BYTES + 1) if upload is not None else b""  # +1: "too large", not cut
    else:
        raw = request.body
    return credential_check(raw)
