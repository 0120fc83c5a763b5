"""After-commit publication of small deltas to an event's channel group (DESIGN.md "Data flow of one mark").

Services call `publish_on_commit` inside their transaction; the message leaves only when the transaction commits,
so a viewer never sees a mark that was rolled back. The scoreboard consumers that forward these to browsers come
with live scoring; the group name and the message shapes are fixed here.

A side effect never fails a committed write (issue 8 item 3). The send runs after COMMIT: whatever the channel
layer does then, the mark is saved and the referee is answered 201. A send that fails (Redis stopped or unreachable,
a full channel) or takes longer than `SEND_TIMEOUT_SECONDS` is logged, and the event is remembered, in this process,
as needing a resync. `/healthz` keeps reporting the layer down meanwhile (core/health.py), which is how operators
learn of it.

**Before decryption** (issue 9 item 1; competitions.selectors.results, "Before decryption"): a delta names a 工位号
but never carries what was recorded by name. A mark's delta carries the entry's practical part, and its total
(theory × w included) only once the skill is decrypted; a withdrawal's delta names the workstation only then. The
public projection, computed from these, therefore carries no theory score and no completion time before decryption
either (completion times are not sent at all: they reach boards through the selectors' snapshot).

How the boards catch up, the decision for now (the smallest mechanism that is honest about what it promises):
- Nothing is replayed from memory. The database holds every committed mark; what an outage loses is only the
  wake-ups. So the catch-up is one `competition.resync` message per affected event, on which a board refetches the
  event's board from the database (the selectors), and then shows exactly what is committed.
- It is sent by this process as soon as the layer answers again: first by its next publication (for any event),
  before that publication's own delta; and, so that an event with no further writes also catches up, by a retry
  thread that runs only while something is pending, trying every `RETRY_FIRST_SECONDS` at first and backing off
  to `RETRY_MAX_SECONDS`.
- Why in memory and not a table: a table would cost a query on every publication to find out that nothing is
  pending, on the hot path of a mark, and a migration for a mechanism the sequenced delta stream replaces. What it
  does not cover: a process that exits while the layer is down forgets its pending resyncs. The boards of that
  outage had their websockets on the same layer and reload the board when they reconnect.
- Replaced by live scoring's stream (DESIGN.md "Live scoring"): deltas numbered in the database, and a viewer that
  resumes from its (epoch, seq), so a Redis restart loses nothing even across process restarts.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

MESSAGE_TYPE = "competition.delta"
# The sequencer's wake-up of an event's viewers: the stream's epoch and its new last seq, nothing else; each
# consumer reads the deltas from the database (competitions.consumers).
WAKE_MESSAGE_TYPE = "stream.wake"
RESYNC_MESSAGE_TYPE = "competition.resync"
# A send is given this long; a layer that does not answer in time counts as down (the mark is already committed,
# but its response waits for this callback, so an unreachable Redis must not hold it up for a TCP timeout).
SEND_TIMEOUT_SECONDS = 2.0
RETRY_FIRST_SECONDS = 1.0
RETRY_MAX_SECONDS = 30.0

# event id → how many publications to it failed since its last resync; guarded by _lock.
_pending: dict[int, int] = {}
_lock = threading.Lock()
_retrier: threading.Thread | None = None


def event_group(event_id: int) -> str:
    return f"event.{event_id}"


def publish_on_commit(event_id: int, payload: dict[str, Any], *, message_type: str = MESSAGE_TYPE) -> None:
    """Send `payload` to the event's group once the current transaction commits; ids and plain values only.

    A failure to send is logged and leaves the event needing a resync (the module's docstring); it never raises,
    since the write it reports is already committed."""
    message = {"type": message_type, **payload}

    def send() -> None:
        # An unlocked peek: in the common case, nothing pending, it costs nothing. When the resync fails the layer
        # is still down, and this delta is left to the event's resync rather than made to wait for a second failure.
        if _pending and not resync_pending():
            _remember(event_id, None)
            return
        try:
            _send(event_id, message)
        except Exception as exc:  # noqa: BLE001 - any failure of the layer; the write is committed regardless
            _remember(event_id, exc)

    transaction.on_commit(send)


def wake_viewers_on_commit(event_id: int, epoch: str, seq: int) -> None:
    """After the sequencer's commit: tell the event's viewers, in every process, that the stream reached `seq`
    (competitions.services.stream). A wake-up lost to an outage is covered by the resync above, on which the
    consumers read the database as on any wake-up."""
    publish_on_commit(event_id, {"event": event_id, "epoch": epoch, "seq": seq}, message_type=WAKE_MESSAGE_TYPE)


def pending_resyncs() -> dict[int, int]:
    """The events of this process whose publications failed since their last resync, with how many failed."""
    with _lock:
        return dict(_pending)


def resync_pending() -> bool:
    """Send each pending event a resync message; True when none is left pending. Stops at the first failure (the
    layer is still down; the retry thread tries again)."""
    with _lock:
        pending = dict(_pending)
    for event_id, failures in sorted(pending.items()):
        try:
            _send(event_id, {"type": RESYNC_MESSAGE_TYPE, "event": event_id, "missed": failures})
        except Exception:  # noqa: BLE001 - still down
            logger.debug("channel layer still down; event %s stays pending", event_id, exc_info=True)
            return False
        with _lock:
            # A publication that failed meanwhile raised the count: it stays pending, since it may have failed
            # after the board's refetch; an unchanged count is settled by this resync.
            if _pending.get(event_id) == failures:
                del _pending[event_id]
        logger.info("channel layer back: event %s resynced after %d lost publications", event_id, failures)
    return not pending_resyncs()


async def _group_send(layer: Any, group: str, message: dict[str, Any]) -> None:
    await asyncio.wait_for(layer.group_send(group, message), SEND_TIMEOUT_SECONDS)


def _send(event_id: int, message: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(_group_send)(layer, event_group(event_id), message)


def _remember(event_id: int, exc: Exception | None) -> None:
    global _retrier
    with _lock:
        first = event_id not in _pending
        _pending[event_id] = _pending.get(event_id, 0) + 1
        start = _retrier is None or not _retrier.is_alive()
        if start:
            _retrier = threading.Thread(target=_retry_until_resynced, name="live-resync", daemon=True)
            _retrier.start()
    if first:
        reason = f"{type(exc).__name__}: {exc}" if exc is not None else "still down"
        logger.warning("channel layer down (%s); the write is committed and event %s will be resynced",
                       reason, event_id)


def _retry_until_resynced() -> None:
    global _retrier
    delay = RETRY_FIRST_SECONDS
    while True:
        time.sleep(delay)
        if resync_pending():
            with _lock:
                # Exit only with nothing pending; a failure that slipped in meanwhile is retried by this thread.
                if not _pending:
                    _retrier = None
                    return
        delay = min(delay * 2, RETRY_MAX_SECONDS)
