"""Marking schemes and random score sets for the tests that compare the vectorised standings with the pure
scoring functions (competitions.domain.standings against competitions.domain.scoring).

The benchmark in bench/ has its own, larger scenario; tests never import bench/. Scores here are uniform over
each aspect's valid range rather than a plausible ability model: for an equivalence test, odd combinations (wide
panel spreads, measurements far off nominal) matter more than realism.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from decimal import Decimal

import numpy as np

from competitions.domain.scoring import Aspect, MarkEntry, MarkingMethod, MarkingScheme, ToleranceBand
from competitions.domain.standings import UNIT, Int64Array, from_units, to_units

BANDS = (ToleranceBand(Decimal("0.02"), Decimal(0)), ToleranceBand(Decimal("0.05"), Decimal("0.5")))


def _scheme(methods: Sequence[MarkingMethod], referees: int, *, theory: bool) -> MarkingScheme:
    """Aspects of the given methods, modules of ten, maxima 2 and 1.5 so that they sum to 100 over 60 aspects."""
    aspects = []
    for i, method in enumerate(methods):
        tolerance = method is MarkingMethod.TOLERANCE
        judged = method in (MarkingMethod.PANEL, MarkingMethod.MEAN)
        aspects.append(Aspect(
            f"A{i + 1:02d}", Decimal(2) if i % 3 == 0 else Decimal("1.5"), method, module=f"M{i // 10 + 1}",
            referees=referees if judged else None, nominal=Decimal(25) if tolerance else None,
            bands=BANDS if tolerance else (),
        ))
    return MarkingScheme(tuple(aspects), theory_weight=Decimal("0.3") if theory else None)


def panels_scheme() -> MarkingScheme:
    """60 judgement aspects of five referees: two of every three Chinese panel, the third plain mean."""
    return _scheme([MarkingMethod.MEAN if i % 3 == 0 else MarkingMethod.PANEL for i in range(60)], 5, theory=True)


def every_method_scheme(*, theory: bool = True) -> MarkingScheme:
    """60 aspects, every method: 25 panel, 15 mean (5 referees), 10 WorldSkills (3), 5 tolerance, 5 full-or-zero."""
    methods = ([MarkingMethod.PANEL] * 25 + [MarkingMethod.MEAN] * 15 + [MarkingMethod.WORLDSKILLS] * 10
               + [MarkingMethod.TOLERANCE] * 5 + [MarkingMethod.FULL_OR_ZERO] * 5)
    return _scheme(methods, 5, theory=theory)


def random_marks(scheme: MarkingScheme, contestants: int, rng: np.random.Generator) -> Int64Array:
    """Valid scores in units of 0.0001, shape (contestants, aspects, most referees of an aspect)."""
    width = max(a.referee_count for a in scheme.aspects)
    values = np.zeros((contestants, len(scheme.aspects), width), dtype=np.int64)
    for index, aspect in enumerate(scheme.aspects):
        count = aspect.referee_count
        if aspect.method is MarkingMethod.WORLDSKILLS:
            values[:, index, :count] = rng.integers(0, 4, size=(contestants, count)) * UNIT
        elif aspect.method is MarkingMethod.FULL_OR_ZERO:
            values[:, index, 0] = rng.choice([0, to_units(aspect.max_mark)], size=contestants)
        elif aspect.method is MarkingMethod.TOLERANCE:
            assert aspect.nominal is not None
            values[:, index, 0] = to_units(aspect.nominal) + rng.integers(-800, 801, size=contestants)
        else:  # panel and mean: marks in hundredths from 0 to the maximum
            values[:, index, :count] = rng.integers(0, to_units(aspect.max_mark) // 100 + 1,
                                                    size=(contestants, count)) * 100
    return values


def mark_entries(scheme: MarkingScheme, ids: Sequence[Hashable], values: Int64Array) -> list[MarkEntry]:
    """The same scores as the rows a service would load, for the pure-Decimal path."""
    rows = values.tolist()
    return [
        MarkEntry(contestant, aspect.code, f"R{r + 1}", from_units(rows[c][a][r]))
        for c, contestant in enumerate(ids)
        for a, aspect in enumerate(scheme.aspects)
        for r in range(aspect.referee_count)
    ]
