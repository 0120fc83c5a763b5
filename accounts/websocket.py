"""Who is on the other end of a websocket (config/asgi.py): channels' session and auth stack, only where the
handshake carries the session cookie.

Channels' `AuthMiddlewareStack` gives every connection a lazy session and resolves its user in a worker-thread hop,
and its session wrapper inspects every frame the consumer sends afterwards (to set a cookie on an accept). A public
board viewer without a session cookie has no session to load: Django's own answer for it is an empty session and
the anonymous user. So a handshake without the cookie gets `AnonymousUser` at once and its frames go straight to
the server (issue 11 "Performance": 1,000 anonymous viewers of one board); a handshake with it goes through the
whole stack as before, so a signed-in user is who their session says, with its expiry and rotation rules.
"""

from __future__ import annotations

from typing import Any

from channels.auth import AuthMiddlewareStack
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http.cookie import parse_cookie


def has_session_cookie(scope: dict[str, Any]) -> bool:
    """Does the handshake carry the session cookie (any value: the session stack decides what it is worth)?"""
    for name, value in scope.get("headers", ()):
        if name == b"cookie" and settings.SESSION_COOKIE_NAME in parse_cookie(value.decode("latin-1")):
            return True
    return False


class SessionAuthOnlyWithCookie:
    """ASGI middleware: `AuthMiddlewareStack(inner)` for a handshake with the session cookie, else `inner` with the
    anonymous user (module docstring)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.with_session = AuthMiddlewareStack(inner)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        if has_session_cookie(scope):
            return await self.with_session(scope, receive, send)
        return await self.inner({**scope, "user": AnonymousUser()}, receive, send)
