"""The one NinjaAPI, under /api/v1/: authentication, the error shape, and every app's router.

Authentication: a bearer token (venue devices, integrations) or the page session (with its CSRF check); the
classes live in accounts/auth.py, which every app's router imports for its optional-auth endpoints.
Errors: every failure answers `{"code", "message", "fields"?, "rows"?, "request_id"}` in the caller's language.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.datastructures import MultiValueDict
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.views import openapi_view
from ninja.operation import Operation
from ninja.parser import Parser
from ninja.renderers import JSONRenderer

from accounts.auth import API_AUTH
from core.errors import DomainError, FieldError, ImportFailed, ValidationFailed, render_message
from core.request_context import current_request_id
from core.url_tree import nested_by_prefix

logger = logging.getLogger(__name__)


class Utf8JSONRenderer(JSONRenderer):
    """Chinese text as UTF-8, not \\u escapes: a third of the size, and readable in logs and curl."""

    json_dumps_params = {"ensure_ascii": False}


class PlatformParser(Parser):
    """Query strings and form fields with a NUL character are refused, naming the field, for every endpoint at
    once: PostgreSQL refuses NUL in any text it is given (a search filter as much as a stored value), which
    answered such a request 500 (found by the API fuzzing on the talent pool's search). JSON bodies are checked by
    the services that store their text (accounts.services `_text_problems` and the like)."""

    def parse_querydict(self, data: MultiValueDict[str, str], list_fields: list[str],
                        request: HttpRequest) -> dict[str, Any]:
        # Only text: the same method parses request.FILES, and `in` on an uploaded file reads it to the end.
        bad = [key for key, values in data.lists()
               if any(isinstance(value, str) and "\x00" in value for value in values)]
        if bad:
            raise ValidationFailed([FieldError(key, "field.control_character") for key in bad])
        parsed: dict[str, Any] = super().parse_querydict(data, list_fields, request)
        return parsed


class PlatformAPI(NinjaAPI):
    """Operation ids name the app's API package, not the subject module inside it (`competitions_api_mark_record`),
    so moving an endpoint between an app's routers never changes a client's generated method name."""

    def get_openapi_operation_id(self, operation: Operation) -> str:
        module = operation.view_func.__module__
        app, _, rest = module.partition(".api")
        prefix = f"{app}.api" if rest.startswith(".") or not rest else module
        return f"{prefix}_{operation.view_func.__name__}".replace(".", "_")

    @property
    def urls(self) -> tuple[list[Any], str, str]:
        """The routes nested by their leading segments, for a resolver that tries prefixes (core/url_tree.py)."""
        patterns, app_name, namespace = super().urls
        return nested_by_prefix(patterns), app_name, namespace


def _docs_for_signed_in(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The interactive docs (/api/v1/docs) only for signed-in people when DEBUG is off; others are sent to sign
    in. The OpenAPI document itself stays public: client generators fetch it, and it shows no data."""
    if getattr(view, "func", view) is not openapi_view:
        return view

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if settings.DEBUG or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        return redirect_to_login(request.get_full_path())

    return guarded


api = PlatformAPI(
    renderer=Utf8JSONRenderer(),
    parser=PlatformParser(),
    title="技能山东 API",
    version="1",
    description="技能竞赛、职业技能等级认定与高技能人才库。Skills competitions, skill-level certification and the "
    "talent pool. Authenticate with `Authorization: Bearer <token>` or the page session.",
    auth=API_AUTH,
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    docs_decorator=_docs_for_signed_in,
)


def error_response(
    request: HttpRequest, status: int, code: str, message: str, **extra: Any
) -> HttpResponse:
    body = {"code": code, "message": message, "request_id": current_request_id() or None}
    body.update({key: value for key, value in extra.items() if value is not None})
    return api.create_response(request, body, status=status)


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    extra: dict[str, Any] = {}
    if isinstance(exc, ValidationFailed):
        extra["fields"] = exc.fields()
    if isinstance(exc, ImportFailed):
        extra["rows"] = exc.rows()
    return error_response(request, exc.status, exc.code, exc.message, **extra)


def _field_name(loc: list[Any]) -> str:
    # ninja reports ["body", "payload", "days"] or ["query", "limit"]: the last named part is the field.
    names = [str(part) for part in loc if not isinstance(part, int)]
    meaningful = [name for name in names if name not in {"body", "query", "path", "header", "cookie", "payload"}]
    return meaningful[-1] if meaningful else (names[-1] if names else "body")


@api.exception_handler(NinjaValidationError)
def _request_invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        name = _field_name(list(error.get("loc", [])))
        fields.setdefault(name, []).append(
            render_message("field.invalid", {"field": name}) + f" ({error.get('msg', '')})"
        )
    return error_response(request, 422, "validation_failed", render_message("validation_failed", {}), fields=fields)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(request, 401, "not_authenticated", render_message("not_authenticated", {}))


@api.exception_handler(AuthorizationError)
@api.exception_handler(DjangoPermissionDenied)
def _forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(request, 403, "permission_denied", render_message("permission_denied", {}))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, 404, "not_found", render_message("not_found", {}))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 403 and "CSRF" in str(exc):
        return error_response(request, 403, "csrf_failed", render_message("csrf_failed", {}))
    code = {400: "bad_request", 401: "not_authenticated", 403: "permission_denied", 404: "not_found"}.get(
        exc.status_code, "http_error"
    )
    return error_response(request, exc.status_code, code, render_message(code, {}, str(exc)))


@api.exception_handler(MultiPartParserError)
def _malformed_body(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    """A multipart body the parser cannot read (a part's headers too long, a broken boundary): the client's
    mistake, answered 400 like any request that cannot be parsed, not logged as a server error."""
    return error_response(request, 400, "bad_request", render_message("bad_request", {}))


@api.exception_handler(Exception)
def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("unhandled error in %s %s (request %s)", request.method, request.path, current_request_id())
    return error_response(request, 500, "internal_error", render_message("internal_error", {}))


def _mount_routers() -> None:
    from accounts.api import router as accounts_router
    from audit.api import router as audit_router
    from certification.api import router as certification_router
    from competitions.api import router as competitions_router
    from talentpool.api import router as talentpool_router
    from tasks.api import router as tasks_router

    api.add_router("/accounts/", accounts_router, tags=["accounts"])
    api.add_router("/audit/", audit_router, tags=["audit"])
    api.add_router("/certification/", certification_router, tags=["certification"])
    api.add_router("/competitions/", competitions_router, tags=["competitions"])
    api.add_router("/talentpool/", talentpool_router, tags=["talentpool"])
    api.add_router("/tasks/", tasks_router, tags=["tasks"])


_mount_routers()
