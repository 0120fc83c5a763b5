"""Domain errors raised under a page become the right page: 404 for what is invisible, 403 for what is not
allowed. (The API has its own handler in config/api.py; both read the same error codes and messages.)"""

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
        if isinstance(exception, NotFound):
            return render(request, "shell/error.html", {"message": exception.message, "status": 404}, status=404)
        if isinstance(exception, PermissionDenied):
            return render(request, "shell/error.html", {"message": exception.message, "status": 403}, status=403)
        return None
