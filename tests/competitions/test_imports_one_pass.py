"""Roster imports that cannot be gamed and say everything at once (issue 9 items 2, 10 and 15):

- a person on the platform is matched only when ID number AND name agree; a person registered with an empty name
  matches nobody, and a disagreement is a cell error that names neither the registered name nor the account;
- every bad cell of a file is named in one pass, the database's checks on a row's good cells included, in the
  request and in the background task alike;
- the import asks the caller's rights before telling the event's stage, on the API and the page;
- the coach's ID number is masked in the organizer's roster export.
"""

from __future__ import annotations

import io
import random
from datetime import date
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import translation
from openpyxl import load_workbook

from accounts.excel import parse_real_name
from accounts.models import Membership, Organization, Role, User
from accounts.synthetic import synthetic_id_number
from audit.models import AuditEntry
from competitions import excel as workbooks
from competitions import services
from competitions.excel.sheets import MAX_FILE_BYTES
from competitions.models import Entry, EntryMember, Group, Skill, Status
from core.errors import ImportFailed, NotFound
from core.excel import CellError
from tests.accounts.factories import person
from tests.accounts.steps import bearer
from tests.competitions import rosters
from tests.competitions.factories import EventFactory, SkillFactory, contestant, welding_scheme
from tests.competitions.steps import Scenario

_rng = random.Random(99)
KEYS = {c.header: c.key for c in workbooks.ROSTER.columns}


def new_id(born: date = date(1995, 6, 1), male: bool = True) -> str:
    return synthetic_id_number(_rng, born=born, male=male)


def row(name: str, number: str, *, mobile: str = "", unit: str = "甲企业", group: str = "职工组", coach: str = "",
        team: str = "") -> list[object]:
    return [team, name, number, mobile, unit, group, coach]


def counts() -> dict[str, int]:
    return {"users": User.objects.count(), "entries": Entry.objects.count(), "members": EntryMember.objects.count(),
            "memberships": Membership.objects.count(), "audit": AuditEntry.objects.count()}


def found(caught: pytest.ExceptionInfo[ImportFailed]) -> list[tuple[int, str, str]]:
    """(row, column key, code) of every refused cell, in the order reported."""
    return [(e.row, KEYS[e.column], e.code) for e in caught.value.row_errors]


def run_worker() -> None:
    call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", verbosity=0)


def import_url(skill: Skill) -> str:
    return f"/api/v1/competitions/skills/{skill.pk}/roster/import"


# --- item 2: ID number AND name ---------------------------------------------------------------------------------


def test_a_squatter_with_a_blank_name_matches_no_row_and_the_victims_registration_is_refused(
    registration_skill: Skill, hr_of_a: User, enterprise_a: Organization
) -> None:
    """The squatting test: someone put the victim's ID number on their own account and blanked the name; the
    victim's unit then imports the victim. Before, the import matched the squatter by ID number alone (the name
    check was skipped for an empty name) and attached the victim's registration to the squatter's account."""
    victim_number = new_id()
    squatter = contestant(enterprise_a, real_name="", username="squatter_account", id_number=victim_number)
    before = counts()
    with pytest.raises(ImportFailed) as caught:
        services.roster_import(actor=hr_of_a, skill=registration_skill, data=rosters.workbook([
            row("张受害", victim_number),
        ]))
    assert found(caught) == [(2, "name", "import.name_mismatch")]
    (error,) = caught.value.rows()
    assert error["sheet"] == "报名表" and error["column"] == "姓名"
    assert "“姓名”与“身份证号”不一致" in error["message"] and victim_number in error["message"]
    assert "squatter_account" not in error["message"]  # the account is not told, nor that its name is empty
    assert counts() == before
    assert not EntryMember.objects.filter(person=squatter).exists()


def test_a_registered_person_under_another_name_is_a_cell_error_that_does_not_tell_the_registered_name(
    registration_skill: Skill, hr_of_a: User, enterprise_a: Organization, client: Client
) -> None:
    known = contestant(enterprise_a, real_name="王登记")
    auth = bearer(hr_of_a)
    before = counts()
    response = client.post(import_url(registration_skill),
                           {"file": rosters.upload(rosters.workbook([row("王冒名", known.id_number)]))}, **auth)
    assert response.status_code == 422
    (error,) = response.json()["rows"]
    assert (error["sheet"], error["row"], error["column"]) == ("报名表", 2, "姓名")
    assert "王冒名" in error["message"] and "王登记" not in error["message"]
    assert counts() == before


def test_a_registered_name_typed_with_spaces_or_full_width_letters_is_the_same_name(
    registration_skill: Skill, hr_of_a: User, enterprise_a: Organization
) -> None:
    """The choice written in accounts.excel.same_real_name: NFKC and no spaces, every other character counts."""
    spaced = contestant(enterprise_a, real_name="张三")
    latin = contestant(enterprise_a, real_name="Anna Li")
    entries = services.roster_import(actor=hr_of_a, skill=registration_skill, data=rosters.workbook([
        row("张 三", spaced.id_number), row("Ａｎｎａ Li", latin.id_number),
    ]))
    assert {e.members.get().person for e in entries} == {spaced, latin}
    assert User.objects.get(pk=spaced.pk).real_name == "张三"  # the record is left as it is


def test_the_name_disagreement_reads_in_english_for_an_english_reader(
    registration_skill: Skill, hr_of_a: User, enterprise_a: Organization
) -> None:
    known = contestant(enterprise_a, real_name="王登记")
    with pytest.raises(ImportFailed) as caught:
        services.roster_import(actor=hr_of_a, skill=registration_skill,
                               data=rosters.workbook([row("王冒名", known.id_number)]))
    with translation.override("en"):
        (error,) = caught.value.rows()
    assert error["message"].startswith('"Name" and "ID card number" do not agree') and "王登记" not in error["message"]


def test_a_name_too_long_is_named_at_its_cell_not_a_server_error(registration_skill: Skill, hr_of_a: User) -> None:
    """Before, a 51-character name passed the checks and PostgreSQL refused the insert (a 500 after the checks)."""
    before = counts()
    with pytest.raises(ImportFailed) as caught:
        services.roster_import(actor=hr_of_a, skill=registration_skill, data=rosters.workbook([
            row("张" * 51, new_id()), row("𠅤" * 50, new_id()),  # 50 characters outside the basic plane are fine
        ]))
    assert found(caught) == [(2, "name", "field.too_long")]
    assert "“姓名”最多 50 个字符" in caught.value.rows()[0]["message"]
    assert counts() == before


def test_a_control_character_in_a_name_is_refused() -> None:
    """openpyxl refuses to write such a cell, but another program's file may carry one; PostgreSQL refuses NUL."""
    with pytest.raises(CellError) as caught:
        parse_real_name("李\x00四")
    assert caught.value.code == "field.control_character"
    assert parse_real_name("买买提·艾力") == "买买提·艾力"


# --- item 10: one pass, database checks included ---------------------------------------------------------------


def test_every_bad_cell_and_every_database_problem_is_named_in_one_pass(
    registration_skill: Skill, hr_of_a: User, enterprise_a: Organization, enterprise_b: Organization
) -> None:
    """Before, a row with a bad cell was left out of the database checks, so a second upload found the rest."""
    entered = contestant(enterprise_a, real_name="已报名")
    services.entry_submit(actor=hr_of_a, skill=registration_skill, unit=enterprise_a,
                          members=[services.MemberData(entered, Group.WORKER)])
    known = contestant(enterprise_a, real_name="王登记")
    twice = new_id()
    before = counts()
    with pytest.raises(ImportFailed) as caught:
        services.roster_import(actor=hr_of_a, skill=registration_skill, data=rosters.workbook([
            row("张好", new_id()),                                               # 2: fine
            row("钱乱", new_id(), mobile="12345", unit="不存在的单位"),          # 3: bad phone AND unknown unit
            row("已报名", entered.id_number, group="干部组"),                     # 4: bad group AND entered already
            row("郑冒", known.id_number, mobile="999"),                           # 5: bad phone AND name mismatch
            row("吴一", twice),                                                   # 6: fine by itself
            row("吴二", twice, group="干部组"),                                   # 7: bad group AND duplicate ID
            row("周老", new_id(date(1960, 1, 1)), coach="12"),                    # 8: bad coach AND too old
            row("冯乙", new_id(), unit="乙企业", mobile="1"),                     # 9: bad phone AND not A's unit
            row("陈教", "110105194912310021", coach=new_id(date(1980, 2, 2))),   # 10: bad ID AND unknown coach
        ]))
    assert sorted(found(caught)) == sorted([
        (3, "mobile", "mobile.format"), (3, "unit", "import.unknown_unit"),
        (4, "group", "excel.not_a_choice"), (4, "id_number", "registration.already_entered"),
        (5, "mobile", "mobile.format"), (5, "name", "import.name_mismatch"),
        (7, "id_number", "excel.duplicate"), (7, "group", "excel.not_a_choice"),
        (8, "id_number", "registration.too_old"), (8, "coach_id", "id_number.format"),
        (9, "mobile", "mobile.format"), (9, "unit", "import.unit_not_allowed"),
        (10, "id_number", "id_number.check_digit"), (10, "coach_id", "import.unknown_person"),
    ])
    assert [e.row for e in caught.value.row_errors] == sorted(e.row for e in caught.value.row_errors)
    assert counts() == before


def test_a_team_with_a_bad_cell_is_still_judged_on_its_other_members(
    organizer: User, organizer_unit: Organization, hr_of_a: User, enterprise_b: Organization
) -> None:
    event = EventFactory(organizer=organizer_unit, starts_on=date(2026, 10, 20), ends_on=date(2026, 10, 21))
    skill = SkillFactory(event=event, name="团体电工", team_size=2)
    services.scheme_save(actor=organizer, skill=skill, modules=welding_scheme())
    services.event_transition(actor=organizer, event=event, target=Status.REGISTRATION)
    with pytest.raises(ImportFailed) as caught:
        services.roster_import(actor=hr_of_a, skill=skill, data=rosters.workbook([
            row("甲一", new_id(), team="1", mobile="1"),                       # 2: bad phone
            row("甲二", new_id(date(1950, 1, 1)), team="1", unit="乙企业"),    # 3: too old, other unit
            row("乙一", "1101", team="2"),                                     # 4: bad ID: team 2's size not judged
            row("乙二", new_id(), team="2"),                                   # 5: fine
        ]))
    assert sorted(found(caught)) == sorted([
        (2, "mobile", "mobile.format"), (3, "unit", "import.unit_not_allowed"),
        (3, "unit", "import.team_unit_mismatch"), (3, "id_number", "registration.too_old"),
        (4, "id_number", "id_number.format"),
    ])


@pytest.mark.django_db(transaction=True)
def test_the_background_import_names_cell_and_database_problems_in_one_pass_and_writes_nothing(
    registration_skill: Skill, hr_of_a: User, enterprise_a: Organization, client: Client
) -> None:
    entered = contestant(enterprise_a, real_name="已报名")
    services.entry_submit(actor=hr_of_a, skill=registration_skill, unit=enterprise_a,
                          members=[services.MemberData(entered, Group.WORKER)])
    known = contestant(enterprise_a, real_name="王登记")
    rows = rosters.roster_rows(320, unit="甲企业")
    rows[8][3], rows[8][4] = "12345", "不存在的单位"  # row 10: a bad phone and an unknown unit
    rows[98][1:3] = ["已报名", entered.id_number]  # row 100: entered already
    rows[98][5] = "干部组"  # … and no such group
    rows[198][1:3] = ["冒名", known.id_number]  # row 200: someone else's number
    rows[248][2] = rows[5][2]  # row 250: row 7's ID number again
    rows[248][6] = "99"  # … and a coach number that is no number
    auth = bearer(hr_of_a)
    response = client.post(import_url(registration_skill), {"file": rosters.upload(rosters.workbook(rows))}, **auth)
    assert response.status_code == 202
    before = counts()

    run_worker()

    result = client.get(f"/api/v1/tasks/{response.json()['task_id']}", **auth).json()["result"]
    assert result["code"] == "import_failed"
    assert [(r["row"], KEYS[r["column"]]) for r in result["rows"]] == [
        (10, "mobile"), (10, "unit"), (100, "id_number"), (100, "group"), (200, "name"), (250, "id_number"),
        (250, "coach_id"),
    ]
    assert "已报名本次竞赛" in result["rows"][2]["message"] and "王登记" not in result["rows"][4]["message"]
    assert result["message"] == "文件中有 7 处错误，未保存任何内容。"
    assert counts() == before


# --- item 15: rights before the stage ----------------------------------------------------------------------------


@pytest.fixture
def draft_skill(organizer_unit: Organization) -> Skill:
    """A skill of an event still in preparation (筹备): it exists only for the organizer."""
    event = EventFactory(organizer=organizer_unit, starts_on=date(2026, 11, 2), ends_on=date(2026, 11, 3))
    return SkillFactory(event=event, name="筹备中的赛项")


def test_the_api_import_asks_rights_before_telling_the_stage(
    draft_skill: Skill, scenario: Scenario, hr_of_a: User, referee_of_a: User, outsider: User, organizer: User,
    client: Client
) -> None:
    """Before, every caller who nominates for some unit learnt that a draft event existed and what stage it was in
    ("报名未开放（筹备）"), and anyone got "file too large" before "not allowed"."""
    file = rosters.workbook([row("张新", new_id())])
    for someone in (hr_of_a, referee_of_a, outsider):
        response = client.post(import_url(draft_skill), {"file": rosters.upload(file)}, **bearer(someone))
        assert response.status_code == 404, (someone, response.content)
        assert "筹备" not in response.content.decode()
    # A skill past registration is public, stage and all: still, no right to nominate is 403 before 409.
    for someone in (referee_of_a, outsider):
        response = client.post(import_url(scenario.skill), {"file": rosters.upload(file)}, **bearer(someone))
        assert response.status_code == 403
    too_large = rosters.upload(b"\0" * (MAX_FILE_BYTES + 1))
    response = client.post(import_url(scenario.skill), {"file": too_large}, **bearer(outsider))
    assert response.status_code == 403
    response = client.post(import_url(scenario.skill), {"file": rosters.upload(file)}, **bearer(hr_of_a))
    assert response.status_code == 409
    # The organizer sees its own draft, and so may hear that registration is not open yet.
    response = client.post(import_url(draft_skill), {"file": rosters.upload(file)}, **bearer(organizer))
    assert response.status_code == 409 and "筹备" in response.json()["message"]
    assert not Entry.objects.filter(skill__in=[draft_skill, scenario.skill], members__person__real_name="张新").exists()


def test_the_page_import_asks_rights_before_telling_the_stage(
    draft_skill: Skill, scenario: Scenario, hr_of_a: User, referee_of_a: User, client_of  # type: ignore[no-untyped-def]
) -> None:
    file = rosters.workbook([row("张新", new_id())])
    client = client_of(hr_of_a)
    assert client.get(f"/competitions/skills/{draft_skill.pk}/excel/").status_code == 404
    response = client.post(f"/competitions/skills/{draft_skill.pk}/excel/roster/import/",
                           {"file": rosters.upload(file)})
    assert response.status_code == 404 and "筹备" not in response.content.decode()
    response = client.post(f"/competitions/skills/{scenario.skill.pk}/excel/roster/import/",
                           {"file": rosters.upload(file)}, follow=True)
    assert "报名" in response.content.decode()  # the unit may nominate: it hears that registration is closed
    referee = client_of(referee_of_a)
    response = referee.post(f"/competitions/skills/{scenario.skill.pk}/excel/roster/import/",
                            {"file": rosters.upload(file)})
    assert response.status_code == 403


def test_the_service_refuses_an_invisible_skill_before_reading_the_file(draft_skill: Skill, hr_of_a: User) -> None:
    with pytest.raises(NotFound):
        services.roster_import(actor=hr_of_a, skill=draft_skill, data=b"not even a workbook")
    with pytest.raises(NotFound):
        services.roster_import_check(actor=hr_of_a, skill=draft_skill)


# --- item 10: no export shows a number to a reader who has no need of it --------------------------------------


def _roster_export(viewer: User, skill: Skill) -> list[dict[str, Any]]:
    sheet = load_workbook(io.BytesIO(workbooks.roster_export(viewer=viewer, skill=skill)))["报名表"]
    lines = list(sheet.iter_rows(values_only=True))
    return [{KEYS.get(str(h), str(h)): v for h, v in zip(lines[0], line, strict=True)} for line in lines[1:]]


def test_the_organizer_s_roster_export_masks_the_coach_s_id_number_and_the_nominating_unit_s_does_not(
    registration_skill: Skill, hr_of_a: User, organizer: User, enterprise_a: Organization, platform_admin: User
) -> None:
    coach = person(Role.COACH, enterprise_a, real_name="李教练")
    number = new_id()
    services.roster_import(actor=hr_of_a, skill=registration_skill, data=rosters.workbook([
        row("张新", number, mobile="13812345678", coach=coach.id_number),
    ]))
    (line,) = _roster_export(organizer, registration_skill)
    assert line["id_number"] == number and line["mobile"] == "13812345678"  # the organizer verifies contestants
    assert line["coach_id"] != coach.id_number and "*" in line["coach_id"]  # … not coaches
    assert line["coach_id"][:4] == coach.id_number[:4] and line["coach_id"][-4:] == coach.id_number[-4:]
    (own,) = _roster_export(hr_of_a, registration_skill)
    assert own["coach_id"] == coach.id_number and own["id_number"] == number
    (admin,) = _roster_export(platform_admin, registration_skill)
    assert admin["coach_id"] == coach.id_number



def test_the_roster_export_of_a_skill_in_preparation_is_404_for_anyone_but_its_organizer(
    draft_skill: Skill, hr_of_a: User, organizer: User, client: Client
) -> None:
    """An empty workbook named after the skill told its name before the event was announced."""
    url = f"/api/v1/competitions/skills/{draft_skill.pk}/roster/export"
    response = client.get(url, **bearer(hr_of_a))
    assert response.status_code == 404 and "筹备中的赛项" not in response.get("Content-Disposition", "")
    assert client.get(url, **bearer(organizer)).status_code == 200
