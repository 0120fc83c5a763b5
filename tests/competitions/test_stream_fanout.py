"""The live board's fan-out in one process (issue 11 "Performance"; competitions.consumers, "Fan-out" and
"Snapshots"; DESIGN.md "Coalescing"): a wake-up is one channel-layer message per process, not one per viewer; N
viewers connecting at one position share one snapshot build and its text; a viewer whose socket is slow delays
nobody else, and still gets every delta once, in order.

The channel layer is the one the settings configure (in-memory on the embedded defaults, Redis in CI's second run);
the group's members are counted in the layer itself.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser

from competitions import consumers
from competitions.consumers import EventBoardConsumer
from competitions.live import event_group
from competitions.services.stream import stream_sequence
from tests.competitions.steps import Scenario, connect_board, mark_by_measurer

pytestmark = pytest.mark.django_db(transaction=True)


def _mark_and_sequence(s: Scenario, index: int, value: int) -> str:
    mark_by_measurer(s, s.entries[index], "A1", value)
    return stream_sequence(event_id=s.event.pk).epoch


async def _group_members(group: str) -> int:
    """How many channels the layer holds in `group` (in-memory: its dict; Redis: the group's sorted set)."""
    layer: Any = get_channel_layer()
    if hasattr(layer, "groups"):
        return len(layer.groups.get(group, {}))
    key = layer._group_key(group)
    async with layer.connection(layer.consistent_hash(group)) as connection:
        count: int = await connection.zcard(key)
    return count


def test_a_wake_up_is_one_channel_layer_message_per_process_whatever_the_number_of_viewers(
    scenario: Scenario
) -> None:
    s = scenario
    act = database_sync_to_async(_mark_and_sequence)

    async def scene() -> dict[str, Any]:
        seen: dict[str, Any] = {}
        public = [await connect_board(s.event.pk, AnonymousUser()) for _ in range(12)]
        jury = [await connect_board(s.event.pk, s.organizer, "audience=jury") for _ in range(3)]
        for board in (*public, *jury):
            await board.receive_json_from(5)
        seen["members"] = await _group_members(event_group(s.event.pk))
        messages, reads = consumers.LAYER_MESSAGES["count"], consumers.NEWS_READS["count"]
        got: list[list[int]] = [[] for _ in (*public, *jury)]
        for index, value in ((0, 20), (1, 20), (0, 0)):
            await act(s, index, value)
            for i, board in enumerate((*public, *jury)):
                frame = await board.receive_json_from(5)
                got[i].extend(d["seq"] for d in frame["deltas"])
        await asyncio.sleep(0.1)
        seen["messages"] = consumers.LAYER_MESSAGES["count"] - messages
        seen["reads"] = consumers.NEWS_READS["count"] - reads
        seen["got"] = got
        for board in (*public, *jury):
            await board.disconnect()
        seen["members_after"] = await _group_members(event_group(s.event.pk))
        seen["left"] = [key for key in (*consumers._hubs, *consumers._listeners) if key[1] == s.event.pk]
        return seen

    seen = async_to_sync(scene)()
    assert seen["members"] == 1  # the process's listener, not 15 viewers
    assert seen["messages"] == 3  # one per wake-up, not 45
    assert seen["reads"] == 6  # one per wake-up and audience
    assert all(got == [1, 2, 3] for got in seen["got"])  # every viewer, every delta, once, in order
    assert seen["members_after"] == 0 and seen["left"] == []  # the last viewer took the hubs and listener along


def test_viewers_connecting_at_one_position_share_one_snapshot_build_and_text(scenario: Scenario) -> None:
    s = scenario
    act = database_sync_to_async(_mark_and_sequence)

    async def scene() -> dict[str, Any]:
        seen: dict[str, Any] = {}
        builds = consumers.SNAPSHOT_BUILDS["count"]
        first = await asyncio.gather(*(connect_board(s.event.pk, AnonymousUser()) for _ in range(20)))
        seen["first"] = [await board.receive_from(5) for board in first]
        seen["first_builds"] = consumers.SNAPSHOT_BUILDS["count"] - builds
        await act(s, 0, 20)  # the position moves: the next viewers get a new snapshot, built once
        for board in first:
            await board.receive_json_from(5)
        builds = consumers.SNAPSHOT_BUILDS["count"]
        later = await asyncio.gather(*(connect_board(s.event.pk, AnonymousUser()) for _ in range(10)))
        seen["later"] = [await board.receive_from(5) for board in later]
        jury = await asyncio.gather(*(connect_board(s.event.pk, s.organizer, "audience=jury") for _ in range(5)))
        seen["jury"] = [await board.receive_from(5) for board in jury]
        seen["later_builds"] = consumers.SNAPSHOT_BUILDS["count"] - builds
        for board in (*first, *later, *jury):
            await board.disconnect()
        return seen

    seen = async_to_sync(scene)()
    assert seen["first_builds"] == 1 and len(set(seen["first"])) == 1
    assert json.loads(seen["first"][0])["seq"] == 0
    assert seen["later_builds"] == 2  # one for the public at seq 1, one for the jury
    assert len(set(seen["later"])) == 1 and json.loads(seen["later"][0])["seq"] == 1
    later, jury = json.loads(seen["later"][0]), json.loads(seen["jury"][0])
    assert len(set(seen["jury"])) == 1 and jury["audience"] == "jury" and later["audience"] == "public"


def _slow_link(app: Any) -> Any:
    """The board behind a slow link: the server's send of each delta frame takes a second (ASGI `send`)."""

    async def slow(scope: dict[str, Any], receive: Any, send: Any) -> Any:
        async def slow_send(message: dict[str, Any]) -> None:
            if message.get("type") == "websocket.send" and '"type": "delta"' in (message.get("text") or ""):
                await asyncio.sleep(1.0)
            await send(message)

        return await app(scope, receive, slow_send)

    return slow


async def _connect_slow(event_id: int) -> Any:
    communicator = WebsocketCommunicator(_slow_link(EventBoardConsumer.as_asgi()),
                                         f"/ws/competitions/events/{event_id}/board/")
    communicator.scope["user"] = AnonymousUser()
    communicator.scope["url_route"] = {"kwargs": {"event_id": event_id}}
    connected, _code = await communicator.connect()
    assert connected
    return communicator


def test_a_slow_viewer_delays_nobody_else_and_still_gets_every_delta_once_in_order(scenario: Scenario) -> None:
    s = scenario
    act = database_sync_to_async(_mark_and_sequence)

    async def scene() -> dict[str, Any]:
        seen: dict[str, Any] = {"waits": []}
        slow = await _connect_slow(s.event.pk)
        quick = [await connect_board(s.event.pk, AnonymousUser()) for _ in range(3)]
        for board in (slow, *quick):
            await board.receive_json_from(5)
        got: list[list[int]] = [[] for _ in quick]
        for round_ in range(4):
            started = time.monotonic()
            await act(s, round_, 20)
            for i, board in enumerate(quick):
                frame = await board.receive_json_from(5)
                got[i].extend(d["seq"] for d in frame["deltas"])
            seen["waits"].append(time.monotonic() - started)
        slow_got: list[int] = []
        deadline = time.monotonic() + 10
        while (not slow_got or slow_got[-1] < 4) and time.monotonic() < deadline:
            frame = await slow.receive_json_from(5)
            slow_got.extend(d["seq"] for d in frame["deltas"])
        seen["quick"], seen["slow"] = got, slow_got
        seen["slow_quiet"] = await slow.receive_nothing(0.3)
        for board in (slow, *quick):
            await board.disconnect()
        return seen

    seen = async_to_sync(scene)()
    assert max(seen["waits"]) < 0.9  # the slow viewer's second per frame held none of the others' frames
    assert all(got == [1, 2, 3, 4] for got in seen["quick"])
    assert seen["slow"] == [1, 2, 3, 4] and seen["slow_quiet"]  # coalesced, but each delta once, in order


async def _connect_through_the_application(event_id: int, cookie: str | None) -> Any:
    from config.asgi import application

    headers = [(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")]
    if cookie is not None:
        headers.append((b"cookie", cookie.encode()))
    communicator = WebsocketCommunicator(application, f"/ws/competitions/events/{event_id}/board/", headers)
    connected, _code = await communicator.connect()
    assert connected
    return communicator


def test_the_board_route_loads_a_session_only_for_a_handshake_carrying_the_session_cookie(
    scenario: Scenario, client: Any, settings: Any
) -> None:
    from accounts.websocket import has_session_cookie

    s = scenario
    client.force_login(s.organizer)
    session = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"

    async def scene() -> list[dict[str, Any]]:
        frames = []
        for cookie in (None, "csrftoken=x; lang=zh-hans", session):
            board = await _connect_through_the_application(s.event.pk, cookie)
            frames.append(await board.receive_json_from(5))
            await board.disconnect()
        return frames

    anonymous, other_cookies, signed_in = async_to_sync(scene)()
    assert anonymous["audience"] == other_cookies["audience"] == "public"  # no session: the anonymous user
    assert signed_in["audience"] == "jury"  # the organizer's session, read through the whole stack as before
    assert not has_session_cookie({"headers": [(b"cookie", b"csrftoken=x")]})
    assert has_session_cookie({"headers": [(b"cookie", f"a=b; {session}".encode())]})
