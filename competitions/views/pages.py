"""What every competitions page shares: a write attempted with its refusal shown as a message in the user's
language. (The signed-in person is `accounts.auth.signed_in_user`, an object or 404 is `core.lookup.get_or_404`.)

A write refused because the person may not do it is not a message: `attempt` lets NotFound and PermissionDenied
through to the one page-error handler (shell.page_errors), which answers with the 404 or 403 page, as the API
answers 404 or 403. So pages need not re-check rights before calling a service: the service's own check decides.
A page keeps a check of its own only where it reads something before the service runs, or where its rule is
stricter than the service's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest

from core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed


def attempt(request: HttpRequest, action: Callable[[], Any], success: str | Callable[[Any], str], *,
            code: str = "done") -> bool:
    """Run a write; True when done (with `success` as the message, or `success(result)` when it is a function of
    what the write returned), False when the rules refused it (with their reason as the message). A refusal of
    the person's right is raised on to the 403/404 page (module docstring). The message carries a code as its
    extra tag, shown by base.html as `data-code` (tests and scripts find it there rather than by its words): the
    error's code(s), or `code` when done."""
    try:
        result = action()
    except (NotFound, PermissionDenied):
        raise
    except ValidationFailed as exc:  # name what is wrong, not only that something is
        messages.error(request, "；".join(m for ms in exc.fields().values() for m in ms) or exc.message,
                       extra_tags=" ".join(dict.fromkeys(e.code for e in exc.field_errors)) or exc.code)
        return False
    except DomainError as exc:
        messages.error(request, exc.message, extra_tags=exc.code)
        return False
    messages.success(request, success(result) if callable(success) else success, extra_tags=code)
    return True
