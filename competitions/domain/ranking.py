"""Ranking of one skill (DESIGN.md, "Competitions" → "Ranking").

Rule: the total rounded half up to two decimals, descending; ties go through the skill's ordered tie-break list
(defaults: shorter completion time, higher practical score, higher theory score; optionally the module scores in
reverse module order); entries still tied share a place, standard competition ranking (1, 2, 2, 4).

Choices where DESIGN.md leaves room (each is tested):

- Scores used as tie-breaks (practical, theory, module scores) are compared rounded half up to two decimals, the
  precision every page shows, so two contestants never get different places for a difference nobody can see.
- A missing tie-break value (None) sorts after every present value for that key, whatever the key's direction;
  two missing values are equal for that key.
- Entries sharing a place keep their input order; callers pass a stable order (e.g. by 工位号).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from enum import StrEnum

from competitions.domain.scoring import ContestantResult, round_total
from core.errors import RuleBroken

_MISSING = (1, Decimal(0))


class TieBreak(StrEnum):
    """One key of a skill's tie-break list (并列名次的区分规则)."""

    COMPLETION_TIME = "completion_time"
    PRACTICAL = "practical"
    THEORY = "theory"
    MODULES_REVERSE = "modules_reverse"

    @property
    def label_zh(self) -> str:
        return _TIE_BREAK_LABELS[self]


_TIE_BREAK_LABELS: dict[TieBreak, str] = {
    TieBreak.COMPLETION_TIME: "用时短者列前",
    TieBreak.PRACTICAL: "实操成绩高者列前",
    TieBreak.THEORY: "理论成绩高者列前",
    TieBreak.MODULES_REVERSE: "按模块倒序比较模块成绩",
}

DEFAULT_TIE_BREAKS: tuple[TieBreak, ...] = (TieBreak.COMPLETION_TIME, TieBreak.PRACTICAL, TieBreak.THEORY)


@dataclass(frozen=True, slots=True)
class RankEntry:
    """What ranks one contestant (or team): the total and the tie-break values; None means not available."""

    contestant_id: Hashable
    total: Decimal
    completion_time: timedelta | None = None
    practical: Decimal | None = None
    theory: Decimal | None = None
    module_scores: tuple[Decimal | None, ...] = ()


@dataclass(frozen=True, slots=True)
class Placed:
    """A ranked entry and its place (名次)."""

    place: int
    entry: RankEntry

    @property
    def contestant_id(self) -> Hashable:
        return self.entry.contestant_id

    @property
    def total(self) -> Decimal:
        return round_total(self.entry.total)


def entry_from_result(result: ContestantResult, completion_time: timedelta | None = None) -> RankEntry:
    """The rank entry of a scored contestant; completion time comes from the sheet, not from the marks."""
    return RankEntry(
        contestant_id=result.contestant_id,
        total=result.total,
        completion_time=completion_time,
        practical=result.practical,
        theory=result.theory,
        module_scores=result.module_scores,
    )


def _higher_first(value: Decimal | None) -> tuple[int, Decimal]:
    return _MISSING if value is None else (0, -round_total(value))


def _seconds(value: timedelta) -> Decimal:
    # Exact: no float seconds, so equal durations always tie.
    return Decimal(value.days * 86_400 + value.seconds) + Decimal(value.microseconds).scaleb(-6)


def rank_key(
    entry: RankEntry, tie_breaks: Sequence[TieBreak] = DEFAULT_TIE_BREAKS, module_count: int | None = None
) -> tuple[tuple[int, Decimal], ...]:
    """The sort key of an entry: smaller is better. Total first (rounded, descending), then each tie-break in the
    skill's order (DESIGN.md "Ranking"). `module_count` pads short module lists with missing values."""
    key: list[tuple[int, Decimal]] = [(0, -round_total(entry.total))]
    for tie_break in tie_breaks:
        if tie_break is TieBreak.COMPLETION_TIME:
            time = entry.completion_time
            key.append(_MISSING if time is None else (0, _seconds(time)))
        elif tie_break is TieBreak.PRACTICAL:
            key.append(_higher_first(entry.practical))
        elif tie_break is TieBreak.THEORY:
            key.append(_higher_first(entry.theory))
        else:
            scores = list(entry.module_scores)
            count = len(scores) if module_count is None else module_count
            scores += [None] * (count - len(scores))
            key.extend(_higher_first(score) for score in reversed(scores))
    return tuple(key)


def rank(entries: Iterable[RankEntry], tie_breaks: Sequence[TieBreak] = DEFAULT_TIE_BREAKS) -> list[Placed]:
    """Entries in ranking order with their places (DESIGN.md "Ranking"): the place of an entry is 1 + the number
    of entries strictly better on (rounded total, tie-breaks in order), so ties share a place and the next place
    skips (1, 2, 2, 4). A contestant listed twice is refused (ranking.duplicate_contestant)."""
    items = list(entries)
    seen: set[Hashable] = set()
    for item in items:
        if item.contestant_id in seen:
            raise RuleBroken(
                "ranking.duplicate_contestant",
                {"contestant": item.contestant_id},
                "{contestant} appears twice in one ranking.",
            )
        seen.add(item.contestant_id)
    module_count = max((len(item.module_scores) for item in items), default=0)
    keyed = sorted(
        ((rank_key(item, tie_breaks, module_count), position, item) for position, item in enumerate(items)),
        key=lambda triple: (triple[0], triple[1]),
    )
    placed: list[Placed] = []
    previous: tuple[tuple[int, Decimal], ...] | None = None
    place = 0
    for position, (key, _, item) in enumerate(keyed, start=1):
        if key != previous:
            place = position
            previous = key
        placed.append(Placed(place, item))
    return placed
