"""The proposal rule of matchmaking events (talentpool.domain.matchmaking), table-driven, with properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from talentpool.domain.dashboard import TILES, Figures, city_of
from talentpool.domain.matchmaking import (
    CollegeOffer,
    EnterpriseDemand,
    EventScope,
    MajorOffer,
    PostDemand,
    ScopeKind,
    UnitKind,
    occupation_closeness,
    propose_invitations,
)

WELDER = "6-18-02-04"
CHAIN, OTHER = 1, 2

LUZHONG = EnterpriseDemand(10, "鲁中重机", "jinan", frozenset({CHAIN}), (PostDemand("焊工", WELDER, "焊工", 18),))
JIAODONG = EnterpriseDemand(11, "胶东海工", "qingdao", frozenset({CHAIN}),
                            (PostDemand("焊工", WELDER, "焊工", 5), PostDemand("电工", "6-31-01-03", "电工", 4)))
WEIFANG = EnterpriseDemand(12, "潍坊新能源", "weifang", frozenset({OTHER}), (PostDemand("焊工", WELDER, "焊工", 30),))
TECH = CollegeOffer(20, "山东工业技师学院", "zibo", frozenset({CHAIN}),
                    (MajorOffer("焊接技术应用", (WELDER,), 120),), courses=3)
OCEAN = CollegeOffer(21, "青岛海洋职业技术学院", "qingdao", frozenset({CHAIN, OTHER}),
                     (MajorOffer("电气自动化", ("6-31-01-03",), 40), MajorOffer("机械加工", ("6-18-01-01",), 2)))


@pytest.mark.parametrize(("post", "codes", "expected"), [
    (WELDER, [WELDER], 1.0),
    (WELDER, ["6-18-02-99"], 0.6),  # same 小类
    (WELDER, ["6-18-05-01"], 0.3),  # same 中类
    (WELDER, ["6-31-01-03"], 0.0),
    (WELDER, ["not a code", WELDER], 1.0),
    ("garbage", [WELDER], 0.0),
    (WELDER, [], 0.0),
])
def test_occupation_closeness(post: str, codes: list[str], expected: float) -> None:
    assert occupation_closeness(post, codes) == expected


@pytest.mark.parametrize(("scope", "expected"), [
    # a chain event: units of the chain only (潍坊新能源 is of another chain)
    (EventScope(ScopeKind.CHAIN, chain_id=CHAIN),
     [(10, 18.0), (11, 5 + 4), (20, 18.0), (21, 4 + 0.6)]),
    # a city event (青岛): 胶东海工 and 青岛海洋 meet on 电工 (4) and 焊工 ↔ 机械加工, same 中类 (0.3 × 2 graduates)
    (EventScope(ScopeKind.CITY, city="qingdao"), [(11, 4.6), (21, 4.6)]),
    # an alliance of the colleges: enterprises of the whole province, only member colleges
    (EventScope(ScopeKind.ALLIANCE, alliance_members=frozenset({20})),
     [(12, 30.0), (10, 18.0), (11, 5.0), (20, 30.0)]),
    # a city with nobody
    (EventScope(ScopeKind.CITY, city="heze"), []),
])
def test_proposals_by_scope(scope: EventScope, expected: list[tuple[int, float]]) -> None:
    proposals = propose_invitations(scope, [LUZHONG, JIAODONG, WEIFANG], [TECH, OCEAN])
    assert [(p.organization_id, p.score) for p in proposals] == expected


def test_reason_names_the_heaviest_pair_and_courses() -> None:
    proposals = propose_invitations(EventScope(ScopeKind.CHAIN, chain_id=CHAIN), [LUZHONG], [TECH])
    assert [p.kind for p in proposals] == [UnitKind.ENTERPRISE, UnitKind.COLLEGE]
    assert proposals[0].reason == "岗位 焊工 18 人 ↔ 山东工业技师学院 焊接技术应用专业 毕业生 120 人，培训课程 3 门"
    assert proposals[1].reason == proposals[0].reason


def test_a_unit_with_no_pair_is_not_proposed_and_limit_holds() -> None:
    no_graduates = CollegeOffer(22, "无毕业生学院", "zibo", frozenset({CHAIN}), (MajorOffer("焊接", (WELDER,), 0),))
    proposals = propose_invitations(EventScope(ScopeKind.CHAIN, chain_id=CHAIN), [LUZHONG, JIAODONG],
                                    [no_graduates, TECH], limit=1)
    assert [p.organization_id for p in proposals] == [10, 20]


def test_tile_map_has_the_sixteen_cities_once_each() -> None:
    from talentpool.models import City

    assert sorted(t[0] for t in TILES) == sorted(City.values)
    assert len({(t[2], t[3]) for t in TILES}) == 16
    west = {t[1]: t[2] for t in TILES}
    assert west["菏泽"] < west["济南"] < west["潍坊"] < west["烟台"] < west["威海"]


@pytest.mark.parametrize(("text", "value"), [("济南市", "jinan"), ("青岛", "qingdao"), ("莱芜市", ""), ("", "")])
def test_city_of(text: str, value: str) -> None:
    assert city_of(text) == value


def test_gap_is_demand_minus_pool_and_graduates() -> None:
    assert Figures(100, 20, 30).gap == 50
    assert Figures(10, 20, 30).supply == 50


# --- properties -----------------------------------------------------------------------------------------------

_CODES = st.sampled_from([WELDER, "6-18-02-99", "6-18-05-01", "6-31-01-03", "bad"])
_CITIES = st.sampled_from(["jinan", "qingdao", "zibo"])
_CHAINS = st.frozensets(st.sampled_from([CHAIN, OTHER]), max_size=2)


@st.composite
def _units(draw: st.DrawFn) -> tuple[list[EnterpriseDemand], list[CollegeOffer]]:
    enterprises = [EnterpriseDemand(i, f"企业{i}", draw(_CITIES), draw(_CHAINS), tuple(
        PostDemand("岗位", draw(_CODES), "岗位", draw(st.integers(1, 50))) for _ in range(draw(st.integers(0, 3)))))
        for i in range(draw(st.integers(0, 5)))]
    colleges = [CollegeOffer(100 + i, f"院校{i}", draw(_CITIES), draw(_CHAINS), tuple(
        MajorOffer("专业", (draw(_CODES),), draw(st.integers(0, 200))) for _ in range(draw(st.integers(0, 3)))))
        for i in range(draw(st.integers(0, 4)))]
    return enterprises, colleges


@given(_units(), st.sampled_from([EventScope(ScopeKind.CHAIN, chain_id=CHAIN), EventScope(ScopeKind.CITY, city="jinan"),
                                  EventScope(ScopeKind.ALLIANCE, alliance_members=frozenset({0, 100}))]))
def test_proposals_are_unique_ranked_and_in_scope(units: tuple[list[EnterpriseDemand], list[CollegeOffer]],
                                                  scope: EventScope) -> None:
    enterprises, colleges = units
    proposals = propose_invitations(scope, enterprises, colleges)
    ids = [p.organization_id for p in proposals]
    assert len(ids) == len(set(ids))
    for kind in UnitKind:
        scores = [p.score for p in proposals if p.kind is kind]
        assert scores == sorted(scores, reverse=True) and all(s > 0 for s in scores)
    by_id = {c.organization_id: c for c in colleges}
    for p in proposals:
        if p.kind is UnitKind.COLLEGE and scope.kind is ScopeKind.CITY:
            assert by_id[p.organization_id].city == "jinan"
        if p.kind is UnitKind.COLLEGE and scope.kind is ScopeKind.ALLIANCE:
            assert p.organization_id in scope.alliance_members
    # an enterprise is proposed only with a college proposed too: a pair needs both sides
    assert any(p.kind is UnitKind.COLLEGE for p in proposals) == any(p.kind is UnitKind.ENTERPRISE for p in proposals)
