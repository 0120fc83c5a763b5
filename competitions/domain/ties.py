"""Why tied totals got different places (DESIGN.md "Publication": results pages show the deciding tie-break and its
values; "Ranking" for the tie-break list).

Rule: entries are compared by rounded total, then by the skill's tie-break list in order (competitions.domain
.ranking). For every group of consecutive ranked entries that share a rounded total (a *tie group*), each entry
gets a note:

- `keys`: the tie-break keys the group was compared on, in the skill's order, up to the last key that separated
  any two neighbours of the group; when no key separated anyone (everyone tied shares the place), every key of the
  list, so the reader sees that all of them were equal too;
- `values`: the entry's values of those keys, as the results pages show them (scores to two decimals, the
  precision the ranking compares; durations as H:MM:SS; a missing value as "—");
- `decided_by`: the key that put the entry below its neighbour above, which is the first key of the list on which
  the two differ; None for the first entry of the group and for an entry that shares its neighbour's place
  (`shares_place`).

Choices where DESIGN.md leaves room (each is tested): the comparison is the ranking's own sort key, so a note can
never disagree with the places; "modules in reverse order" counts as one key per module, named by its module code,
last module first; entries whose total nobody shares get no note.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from competitions.domain.ranking import Placed, TieBreak, rank_key
from competitions.domain.scoring import round_total


@dataclass(frozen=True, slots=True)
class TieKey:
    """One compared key: a tie-break, or for "modules in reverse order" one module's score."""

    tie_break: TieBreak
    module: str | None = None


@dataclass(frozen=True, slots=True)
class TieNote:
    """The tie-break explanation of one entry of a tie group (module docstring)."""

    keys: tuple[TieKey, ...]
    values: tuple[str, ...]
    decided_by: TieKey | None
    shares_place: bool


def expanded_keys(tie_breaks: Sequence[TieBreak], module_codes: Sequence[str]) -> list[TieKey]:
    """The keys in the order the ranking compares them (ranking.rank_key after the total)."""
    keys: list[TieKey] = []
    for tie_break in tie_breaks:
        if tie_break is TieBreak.MODULES_REVERSE:
            keys.extend(TieKey(tie_break, code) for code in reversed(module_codes))
        else:
            keys.append(TieKey(tie_break))
    return keys


def shown_duration(value: timedelta) -> str:
    """A completion time as H:MM:SS, with the fraction of a second when there is one."""
    seconds = value.days * 86_400 + value.seconds
    text = f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    if value.microseconds:
        text += f".{value.microseconds:06d}".rstrip("0")
    return text


def _value(placed: Placed, key: TieKey, module_codes: Sequence[str]) -> str:
    entry = placed.entry
    number: Decimal | None
    if key.tie_break is TieBreak.COMPLETION_TIME:
        return "—" if entry.completion_time is None else shown_duration(entry.completion_time)
    if key.tie_break is TieBreak.PRACTICAL:
        number = entry.practical
    elif key.tie_break is TieBreak.THEORY:
        number = entry.theory
    else:
        position = list(module_codes).index(key.module) if key.module is not None and key.module in module_codes \
            else -1
        scores = entry.module_scores
        number = scores[position] if 0 <= position < len(scores) else None
    return "—" if number is None else str(round_total(number))


def tie_notes(placed: Sequence[Placed], tie_breaks: Sequence[TieBreak],
              module_codes: Sequence[str]) -> list[TieNote | None]:
    """One note per ranked entry (None where its total is nobody else's), for entries in ranking order as
    `ranking.rank` returns them (module docstring)."""
    keys = expanded_keys(tie_breaks, module_codes)
    count = len(module_codes)
    sort_keys = [rank_key(p.entry, tie_breaks, count)[1:] for p in placed]
    notes: list[TieNote | None] = [None] * len(placed)
    start = 0
    while start < len(placed):
        end = start + 1
        while end < len(placed) and placed[end].total == placed[start].total:
            end += 1
        if end - start > 1:
            deciding: list[int | None] = [None]
            for i in range(start + 1, end):
                previous, current = sort_keys[i - 1], sort_keys[i]
                deciding.append(next((k for k in range(len(keys)) if previous[k] != current[k]), None))
            used = [d for d in deciding if d is not None]
            shown = keys[: max(used) + 1] if used else keys
            for offset, i in enumerate(range(start, end)):
                index = deciding[offset]
                notes[i] = TieNote(
                    keys=tuple(shown),
                    values=tuple(_value(placed[i], key, module_codes) for key in shown),
                    decided_by=None if index is None else keys[index],
                    shares_place=offset > 0 and index is None,
                )
        start = end
    return notes
