"""The checklists' pages: an enterprise files its demand checklist through the form (rows posted as the page's
script adds them), errors are shown beside their fields, lists and detail pages, and who may see what."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from accounts.models import Organization, OrganizationKind, Role, User
from talentpool.models import ChecklistStatus, DemandChecklist, DemandPostSkill, SupplyChecklist
from talentpool.services import checklists as services
from tests.accounts.factories import OrganizationFactory, person
from tests.certification.factories import occupation
from tests.talentpool.checklist_forms import TURNER, WELDER, demand_form, supply_form

pytestmark = pytest.mark.django_db
SignIn = Callable[[User], Client]


@pytest.fixture(autouse=True)
def _catalogue(db: None) -> None:
    occupation(WELDER, "焊工")
    occupation(TURNER, "车工")


def _demand_post(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "unit": "", "year": "2026", "enterprise_name": "甲企业", "nature": "chain_leader", "city": "jinan",
        "contact_person": "王经理", "contact_phone": "0531-88888888", "contact_email": "",
        "chains": ["high-end-equipment"],
        "posts-key": ["a", "b"], "posts-name": ["焊接工", "车工岗"], "posts-occupation_code": [WELDER, TURNER],
        "posts-headcount": ["5", "2"], "posts-level": ["四级/中级工", "二级/技师"], "posts-education": ["2", "0"],
        "posts-years_experience": ["2", ""], "posts-city": ["jinan", "jinan"], "posts-salary": ["", ""],
        "posts-description": ["", ""],
        "skills-post": ["a", "a", "b"], "skills-name": ["二氧化碳气体保护焊", "识图", "数控编程"],
        "skills-level": ["四级/中级工", "", ""], "skills-must_have": ["1", "0", "1"],
        "training_needs-content": ["焊接机器人"], "training_needs-trainees": ["焊工"], "training_needs-size": ["20"],
        "training_needs-period": ["三季度"], "training_needs-mode": ["offline"],
    }
    data.update(changes)
    return data


def test_hr_files_a_demand_checklist_in_the_form(client_of: SignIn, hr_of_a: User, enterprise_a: Organization) -> None:
    client = client_of(hr_of_a)
    page = client.get(f"/talentpool/checklists/demand/new/?unit={enterprise_a.pk}&year=2026")
    assert page.status_code == 200 and "岗位需求" in page.content.decode()
    answer = client.post("/talentpool/checklists/demand/new/", _demand_post(unit=str(enterprise_a.pk)))
    assert answer.status_code == 302, answer.content.decode()[:2000]
    checklist = DemandChecklist.objects.get()
    assert list(checklist.posts.values_list("name", "headcount")) == [("焊接工", 5), ("车工岗", 2)]
    assert sorted(DemandPostSkill.objects.values_list("post__name", "skill_point__name", "must_have")) == [
        ("焊接工", "二氧化碳气体保护焊", True), ("焊接工", "识图", False), ("车工岗", "数控编程", True)]
    detail = client.get(answer["Location"]).content.decode()
    assert "二氧化碳气体保护焊" in detail and f"/talentpool/posts/{checklist.posts.first().pk}/matches/" in detail
    client.post(f"/talentpool/checklists/demand/{checklist.pk}/submit/")
    checklist.refresh_from_db()
    assert checklist.status == ChecklistStatus.SUBMITTED
    listing = client.get("/talentpool/checklists/demand/").content.decode()
    assert "已报送" in listing and f'data-checklist="{checklist.pk}"' in listing


def test_errors_are_shown_beside_their_fields_and_nothing_is_saved(client_of: SignIn, hr_of_a: User,
                                                                   enterprise_a: Organization) -> None:
    answer = client_of(hr_of_a).post("/talentpool/checklists/demand/new/", _demand_post(
        unit=str(enterprise_a.pk), **{"posts-headcount": ["0", "abc"], "contact_phone": "123"}))
    assert answer.status_code == 422
    html = answer.content.decode()
    for field in ("posts[0].headcount", "posts[1].headcount", "contact_phone"):
        assert f'data-field="{field}"' in html
    assert "“岗位需求第1行 需求人数”必须大于 0。" in html and "“岗位需求第2行 需求人数”的值“abc”不是数字。" in html
    assert "识图" in html  # the rows typed are shown again
    assert not DemandChecklist.objects.exists()


def test_a_demand_with_no_post_is_refused(client_of: SignIn, hr_of_a: User, enterprise_a: Organization) -> None:
    answer = client_of(hr_of_a).post("/talentpool/checklists/demand/new/", _demand_post(
        unit=str(enterprise_a.pk), **{f"posts-{k}": [] for k in ("key", "name", "occupation_code", "headcount",
                                                                 "level", "education", "years_experience", "city",
                                                                 "salary", "description")}))
    assert answer.status_code == 422 and "需求清单至少要有一个岗位。" in answer.content.decode()


def test_another_enterprises_hr_gets_404(client_of: SignIn, hr_of_a: User, hr_of_b: User,
                                         enterprise_a: Organization) -> None:
    checklist = services.demand_checklist_save(actor=hr_of_a, enterprise=enterprise_a, year=2026, form=demand_form())
    client = client_of(hr_of_b)
    for url in (f"/talentpool/checklists/demand/{checklist.pk}/", f"/talentpool/checklists/demand/{checklist.pk}/edit/",
                f"/talentpool/checklists/demand/{checklist.pk}/export.xlsx",
                f"/talentpool/checklists/demand/new/?unit={enterprise_a.pk}"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/talentpool/checklists/demand/{checklist.pk}/submit/").status_code == 404


def test_a_college_cannot_edit_an_enterprises_checklist(client_of: SignIn, hr_of_a: User,
                                                         enterprise_a: Organization) -> None:
    checklist = services.demand_checklist_save(actor=hr_of_a, enterprise=enterprise_a, year=2026, form=demand_form())
    staff = person(Role.COLLEGE_STAFF, OrganizationFactory(kind=OrganizationKind.COLLEGE))
    client = client_of(staff)
    assert client.get(f"/talentpool/checklists/demand/{checklist.pk}/edit/").status_code == 404
    assert client.post(f"/talentpool/checklists/demand/{checklist.pk}/edit/", _demand_post()).status_code == 404


def test_organizer_lists_all_with_filters(client_of: SignIn, hr_of_a: User, enterprise_a: Organization,
                                          organizer: User, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    checklist = services.demand_checklist_save(actor=hr_of_a, enterprise=enterprise_a, year=2026, form=demand_form())
    client = client_of(organizer)
    with django_assert_max_num_queries(15):
        html = client.get("/talentpool/checklists/demand/?chain=high-end-equipment&city=jinan").content.decode()
    assert f'data-checklist="{checklist.pk}"' in html
    assert f'data-checklist="{checklist.pk}"' not in client.get(
        "/talentpool/checklists/demand/?city=qingdao").content.decode()
    detail = client.get(f"/talentpool/checklists/demand/{checklist.pk}/").content.decode()
    assert "焊接工" in detail and 'data-testid="edit"' not in detail


def test_college_files_and_reads_a_supply_checklist(client_of: SignIn) -> None:
    college = OrganizationFactory(name="乙学院", kind=OrganizationKind.COLLEGE, city="淄博市")
    staff = person(Role.COLLEGE_STAFF, college)
    client = client_of(staff)
    page = client.get(f"/talentpool/checklists/supply/new/?unit={college.pk}&year=2026").content.decode()
    assert "专业设置" in page and 'value="乙学院"' in page
    answer = client.post("/talentpool/checklists/supply/new/", {
        "unit": str(college.pk), "year": "2026", "college_name": "乙学院", "city": "zibo", "contact_person": "李老师",
        "contact_phone": "13912345678", "chains": ["high-end-equipment"],
        "majors-code": ["0302"], "majors-name": ["焊接加工"], "majors-occupation_codes": [f"{WELDER}、{TURNER}"],
        "teachers-major_code": ["0302"], "teachers-full_time": ["5"], "teachers-senior_title": ["6"],
        "teachers-part_time_industry": [""]})
    assert answer.status_code == 422 and 'data-field="teachers[0].senior_title"' in answer.content.decode()
    services.supply_checklist_save(actor=staff, college=college, year=2026, form=supply_form())
    checklist = SupplyChecklist.objects.get()
    html = client.get(f"/talentpool/checklists/supply/{checklist.pk}/").content.decode()
    assert "焊接机器人" in html and "ZL202420000001.1" in html
    assert client.get(f"/talentpool/checklists/supply/{checklist.pk}/edit/").status_code == 200
