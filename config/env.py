"""Reading settings from the environment, failing loudly.

A value that is set but cannot be understood stops start-up with a message that names the variable: a typo in
`DEBUG=ture` must not silently mean "off", and a malformed `DATABASE_URL` must not silently mean SQLite.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _raw(name: str, environ: Mapping[str, str] | None) -> str | None:
    return (os.environ if environ is None else environ).get(name)


def env_bool(name: str, default: bool, environ: Mapping[str, str] | None = None) -> bool:
    """A boolean: 1/true/yes/on or 0/false/no/off (any case); anything else is an error naming `name`."""
    raw = _raw(name, environ)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; use true/false, 1/0, yes/no or on/off.")


def env_list(name: str, default: list[str], environ: Mapping[str, str] | None = None) -> list[str]:
    """A comma-separated list; empty items are dropped."""
    raw = _raw(name, environ)
    if raw is None:
        return list(default)
    items = [item.strip() for item in raw.split(",") if item.strip()]
    if not items:
        raise ImproperlyConfigured(f"{name} is set but lists nothing; give comma-separated values or unset it.")
    return items


def env_int(name: str, default: int, minimum: int, environ: Mapping[str, str] | None = None) -> int:
    """A whole number of at least `minimum`; anything else is an error naming `name`."""
    raw = _raw(name, environ)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} is below its minimum of {minimum}.")
    return value


def env_seconds(name: str, default: float, environ: Mapping[str, str] | None = None) -> float:
    """A positive number of seconds (decimals allowed); anything else is an error naming `name`."""
    raw = _raw(name, environ)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a number of seconds.") from None
    if not value > 0 or value == float("inf"):
        raise ImproperlyConfigured(f"{name}={raw!r} must be a positive, finite number of seconds.")
    return value


def env_str(name: str, default: str | None = None, environ: Mapping[str, str] | None = None) -> str | None:
    raw = _raw(name, environ)
    return default if raw is None or raw == "" else raw


def env_url(name: str, schemes: set[str], environ: Mapping[str, str] | None = None) -> str | None:
    """A URL whose scheme is one of `schemes` and that names a host or path; unset or empty means None."""
    raw = _raw(name, environ)
    if raw is None or raw.strip() == "":
        return None
    try:
        parts = urlsplit(raw.strip())
        parts.port  # noqa: B018 - accessing .port validates it and raises ValueError when it is not a number
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} is not a valid URL: {exc}.") from exc
    if parts.scheme not in schemes:
        allowed = ", ".join(sorted(schemes))
        raise ImproperlyConfigured(f"{name} must start with one of {allowed}:// (got {parts.scheme or 'no scheme'!r}).")
    if not (parts.hostname or parts.path.strip("/")):
        raise ImproperlyConfigured(f"{name} names no host or database.")
    return raw.strip()


def env_timezone(name: str, default: str, environ: Mapping[str, str] | None = None) -> str:
    raw = _raw(name, environ) or default
    try:
        ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a known time zone (e.g. Asia/Shanghai).") from exc
    return raw


def database_config(url: str | None, sqlite_path: str, pool: Mapping[str, float] | None = None) -> dict[str, Any]:
    """`DATABASE_URL` as Django's DATABASES['default']; None means the embedded SQLite file, and a `sqlite:///path`
    URL another file with the same options.

    PostgreSQL goes through a bounded psycopg connection pool (`pool`: its min_size, max_size and timeout): a
    request borrows a connection for its duration and gives it back, so one process never holds more than
    max_size connections however many request threads it runs, and a burst waits up to `timeout` seconds for a
    free one instead of failing. The pool needs CONN_MAX_AGE 0 (Django refuses persistent connections with it)."""
    import dj_database_url

    if url is None or url.split(":", 1)[0] == "sqlite":
        # A `sqlite:///path` URL gets the embedded file's options too: without IMMEDIATE transactions two
        # concurrent marks fail with "database is locked" at once instead of waiting (issue 11, simulate_marking).
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": sqlite_path if url is None else dj_database_url.parse(url)["NAME"],
            # WAL lets the task worker read while the server writes; the timeout rides out short write locks.
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=0, conn_health_checks=True))
    if config["ENGINE"] == "django.db.backends.postgresql" and pool is not None:
        if pool["min_size"] > pool["max_size"]:
            raise ImproperlyConfigured(
                f"DATABASE_POOL_MIN_SIZE ({pool['min_size']:g}) is above DATABASE_POOL_MAX_SIZE ({pool['max_size']:g})."
            )
        config["OPTIONS"] = {**config.get("OPTIONS", {}), "pool": dict(pool)}
    return config
