"""Matching the talent pool to a demand post (DESIGN.md "Talent pool" → "Match score"; issue 14 item 6).

Plain data in, plain data out: a `TalentIndex` is built once from columns (or, for tests and small pools, from
`TalentRow`s) and a `PostQuery` is ranked against it. Everything is numpy over columns; no Python loop runs over
(talent, post) pairs.

The score of a talent for a post is the weighted sum of seven factors, each in [0, 1], with the `Weights`
normalised to sum 1 (so the score is in [0, 1] too):
- **occupation** (`occupation`): the talent's occupation against the post's: same code 1, same 小类 (`X-XX-XX`)
  0.6, same 中类 (`X-XX`) 0.3. A talent who holds nothing in the post's 中类 is **not a candidate** (they would score
  0 on occupation, and a welder's post is not filled from the pool's cooks however senior): the index groups the
  holdings by 中类 with offsets, so a post reads only its own 中类's slice.
- **skills** (`skills`): the share of the post's skill points the talent holds. The must-have points are a hard
  filter (a talent missing one is not a candidate); they count in the share like the others. A post that names
  no skill point scores everyone 1 (nothing asked, nothing missing). A point the post asks at a rung is held
  when the talent declares it at that rung or above, or without a rung (people often list a skill without
  grading it; their occupation's level is judged by the level factor); declared below the rung, it is not held.
- **level** (`level`): on the ladder rung of the holding, 0–7 with higher more senior, i.e.
  `certification.domain.ladder.Rung` minus one: 学徒工 0, 五级 1, 四级 2, 三级 3, 二级/技师 4, 一级/高级技师 5,
  特级技师 6, 首席技师 7 (`rung_of`). At or above the required rung 1, one rung below 0.5, else 0; a post that
  requires no level scores everyone 1.
- **experience** (`experience`): years ÷ required years, at most 1; a post requiring 0 years scores everyone 1.
- **education** (`education`): 1 when the talent's education rank is at least the required one (ranks are the
  caller's ordinal scale, higher is more), else 0; no requirement scores everyone 1.
- **place** (`place`): same city as the post 1, elsewhere in the province (or city unknown) 0.5; a post that names
  no city scores everyone 1. `same_city_only` turns the place into a filter.
- **awards** (`awards`): the talent's best award: national medal 1, provincial medal 0.7, 技术能手 title 0.5,
  city medal 0.4, none 0 (`AwardKind`; the caller passes the best one).

Choices where DESIGN.md is silent (tested in tests/talentpool/test_matching.py):
- **Several holdings**: a talent may hold several (occupation, level) pairs; the one holding that gives the best
  `w_occupation·occupation + w_level·level` counts for both factors (a 三级 welder who is also a 一级 riveter is
  judged, for a riveting post, as the riveter), ties going to the higher occupation factor, then the lower code.
- **Hard filters**: open to offers (talents who are not are left out of the index's holdings altogether), the
  must-have skill points, and the optional same-city filter.
- **Tie order**: score descending, then talent id ascending, so the same pool and post always give the same
  ranking; ranks are 1..n over the candidates, without gaps or shared ranks.
- **What would lift the rank** (`Lift`): for each factor below 1 that the talent could improve, the score and
  rank they would reach with that one change, all else equal, among the same candidates: `level+1` (one rung up
  on the counted holding), `occupation=post` (holding the post's own code at the counted holding's rung),
  `skills+1` (one more of the post's points), `experience=required`, `education=required`, `place=city` (working
  in the post's city) and `award+1` (one step up the award scale above). A lift is listed only when it raises the
  score. Its rank is a count of the candidates scoring above the new score (with the tie rule), never a re-sort.
- **Numbers**: factor values and the total are float64, summed in one fixed order (`_total`), so a plain Python
  reference computing talent by talent gets the very same floats.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from enum import IntEnum
from typing import Any

import numpy as np
import numpy.typing as npt

from certification.domain.catalogue import parse_occupation_code
from certification.domain.ladder import Rung
from core.errors import RuleBroken

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

TOP_RUNG = 7
FACTORS: tuple[str, ...] = ("occupation", "skills", "level", "experience", "education", "place", "awards")
OCCUPATION_SAME, OCCUPATION_MINOR, OCCUPATION_MIDDLE = 1.0, 0.6, 0.3
LEVEL_ONE_BELOW = 0.5
PLACE_ELSEWHERE = 0.5


class AwardKind(IntEnum):
    """A talent's best award, in the order of its factor value (DESIGN.md "Match score" → awards)."""

    NONE = 0
    CITY = 1  # 市级竞赛奖牌 0.4
    TITLE = 2  # 技术能手等称号 0.5
    PROVINCIAL = 3  # 省级竞赛奖牌 0.7
    NATIONAL = 4  # 国家级（国赛、世赛选拔）奖牌 1


AWARD_VALUES: FloatArray = np.array([0.0, 0.4, 0.5, 0.7, 1.0], dtype=np.float64)


def rung_of(rung: Rung) -> int:
    """The matching level (0–7, higher is more senior) of a rung of the certification ladder (1–8)."""
    return int(rung) - 1


def encode_occupation(code: str) -> int:
    """An occupation code `X-XX-XX-XX` as one integer (6-18-02-04 → 6180204): `// 10_000` is its 中类 and `// 100`
    its 小类, so the index compares prefixes with integer arithmetic. Refuses what is not a code
    (`catalogue.bad_code`)."""
    return int(parse_occupation_code(code).code.replace("-", ""))


def decode_occupation(number: int) -> str:
    """The code `X-XX-XX-XX` of an integer made by `encode_occupation`."""
    digits = f"{number:07d}"
    return f"{digits[0]}-{digits[1:3]}-{digits[3:5]}-{digits[5:7]}"


@dataclass(frozen=True, slots=True)
class Weights:
    """The weight of each factor (defaults are data: DESIGN.md "Default weights are data"; a post may override
    them). Any non-negative numbers with a positive sum: scoring uses them `normalised()` to sum 1.

    The defaults put half the weight on what the person can do for this post (occupation 0.25, the post's skill
    points 0.25), then the level (0.15), and spread the rest over experience, place and awards (0.10 each) and
    education (0.05, the least: for skilled trades a certificate level says more than a diploma)."""

    occupation: float = 0.25
    skills: float = 0.25
    level: float = 0.15
    experience: float = 0.10
    education: float = 0.05
    place: float = 0.10
    awards: float = 0.10

    def normalised(self) -> Weights:
        """These weights scaled to sum 1; refuses a negative or non-finite weight and an all-zero set
        (`matching.bad_weights`)."""
        values = [float(getattr(self, f.name)) for f in fields(self)]
        if any(not np.isfinite(v) or v < 0 for v in values) or sum(values) <= 0:
            raise RuleBroken("match.bad_weights", {}, "Weights must be non-negative with a positive sum.")
        total = sum(values)
        return Weights(*(v / total for v in values))

    def of(self, factor: str) -> float:
        return float(getattr(self, factor))


DEFAULT_WEIGHTS = Weights()


@dataclass(frozen=True, slots=True)
class Holding:
    """One occupation a talent holds (`X-XX-XX-XX`) at a ladder rung 0–7 (`rung_of`)."""

    occupation: str
    rung: int


@dataclass(frozen=True, slots=True)
class TalentRow:
    """One talent as plain data (the tests' and small pools' way in; large pools come in as columns)."""

    talent_id: int
    holdings: tuple[Holding, ...]
    city: str | None = None
    open_to_offers: bool = True
    education: int = 0
    years: float = 0.0
    award: AwardKind = AwardKind.NONE
    skill_points: frozenset[str] = frozenset()
    skill_rungs: Mapping[str, int] = field(default_factory=dict)  # the rung declared for a point, when one is


@dataclass(frozen=True, slots=True)
class PostQuery:
    """What a demand post asks: its occupation, skill points (with the must-have ones, a subset), the required
    rung / education rank / years (None or 0: no requirement), its city, and optionally its own weights."""

    occupation: str
    skill_points: tuple[str, ...] = ()
    must_have: frozenset[str] = frozenset()
    skill_rungs: Mapping[str, int] = field(default_factory=dict)  # the rung a point is asked at, when one is
    required_rung: int | None = None
    required_education: int | None = None
    required_years: float = 0.0
    city: str | None = None
    same_city_only: bool = False
    weights: Weights | None = None


@dataclass(frozen=True, slots=True)
class FactorExplanation:
    """One factor of a match: its code (`FACTORS`), its value in [0, 1], its normalised weight and value × weight."""

    code: str
    value: float
    weight: float
    contribution: float


@dataclass(frozen=True, slots=True)
class Lift:
    """What one change would do: `factor` improved by `change` gives `new_score`, ranked `new_rank`."""

    factor: str
    change: str
    new_score: float
    new_rank: int


@dataclass(frozen=True, slots=True)
class Match:
    """A candidate's place for a post: rank among `candidates`, score, the holding that counted, each factor, and
    the lifts sorted by the rank they reach (best first)."""

    talent_id: int
    score: float
    rank: int
    candidates: int
    occupation: str
    rung: int
    skill_points_held: int
    factors: tuple[FactorExplanation, ...]
    lifts: tuple[Lift, ...] = field(default=())

    def factor(self, code: str) -> FactorExplanation:
        return next(f for f in self.factors if f.code == code)


def _level_factor(rung: Any, required: int | None) -> Any:
    if required is None:
        return np.ones_like(rung, dtype=np.float64) if isinstance(rung, np.ndarray) else 1.0
    r = np.asarray(rung, dtype=np.int64)
    out = np.where(r >= required, 1.0, np.where(r == required - 1, LEVEL_ONE_BELOW, 0.0))
    return out if isinstance(rung, np.ndarray) else float(out)


def _occupation_factor(codes: Any, post_code: int) -> Any:
    c = np.asarray(codes, dtype=np.int64)
    out = np.where(c == post_code, OCCUPATION_SAME, np.where(c // 100 == post_code // 100, OCCUPATION_MINOR,
                                                              np.where(c // 10_000 == post_code // 10_000,
                                                                       OCCUPATION_MIDDLE, 0.0)))
    return out if isinstance(codes, np.ndarray) else float(out)


def _total(best: Any, skills: Any, experience: Any, education: Any, place: Any, awards: Any, w: Weights) -> Any:
    """The score from the occupation+level contribution and the other factor values, in one fixed order."""
    return (best + w.skills * skills + w.experience * experience + w.education * education + w.place * place
            + w.awards * awards)


def _check_rung(rung: int, what: str) -> None:
    if not 0 <= rung <= TOP_RUNG:
        raise RuleBroken("match.bad_rung", {"value": rung, "what": what},
                         "{what}: level {value} is not a rung 0–7 of the ladder.")


class TalentIndex:
    """The pool as columns, built once per pool version and shared by every post's ranking.

    Talents are rows sorted by talent id (so row order is the tie order). Holdings of talents open to offers are
    sorted by (中类, row, code) with one offset pair per 中类: a post reads one contiguous slice and finds each
    talent's holdings in it as a run. Skill points are posting lists (the sorted rows holding each point), so a
    post's must-have filter and coverage are binary searches of its candidates in a few lists.
    """

    def __init__(self, *, talent_ids: IntArray, city: npt.NDArray[np.int16], cities: tuple[str, ...],
                 open_to_offers: npt.NDArray[np.bool_], education: npt.NDArray[np.int16], years: FloatArray,
                 award: npt.NDArray[np.int8], h_code: npt.NDArray[np.int32], h_rung: npt.NDArray[np.int8],
                 h_row: npt.NDArray[np.int32], middles: IntArray, middle_offsets: IntArray,
                 skill_points: tuple[str, ...], postings: npt.NDArray[np.int32], posting_rungs: npt.NDArray[np.int8],
                 posting_offsets: IntArray, version: int) -> None:
        self.talent_ids = talent_ids
        self.city = city
        self.cities = cities
        self.city_number = {c: i for i, c in enumerate(cities)}
        self.open_to_offers = open_to_offers
        self.education = education
        self.years = years
        self.award = award
        self.h_code, self.h_rung, self.h_row = h_code, h_rung, h_row
        self.middles, self.middle_offsets = middles, middle_offsets
        self.skill_points = skill_points
        self.skill_number = {s: i for i, s in enumerate(skill_points)}
        self.postings, self.posting_rungs, self.posting_offsets = postings, posting_rungs, posting_offsets
        self.version = version

    def __len__(self) -> int:
        return int(self.talent_ids.size)

    @property
    def nbytes(self) -> int:
        """The bytes of the index's arrays (the vocabularies' Python strings are not counted)."""
        arrays = (self.talent_ids, self.city, self.open_to_offers, self.education, self.years, self.award,
                  self.h_code, self.h_rung, self.h_row, self.middles, self.middle_offsets, self.postings,
                  self.posting_rungs, self.posting_offsets)
        return sum(int(a.nbytes) for a in arrays)

    @classmethod
    def from_columns(
        cls, *, talent_ids: npt.ArrayLike, city: npt.ArrayLike, cities: Sequence[str], open_to_offers: npt.ArrayLike,
        education: npt.ArrayLike, years: npt.ArrayLike, award: npt.ArrayLike, holding_talent: npt.ArrayLike,
        holding_occupation: npt.ArrayLike, holding_rung: npt.ArrayLike, skill_talent: npt.ArrayLike,
        skill_point: npt.ArrayLike, skill_points: Sequence[str], skill_rung: npt.ArrayLike | None = None,
        version: int = 0,
    ) -> TalentIndex:
        """The index of a pool given as columns: per talent (position i) its id, city number (an index into
        `cities`, -1 unknown), open flag, education rank, years and best `AwardKind`; per holding the position of its
        talent, its occupation as `encode_occupation` makes it and its rung 0–7; per held skill point the position of
        its talent, the point's index into `skill_points` and optionally the rung declared (-1: none). Refuses a
        repeated talent id, a rung outside 0–7 and an award outside `AwardKind` (`match.*`)."""
        ids = np.asarray(talent_ids, dtype=np.int64)
        order = np.argsort(ids, kind="stable")
        ids = ids[order]
        if ids.size and np.any(ids[1:] == ids[:-1]):
            raise RuleBroken("match.repeated_talent", {}, "A talent appears twice in the pool.")
        new_row = np.empty(ids.size, dtype=np.int64)
        new_row[order] = np.arange(ids.size)

        awards = np.asarray(award, dtype=np.int64)[order]
        if awards.size and (awards.min() < 0 or awards.max() > AwardKind.NATIONAL):
            raise RuleBroken("match.bad_award", {}, "An award is not one of the award kinds.")
        open_ = np.asarray(open_to_offers, dtype=np.bool_)[order]

        h_talent = new_row[np.asarray(holding_talent, dtype=np.int64)]
        h_code = np.asarray(holding_occupation, dtype=np.int64)
        h_rung = np.asarray(holding_rung, dtype=np.int64)
        if h_rung.size and (h_rung.min() < 0 or h_rung.max() > TOP_RUNG):
            bad = int(h_rung[(h_rung < 0) | (h_rung > TOP_RUNG)][0])
            _check_rung(bad, "holding")
        keep = open_[h_talent]
        h_talent, h_code, h_rung = h_talent[keep], h_code[keep], h_rung[keep]
        h_middle = h_code // 10_000
        h_order = np.lexsort((h_code, h_talent, h_middle))
        h_talent, h_code, h_rung, h_middle = h_talent[h_order], h_code[h_order], h_rung[h_order], h_middle[h_order]
        middles, starts = np.unique(h_middle, return_index=True)
        middle_offsets = np.append(starts, h_middle.size).astype(np.int64)

        s_talent = new_row[np.asarray(skill_talent, dtype=np.int64)]
        s_point = np.asarray(skill_point, dtype=np.int64)
        s_rung = (np.full(s_point.size, -1, dtype=np.int64) if skill_rung is None
                  else np.asarray(skill_rung, dtype=np.int64))
        if s_rung.size and s_rung.max() > TOP_RUNG:
            _check_rung(int(s_rung.max()), "skill point")
        keep = open_[s_talent]
        s_talent, s_point, s_rung = s_talent[keep], s_point[keep], np.maximum(s_rung[keep], -1)
        # A point declared twice keeps its highest rung (an unstated rung, -1, sorts first and loses).
        s_order = np.lexsort((-s_rung, s_talent, s_point))
        s_talent, s_point, s_rung = s_talent[s_order], s_point[s_order], s_rung[s_order]
        if s_talent.size:
            fresh = np.r_[True, (s_talent[1:] != s_talent[:-1]) | (s_point[1:] != s_point[:-1])]
            s_talent, s_point, s_rung = s_talent[fresh], s_point[fresh], s_rung[fresh]
        posting_offsets = np.searchsorted(s_point, np.arange(len(skill_points) + 1)).astype(np.int64)

        return cls(
            talent_ids=ids, city=np.asarray(city, dtype=np.int16)[order], cities=tuple(cities),
            open_to_offers=open_, education=np.asarray(education, dtype=np.int16)[order],
            years=np.asarray(years, dtype=np.float64)[order], award=awards.astype(np.int8),
            h_code=h_code.astype(np.int32), h_rung=h_rung.astype(np.int8), h_row=h_talent.astype(np.int32),
            middles=middles.astype(np.int64), middle_offsets=middle_offsets, skill_points=tuple(skill_points),
            postings=s_talent.astype(np.int32), posting_rungs=s_rung.astype(np.int8), posting_offsets=posting_offsets,
            version=version,
        )

    @classmethod
    def from_rows(cls, rows: Iterable[TalentRow], *, version: int = 0) -> TalentIndex:
        """The index of a pool given talent by talent (codes checked with `encode_occupation`)."""
        cities: dict[str, int] = {}
        points: dict[str, int] = {}
        ids, city, open_, education, years, award = [], [], [], [], [], []
        h_talent, h_code, h_rung, s_talent, s_point, s_rung = [], [], [], [], [], []
        for i, row in enumerate(rows):
            ids.append(row.talent_id)
            city.append(-1 if row.city is None else cities.setdefault(row.city, len(cities)))
            open_.append(row.open_to_offers)
            education.append(row.education)
            years.append(row.years)
            award.append(int(row.award))
            for holding in row.holdings:
                _check_rung(holding.rung, holding.occupation)
                h_talent.append(i)
                h_code.append(encode_occupation(holding.occupation))
                h_rung.append(holding.rung)
            for point in sorted(row.skill_points):
                s_talent.append(i)
                s_point.append(points.setdefault(point, len(points)))
                rung = row.skill_rungs.get(point)
                if rung is not None:
                    _check_rung(rung, point)
                s_rung.append(-1 if rung is None else rung)
        return cls.from_columns(
            talent_ids=np.array(ids, dtype=np.int64), city=np.array(city, dtype=np.int16), cities=tuple(cities),
            open_to_offers=np.array(open_, dtype=np.bool_), education=np.array(education, dtype=np.int16),
            years=np.array(years, dtype=np.float64), award=np.array(award, dtype=np.int64),
            holding_talent=np.array(h_talent, dtype=np.int64), holding_occupation=np.array(h_code, dtype=np.int64),
            holding_rung=np.array(h_rung, dtype=np.int64), skill_talent=np.array(s_talent, dtype=np.int64),
            skill_point=np.array(s_point, dtype=np.int64), skill_points=tuple(points),
            skill_rung=np.array(s_rung, dtype=np.int64), version=version,
        )

    def posting(self, point: str) -> npt.NDArray[np.int32] | None:
        """The sorted rows holding `point`, or None when nobody in the index holds it."""
        number = self.skill_number.get(point)
        if number is None:
            return None
        return self.postings[self.posting_offsets[number]:self.posting_offsets[number + 1]]

    def holds(self, point: str, rows: IntArray, rung: int | None = None) -> npt.NDArray[np.bool_]:
        """For each of `rows`, whether the talent holds `point` (at `rung` or above, or with no rung declared,
        when a rung is asked): binary searches in the point's posting list, no Python loop."""
        number = self.skill_number.get(point)
        if number is None:
            return np.zeros(rows.size, dtype=np.bool_)
        lo, hi = int(self.posting_offsets[number]), int(self.posting_offsets[number + 1])
        posting = self.postings[lo:hi]
        if posting.size == 0:
            return np.zeros(rows.size, dtype=np.bool_)
        at = np.searchsorted(posting, rows)
        at[at == posting.size] = 0
        found = posting[at] == rows
        if rung is not None:
            declared = self.posting_rungs[lo:hi][at]
            found &= (declared < 0) | (declared >= rung)
        return np.asarray(found)


@dataclass(frozen=True)
class _Candidates:
    rows: IntArray  # index rows, ascending (hence talent id ascending)
    scores: FloatArray
    held: IntArray  # post skill points held
    run_start: IntArray  # each candidate's run of holdings in the index, [run_start, run_end)
    run_end: IntArray


class Ranking:
    """One post ranked against one index: the candidates' scores, and the answers read from them."""

    def __init__(self, index: TalentIndex, post: PostQuery) -> None:
        if post.required_rung is not None:
            _check_rung(post.required_rung, post.occupation)
        self.index = index
        self.post = post
        self.weights = (post.weights or DEFAULT_WEIGHTS).normalised()
        self.post_code = encode_occupation(post.occupation)
        self.points = tuple(dict.fromkeys(post.skill_points))
        self.must_have = frozenset(post.must_have) & frozenset(self.points)
        self.skill_rungs = {p: r for p, r in post.skill_rungs.items() if p in self.points}
        for point, rung in self.skill_rungs.items():
            _check_rung(rung, point)
        self.post_city = None if post.city is None else index.city_number.get(post.city, -2)
        self.candidates = self._rank()

    def __len__(self) -> int:
        return int(self.candidates.rows.size)

    def _rank(self) -> _Candidates:
        index, post, w = self.index, self.post, self.weights
        none = np.zeros(0, dtype=np.int64)
        empty = _Candidates(none, np.zeros(0, dtype=np.float64), none, none, none)
        at = int(np.searchsorted(index.middles, self.post_code // 10_000))
        if at == index.middles.size or index.middles[at] != self.post_code // 10_000:
            return empty
        lo, hi = int(index.middle_offsets[at]), int(index.middle_offsets[at + 1])
        h_row = index.h_row[lo:hi]
        contribution = (w.occupation * _occupation_factor(index.h_code[lo:hi], self.post_code)
                        + w.level * _level_factor(index.h_rung[lo:hi].astype(np.int64), post.required_rung))
        run_start = np.flatnonzero(np.r_[True, h_row[1:] != h_row[:-1]])
        rows = h_row[run_start].astype(np.int64)
        best = np.maximum.reduceat(contribution, run_start)
        run_start = run_start + lo
        run_end = np.r_[run_start[1:], hi]

        keep = np.ones(rows.size, dtype=np.bool_)
        if post.same_city_only and self.post_city is not None:
            keep &= index.city[rows] == self.post_city
        for point in sorted(self.must_have):
            if point not in index.skill_number:
                return empty
            keep &= index.holds(point, rows, self.skill_rungs.get(point))
        if not keep.all():
            rows, best, run_start, run_end = rows[keep], best[keep], run_start[keep], run_end[keep]

        held = np.full(rows.size, len(self.must_have), dtype=np.int64)
        for point in self.points:
            if point not in self.must_have:
                held += index.holds(point, rows, self.skill_rungs.get(point))
        skills = held / len(self.points) if self.points else 1.0
        experience = (np.minimum(index.years[rows] / post.required_years, 1.0) if post.required_years > 0 else 1.0)
        education = ((index.education[rows] >= post.required_education).astype(np.float64)
                     if post.required_education else 1.0)
        place = (1.0 if self.post_city is None
                 else np.where(index.city[rows] == self.post_city, 1.0, PLACE_ELSEWHERE))
        awards = AWARD_VALUES[index.award[rows]]
        scores = np.asarray(_total(best, skills, experience, education, place, awards, w), dtype=np.float64)
        return _Candidates(rows, scores, held, run_start, run_end)

    # --- reading the ranking -------------------------------------------------------------------------------------

    def _order_top(self, k: int) -> IntArray:
        scores, rows = self.candidates.scores, self.candidates.rows
        if scores.size <= k:
            return np.lexsort((rows, -scores))
        part = np.argpartition(-scores, k - 1)[:k]
        threshold = scores[part].min()
        chosen = np.flatnonzero(scores >= threshold)  # every tie at the cut, so the id order decides
        return chosen[np.lexsort((rows[chosen], -scores[chosen]))][:k]

    def _rank_at(self, score: float, row: int, scores: FloatArray, rows: IntArray) -> int:
        return 1 + int(np.count_nonzero(scores > score)) + int(np.count_nonzero((scores == score) & (rows < row)))

    def top(self, k: int = 20, *, lifts: bool = True) -> list[Match]:
        """The first `k` candidates in the tie order, each explained, with their lifts when asked."""
        if k <= 0 or not len(self):
            return []
        order = self._order_top(k)
        floor = float(self.candidates.scores[order[-1]])
        # Every lift raises a score above `floor`, so only the candidates at or above it can outrank one.
        above = np.flatnonzero(self.candidates.scores >= floor)
        pool = (self.candidates.scores[above], self.candidates.rows[above])
        return [self._explain(int(at), rank, pool if lifts else None) for rank, at in enumerate(order, start=1)]

    def position(self, talent_id: int) -> int | None:
        """The position among the candidates of `talent_id`, or None when they are not a candidate."""
        row = int(np.searchsorted(self.index.talent_ids, talent_id))
        if row == len(self.index) or self.index.talent_ids[row] != talent_id:
            return None
        at = int(np.searchsorted(self.candidates.rows, row))
        if at == len(self) or self.candidates.rows[at] != row:
            return None
        return at

    def rank_of(self, talent_id: int) -> int | None:
        """The rank of `talent_id` among the candidates (by a count, not a sort), or None when not a candidate."""
        at = self.position(talent_id)
        if at is None:
            return None
        c = self.candidates
        return self._rank_at(float(c.scores[at]), int(c.rows[at]), c.scores, c.rows)

    def explain(self, talent_id: int, *, lifts: bool = True) -> Match | None:
        """The explained match of one talent wherever they rank (None when not a candidate)."""
        at = self.position(talent_id)
        if at is None:
            return None
        c = self.candidates
        score = float(c.scores[at])
        above = np.flatnonzero(c.scores >= score)
        rank = self._rank_at(score, int(c.rows[at]), c.scores[above], c.rows[above])
        return self._explain(at, rank, (c.scores[above], c.rows[above]) if lifts else None)

    def _explain(self, at: int, rank: int, pool: tuple[FloatArray, IntArray] | None) -> Match:
        index, post, w, c = self.index, self.post, self.weights, self.candidates
        row = int(c.rows[at])
        lo, hi = int(c.run_start[at]), int(c.run_end[at])
        codes = index.h_code[lo:hi].astype(np.int64)
        rungs = index.h_rung[lo:hi].astype(np.int64)
        occ = _occupation_factor(codes, self.post_code)
        lvl = _level_factor(rungs, post.required_rung)
        contribution = w.occupation * occ + w.level * lvl
        pick = int(np.lexsort((codes, -occ, -contribution))[0])
        held = int(c.held[at])
        values = {
            "occupation": float(occ[pick]),
            "skills": held / len(self.points) if self.points else 1.0,
            "level": float(lvl[pick]),
            "experience": (min(float(index.years[row]) / post.required_years, 1.0) if post.required_years > 0
                           else 1.0),
            "education": (float(int(index.education[row]) >= post.required_education) if post.required_education
                          else 1.0),
            "place": (1.0 if self.post_city is None
                      else 1.0 if int(index.city[row]) == self.post_city else PLACE_ELSEWHERE),
            "awards": float(AWARD_VALUES[int(index.award[row])]),
        }
        factors = tuple(FactorExplanation(f, values[f], w.of(f), values[f] * w.of(f)) for f in FACTORS)
        rung = int(rungs[pick])
        match_lifts: tuple[Lift, ...] = ()
        if pool is not None:
            match_lifts = self._lifts(values, rung, held, int(index.award[row]), float(c.scores[at]), row, pool)
        return Match(
            talent_id=int(index.talent_ids[row]), score=float(c.scores[at]), rank=rank, candidates=len(self),
            occupation=decode_occupation(int(codes[pick])), rung=rung, skill_points_held=held, factors=factors,
            lifts=match_lifts,
        )

    def _lifts(self, values: Mapping[str, float], rung: int, held: int, award: int, score: float, row: int,
               pool: tuple[FloatArray, IntArray]) -> tuple[Lift, ...]:
        w, post = self.weights, self.post
        changes: list[tuple[str, str, dict[str, float]]] = []
        if values["level"] < 1 and rung < TOP_RUNG:
            changes.append(("level", "level+1", {"level": float(_level_factor(rung + 1, post.required_rung))}))
        if values["occupation"] < 1:
            changes.append(("occupation", "occupation=post", {"occupation": OCCUPATION_SAME}))
        if values["skills"] < 1:
            changes.append(("skills", "skills+1", {"skills": (held + 1) / len(self.points)}))
        for factor in ("experience", "education", "place"):
            if values[factor] < 1:
                changes.append((factor, f"{factor}={'city' if factor == 'place' else 'required'}", {factor: 1.0}))
        if award < AwardKind.NATIONAL:
            changes.append(("awards", "award+1", {"awards": float(AWARD_VALUES[award + 1])}))
        if not changes:
            return ()
        new_scores = []
        for _factor, _change, new in changes:
            v = {**values, **new}
            best = w.occupation * v["occupation"] + w.level * v["level"]
            new_scores.append(float(_total(best, v["skills"], v["experience"], v["education"], v["place"],
                                           v["awards"], w)))
        scores, rows = pool
        proposed = np.array(new_scores, dtype=np.float64)[:, None]
        ahead = (np.count_nonzero(scores[None, :] > proposed, axis=1)
                 + np.count_nonzero((scores[None, :] == proposed) & (rows[None, :] < row), axis=1))
        lifts = [Lift(factor, change, s, 1 + int(n))
                 for (factor, change, _new), s, n in zip(changes, new_scores, ahead, strict=True) if s > score]
        return tuple(sorted(lifts, key=lambda lift: (lift.new_rank, -lift.new_score, FACTORS.index(lift.factor))))


def rank_post(index: TalentIndex, post: PostQuery) -> Ranking:
    """The ranking of every candidate of the index for `post` (module docstring for the rules)."""
    return Ranking(index, post)


def top_matches(index: TalentIndex, post: PostQuery, k: int = 20, *, lifts: bool = True) -> list[Match]:
    """The `k` best candidates for `post`, explained factor by factor, with what would lift each one's rank."""
    return Ranking(index, post).top(k, lifts=lifts)


def rank_of(index: TalentIndex, post: PostQuery, talent_id: int) -> int | None:
    """The rank of one talent for `post` (also beyond the top k), or None when they are not a candidate."""
    return Ranking(index, post).rank_of(talent_id)
