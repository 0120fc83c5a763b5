"""Chinese text similarity of needs and offers (talentpool.domain.text_similarity): the methods measured on the
labelled set of tests/talentpool/text_cases.py (run with -s to see the table), the default's win asserted, and
the edges of rank_offers and match_colleges."""

from __future__ import annotations

import pytest

from talentpool.domain.text_similarity import (
    DEFAULT_METHOD,
    CollegeSupply,
    MajorSupply,
    Method,
    match_colleges,
    normalise,
    rank_offers,
    similarities,
)
from tests.talentpool.text_cases import DISTRACTORS, NEEDS, OFFERS

ALL_OFFERS = OFFERS + DISTRACTORS


def measure(method: Method) -> tuple[int, float, float]:
    """How often the right offer comes first, the mean reciprocal rank of the right offer, and the mean margin
    of the right offer's similarity over the best wrong one's."""
    sims = similarities(NEEDS, ALL_OFFERS, method=method)
    ranked = rank_offers(NEEDS, ALL_OFFERS, k=len(ALL_OFFERS), method=method)
    first, reciprocal, margin = 0, 0.0, 0.0
    for need, offers in enumerate(ranked):
        order = [i for i, _score in offers]
        first += bool(order) and order[0] == need
        reciprocal += 1 / (1 + order.index(need)) if need in order else 0.0
        margin += sims[need, need] - max(s for i, s in enumerate(sims[need]) if i != need)
    return first, reciprocal / len(NEEDS), margin / len(NEEDS)


def test_the_labelled_set_is_one_right_offer_per_need() -> None:
    assert 20 <= len(NEEDS) == len(OFFERS) <= 40
    assert len(set(ALL_OFFERS)) == len(ALL_OFFERS)


def test_the_default_method_ranks_the_right_offer_first_most_often(capsys: pytest.CaptureFixture[str]) -> None:
    results = {method: measure(method) for method in Method}
    with capsys.disabled():
        print(f"\nright offer first, of {len(NEEDS)} needs and {len(ALL_OFFERS)} offers "
              "(mean reciprocal rank; mean margin over the best wrong offer):")
        for method, (first, mrr, margin) in results.items():
            mark = "   ← default" if method is DEFAULT_METHOD else ""
            print(f"  {method:<16} {first:>3}   ({mrr:.3f}; {margin:+.3f}){mark}")
    # The default wins on the right offer first, then on the margin (the order of the module docstring).
    assert max(results, key=lambda m: (results[m][0], results[m][2])) is DEFAULT_METHOD
    assert results[DEFAULT_METHOD][0] >= 0.9 * len(NEEDS)


def test_texts_are_read_after_nfkc_and_without_punctuation() -> None:
    assert normalise("ＰＬＣ编程，西门子S7－1200！") == "plc编程 西门子s7 1200"


def test_rank_offers_keeps_k_best_first_and_leaves_out_unrelated_offers() -> None:
    [ranked] = rank_offers(["焊接机器人编程"], ["数控车床", "焊接机器人离线编程", "机器人焊接", "烹饪"], k=2)
    assert [i for i, _ in ranked] == [1, 2]
    assert ranked[0][1] > ranked[1][1] > 0
    [nothing] = rank_offers(["焊接"], ["烹饪", "纺织"], k=3)
    assert nothing == []


@pytest.mark.parametrize(("needs", "offers"), [([], ["a"]), (["a"], []), (["，。"], ["！"]), ([""], [""])])
def test_rank_offers_of_empty_or_punctuation_only_texts_is_empty(needs: list[str], offers: list[str]) -> None:
    assert rank_offers(needs, offers) == [[] for _ in needs]


def test_ties_go_to_the_lower_offer_index() -> None:
    [ranked] = rank_offers(["焊工"], ["焊工", "焊工", "焊工"], k=3)
    assert [i for i, _ in ranked] == [0, 1, 2]


def major(code: str, occupations: tuple[str, ...], graduates: int, posts: str) -> MajorSupply:
    return MajorSupply(code, code, occupations, graduates, posts)


def test_colleges_match_a_post_by_their_majors_occupations_and_graduates_posts() -> None:
    colleges = [
        CollegeSupply(1, (major("660104", ("6-18-02-04",), 120, "焊接机器人操作工 焊工"),)),
        CollegeSupply(2, (major("660105", ("6-18-02-04",), 80, "汽车维修"),
                          major("660301", ("6-18-01-01",), 40, "焊接质检员"))),
        CollegeSupply(3, (major("660201", ("6-18-01-02",), 200, "焊工"),)),
        CollegeSupply(4, (major("640101", ("4-03-02-01",), 300, "焊工 焊接"),)),  # words alone do not count
        CollegeSupply(5, (major("X", ("not a code",), 10, "焊工"),)),
    ]
    ranked = match_colleges("6-18-02-04", "焊工 焊接机器人操作工", colleges)
    assert [m.college_id for m in ranked] == [1, 2, 3]
    first, second, third = ranked
    assert first.occupation == 1.0 and first.posts_text > 0 and first.graduates == 120
    assert (second.major_code, second.occupation, second.graduates) == ("660105", 1.0, 120)
    assert third.occupation == 0.3
    assert first.score == pytest.approx(0.7 + 0.3 * first.posts_text)
    assert match_colleges("6-18-02-04", "焊工", []) == []
