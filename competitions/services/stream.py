"""The event's live stream: deltas appended by writers, numbered by the sequencer (DESIGN.md "Live scoring",
"Data flow of one mark"; issue 11 item 3).

Writers (`services.marking`: a mark, a sign-off, an approved correction; `services.draws`: decryption) call
`delta_append` inside their own transaction: one INSERT through core.sql, no lock on anything shared, so marks of
one event never queue on each other for the stream. A rolled-back write takes its delta with it. After commit they
call `wake_on_commit`, which wakes this process's sequencer (a thread event: no query, no network on the mark's
path; competitions.stream_runner).

`stream_sequence(event_id=…)` gives the event's committed, unnumbered deltas the next sequence numbers in id order,
gap-free, under the stream row's lock (`select_for_update`: two sequencers, in two processes, take turns; the
second finds nothing left), and after commit wakes the event's channel group with the new last seq
(competitions.live.wake_viewers_on_commit). Why id order is safe: for one entry, the entry's row lock orders its
writes, so its later delta has the later id and the later commit; a delta that commits late (a lower id than
one already numbered) has no seq yet and is numbered in the next batch, never skipped (the look is "seq is null",
not "id above the last one"). Across entries order does not matter: payloads are absolute.

Choices where DESIGN.md is silent:
- The stream row is made by the first sequencing of the event, with a random epoch; `stream_rebuild` starts a new
  epoch (the history is emptied and numbering restarts at 1), which sends every client to a snapshot.
- The sequencer runs in the daphne processes (they hold the viewers), not in the task worker: each daphne process
  ticks every `STREAM_SEQUENCE_INTERVAL` (0.1 s) and is woken on demand by its own marks' commits. A delta written
  by another process (a task worker) is numbered at the next tick.
- Pruning (issue 11 item 4): the sequencer keeps the last `STREAM_KEEP_DELTAS` numbered deltas of each event
  (10,000 by default, well above the 2,000 a replay may send; 0 keeps everything) and deletes older ones, in the
  same transaction, each time the stream's last seq crosses a multiple of a tenth of that number (so one DELETE
  per thousand deltas, not one per batch). A resume from before the kept history gets a snapshot with the reason
  `history_gone` (competitions.domain.stream). By count, not by age: a count bounds the table and the replay
  whatever the marking pace, and a board that has been away for hours takes a snapshot anyway. A freeze needs no
  old delta (the public board at the freeze is stored with it, competitions.services.freeze).
- A frozen board (competitions.services.freeze) is not rebuilt: the freeze's seq names a position of this
  history, so a rebuild is refused until the thaw.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from accounts.actors import Actor
from audit.services import audit_record
from competitions import live
from competitions.models import BoardFreeze, Event, EventStream, StreamDelta
from core import sql
from core.errors import Conflict

SEQUENCE_BATCH = 5000


def delta_append(*, event_id: int, kind: str, payload: dict[str, Any], entry_id: int | None = None) -> None:
    """Append one delta to the event's stream inside the caller's transaction (one INSERT; module docstring). The
    payload is audience-neutral and absolute (competitions.domain.stream says who sees what); its writer is the
    service whose transaction this is, and that service's audit entry records the change."""
    sql.insert(StreamDelta(event_id=event_id, entry_id=entry_id, kind=kind, payload=payload, seq=None,
                           created_at=timezone.now()))


# Set to run this process's sequencer now instead of at its next tick (competitions.stream_runner waits on it).
SEQUENCER_WOKEN = threading.Event()


def wake_on_commit() -> None:
    """Wake this process's sequencer once the current transaction commits (nothing happens on a rollback; where
    no sequencer runs, nothing at all)."""
    transaction.on_commit(SEQUENCER_WOKEN.set)


def new_epoch() -> str:
    return secrets.token_hex(8)


def stream_locked(event_id: int) -> EventStream:
    stream = EventStream.objects.select_for_update().filter(pk=event_id).first()
    if stream is None:
        # Two first sequencings race on the insert; the loser's savepoint rolls back and it locks the winner's row.
        EventStream.objects.get_or_create(event_id=event_id, defaults={"epoch": new_epoch()})
        stream = EventStream.objects.select_for_update().get(pk=event_id)
    return stream


@dataclass(frozen=True, slots=True)
class SequenceReport:
    event_id: int
    epoch: str
    numbered: int
    last_seq: int


@transaction.atomic(durable=True)
def stream_sequence(*, event_id: int, limit: int = SEQUENCE_BATCH) -> SequenceReport:
    """Number the event's committed deltas that have no seq yet (module docstring), and wake its viewers after
    commit when any was numbered."""
    stream = stream_locked(event_id)
    before = stream.next_seq
    numbered = number_locked(stream, limit=limit)
    if numbered:
        stream_prune_locked(stream, keep=settings.STREAM_KEEP_DELTAS, last_before=before - 1)
    return SequenceReport(event_id, stream.epoch, numbered, stream.next_seq - 1)


def number_locked(stream: EventStream, *, limit: int = SEQUENCE_BATCH) -> int:
    """Number the stream's committed, unnumbered deltas, the caller holding the stream's row lock
    (`stream_sequence`; a freeze numbers what is pending before it takes its own seq, competitions.services
    .freeze); wakes the viewers after commit when any was numbered. Returns how many were numbered."""
    event_id = stream.event_id
    # read after the lock: what an earlier sequencer numbered is visible, and skipped
    ids = list(StreamDelta.objects.filter(event_id=event_id, seq__isnull=True).order_by("id")
               .values_list("id", flat=True)[:limit])
    if ids:
        first = stream.next_seq
        _number(ids, first)
        stream.next_seq = first + len(ids)
        stream.sequenced_at = timezone.now()
        stream.save(update_fields=["next_seq", "sequenced_at"])
        live.wake_viewers_on_commit(event_id, stream.epoch, stream.next_seq - 1)
    return len(ids)


# Rows numbered per UPDATE: two parameters a row stays under SQLite's oldest limit of 999 bound parameters.
NUMBER_CHUNK = 400


def _number(ids: list[int], first: int) -> None:
    """Give `ids` (in order) the seqs `first`, `first + 1`, … in one UPDATE per `NUMBER_CHUNK` rows, joined to a
    VALUES list (both engines name its columns column1, column2; SQLite has UPDATE … FROM since 3.33): a run of
    the sequencer costs a few statements, not one per delta, which under a venue's load was a fifth of a daphne
    process's CPU."""
    table = sql.table(StreamDelta)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), NUMBER_CHUNK):
            chunk = ids[start:start + NUMBER_CHUNK]
            rows = ", ".join(["(%s, %s)"] * len(chunk))
            params: list[int] = []
            for offset, delta_id in enumerate(chunk, start=start):
                params += [delta_id, first + offset]
            cursor.execute(
                f"UPDATE {table} SET seq = v.column2 FROM (VALUES {rows}) AS v "  # noqa: S608 - our table name
                f"WHERE {table}.id = v.column1 AND {table}.seq IS NULL", params)


def stream_prune_locked(stream: EventStream, *, keep: int, last_before: int | None = None) -> int:
    """Delete the stream's numbered deltas older than the last `keep` (module docstring, "Pruning"), the caller
    holding the stream's lock; only when the last seq crossed a multiple of `keep // 10` since `last_before`
    (None: now, whatever it crossed). Returns how many were deleted."""
    last = stream.next_seq - 1
    if keep <= 0 or last <= keep:
        return 0
    every = max(1, keep // 10)
    if last_before is not None and last_before // every == last // every:
        return 0
    deleted, _ = StreamDelta.objects.filter(event_id=stream.event_id, seq__lte=last - keep).delete()
    return deleted


def events_with_unsequenced() -> list[int]:
    """The events whose streams have deltas waiting for a number (the partial index holds only those rows)."""
    return sorted(set(StreamDelta.objects.filter(seq__isnull=True).values_list("event_id", flat=True)))


def stream_sequence_all() -> list[SequenceReport]:
    """One sequencer run: every event with waiting deltas, each in its own transaction."""
    reports = []
    for event_id in events_with_unsequenced():
        report = stream_sequence(event_id=event_id)
        while report.numbered == SEQUENCE_BATCH:
            report = stream_sequence(event_id=event_id)
        reports.append(report)
    return reports


@transaction.atomic(durable=True)
def stream_rebuild(*, actor: Actor, event: Event) -> EventStream:
    """Start the event's stream over under a new epoch (module docstring): its history is emptied, so every
    viewer resuming with the old epoch gets a fresh snapshot. Audited."""
    stream = stream_locked(event.pk)
    if BoardFreeze.objects.filter(event=event, thawed_at__isnull=True).exists():
        # The freeze's seq names a position of this history: thaw first (competitions.services.freeze).
        raise Conflict("board.frozen_rebuild")
    old = {"epoch": stream.epoch, "last_seq": stream.next_seq - 1}
    StreamDelta.objects.filter(event_id=event.pk).delete()
    stream.epoch, stream.next_seq, stream.sequenced_at = new_epoch(), 1, timezone.now()
    stream.save(update_fields=["epoch", "next_seq", "sequenced_at"])
    audit_record(actor=actor, action="competitions.stream.rebuilt", target=event, old=old,
                 new={"epoch": stream.epoch, "last_seq": 0})
    live.wake_viewers_on_commit(event.pk, stream.epoch, 0)
    return stream
