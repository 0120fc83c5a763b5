"""The verification rate limits (issue 13 item 5: "rate-limited per client"), on Django's cache (Redis when
several processes serve, the local-memory cache of the embedded default), the same cache the sessions use.

- Single verifications (the page `/verify/…` and `GET /api/v1/certification/verify`): at most
  `CERTIFICATE_VERIFY_PER_MINUTE` (default 60) a minute per client address (REMOTE_ADDR, which a proxy must set:
  README "Behind a proxy"), counted together for the page and the API.
- Bulk verifications (`POST /api/v1/certification/verify/bulk`, up to 1,000 items each): at most
  `CERTIFICATE_VERIFY_BULK_PER_MINUTE` (default 10) requests a minute per signed-in account, whatever its
  address (an employer's office shares one).
Fixed one-minute windows (a counter per client and minute that expires with it): simple, one cache round trip
per request, and a burst at a window's edge gets at most twice the limit, which is harmless here. Over the limit
the answer is 429 with `TooManyRequests("certificate.verify_too_many", {limit})`.

Why not django-axes (the login throttle): it counts failures of sign-ins, not requests.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from core.errors import TooManyRequests


def _hit(key: str, limit: int) -> None:
    window = int(time.time() // 60)
    full = f"certverify:{key}:{window}"
    cache.add(full, 0, timeout=120)
    try:
        count = cache.incr(full)
    except ValueError:  # expired between add and incr
        cache.set(full, 1, timeout=120)
        count = 1
    if count > limit:
        raise TooManyRequests("certificate.verify_too_many", {"limit": limit},
                              default="Too many verifications: at most {limit} a minute. Try again in a minute.")


def throttle_single(request: HttpRequest) -> None:
    """Count one single verification for the client's address (module docstring)."""
    _hit(f"a:{request.META.get('REMOTE_ADDR', '')}", settings.CERTIFICATE_VERIFY_PER_MINUTE)


def throttle_bulk(request: HttpRequest) -> None:
    """Count one bulk request for the signed-in account (module docstring)."""
    _hit(f"u:{request.user.pk}", settings.CERTIFICATE_VERIFY_BULK_PER_MINUTE)
