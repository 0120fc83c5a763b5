"""Sign-in throttling on django-axes, keyed so that an attacker can neither lock a referee out nor spray passwords.

- Five wrong passwords for one username **from one address** lock that username at that address for the cool-off
  (axes' lockout parameters `[["username", "ip_address"]]`): someone guessing a referee's password from elsewhere
  locks only himself out, and the referee still signs in at the venue.
- Any address with `LOGIN_ADDRESS_FAILURE_LIMIT` failures across all usernames within the cool-off is refused
  for every username until it passes (password spraying: many usernames, a few guesses each). axes counts one
  limit for all its parameter sets, so the per-address limit, which must be higher than five (one venue's
  referees share an uplink), is this handler's own check on axes' own records.
A successful sign-in clears that username's failures at that address only (AXES_RESET_ON_SUCCESS), never the
address's count, so a sprayer who owns one account cannot reset it by signing in with it.

Behind a proxy the client's address must reach Django as REMOTE_ADDR (daphne `--proxy-headers`; README).
"""

from __future__ import annotations

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest

# Set on the request when the address, not the username, is what is throttled (the lockout page says which).
ADDRESS_THROTTLED = "login_address_throttled"


def address_failures(request: HttpRequest) -> int:
    """Failed sign-ins from the request's address within the cool-off, across every username."""
    address = getattr(request, "axes_ip_address", None)
    if not address:
        return 0
    attempts = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=get_cool_off_threshold(request))
    total: int | None = attempts.aggregate(total=Sum("failures_since_start"))["total"]
    return total or 0


def _address_over_limit(request: HttpRequest) -> bool:
    over = address_failures(request) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT
    if over:
        setattr(request, ADDRESS_THROTTLED, True)
    return over


class LoginThrottleHandler(AxesDatabaseHandler):  # type: ignore[misc] # axes ships no type hints
    """axes' database handler with the per-address limit added (module docstring)."""

    def is_locked(self, request: Any, credentials: dict[str, Any] | None = None) -> bool:
        # The address first: when both hold, the broader reason is the one the lockout page gives.
        return _address_over_limit(request) or bool(super().is_locked(request, credentials))

    def user_login_failed(self, sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and not getattr(request, "axes_locked_out", False) and _address_over_limit(request):
            request.axes_locked_out = True
            request.axes_credentials = credentials
