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

On the sequencer's wake-up (`stream.wake`, with just the new epoch and last seq) the board's news is read from
the database once per process, audience and event, not once per viewer (DESIGN.md "Coalescing"): every board of
one event and audience in this process shares a `BoardHub`, which on a wake-up reads what is new after its own
position once (`selectors.stream.board_news`: the deltas, projected for the audience, or a snapshot), encodes the
frame once as JSON text, and keeps its last few frames. Each viewer then sends the frames that start exactly at
its own position, in order, the same text for all; a viewer at another position (it resumed, or took a snapshot
meanwhile) catches up on its own from its position, as every viewer did before the hub. A wake-up the hub has
already read (its seq is not above what the hub read) costs nothing. Wake-ups arrive at most once per sequencer
batch, so frames follow the tick rate, not the mark rate. A frame carrying a delta of `SNAPSHOT_KINDS` (a
decryption, a freeze, a reveal, a thaw) is a snapshot instead, and so is a wake-up under another epoch. A
`competition.resync` (the layer came back after an outage, competitions.live) makes the hub read again. Every
`STREAM_HEARTBEAT_SECONDS` a `heartbeat` carries the epoch and the last seq sent, so a client learns it missed
nothing while all was quiet.

During a freeze (封榜, competitions.domain.freeze) the public hub reads only up to the freeze's seq: its frames,
heartbeats and snapshots carry that seq, never the stream's last, and a reveal step reaches the public boards as
a fresh snapshot (the board's position then has a `step`, which the client does not see).

Bad input (issue 11): each client has a budget of `STREAM_CLIENT_MESSAGES_PER_SECOND` messages a second
(competitions.domain.stream.MessageBudget); the messages beyond it are dropped, the first of each second answered
with the error `message.throttled`, and a client overrunning it for `STREAM_CLIENT_ABUSE_SECONDS` seconds in a row
is closed with code 4429. Dropping costs no query and no send, so a flood slows nobody else.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings

from competitions.access import access_event_board
from competitions.domain.freeze import Position
from competitions.domain.stream import Admission, Audience, MessageBudget
from competitions.live import event_group
from competitions.selectors.stream import News, Resumed, board_news, board_snapshot, stream_resume
from core.errors import NotAuthenticated, NotFound, PermissionDenied

CLOSE_NOT_SIGNED_IN = 4401
CLOSE_NOT_ALLOWED = 4403
CLOSE_NOT_FOUND = 4404
CLOSE_THROTTLED = 4429  # persistent abuse of the message budget (module docstring)
HUB_FRAMES = 16  # frames a hub keeps for viewers one or two wake-ups behind


def _audience_sync(user: Any, event_id: int, wanted: str | None) -> Audience | int:
    try:
        return access_event_board(user, event_id, wanted)[1]
    except NotAuthenticated:
        return CLOSE_NOT_SIGNED_IN
    except PermissionDenied:
        return CLOSE_NOT_ALLOWED
    except NotFound:
        return CLOSE_NOT_FOUND


def _snapshot_sync(event_id: int, audience: Audience) -> tuple[Position, dict[str, Any]]:
    snapshot = board_snapshot(event_id, audience)
    return snapshot.position, snapshot.message()


def _resume_sync(event_id: int, audience: Audience, epoch: str | None, seq: int | None) -> Resumed:
    return stream_resume(event_id, audience, epoch, seq)


# How many times the board's news was read from the database in this process: the hub's test counts them.
NEWS_READS = {"count": 0}


def _news_sync(event_id: int, audience: Audience, start: Position) -> News:
    NEWS_READS["count"] += 1
    return board_news(event_id, audience, start)


# channels ships no type information, so its decorator is untyped; the awaitables it makes are named here.
_audience: Callable[[Any, int, str | None], Awaitable[Audience | int]] = database_sync_to_async(_audience_sync)
_snapshot: Callable[[int, Audience], Awaitable[tuple[Position, dict[str, Any]]]] = (
    database_sync_to_async(_snapshot_sync))
_resume: Callable[[int, Audience, str | None, int | None], Awaitable[Resumed]] = database_sync_to_async(_resume_sync)
_news: Callable[[int, Audience, Position], Awaitable[News]] = database_sync_to_async(_news_sync)


@dataclass(frozen=True, slots=True)
class Frame:
    """One frame of a hub: from position `start` to `end`, encoded once."""

    start: Position
    end: Position
    text: str


class BoardHub:
    """The boards of one event and audience in this process (module docstring): one read and one encoding per
    wake-up, shared by every viewer at the hub's position."""

    def __init__(self, event_id: int, audience: Audience, position: Position) -> None:
        self.event_id, self.audience = event_id, audience
        self.position = position  # where the hub's last frame ends
        self.read_upto: tuple[str, int] | None = None  # the last wake-up (epoch, seq) read
        self.frames: deque[Frame] = deque(maxlen=HUB_FRAMES)
        self.viewers = 0
        self.lock = asyncio.Lock()

    async def frames_for(self, position: Position, woken: tuple[str, int] | None) -> list[Frame] | None:
        """The frames that bring a viewer at `position` to the hub's position after reading the wake-up `woken`
        (None: read whatever it says, a resync); None when the viewer is not on the hub's chain of frames and
        must catch up on its own."""
        async with self.lock:
            if woken is None or woken != self.read_upto and not self._read(woken):
                news = await _news(self.event_id, self.audience, self.position)
                if news.frame is not None:
                    self.frames.append(Frame(news.start, news.end, json.dumps(news.frame)))
                self.position = news.end
                if woken is not None:
                    self.read_upto = woken
            chain, at = [], position
            for frame in self.frames:
                if frame.start == at:
                    chain.append(frame)
                    at = frame.end
            return chain if at == self.position else None

    def _read(self, woken: tuple[str, int]) -> bool:
        """Has the hub read up to this wake-up already? (The same epoch and a seq not above the last read.)"""
        return self.read_upto is not None and woken[0] == self.read_upto[0] and woken[1] <= self.read_upto[1]


# (event loop, event id, audience) → the hub: one per process, since a process runs one loop (the tests run one
# per scene); a hub goes when its last viewer does.
_hubs: dict[tuple[int, int, Audience], BoardHub] = {}


def _hub_join(event_id: int, audience: Audience, position: Position) -> BoardHub:
    key = (id(asyncio.get_running_loop()), event_id, audience)
    hub = _hubs.get(key)
    if hub is None:
        hub = _hubs[key] = BoardHub(event_id, audience, position)
    hub.viewers += 1
    return hub


def _hub_leave(hub: BoardHub) -> None:
    hub.viewers -= 1
    if hub.viewers <= 0:
        for key, found in list(_hubs.items()):
            if found is hub:
                del _hubs[key]


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

    position: Position = Position("", 0)
    hub: BoardHub | None = None

    @property
    def epoch(self) -> str:
        return self.position.epoch

    @property
    def sent(self) -> int:
        return self.position.seq

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
        self.budget = MessageBudget(per_second=settings.STREAM_CLIENT_MESSAGES_PER_SECOND,
                                    close_after=settings.STREAM_CLIENT_ABUSE_SECONDS)
        await self.channel_layer.group_add(event_group(self.event_id), self.channel_name)
        await self.accept()
        epoch = (query.get("epoch") or [None])[0]
        seq = _position((query.get("seq") or [None])[0])
        if epoch is not None and seq is not None:
            await self._resume(epoch, seq)
        else:
            await self._send_snapshot()
        self.hub = _hub_join(self.event_id, self.audience, self.position)
        self.heartbeat = asyncio.ensure_future(self._beat())

    async def disconnect(self, code: int) -> None:
        heartbeat = getattr(self, "heartbeat", None)
        if heartbeat is not None:
            heartbeat.cancel()
        if self.hub is not None:
            _hub_leave(self.hub)
            self.hub = None
        if hasattr(self, "audience"):
            await self.channel_layer.group_discard(event_group(self.event_id), self.channel_name)

    # --- from the client ---

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any) -> None:
        if not hasattr(self, "audience"):
            return  # refused at connect, closing
        admission = self.budget.admit(time.monotonic())
        if admission is Admission.CLOSE:
            await self.close(code=CLOSE_THROTTLED)
            return
        if admission is Admission.DROP_AND_TELL:
            await self._error("message.throttled")
        if admission is not Admission.ADMIT:
            return
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
        await self._catch_up((str(message.get("epoch", "")), int(message.get("seq", 0))))

    async def competition_resync(self, message: dict[str, Any]) -> None:
        await self._catch_up(None)

    async def competition_delta(self, message: dict[str, Any]) -> None:
        """competitions.live's after-commit notes of other writes: the stream carries what boards show."""

    # --- frames ---

    async def _send_snapshot(self) -> None:
        async with self.lock:
            self.position, snapshot = await _snapshot(self.event_id, self.audience)
            await self.send_json(snapshot)

    async def _resume(self, epoch: str, seq: int) -> None:
        async with self.lock:
            resumed = await _resume(self.event_id, self.audience, epoch, seq)
            self.position = resumed.position
            await self.send_json(resumed.message())

    async def _catch_up(self, woken: tuple[str, int] | None) -> None:
        """The frames of the hub that start at this board's position, or, off the hub's chain, its own news."""
        async with self.lock:
            frames = None if self.hub is None else await self.hub.frames_for(self.position, woken)
            if frames is not None:
                for frame in frames:
                    await self.send(text_data=frame.text)
                    self.position = frame.end
                return
            news = await _news(self.event_id, self.audience, self.position)
            if news.frame is not None:
                await self.send_json(news.frame)
            self.position = news.end

    async def _send_heartbeat(self) -> None:
        await self.send_json({"type": "heartbeat", "epoch": self.position.epoch, "seq": self.position.seq})

    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(settings.STREAM_HEARTBEAT_SECONDS)
            await self._send_heartbeat()
