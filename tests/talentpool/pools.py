"""Small pools and a plain-Python reference for the matching tests (tests never import bench/, which has its own
province-sized pool): the reference scores talent by talent, in the order of DESIGN.md "Match score", so the
vectorised ranking of talentpool.domain.matching can be compared with it on random pools."""

from __future__ import annotations

from dataclasses import replace

from talentpool.domain.matching import (
    AWARD_VALUES,
    DEFAULT_WEIGHTS,
    LEVEL_ONE_BELOW,
    OCCUPATION_MIDDLE,
    OCCUPATION_MINOR,
    OCCUPATION_SAME,
    PLACE_ELSEWHERE,
    Holding,
    Lift,
    Match,
    PostQuery,
    TalentRow,
)


def occupation_value(code: str, post: str) -> float:
    if code == post:
        return OCCUPATION_SAME
    if code[:7] == post[:7]:
        return OCCUPATION_MINOR
    if code[:4] == post[:4]:
        return OCCUPATION_MIDDLE
    return 0.0


def level_value(rung: int, required: int | None) -> float:
    if required is None or rung >= required:
        return 1.0
    return LEVEL_ONE_BELOW if rung == required - 1 else 0.0


def holds(talent: TalentRow, post: PostQuery, point: str) -> bool:
    """A point asked at a rung is held when declared at that rung or above, or declared without a rung."""
    asked, declared = post.skill_rungs.get(point), talent.skill_rungs.get(point)
    return point in talent.skill_points and (asked is None or declared is None or declared >= asked)


def reference_score(talent: TalentRow, post: PostQuery) -> float | None:
    """The talent's score for the post, or None when a hard filter or the 中类 prefilter leaves them out."""
    w = (post.weights or DEFAULT_WEIGHTS).normalised()
    if not talent.open_to_offers:
        return None
    same_middle = [h for h in talent.holdings if h.occupation[:4] == post.occupation[:4]]
    if not same_middle:
        return None
    if post.same_city_only and post.city is not None and talent.city != post.city:
        return None
    points = list(dict.fromkeys(post.skill_points))
    if any(p in post.must_have and not holds(talent, post, p) for p in points):
        return None
    best = max(w.occupation * occupation_value(h.occupation, post.occupation)
               + w.level * level_value(h.rung, post.required_rung) for h in same_middle)
    skills = sum(holds(talent, post, p) for p in points) / len(points) if points else 1.0
    experience = min(talent.years / post.required_years, 1.0) if post.required_years > 0 else 1.0
    education = float(talent.education >= post.required_education) if post.required_education else 1.0
    place = 1.0 if post.city is None else (1.0 if talent.city == post.city else PLACE_ELSEWHERE)
    awards = float(AWARD_VALUES[int(talent.award)])
    return (best + w.skills * skills + w.experience * experience + w.education * education + w.place * place
            + w.awards * awards)


def reference_ranking(pool: list[TalentRow], post: PostQuery) -> list[tuple[int, float]]:
    """(talent id, score) of every candidate, score descending then id ascending."""
    scored = [(t.talent_id, s) for t in pool if (s := reference_score(t, post)) is not None]
    return sorted(scored, key=lambda pair: (-pair[1], pair[0]))


def improved(talent: TalentRow, post: PostQuery, match: Match, lift: Lift) -> TalentRow:
    """The talent with the one change a lift names, applied to their plain row."""
    counted = Holding(match.occupation, match.rung)
    at = talent.holdings.index(counted)
    holdings = list(talent.holdings)
    if lift.change == "level+1":
        holdings[at] = Holding(counted.occupation, counted.rung + 1)
        return replace(talent, holdings=tuple(holdings))
    if lift.change == "occupation=post":
        holdings[at] = Holding(post.occupation, counted.rung)
        return replace(talent, holdings=tuple(holdings))
    if lift.change == "skills+1":
        missing = next(p for p in post.skill_points if not holds(talent, post, p))
        return replace(talent, skill_points=talent.skill_points | {missing},
                       skill_rungs={p: r for p, r in talent.skill_rungs.items() if p != missing})
    if lift.change == "experience=required":
        return replace(talent, years=post.required_years)
    if lift.change == "education=required":
        assert post.required_education is not None
        return replace(talent, education=post.required_education)
    if lift.change == "place=city":
        return replace(talent, city=post.city)
    assert lift.change == "award+1", lift.change
    return replace(talent, award=type(talent.award)(talent.award + 1))
