"""The public verification pages and files (issue 13 items 4–6): the page `/verify/<payload or number>` a phone
opens from a certificate's QR code, `/verify/` with a box to type a number, the published keys at
`/.well-known/certificate-keys.json` and the signed status lists at `/certification/status/<n>.json`.

All public (no sign-in), all read-only. The keys and the status lists are cacheable by anyone (`Cache-Control:
public`); a status list answers If-None-Match with 304 without being signed again. The verification page is not
cached (a revocation must show at once) and is rate-limited per address (certification.throttle).
"""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from certification import keys, throttle
from certification.selectors.status_lists import status_list_credential, status_list_state
from certification.selectors.verification import verification_of
from core.errors import TooManyRequests

KEYS_MAX_AGE = 300  # seconds: a new key is published before it signs anything (rotation), so staleness is safe
STATUS_MAX_AGE = 300  # seconds: how late a revocation may reach a cache-respecting verifier


@require_GET
def certificate_keys_json(request: HttpRequest) -> HttpResponse:
    """Every certificate key ever used, with its validity (`certification.verify --keys` reads this file)."""
    response = JsonResponse(keys.keys_document(), json_dumps_params={"ensure_ascii": False, "indent": 2})
    patch_cache_control(response, public=True, max_age=KEYS_MAX_AGE)
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def status_list_json(request: HttpRequest, list_no: int) -> HttpResponse:
    """List N as a signed BitstringStatusListCredential, with an ETag."""
    state = status_list_state(list_no)
    if request.headers.get("If-None-Match") == state.etag:
        response: HttpResponse = HttpResponseNotModified()
    else:
        body = json.dumps(status_list_credential(state), ensure_ascii=False, separators=(",", ":"))
        response = HttpResponse(body, content_type="application/vc+ld+json")
    response["ETag"] = state.etag
    patch_cache_control(response, public=True, max_age=STATUS_MAX_AGE)
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def verify_page(request: HttpRequest, text: str = "") -> HttpResponse:
    """The verdict on a QR payload or a number (the path, or `?q=` from the page's box)."""
    text = text or request.GET.get("q", "")
    context: dict[str, object] = {"query": request.GET.get("q", "")}
    status = 200
    if text:
        try:
            throttle.throttle_single(request)
            context["result"] = verification_of(text)
        except TooManyRequests as exc:
            context["throttled"] = exc.message
            status = 429
    response = render(request, "certification/verify.html", context, status=status)
    patch_cache_control(response, no_store=True)
    return response
