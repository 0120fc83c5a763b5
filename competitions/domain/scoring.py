"""Marking methods, mark validation and totals of one skill (DESIGN.md, "Competitions" → "Marking scheme",
"Ranking"; "Data flow of one mark").

Plain data in, plain data out: no Django, no ORM, no I/O. Services validate a referee's value with
`validate_mark`, store it, and keep the live standings with a `SkillTally`; a full recomputation from the stored
marks goes through `compute_results`. Both give identical results (a hypothesis test proves it).

Choices where DESIGN.md leaves room (each is tested):

- What a referee enters per method: full-or-zero → the awarded mark, 0 or the aspect maximum; tolerance → the
  measured value (the aspect holds the nominal value and the bands); WorldSkills judgement → an integer score
  0–3; panel and plain mean → a mark 0..max with at most two decimals (what score sheets carry; it also keeps the
  vectorised benchmark path exact).
- An aspect has a mark only when every referee it needs has scored; until then its mark is None and it adds
  nothing to the totals, so a live scoreboard shows provisional totals of the finished aspects.
- Divergence (WorldSkills: max − min > 1; panel and mean: max − min of the raw marks, before dropping any, above
  `divergence_threshold` × max) is judged on complete score sets only. A threshold of None switches it off.
- Aspect marks are rounded half up to 4 decimals per aspect; the practical total is their exact sum (4 decimals).
  With a theory part of weight w the total is theory × w + practical × (1 − w); a missing theory score counts as
  0 in the total (an absent candidate scores nothing) but stays None for the theory tie-break. The total is rounded
  half up to 2 decimals, and that rounded total ranks.
- A scheme without a theory part refuses theory scores instead of silently ignoring them.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from core.errors import RuleBroken

MARK_QUANTUM = Decimal("0.0001")
TOTAL_QUANTUM = Decimal("0.01")
RAW_MARK_PLACES = 2
ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
WORLDSKILLS_SCORES = frozenset(range(4))
WORLDSKILLS_REFEREES = 3
DEFAULT_DIVERGENCE_THRESHOLD = Decimal("0.20")

ContestantId = Hashable
RefereeId = Hashable
# Mapping is invariant in its key, so a dict[str, Decimal] of theory scores would not fit Mapping[Hashable, …].
TheoryScores = Mapping[Any, Decimal]


class MarkingMethod(StrEnum):
    """How an aspect is marked (评分方式)."""

    FULL_OR_ZERO = "full_or_zero"
    TOLERANCE = "tolerance"
    WORLDSKILLS = "worldskills"
    PANEL = "panel"
    MEAN = "mean"

    @property
    def label_zh(self) -> str:
        return _METHOD_LABELS[self]


_METHOD_LABELS: dict[MarkingMethod, str] = {
    MarkingMethod.FULL_OR_ZERO: "测量（全得或零分）",
    MarkingMethod.TOLERANCE: "测量（公差扣分）",
    MarkingMethod.WORLDSKILLS: "评价（世赛三人 0–3 分）",
    MarkingMethod.PANEL: "评价（去掉最高最低取平均）",
    MarkingMethod.MEAN: "评价（算术平均）",
}

_DEFAULT_REFEREES: dict[MarkingMethod, int] = {
    MarkingMethod.FULL_OR_ZERO: 1,
    MarkingMethod.TOLERANCE: 1,
    MarkingMethod.WORLDSKILLS: WORLDSKILLS_REFEREES,
    MarkingMethod.PANEL: 5,
    MarkingMethod.MEAN: 3,
}


def round_mark(value: Decimal) -> Decimal:
    """An aspect mark kept to four decimals, half up (DESIGN.md "Ranking": aspect marks keep four decimals)."""
    return value.quantize(MARK_QUANTUM, rounding=ROUND_HALF_UP)


def round_total(value: Decimal) -> Decimal:
    """A total rounded half up to two decimals; this rounded value ranks and is shown (DESIGN.md "Ranking")."""
    return value.quantize(TOTAL_QUANTUM, rounding=ROUND_HALF_UP)


def _places(value: Decimal) -> int:
    # Significant decimals only: "1.2500" from a form or a database column has two.
    exponent = value.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


@dataclass(frozen=True, slots=True)
class ToleranceBand:
    """One row of a tolerance/deduction table: |measured − nominal| ≤ tolerance costs `deduction` marks."""

    tolerance: Decimal
    deduction: Decimal


@dataclass(frozen=True, slots=True)
class Aspect:
    """One marked aspect (评分项) of a module (DESIGN.md "Marking scheme").

    `referees` is how many scores make a complete mark (None: the method's default: 1 for measurement, 3 for
    WorldSkills, 5 for panel, 3 for plain mean). `bands` must be in strictly increasing tolerance order.
    """

    code: str
    max_mark: Decimal
    method: MarkingMethod
    module: str = ""
    referees: int | None = None
    nominal: Decimal | None = None
    bands: tuple[ToleranceBand, ...] = ()
    divergence_threshold: Decimal | None = DEFAULT_DIVERGENCE_THRESHOLD

    def __post_init__(self) -> None:
        _check_aspect(self)

    @property
    def referee_count(self) -> int:
        return self.referees if self.referees is not None else _DEFAULT_REFEREES[self.method]


def _check_aspect(aspect: Aspect) -> None:
    params: dict[str, object] = {"aspect": aspect.code}
    if not aspect.max_mark.is_finite() or aspect.max_mark <= 0 or _places(aspect.max_mark) > 4:
        raise RuleBroken(
            "scheme.max_mark_invalid",
            {**params, "max": aspect.max_mark},
            "Aspect {aspect}: the maximum mark must be positive with at most 4 decimals, not {max}.",
        )
    count = aspect.referee_count
    allowed = {
        MarkingMethod.FULL_OR_ZERO: count == 1,
        MarkingMethod.TOLERANCE: count == 1,
        MarkingMethod.WORLDSKILLS: count == WORLDSKILLS_REFEREES,
        # Dropping the highest and the lowest needs at least one score left.
        MarkingMethod.PANEL: count >= 3,
        MarkingMethod.MEAN: count >= 1,
    }[aspect.method]
    if not allowed:
        raise RuleBroken(
            "scheme.referee_count_invalid",
            {**params, "method": str(aspect.method), "referees": count},
            "Aspect {aspect}: {referees} referees do not suit the {method} method.",
        )
    if aspect.method is MarkingMethod.TOLERANCE:
        tolerances = [band.tolerance for band in aspect.bands]
        if (
            aspect.nominal is None
            or not aspect.bands
            or any(t < 0 for t in tolerances)
            or any(b.deduction < 0 for b in aspect.bands)
            or any(a >= b for a, b in zip(tolerances, tolerances[1:], strict=False))
        ):
            raise RuleBroken(
                "scheme.tolerance_table_invalid",
                params,
                "Aspect {aspect}: a tolerance aspect needs a nominal value and bands of increasing tolerance.",
            )
    threshold = aspect.divergence_threshold
    if threshold is not None and not (ZERO <= threshold <= ONE):
        raise RuleBroken(
            "scheme.divergence_threshold_invalid",
            {**params, "threshold": threshold},
            "Aspect {aspect}: the divergence threshold must be a fraction between 0 and 1, not {threshold}.",
        )


@dataclass(frozen=True, slots=True)
class MarkingScheme:
    """The aspects of one skill in marking order, and the weight of the optional theory part (0 < w < 1)."""

    aspects: tuple[Aspect, ...]
    theory_weight: Decimal | None = None
    modules: tuple[str, ...] = field(init=False)
    _index: dict[str, int] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        index: dict[str, int] = {}
        for position, aspect in enumerate(self.aspects):
            if aspect.code in index:
                raise RuleBroken(
                    "scheme.duplicate_aspect", {"aspect": aspect.code}, "Aspect code {aspect} appears twice."
                )
            index[aspect.code] = position
        weight = self.theory_weight
        if weight is not None and not (ZERO < weight < ONE and _places(weight) <= 4):
            raise RuleBroken(
                "scheme.theory_weight_invalid",
                {"weight": weight},
                "The theory weight must lie strictly between 0 and 1 with at most 4 decimals, not {weight}.",
            )
        # Module order is the order in which modules first appear; the reverse-module tie-break relies on it.
        object.__setattr__(self, "modules", tuple(dict.fromkeys(a.module for a in self.aspects)))
        object.__setattr__(self, "_index", index)

    def aspect(self, code: str) -> Aspect:
        try:
            return self.aspects[self._index[code]]
        except KeyError:
            raise RuleBroken("mark.unknown_aspect", {"aspect": code}, "No aspect {aspect} in this scheme.") from None

    @property
    def practical_max(self) -> Decimal:
        return sum((a.max_mark for a in self.aspects), ZERO)


def scheme_errors(scheme: MarkingScheme) -> list[RuleBroken]:
    """Every reason a scheme may not be published: the practical part must total 100 (DESIGN.md "Marking
    scheme"). Structural errors are refused earlier, when the scheme is built."""
    total = scheme.practical_max
    if total == HUNDRED:
        return []
    message = "The aspect maxima add up to {total}, not 100."
    return [RuleBroken("scheme.practical_max_not_100", {"total": total}, message)]


# --- validation of one value ------------------------------------------------------------------------------------


def mark_error(aspect: Aspect, value: Decimal | int) -> RuleBroken | None:
    """Why `value` is not an acceptable entry for `aspect`, or None (DESIGN.md "Data flow of one mark": range and
    scheme checks). Codes: mark.not_a_number, mark.not_full_or_zero, mark.judgement_score_invalid,
    mark.out_of_range, mark.too_many_decimals."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        return RuleBroken("mark.not_a_number", {"value": value}, "{value} is not a number.")
    number = Decimal(value)
    if not number.is_finite():
        return RuleBroken("mark.not_a_number", {"value": value}, "{value} is not a number.")
    params: dict[str, object] = {"aspect": aspect.code, "value": number, "max": aspect.max_mark}
    method = aspect.method
    if method is MarkingMethod.TOLERANCE:
        return None
    if method is MarkingMethod.FULL_OR_ZERO:
        if number not in (ZERO, aspect.max_mark):
            return RuleBroken(
                "mark.not_full_or_zero", params, "Aspect {aspect} is marked {max} or 0, not {value}."
            )
        return None
    if method is MarkingMethod.WORLDSKILLS:
        if number != number.to_integral_value() or int(number) not in WORLDSKILLS_SCORES:
            return RuleBroken(
                "mark.judgement_score_invalid",
                {**params, "allowed": "0, 1, 2, 3"},
                "A judgement score is one of 0, 1, 2, 3, not {value}.",
            )
        return None
    if not (ZERO <= number <= aspect.max_mark):
        return RuleBroken("mark.out_of_range", {**params, "min": ZERO}, "Mark {value} is outside {min}..{max}.")
    if _places(number) > RAW_MARK_PLACES:
        return RuleBroken(
            "mark.too_many_decimals",
            {**params, "places": RAW_MARK_PLACES},
            "Mark {value} has more than {places} decimals.",
        )
    return None


def validate_mark(aspect: Aspect, value: Decimal | int) -> Decimal:
    """`value` as a Decimal when acceptable for `aspect`; raises the RuleBroken of `mark_error` otherwise."""
    error = mark_error(aspect, value)
    if error is not None:
        raise error
    return Decimal(value)


def validate_theory(value: Decimal | int) -> Decimal:
    """A theory score is 0–100 (DESIGN.md "Marking scheme": optional theory part 0–100); code theory.out_of_range."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int) or not Decimal(value).is_finite():
        raise RuleBroken("mark.not_a_number", {"value": value}, "{value} is not a number.")
    number = Decimal(value)
    if not (ZERO <= number <= HUNDRED) or _places(number) > 4:
        raise RuleBroken(
            "theory.out_of_range", {"value": number, "min": ZERO, "max": HUNDRED},
            "Theory score {value} is outside {min}..{max} or has more than 4 decimals.",
        )
    return number


# --- the marking methods ----------------------------------------------------------------------------------------


def full_or_zero_mark(max_mark: Decimal, value: Decimal) -> Decimal:
    """Measurement, full or zero: the mark is the maximum when met, else 0 (DESIGN.md "Marking scheme")."""
    return round_mark(max_mark if value == max_mark else ZERO)


def tolerance_mark(max_mark: Decimal, nominal: Decimal, bands: Sequence[ToleranceBand], measured: Decimal) -> Decimal:
    """Measurement by tolerance table: the first band (in increasing tolerance) with |measured − nominal| ≤
    tolerance deducts its `deduction` from the maximum; beyond the last band the mark is 0; never below 0
    (DESIGN.md "Marking scheme")."""
    deviation = abs(measured - nominal)
    for band in bands:
        if deviation <= band.tolerance:
            return round_mark(max(max_mark - band.deduction, ZERO))
    return round_mark(ZERO)


@dataclass(frozen=True, slots=True)
class ToleranceRow:
    """One line of a tolerance table as a referee reads it: a measured value within `low`..`high` (|measured −
    nominal| ≤ `tolerance`, and not within an earlier line) scores `mark` (the maximum less `deduction`). The last
    line of a table has no tolerance and no bounds: anything beyond the widest band scores 0."""

    tolerance: Decimal | None
    deduction: Decimal | None
    mark: Decimal
    low: Decimal | None
    high: Decimal | None


def tolerance_table(aspect: Aspect) -> tuple[ToleranceRow, ...]:
    """The tolerance table of a tolerance aspect as the marks it gives (DESIGN.md "Marking scheme": a measured value
    scored by a tolerance/deduction table): one line per band in increasing tolerance, with the measured range it
    covers (nominal ± tolerance) and its mark by `tolerance_mark` itself, then a last line for a value beyond the
    widest band (0). Empty for the other methods, which take no measured value."""
    if aspect.method is not MarkingMethod.TOLERANCE or aspect.nominal is None:
        return ()
    nominal = aspect.nominal
    rows = [
        ToleranceRow(band.tolerance, band.deduction,
                     tolerance_mark(aspect.max_mark, nominal, aspect.bands, nominal + band.tolerance),
                     nominal - band.tolerance, nominal + band.tolerance)
        for band in aspect.bands
    ]
    return (*rows, ToleranceRow(None, None, round_mark(ZERO), None, None))


def entered_mark(aspect: Aspect, value: Decimal) -> Decimal | None:
    """The mark one referee's value gives on its own: for the measurement methods, which one referee marks, the
    aspect's mark (full or zero; the tolerance table for a measured value); None for judgement, whose mark needs
    the whole panel. Lets the marking page say what a measured value scores the moment it is saved."""
    if aspect.method is MarkingMethod.FULL_OR_ZERO:
        return full_or_zero_mark(aspect.max_mark, value)
    if aspect.method is MarkingMethod.TOLERANCE and aspect.nominal is not None:
        return tolerance_mark(aspect.max_mark, aspect.nominal, aspect.bands, value)
    return None


def worldskills_mark(max_mark: Decimal, scores: Sequence[Decimal]) -> Decimal:
    """WorldSkills judgement: three referees score 0–3; mark = (sum ÷ 9) × max (DESIGN.md "Marking scheme").
    Multiplying first keeps the only division in one place, so the result is the exact rational rounded once."""
    return round_mark(sum(scores, ZERO) * max_mark / 9)


def worldskills_divergent(scores: Sequence[Decimal]) -> bool:
    """WorldSkills scores diverge when max − min > 1 (DESIGN.md "Marking scheme")."""
    return max(scores) - min(scores) > 1


def panel_mark(scores: Sequence[Decimal]) -> Decimal:
    """Chinese panel judgement: drop one highest and one lowest mark, average the rest (DESIGN.md "Marking
    scheme")."""
    kept = sorted(scores)[1:-1]
    return round_mark(sum(kept, ZERO) / len(kept))


def mean_mark(scores: Sequence[Decimal]) -> Decimal:
    """Plain mean of the referees' marks, the third judgement option (DESIGN.md "Marking scheme")."""
    return round_mark(sum(scores, ZERO) / len(scores))


def spread_divergent(scores: Sequence[Decimal], max_mark: Decimal, threshold: Decimal | None) -> bool:
    """Panel and mean marks diverge when max − min of the raw marks exceeds threshold × max (default 20%,
    configurable per aspect; DESIGN.md "Marking scheme"). None never diverges."""
    return threshold is not None and max(scores) - min(scores) > threshold * max_mark


@dataclass(frozen=True, slots=True)
class AspectResult:
    """The mark of one aspect for one contestant; `mark` is None until every referee has scored."""

    aspect_code: str
    mark: Decimal | None
    divergent: bool
    scores_received: int


def _score_values(aspect: Aspect, scores: Sequence[Decimal]) -> AspectResult:
    # Values are validated on entry; this is the O(referees) step the tally repeats on every change.
    if len(scores) < aspect.referee_count:
        return AspectResult(aspect.code, None, False, len(scores))
    method = aspect.method
    divergent = False
    if method is MarkingMethod.FULL_OR_ZERO:
        mark = full_or_zero_mark(aspect.max_mark, scores[0])
    elif method is MarkingMethod.TOLERANCE:
        assert aspect.nominal is not None  # noqa: S101 - enforced by _check_aspect; narrows the type
        mark = tolerance_mark(aspect.max_mark, aspect.nominal, aspect.bands, scores[0])
    elif method is MarkingMethod.WORLDSKILLS:
        mark = worldskills_mark(aspect.max_mark, scores)
        divergent = worldskills_divergent(scores)
    else:
        mark = panel_mark(scores) if method is MarkingMethod.PANEL else mean_mark(scores)
        divergent = spread_divergent(scores, aspect.max_mark, aspect.divergence_threshold)
    return AspectResult(aspect.code, mark, divergent, len(scores))


def score_aspect(aspect: Aspect, scores: Sequence[Decimal | int]) -> AspectResult:
    """The mark of `aspect` from the scores of its referees, by the aspect's method (DESIGN.md "Marking scheme").
    Fewer scores than referees give no mark yet; more are refused (mark.too_many_referees)."""
    if len(scores) > aspect.referee_count:
        raise RuleBroken(
            "mark.too_many_referees",
            {"aspect": aspect.code, "referees": aspect.referee_count, "received": len(scores)},
            "Aspect {aspect} takes {referees} scores, not {received}.",
        )
    return _score_values(aspect, [validate_mark(aspect, s) for s in scores])


def overall_total(practical: Decimal, theory: Decimal | None, theory_weight: Decimal | None) -> Decimal:
    """The ranking total: practical alone, or theory × w + practical × (1 − w) with a missing theory counted as 0;
    rounded half up to two decimals (DESIGN.md "Marking scheme" and "Ranking")."""
    if theory_weight is None:
        return round_total(practical)
    return round_total((theory or ZERO) * theory_weight + practical * (ONE - theory_weight))


@dataclass(frozen=True, slots=True)
class MarkEntry:
    """One stored mark: what `referee_id` entered for `aspect_code` of `contestant_id` (工位号 or its entry id)."""

    contestant_id: ContestantId
    aspect_code: str
    referee_id: RefereeId
    value: Decimal


@dataclass(frozen=True, slots=True)
class ContestantResult:
    """Everything the standings need about one contestant (DESIGN.md "Ranking").

    `practical` and `module_scores` keep four decimals; `total` is rounded to two and ranks; `aspects` follows
    the scheme's order; `divergent_aspects` blocks sign-off until resolved.
    """

    contestant_id: ContestantId
    practical: Decimal
    theory: Decimal | None
    total: Decimal
    module_scores: tuple[Decimal, ...]
    aspects: tuple[AspectResult, ...]
    divergent_aspects: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return all(a.mark is not None for a in self.aspects)


def _no_theory_part() -> RuleBroken:
    return RuleBroken("theory.not_in_scheme", {}, "This skill has no theory part.")


def compute_results(
    scheme: MarkingScheme,
    marks: Iterable[MarkEntry],
    theory: TheoryScores | None = None,
    contestant_ids: Iterable[ContestantId] = (),
) -> dict[ContestantId, ContestantResult]:
    """All contestants' results from scratch: each aspect by its method, then module sums, the practical total
    and the ranking total (DESIGN.md "Marking scheme", "Ranking"; "standings are derived from marks").

    `contestant_ids` adds contestants without marks (they total 0). A referee appearing twice for one aspect and
    contestant is refused (mark.duplicate): a recomputation takes the current marks only.
    """
    theory = dict(theory or {})
    if theory and scheme.theory_weight is None:
        raise _no_theory_part()
    grouped: dict[ContestantId, dict[str, dict[RefereeId, Decimal]]] = {c: {} for c in contestant_ids}
    for entry in marks:
        aspect = scheme.aspect(entry.aspect_code)
        by_referee = grouped.setdefault(entry.contestant_id, {}).setdefault(aspect.code, {})
        if entry.referee_id in by_referee:
            raise RuleBroken(
                "mark.duplicate",
                {"contestant": entry.contestant_id, "aspect": aspect.code, "referee": entry.referee_id},
                "Referee {referee} has two marks for aspect {aspect} of {contestant}.",
            )
        if len(by_referee) >= aspect.referee_count:
            raise _too_many(aspect)
        by_referee[entry.referee_id] = validate_mark(aspect, entry.value)
    for contestant in theory:
        grouped.setdefault(contestant, {})
    results: dict[ContestantId, ContestantResult] = {}
    module_position = {module: i for i, module in enumerate(scheme.modules)}
    for contestant, by_aspect in grouped.items():
        aspect_results = tuple(_score_values(a, list(by_aspect.get(a.code, {}).values())) for a in scheme.aspects)
        modules = [ZERO] * len(scheme.modules)
        for aspect, result in zip(scheme.aspects, aspect_results, strict=True):
            if result.mark is not None:
                modules[module_position[aspect.module]] += result.mark
        practical = sum(modules, ZERO)
        theory_score = validate_theory(theory[contestant]) if contestant in theory else None
        results[contestant] = ContestantResult(
            contestant_id=contestant,
            practical=practical,
            theory=theory_score,
            total=overall_total(practical, theory_score, scheme.theory_weight),
            module_scores=tuple(modules),
            aspects=aspect_results,
            divergent_aspects=tuple(r.aspect_code for r in aspect_results if r.divergent),
        )
    return results


def _too_many(aspect: Aspect) -> RuleBroken:
    return RuleBroken(
        "mark.too_many_referees",
        {"aspect": aspect.code, "referees": aspect.referee_count},
        "Aspect {aspect} already has its {referees} scores.",
    )


class SkillTally:
    """Live per-contestant, per-aspect marks and totals of one skill, updated incrementally (DESIGN.md "Data flow
    of one mark": standings are derived from marks by the pure scoring functions).

    Recording or withdrawing one mark rescores that aspect from its referees' values (O(referees)) and moves
    the contestant's module and practical sums by the difference. Decimal sums of four-decimal marks are exact,
    so the running totals equal `compute_results` on the same marks, whatever the order of changes.
    """

    __slots__ = ("scheme", "_scores", "_results", "_modules", "_practical", "_divergent", "_theory",
                 "_module_of")

    def __init__(self, scheme: MarkingScheme) -> None:
        self.scheme = scheme
        self._scores: dict[tuple[ContestantId, str], dict[RefereeId, Decimal]] = {}
        self._results: dict[tuple[ContestantId, str], AspectResult] = {}
        self._modules: dict[ContestantId, list[Decimal]] = {}
        self._practical: dict[ContestantId, Decimal] = {}
        self._divergent: dict[ContestantId, set[str]] = {}
        self._theory: dict[ContestantId, Decimal] = {}
        positions = {module: i for i, module in enumerate(scheme.modules)}
        self._module_of = {a.code: positions[a.module] for a in scheme.aspects}

    @classmethod
    def from_marks(
        cls,
        scheme: MarkingScheme,
        marks: Iterable[MarkEntry],
        theory: TheoryScores | None = None,
    ) -> SkillTally:
        """A tally loaded with stored marks, one `record` each."""
        tally = cls(scheme)
        for entry in marks:
            tally.record(entry.contestant_id, entry.aspect_code, entry.referee_id, entry.value)
        for contestant, score in (theory or {}).items():
            tally.set_theory(contestant, score)
        return tally

    @property
    def contestants(self) -> tuple[ContestantId, ...]:
        return tuple(self._practical)

    def add_contestant(self, contestant_id: ContestantId) -> None:
        """Make a contestant without marks appear in the standings (total 0)."""
        if contestant_id not in self._practical:
            self._practical[contestant_id] = ZERO
            self._modules[contestant_id] = [ZERO] * len(self.scheme.modules)
            self._divergent[contestant_id] = set()

    def record(
        self, contestant_id: ContestantId, aspect_code: str, referee_id: RefereeId, value: Decimal | int
    ) -> AspectResult:
        """Enter or change one referee's value; returns the aspect's new result. Raises the RuleBroken of
        `mark_error`, or mark.too_many_referees when the aspect already has all its referees' scores."""
        aspect = self.scheme.aspect(aspect_code)
        number = validate_mark(aspect, value)
        scores = self._scores.setdefault((contestant_id, aspect_code), {})
        if referee_id not in scores and len(scores) >= aspect.referee_count:
            raise _too_many(aspect)
        scores[referee_id] = number
        return self._rescore(contestant_id, aspect)

    def withdraw(self, contestant_id: ContestantId, aspect_code: str, referee_id: RefereeId) -> AspectResult:
        """Remove one referee's value (a mark sent back for re-scoring); unknown values are ignored."""
        aspect = self.scheme.aspect(aspect_code)
        self._scores.get((contestant_id, aspect_code), {}).pop(referee_id, None)
        return self._rescore(contestant_id, aspect)

    def set_theory(self, contestant_id: ContestantId, score: Decimal | int | None) -> None:
        """Enter, change or clear (None) the theory score; refused when the skill has no theory part."""
        if self.scheme.theory_weight is None:
            raise _no_theory_part()
        self.add_contestant(contestant_id)
        if score is None:
            self._theory.pop(contestant_id, None)
        else:
            self._theory[contestant_id] = validate_theory(score)

    def _rescore(self, contestant_id: ContestantId, aspect: Aspect) -> AspectResult:
        self.add_contestant(contestant_id)
        key = (contestant_id, aspect.code)
        new = _score_values(aspect, list(self._scores.get(key, {}).values()))
        old = self._results.get(key)
        delta = (new.mark or ZERO) - ((old.mark if old else None) or ZERO)
        self._results[key] = new
        self._practical[contestant_id] += delta
        self._modules[contestant_id][self._module_of[aspect.code]] += delta
        if new.divergent:
            self._divergent[contestant_id].add(aspect.code)
        else:
            self._divergent[contestant_id].discard(aspect.code)
        return new

    def aspect(self, contestant_id: ContestantId, aspect_code: str) -> AspectResult:
        """The current result of one aspect (no mark and no scores when nobody has scored it)."""
        self.scheme.aspect(aspect_code)
        return self._results.get((contestant_id, aspect_code), AspectResult(aspect_code, None, False, 0))

    def practical(self, contestant_id: ContestantId) -> Decimal:
        return self._practical.get(contestant_id, ZERO)

    def total(self, contestant_id: ContestantId) -> Decimal:
        """The ranking total (two decimals) in O(1)."""
        return overall_total(self.practical(contestant_id), self._theory.get(contestant_id), self.scheme.theory_weight)

    def result(self, contestant_id: ContestantId) -> ContestantResult:
        """The full result of one contestant, in the same shape `compute_results` returns."""
        self.add_contestant(contestant_id)
        divergent = self._divergent[contestant_id]
        return ContestantResult(
            contestant_id=contestant_id,
            practical=self._practical[contestant_id],
            theory=self._theory.get(contestant_id),
            total=self.total(contestant_id),
            module_scores=tuple(self._modules[contestant_id]),
            aspects=tuple(self.aspect(contestant_id, a.code) for a in self.scheme.aspects),
            divergent_aspects=tuple(a.code for a in self.scheme.aspects if a.code in divergent),
        )

    def results(self) -> dict[ContestantId, ContestantResult]:
        return {c: self.result(c) for c in self._practical}
