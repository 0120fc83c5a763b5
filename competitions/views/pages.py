"""What every competitions page shares: the signed-in person, an object or 404, and a write attempted with its
refusal shown as a message in the user's language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.http import HttpRequest

from accounts.models import User
from core.errors import DomainError, NotFound, ValidationFailed


def me(request: HttpRequest) -> User:
    """The signed-in person: the views that call this are behind login_required."""
    return cast(User, request.user)


def get_object(model: Any, pk: int) -> Any:
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise NotFound()
    return obj


def attempt(request: HttpRequest, action: Callable[[], Any], success: str) -> bool:
    try:
        action()
    except ValidationFailed as exc:  # name what is wrong, not only that something is
        messages.error(request, "；".join(m for ms in exc.fields().values() for m in ms) or exc.message)
        return False
    except DomainError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, success)
    return True
