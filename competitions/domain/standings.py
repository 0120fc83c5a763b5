"""The fast full recomputation of one skill's standings, vectorised with numpy (DESIGN.md "Data flow of one
mark": standings are derived from marks by the pure scoring and ranking functions; issue 4 "Performance").

The marks are an int64 array values[contestant, aspect, referee] in units of 0.0001 mark (WorldSkills scores 0–3
as 0..30000), with integer half-up rounding, so the results are exactly those of `competitions.domain.scoring`
(`tests/competitions/test_domain_scoring.py` compares the two on random cases). The array holds complete score
sets only: a recomputation of a skill whose marking is unfinished goes through `scoring.compute_results`.

`scatter` builds the array from flat columns as a database query returns them (entry, aspect, units), giving each
(entry, aspect) its referees' values in any order: every method here is symmetric in its referees.
`AspectStats` is what every method needs of one (entry, aspect)'s values (count, sum, lowest, highest), so a database
can aggregate the marks before they leave it: `competitions.selectors.standings.rows_from_marks` loads them so.
No Django, no ORM: `competitions.selectors` loads the columns or the stats and calls this.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from competitions.domain.ranking import RankEntry
from competitions.domain.scoring import MarkingMethod, MarkingScheme

UNIT = 10_000  # 0.0001 mark: the precision aspect marks keep
Int64Array = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


def to_units(value: Decimal) -> int:
    """A Decimal with at most 4 decimals as an integer count of 0.0001."""
    units = value * UNIT
    if units != units.to_integral_value():
        raise ValueError(f"{value} has more than 4 decimals")
    return int(units)


def from_units(units: int, places: int = 4) -> Decimal:
    return Decimal(int(units)).scaleb(-places)


@dataclass(frozen=True, slots=True)
class VectorStandings:
    """Aspect marks (units), divergence flags, module sums and practical (units), ranking totals (cents)."""

    marks: Int64Array
    divergent: BoolArray
    modules: Int64Array
    practical: Int64Array
    total_cents: Int64Array


def _half_up_div(numerator: Int64Array, denominator: int | Int64Array) -> Int64Array:
    # floor(n / d + 1/2) for n >= 0: the half-up rounding of scoring.round_mark, in integers.
    return np.asarray((2 * numerator + denominator) // (2 * denominator), dtype=np.int64)


@dataclass(frozen=True, slots=True)
class AspectStats:
    """What every method needs of one (contestant, aspect)'s values, in units: how many, their sum, the lowest and
    the highest. Complete score sets are scored from these alone: the panel's kept sum is sum − highest − lowest
    (one of each dropped), the mean's is the sum, WorldSkills' the sum, and a one-value aspect's value is the sum;
    the divergence of a panel is highest − lowest. So a database can aggregate the marks of each (entry, aspect)
    before they leave it (competitions.selectors.standings), and 600,000 marks arrive as 120,000 rows."""

    count: Int64Array
    total: Int64Array
    low: Int64Array
    high: Int64Array


def stats_of(scheme: MarkingScheme, values: Int64Array) -> AspectStats:
    """The stats of an array values[contestant, aspect, referee] holding each aspect's `referee_count` values."""
    contestants, aspect_count, _ = values.shape
    count = np.zeros((contestants, aspect_count), dtype=np.int64)
    total, low, high = np.zeros_like(count), np.zeros_like(count), np.zeros_like(count)
    for index, aspect in enumerate(scheme.aspects):
        block = values[:, index, : aspect.referee_count]
        count[:, index] = aspect.referee_count
        total[:, index], low[:, index], high[:, index] = block.sum(axis=1), block.min(axis=1), block.max(axis=1)
    return AspectStats(count, total, low, high)


def gather_stats(
    entry_index: npt.NDArray[np.intp], aspect_index: npt.NDArray[np.intp], count: Int64Array, total: Int64Array,
    low: Int64Array, high: Int64Array, shape: tuple[int, int],
) -> AspectStats:
    """The stats from flat rows, one per (entry, aspect) that has values, as a GROUP BY returns them; a cell
    without a row has count 0."""
    out = AspectStats(*(np.zeros(shape, dtype=np.int64) for _ in range(4)))
    for target, column in ((out.count, count), (out.total, total), (out.low, low), (out.high, high)):
        target[entry_index, aspect_index] = column
    return out


def is_complete(scheme: MarkingScheme, stats: AspectStats) -> bool:
    """Whether every contestant has exactly `referee_count` values for every aspect (the only sets scored here)."""
    expected = np.array([a.referee_count for a in scheme.aspects], dtype=np.int64)[None, :]
    return bool(stats.count.size) and bool((stats.count == expected).all())


def vectorised_standings(
    scheme: MarkingScheme, values: Int64Array, theory_units: Int64Array | None = None
) -> VectorStandings:
    """The same rules as `competitions.domain.scoring.compute_results` for complete score sets, on an array
    values[contestant, aspect, referee] in units of 0.0001 (WorldSkills scores 0–3 as 0..30000)."""
    return standings_from_stats(scheme, stats_of(scheme, values), theory_units)


def standings_from_stats(
    scheme: MarkingScheme, stats: AspectStats, theory_units: Int64Array | None = None
) -> VectorStandings:
    """The same rules as `competitions.domain.scoring.compute_results` for complete score sets (`is_complete`),
    from each (contestant, aspect)'s stats (`AspectStats`)."""
    contestants, aspect_count = stats.count.shape
    marks = np.zeros((contestants, aspect_count), dtype=np.int64)
    divergent = np.zeros((contestants, aspect_count), dtype=np.bool_)
    groups: dict[tuple[MarkingMethod, int], list[int]] = {}
    for index, aspect in enumerate(scheme.aspects):
        groups.setdefault((aspect.method, aspect.referee_count), []).append(index)
    for (method, referees), indexes in groups.items():
        aspects = [scheme.aspects[i] for i in indexes]
        total, low, high = stats.total[:, indexes], stats.low[:, indexes], stats.high[:, indexes]
        max_units = np.array([to_units(a.max_mark) for a in aspects], dtype=np.int64)[None, :]
        if method is MarkingMethod.FULL_OR_ZERO:
            marks[:, indexes] = np.where(total == max_units, max_units, 0)
        elif method is MarkingMethod.TOLERANCE:
            for column, aspect in zip(indexes, aspects, strict=True):
                assert aspect.nominal is not None  # noqa: S101 - a tolerance aspect always has one
                deviation = np.abs(stats.total[:, column] - to_units(aspect.nominal))
                tolerances = np.array([to_units(b.tolerance) for b in aspect.bands], dtype=np.int64)
                deductions = np.array([to_units(b.deduction) for b in aspect.bands], dtype=np.int64)
                band = np.searchsorted(tolerances, deviation, side="left")
                inside = band < len(tolerances)
                kept = np.maximum(to_units(aspect.max_mark) - deductions[np.minimum(band, len(tolerances) - 1)], 0)
                marks[:, column] = np.where(inside, kept, 0)
        elif method is MarkingMethod.WORLDSKILLS:
            marks[:, indexes] = _half_up_div((total // UNIT) * max_units, 9)
            divergent[:, indexes] = (high - low) > UNIT
        else:
            if method is MarkingMethod.PANEL:  # one highest and one lowest dropped
                kept_sum, kept_count = total - high - low, referees - 2
            else:
                kept_sum, kept_count = total, referees
            marks[:, indexes] = _half_up_div(kept_sum, kept_count)
            thresholds = np.array(
                [-1 if a.divergence_threshold is None else to_units(a.divergence_threshold) for a in aspects],
                dtype=np.int64,
            )[None, :]
            divergent[:, indexes] = (thresholds >= 0) & ((high - low) * UNIT > thresholds * max_units)
    module_of = np.array([scheme.modules.index(a.module) for a in scheme.aspects])
    modules = np.zeros((contestants, len(scheme.modules)), dtype=np.int64)
    for position in range(len(scheme.modules)):
        modules[:, position] = marks[:, module_of == position].sum(axis=1)
    practical = marks.sum(axis=1)
    if scheme.theory_weight is None:
        total_cents = _half_up_div(practical, 100)
    else:
        weight = to_units(scheme.theory_weight)
        theory = np.zeros(contestants, dtype=np.int64) if theory_units is None else theory_units
        total_cents = _half_up_div(theory * weight + practical * (UNIT - weight), 1_000_000)
    return VectorStandings(marks, divergent, modules, practical, total_cents)


def rank_entries(
    ids: Sequence[Hashable],
    standings: VectorStandings,
    theory_units: Int64Array | None,
    completion_seconds: Int64Array,
) -> list[RankEntry]:
    """Rank entries from the vectorised standings (Decimals, as the services build them)."""
    practical = standings.practical.tolist()
    totals = standings.total_cents.tolist()
    modules = standings.modules.tolist()
    theory: list[int | None] = [None] * len(ids) if theory_units is None else theory_units.tolist()
    seconds = completion_seconds.tolist()
    return [
        RankEntry(
            contestant_id=ids[i],
            total=from_units(totals[i], 2),
            completion_time=timedelta(seconds=seconds[i]),
            practical=from_units(practical[i]),
            theory=None if (score := theory[i]) is None else from_units(score),
            module_scores=tuple(from_units(m) for m in modules[i]),
        )
        for i in range(len(ids))
    ]


def scatter(
    entry_index: npt.NDArray[np.intp], aspect_index: npt.NDArray[np.intp], units: Int64Array, shape: tuple[int, int],
    referees: int,
) -> Int64Array:
    """values[entry, aspect, slot] from flat columns; the slot is the value's order within its (entry, aspect)."""
    values = np.zeros((shape[0], shape[1], referees), dtype=np.int64)
    if len(units) == 0:
        return values
    keys = entry_index.astype(np.int64) * shape[1] + aspect_index
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_keys)) + 1]
    group_start = np.repeat(starts, np.diff(np.r_[starts, len(sorted_keys)]))
    slot = np.arange(len(sorted_keys)) - group_start
    if len(slot) and slot.max() >= referees:
        raise ValueError("more values than referees for one aspect of one entry")
    values[entry_index[order], aspect_index[order], slot] = units[order]
    return values
