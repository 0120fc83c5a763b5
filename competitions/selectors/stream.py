"""What a board viewer reads of the event's live stream (DESIGN.md "Live scoring"; competitions.services.stream):
the stream's position, the deltas after a position projected for the viewer's audience, and the board's snapshot.

A snapshot reads the stream's last seq *before* the board's figures: whatever it shows includes at least every
delta up to that seq, and a delta numbered after it that it already includes is sent again, which is harmless
because deltas carry absolute values. The snapshot's figures are the entries' cached totals, the same figures the
deltas carry (competitions.services.marking); names are absent until the skill is decrypted, and are then given
to every audience, as the deltas give them (competitions.domain.stream `PUBLIC_FIELDS`): once decrypted, the venue's
board names the contestants beside their 工位号, as real boards do after 解密, and the results page names them from
the review period (公示) on.

Before a skill is decrypted (competitions.selectors.results, "Before decryption"), its board carries no total (it
holds the theory score, which the organizer records by name) and keeps every entry that drew a 工位号 whatever its
status now (a withdrawal recorded by name must not take its workstation off the board); after decryption the
board shows the approved entries with their totals.

What a board page needs beyond the figures (issue 11 item 2): each skill's modules with their aspect codes (the
progress "模块A 3/5" is how many of a module's aspects have a complete mark), each entry's `complete` aspect codes
and, derived from them, `marked` (module id → count), and its provisional `place` (competitions.domain.board: on
the practical before decryption, the total after). A `mark` delta needs nothing new for the progress: it already
carries its aspect's code and whether the aspect's mark is `complete`, an absolute fact about that aspect, so a
board applies it by adding the code to (or taking it from) the entry's `complete` and counting again; the mark
path's query budget is untouched. The jury's entries also carry the aspects now `divergent` (待复核) and the
modules whose sheets are `signed_off`. What the public snapshot may hold is an allow-list of
competitions.domain.stream (`PUBLIC_SNAPSHOT_FIELDS`), as for the deltas.

Cost: one read of the marks of the event's skills (entry, aspect, value), scored per aspect in Python, besides the
skills, aspects, entries (and for the jury sheets and names): a fixed number of queries whatever the size.

**Freezing** (封榜, competitions.domain.freeze): while a freeze is in force the public reads the stream only up to
the freeze's seq, and its snapshot is the board stored at the freeze (`BoardFreeze.board`: the public snapshot's
`skills` at that seq, written by competitions.services.freeze) with the workstations revealed since overlaid, at
the seq of the freeze: a public snapshot, resume or feed tells nothing that happened after it. Choice: the board is
stored rather than rebuilt from the deltas up to the freeze, because a rebuild needs the history from seq 1 (which
pruning will not keep) and the figures before an entry's first delta, which no delta carries. The jury's snapshot
says the freeze's position and how many deltas the public has not seen (`frozen.pending`). A public resume that
would replay a freeze, a reveal or a thaw delta, or one during a freeze with reveals, gets a snapshot (its
`frozen` field is what a board shows); the jury's replays carry those deltas as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Max, Min

from competitions.adapters import domain_aspect
from competitions.domain import scoring
from competitions.domain.board import board_score, provisional_places
from competitions.domain.freeze import FREEZE_KINDS, Position, pending, public_last
from competitions.domain.stream import (
    Audience,
    Decision,
    Resume,
    StreamState,
    project,
    project_snapshot,
    resume_decision,
)
from competitions.models import (
    Aspect,
    BoardFreeze,
    Entry,
    EntryMember,
    EntryStatus,
    EventStream,
    Mark,
    Sheet,
    SheetStatus,
    Skill,
    Status,
    StreamDelta,
)

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
class BoardModule:
    """One module of a skill's scheme as a board shows its progress: its id (the key of `module_scores`), code,
    name, and its aspects' codes in marking order."""

    id: int
    code: str
    name: str
    aspects: list[str]


@dataclass(frozen=True, slots=True)
class BoardEntry:
    """One workstation on the board: its figures as the deltas carry them, keyed by 工位号 within the skill (never
    the entry's id, which follows the registrations)."""

    workstation_no: str
    module_scores: dict[str, str]
    practical: str
    total: str | None  # once the skill is decrypted; absent before (module docstring)
    names: list[str] | None = None  # once the skill is decrypted; absent before
    complete: list[str] = field(default_factory=list)  # aspect codes with a complete mark
    marked: dict[str, int] = field(default_factory=dict)  # module id → how many of its aspects are complete
    place: int | None = None  # provisional (competitions.domain.board); none while nothing is marked
    divergent: list[str] | None = None  # the jury's: aspect codes flagged 待复核
    signed_off: list[str] | None = None  # the jury's: module ids whose sheet is signed off


@dataclass(frozen=True, slots=True)
class BoardSkill:
    skill: int
    name: str
    decrypted: bool
    entries: list[BoardEntry] = field(default_factory=list)
    modules: list[BoardModule] = field(default_factory=list)
    provisional: bool = True  # until the skill's results are published


@dataclass(frozen=True, slots=True)
class FrozenView:
    """A snapshot's `frozen` (README "Live stream"): since when and at which seq the public board holds; for the
    jury also how many deltas the public has not seen yet."""

    since: datetime
    seq: int
    pending: int | None = None

    def message(self) -> dict[str, Any]:
        shown: dict[str, Any] = {"since": self.since.isoformat(), "seq": self.seq}
        if self.pending is not None:
            shown["pending"] = self.pending
        return shown


@dataclass(frozen=True, slots=True)
class FreezeInForce:
    """The event's freeze in force, as the stream's readers need it."""

    id: int
    epoch: str
    seq: int
    since: datetime
    board: list[dict[str, Any]]
    revealed: list[dict[str, Any]]


def freeze_in_force(event_id: int) -> FreezeInForce | None:
    """The event's freeze not yet thawed, if any (one query)."""
    row = (BoardFreeze.objects.filter(event_id=event_id, thawed_at__isnull=True)
           .values_list("id", "epoch", "seq", "since", "board", "revealed").first())
    if row is None:
        return None
    pk, epoch, seq, since, board, revealed = row
    return FreezeInForce(pk, epoch, seq, since, list(board or []), list(revealed or []))


def _entry_of(row: dict[str, Any], figures: dict[str, Any] | None) -> BoardEntry:
    """A stored public entry (the board at the freeze), with a reveal step's `figures` over it when it was
    revealed; its place is given again by the caller, among the figures the frozen board shows."""
    shown = {**row, **(figures or {})}
    return BoardEntry(workstation_no=row["workstation_no"], module_scores=dict(shown.get("module_scores") or {}),
                      practical=str(shown.get("practical", "0")), total=shown.get("total"),
                      complete=list(shown.get("complete") or []), marked=dict(shown.get("marked") or {}))


def _frozen_board(event_id: int, freeze: FreezeInForce) -> BoardSnapshot:
    """The public board during a freeze: the board stored at the freeze (the public snapshot's `skills` then),
    each workstation revealed since showing the figures of its step, places given again among what is shown
    (module docstring)."""
    revealed = {(r["skill"], r["workstation_no"]): r for r in freeze.revealed}
    skills = []
    for skill in freeze.board:
        decrypted = bool(skill.get("decrypted"))
        shown = [_entry_of(row, revealed.get((skill["skill"], row["workstation_no"])))
                 for row in skill.get("entries", [])]
        places = provisional_places([_shown_score(e, decrypted) for e in shown])
        skills.append(BoardSkill(
            skill=skill["skill"], name=skill["name"], decrypted=decrypted,
            entries=[replace(e, place=place) for e, place in zip(shown, places, strict=True)],
            modules=[BoardModule(m["id"], m["code"], m["name"], list(m["aspects"])) for m in skill.get("modules", [])],
            provisional=bool(skill.get("provisional", True))))
    return BoardSnapshot(event=event_id, audience=Audience.PUBLIC.value, epoch=freeze.epoch, seq=freeze.seq,
                         skills=skills, frozen=FrozenView(freeze.since, freeze.seq), step=len(freeze.revealed))


def _shown_score(entry: BoardEntry, decrypted: bool) -> Decimal | None:
    """The score an entry is placed by (competitions.domain.board): none while none of its aspects is marked."""
    if not entry.complete:
        return None
    return board_score(Decimal(entry.practical), None if entry.total is None else Decimal(entry.total),
                       decrypted=decrypted)


@dataclass(frozen=True, slots=True)
class BoardSnapshot:
    """The event's board for one audience, at the stream position `(epoch, seq)`."""

    event: int
    audience: str
    epoch: str
    seq: int
    skills: list[BoardSkill]
    frozen: FrozenView | None = None
    step: int = 0  # the reveals of the freeze in force it shows (public; competitions.domain.freeze.Position)

    @property
    def position(self) -> Position:
        return Position(self.epoch, self.seq, self.step)

    def message(self) -> dict[str, Any]:
        """The `snapshot` frame (README "Live stream"); a field absent from an entry is absent from the frame, and
        the public's entries and skills keep only the fields of `PUBLIC_SNAPSHOT_FIELDS`."""
        audience = Audience(self.audience)
        skills = []
        for skill in self.skills:
            entries = []
            for e in skill.entries:
                row: dict[str, Any] = {"workstation_no": e.workstation_no, "module_scores": e.module_scores,
                                       "practical": e.practical, "complete": e.complete, "marked": e.marked,
                                       "place": e.place}
                for name in ("total", "names", "divergent", "signed_off"):
                    if getattr(e, name) is not None:
                        row[name] = getattr(e, name)
                entries.append(project_snapshot(row, audience, "entry"))
            skills.append(project_snapshot({
                "skill": skill.skill, "name": skill.name, "decrypted": skill.decrypted,
                "provisional": skill.provisional,
                "modules": [{"id": m.id, "code": m.code, "name": m.name, "aspects": m.aspects}
                            for m in skill.modules],
                "entries": entries}, audience, "skill"))
        return {"type": "snapshot", "event": self.event, "audience": self.audience, "epoch": self.epoch,
                "seq": self.seq, "frozen": None if self.frozen is None else self.frozen.message(), "skills": skills}


_FINAL = (Status.PUBLISHED, Status.ARCHIVED)


def _progress(event_id: int, jury: bool) -> tuple[dict[int, list[BoardModule]], dict[int, list[str]],
                                                   dict[int, list[str]], dict[int, list[str]]]:
    """The skills' modules (skill id → modules), and per entry id its complete aspect codes, (for the jury) its
    divergent aspect codes and its signed-off module ids (module docstring)."""
    aspects = list(Aspect.objects.filter(scheme__skill__event_id=event_id).select_related("module", "scheme")
                   .order_by("module__position", "module_id", "position", "id"))
    modules: dict[int, list[BoardModule]] = {}
    by_module: dict[int, BoardModule] = {}
    rules: dict[int, scoring.Aspect] = {}
    for aspect in aspects:
        module = by_module.get(aspect.module_id)
        if module is None:
            module = by_module[aspect.module_id] = BoardModule(aspect.module_id, aspect.module.code,
                                                               aspect.module.name, [])
            modules.setdefault(aspect.scheme.skill_id, []).append(module)
        module.aspects.append(aspect.code)
        rules[aspect.pk] = domain_aspect(aspect, aspect.module.code)
    values: dict[tuple[int, int], list[Decimal]] = {}
    for entry_id, aspect_id, value in (Mark.objects.filter(entry__skill__event_id=event_id)
                                       .values_list("entry_id", "aspect_id", "value")):
        values.setdefault((entry_id, aspect_id), []).append(value)
    complete: dict[int, list[str]] = {}
    divergent: dict[int, list[str]] = {}
    for (entry_id, aspect_id), scores in sorted(values.items()):
        rule = rules.get(aspect_id)
        if rule is None:
            continue
        if len(scores) >= rule.referee_count:
            complete.setdefault(entry_id, []).append(rule.code)
        if jury and scoring.score_aspect(rule, scores[:rule.referee_count]).divergent:
            divergent.setdefault(entry_id, []).append(rule.code)
    signed: dict[int, list[str]] = {}
    if jury:
        for entry_id, module_id in (Sheet.objects.filter(entry__skill__event_id=event_id,
                                                         status=SheetStatus.SIGNED_OFF)
                                    .order_by("entry_id", "module_id").values_list("entry_id", "module_id")):
            signed.setdefault(entry_id, []).append(str(module_id))
    return modules, complete, divergent, signed


def board_position(event_id: int, audience: Audience) -> Position:
    """Where `board_snapshot(event_id, audience)` would stand if built now, read without building it (two small
    queries): the key under which a process shares one encoded snapshot among its viewers (competitions.consumers,
    "Snapshots"). The same rules as `board_snapshot`: the stream's last seq, or for the public during a freeze of
    this epoch the freeze's seq and its reveal step."""
    stream = EventStream.objects.filter(pk=event_id).values_list("epoch", "next_seq").first()
    epoch, last = ("", 0) if stream is None else (stream[0], stream[1] - 1)
    if audience is Audience.PUBLIC:
        freeze = (BoardFreeze.objects.filter(event_id=event_id, thawed_at__isnull=True)
                  .values_list("epoch", "seq", "revealed").first())
        if freeze is not None and freeze[0] == epoch:
            return Position(freeze[0], freeze[1], len(freeze[2] or []))
    return Position(epoch, last)


def board_snapshot(event_id: int, audience: Audience, *, live: bool = False) -> BoardSnapshot:
    """The board (module docstring: the position is read first). Entries on the board are the approved ones
    with a 工位号 (drawn); a skill before its draw shows none. During a freeze the public gets the frozen board
    and the jury the freeze's position with what is pending (module docstring, "Freezing"); `live` asks for the
    board as it is now whatever the freeze (the freeze's own writes: the board it stores, the reveal order)."""
    state = stream_state(event_id)
    freeze = None if live else freeze_in_force(event_id)
    if freeze is not None and freeze.epoch != state.epoch:
        freeze = None  # a freeze of an earlier history (competitions.services.stream refuses a rebuild meanwhile)
    if freeze is not None and audience is Audience.PUBLIC:
        return _frozen_board(event_id, freeze)
    jury = audience is Audience.JURY
    skills = list(Skill.objects.filter(event_id=event_id).order_by("id")
                  .values_list("id", "name", "decrypted_at", "status"))
    decrypted = {skill_id for skill_id, _name, at, _status in skills if at is not None}
    entries = [
        row for row in Entry.objects.filter(skill__event_id=event_id).exclude(workstation_no="")
        .order_by("skill_id", "workstation_no")
        .values_list("id", "skill_id", "workstation_no", "module_scores", "practical", "total", "status")
        if row[6] == EntryStatus.APPROVED or row[1] not in decrypted
    ]
    names: dict[int, list[str]] = {}
    if decrypted:
        for entry_id, name in (EntryMember.objects.filter(entry__skill_id__in=decrypted)
                               .order_by("entry_id", "id").values_list("entry_id", "person__real_name")):
            names.setdefault(entry_id, []).append(name)
    modules, complete, divergent, signed = _progress(event_id, jury)
    rows: dict[int, list[tuple[Any, ...]]] = {}
    for row in entries:
        rows.setdefault(row[1], []).append(row)
    by_skill: dict[int, list[BoardEntry]] = {}
    for skill_id, skill_rows in rows.items():
        shown = [board_score(Decimal(practical), Decimal(total), decrypted=skill_id in decrypted)
                 if complete.get(entry_id) else None
                 for entry_id, _s, _n, _m, practical, total, _st in skill_rows]
        codes_of = {m.id: set(m.aspects) for m in modules.get(skill_id, [])}
        for (entry_id, _s, station, module_scores, practical, total, _st), place in zip(
                skill_rows, provisional_places(shown), strict=True):
            done = complete.get(entry_id, [])
            marked = {str(mid): sum(1 for c in done if c in codes) for mid, codes in codes_of.items()}
            by_skill.setdefault(skill_id, []).append(BoardEntry(
                workstation_no=station, module_scores=dict(module_scores or {}),
                practical=str(practical), total=str(total) if skill_id in decrypted else None,
                names=names.get(entry_id, []) if skill_id in decrypted else None,
                complete=done, marked=marked, place=place,
                divergent=divergent.get(entry_id, []) if jury else None,
                signed_off=signed.get(entry_id, []) if jury else None))
    return BoardSnapshot(
        event=event_id, audience=audience.value, epoch=state.epoch, seq=state.last,
        skills=[BoardSkill(skill=sid, name=name, decrypted=at is not None, entries=by_skill.get(sid, []),
                           modules=modules.get(sid, []), provisional=status not in _FINAL)
                for sid, name, at, status in skills],
        frozen=None if freeze is None else FrozenView(freeze.since, freeze.seq, pending(state.last, freeze.seq)),
    )


@dataclass(frozen=True, slots=True)
class Resumed:
    """A resume's answer: the replayed deltas (`recovered`), or the snapshot."""

    decision: Decision
    epoch: str
    deltas: list[dict[str, Any]] = field(default_factory=list)
    snapshot: BoardSnapshot | None = None
    step: int = 0

    @property
    def position(self) -> Position:
        """Where the client stands once it applied this answer."""
        if self.snapshot is not None:
            return self.snapshot.position
        return Position(self.epoch, self.deltas[-1]["seq"] if self.deltas else self.decision.after, self.step)

    def message(self) -> dict[str, Any]:
        if self.snapshot is not None:
            return self.snapshot.message()
        last = self.deltas[-1]["seq"] if self.deltas else self.decision.after
        return {"type": "delta", "epoch": self.epoch, "recovered": True, "seq": last, "deltas": self.deltas}


def stream_resume(event_id: int, audience: Audience, epoch: str | None, seq: int | None) -> Resumed:
    """What a client at `(epoch, seq)` gets: exactly the deltas it missed, or a snapshot
    (competitions.domain.stream.resume_decision); a replay longer than `REPLAY_LIMIT` is a snapshot too. The
    public, during a freeze, resumes against the freeze's seq, and gets a snapshot where a replay would cross a
    freeze, reveal or thaw, or a reveal was shown meanwhile (module docstring, "Freezing")."""
    state = stream_state(event_id)
    freeze = freeze_in_force(event_id) if audience is Audience.PUBLIC else None
    if freeze is not None and freeze.epoch != state.epoch:
        freeze = None
    step = 0
    if freeze is not None:
        if freeze.revealed:
            decision = Decision(Resume.SNAPSHOT, reason="revealed")
            return Resumed(decision, state.epoch, snapshot=board_snapshot(event_id, audience))
        state = StreamState(state.epoch, state.first_retained, public_last(state.last, freeze.seq))
    decision = resume_decision(epoch, seq, state)
    if decision.kind is Resume.REPLAY and decision.upto - decision.after <= REPLAY_LIMIT:
        deltas = deltas_after(event_id, decision.after, audience, upto=decision.upto)
        if audience is Audience.JURY or not any(d.get("kind") in FREEZE_KINDS for d in deltas):
            return Resumed(decision, state.epoch, deltas, step=step)
        decision = Decision(Resume.SNAPSHOT, reason="board_changed")
    return Resumed(decision, state.epoch, snapshot=board_snapshot(event_id, audience))


# Delta kinds a live board gets a fresh snapshot on, instead of the delta: names arrive (a decryption), or the
# public board is frozen, revealed or thawed (competitions.domain.freeze).
SNAPSHOT_KINDS = frozenset({"skill.decrypted", *FREEZE_KINDS})


@dataclass(frozen=True, slots=True)
class News:
    """What a live board at `start` is sent on a wake-up (competitions.consumers): one frame (a `delta` frame, or
    a `snapshot`), or None when nothing is new for its audience; `end` is where the board then stands."""

    start: Position
    end: Position
    frame: dict[str, Any] | None


def board_news(event_id: int, audience: Audience, start: Position) -> News:
    """The news for a board at `start` (competitions.consumers' wake-up): the deltas after it, up to the
    freeze's seq for the public during a freeze, in one `delta` frame; a snapshot when the epoch changed, when a
    delta of `SNAPSHOT_KINDS` is among them, or when a reveal was made that the public board at the freeze has
    not been shown. A board whose snapshot came before the event's first sequencing (no epoch yet, seq 0) is at
    the start of the first epoch, whatever it is named."""
    state = stream_state(event_id)
    epoch = state.epoch if start.epoch == "" and start.seq == 0 else start.epoch
    if state.epoch != epoch:
        return _snapshot_news(event_id, audience, start)
    last, step = state.last, 0
    if audience is Audience.PUBLIC:
        freeze = freeze_in_force(event_id)
        if freeze is not None and freeze.epoch == state.epoch:
            last, step = public_last(state.last, freeze.seq), len(freeze.revealed)
            if start.seq == last and start.step != step:
                return _snapshot_news(event_id, audience, start)
    if start.seq >= last:
        return News(start, Position(epoch, start.seq, start.step), None)
    deltas = deltas_after(event_id, start.seq, audience, upto=last)
    if not deltas:
        return News(start, Position(epoch, start.seq, start.step), None)
    if any(d.get("kind") in SNAPSHOT_KINDS for d in deltas):
        return _snapshot_news(event_id, audience, start)
    end = Position(epoch, deltas[-1]["seq"], step)
    return News(start, end, {"type": "delta", "epoch": epoch, "seq": end.seq, "deltas": deltas})


def _snapshot_news(event_id: int, audience: Audience, start: Position) -> News:
    snapshot = board_snapshot(event_id, audience)
    return News(start, snapshot.position, snapshot.message())


@dataclass(frozen=True, slots=True)
class FeedView:
    """The feed's answer (`GET …/events/{id}/feed?since=E:S`): the websocket's frames, in order: the deltas after
    S in one `delta` frame with `recovered: true`, or one `snapshot` frame."""

    frames: list[dict[str, Any]]


def event_feed(event_id: int, audience: Audience, epoch: str | None, seq: int | None) -> FeedView:
    return FeedView(frames=[stream_resume(event_id, audience, epoch, seq).message()])
