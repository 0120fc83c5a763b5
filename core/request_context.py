"""The id of the request being served, readable anywhere below the view (the audit log records it).

A context variable, so it follows the request through sync and async code (asgiref copies the context into the
threads it runs sync code in) and never leaks between concurrent requests.
"""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar, Token

_request_id: ContextVar[str] = ContextVar("request_id", default="")
# An incoming id is kept only when it looks like one (a proxy's id lets logs be joined end to end).
_ACCEPTABLE = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")


def current_request_id() -> str:
    return _request_id.get()


def new_request_id(incoming: str | None = None) -> str:
    if incoming and _ACCEPTABLE.match(incoming):
        return incoming
    return uuid.uuid4().hex


def set_request_id(value: str) -> Token[str]:
    return _request_id.set(value)


def reset_request_id(token: Token[str]) -> None:
    _request_id.reset(token)
