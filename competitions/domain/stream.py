"""The live stream's recovery rule and its audiences (DESIGN.md "Live scoring": recovery, audiences are projections).

Recovery (Centrifugo's offset + epoch): a client keeps the `(epoch, seq)` of the last delta it applied and sends them
on reconnect. `resume_decision` answers with the deltas to replay, or a snapshot:

- no position, another epoch (the history was rebuilt), or a sequence from the future (above the stream's last
  one: a client of another database, or a forged position) → a fresh snapshot; never an error;
- a sequence the retained history no longer reaches (deltas after it were pruned: `seq < first_retained - 1`) →
  a snapshot;
- otherwise the deltas `seq + 1 … last`, exactly those, possibly none (the client is up to date), `recovered`.

Audiences: a delta's payload is written once, audience-neutral, with every figure the jury may see (the chief
referees and the organizer's staff). The public projection is computed from it and keeps a field only when the
public may see it, so what a visitor must not know is absent from their message, not masked:

- never a referee's identity (`referee` in a score, `signed_by`);
- never a person's name before the skill is decrypted (`names` only when `decrypted` is true; for the jury too,
  since names reach nobody before decryption, DESIGN.md "Anonymity");
- never a judgement aspect's per-referee scores before the sheet of its module is signed off (`scores` of a
  payload whose `judgement` is true and `signed_off` false); the aspect's mark and the totals are public.
Choice where DESIGN.md is silent: the public keeps the per-referee values of measurement aspects (without who gave
them) and the divergence flag: they say nothing about a referee, and a board that shows "待复核" is honest.
The public projection is a list of fields it may keep (`PUBLIC_FIELDS`), so a field added to payloads later stays
with the jury until someone decides the public may see it.

Snapshots (competitions.selectors.stream.board_snapshot) are built per audience, and the public's entries and
skills also pass an allow-list (`PUBLIC_SNAPSHOT_FIELDS`, `project_snapshot`). Decided for the board pages (issue
11 item 2): the public sees each skill's modules (codes, names, aspect codes: the published scheme), each entry's
complete aspects and the count per module (progress), its provisional place, and its names once the skill is
decrypted (as the deltas carry them); the jury alone sees the aspects flagged divergent (待复核) and the modules
signed off, as the jury board shows them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Audience(StrEnum):
    PUBLIC = "public"
    JURY = "jury"


class Resume(StrEnum):
    REPLAY = "replay"
    SNAPSHOT = "snapshot"


@dataclass(frozen=True, slots=True)
class StreamState:
    """Where the stream stands: its epoch, the first sequence number still kept, and the last one given (0 before
    the first; `first_retained` is then `last + 1`)."""

    epoch: str
    first_retained: int
    last: int


@dataclass(frozen=True, slots=True)
class Decision:
    """What a resuming client gets: `REPLAY` of the deltas `after + 1 … upto`, or a `SNAPSHOT` (with `reason`:
    `no_position`, `epoch_changed`, `future`, `history_gone`)."""

    kind: Resume
    after: int = 0
    upto: int = 0
    reason: str = ""

    def replayed(self) -> range:
        """The sequence numbers a replay sends (empty for a snapshot)."""
        return range(self.after + 1, self.upto + 1) if self.kind is Resume.REPLAY else range(0)


def resume_decision(client_epoch: str | None, client_seq: int | None, stream: StreamState) -> Decision:
    """Replay or snapshot for a client at `(client_epoch, client_seq)` (module docstring)."""
    if client_epoch is None or client_seq is None or client_seq < 0:
        return Decision(Resume.SNAPSHOT, reason="no_position")
    if client_epoch != stream.epoch:
        return Decision(Resume.SNAPSHOT, reason="epoch_changed")
    if client_seq > stream.last:
        return Decision(Resume.SNAPSHOT, reason="future")
    if client_seq < stream.first_retained - 1:
        return Decision(Resume.SNAPSHOT, reason="history_gone")
    return Decision(Resume.REPLAY, after=client_seq, upto=stream.last)


# What a public board may show of a delta's payload (module docstring); everything else stays with the jury.
PUBLIC_FIELDS = frozenset({
    "kind", "skill", "workstation_no", "module", "module_scores", "practical", "total", "aspect",
    "aspect_mark", "divergent", "complete", "judgement", "signed_off", "decrypted", "status", "scores", "names",
})


# What a public snapshot may hold of an entry and of a skill (module docstring).
PUBLIC_SNAPSHOT_FIELDS: dict[str, frozenset[str]] = {
    "entry": frozenset({"workstation_no", "module_scores", "practical", "total", "names", "complete", "marked",
                        "place"}),
    "skill": frozenset({"skill", "name", "decrypted", "provisional", "modules", "entries"}),
}


def project_snapshot(row: Mapping[str, Any], audience: Audience, kind: str) -> dict[str, Any]:
    """A snapshot's entry or skill (`kind`) as `audience` may see it: the jury's whole, the public's keeping only
    `PUBLIC_SNAPSHOT_FIELDS[kind]` (module docstring)."""
    if audience is Audience.JURY:
        return dict(row)
    allowed = PUBLIC_SNAPSHOT_FIELDS[kind]
    return {k: v for k, v in row.items() if k in allowed}


def _scores_public(scores: Any) -> list[Any]:
    return [{k: v for k, v in score.items() if k != "referee"} for score in scores or ()]


def project(payload: Mapping[str, Any], audience: Audience) -> dict[str, Any]:
    """The payload as `audience` may see it (module docstring): the jury's is the payload without names before
    decryption; the public's keeps only `PUBLIC_FIELDS`, referee identities and undisclosed scores removed."""
    shown = dict(payload)
    if not shown.get("decrypted"):
        shown.pop("names", None)
    if audience is Audience.JURY:
        return shown
    shown = {k: v for k, v in shown.items() if k in PUBLIC_FIELDS}
    if "scores" in shown:
        if shown.get("judgement") and not shown.get("signed_off"):
            del shown["scores"]
        else:
            shown["scores"] = _scores_public(shown["scores"])
    return shown


def parse_position(text: str | None) -> tuple[str | None, int | None]:
    """`E:S` (the feed's `since`) as (epoch, seq); anything else, empty included, as no position (→ snapshot)."""
    if not text or ":" not in text:
        return None, None
    epoch, _, seq = text.rpartition(":")
    if not epoch or not seq.isdigit() or len(seq) > 18:
        return None, None
    return epoch, int(seq)


class Admission(StrEnum):
    ADMIT = "admit"
    DROP_AND_TELL = "drop_and_tell"  # the first refused message of a second: answered `message.throttled`
    DROP = "drop"  # refused silently (the client was told this second already)
    CLOSE = "close"  # persistent abuse: the connection is closed


@dataclass(slots=True)
class MessageBudget:
    """A board client's budget of messages (issue 11, bad input): at most `per_second` messages in each second of
    the clock; the rest of that second's are dropped, the first of them answered with one `message.throttled`
    error (an answer per dropped message would let the flood drive our sends). A client that overruns its budget
    in `close_after` seconds in a row is closed. A fixed one-second window, not a sliding one: simple, and a
    client keeping to 20 a second never meets it. Time is passed in, so the rule has no clock of its own."""

    per_second: int = 20
    close_after: int = 10
    window: int = -1
    count: int = 0
    overrun_run: int = 0  # seconds in a row, before this one, in which the budget was overrun

    def admit(self, now: float) -> Admission:
        second = int(now)
        if second != self.window:
            overran = self.count > self.per_second
            self.overrun_run = self.overrun_run + 1 if overran and second == self.window + 1 else 0
            self.window, self.count = second, 0
        self.count += 1
        if self.count <= self.per_second:
            return Admission.ADMIT
        if self.count == self.per_second + 1:
            return Admission.CLOSE if self.overrun_run + 1 >= self.close_after else Admission.DROP_AND_TELL
        return Admission.DROP
