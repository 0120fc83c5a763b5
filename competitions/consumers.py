"""The live board's websocket: `/ws/competitions/events/<event_id>/board/` (DESIGN.md "Live scoring"; README
"Live stream" is the protocol).

On connect the caller's audience is decided by `competitions.access.access_event_board` (`?audience=jury` asks for
the jury board: refused with close code 4401 without a sign-in, 4403 without the right, each sent after the
handshake so that a browser can read it; no audience picks the
jury board for those who may see it, else the public one; an event the caller cannot see closes with 4404). The
consumer then joins its event's and audience's hub (below) and sends a `snapshot` with the stream's epoch and seq,
or, when the URL carries `?epoch=E&seq=S`, what a `resume` message would answer.

Messages from the client: `{"type": "resume", "epoch": E, "seq": S}` → the missed deltas in one `delta` frame
with `recovered: true`, or a `snapshot`; `{"type": "ping"}` → a heartbeat. Anything else (not JSON, not an
object, an unknown type, a seq that is not a whole number) → an `error` frame; the connection stays open. The
public board is read-only: nothing a client sends writes anything.

**Fan-out** (issue 11 "Performance"). A viewer has no channel of its own: in each process one `EventListener`
per event is the only member of the event's channel group, so a sequencer's wake-up is one channel-layer message
per process, not one per viewer (before: 1,000 messages through Redis per tick for 1,000 viewers, each then
dispatched to its consumer). The listener hands it to the event's hubs; each hub reads and encodes once (below)
and nudges its viewers. Each viewer has its own task (`_work`) that sends its frames one at a time, in order: first
the client's requests (its first frame, a resume), then at most one catch-up to the hub's position, however many
wake-ups came meanwhile (choice where DESIGN.md is silent: wake-ups are coalesced rather than queued, so a viewer
on a slow socket never holds a backlog of frames and is never closed for one; when it gets its turn it takes the
hub's frames from its position, or, when they no longer reach back that far, reads its own news, exactly once and
in order as ever). A slow socket therefore delays only its own viewer. A viewer's task that fails (a read that
raised) closes its socket with 1011, and the client resumes on reconnecting.

**Snapshots.** A snapshot at a given position (epoch, seq, freeze step) is the same text for every viewer of one
audience: a new viewer reads the board's position (`selectors.stream.board_position`, two small queries), and the
hub hands it the snapshot it built at that position or beyond, else one viewer builds it while the others wait for
it (N viewers connecting at one position: one build, one encoding). Choice: a shared snapshot is reused for at
most `SNAPSHOT_MAX_AGE_SECONDS` (2 s) even when the position has not moved, so what a board shows outside the
stream's deltas (a draw, a publication) reaches new viewers as quickly as before, near enough. A snapshot that a
wake-up brings (a decryption, a freeze step) is the hub's frame, encoded once as well. Anonymous public viewers
cost no session query: the websocket route's auth stack reads a session only when the request carries its cookie.

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
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.layers import get_channel_layer
from django.conf import settings

from competitions.access import access_event_board
from competitions.domain.freeze import Position
from competitions.domain.stream import Admission, Audience, MessageBudget
from competitions.live import RESYNC_MESSAGE_TYPE, WAKE_MESSAGE_TYPE, event_group
from competitions.selectors.stream import (
    News,
    Resumed,
    board_news,
    board_position,
    board_snapshot,
    stream_resume,
)
from core.errors import NotAuthenticated, NotFound, PermissionDenied

logger = logging.getLogger(__name__)

CLOSE_NOT_SIGNED_IN = 4401
CLOSE_NOT_ALLOWED = 4403
CLOSE_NOT_FOUND = 4404
CLOSE_THROTTLED = 4429  # persistent abuse of the message budget (module docstring)
CLOSE_SERVER_ERROR = 1011  # a viewer's frames could not be read (logged); the client reconnects and resumes
HUB_FRAMES = 16  # frames a hub keeps for viewers one or two wake-ups behind
# A shared snapshot is handed to a new viewer only while it is this young, even at an unchanged position: what a
# board shows beyond the stream's deltas (a draw, a publication) then reaches new viewers within this time.
SNAPSHOT_MAX_AGE_SECONDS = 2.0
LISTEN_RETRY_SECONDS = 1.0  # after a failed receive from the channel layer (Redis down), before trying again


def _audience_sync(user: Any, event_id: int, wanted: str | None) -> Audience | int:
    try:
        return access_event_board(user, event_id, wanted)[1]
    except NotAuthenticated:
        return CLOSE_NOT_SIGNED_IN
    except PermissionDenied:
        return CLOSE_NOT_ALLOWED
    except NotFound:
        return CLOSE_NOT_FOUND


# How many times this process read the board's news, built a snapshot, and received a message of an event's group
# from the channel layer: the fan-out's tests count them.
NEWS_READS = {"count": 0}
SNAPSHOT_BUILDS = {"count": 0}
LAYER_MESSAGES = {"count": 0}


def _snapshot_sync(event_id: int, audience: Audience) -> tuple[Position, str]:
    SNAPSHOT_BUILDS["count"] += 1
    snapshot = board_snapshot(event_id, audience)
    return snapshot.position, json.dumps(snapshot.message())


def _resume_sync(event_id: int, audience: Audience, epoch: str | None, seq: int | None) -> Resumed:
    return stream_resume(event_id, audience, epoch, seq)


def _news_sync(event_id: int, audience: Audience, start: Position) -> News:
    NEWS_READS["count"] += 1
    return board_news(event_id, audience, start)


# channels ships no type information, so its decorator is untyped; the awaitables it makes are named here.
_audience: Callable[[Any, int, str | None], Awaitable[Audience | int]] = database_sync_to_async(_audience_sync)
_snapshot: Callable[[int, Audience], Awaitable[tuple[Position, str]]] = database_sync_to_async(_snapshot_sync)
_position_now: Callable[[int, Audience], Awaitable[Position]] = database_sync_to_async(board_position)
_resume: Callable[[int, Audience, str | None, int | None], Awaitable[Resumed]] = database_sync_to_async(_resume_sync)
_news: Callable[[int, Audience, Position], Awaitable[News]] = database_sync_to_async(_news_sync)


@dataclass(frozen=True, slots=True)
class Frame:
    """One frame of a hub: from position `start` to `end`, encoded once, and its ASGI message, made once too and
    handed as it is to every viewer's server send (servers read a message, never change it)."""

    start: Position
    end: Position
    text: str
    message: dict[str, Any]

    @classmethod
    def of(cls, start: Position, end: Position, text: str) -> Frame:
        return cls(start, end, text, {"type": "websocket.send", "text": text})


@dataclass(frozen=True, slots=True)
class SharedSnapshot:
    """A snapshot encoded once for the viewers of a hub (module docstring, "Snapshots")."""

    position: Position
    text: str
    built: float  # time.monotonic()


def _covers(built: Position, wanted: Position) -> bool:
    """Does a snapshot at `built` serve a viewer for whom the board now stands at `wanted`? The same epoch and a
    position not behind it (a snapshot built after `wanted` was read is as good as a new one)."""
    return built.epoch == wanted.epoch and (built.seq, built.step) >= (wanted.seq, wanted.step)


class BoardHub:
    """The boards of one event and audience in this process (module docstring): one read and one encoding per
    wake-up, shared by every viewer at the hub's position, and one snapshot per position."""

    def __init__(self, event_id: int, audience: Audience, position: Position | None) -> None:
        self.event_id, self.audience = event_id, audience
        self.position = position  # where the hub's last frame ends; None until its first viewer has a position
        self.read_upto: tuple[str, int] | None = None  # the last wake-up (epoch, seq) read
        self.frames: deque[Frame] = deque(maxlen=HUB_FRAMES)
        self.members: dict[EventBoardConsumer, None] = {}  # the viewers, in joining order
        self.lock = asyncio.Lock()
        self.snapshot: SharedSnapshot | None = None
        self.snapshot_lock = asyncio.Lock()
        self.skipped = False  # a wake-up came before the hub had a position

    @property
    def viewers(self) -> int:
        return len(self.members)

    async def frames_for(self, position: Position, woken: tuple[str, int] | None) -> list[Frame] | None:
        """The frames that bring a viewer at `position` to the hub's position after reading the wake-up `woken`
        (None: read whatever it says, a resync); None when the viewer is not on the hub's chain of frames and
        must catch up on its own."""
        await self.read(woken)
        return self.chain(position)

    async def read(self, woken: tuple[str, int] | None) -> None:
        """Read what is new after the hub's position, once per wake-up (`woken` None, a resync: always)."""
        if woken is not None and self._read(woken):
            return
        async with self.lock:
            if self.position is None:
                self.skipped = True  # no position to read from yet: the first viewer's catch-up reads it
                return
            if woken is not None and self._read(woken):
                return  # read meanwhile by whoever held the lock
            news = await _news(self.event_id, self.audience, self.position)
            if news.frame is not None:
                self.frames.append(Frame.of(news.start, news.end, json.dumps(news.frame)))
            self.position = news.end
            if woken is not None:
                self.read_upto = woken

    def chain(self, position: Position) -> list[Frame] | None:
        """The hub's frames from `position` to the hub's position ([] when there already), or None off the chain."""
        if self.position is None:
            return None
        chain, at = [], position
        for frame in self.frames:
            if frame.start == at:
                chain.append(frame)
                at = frame.end
        return chain if at == self.position else None

    def _read(self, woken: tuple[str, int]) -> bool:
        """Has the hub read up to this wake-up already? (The same epoch and a seq not above the last read.)"""
        return self.read_upto is not None and woken[0] == self.read_upto[0] and woken[1] <= self.read_upto[1]

    async def wake(self, woken: tuple[str, int] | None) -> None:
        """A wake-up (or a resync) from the channel layer: one read, then every viewer is nudged; each sends the
        hub's frames from its own position in its own task, so a slow socket delays nobody else."""
        await self.read(woken)
        for viewer in list(self.members):
            viewer.nudge()

    def adopt(self, position: Position) -> None:
        """A new hub starts at its first viewer's position."""
        if self.position is None:
            self.position = position

    async def snapshot_text(self) -> tuple[Position, str]:
        """The snapshot for a new viewer, encoded once per position (module docstring, "Snapshots"): the board's
        position is read (two small queries); a shared snapshot at or beyond it, young enough, is handed out as
        it is; else one viewer builds it while the others at that position wait for it."""
        wanted = await _position_now(self.event_id, self.audience)
        shared = self._fresh(wanted)
        if shared is None:
            async with self.snapshot_lock:
                shared = self._fresh(wanted)
                if shared is None:
                    position, text = await _snapshot(self.event_id, self.audience)
                    shared = self.snapshot = SharedSnapshot(position, text, time.monotonic())
        self.adopt(shared.position)
        return shared.position, shared.text

    def _fresh(self, wanted: Position) -> SharedSnapshot | None:
        shared = self.snapshot
        if shared is None or not _covers(shared.position, wanted):
            return None
        if time.monotonic() - shared.built > SNAPSHOT_MAX_AGE_SECONDS:
            return None
        return shared


class EventListener:
    """The one member of an event's channel group in this process (module docstring, "Fan-out"): it receives each
    wake-up once and hands it to the event's hubs."""

    def __init__(self, event_id: int, layer: Any) -> None:
        self.event_id, self.layer = event_id, layer
        self.hubs: dict[Audience, BoardHub] = {}
        self.channel: str | None = None
        self.joined: asyncio.Task[None] = asyncio.ensure_future(self._join())
        self.task: asyncio.Task[None] | None = None

    async def _join(self) -> None:
        """Join the event's group; a layer that is down does not keep viewers out: they get their snapshot, and
        the listener joins once the layer answers (the sequencer's resync then brings the boards up)."""
        if self.layer is None:
            return
        self.channel = await self.layer.new_channel()
        failed = False
        try:
            await self.layer.group_add(event_group(self.event_id), self.channel)
        except Exception:  # noqa: BLE001 - Redis down: _listen retries
            logger.warning("board listener of event %s: group_add failed", self.event_id, exc_info=True)
            failed = True
        self.task = asyncio.ensure_future(self._listen(failed))

    async def _listen(self, failed: bool) -> None:
        assert self.channel is not None  # noqa: S101 - set by _join before this task starts
        while True:
            try:
                if failed:  # the layer may have lost the group (a Redis restart): join it again
                    await self.layer.group_add(event_group(self.event_id), self.channel)
                message = await self.layer.receive(self.channel)
                failed = False
            except asyncio.CancelledError:
                raise
            except Exception:  # Redis down: the sequencer's resync brings the boards up once it is back
                logger.warning("board listener of event %s: channel layer receive failed", self.event_id,
                               exc_info=True)
                failed = True
                await asyncio.sleep(LISTEN_RETRY_SECONDS)
                continue
            await self.dispatch(message)

    async def dispatch(self, message: dict[str, Any]) -> None:
        kind = message.get("type")
        if kind == WAKE_MESSAGE_TYPE:
            woken: tuple[str, int] | None = (str(message.get("epoch", "")), int(message.get("seq", 0)))
        elif kind == RESYNC_MESSAGE_TYPE:
            woken = None
        else:
            return  # competitions.live's other notes: the stream carries what boards show
        LAYER_MESSAGES["count"] += 1
        for hub in list(self.hubs.values()):
            try:
                await hub.wake(woken)
            except Exception:  # one hub's failed read must not stop the other's; its viewers catch up later
                logger.exception("board hub of event %s (%s): wake-up failed", self.event_id, hub.audience.value)

    async def close(self) -> None:
        self.joined.cancel()
        if self.task is not None:
            self.task.cancel()
        if self.channel is not None:
            try:
                await self.layer.group_discard(event_group(self.event_id), self.channel)
            except Exception:  # noqa: BLE001 - a layer that is down forgets the group with its expiry
                logger.debug("board listener of event %s: group_discard failed", self.event_id, exc_info=True)


# (event loop, event id, audience) → the hub, and (event loop, event id) → the listener: one per process, since a
# process runs one loop (the tests run one per scene); a hub goes when its last viewer does, a listener with its
# last hub. The listener holds its loop, so a loop's id is not reused while its entries live.
_hubs: dict[tuple[int, int, Audience], BoardHub] = {}
_listeners: dict[tuple[int, int], EventListener] = {}


async def _hub_join(viewer: EventBoardConsumer) -> BoardHub:
    """Make `viewer` a member of its event's and audience's hub, once this process is in the event's group."""
    loop = id(asyncio.get_running_loop())
    listener = _listeners.get((loop, viewer.event_id))
    if listener is None:
        listener = _listeners[(loop, viewer.event_id)] = EventListener(viewer.event_id, get_channel_layer())
    hub = _hubs.get((loop, viewer.event_id, viewer.audience))
    if hub is None:
        hub = _hubs[(loop, viewer.event_id, viewer.audience)] = BoardHub(viewer.event_id, viewer.audience, None)
        listener.hubs[viewer.audience] = hub
    hub.members[viewer] = None
    await asyncio.shield(listener.joined)  # wake-ups after this reach the viewer (its first frame is read after)
    return hub


async def _hub_leave(viewer: EventBoardConsumer, hub: BoardHub) -> None:
    hub.members.pop(viewer, None)
    if hub.members:
        return
    loop = id(asyncio.get_running_loop())
    if _hubs.get((loop, hub.event_id, hub.audience)) is hub:
        del _hubs[(loop, hub.event_id, hub.audience)]
    listener = _listeners.get((loop, hub.event_id))
    if listener is None:
        return
    if listener.hubs.get(hub.audience) is hub:
        del listener.hubs[hub.audience]
    if not listener.hubs:
        del _listeners[(loop, hub.event_id)]
        await listener.close()


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

    # No channel of its own: the process's EventListener is the event group's one member here and nudges the
    # viewer directly (module docstring, "Fan-out"). An alias that names no layer gives the consumer none.
    channel_layer_alias = "board-viewers-have-no-channel"

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
        self.budget = MessageBudget(per_second=settings.STREAM_CLIENT_MESSAGES_PER_SECOND,
                                    close_after=settings.STREAM_CLIENT_ABUSE_SECONDS)
        # The viewer's outbox: the client's requests (its first frame, resumes) in order, then at most one pending
        # catch-up to the hub's position, however many wake-ups came meanwhile (module docstring, "Fan-out").
        self.requests: deque[Callable[[], Awaitable[None]]] = deque()
        self.woken = False
        self.nudged = asyncio.Event()
        self.hub = await _hub_join(self)
        await self.accept()
        epoch = (query.get("epoch") or [None])[0]
        seq = _position((query.get("seq") or [None])[0])
        if epoch is not None and seq is not None:
            self._request(lambda: self._resume(epoch, seq))
        else:
            self._request(self._send_snapshot)
        self.worker = asyncio.ensure_future(self._work())
        self.heartbeat = asyncio.ensure_future(self._beat())

    async def disconnect(self, code: int) -> None:
        for name in ("heartbeat", "worker"):
            task = getattr(self, name, None)
            if task is not None:
                task.cancel()
        if self.hub is not None:
            hub, self.hub = self.hub, None
            await _hub_leave(self, hub)

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
            self._request(lambda: self._resume(epoch, seq))
        else:
            await self._error("message.unknown_type")

    async def _error(self, code: str) -> None:
        await self.send_json({"type": "error", "code": code})

    # --- from the hub ---

    def nudge(self) -> None:
        """The hub read a wake-up: catch up to its position when this viewer's turn comes (coalesced)."""
        self.woken = True
        self.nudged.set()

    def _request(self, request: Callable[[], Awaitable[None]]) -> None:
        self.requests.append(request)
        self.nudged.set()

    async def _work(self) -> None:
        """The viewer's own task: its frames, one at a time and in order, whoever asked for them."""
        try:
            while True:
                await self.nudged.wait()
                self.nudged.clear()
                while self.requests:
                    await self.requests.popleft()()
                if self.woken:
                    self.woken = False
                    await self._catch_up()
        except asyncio.CancelledError:
            raise
        except Exception:  # a failed read: the client reconnects with its (epoch, seq) and resumes
            logger.exception("board viewer of event %s: sending its frames failed", self.event_id)
            await self.close(code=CLOSE_SERVER_ERROR)

    # --- frames ---

    async def _send_snapshot(self) -> None:
        assert self.hub is not None  # noqa: S101 - set in connect before the first request
        position, text = await self.hub.snapshot_text()
        await self.send(text_data=text)
        self.position = position

    async def _resume(self, epoch: str, seq: int) -> None:
        resumed = await _resume(self.event_id, self.audience, epoch, seq)
        await self.send_json(resumed.message())
        self.position = resumed.position
        if self.hub is not None:
            self.hub.adopt(self.position)

    async def _catch_up(self) -> None:
        """The frames of the hub that start at this board's position, or, off the hub's chain, its own news."""
        hub = self.hub
        if hub is None:
            return
        if hub.skipped:  # a wake-up came while the hub's first viewer was reading its first frame
            hub.skipped = False
            await hub.read(None)
        frames = hub.chain(self.position)
        if frames is not None:
            for frame in frames:
                await self.base_send(frame.message)  # the one shared message (Frame)
                self.position = frame.end
            return
        read = hub.read_upto
        if read is not None and read[0] == self.position.epoch and read[1] <= self.position.seq:
            return  # already there (a resume or a snapshot got further than the hub has read)
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
