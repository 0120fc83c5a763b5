"""The dashboard's figures against a small hand-built dataset, its query budget, and its page (aggregates only)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from accounts.models import Alliance, AllianceMember, Organization, Role, User
from talentpool.models import City, Invitation, InvitationStatus, MatchmakingEvent, Outcome, OutcomeKind, Talent
from talentpool.selectors.dashboard import dashboard
from tests.accounts.factories import UserFactory, person
from tests.talentpool import meet_steps as steps

pytestmark = pytest.mark.django_db


@pytest.fixture
def dataset(enterprise_a: Organization, enterprise_b: Organization, organizer: User,
            organizer_unit: Organization) -> dict[str, Any]:
    """甲企业 (济南, 高端装备) needs 18 welders in 济南 and 4 fitters in 青岛; 乙企业 (青岛, 船舶) 10 welders in 青岛
    and a draft (not counted) of 99; 甲学院 (淄博, 高端装备) has 120 welding graduates of the last three years and
    50 of four years ago (not counted); three talents in the pool, one out; one event of 高端装备 with outcomes."""
    equipment_chain, ships = steps.chain(), steps.chain("ships-offshore")
    steps.demand(enterprise_a, posts=[(steps.WELDER, 18, City.JINAN), (steps.FITTER, 4, City.QINGDAO)],
                 chains=[equipment_chain])
    steps.demand(enterprise_b, posts=[(steps.WELDER, 10, City.QINGDAO)], chains=[ships])
    steps.demand(enterprise_b, posts=[(steps.WELDER, 99, City.QINGDAO)], chains=[ships], year=steps.this_year() - 1,
                 submitted=False)
    college = steps.college("甲学院")
    year = steps.this_year()
    steps.supply(college, majors=[("660301", "焊接", [steps.WELDER[0]], {year: 50, year - 2: 70, year - 3: 50})],
                 chains=[equipment_chain], city=City.ZIBO)
    names = []
    for i, (city, chains, status) in enumerate([(City.JINAN, [equipment_chain], "in_pool"),
                                                (City.JINAN, [equipment_chain, ships], "in_pool"),
                                                (City.QINGDAO, [], "in_pool"), (City.JINAN, [equipment_chain], "out")]):
        who = UserFactory(real_name=f"人才{i}号")
        names.append(who.real_name)
        member = person(Role.CANDIDATE, enterprise_a if i == 0 else enterprise_b)
        t = Talent.objects.create(person=member if i < 2 else who, city=city, status=status)
        t.chains.set(chains)
    alliance = Alliance.objects.create(name="测试联盟", lead=college)
    AllianceMember.objects.create(alliance=alliance, organization=enterprise_a)
    event = MatchmakingEvent.objects.create(organizer=organizer_unit, name="会", scope="chain", chain=equipment_chain,
                                            held_on=steps.in_days(0), created_by=organizer)
    for unit in (enterprise_a, college):
        Invitation.objects.create(event=event, organization=unit, status=InvitationStatus.ACCEPTED)
    Outcome.objects.create(event=event, kind=OutcomeKind.INTERVIEW, enterprise=enterprise_a, count=12,
                           recorded_by=organizer)
    Outcome.objects.create(event=event, kind=OutcomeKind.HIRE, enterprise=enterprise_a, college=college, count=5,
                           recorded_by=organizer)
    return {"names": names, "alliance": alliance}


def _row(rows: list[Any], key: str) -> Any:
    return next(r for r in rows if r.key == key)


def test_figures_per_chain_city_alliance(dataset: dict[str, Any], django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(22):
        d = dashboard()
    equipment = _row(d.chains, "high-end-equipment")
    assert (equipment.demand, equipment.pool, equipment.graduates, equipment.gap) == (22, 2, 120, 22 - 2 - 120)
    assert {o.kind: o.count for o in equipment.outcomes} == {"interview": 12, "hire": 5, "training_contract": 0,
                                                             "agreement": 0}
    ships = _row(d.chains, "ships-offshore")
    assert (ships.demand, ships.pool, ships.graduates) == (10, 1, 0)
    jinan, qingdao, zibo = _row(d.cities, "jinan"), _row(d.cities, "qingdao"), _row(d.cities, "zibo")
    assert (jinan.demand, jinan.pool, jinan.graduates) == (18, 2, 0)
    assert (qingdao.demand, qingdao.pool, qingdao.graduates) == (14, 1, 0)
    assert (zibo.demand, zibo.graduates, zibo.gap) == (0, 120, -120)
    assert {o.kind: o.count for o in jinan.outcomes}["hire"] == 5  # 甲企业 is of 济南市
    alliance = _row(d.alliances, str(dataset["alliance"].pk))
    assert (alliance.demand, alliance.pool, alliance.graduates) == (22, 1, 120)
    assert (d.totals.demand, d.totals.pool, d.totals.graduates) == (32, 3, 120)
    cities = list(City.values)
    matrix = {m.chain: m.gaps for m in d.matrix}
    assert matrix["高端装备"][cities.index("jinan")] == 18 - 2
    assert matrix["高端装备"][cities.index("qingdao")] == 4
    assert matrix["高端装备"][cities.index("zibo")] == -120
    tile = next(t for t in d.tiles if t.key == "qingdao")
    assert (tile.demand, tile.gap) == (14, 13)


def test_query_budget_does_not_grow_with_data(dataset: dict[str, Any], enterprise_a: Organization,
                                              django_assert_max_num_queries: Any) -> None:
    for n in range(5):
        steps.demand(steps.college(f"企业{n}"), posts=[(steps.WELDER, n + 1, City.JINAN)] * 1)
    with django_assert_max_num_queries(22):
        dashboard()


def test_page_shows_figures_and_no_person(dataset: dict[str, Any], hr_of_a: User,
                                          client_of: Callable[[User], Client],
                                          django_assert_max_num_queries: Any) -> None:
    client = client_of(hr_of_a)
    with django_assert_max_num_queries(35):
        response = client.get("/talentpool/dashboard/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="chains"' in page and "vendor/echarts/echarts.min.js" in page
    assert "cdn" not in page.lower()
    for name in dataset["names"]:
        assert name not in page
    assert "13800000000" not in page and "13900000000" not in page  # the checklists' contact phones
    api = client.get("/api/v1/talentpool/dashboard")
    assert api.status_code == 200 and api.json()["totals"]["demand"] == 32
    for name in dataset["names"]:
        assert name not in api.content.decode()


def test_an_outsider_gets_no_dashboard(outsider: User, client_of: Callable[[User], Client]) -> None:
    assert client_of(outsider).get("/talentpool/dashboard/").status_code == 403
