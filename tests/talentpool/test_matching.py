"""The match score and its explanation (talentpool.domain.matching; DESIGN.md "Talent pool" → "Match score"):
a table per factor, the hard filters and the 中类 prefilter, the tie order, lifts, and hypothesis properties
against the plain-Python reference of tests/talentpool/pools.py on small random pools."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from certification.domain.ladder import Rung
from core.errors import RuleBroken
from talentpool.domain.matching import (
    FACTORS,
    AwardKind,
    Holding,
    PostQuery,
    TalentIndex,
    TalentRow,
    Weights,
    decode_occupation,
    encode_occupation,
    rank_of,
    rank_post,
    rung_of,
    top_matches,
)
from tests.talentpool.pools import holds, improved, reference_ranking

WELDER = "6-18-02-04"  # 焊工
WELDER_MINOR = "6-18-02-01"  # another occupation of 小类 6-18-02
WELDER_MIDDLE = "6-18-01-01"  # another 小类 of 中类 6-18
OTHER_MIDDLE = "6-19-01-01"
COOK = "4-03-02-01"


def talent(talent_id: int = 1, *holdings: Holding, **kw: object) -> TalentRow:
    return TalentRow(talent_id, holdings or (Holding(WELDER, 4),), **kw)  # type: ignore[arg-type]


def only(pool: list[TalentRow], post: PostQuery) -> dict[str, float]:
    [match] = top_matches(TalentIndex.from_rows(pool), post)
    return {f.code: f.value for f in match.factors}


def test_rungs_follow_the_ladder_higher_is_more_senior() -> None:
    assert [rung_of(r) for r in Rung] == list(range(8))
    assert rung_of(Rung.APPRENTICE) == 0 and rung_of(Rung.TWO) == 4 and rung_of(Rung.CHIEF) == 7


def test_occupation_codes_encode_their_prefixes_as_integers() -> None:
    number = encode_occupation(WELDER)
    assert number == 6180204 and number // 100 == 61802 and number // 10_000 == 618
    assert decode_occupation(number) == WELDER
    assert encode_occupation("６－１８－０２－０４") == number
    with pytest.raises(RuleBroken):
        encode_occupation("焊工")


@pytest.mark.parametrize(("code", "value"), [
    (WELDER, 1.0), (WELDER_MINOR, 0.6), (WELDER_MIDDLE, 0.3),
])
def test_occupation_factor(code: str, value: float) -> None:
    assert only([talent(1, Holding(code, 4))], PostQuery(WELDER))["occupation"] == value


@pytest.mark.parametrize("code", [OTHER_MIDDLE, COOK])
def test_a_talent_of_another_middle_group_is_no_candidate(code: str) -> None:
    index = TalentIndex.from_rows([talent(1, Holding(code, 7))])
    assert top_matches(index, PostQuery(WELDER)) == []
    assert rank_of(index, PostQuery(WELDER), 1) is None


@pytest.mark.parametrize(("held", "value"), [
    (set(), 0.0), ({"a"}, 0.25), ({"a", "b", "x"}, 0.5), ({"a", "b", "c", "d"}, 1.0),
])
def test_skill_coverage_is_the_share_of_the_posts_points_held(held: set[str], value: float) -> None:
    post = PostQuery(WELDER, skill_points=("a", "b", "c", "d"))
    assert only([talent(1, skill_points=frozenset(held))], post)["skills"] == value


@pytest.mark.parametrize(("declared", "asked", "held"), [
    (None, None, True), (3, None, True), (None, 4, True), (4, 4, True), (5, 4, True), (3, 4, False),
])
def test_a_point_asked_at_a_rung_is_held_at_that_rung_or_above_or_unstated(
        declared: int | None, asked: int | None, held: bool) -> None:
    row = talent(1, skill_points=frozenset({"a"}), skill_rungs={} if declared is None else {"a": declared})
    post = PostQuery(WELDER, skill_points=("a",), skill_rungs={} if asked is None else {"a": asked})
    assert only([row], post)["skills"] == float(held)
    must = replace(post, must_have=frozenset({"a"}))
    assert len(top_matches(TalentIndex.from_rows([row]), must)) == int(held)


def test_a_post_without_skill_points_scores_coverage_one() -> None:
    assert only([talent(1)], PostQuery(WELDER))["skills"] == 1.0


@pytest.mark.parametrize(("rung", "required", "value"), [
    (4, 4, 1.0), (5, 4, 1.0), (3, 4, 0.5), (2, 4, 0.0), (0, 7, 0.0), (0, None, 1.0), (0, 0, 1.0),
])
def test_level_factor(rung: int, required: int | None, value: float) -> None:
    assert only([talent(1, Holding(WELDER, rung))], PostQuery(WELDER, required_rung=required))["level"] == value


@pytest.mark.parametrize(("years", "required", "value"), [
    (0, 4, 0.0), (2, 4, 0.5), (4, 4, 1.0), (9, 4, 1.0), (0, 0, 1.0),
])
def test_experience_factor(years: float, required: float, value: float) -> None:
    assert only([talent(1, years=years)], PostQuery(WELDER, required_years=required))["experience"] == value


@pytest.mark.parametrize(("rank", "required", "value"), [(3, 3, 1.0), (4, 3, 1.0), (2, 3, 0.0), (0, None, 1.0)])
def test_education_factor(rank: int, required: int | None, value: float) -> None:
    assert only([talent(1, education=rank)], PostQuery(WELDER, required_education=required))["education"] == value


@pytest.mark.parametrize(("city", "post_city", "value"), [
    ("3701", "3701", 1.0), ("3702", "3701", 0.5), (None, "3701", 0.5), ("3702", None, 1.0),
    ("3702", "3799", 0.5),
])
def test_place_factor(city: str | None, post_city: str | None, value: float) -> None:
    assert only([talent(1, city=city)], PostQuery(WELDER, city=post_city))["place"] == value


@pytest.mark.parametrize(("award", "value"), [
    (AwardKind.NONE, 0.0), (AwardKind.CITY, 0.4), (AwardKind.TITLE, 0.5), (AwardKind.PROVINCIAL, 0.7),
    (AwardKind.NATIONAL, 1.0),
])
def test_awards_factor(award: AwardKind, value: float) -> None:
    assert only([talent(1, award=award)], PostQuery(WELDER))["awards"] == value


def test_the_score_is_the_weighted_sum_and_each_factor_shows_its_weight() -> None:
    post = PostQuery(WELDER, skill_points=("a", "b"), required_rung=4, required_years=4, city="3701")
    [match] = top_matches(TalentIndex.from_rows([
        talent(1, Holding(WELDER_MINOR, 3), skill_points=frozenset({"a"}), years=1, city="3702",
               award=AwardKind.PROVINCIAL),
    ]), post)
    assert [f.code for f in match.factors] == list(FACTORS)
    weights = Weights().normalised()
    values = {"occupation": 0.6, "skills": 0.5, "level": 0.5, "experience": 0.25, "education": 1.0, "place": 0.5,
              "awards": 0.7}
    for f in match.factors:
        assert f.weight == weights.of(f.code) and f.value == values[f.code]
        assert f.contribution == pytest.approx(f.value * f.weight)
    assert match.score == pytest.approx(sum(values[c] * weights.of(c) for c in FACTORS))
    assert sum(f.weight for f in match.factors) == pytest.approx(1.0)


def test_a_post_may_override_the_weights_which_are_normalised() -> None:
    post = PostQuery(WELDER, weights=Weights(occupation=2, skills=0, level=0, experience=0, education=0, place=0,
                                             awards=2))
    [match] = top_matches(TalentIndex.from_rows([talent(1, Holding(WELDER_MINOR, 0))]), post)
    assert match.factor("occupation").weight == 0.5 and match.factor("awards").weight == 0.5
    assert match.score == pytest.approx(0.3)


@pytest.mark.parametrize("weights", [Weights(occupation=-1), Weights(*[0.0] * 7), Weights(skills=float("nan"))])
def test_weights_must_be_non_negative_with_a_positive_sum(weights: Weights) -> None:
    with pytest.raises(RuleBroken) as caught:
        weights.normalised()
    assert caught.value.code == "match.bad_weights"


def test_talents_not_open_to_offers_are_filtered_out() -> None:
    index = TalentIndex.from_rows([talent(1, open_to_offers=False), talent(2)])
    assert [m.talent_id for m in top_matches(index, PostQuery(WELDER))] == [2]
    assert rank_of(index, PostQuery(WELDER), 1) is None


def test_must_have_skill_points_are_a_hard_filter() -> None:
    index = TalentIndex.from_rows([
        talent(1, skill_points=frozenset({"a", "b", "c"})), talent(2, skill_points=frozenset({"b", "c"})),
        talent(3, skill_points=frozenset({"a"})),
    ])
    post = PostQuery(WELDER, skill_points=("a", "b", "c"), must_have=frozenset({"a"}))
    assert [(m.talent_id, m.skill_points_held) for m in top_matches(index, post)] == [(1, 3), (3, 1)]
    assert top_matches(index, replace(post, must_have=frozenset({"unheld"}), skill_points=("unheld",))) == []


def test_same_city_only_filters_by_the_posts_city() -> None:
    index = TalentIndex.from_rows([talent(1, city="3701"), talent(2, city="3702"), talent(3)])
    post = PostQuery(WELDER, city="3702", same_city_only=True)
    assert [m.talent_id for m in top_matches(index, post)] == [2]


def test_the_best_holding_counts_for_occupation_and_level() -> None:
    # a 三级 welder who is also a 一级 of another 焊接 occupation: for a 二级 welder post the latter scores more
    pool = [talent(1, Holding(WELDER, 3), Holding(WELDER_MINOR, 5), Holding(COOK, 7))]
    [match] = top_matches(TalentIndex.from_rows(pool), PostQuery(WELDER, required_rung=4,
                                                                   weights=Weights(occupation=1, level=3)))
    assert (match.occupation, match.rung) == (WELDER_MINOR, 5)
    assert match.factor("occupation").value == 0.6 and match.factor("level").value == 1.0
    [match] = top_matches(TalentIndex.from_rows(pool), PostQuery(WELDER, required_rung=4,
                                                                   weights=Weights(occupation=3, level=1)))
    assert (match.occupation, match.rung) == (WELDER, 3)


def test_ties_go_to_the_lower_talent_id_and_ranks_have_no_gaps() -> None:
    index = TalentIndex.from_rows([talent(i) for i in (9, 3, 7, 1, 5)])
    matches = top_matches(index, PostQuery(WELDER), k=3)
    assert [(m.talent_id, m.rank, m.candidates) for m in matches] == [(1, 1, 5), (3, 2, 5), (5, 3, 5)]
    assert rank_of(index, PostQuery(WELDER), 9) == 5


def test_a_repeated_talent_or_a_bad_rung_is_refused() -> None:
    with pytest.raises(RuleBroken) as caught:
        TalentIndex.from_rows([talent(1), talent(1)])
    assert caught.value.code == "match.repeated_talent"
    with pytest.raises(RuleBroken) as caught:
        TalentIndex.from_rows([talent(1, Holding(WELDER, 8))])
    assert caught.value.code == "match.bad_rung"
    with pytest.raises(RuleBroken):
        top_matches(TalentIndex.from_rows([talent(1)]), PostQuery(WELDER, required_rung=-1))


def welders() -> list[TalentRow]:
    """Five welders for a 二级/技师 welder post in 济南 asking nothing else: they differ by level and award only."""
    def welder(talent_id: int, rung: int, award: AwardKind) -> TalentRow:
        return talent(talent_id, Holding(WELDER, rung), city="3701", award=award)
    return [
        welder(1, 4, AwardKind.NATIONAL),  # 1.0
        welder(2, 4, AwardKind.PROVINCIAL),  # 0.97
        welder(3, 4, AwardKind.NONE),  # 0.90
        welder(4, 3, AwardKind.TITLE),  # 0.875
        welder(5, 3, AwardKind.CITY),  # 0.865: one level higher would make 0.94, third
    ]


def test_one_level_higher_in_welding_would_move_them_to_third() -> None:
    post = PostQuery(WELDER, required_rung=rung_of(Rung.TWO), city="3701")
    ranking = rank_post(TalentIndex.from_rows(welders()), post)
    fifth = ranking.top(5)[-1]
    assert (fifth.talent_id, fifth.rank, fifth.occupation, fifth.rung) == (5, 5, WELDER, 3)
    assert fifth.score == pytest.approx(0.865)
    level = next(lift for lift in fifth.lifts if lift.factor == "level")
    assert (level.change, level.new_rank) == ("level+1", 3) and level.new_score == pytest.approx(0.94)
    award = next(lift for lift in fifth.lifts if lift.factor == "awards")
    assert (award.change, award.new_rank) == ("award+1", 5)
    assert fifth.lifts[0] == level  # the best lift comes first
    assert ranking.explain(5) == fifth


def test_rank_of_a_talent_beyond_the_top_k() -> None:
    ranking = rank_post(TalentIndex.from_rows(welders()), PostQuery(WELDER, required_rung=4, city="3701"))
    assert [m.talent_id for m in ranking.top(2)] == [1, 2]
    assert ranking.rank_of(5) == 5 and ranking.rank_of(4) == 4 and ranking.rank_of(99) is None
    explained = ranking.explain(4)
    assert explained is not None and explained.rank == 4


def test_a_talent_with_nothing_to_improve_has_no_lifts() -> None:
    [match] = top_matches(TalentIndex.from_rows([talent(1, Holding(WELDER, 7), award=AwardKind.NATIONAL)]),
                          PostQuery(WELDER, required_rung=4))
    assert match.score == pytest.approx(1.0) and match.lifts == ()


# --- properties against the plain-Python reference -------------------------------------------------------------

CODES = [WELDER, WELDER_MINOR, WELDER_MIDDLE, "6-18-02-03", OTHER_MIDDLE, COOK]
CITIES = ["3701", "3702", "3703", None]
POINTS = ["a", "b", "c", "d", "e"]

holdings = st.lists(st.builds(Holding, st.sampled_from(CODES), st.integers(0, 7)), min_size=1, max_size=3)
talent_rows = st.builds(
    lambda h, city, open_, edu, years, award, points, rungs: (h, city, open_, edu, years, award, points,
                                                              {p: r for p, r in rungs.items() if p in points}),
    holdings, st.sampled_from(CITIES), st.booleans() | st.just(True), st.integers(0, 4),
    st.integers(0, 20).map(lambda n: n / 2), st.sampled_from(list(AwardKind)),
    st.frozensets(st.sampled_from(POINTS)), st.dictionaries(st.sampled_from(POINTS), st.integers(0, 7)),
)
pools = st.lists(talent_rows, max_size=25).flatmap(
    lambda rows: st.permutations(list(range(1, 200))).map(
        lambda ids: [TalentRow(ids[i], tuple(h), city, open_, edu, years, award, points, rungs)
                     for i, (h, city, open_, edu, years, award, points, rungs) in enumerate(rows)]))
weights = st.none() | st.builds(Weights, *[st.integers(0, 4).map(float)] * 7).filter(
    lambda w: sum(w.of(f) for f in FACTORS) > 0)
posts = st.builds(
    lambda code, points, must, rungs, rung, edu, years, city, same, w: PostQuery(
        code, skill_points=tuple(points), must_have=frozenset(p for p in points if p in must),
        skill_rungs={p: r for p, r in rungs.items() if p in points}, required_rung=rung,
        required_education=edu, required_years=years, city=city, same_city_only=same, weights=w),
    st.sampled_from(CODES[:4]), st.lists(st.sampled_from(POINTS), unique=True, max_size=4),
    st.frozensets(st.sampled_from(POINTS), max_size=2), st.dictionaries(st.sampled_from(POINTS), st.integers(0, 7)),
    st.none() | st.integers(0, 7), st.none() | st.integers(0, 4), st.integers(0, 8).map(float),
    st.sampled_from(["3701", "3702", "3709", None]), st.booleans(), weights,
)


@settings(max_examples=300, deadline=None)
@given(pools, posts, st.integers(1, 30))
def test_top_matches_equal_the_reference_ranking(pool: list[TalentRow], post: PostQuery, k: int) -> None:
    index = TalentIndex.from_rows(pool)
    matches = top_matches(index, post, k)
    expected = reference_ranking(pool, post)
    assert [(m.talent_id, m.score) for m in matches] == expected[:k]
    assert [m.rank for m in matches] == list(range(1, len(matches) + 1))
    assert all(m.candidates == len(expected) for m in matches)
    assert all(a.score >= b.score for a, b in zip(matches, matches[1:], strict=False))
    by_id = {t.talent_id: t for t in pool}
    for m in matches:
        t = by_id[m.talent_id]
        assert t.open_to_offers and all(holds(t, post, p) for p in post.must_have & set(post.skill_points))
        assert m.score == pytest.approx(sum(f.contribution for f in m.factors))
    ranks = {talent_id: rank for rank, (talent_id, _score) in enumerate(expected, start=1)}
    for t in pool:
        assert rank_of(index, post, t.talent_id) == ranks.get(t.talent_id)


@settings(max_examples=300, deadline=None)
@given(pools, posts)
def test_a_lifts_rank_is_the_rank_after_the_change(pool: list[TalentRow], post: PostQuery) -> None:
    by_id = {t.talent_id: t for t in pool}
    for match in top_matches(TalentIndex.from_rows(pool), post, k=5):
        for lift in match.lifts:
            changed = [improved(t, post, match, lift) if t.talent_id == match.talent_id else t for t in pool]
            reranked = reference_ranking(changed, post)
            new_rank = 1 + [talent_id for talent_id, _ in reranked].index(match.talent_id)
            assert (lift.new_rank, lift.new_score) == (new_rank, dict(reranked)[match.talent_id]), lift
            assert lift.new_score > match.score
        assert by_id[match.talent_id]
