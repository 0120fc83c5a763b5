"""Full recomputation of one large skill's standings, and one incremental update (DESIGN.md "Scale to design for";
"Data flow of one mark": standings are derived from marks by the pure scoring and ranking functions).

Scenario: 2,000 contestants × 60 aspects × 5 referees = 600,000 marks (40 panel aspects, 20 plain-mean aspects,
6 modules, theory weight 0.3), built in memory from a fixed random seed; a second, mixed scenario also uses
WorldSkills (3 referees), tolerance and full-or-zero aspects. Full standings = aspect marks by method, module sums,
practical and ranking totals, ranking with the default tie-breaks, awards (places rule).

Target: full recompute < 1 s (loading included). This script measures the pure-Python part only; the variant that
loads the marks from the database will be added with the models.

The fast path is vectorised with numpy over an int64 array of shape (contestants, aspects, referees) in units of
0.0001 mark, with integer half-up rounding, so it gives exactly the results of `competitions.scoring` (the
functions the services use); `tests/competitions/test_domain_scoring.py` compares the two on random cases.
For reference the script also times the pure-Decimal `compute_results` and a `SkillTally` load on the same marks.

Run from the repository root: `python bench/standings_recompute.py` (optionally `--skip-pure`).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Hashable, Sequence
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from competitions.awards import AwardResult, assign_awards  # noqa: E402 - needs the path above
from competitions.ranking import Placed, RankEntry, rank  # noqa: E402
from competitions.scoring import (  # noqa: E402
    Aspect,
    MarkEntry,
    MarkingMethod,
    MarkingScheme,
    SkillTally,
    ToleranceBand,
    compute_results,
)
from competitions.standings import (  # noqa: E402,F401 - re-exported for tests/competitions/test_domain_scoring.py
    UNIT,
    Int64Array,
    VectorStandings,
    from_units,
    rank_entries,
    to_units,
    vectorised_standings,
)

SEED = 20_250_101


def heavy_scheme() -> MarkingScheme:
    """60 judgement aspects with 5 referees each: 40 panel × 1.5 + 20 mean × 2 = 100, six modules of ten."""
    aspects = [
        Aspect(
            f"A{i + 1:02d}",
            Decimal("1.5") if i % 3 else Decimal(2),
            MarkingMethod.PANEL if i % 3 else MarkingMethod.MEAN,
            module=f"M{i // 10 + 1}",
            referees=5,
        )
        for i in range(60)
    ]
    return MarkingScheme(tuple(aspects), theory_weight=Decimal("0.3"))


def mixed_scheme() -> MarkingScheme:
    """60 aspects of every method: 30 panel (5), 10 mean (5), 10 WorldSkills (3), 5 tolerance, 5 full-or-zero."""
    bands = (ToleranceBand(Decimal("0.02"), Decimal(0)), ToleranceBand(Decimal("0.05"), Decimal("0.5")))
    methods = [MarkingMethod.PANEL] * 30 + [MarkingMethod.MEAN] * 10 + [MarkingMethod.WORLDSKILLS] * 10
    methods += [MarkingMethod.TOLERANCE] * 5 + [MarkingMethod.FULL_OR_ZERO] * 5
    aspects = []
    for i, method in enumerate(methods):
        referees = {MarkingMethod.PANEL: 5, MarkingMethod.MEAN: 5}.get(method)
        tolerance = method is MarkingMethod.TOLERANCE
        aspects.append(
            Aspect(
                f"A{i + 1:02d}", Decimal("1.5") if i % 3 else Decimal(2), method, module=f"M{i // 10 + 1}",
                referees=referees, nominal=Decimal(25) if tolerance else None, bands=bands if tolerance else (),
            )
        )
    return MarkingScheme(tuple(aspects), theory_weight=Decimal("0.3"))


def random_values(scheme: MarkingScheme, contestants: int, rng: np.random.Generator) -> Int64Array:
    """Plausible marks: each contestant has an ability; referees agree within noise; 2-decimal marks."""
    referees = max(a.referee_count for a in scheme.aspects)
    values = np.zeros((contestants, len(scheme.aspects), referees), dtype=np.int64)
    ability = rng.uniform(0.35, 0.98, size=(contestants, 1))
    for index, aspect in enumerate(scheme.aspects):
        count = aspect.referee_count
        max_units = to_units(aspect.max_mark)
        if aspect.method is MarkingMethod.WORLDSKILLS:
            base = np.rint(ability * 3)
            scores = np.clip(base + rng.integers(-1, 2, size=(contestants, count)), 0, 3)
            values[:, index, :count] = scores.astype(np.int64) * UNIT
        elif aspect.method is MarkingMethod.FULL_OR_ZERO:
            values[:, index, 0] = np.where(rng.random(contestants) < ability[:, 0], max_units, 0)
        elif aspect.method is MarkingMethod.TOLERANCE:
            assert aspect.nominal is not None  # noqa: S101 - a tolerance aspect always has one
            error = rng.normal(0, 0.04 * (1.2 - ability[:, 0]))
            values[:, index, 0] = to_units(aspect.nominal) + np.rint(error * UNIT).astype(np.int64)
        else:
            top = float(aspect.max_mark)
            noisy = ability * top + rng.normal(0, 0.08 * top, (contestants, count))
            cents = np.clip(np.rint(noisy * 100), 0, max_units // 100).astype(np.int64)
            values[:, index, :count] = cents * 100
    return values


def mark_entries(scheme: MarkingScheme, ids: Sequence[Hashable], values: Int64Array) -> list[MarkEntry]:
    """The same marks as stored rows (what a service would load), for the pure-Decimal path."""
    rows = values.tolist()
    entries = []
    for c, contestant in enumerate(ids):
        for a, aspect in enumerate(scheme.aspects):
            for r in range(aspect.referee_count):
                entries.append(MarkEntry(contestant, aspect.code, f"R{r + 1}", from_units(rows[c][a][r])))
    return entries


def full_standings(
    scheme: MarkingScheme,
    ids: Sequence[Hashable],
    values: Int64Array,
    theory_units: Int64Array,
    completion_seconds: Int64Array,
) -> tuple[VectorStandings, list[Placed], list[AwardResult]]:
    standings = vectorised_standings(scheme, values, theory_units)
    placed = rank(rank_entries(ids, standings, theory_units, completion_seconds))
    return standings, placed, assign_awards(placed)


def _scenario(name: str, scheme: MarkingScheme, contestants: int, skip_pure: bool) -> None:
    rng = np.random.default_rng(SEED)
    ids = [f"C{i:04d}" for i in range(contestants)]
    values = random_values(scheme, contestants, rng)
    theory_units = (rng.integers(4000, 10001, size=contestants) * 100).astype(np.int64)
    completion_seconds = rng.integers(3 * 3600, 4 * 3600, size=contestants).astype(np.int64)
    mark_count = contestants * sum(a.referee_count for a in scheme.aspects)
    print(f"\n[{name}] {contestants:,} contestants × {len(scheme.aspects)} aspects = {mark_count:,} marks")

    # Loading stand-in: stored rows arrive as flat columns (contestant, aspect, referee, value) and are scattered
    # into the array; the database variant will fill these columns from one query.
    c_idx, a_idx, r_idx = np.nonzero(np.ones_like(values, dtype=np.bool_))
    keep = r_idx < np.array([a.referee_count for a in scheme.aspects])[a_idx]
    c_idx, a_idx, r_idx = c_idx[keep], a_idx[keep], r_idx[keep]
    flat = values[c_idx, a_idx, r_idx]
    started = time.perf_counter()
    loaded = np.zeros_like(values)
    loaded[c_idx, a_idx, r_idx] = flat
    standings, placed, awards = full_standings(scheme, ids, loaded, theory_units, completion_seconds)
    elapsed = time.perf_counter() - started
    print(f"full recompute: {elapsed:.2f} s (target < 1 s)  [array fill + marks + totals + ranking + awards]")
    medals = sum(1 for a in awards if a.award is not None)
    print(f"  leader {placed[0].contestant_id} {placed[0].total}; {medals} awards; last place {placed[-1].place}")

    if skip_pure:
        return
    entries = mark_entries(scheme, ids, values)
    theory = {ids[i]: from_units(int(t)) for i, t in enumerate(theory_units.tolist())}
    started = time.perf_counter()
    pure = compute_results(scheme, entries, theory)
    elapsed = time.perf_counter() - started
    same = all(pure[ids[i]].total == from_units(int(standings.total_cents[i]), 2) for i in range(contestants))
    print(f"pure-Decimal compute_results: {elapsed:.2f} s (reference; totals identical to vectorised: {same})")

    started = time.perf_counter()
    tally = SkillTally.from_marks(scheme, entries, theory)
    print(f"SkillTally load, one record per mark: {time.perf_counter() - started:.2f} s (reference)")
    rank_cache = {p.contestant_id: p.entry for p in placed}
    seconds = {ids[i]: int(s) for i, s in enumerate(completion_seconds.tolist())}
    target, aspect = ids[contestants // 2], scheme.aspects[0]
    new_value = aspect.max_mark if aspect.method is not MarkingMethod.WORLDSKILLS else Decimal(3)
    started = time.perf_counter()
    tally.record(target, aspect.code, "R1", new_value)
    updated = tally.result(target)
    mark_elapsed = time.perf_counter() - started
    rank_cache[target] = RankEntry(
        target, updated.total, timedelta(seconds=seconds[target]), updated.practical, updated.theory,
        updated.module_scores,
    )
    placed_again = rank(rank_cache.values())
    total_elapsed = time.perf_counter() - started
    print(
        f"incremental update: {mark_elapsed * 1000:.3f} ms for one mark (aspect + totals + result), "
        f"{total_elapsed * 1000:.1f} ms including re-ranking {len(placed_again):,} entries"
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--skip-pure", action="store_true", help="skip the pure-Decimal reference timings")
    parser.add_argument("--contestants", type=int, default=2000)
    args = parser.parse_args(argv)
    _scenario("5 referees on every aspect", heavy_scheme(), args.contestants, args.skip_pure)
    _scenario("mixed methods", mixed_scheme(), args.contestants, args.skip_pure)


if __name__ == "__main__":
    main()
