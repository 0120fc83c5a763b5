"""The certification pages: catalogue list (query budget) and detail, the Excel page's refused file, a person's
levels (own and others', with refusals), the eligibility page."""

from __future__ import annotations

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.models import User
from certification.domain.ladder import SkillLevel
from certification.excel.sheets import CATALOGUE
from core.excel import write_workbook
from tests.certification.factories import held, occupation


def test_the_catalogue_page_lists_and_searches_within_a_query_budget(  # type: ignore[no-untyped-def]
        client_of, worker_of_a: User, django_assert_max_num_queries) -> None:
    for n in range(30):
        occupation(f"6-18-{n // 10:02d}-{n % 10:02d}", f"职业{n}")
    client = client_of(worker_of_a)
    client.get("/certification/catalogue/")  # session and user warmed
    with django_assert_max_num_queries(8):
        page = client.get("/certification/catalogue/")
    assert page.status_code == 200 and page.content.decode().count('data-code="6-18-') == 30
    assert "首席技师" in page.content.decode()
    found = client.get("/certification/catalogue/", {"q": "6-18-01"}).content.decode()
    assert found.count('data-code="6-18-') == 10


def test_the_detail_shows_each_levels_rule_in_words(client_of, worker_of_a: User) -> None:  # type: ignore[no-untyped-def]
    welder = occupation()
    page = client_of(worker_of_a).get(f"/certification/catalogue/{welder.pk}/").content.decode()
    assert "取得五级/初级工或以上等级；从事本职业工作满 4 年" in page


def test_a_refused_import_lists_the_bad_cells_and_others_may_not_import(  # type: ignore[no-untyped-def]
        client_of, platform_admin: User, organizer: User) -> None:
    data = write_workbook([(CATALOGUE, [{"code": "6-18-02-4", "name": "焊工", "levels": "五级"}])])
    assert client_of(organizer).post("/certification/catalogue/excel/import/",
                                     {"file": SimpleUploadedFile("c.xlsx", data)}).status_code == 403
    page = client_of(platform_admin).post("/certification/catalogue/excel/import/",
                                          {"file": SimpleUploadedFile("c.xlsx", data)})
    assert page.status_code == 422 and "6-18-02-4" in page.content.decode()


def test_my_levels_and_a_persons_levels(client_of, worker_of_a: User, hr_of_b: User,  # type: ignore[no-untyped-def]
                                        organizer: User) -> None:
    held(worker_of_a.pk, occupation(), SkillLevel.THREE, date(2021, 1, 1))
    mine = client_of(worker_of_a).get("/certification/levels/mine/").content.decode()
    assert "三级/高级工" in mine and "职业技能等级证书" in mine and 'data-testid="record-level"' not in mine
    assert client_of(hr_of_b).get(f"/certification/people/{worker_of_a.pk}/levels/").status_code == 404
    page = client_of(organizer).get(f"/certification/people/{worker_of_a.pk}/levels/").content.decode()
    assert 'data-testid="record-level"' in page and "csrfmiddlewaretoken" in page


def test_the_eligibility_page_explains_and_refuses_the_unrelated(client_of, organizer: User,  # type: ignore[no-untyped-def]
                                                                 worker_of_a: User, outsider: User) -> None:
    welder = occupation()
    assert client_of(outsider).get("/certification/eligibility/").status_code == 403
    page = client_of(organizer).get("/certification/eligibility/", {
        "person": worker_of_a.username, "occupation": welder.pk, "level": 5, "years_in_trade": "0.5",
        "education": 1})
    text = page.content.decode()
    assert 'data-eligible="false"' in text and "须从事本职业工作满 1 年" in text and "须完成学徒培训" in text


def test_the_skill_setup_page_links_a_catalogue_occupation(  # type: ignore[no-untyped-def]
        client_of, organizer: User) -> None:
    from competitions.models import Skill
    from tests.competitions.factories import EventFactory, SkillFactory

    welder = occupation()
    event = EventFactory(organizer=organizer.memberships.get().organization)
    skill = SkillFactory(event=event, name="焊工", occupation_code="6-18-02-04")
    client: Client = client_of(organizer)
    form = client.get(f"/competitions/skills/{skill.pk}/edit/").content.decode()
    assert f'value="{welder.pk}"' in form
    answer = client.post(f"/competitions/skills/{skill.pk}/edit/", {
        "name": "焊工", "occupation_code": "6-18-02-04", "group": skill.group, "team_size": 1,
        "occupation": welder.pk, "tie_break_1": "completion_time"})
    assert answer.status_code == 302
    assert Skill.objects.get(pk=skill.pk).occupation_id == welder.pk
