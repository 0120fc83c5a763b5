"""What a board viewer reads of the event's live stream (DESIGN.md "Live scoring"; competitions.services.stream):
the stream's position, the deltas after a position projected for the viewer's audience, and the board's snapshot.

A snapshot reads the stream's last seq *before* the board's figures: whatever it shows includes at least every
delta up to that seq, and a delta numbered after it that it already includes is sent again, which is harmless
because deltas carry absolute values. The snapshot's figures are the entries' cached totals, the same figures the
deltas carry (competitions.services.marking); names are absent until the skill is decrypted, and are then given
for the jury only (choice where DESIGN.md is silent: the public board of this first slice shows 工位号, and the
public results pages name people once results are published).

Before a skill is decrypted (competitions.selectors.results, "Before decryption"), its board carries no total (it
holds the theory score, which the organizer records by name) and keeps every entry that drew a 工位号 whatever its
status now (a withdrawal recorded by name must not take its workstation off the board); after decryption the
board shows the approved entries with their totals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max, Min

from competitions.domain.stream import Audience, Decision, Resume, StreamState, project, resume_decision
from competitions.models import Entry, EntryMember, EntryStatus, EventStream, Skill, StreamDelta

REPLAY_LIMIT = 2000  # a resume missing more than this gets a snapshot: cheaper than the deltas


def stream_state(event_id: int) -> StreamState:
    """Where the event's stream stands; before its first sequencing, an empty history under no epoch (a client
    holding any epoch then gets a snapshot)."""
    stream = EventStream.objects.filter(pk=event_id).values_list("epoch", "next_seq").first()
    if stream is None:
        return StreamState(epoch="", first_retained=1, last=0)
    epoch, next_seq = stream
    first = StreamDelta.objects.filter(event_id=event_id, seq__isnull=False).aggregate(first=Min("seq"))["first"]
    return StreamState(epoch=epoch, first_retained=first if first is not None else next_seq, last=next_seq - 1)


def deltas_after(event_id: int, after: int, audience: Audience, *, upto: int | None = None,
                 limit: int = REPLAY_LIMIT) -> list[dict[str, Any]]:
    """The numbered deltas `after + 1 …` (up to `upto`), in order, each its payload projected for `audience`
    with its `seq`."""
    rows = StreamDelta.objects.filter(event_id=event_id, seq__gt=after)
    if upto is not None:
        rows = rows.filter(seq__lte=upto)
    return [{"seq": seq, **project(payload, audience)}
            for seq, payload in rows.order_by("seq").values_list("seq", "payload")[:limit]]


def last_seq(event_id: int) -> int:
    found = StreamDelta.objects.filter(event_id=event_id).aggregate(last=Max("seq"))["last"]
    return found or 0


@dataclass(frozen=True, slots=True)
class BoardEntry:
    """One workstation on the board: its figures as the deltas carry them, keyed by 工位号 within the skill (never
    the entry's id, which follows the registrations)."""

    workstation_no: str
    module_scores: dict[str, str]
    practical: str
    total: str | None  # once the skill is decrypted; absent before (module docstring)
    names: list[str] | None = None  # the jury's, once the skill is decrypted; absent otherwise


@dataclass(frozen=True, slots=True)
class BoardSkill:
    skill: int
    name: str
    decrypted: bool
    entries: list[BoardEntry] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class BoardSnapshot:
    """The event's board for one audience, at the stream position `(epoch, seq)`."""

    event: int
    audience: str
    epoch: str
    seq: int
    skills: list[BoardSkill]

    def message(self) -> dict[str, Any]:
        """The `snapshot` frame (README "Live stream"); a field absent from an entry is absent from the frame."""
        skills = []
        for skill in self.skills:
            entries = []
            for e in skill.entries:
                row: dict[str, Any] = {"workstation_no": e.workstation_no,
                                       "module_scores": e.module_scores, "practical": e.practical}
                if e.total is not None:
                    row["total"] = e.total
                if e.names is not None:
                    row["names"] = e.names
                entries.append(row)
            skills.append({"skill": skill.skill, "name": skill.name, "decrypted": skill.decrypted,
                           "entries": entries})
        return {"type": "snapshot", "event": self.event, "audience": self.audience, "epoch": self.epoch,
                "seq": self.seq, "skills": skills}


def board_snapshot(event_id: int, audience: Audience) -> BoardSnapshot:
    """The board (module docstring: the position is read first). Entries on the board are the approved ones
    with a 工位号 (drawn); a skill before its draw shows none."""
    state = stream_state(event_id)
    skills = list(Skill.objects.filter(event_id=event_id).order_by("id").values_list("id", "name", "decrypted_at"))
    decrypted = {skill_id for skill_id, _name, at in skills if at is not None}
    entries = [
        row for row in Entry.objects.filter(skill__event_id=event_id).exclude(workstation_no="")
        .order_by("skill_id", "workstation_no")
        .values_list("id", "skill_id", "workstation_no", "module_scores", "practical", "total", "status")
        if row[6] == EntryStatus.APPROVED or row[1] not in decrypted
    ]
    names: dict[int, list[str]] = {}
    if audience is Audience.JURY and decrypted:
        for entry_id, name in (EntryMember.objects.filter(entry__skill_id__in=decrypted)
                               .order_by("entry_id", "id").values_list("entry_id", "person__real_name")):
            names.setdefault(entry_id, []).append(name)
    by_skill: dict[int, list[BoardEntry]] = {}
    for entry_id, skill_id, station, module_scores, practical, total, _status in entries:
        by_skill.setdefault(skill_id, []).append(BoardEntry(
            workstation_no=station, module_scores=dict(module_scores or {}),
            practical=str(practical), total=str(total) if skill_id in decrypted else None,
            names=names.get(entry_id, []) if skill_id in decrypted and audience is Audience.JURY else None))
    return BoardSnapshot(
        event=event_id, audience=audience.value, epoch=state.epoch, seq=state.last,
        skills=[BoardSkill(skill=sid, name=name, decrypted=at is not None, entries=by_skill.get(sid, []))
                for sid, name, at in skills],
    )


@dataclass(frozen=True, slots=True)
class Resumed:
    """A resume's answer: the replayed deltas (`recovered`), or the snapshot."""

    decision: Decision
    epoch: str
    deltas: list[dict[str, Any]] = field(default_factory=list)
    snapshot: BoardSnapshot | None = None

    def message(self) -> dict[str, Any]:
        if self.snapshot is not None:
            return self.snapshot.message()
        last = self.deltas[-1]["seq"] if self.deltas else self.decision.after
        return {"type": "delta", "epoch": self.epoch, "recovered": True, "seq": last, "deltas": self.deltas}


def stream_resume(event_id: int, audience: Audience, epoch: str | None, seq: int | None) -> Resumed:
    """What a client at `(epoch, seq)` gets: exactly the deltas it missed, or a snapshot
    (competitions.domain.stream.resume_decision); a replay longer than `REPLAY_LIMIT` is a snapshot too."""
    state = stream_state(event_id)
    decision = resume_decision(epoch, seq, state)
    if decision.kind is Resume.REPLAY and decision.upto - decision.after <= REPLAY_LIMIT:
        return Resumed(decision, state.epoch,
                       deltas_after(event_id, decision.after, audience, upto=decision.upto))
    return Resumed(decision, state.epoch, snapshot=board_snapshot(event_id, audience))


@dataclass(frozen=True, slots=True)
class FeedView:
    """The feed's answer (`GET …/events/{id}/feed?since=E:S`): the websocket's frames, in order: the deltas after
    S in one `delta` frame with `recovered: true`, or one `snapshot` frame."""

    frames: list[dict[str, Any]]


def event_feed(event_id: int, audience: Audience, epoch: str | None, seq: int | None) -> FeedView:
    return FeedView(frames=[stream_resume(event_id, audience, epoch, seq).message()])
