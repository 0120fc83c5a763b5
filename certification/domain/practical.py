"""The practical assessment (操作技能考核) and the comprehensive review (综合评审) of a candidate (DESIGN.md
"Certification": Exam parts, Staff ratios; issue 12 item 8).

A scoring sheet (评分表) lists items with their maximum points; the candidate's assessors (考评员, an odd number
≥ 3) each score every item independently on a tablet; the item's mark aggregates their scores; the part's score
is the sum of the item marks. For 二级/技师 and 一级/高级技师 the comprehensive review is scored the same way by its
panel (评审组, odd ≥ 3) on a sheet of two items: the defence (答辩) and the work record (业绩评审).

Rules, and the choices where the issue and DESIGN.md are silent (each is tested):

- **A sheet totals exactly 100** (each part is out of 100), with at most two decimals per maximum; item codes are
  unique. A score is 0 … the item's maximum with at most two decimals.
- **Aggregation**: with three assessors, the mean of the three (dropping the highest and the lowest of three
  would leave one assessor's score, the median, and throw away two thirds of the panel); with five or more, drop
  the highest and the lowest and average the rest (去掉一个最高分和一个最低分取平均, the Chinese panel method
  competitions use). A sheet may fix `MEAN`, `TRIMMED_MEAN` or `MEDIAN` instead. Item marks keep four decimals
  (half up); the part's score is their sum rounded half up to one decimal, the same precision as the theory
  score, and that rounded score is what passes.
- **Divergence**: an item whose scores spread (highest − lowest) more than its tolerance is flagged for the chief
  assessor (考评组长). The tolerance is the item's own, or the sheet's share of the item's maximum (default 20%,
  as competitions' panel method). The chief either has the assessors re-score (the flag goes when the spread
  does), or confirms the scores as they stand with a reason; the mark is never typed in by the chief, so the
  panel's scores stay the only source. A confirmation names the scores it saw: if any score changes afterwards,
  it no longer applies and the item is flagged again.
- **Completeness**: every assessor scores every item; what is missing is listed as (assessor, item), in sheet and
  panel order. The score exists only when nothing is missing; it is final when, in addition, no flag is
  unconfirmed.
- **The review sheet** by default gives the defence 60 and the work record 40 (答辩与业绩评审; a standard may
  weight them otherwise: the sheet is data, it only has to keep those two items and total 100).
"""

from __future__ import annotations

import statistics
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from core.errors import RuleBroken

HUNDRED = Decimal(100)
MARK_QUANTUM = Decimal("0.0001")
SCORE_QUANTUM = Decimal("0.1")
DEFAULT_TOLERANCE_SHARE = Decimal("0.20")
MIN_PANEL = 3
DEFENCE = "defence"  # 答辩
WORK_RECORD = "work_record"  # 业绩评审

AssessorId = Hashable


class Aggregation(StrEnum):
    MEAN = "mean"  # 算术平均
    TRIMMED_MEAN = "trimmed_mean"  # 去掉最高最低取平均
    MEDIAN = "median"  # 中位数


@dataclass(frozen=True, slots=True)
class SheetItem:
    """One item of a scoring sheet (评分项): its code, title, maximum points and, optionally, its own tolerance
    for the assessors' spread."""

    code: str
    title: str
    max_points: Decimal
    tolerance: Decimal | None = None


@dataclass(frozen=True, slots=True)
class ScoringSheet:
    """A scoring sheet (评分表): its items, the default tolerance as a share of an item's maximum, and the
    aggregation (None: the mean for three assessors, the trimmed mean for five or more)."""

    items: tuple[SheetItem, ...]
    tolerance_share: Decimal = DEFAULT_TOLERANCE_SHARE
    aggregation: Aggregation | None = None

    @property
    def total(self) -> Decimal:
        return sum((i.max_points for i in self.items), Decimal(0))

    def item(self, code: str) -> SheetItem | None:
        return next((i for i in self.items if i.code == code), None)

    def tolerance_of(self, item: SheetItem) -> Decimal:
        return item.tolerance if item.tolerance is not None else item.max_points * self.tolerance_share


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def check_sheet(sheet: ScoringSheet) -> list[str]:
    """Every problem of a sheet (message codes of certification.errors), empty when it is sound."""
    problems = []
    if not sheet.items:
        return ["practical.sheet_empty"]
    if len({i.code for i in sheet.items}) != len(sheet.items) or any(not i.code.strip() for i in sheet.items):
        problems.append("practical.repeated_item")
    if any(not i.max_points.is_finite() or i.max_points <= 0 or _places(i.max_points) > 2 for i in sheet.items):
        problems.append("practical.bad_max")
    elif sheet.total != HUNDRED:
        problems.append("practical.total_not_100")
    if sheet.tolerance_share < 0 or any(i.tolerance is not None and i.tolerance < 0 for i in sheet.items):
        problems.append("practical.bad_tolerance")
    return problems


def review_sheet(defence: Decimal = Decimal(60), work_record: Decimal = Decimal(40),
                 tolerance_share: Decimal = DEFAULT_TOLERANCE_SHARE) -> ScoringSheet:
    """The comprehensive review's sheet (综合评审): the defence and the work record (module docstring)."""
    return ScoringSheet((SheetItem(DEFENCE, "答辩", defence), SheetItem(WORK_RECORD, "业绩评审", work_record)),
                        tolerance_share)


def check_review_sheet(sheet: ScoringSheet) -> list[str]:
    """A review sheet's problems: a sound sheet whose items are exactly the defence and the work record."""
    problems = check_sheet(sheet)
    if sorted(i.code for i in sheet.items) != sorted((DEFENCE, WORK_RECORD)):
        problems.append("practical.review_items")
    return problems


def panel_refusal(panel: Sequence[AssessorId]) -> RuleBroken | None:
    """Why a candidate's assessors (or review panel) cannot score, or None: an odd number ≥ 3, nobody twice."""
    if len(set(panel)) != len(panel) or len(panel) < MIN_PANEL or len(panel) % 2 == 0:
        return RuleBroken("practical.bad_panel", {"count": len(set(panel))},
                          "A candidate needs an odd number of at least 3 assessors, not {count}.")
    return None


def score_refusal(sheet: ScoringSheet, item_code: str, value: Decimal) -> RuleBroken | None:
    """Why an assessor's score of one item is refused, or None: a known item, 0 … its maximum, two decimals."""
    item = sheet.item(item_code)
    if item is None:
        return RuleBroken("practical.unknown_item", {"item": item_code}, "There is no item {item} on this sheet.")
    if not value.is_finite() or not 0 <= value <= item.max_points or _places(value) > 2:
        return RuleBroken("practical.bad_score", {"item": item.title, "max": item.max_points},
                          "The score of {item} must be between 0 and {max}, with at most two decimals.")
    return None


@dataclass(frozen=True, slots=True)
class Confirmation:
    """The chief assessor's confirmation of a divergent item's scores as they stand: the scores seen (sorted) and
    the reason."""

    item_code: str
    scores: tuple[Decimal, ...]
    reason: str


@dataclass(frozen=True, slots=True)
class ItemResult:
    code: str
    scores: tuple[Decimal | None, ...]  # in panel order; None: not scored yet
    mark: Decimal | None  # None until every assessor has scored
    spread: Decimal | None
    tolerance: Decimal
    divergent: bool
    confirmed: bool

    @property
    def flagged(self) -> bool:
        """Divergent and not (validly) confirmed: waiting for the chief assessor."""
        return self.divergent and not self.confirmed


@dataclass(frozen=True, slots=True)
class Assessment:
    """A candidate's sheet as it stands: every item's result, what is missing, the score when complete."""

    items: tuple[ItemResult, ...]
    missing: tuple[tuple[AssessorId, str], ...]
    score: Decimal | None
    aggregation: Aggregation
    flags: tuple[str, ...] = field(default=())

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def final(self) -> bool:
        return self.complete and not self.flags


def aggregation_for(sheet: ScoringSheet, panel_size: int) -> Aggregation:
    if sheet.aggregation is not None:
        return sheet.aggregation
    return Aggregation.MEAN if panel_size <= MIN_PANEL else Aggregation.TRIMMED_MEAN


def aggregate(scores: Sequence[Decimal], how: Aggregation) -> Decimal:
    """One item's mark from its complete scores (module docstring), four decimals half up."""
    ordered = sorted(scores)
    if how is Aggregation.TRIMMED_MEAN and len(ordered) >= MIN_PANEL:
        ordered = ordered[1:-1]
    if how is Aggregation.MEDIAN:
        value = statistics.median(ordered)
    else:
        value = sum(ordered, Decimal(0)) / len(ordered)
    return value.quantize(MARK_QUANTUM, rounding=ROUND_HALF_UP)


def confirmation_refusal(item: ItemResult, reason: str) -> RuleBroken | None:
    """Why the chief assessor may not confirm this item now, or None: only a complete, divergent item, with a
    reason."""
    if not reason.strip():
        return RuleBroken("practical.reason_required", {}, "Give the reason for confirming divergent scores.")
    if item.mark is None or not item.divergent:
        return RuleBroken("practical.nothing_to_confirm", {"item": item.code},
                          "Item {item} has no divergent complete scores to confirm.")
    return None


def assess(sheet: ScoringSheet, panel: Sequence[AssessorId], scores: Mapping[tuple[AssessorId, str], Decimal],
           confirmations: Mapping[str, Confirmation] | None = None) -> Assessment:
    """One candidate's sheet: item marks, flags, what is missing, the score (module docstring). `scores` maps
    (assessor, item code) to the score given; `confirmations` the chief assessor's, by item code."""
    refusal = panel_refusal(panel)
    if refusal is not None:
        raise refusal
    how = aggregation_for(sheet, len(panel))
    confirmed = confirmations or {}
    results = []
    missing: list[tuple[AssessorId, str]] = []
    for item in sheet.items:
        given = tuple(scores.get((assessor, item.code)) for assessor in panel)
        missing.extend((assessor, item.code) for assessor, s in zip(panel, given, strict=True) if s is None)
        tolerance = sheet.tolerance_of(item)
        complete = [s for s in given if s is not None]
        if len(complete) < len(panel):
            results.append(ItemResult(item.code, given, None, None, tolerance, False, False))
            continue
        spread = max(complete) - min(complete)
        divergent = spread > tolerance
        confirmation = confirmed.get(item.code)
        ok = (divergent and confirmation is not None and bool(confirmation.reason.strip())
              and tuple(sorted(confirmation.scores)) == tuple(sorted(complete)))
        results.append(ItemResult(item.code, given, aggregate(complete, how), spread, tolerance, divergent, ok))
    marks = [r.mark for r in results]
    score = None if missing else sum((m for m in marks if m is not None), Decimal(0)).quantize(
        SCORE_QUANTUM, rounding=ROUND_HALF_UP)
    return Assessment(tuple(results), tuple(missing), score, how, tuple(r.code for r in results if r.flagged))
