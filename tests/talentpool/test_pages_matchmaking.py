"""Pages and API of matchmaking events, challenges and equipment sharing: who sees what."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from accounts.models import Organization, User
from talentpool.models import (
    Challenge,
    ChallengeApplication,
    ChallengeStatus,
    InvitationStatus,
    MatchmakingEvent,
    MatchmakingScope,
)
from talentpool.services import challenges as challenge_services
from talentpool.services import matchmaking as services
from tests.talentpool import meet_steps as steps

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleges() -> tuple[Organization, Organization]:
    return steps.college("甲技师学院"), steps.college("乙职业学院", city="青岛市")


@pytest.fixture
def challenge(hr_of_a: User, enterprise_a: Organization) -> Challenge:
    return challenge_services.challenge_publish(actor=hr_of_a, enterprise_id=enterprise_a.pk,
                                                draft=challenge_services.ChallengeDraft(
                                                    title="焊接变形控制", problem="大型结构件焊接变形",
                                                    goal="变形小于 2mm", budget=Decimal("80"),
                                                    deadline=steps.in_days(30)))


def test_organizer_creates_proposes_and_records_through_pages(organizer: User, organizer_unit: Organization,
                                                              enterprise_a: Organization, hr_of_a: User,
                                                              client_of: Callable[[User], Client],
                                                              colleges: tuple[Organization, Organization],
                                                              django_assert_max_num_queries: Any) -> None:
    steps.demand(enterprise_a, posts=[(steps.WELDER, 18, "jinan")])
    steps.supply(colleges[0], majors=[("660301", "焊接技术应用", [steps.WELDER[0]], {steps.this_year(): 120})])
    client = client_of(organizer)
    response = client.post("/talentpool/events/", {
        "organizer": organizer_unit.pk, "name": "高端装备对接会", "scope": "chain", "chain": steps.chain().pk,
        "held_on": steps.in_days(3).isoformat(), "venue": "济南"})
    event = MatchmakingEvent.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/talentpool/events/{event.pk}/"
    client.post(f"/talentpool/events/{event.pk}/propose/")
    with django_assert_max_num_queries(30):
        page = client.get(f"/talentpool/events/{event.pk}/").content.decode()
    assert "岗位 焊工 18 人 ↔ 甲技师学院 焊接技术应用专业 毕业生 120 人" in page
    proposed_only = client_of(hr_of_a).get("/talentpool/events/").content.decode()
    assert "高端装备对接会" not in proposed_only  # a mere proposal is not shown to the unit
    assert client_of(hr_of_a).get(f"/talentpool/events/{event.pk}/").status_code == 404
    client = client_of(organizer)
    client.post(f"/talentpool/events/{event.pk}/invite/", {"organization": enterprise_a.pk})
    invitation = event.invitations.get(organization=enterprise_a)
    assert invitation.status == InvitationStatus.INVITED

    hr = client_of(hr_of_a)
    assert 'data-code="talentpool.invitations"' in hr.get("/").content.decode()  # waiting on the home page
    listing = hr.get("/talentpool/events/").content.decode()
    assert "高端装备对接会" in listing and f'data-invitation="{invitation.pk}"' in listing
    hr.post(f"/talentpool/invitations/{invitation.pk}/respond/", {"answer": "accept"})
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED
    hr_page = hr.get(f"/talentpool/events/{event.pk}/").content.decode()
    assert "生成推荐" not in hr_page and "推荐理由" not in hr_page  # the proposals are the organizer's

    client = client_of(organizer)
    response = client.post(f"/talentpool/events/{event.pk}/outcomes/", {"kind": "hire", "enterprise": enterprise_a.pk,
                                                                         "count": 5})
    assert response.status_code == 302 and event.outcomes.get().count == 5
    response = client.post(f"/talentpool/events/{event.pk}/outcomes/", {"kind": "hire", "enterprise": enterprise_a.pk,
                                                                         "count": 0})
    assert response.status_code == 422


def test_a_unit_not_invited_cannot_read_the_event(organizer: User, organizer_unit: Organization, hr_of_b: User,
                                                  enterprise_a: Organization,
                                                  client_of: Callable[[User], Client]) -> None:
    draft = services.EventDraft(name="会", scope=MatchmakingScope.CITY, city="jinan", held_on=steps.in_days(3))
    event = services.matchmaking_event_create(actor=organizer, organizer_id=organizer_unit.pk, draft=draft)
    services.matchmaking_invite(actor=organizer, event_id=event.pk, organization_id=enterprise_a.pk)
    client = client_of(hr_of_b)
    assert client.get(f"/talentpool/events/{event.pk}/").status_code == 404
    assert client.get(f"/api/v1/talentpool/events/{event.pk}").status_code == 404
    assert "会" not in [e["name"] for e in client.get("/api/v1/talentpool/events").json()]


def test_a_college_sees_only_its_own_application(challenge: Challenge, colleges: tuple[Organization, Organization],
                                                 hr_of_a: User, hr_of_b: User,
                                                 client_of: Callable[[User], Client],
                                                 django_assert_max_num_queries: Any) -> None:
    staff_a, staff_b = steps.staff_of(colleges[0], "sa"), steps.staff_of(colleges[1], "sb")
    steps.supply(colleges[0], majors=[], research=["焊接变形预测与控制研究"], cases=["起重机臂架焊接"])
    client = client_of(staff_a)
    listing = client.get("/talentpool/challenges/").content.decode()
    assert "焊接变形控制" in listing and 'data-testid="match"' in listing
    assert "科研项目：焊接变形预测与控制研究" in listing  # the reason of the rank
    response = client.post(f"/talentpool/challenges/{challenge.pk}/", {"proposal": "甲院方案：仿真", "team": "6 人"})
    assert response.status_code == 302
    client_of(staff_b).post(f"/talentpool/challenges/{challenge.pk}/", {"proposal": "乙院方案：机器人"})
    theirs = client_of(staff_b).get(f"/talentpool/challenges/{challenge.pk}/").content.decode()
    assert "乙院方案" in theirs and "甲院方案" not in theirs
    mine = ChallengeApplication.objects.get(college=colleges[0])
    assert client_of(staff_b).get(f"/api/v1/talentpool/challenges/{challenge.pk}").json()["applications"][0][
        "college_name"] == "乙职业学院"
    # another enterprise neither reads the challenge nor picks on it
    other = client_of(hr_of_b)
    assert other.get(f"/talentpool/challenges/{challenge.pk}/").status_code == 404
    assert other.post(f"/talentpool/applications/{mine.pk}/pick/").status_code == 404
    assert other.post(f"/api/v1/talentpool/applications/{mine.pk}/pick").status_code == 404
    owner = client_of(hr_of_a)
    with django_assert_max_num_queries(25):
        page = owner.get(f"/talentpool/challenges/{challenge.pk}/").content.decode()
    assert "甲院方案" in page and "乙院方案" in page
    owner.post(f"/talentpool/applications/{mine.pk}/pick/")
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.AWARDED


def test_enterprise_searches_open_equipment_and_requests(hr_of_a: User, enterprise_a: Organization,
                                                         colleges: tuple[Organization, Organization],
                                                         client_of: Callable[[User], Client]) -> None:
    steps.supply(colleges[0], majors=[], equipment=[("焊接机器人工作站", "弧焊机器人", True, False),
                                                    ("三坐标测量机", "精密测量", True, True),
                                                    ("内部服务器", "-", False, False)])
    steps.supply(colleges[1], majors=[], city="qingdao", equipment=[("焊接模拟器", "虚拟焊接", True, False)],
                 submitted=False)
    client = client_of(hr_of_a)
    page = client.get("/talentpool/equipment/", {"q": "焊接"}).content.decode()
    assert "焊接机器人工作站" in page and "三坐标" not in page and "焊接模拟器" not in page
    assert "内部服务器" not in client.get("/talentpool/equipment/").content.decode()
    paid = client.get("/api/v1/talentpool/equipment", {"paid": "true"}).json()
    assert [e["name"] for e in paid] == ["三坐标测量机"]
    robot = paid[0]["id"] - 1
    response = client.post(f"/talentpool/equipment/{robot}/request/", {
        "purpose": "新产品试焊", "start_on": steps.in_days(1).isoformat(), "end_on": steps.in_days(3).isoformat()})
    assert response.status_code == 302
    staff = client_of(steps.staff_of(colleges[0], "sa"))
    listing = staff.get("/talentpool/equipment/").content.decode()
    assert "新产品试焊" in listing and 'data-testid="decide"' in listing
    other_staff = client_of(steps.staff_of(colleges[1], "sb"))
    assert "新产品试焊" not in other_staff.get("/talentpool/equipment/").content.decode()


def test_menu_and_home_entries(hr_of_a: User, client_of: Callable[[User], Client]) -> None:
    page = client_of(hr_of_a).get("/").content.decode()
    for key in ("talentpool_events", "talentpool_challenges", "talentpool_equipment", "talentpool_dashboard"):
        assert f'data-nav="{key}"' in page
