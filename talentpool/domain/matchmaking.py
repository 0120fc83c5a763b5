"""Whom to invite to a matchmaking event (对接会, issue 14 item 8): the platform proposes enterprises and colleges
from how well the enterprises' posts and the colleges' majors meet, within the event's scope.

Plain aggregates in, ranked proposals out (no ORM): the selector reads, per enterprise, the posts of its submitted
demand checklist (occupation code, name, head-count), its chains and city; per college, the majors of its
submitted supply checklist (occupation codes, graduates of the last three years), its number of training
courses, chains and city; and the units of each alliance.

The rule:
- In scope: for a chain event, the units whose checklist names the chain; for a city event, the units of the city;
  for an alliance event, the alliance's member colleges (and its lead), met with the enterprises of the whole
  province (a 技工教育联盟 holds its colleges' supply; the enterprises it serves are anywhere), or its member
  enterprises when it has any.
- A post and a major meet when the major trains for the post's occupation: same code 1, same 小类 0.6, same 中类
  0.3 (the match score's occupation factor, DESIGN.md "Talent pool"); a pair weighs closeness × min(head-count,
  graduates), the people who could actually move.
- An enterprise scores the sum, over its posts, of its best pair with an in-scope college; a college the sum, over
  its majors, of its best pair with an in-scope enterprise's post. A unit with no pair is not proposed.
- The reason is the unit's heaviest pair, e.g. "岗位 焊工 18 人 ↔ 山东工业技师学院 焊接技术应用专业 毕业生 120 人",
  with the college's course count when it has courses.
- Ranked by score, then name; at most `limit` of each kind.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from certification.domain.catalogue import parse_occupation_code
from core.errors import RuleBroken


class ScopeKind(StrEnum):
    CHAIN = "chain"
    CITY = "city"
    ALLIANCE = "alliance"


class UnitKind(StrEnum):
    ENTERPRISE = "enterprise"
    COLLEGE = "college"


@dataclass(frozen=True, slots=True)
class EventScope:
    kind: ScopeKind
    chain_id: int | None = None
    city: str = ""
    alliance_members: frozenset[int] = frozenset()  # the alliance's lead and members, for an alliance event


@dataclass(frozen=True, slots=True)
class PostDemand:
    name: str
    occupation_code: str
    occupation_name: str
    headcount: int


@dataclass(frozen=True, slots=True)
class EnterpriseDemand:
    organization_id: int
    name: str
    city: str
    chains: frozenset[int]
    posts: tuple[PostDemand, ...]


@dataclass(frozen=True, slots=True)
class MajorOffer:
    name: str
    occupation_codes: tuple[str, ...]
    graduates: int


@dataclass(frozen=True, slots=True)
class CollegeOffer:
    organization_id: int
    name: str
    city: str
    chains: frozenset[int]
    majors: tuple[MajorOffer, ...]
    courses: int = 0


@dataclass(frozen=True, slots=True)
class Proposal:
    organization_id: int
    kind: UnitKind
    name: str
    score: float
    reason: str


def occupation_closeness(post_code: str, major_codes: Sequence[str]) -> float:
    """1 for the same occupation code, 0.6 for the same 小类, 0.3 for the same 中类, else 0; codes that do not
    parse score nothing (a checklist's free-typed code must not stop the proposal)."""
    try:
        target = parse_occupation_code(post_code)
    except RuleBroken:
        return 0.0
    best = 0.0
    for text in major_codes:
        try:
            code = parse_occupation_code(text)
        except RuleBroken:
            continue
        if code.code == target.code:
            return 1.0
        best = max(best, 0.6 if code.minor == target.minor else 0.3 if code.middle == target.middle else 0.0)
    return best


def _in_scope(scope: EventScope, organization_id: int, city: str, chains: frozenset[int]) -> bool:
    if scope.kind is ScopeKind.CHAIN:
        return scope.chain_id in chains
    if scope.kind is ScopeKind.CITY:
        return city == scope.city
    return organization_id in scope.alliance_members


@dataclass(frozen=True, slots=True)
class _Pair:
    weight: float
    post: PostDemand
    college: CollegeOffer
    major: MajorOffer


def _reason(pair: _Pair) -> str:
    text = (f"岗位 {pair.post.occupation_name or pair.post.name} {pair.post.headcount} 人 ↔ {pair.college.name} "
            f"{pair.major.name}专业 毕业生 {pair.major.graduates} 人")
    if pair.college.courses:
        text += f"，培训课程 {pair.college.courses} 门"
    return text[:300]


def propose_invitations(scope: EventScope, enterprises: Sequence[EnterpriseDemand],
                        colleges: Sequence[CollegeOffer], *, limit: int = 20) -> list[Proposal]:
    """The units to invite (module docstring): enterprises first, then colleges, each ranked best first."""
    in_colleges = [c for c in colleges if _in_scope(scope, c.organization_id, c.city, c.chains)]
    in_enterprises = [e for e in enterprises if _in_scope(scope, e.organization_id, e.city, e.chains)]
    if scope.kind is ScopeKind.ALLIANCE and not in_enterprises:
        in_enterprises = list(enterprises)
    enterprise_score: dict[int, float] = {}
    enterprise_best: dict[int, _Pair] = {}
    college_best_per_major: dict[tuple[int, int], _Pair] = {}
    for enterprise in in_enterprises:
        for post in enterprise.posts:
            best: _Pair | None = None
            for college in in_colleges:
                for index, major in enumerate(college.majors):
                    closeness = occupation_closeness(post.occupation_code, major.occupation_codes)
                    if closeness <= 0:
                        continue
                    pair = _Pair(closeness * min(post.headcount, major.graduates), post, college, major)
                    if pair.weight <= 0:
                        continue
                    if best is None or pair.weight > best.weight:
                        best = pair
                    key = (college.organization_id, index)
                    held = college_best_per_major.get(key)
                    if held is None or pair.weight > held.weight:
                        college_best_per_major[key] = pair
            if best is None:
                continue
            enterprise_score[enterprise.organization_id] = enterprise_score.get(enterprise.organization_id, 0.0) \
                + best.weight
            held_best = enterprise_best.get(enterprise.organization_id)
            if held_best is None or best.weight > held_best.weight:
                enterprise_best[enterprise.organization_id] = best
    college_score: dict[int, float] = {}
    college_best: dict[int, _Pair] = {}
    for (college_id, _index), pair in college_best_per_major.items():
        college_score[college_id] = college_score.get(college_id, 0.0) + pair.weight
        held = college_best.get(college_id)
        if held is None or pair.weight > held.weight:
            college_best[college_id] = pair
    names = {e.organization_id: e.name for e in in_enterprises}
    college_names = {c.organization_id: c.name for c in in_colleges}
    ranked_enterprises = sorted(
        (Proposal(oid, UnitKind.ENTERPRISE, names[oid], round(score, 2), _reason(enterprise_best[oid]))
         for oid, score in enterprise_score.items()), key=lambda p: (-p.score, p.name, p.organization_id))
    ranked_colleges = sorted(
        (Proposal(oid, UnitKind.COLLEGE, college_names[oid], round(score, 2), _reason(college_best[oid]))
         for oid, score in college_score.items()), key=lambda p: (-p.score, p.name, p.organization_id))
    return ranked_enterprises[:limit] + ranked_colleges[:limit]
