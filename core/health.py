"""Health of what one server process depends on: the database and the channel layer; and /healthz, which
answers it for load balancers (no sign-in, no HTTPS redirect: settings exempt it)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

TIMEOUT_SECONDS = 2.0


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    ok: bool
    detail: str


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "down", and the detail says which
        return Check("database", False, f"{type(exc).__name__}: {exc}"[:300])
    return Check("database", True, connection.vendor)


async def _round_trip() -> None:
    layer = get_channel_layer()
    if layer is None:
        raise RuntimeError("no channel layer configured")
    channel = await layer.new_channel("healthz.")
    await layer.send(channel, {"type": "healthz.ping"})
    message = await asyncio.wait_for(layer.receive(channel), TIMEOUT_SECONDS)
    if message.get("type") != "healthz.ping":
        raise RuntimeError("channel layer returned a different message")


def check_channel_layer() -> Check:
    try:
        async_to_sync(_round_trip)()
    except Exception as exc:  # noqa: BLE001
        return Check("channel_layer", False, f"{type(exc).__name__}: {exc}"[:300])
    layer = get_channel_layer()
    return Check("channel_layer", True, type(layer).__name__)


def run_checks() -> list[Check]:
    return [check_database(), check_channel_layer()]


@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database and the channel layer answer; 503 naming what is down."""
    checks = run_checks()
    down = [check.name for check in checks if not check.ok]
    body = {
        "status": "ok" if not down else "down",
        "down": down,
        "checks": {check.name: {"ok": check.ok, "detail": check.detail} for check in checks},
    }
    return JsonResponse(body, status=200 if not down else 503)
