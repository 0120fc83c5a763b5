"""The intake rules as a table (talentpool.domain.intake): which sources qualify, holdings and the best award."""

from __future__ import annotations

from datetime import date

import pytest

from talentpool.domain.intake import Award, AwardFact, Kind, LevelFact, Policy, intake_decide, level_at_least

D = date(2026, 6, 1)


def lvl(rung: int, kind: str = "certificate", code: str = "6-18-02-04", standing: bool = True, i: int = 1,
        reason: str = "") -> LevelFact:
    return LevelFact(id=i, occupation_code=code, occupation_name="焊工", rung=rung, kind=kind, label="", obtained_on=D,
                     standing=standing, ended_reason=reason)


def award(level: str, code: str | None = "gold", title: str | None = None, entry: int = 7) -> AwardFact:
    return AwardFact(skill_id=3, entry_id=entry, event_name="大赛", skill_name="焊工", competition_level=level,
                     award_code=code, title_scope=title, place=1, occupation_code="6-18-02-04",
                     occupation_name="焊工", published_on=D)


@pytest.mark.parametrize(("levels", "awards", "kinds", "best"), [
    ([lvl(5)], [], [Kind.CERTIFICATE], Award.NONE),  # 二级/技师 comes in
    ([lvl(4)], [], [], Award.NONE),  # 三级 does not
    ([lvl(6, "competition_promotion")], [], [Kind.COMPETITION], Award.NONE),  # a promotion counts as the level
    ([lvl(7, "appointment")], [], [Kind.APPOINTMENT], Award.NONE),
    ([lvl(5, standing=False, reason="证书已撤销")], [], [], Award.NONE),
    ([], [award("national")], [Kind.COMPETITION], Award.NATIONAL_MEDAL),
    ([], [award("worldskills_selection", "bronze")], [Kind.COMPETITION], Award.NATIONAL_MEDAL),
    ([], [award("provincial_2", "excellence")], [Kind.COMPETITION], Award.PROVINCIAL_MEDAL),
    ([], [award("city", "silver")], [Kind.COMPETITION], Award.CITY_MEDAL),
    ([], [award("industry", "gold")], [], Award.NONE),  # below 市级
    ([], [award("college", "gold")], [], Award.NONE),
    ([], [award("provincial_1", None, "provincial")], [Kind.TITLE], Award.TITLE),
    ([], [award("national", "gold", "national")], [Kind.COMPETITION, Kind.TITLE], Award.NATIONAL_MEDAL),
    ([], [award("provincial_1", "first_prize")], [], Award.NONE),  # not among the policy's award codes here
    ([lvl(4)], [award("city", "gold")], [Kind.COMPETITION], Award.CITY_MEDAL),
])
def test_sources_and_best_award(levels: list[LevelFact], awards: list[AwardFact], kinds: list[str],
                                best: Award) -> None:
    policy = Policy(award_codes=frozenset({"gold", "silver", "bronze", "excellence"}))
    decision = intake_decide(policy, levels, awards)
    assert sorted(s.kind for s in decision.sources) == sorted(kinds)
    assert decision.best_award == best
    assert decision.qualifies is bool(kinds)


def test_holdings_take_the_highest_standing_rung_of_each_occupation_also_below_the_threshold() -> None:
    decision = intake_decide(Policy(), [lvl(5, i=1), lvl(6, i=2), lvl(3, code="6-20-01-01", i=3),
                                        lvl(8, code="6-20-01-01", standing=False, i=4, reason="撤销")], [])
    assert decision.holdings == {"6-18-02-04": ("焊工", 6), "6-20-01-01": ("焊工", 3)}
    assert decision.ended == {"level:4": "撤销"}
    assert [s.ref for s in decision.sources] == ["level:1", "level:2"]


def test_the_policy_moves_the_thresholds() -> None:
    strict = Policy(min_certificate_rung=6, include_appointments=False, include_titles=False,
                    min_competition_level="provincial_2")
    decision = intake_decide(strict, [lvl(5), lvl(7, "appointment", i=2)],
                             [award("city"), award("provincial_2", entry=8), award("national", None, "national", 9)])
    assert [s.ref for s in decision.sources] == ["published:3:entry:8"]
    loose = Policy(min_competition_level="college")
    assert intake_decide(loose, [], [award("college")]).qualifies


def test_levels_order() -> None:
    assert level_at_least("national", "city") and level_at_least("city", "city")
    assert not level_at_least("industry", "city") and not level_at_least("mystery", "city")
    assert not level_at_least("city", "mystery")


def test_labels_are_chinese_and_refs_stable() -> None:
    first = intake_decide(Policy(), [lvl(5)], [award("national")])
    again = intake_decide(Policy(), [lvl(5)], [award("national")])
    assert first == again
    assert any("二级/技师" in s.label for s in first.sources)
    assert any("国赛" in s.label and "金牌" in s.label for s in first.sources)
