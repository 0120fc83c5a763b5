"""Domain errors raised under a page become the right page: 404 for what is invisible, 403 for what is not
allowed. The page carries the error's code as `data-code`, as the API's error body carries it as `code` (config/api.py
has the API's handler; both read the same codes and messages)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.errors import NotFound, PermissionDenied


class DomainErrorPageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if request.path.startswith("/api/"):
            return None
        if isinstance(exception, NotFound | PermissionDenied):
            context = {"message": exception.message, "code": exception.code, "status": exception.status}
            return render(request, "shell/error.html", context, status=exception.status)
        return None
