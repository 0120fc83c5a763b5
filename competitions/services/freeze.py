"""Freezing the event's public board (封榜), revealing it one workstation at a time and thawing it (揭榜)
(DESIGN.md "Live scoring": audiences are projections; the rules are competitions.domain.freeze, the reads
competitions.selectors.stream and selectors.freeze).

- `board_freeze` holds the public projection at a seq: under the stream's row lock (the sequencer waits) it
  numbers what is committed and pending, stores the public board as it is then, and appends the `board.frozen`
  delta with the next seq, which is the freeze's seq. Why number first: the stored board is read from the
  entries' figures, which already include every committed mark; numbering them before taking the seq makes the
  board exactly the stream up to that seq. A mark that commits between the numbering and the board's read
  would be in the board but numbered after the seq, so the numbering is asked again after the read, and the
  board read again while it finds anything (a few rounds at most; the marks of the last hour are not a flood).
- `board_reveal_next` reveals the next workstation of the reveal order (competitions.selectors.freeze
  .reveal_plan): its figures as they are now are stored with the step, and a `board.revealed` delta (skill,
  工位号, step; no figures, so that a replay after the thaw cannot end on figures older than a mark numbered
  after them) wakes the boards: each public board gets a fresh snapshot.
- `board_thaw` (全部揭晓) ends the freeze: the `board.thawed` delta is numbered at once, under the stream's lock,
  after what is pending, so the public stream's next frame carries everything held.
Each is audited on the event (who, when, old → new, why); the refusals are named (`board.already_frozen`,
`board.not_frozen`, `board.nothing_to_reveal`, `board.reason_required`, `board.thaw_in_past`,
`board.thaw_too_far`: within a year). The planned thaw time is shown, not acted on: the ceremony decides when the
board is revealed.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.actors import Actor
from accounts.models import User
from audit.services import audit_record
from competitions import access, live
from competitions.domain.freeze import BOARD_FROZEN, BOARD_REVEALED, BOARD_THAWED
from competitions.domain.stream import Audience
from competitions.models import BoardFreeze, Event, EventStream, StreamDelta
from competitions.selectors.freeze import reveal_plan
from competitions.selectors.stream import board_snapshot
from competitions.services.stream import delta_append, number_locked, stream_locked, wake_on_commit
from core import sql
from core.errors import Conflict, FieldError, ValidationFailed

# How often the freeze reads the board again when marks committed meanwhile (module docstring).
FREEZE_READ_ROUNDS = 5
PLANNED_THAW_LIMIT = timedelta(days=366)


def _in_force(event: Event) -> BoardFreeze | None:
    # Locked: a reveal and a thaw, or two reveals, of one freeze take turns.
    return BoardFreeze.objects.select_for_update().filter(event=event, thawed_at__isnull=True).first()


def _numbered_delta(stream: EventStream, kind: str, payload: dict[str, object]) -> int:
    """Append a delta with the stream's next seq at once (the caller holds the stream's lock and numbered what
    was pending), and wake the viewers after commit."""
    seq = stream.next_seq
    sql.insert(StreamDelta(event_id=stream.event_id, kind=kind, payload=payload, seq=seq, created_at=timezone.now()))
    stream.next_seq, stream.sequenced_at = seq + 1, timezone.now()
    stream.save(update_fields=["next_seq", "sequenced_at"])
    live.wake_viewers_on_commit(stream.event_id, stream.epoch, seq)
    return seq


def _planned(at: datetime, now: datetime) -> datetime:
    """The planned thaw time in UTC: after now, and within a year (a date the database and the pages can hold)."""
    try:
        at = at.astimezone(UTC)
    except (OverflowError, ValueError):
        raise ValidationFailed([FieldError("planned_thaw_at", "board.thaw_too_far")]) from None
    if at <= now:
        raise ValidationFailed([FieldError("planned_thaw_at", "board.thaw_in_past")])
    if at > now + PLANNED_THAW_LIMIT:
        raise ValidationFailed([FieldError("planned_thaw_at", "board.thaw_too_far")])
    return at


@transaction.atomic(durable=True)
def board_freeze(*, actor: Actor, event: Event, reason: str, planned_thaw_at: datetime | None = None) -> BoardFreeze:
    """Freeze the event's public board (封榜; module docstring), with a reason and optionally a planned thaw
    time. Audited as `competitions.board.frozen`."""
    access.require_board_freezer(actor, event)
    reason = reason.strip()
    if not reason:
        raise ValidationFailed([FieldError("reason", "board.reason_required")])
    now = timezone.now()
    if planned_thaw_at is not None:
        planned_thaw_at = _planned(planned_thaw_at, now)
    stream = stream_locked(event.pk)
    current = BoardFreeze.objects.filter(event=event, thawed_at__isnull=True).first()
    if current is not None:
        raise Conflict("board.already_frozen", {"since": timezone.localtime(current.since).strftime("%H:%M")})
    number_locked(stream)
    for _round in range(FREEZE_READ_ROUNDS):
        board = board_snapshot(event.pk, Audience.PUBLIC, live=True).message()["skills"]
        if number_locked(stream) == 0:
            break
    seq = _numbered_delta(stream, BOARD_FROZEN, {"kind": BOARD_FROZEN, "since": now.isoformat(),
                                                 "seq": stream.next_seq})
    freeze = BoardFreeze.objects.create(
        event=event, epoch=stream.epoch, seq=seq, since=now, frozen_by=actor if isinstance(actor, User) else None,
        reason=reason, planned_thaw_at=planned_thaw_at, board=board, revealed=[])
    audit_record(actor=actor, action="competitions.board.frozen", target=event, old={"frozen": False},
                 new={"frozen": True, "seq": seq, "planned_thaw_at": planned_thaw_at}, reason=reason)
    return freeze


@transaction.atomic(durable=True)
def board_reveal_next(*, actor: Actor, event: Event, reason: str = "") -> BoardFreeze:
    """Reveal the next workstation of the reveal order (揭晓下一名; module docstring). Audited as
    `competitions.board.revealed` with the step, the skill and the 工位号."""
    access.require_board_freezer(actor, event)
    freeze = _in_force(event)
    if freeze is None:
        raise Conflict("board.not_frozen")
    plan = reveal_plan(event.pk, list(freeze.revealed))
    if plan.next is None:
        raise Conflict("board.nothing_to_reveal")
    step = len(freeze.revealed) + 1
    freeze.revealed = [*freeze.revealed, plan.next.figures()]
    freeze.save(update_fields=["revealed"])
    delta_append(event_id=event.pk, kind=BOARD_REVEALED, payload={
        "kind": BOARD_REVEALED, "skill": plan.next.skill, "workstation_no": plan.next.workstation_no, "step": step,
        "remaining": plan.remaining - 1,
    })
    wake_on_commit()
    audit_record(actor=actor, action="competitions.board.revealed", target=event,
                 old={"revealed": step - 1},
                 new={"revealed": step, "skill": plan.next.skill, "workstation_no": plan.next.workstation_no},
                 reason=reason.strip())
    return freeze


@transaction.atomic(durable=True)
def board_thaw(*, actor: Actor, event: Event, reason: str = "") -> BoardFreeze:
    """Thaw the event's public board at once (全部揭晓; module docstring). Audited as
    `competitions.board.thawed`."""
    access.require_board_freezer(actor, event)
    stream = stream_locked(event.pk)  # the stream's lock before the freeze's, as board_freeze takes them
    freeze = _in_force(event)
    if freeze is None:
        raise Conflict("board.not_frozen")
    number_locked(stream)
    now = timezone.now()
    freeze.thawed_at, freeze.thawed_by = now, actor if isinstance(actor, User) else None
    freeze.thaw_reason = reason.strip()
    freeze.save(update_fields=["thawed_at", "thawed_by", "thaw_reason"])
    _numbered_delta(stream, BOARD_THAWED, {"kind": BOARD_THAWED, "since": freeze.since.isoformat(),
                                           "seq": freeze.seq, "thawed_at": now.isoformat()})
    audit_record(actor=actor, action="competitions.board.thawed", target=event,
                 old={"frozen": True, "seq": freeze.seq, "revealed": len(freeze.revealed)},
                 new={"frozen": False}, reason=freeze.thaw_reason)
    return freeze
