"""Freezing the public board (封榜) and revealing it (揭榜) (DESIGN.md "Live scoring": audiences are projections;
competitions.services.freeze does the writes, competitions.selectors.stream the reads).

A freeze holds the public projection of the event's stream at one sequence number `seq` (the `board.frozen`
delta's own): while it lasts the public position is `seq`, whatever the stream's last, so a public frame, a
heartbeat or the feed tells nothing new, not even that a mark arrived. The jury's stream keeps moving.

Choices where DESIGN.md is silent:
- **Per event, not per skill.** One event has one stream and one public position `(epoch, seq)`; a freeze per
  skill would need a position per skill, which the recovery rule (one seq) cannot express. In practice the
  board is frozen for the whole event's last hour and revealed at its closing ceremony (颁奖典礼), skill by
  skill.
- **Reveal order** (`reveal_order`): skill by skill in the board's order (the skills' ids), and within a skill
  the lowest provisional place first, the place being the board's (competitions.domain.board: standard
  competition ranking, "1224", on the shown score: the practical part before the skill is decrypted, the total
  after; a workstation with nothing marked has none and is revealed first). Among tied places the
  higher 工位号 goes first, so the reveal is exactly the board's order (score down, 工位号 up) read backwards.
  The order is recomputed at each step from the jury's current figures, so a late correction moves it.
- A revealed workstation shows its figures as they were at its step (they are stored with the step); a change
  to it after its step reaches the public with the thaw, like every other held delta.
- A public position during a freeze is `(epoch, seq, step)`: `step` counts the reveals already shown, since a
  reveal changes the public board without moving its seq (a moving seq would tell the public that marks
  arrived). A public client resuming during a freeze with reveals gets a snapshot (it cannot name a step).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Delta kinds that change the board's shape (names, the frozen board): a board gets a fresh snapshot on them.
BOARD_FROZEN = "board.frozen"
BOARD_REVEALED = "board.revealed"
BOARD_THAWED = "board.thawed"
FREEZE_KINDS = frozenset({BOARD_FROZEN, BOARD_REVEALED, BOARD_THAWED})


@dataclass(frozen=True, slots=True, order=True)
class Position:
    """Where a board stands in its stream: `(epoch, seq)` as the client knows it, and `step`, the reveals of the
    freeze in force it has been shown (0 outside a freeze)."""

    epoch: str
    seq: int
    step: int = 0


@dataclass(frozen=True, slots=True)
class Standing:
    """One workstation of a skill as the reveal order sees it: its provisional place on the board (None: nothing
    marked yet, below every place)."""

    skill: int
    workstation_no: str
    place: int | None


def _station_key(workstation_no: str) -> tuple[int, str]:
    # 工位号 are zero-padded (01 … 40, H01 … H40); the length first keeps "9" before "10" where they are not.
    return len(workstation_no), workstation_no


def reveal_order(standings: Iterable[Standing], revealed: Iterable[tuple[int, str]],
                 skill_order: Sequence[int]) -> list[tuple[int, str]]:
    """Every (skill, 工位号) still to reveal, in the order the steps reveal them (module docstring): skill by skill
    in `skill_order`, and within a skill from the lowest place up, ties by the higher 工位号 first. The places are
    the board's among all of the skill's workstations, revealed ones included (a revealed workstation still holds
    its place)."""
    done = set(revealed)
    by_skill: dict[int, list[Standing]] = {}
    for standing in standings:
        by_skill.setdefault(standing.skill, []).append(standing)
    order: list[tuple[int, str]] = []
    for skill in skill_order:
        rows = by_skill.get(skill, [])
        lowest = len(rows) + 1
        placed = sorted(rows, key=lambda row: (lowest if row.place is None else row.place,
                                               _station_key(row.workstation_no)), reverse=True)
        order += [(skill, row.workstation_no) for row in placed if (skill, row.workstation_no) not in done]
    return order


def public_last(stream_last: int, freeze_seq: int | None) -> int:
    """The last seq the public may know of: the freeze's while one is in force, else the stream's."""
    return stream_last if freeze_seq is None else min(freeze_seq, stream_last)


def pending(stream_last: int, freeze_seq: int) -> int:
    """How many deltas the public does not know yet (the jury's `frozen.pending`): those after the freeze's seq."""
    return max(0, stream_last - freeze_seq)
