"""Awards of one skill and group from its ranking (DESIGN.md, "Competitions" → "Awards").

Rules, per event (data, `AwardRule`):

- Awards go by place (the rank after tie-breaks), so contestants sharing a place share its award. Nobody whose
  rounded total is below the rule's minimum total (default 60) gets any award; the places of the others do not
  move up (a silver place held by someone below the minimum is simply not awarded).
- *Places*: 金牌/银牌/铜牌 for places 1/2/3 (places 1, 1, 3 give two golds and a bronze, no silver); 优胜奖 for
  every further place p with 2p ≤ N, N the number of ranked entrants (everyone ranked counts, including those
  below the minimum; callers leave out no-shows before ranking).
- *Proportions*: n1, n2, n3 = 10%, 20%, 30% of N, each rounded half up, n1 at least 1 when N > 0; place ≤ n1 →
  一等奖, ≤ n1 + n2 → 二等奖, ≤ n1 + n2 + n3 → 三等奖. Ties across a boundary share the better award because the
  comparison is on places.

WorldSkills-style standardised score (optional, `ExcellenceBasis.STANDARDISED_SCORE`): over the rounded totals
x_1..x_N of the skill's ranked entrants, with mean μ = Σx/N and population standard deviation
σ = sqrt(Σ(x − μ)²/N),

    score = 700 + 100 × (x − μ) / σ,   rounded half up to a whole number;   σ = 0 → everyone 700.

700 is the centre, so the scale reads like WorldSkills' current results (their historical 500-centred scale is
the same transformation shifted by 200), and a standardised score ≥ 700 (at or above the skill's mean) earns the
Medallion for Excellence (优胜奖) for a contestant without a medal, still subject to the minimum total. Under this
basis the 2p ≤ N rule is not used; it applies to the *places* rule only.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from competitions.domain.ranking import Placed

DEFAULT_MIN_TOTAL = Decimal(60)
STANDARD_CENTRE = Decimal(700)
STANDARD_SPREAD = Decimal(100)
MEDALLION_THRESHOLD = 700


class AwardCode(StrEnum):
    """An award (奖项); `label_zh` is the wording of certificates and pages."""

    GOLD = "gold"
    SILVER = "silver"
    BRONZE = "bronze"
    EXCELLENCE = "excellence"
    FIRST_PRIZE = "first_prize"
    SECOND_PRIZE = "second_prize"
    THIRD_PRIZE = "third_prize"

    @property
    def label_zh(self) -> str:
        return _AWARD_LABELS[self]

    @property
    def is_medal(self) -> bool:
        return self in MEDALS


_AWARD_LABELS: dict[AwardCode, str] = {
    AwardCode.GOLD: "金牌",
    AwardCode.SILVER: "银牌",
    AwardCode.BRONZE: "铜牌",
    AwardCode.EXCELLENCE: "优胜奖",
    AwardCode.FIRST_PRIZE: "一等奖",
    AwardCode.SECOND_PRIZE: "二等奖",
    AwardCode.THIRD_PRIZE: "三等奖",
}

MEDALS = frozenset({AwardCode.GOLD, AwardCode.SILVER, AwardCode.BRONZE})
_MEDAL_BY_PLACE = {1: AwardCode.GOLD, 2: AwardCode.SILVER, 3: AwardCode.BRONZE}


class AwardRuleKind(StrEnum):
    PLACES = "places"
    PROPORTIONS = "proportions"


class ExcellenceBasis(StrEnum):
    """How the places rule gives 优胜奖 after the medals."""

    HALF_OF_ENTRANTS = "half_of_entrants"
    STANDARDISED_SCORE = "standardised_score"


@dataclass(frozen=True, slots=True)
class AwardRule:
    """An event's award rule (data). Shares are the proportions rule's n1, n2, n3 fractions of N."""

    kind: AwardRuleKind = AwardRuleKind.PLACES
    min_total: Decimal = DEFAULT_MIN_TOTAL
    shares: tuple[Decimal, Decimal, Decimal] = (Decimal("0.10"), Decimal("0.20"), Decimal("0.30"))
    excellence_basis: ExcellenceBasis = ExcellenceBasis.HALF_OF_ENTRANTS


@dataclass(frozen=True, slots=True)
class AwardResult:
    """One contestant's award (None: no award); `standardised_score` only under the standardised basis."""

    contestant_id: Hashable
    place: int
    total: Decimal
    award: AwardCode | None
    standardised_score: int | None = None


def proportion_counts(
    entrants: int, shares: tuple[Decimal, Decimal, Decimal] = AwardRule().shares
) -> tuple[int, int, int]:
    """n1, n2, n3 of the proportions rule: each share of N rounded half up, n1 at least 1 when N > 0 (DESIGN.md
    "Awards")."""
    counts = [int((share * entrants).quantize(Decimal(1), rounding=ROUND_HALF_UP)) for share in shares]
    if entrants > 0:
        counts[0] = max(counts[0], 1)
    return counts[0], counts[1], counts[2]


def standardised_scores(totals: Mapping[Hashable, Decimal]) -> dict[Hashable, int]:
    """700 + 100 × (x − mean) / population sd over the given totals, rounded half up; sd 0 gives 700 (module
    docstring; DESIGN.md "Awards": WorldSkills-style standardised score centred on 700)."""
    if not totals:
        return {}
    values = list(totals.values())
    count = Decimal(len(values))
    mean = sum(values, Decimal(0)) / count
    sd = (sum(((v - mean) ** 2 for v in values), Decimal(0)) / count).sqrt()
    if sd == 0:
        return dict.fromkeys(totals, int(STANDARD_CENTRE))
    return {
        contestant: int(
            (STANDARD_CENTRE + STANDARD_SPREAD * (value - mean) / sd).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        )
        for contestant, value in totals.items()
    }


def _places_award(place: int, entrants: int) -> AwardCode | None:
    if place in _MEDAL_BY_PLACE:
        return _MEDAL_BY_PLACE[place]
    return AwardCode.EXCELLENCE if 2 * place <= entrants else None


def _proportions_award(place: int, counts: tuple[int, int, int]) -> AwardCode | None:
    n1, n2, n3 = counts
    if place <= n1:
        return AwardCode.FIRST_PRIZE
    if place <= n1 + n2:
        return AwardCode.SECOND_PRIZE
    if place <= n1 + n2 + n3:
        return AwardCode.THIRD_PRIZE
    return None


def assign_awards(placed: Sequence[Placed], rule: AwardRule | None = None) -> list[AwardResult]:
    """The award of every ranked entrant of one skill and group, in ranking order (DESIGN.md "Awards"; the rules
    and the standardised score are in the module docstring)."""
    rule = rule or AwardRule()
    entrants = len(placed)
    counts = proportion_counts(entrants, rule.shares)
    use_standard = rule.kind is AwardRuleKind.PLACES and rule.excellence_basis is ExcellenceBasis.STANDARDISED_SCORE
    standard = standardised_scores({p.contestant_id: p.total for p in placed}) if use_standard else {}
    results: list[AwardResult] = []
    for item in placed:
        award: AwardCode | None
        score = standard.get(item.contestant_id)
        if rule.kind is AwardRuleKind.PROPORTIONS:
            award = _proportions_award(item.place, counts)
        elif score is not None:
            award = _MEDAL_BY_PLACE.get(item.place)
            if award is None and score >= MEDALLION_THRESHOLD:
                award = AwardCode.EXCELLENCE
        else:
            award = _places_award(item.place, entrants)
        if item.total < rule.min_total:
            award = None
        results.append(AwardResult(item.contestant_id, item.place, item.total, award, score))
    return results
