"""The id of the request being served, readable anywhere below the view (the audit log records it).

A context variable, so it follows the request through sync and async code (asgiref copies the context into the
threads it runs sync code in) and never leaks between concurrent requests.
"""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar, Token

_request_id: ContextVar[str] = ContextVar("request_id", default="")
# An incoming id is kept only when it looks like one (a proxy's id lets logs be joined end to end): 8 to 64 of
# A-Z a-z 0-9 . _ - and nothing else. `fullmatch`, not `match` with `$`: `$` also matches before a final newline,
# which would let "abcdefgh\n" through into a response header (a 500) and into the audit log.
_ACCEPTABLE = re.compile(r"[A-Za-z0-9._-]{8,64}", re.ASCII)


def current_request_id() -> str:
    return _request_id.get()


def is_well_formed(value: str) -> bool:
    """Is `value` an id we keep (a client's or a proxy's), rather than free text?"""
    return _ACCEPTABLE.fullmatch(value) is not None


def new_request_id(incoming: str | None = None) -> str:
    """The client's id when it is well formed, otherwise a fresh one: a malformed id is replaced, never cleaned."""
    if incoming and is_well_formed(incoming):
        return incoming
    return uuid.uuid4().hex


def set_request_id(value: str) -> Token[str]:
    """Make `value` the current id; anything not well formed is replaced, so what the audit log reads from
    `current_request_id` is never free text, whoever sets it (the middleware, a task, a consumer)."""
    return _request_id.set(value if is_well_formed(value) else uuid.uuid4().hex)


def reset_request_id(token: Token[str]) -> None:
    _request_id.reset(token)
