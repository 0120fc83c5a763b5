"""Page sessions end after `SESSION_IDLE_TIMEOUT` without a request and, whatever the activity, `SESSION_MAX_AGE`
after signing in (issue 9 item 7). A venue tablet's long-lived credential is its API token, not a session.

Both times are kept in the session itself (epoch seconds): the sign-in time is written when a person signs in,
the last-seen time at most once a minute, so an active session is not written on every request. Each write also
renews the cookie and the stored session's expiry (SESSION_COOKIE_AGE is the idle timeout), so an abandoned
session also expires where it is stored. A session past either limit is signed out before the view runs: a page
then sends the person to sign in again, the API answers 401.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

SIGNED_IN_AT = "_signed_in_at"
LAST_SEEN_AT = "_last_seen_at"
_SEEN_GRANULARITY = 60  # seconds: how stale the last-seen time may get before it is written again


@receiver(user_logged_in, dispatch_uid="accounts.sessions.signed_in")
def _remember_sign_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[SIGNED_IN_AT] = now
        request.session[LAST_SEEN_AT] = now


def session_expired(signed_in_at: float, last_seen_at: float, now: float, *, idle: float, max_age: float) -> bool:
    """Is a session signed in at `signed_in_at` and last seen at `last_seen_at` over its idle or absolute limit?"""
    return now - last_seen_at > idle or now - signed_in_at > max_age


class SessionLifetimeMiddleware:
    """Signs out page sessions past their idle timeout or absolute lifetime (module docstring). After
    AuthenticationMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if user is not None and session is not None and user.is_authenticated:
            now = int(time.time())
            signed_in_at = session.get(SIGNED_IN_AT)
            last_seen_at = session.get(LAST_SEEN_AT)
            if signed_in_at is None or last_seen_at is None:
                # A session from before these limits: its clock starts now.
                session[SIGNED_IN_AT] = signed_in_at or now
                session[LAST_SEEN_AT] = now
            elif session_expired(signed_in_at, last_seen_at, now, idle=settings.SESSION_IDLE_TIMEOUT,
                                 max_age=settings.SESSION_MAX_AGE):
                logout(request)
            elif now - last_seen_at >= _SEEN_GRANULARITY:
                session[LAST_SEEN_AT] = now
        return self.get_response(request)
