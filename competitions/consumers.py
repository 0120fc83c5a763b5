"""The live board's websocket: `/ws/competitions/events/<event_id>/board/` (DESIGN.md "Live scoring"; README
"Live stream" is the protocol).

On connect the caller's audience is decided by `competitions.access.access_event_board` (`?audience=jury` asks for
the jury board: refused with close code 4401 without a sign-in, 4403 without the right, each sent after the
handshake so that a browser can read it; no audience picks the
jury board for those who may see it, else the public one; an event the caller cannot see closes with 4404). The
consumer then joins the event's channel group and sends a `snapshot` with the stream's epoch and seq, or, when the
URL carries `?epoch=E&seq=S`, what a `resume` message would answer.

Messages from the client: `{"type": "resume", "epoch": E, "seq": S}` → the missed deltas in one `delta` frame
with `recovered: true`, or a `snapshot`; `{"type": "ping"}` → a heartbeat. Anything else (not JSON, not an
object, an unknown type, a seq that is not a whole number) → an `error` frame; the connection stays open. The
public board is read-only: nothing a client sends writes anything.

On the sequencer's wake-up (`stream.wake`, with just the new last seq) the consumer reads the deltas after the
last one it sent from the database and sends them as one frame; wake-ups arrive at most once per sequencer
batch, so frames follow the tick rate, not the mark rate. A wake-up under another epoch (the history was rebuilt)
sends a snapshot, and so does a `skill.decrypted` delta (names change). A `competition.resync` (the layer came
back after an outage, competitions.live) reads the database like a wake-up. Every `STREAM_HEARTBEAT_SECONDS` a
`heartbeat` carries the epoch and the last seq sent, so a client learns it missed nothing while all was quiet.

Left for later (DESIGN.md "Coalescing"): each consumer projects its frame itself; encoding once per audience per
process, and freezing (封榜) of the public board, come with the board pages.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings

from competitions.access import access_event_board
from competitions.domain.stream import Audience
from competitions.live import event_group
from competitions.selectors.stream import Resumed, board_snapshot, deltas_after, stream_resume, stream_state
from core.errors import NotAuthenticated, NotFound, PermissionDenied

CLOSE_NOT_SIGNED_IN = 4401
CLOSE_NOT_ALLOWED = 4403
CLOSE_NOT_FOUND = 4404


def _audience_sync(user: Any, event_id: int, wanted: str | None) -> Audience | int:
    try:
        return access_event_board(user, event_id, wanted)[1]
    except NotAuthenticated:
        return CLOSE_NOT_SIGNED_IN
    except PermissionDenied:
        return CLOSE_NOT_ALLOWED
    except NotFound:
        return CLOSE_NOT_FOUND


def _snapshot_sync(event_id: int, audience: Audience) -> dict[str, Any]:
    return board_snapshot(event_id, audience).message()


def _resume_sync(event_id: int, audience: Audience, epoch: str | None, seq: int | None) -> Resumed:
    return stream_resume(event_id, audience, epoch, seq)


def _news_sync(event_id: int, audience: Audience, epoch: str, after: int) -> tuple[str, list[dict[str, Any]]]:
    """The stream's epoch now, and the deltas after `after` (none when the epoch changed: a snapshot is due). A
    board whose snapshot came before the event's first sequencing (no epoch yet, seq 0) is at the start of the
    first epoch, whatever it is named."""
    state = stream_state(event_id)
    if epoch == "" and after == 0:
        epoch = state.epoch
    if state.epoch != epoch:
        return state.epoch, []
    return state.epoch, deltas_after(event_id, after, audience)


# channels ships no type information, so its decorator is untyped; the awaitables it makes are named here.
_audience: Callable[[Any, int, str | None], Awaitable[Audience | int]] = database_sync_to_async(_audience_sync)
_snapshot: Callable[[int, Audience], Awaitable[dict[str, Any]]] = database_sync_to_async(_snapshot_sync)
_resume: Callable[[int, Audience, str | None, int | None], Awaitable[Resumed]] = database_sync_to_async(_resume_sync)
_news: Callable[[int, Audience, str, int], Awaitable[tuple[str, list[dict[str, Any]]]]] = (
    database_sync_to_async(_news_sync))


def _position(value: Any) -> int | None:
    """A client's seq: a whole number ≥ 0 (JSON booleans are not numbers here); anything else is None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and value >= 0:
        return value
    if isinstance(value, str) and value.isdigit() and len(value) <= 18:
        return int(value)
    return None


class EventBoardConsumer(AsyncJsonWebsocketConsumer):  # type: ignore[misc]  # channels is untyped: base is Any
    """One viewer of one event's board (module docstring)."""

    epoch: str = ""
    sent: int = 0

    async def connect(self) -> None:
        self.event_id = int(self.scope["url_route"]["kwargs"]["event_id"])
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        wanted = (query.get("audience") or [None])[0]
        audience = await _audience(self.scope.get("user"), self.event_id, wanted)
        if not isinstance(audience, Audience):
            # Accepted, then closed with the code: a browser sees a handshake refused only as 1006, and a board
            # must tell "sign in" (4401) from "not allowed" (4403) and "no such event" (4404).
            await self.accept()
            await self.close(code=audience)
            return
        self.audience = audience
        self.lock = asyncio.Lock()  # one frame at a time, in seq order, whoever triggers it
        await self.channel_layer.group_add(event_group(self.event_id), self.channel_name)
        await self.accept()
        epoch = (query.get("epoch") or [None])[0]
        seq = _position((query.get("seq") or [None])[0])
        if epoch is not None and seq is not None:
            await self._resume(epoch, seq)
        else:
            await self._send_snapshot()
        self.heartbeat = asyncio.ensure_future(self._beat())

    async def disconnect(self, code: int) -> None:
        heartbeat = getattr(self, "heartbeat", None)
        if heartbeat is not None:
            heartbeat.cancel()
        if hasattr(self, "audience"):
            await self.channel_layer.group_discard(event_group(self.event_id), self.channel_name)

    # --- from the client ---

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any) -> None:
        try:
            content = json.loads(text_data or "")
        except (TypeError, ValueError):
            await self._error("message.not_json")
            return
        await self.receive_json(content)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if not isinstance(content, dict):
            await self._error("message.not_an_object")
            return
        kind = content.get("type")
        if kind == "ping":
            await self._send_heartbeat()
        elif kind == "resume":
            epoch, seq = content.get("epoch"), _position(content.get("seq"))
            if not isinstance(epoch, str) or seq is None:
                await self._error("resume.bad_position")
                return
            await self._resume(epoch, seq)
        else:
            await self._error("message.unknown_type")

    async def _error(self, code: str) -> None:
        await self.send_json({"type": "error", "code": code})

    # --- from the channel layer ---

    async def stream_wake(self, message: dict[str, Any]) -> None:
        if message.get("epoch") == self.epoch and int(message.get("seq", 0)) <= self.sent:
            return  # already sent (a replay or a snapshot got there first)
        await self._catch_up()

    async def competition_resync(self, message: dict[str, Any]) -> None:
        await self._catch_up()

    async def competition_delta(self, message: dict[str, Any]) -> None:
        """competitions.live's after-commit notes of other writes: the stream carries what boards show."""

    # --- frames ---

    async def _send_snapshot(self) -> None:
        async with self.lock:
            snapshot = await _snapshot(self.event_id, self.audience)
            self.epoch, self.sent = snapshot["epoch"], snapshot["seq"]
            await self.send_json(snapshot)

    async def _resume(self, epoch: str, seq: int) -> None:
        async with self.lock:
            resumed = await _resume(self.event_id, self.audience, epoch, seq)
            frame = resumed.message()
            self.epoch, self.sent = resumed.epoch, frame["seq"]
            await self.send_json(frame)

    async def _catch_up(self) -> None:
        async with self.lock:
            epoch, deltas = await _news(self.event_id, self.audience, self.epoch, self.sent)
            if self.epoch == "" and self.sent == 0:
                self.epoch = epoch  # the first epoch began after this board's snapshot (`_news_sync`)
            snapshot_due = epoch != self.epoch or any(d.get("kind") == "skill.decrypted" for d in deltas)
            if not snapshot_due:
                if deltas:
                    self.sent = deltas[-1]["seq"]
                    await self.send_json({"type": "delta", "epoch": epoch, "seq": self.sent, "deltas": deltas})
                return
        await self._send_snapshot()

    async def _send_heartbeat(self) -> None:
        await self.send_json({"type": "heartbeat", "epoch": self.epoch, "seq": self.sent})

    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(settings.STREAM_HEARTBEAT_SECONDS)
            await self._send_heartbeat()
