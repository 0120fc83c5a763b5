"""Request id on every response; security headers and caching; the signed-in user's language setting."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import add_never_cache_headers

from core.request_context import new_request_id, reset_request_id, set_request_id

REQUEST_ID_HEADER = "X-Request-ID"


class RequestIdMiddleware:
    """Gives each request an id (kept from the proxy's X-Request-ID when sane) and returns it in the response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = new_request_id(request.headers.get(REQUEST_ID_HEADER))
        # An attribute of our own on the request (HttpRequest does not declare it): the id for this request.
        request.request_id = request_id  # type: ignore[attr-defined]
        token = set_request_id(request_id)
        try:
            response = self.get_response(request)
        finally:
            reset_request_id(token)
        response[REQUEST_ID_HEADER] = request_id
        return response


class UserLanguageMiddleware:
    """A signed-in user's saved language wins over Accept-Language; the language switch saves it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        language = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


# Self only: our own css/js and vendored htmx (no CDN, no inline script or style: templates carry none, and htmx's
# indicator styles are in platform.css). Images may be data: URIs (the admin's and the API docs' icons).
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "font-src 'self'",
    "connect-src 'self'", "object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'",
])
# Nothing of the platform uses the camera, microphone, location, sensors, payment or USB.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()" for feature in
    ["accelerometer", "camera", "geolocation", "gyroscope", "magnetometer", "microphone", "payment", "usb"]
)


class SecurityHeadersMiddleware:
    """Content-Security-Policy (with DEBUG off: Django's debug pages need inline code), Permissions-Policy, and
    `Cache-Control: no-store` on whatever a signed-in caller gets (pages, the one-time token page, the API
    answers to a token or a session) and on every download (an export is personal data), so no shared or browser
    cache keeps them. Near the top, so it sees the response of everything below, static files included."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not settings.DEBUG:
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or response.get("Content-Disposition", "").startswith("attachment"):
            add_never_cache_headers(response)
        return response
