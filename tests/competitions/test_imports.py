"""Excel in and out for competitions: rosters and schemes import all-or-nothing with every bad cell named by sheet,
row and column; exports round-trip and mask ID numbers for readers without real-name rights."""

from __future__ import annotations

import io
import random
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from openpyxl import Workbook, load_workbook

from accounts.models import Membership, Organization, Role, User
from accounts.synthetic import synthetic_id_number
from audit.models import AuditEntry
from competitions import excel as workbooks
from competitions import services
from competitions.models import (
    Aspect,
    Entry,
    EntryMember,
    Group,
    MarkingMethod,
    Module,
    Skill,
    Status,
)
from core.errors import Conflict, ImportFailed, PermissionDenied
from tests.accounts.factories import person
from tests.accounts.steps import bearer
from tests.competitions import steps
from tests.competitions.factories import EventFactory, SkillFactory, contestant, welding_scheme
from tests.competitions.steps import Scenario

_rng = random.Random(2026)
ROSTER_HEADERS = [c.header for c in workbooks.ROSTER.columns]
SCHEME_HEADERS = [c.header for c in workbooks.SCHEME.columns]
ID_HEADER = next(c.header for c in workbooks.ROSTER.columns if c.key == "id_number")


def xlsx(sheets: dict[str, list[list[object]]]) -> bytes:
    """A real workbook: each sheet's first list is its header row."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def roster(*rows: list[object]) -> bytes:
    return xlsx({"报名表": [ROSTER_HEADERS, *rows]})


def new_id(born: date = date(1996, 4, 2), male: bool = True) -> str:
    return synthetic_id_number(_rng, born=born, male=male)


def counts() -> dict[str, int]:
    return {
        "users": User.objects.count(), "entries": Entry.objects.count(), "members": EntryMember.objects.count(),
        "memberships": Membership.objects.count(), "audit": AuditEntry.objects.count(),
        "modules": Module.objects.count(), "aspects": Aspect.objects.count(),
    }


SHEET_KEYS = {workbooks.ROSTER.name: "roster", workbooks.SCHEME.name: "scheme", workbooks.THEORY.name: "theory"}
SPECS = {spec.name: spec for spec in (workbooks.ROSTER, workbooks.SCHEME, workbooks.THEORY)}


def column_key(error: dict[str, Any]) -> str:
    """The stable key (competitions.excel.sheets) of the column an import error names by its header."""
    return {c.header: c.key for c in SPECS[error["sheet"]].columns}[error["column"]]


def cell(error: dict[str, Any]) -> tuple[str, int, str]:
    """An import error as (sheet key, row as Excel numbers it, column key): what tests compare, not the headers."""
    return SHEET_KEYS[error["sheet"]], error["row"], column_key(error)


def cells(caught: pytest.ExceptionInfo[ImportFailed]) -> set[tuple[str, int, str]]:
    return {cell(e) for e in caught.value.rows()}


def open_skill(organizer: User, organizer_unit: Organization, *, team_size: int = 1, name: str = "电工") -> Skill:
    """Another event in registration, with a complete scheme."""
    event = EventFactory(organizer=organizer_unit, starts_on=date(2026, 10, 20), ends_on=date(2026, 10, 21))
    skill = SkillFactory(event=event, name=name, team_size=team_size)
    services.scheme_save(actor=organizer, skill=skill, modules=welding_scheme())
    services.event_transition(actor=organizer, event=event, target=Status.REGISTRATION)
    skill.refresh_from_db()
    return skill


# --- roster -------------------------------------------------------------------------------------------------------


def test_good_roster_saves_every_row_with_audit_entries(
    registration_skill: Skill, hr_of_a: User, enterprise_a: Organization
) -> None:
    known = contestant(enterprise_a, real_name="王已有")
    coach = person(Role.COACH, enterprise_a, real_name="李教练")
    first, second = new_id(), new_id(date(2000, 1, 9), male=False)
    before = counts()
    entries = services.roster_import(actor=hr_of_a, skill=registration_skill, data=roster(
        ["", "张新", first, "13812345678", "甲企业", "职工组", coach.id_number],
        ["", "赵新", second.lower(), "", "甲企业", "worker", ""],
        ["", "王已有", known.id_number, "", "甲企业", "职工组", ""],
    ))
    assert len(entries) == 3 and all(e.unit == enterprise_a and e.status == "submitted" for e in entries)
    created = User.objects.get(id_number=first)
    assert created.real_name == "张新" and created.birth_date == date(1996, 4, 2) and created.mobile == "13812345678"
    assert not created.has_usable_password()
    assert created.memberships.get().role == Role.CONTESTANT and created.memberships.get().organization == enterprise_a
    assert User.objects.get(id_number=second).real_name == "赵新"
    assert Entry.objects.get(members__person=created).coaches.get().person == coach
    assert Entry.objects.get(members__person=known).members.count() == 1
    after = counts()
    assert after["users"] - before["users"] == 2 and after["entries"] - before["entries"] == 3
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True)[before["audit"]:])
    assert actions.count("accounts.person.created") == 2
    assert actions.count("accounts.membership.granted") == 2
    assert actions.count("competitions.entry.submitted") == 3
    assert actions[-1] == "competitions.roster.imported"
    imported = AuditEntry.objects.get(action="competitions.roster.imported")
    assert imported.new["rows"] == 3 and imported.new["people_created"] == 2
    assert imported.target_id == str(registration_skill.pk)


def test_roster_with_several_bad_rows_names_each_cell_and_saves_nothing(
    registration_skill: Skill, hr_of_a: User, enterprise_a: Organization
) -> None:
    known = contestant(enterprise_a, real_name="王已有")
    good = new_id()
    before = counts()
    with pytest.raises(ImportFailed) as caught:
        services.roster_import(actor=hr_of_a, skill=registration_skill, data=roster(
            ["", "张新", good, "", "甲企业", "职工组", ""],                                   # row 2: fine
            ["", "钱错", "110105194912310021", "12345", "甲企业", "干部组", ""],              # row 3: 3 bad cells
            ["", "孙外", new_id(), "", "不存在的单位", "职工组", ""],                          # row 4: unknown unit
            ["", "周老", new_id(date(1960, 1, 1)), "", "甲企业", "职工组", ""],                # row 5: too old
            ["", "吴重", good, "", "甲企业", "职工组", ""],                                   # row 6: duplicate ID
            ["", "郑冒", known.id_number, "", "甲企业", "职工组", ""],                         # row 7: name differs
            ["", "冯乙", new_id(), "", "乙企业", "职工组", ""],                                # row 8: not A's unit
            ["", "陈教", new_id(), "", "甲企业", "职工组", new_id(date(1980, 2, 2))],          # row 9: unknown coach
        ))
    assert cells(caught) >= {("roster", 3, "id_number"), ("roster", 3, "mobile"), ("roster", 3, "group")}
    found = cells(caught)
    for expected in [(4, "unit"), (5, "id_number"), (6, "id_number"), (7, "name"), (8, "unit"),
                     (9, "coach_id")]:
        assert ("roster", *expected) in found
    assert counts() == before
    assert caught.value.status == 422


def test_roster_cell_errors_come_before_any_database_check(registration_skill: Skill, hr_of_a: User) -> None:
    with pytest.raises(ImportFailed) as caught:
        services.roster_import(actor=hr_of_a, skill=registration_skill, data=roster(
            ["", "", "110105194912310021", "", "", "职工组", ""],
        ))
    assert cells(caught) == {("roster", 2, "name"), ("roster", 2, "id_number"), ("roster", 2, "unit")}


def test_duplicate_id_number_within_the_file_names_the_later_row(registration_skill: Skill, hr_of_a: User) -> None:
    number = new_id()
    before = counts()
    with pytest.raises(ImportFailed) as caught:
        services.roster_import(actor=hr_of_a, skill=registration_skill, data=roster(
            ["", "张新", number, "", "甲企业", "职工组", ""],
            ["", "张新", number, "", "甲企业", "职工组", ""],
        ))
    (error,) = caught.value.rows()
    assert (error["row"], column_key(error)) == (3, "id_number") and "第 2 行" in error["message"]
    assert counts() == before


def test_unknown_unit_is_named(registration_skill: Skill, hr_of_a: User) -> None:
    with pytest.raises(ImportFailed) as caught:
        services.roster_import(actor=hr_of_a, skill=registration_skill,
                               data=roster(["", "张新", new_id(), "", "甲企业有限公司", "职工组", ""]))
    (error,) = caught.value.rows()
    assert column_key(error) == "unit" and "甲企业有限公司" in error["message"]


def test_ineligible_person_by_age_is_refused(registration_skill: Skill, hr_of_a: User) -> None:
    with pytest.raises(ImportFailed) as caught:
        services.roster_import(actor=hr_of_a, skill=registration_skill,
                               data=roster(["", "小明", new_id(date(2010, 5, 5)), "", "甲企业", "职工组", ""]))
    (error,) = caught.value.rows()
    assert (error["row"], column_key(error)) == (2, "id_number")
    assert "小明" in error["message"] and "最小年龄 18" in error["message"]
    assert not User.objects.filter(real_name="小明").exists()


def test_person_already_entered_in_the_event_is_refused(
    registration_skill: Skill, hr_of_a: User, enterprise_a: Organization
) -> None:
    entered = contestant(enterprise_a, real_name="已报名")
    services.entry_submit(actor=hr_of_a, skill=registration_skill, unit=enterprise_a,
                          members=[services.MemberData(entered, Group.WORKER)])
    with pytest.raises(ImportFailed) as caught:
        services.roster_import(actor=hr_of_a, skill=registration_skill,
                               data=roster(["", "已报名", entered.id_number, "", "甲企业", "职工组", ""]))
    (error,) = caught.value.rows()
    assert column_key(error) == "id_number" and "已报名本次竞赛" in error["message"]


def test_team_rows_with_one_number_make_one_entry(
    organizer: User, organizer_unit: Organization, hr_of_a: User, platform_admin: User
) -> None:
    skill = open_skill(organizer, organizer_unit, team_size=2)
    entries = services.roster_import(actor=hr_of_a, skill=skill, data=roster(
        ["1", "甲一", new_id(), "", "甲企业", "职工组", ""],
        ["1", "甲二", new_id(), "", "甲企业", "职工组", ""],
    ))
    assert len(entries) == 1 and entries[0].members.count() == 2
    with pytest.raises(ImportFailed) as caught:
        services.roster_import(actor=platform_admin, skill=skill, data=roster(
            ["7", "乙一", new_id(), "", "甲企业", "职工组", ""],
            ["7", "乙二", new_id(), "", "乙企业", "职工组", ""],
            ["8", "丙一", new_id(), "", "甲企业", "职工组", ""],
            ["", "丁一", new_id(), "", "甲企业", "职工组", ""],
        ))
    assert cells(caught) == {("roster", 3, "unit"), ("roster", 4, "team"), ("roster", 5, "team")}


def test_roster_import_outside_registration_or_without_the_right_is_refused(
    scenario: Scenario, hr_of_a: User, referee_of_a: User
) -> None:
    data = roster(["", "张新", new_id(), "", "甲企业", "职工组", ""])
    with pytest.raises(Conflict):
        services.roster_import(actor=hr_of_a, skill=scenario.skill, data=data)
    with pytest.raises(PermissionDenied):
        services.roster_import(actor=referee_of_a, skill=scenario.skill, data=data)


def test_a_file_that_is_not_excel_is_one_clear_error(registration_skill: Skill, hr_of_a: User) -> None:
    with pytest.raises(ImportFailed) as caught:
        services.roster_import(actor=hr_of_a, skill=registration_skill, data=b"name,id\n")
    assert [e.code for e in caught.value.row_errors] == ["excel.unreadable"]


def test_exported_roster_imports_into_another_skill(
    registration_skill: Skill, hr_of_a: User, organizer: User, organizer_unit: Organization
) -> None:
    services.roster_import(actor=hr_of_a, skill=registration_skill, data=roster(
        ["", "张新", new_id(), "13812345678", "甲企业", "职工组", ""],
        ["", "赵新", new_id(male=False), "", "甲企业", "职工组", ""],
    ))
    exported = workbooks.roster_export(viewer=organizer, skill=registration_skill)
    book = load_workbook(io.BytesIO(exported))
    assert [c.value for c in book["报名表"][1]] == [*ROSTER_HEADERS, "报名状态"]
    other = open_skill(organizer, organizer_unit)
    before_users = User.objects.count()
    entries = services.roster_import(actor=hr_of_a, skill=other, data=exported)
    assert len(entries) == 2 and User.objects.count() == before_users  # the same people, not copies
    assert {e.members.get().person.real_name for e in entries} == {"张新", "赵新"}
    assert Entry.objects.get(skill=other, members__person__real_name="张新").members.get().person.mobile == \
        "13812345678"


def test_roster_export_shows_a_unit_only_its_own_entries(
    registration_skill: Skill, hr_of_a: User, hr_of_b: User
) -> None:
    services.roster_import(actor=hr_of_a, skill=registration_skill,
                           data=roster(["", "张新", new_id(), "", "甲企业", "职工组", ""]))
    services.roster_import(actor=hr_of_b, skill=registration_skill,
                           data=roster(["", "李乙", new_id(), "", "乙企业", "职工组", ""]))
    book = load_workbook(io.BytesIO(workbooks.roster_export(viewer=hr_of_b, skill=registration_skill)))
    names = [row[1] for row in book["报名表"].iter_rows(min_row=2, values_only=True)]
    assert names == ["李乙"]


# --- scheme -------------------------------------------------------------------------------------------------------

GOOD_SCHEME = [
    SCHEME_HEADERS,
    ["M1", "测量", "A1", "焊缝尺寸", "测量（全得或零分）", "20", None, None, None, None],
    ["M1", "测量", "A2", "坡口角度", "测量（公差扣分）", "30", "60", "0.5:0；1:10；2:20", None, None],
    ["M2", "评价", "J1", "外观成形", "评价（世赛三人 0–3 分）", "30", None, None, None, None],
    ["M2", "评价", "J2", "工艺规范", "评价（去掉最高最低取平均）", "20", None, None, "5", "25%"],
]


def test_good_scheme_replaces_the_old_one_with_its_theory_weight(registration_skill: Skill, organizer: User) -> None:
    before = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    scheme = services.scheme_import(actor=organizer, skill=registration_skill, data=xlsx({
        "评分标准": GOOD_SCHEME, "理论部分": [["理论成绩权重"], ["20%"]],
    }))
    aspects = {a.code: a for a in scheme.aspects.select_related("module")}
    assert list(scheme.modules.order_by("position").values_list("code", "name")) == [("M1", "测量"), ("M2", "评价")]
    assert aspects["A2"].method == MarkingMethod.TOLERANCE and aspects["A2"].nominal == 60
    assert aspects["A2"].bands == [["0.5", "0"], ["1", "10"], ["2", "20"]]
    assert aspects["J2"].method == MarkingMethod.PANEL and aspects["J2"].referee_count == 5
    assert aspects["J2"].divergence_threshold == Decimal("0.25")
    assert aspects["A1"].divergence_threshold == Decimal("0.20")
    registration_skill.refresh_from_db()
    assert registration_skill.theory_weight == Decimal("0.2")
    actions = list(AuditEntry.objects.filter(id__gt=before).order_by("id").values_list("action", flat=True))
    assert actions == ["competitions.skill.theory_weight_set", "competitions.scheme.saved",
                       "competitions.scheme.imported"]


def test_bad_scheme_names_every_cell_and_keeps_the_old_scheme(registration_skill: Skill, organizer: User) -> None:
    before = counts()
    old = list(Aspect.objects.filter(scheme__skill=registration_skill).values_list("code", "max_mark"))
    with pytest.raises(ImportFailed) as caught:
        services.scheme_import(actor=organizer, skill=registration_skill, data=xlsx({"评分标准": [
            SCHEME_HEADERS,
            ["M1", "测量", "A1", "", "测量（全得或零分）", "20", "5", None, None, None],        # nominal not used
            ["M1", "测量2", "A2", "", "测量（公差扣分）", "30", "60", "0.5-0", None, None],     # name, bands
            ["M2", "评价", "J1", "", "评价（世赛）", "abc", None, None, None, None],            # method, max
            ["M2", "评价", "J1", "", "评价（算术平均）", "20", None, None, "x", None],          # duplicate, count
        ]}))
    # In one pass (issue 9 item 10): a row with a bad cell is still checked on the rest, so row 3's module name
    # and row 5's repeat of row 4's aspect code are named beside their rows' bad cells.
    assert cells(caught) == {
        ("scheme", 2, "nominal"), ("scheme", 3, "module_name"), ("scheme", 3, "bands"), ("scheme", 4, "method"),
        ("scheme", 4, "max_mark"), ("scheme", 5, "aspect_code"), ("scheme", 5, "referee_count"),
    }
    assert counts() == before
    assert list(Aspect.objects.filter(scheme__skill=registration_skill).values_list("code", "max_mark")) == old


def test_scheme_rules_are_named_at_their_rows(registration_skill: Skill, organizer: User) -> None:
    with pytest.raises(ImportFailed) as caught:
        services.scheme_import(actor=organizer, skill=registration_skill, data=xlsx({"评分标准": [
            SCHEME_HEADERS,
            ["M1", "测量", "A1", "", "测量（全得或零分）", "20", None, None, None, None],
            ["M1", "测量", "A2", "", "测量（公差扣分）", "30", None, None, None, None],
            ["M2", "评价", "J1", "", "评价（世赛三人 0–3 分）", "30", None, None, "5", None],
            ["M2", "评价", "J2", "", "评价（算术平均）", "20", None, None, None, None],
            ["M2", "评价", "J1", "", "评价（算术平均）", "20", None, None, None, None],
        ]}))
    # The duplicate, and each aspect's own rules on the other rows; the total waits until the rows are right.
    assert cells(caught) == {("scheme", 6, "aspect_code"), ("scheme", 3, "bands"), ("scheme", 4, "referee_count")}
    with pytest.raises(ImportFailed) as caught:
        services.scheme_import(actor=organizer, skill=registration_skill, data=xlsx({"评分标准": [
            SCHEME_HEADERS,
            ["M1", "测量", "A1", "", "测量（全得或零分）", "20", None, None, None, None],
            ["M1", "测量", "A2", "", "测量（公差扣分）", "30", None, None, None, None],
            ["M2", "评价", "J1", "", "评价（世赛三人 0–3 分）", "30", None, None, "5", None],
        ]}))
    assert cells(caught) == {("scheme", 3, "bands"), ("scheme", 4, "referee_count")}
    with pytest.raises(ImportFailed) as caught:
        services.scheme_import(actor=organizer, skill=registration_skill, data=xlsx({
            "评分标准": GOOD_SCHEME[:-1], "理论部分": [["理论成绩权重"], ["1.5"]],
        }))
    assert cells(caught) == {("theory", 2, "theory_weight")}
    with pytest.raises(ImportFailed) as caught:
        services.scheme_import(actor=organizer, skill=registration_skill, data=xlsx({"评分标准": GOOD_SCHEME[:-1]}))
    ((sheet, row, column),) = cells(caught)
    assert (sheet, row, column) == ("scheme", 1, "max_mark") and "80" in caught.value.rows()[0]["message"]


def test_frozen_scheme_refuses_an_import(scenario: Scenario) -> None:
    before = counts()
    with pytest.raises(Conflict) as caught:
        services.scheme_import(actor=scenario.organizer, skill=scenario.skill, data=xlsx({"评分标准": GOOD_SCHEME}))
    assert caught.value.code == "scheme.frozen"
    assert counts() == before


def test_theory_weight_cannot_change_once_theory_scores_are_recorded(
    organizer: User, organizer_unit: Organization, hr_of_a: User, enterprise_a: Organization
) -> None:
    skill = open_skill(organizer, organizer_unit)
    Skill.objects.filter(pk=skill.pk).update(theory_weight=Decimal("0.3"))
    entry = services.entry_submit(actor=hr_of_a, skill=skill, unit=enterprise_a,
                                  members=[services.MemberData(contestant(enterprise_a), Group.WORKER)])
    services.entry_theory_record(actor=organizer, entry=entry, score=Decimal(80))
    with pytest.raises(ImportFailed) as caught:
        services.scheme_import(actor=organizer, skill=skill, data=xlsx({
            "评分标准": GOOD_SCHEME, "理论部分": [["理论成绩权重"], ["无"]],
        }))
    assert cells(caught) == {("theory", 2, "theory_weight")}
    # The same weight, or no 理论部分 sheet at all, leaves it alone.
    services.scheme_import(actor=organizer, skill=skill, data=xlsx({
        "评分标准": GOOD_SCHEME, "理论部分": [["理论成绩权重"], ["0.3"]],
    }))
    services.scheme_import(actor=organizer, skill=skill, data=xlsx({"评分标准": GOOD_SCHEME}))
    skill.refresh_from_db()
    assert skill.theory_weight == Decimal("0.3")


def test_exported_scheme_imports_into_another_skill(
    registration_skill: Skill, organizer: User, organizer_unit: Organization
) -> None:
    Skill.objects.filter(pk=registration_skill.pk).update(theory_weight=Decimal("0.25"))
    exported = workbooks.scheme_export(viewer=organizer, skill=registration_skill)
    other = open_skill(organizer, organizer_unit)
    services.scheme_save(actor=organizer, skill=other, modules=[services.ModuleData("X", "其他", (
        services.AspectData("X1", Decimal(100), MarkingMethod.FULL_OR_ZERO),))])
    services.scheme_import(actor=organizer, skill=other, data=exported)

    def shape(skill: Skill) -> list[tuple[object, ...]]:
        return list(Aspect.objects.filter(scheme__skill=skill).order_by("module__position", "position").values_list(
            "module__code", "module__name", "code", "description", "method", "max_mark", "nominal", "bands",
            "referee_count", "divergence_threshold"))

    assert shape(other) == shape(registration_skill)
    other.refresh_from_db()
    assert other.theory_weight == Decimal("0.25")


def test_templates_open_with_the_right_headers(client_of, organizer: User) -> None:  # type: ignore[no-untyped-def]
    client = client_of(organizer)
    for kind, sheets in [("roster", {"报名表": ROSTER_HEADERS}),
                         ("scheme", {"评分标准": SCHEME_HEADERS, "理论部分": ["理论成绩权重"]})]:
        for url in (f"/api/v1/competitions/excel-templates/{kind}", f"/competitions/excel/templates/{kind}.xlsx"):
            response = client.get(url)
            assert response.status_code == 200
            assert response["Content-Type"] == workbooks.XLSX_CONTENT_TYPE
            assert "filename*=UTF-8''" in response["Content-Disposition"]
            book = load_workbook(io.BytesIO(response.content))
            assert book.sheetnames == [*sheets, "说明"]
            for name, headers in sheets.items():
                assert [c.value for c in book[name][1]] == headers
    assert client.get("/api/v1/competitions/excel-templates/nothing").status_code == 404


def test_the_scheme_template_imports_after_filling_in_the_total(registration_skill: Skill, organizer: User) -> None:
    book = load_workbook(io.BytesIO(workbooks.scheme_template()))
    book["评分标准"]["F2"] = "100"
    buffer = io.BytesIO()
    book.save(buffer)
    scheme = services.scheme_import(actor=organizer, skill=registration_skill, data=buffer.getvalue())
    assert list(scheme.aspects.values_list("code", "max_mark")) == [("A1", Decimal(100))]


# --- official results ---------------------------------------------------------------------------------------------


def _rows(data: bytes) -> tuple[list[str], list[dict[str, object]]]:
    """The export's column keys (each header read back through the RESULTS spec) and its rows keyed by them."""
    sheet = load_workbook(io.BytesIO(data))[workbooks.RESULTS.name]
    values = list(sheet.iter_rows(values_only=True))
    key_of = {c.header: c.key for c in workbooks.RESULTS.columns}
    keys = [key_of[str(h)] for h in values[0]]
    return keys, [dict(zip(keys, row, strict=True)) for row in values[1:]]


def test_results_export_has_the_reported_columns_and_masks_for_the_chief(scenario: Scenario) -> None:
    s = scenario
    with pytest.raises(Conflict):
        workbooks.results_export(viewer=s.organizer, event=s.event, skill=s.skill)
    steps.mark_review_publish(s)
    keys, rows = _rows(workbooks.results_export(viewer=s.organizer, event=s.event, skill=s.skill))
    # The reported columns, in order, by their stable keys; no standardised score where the skill has none.
    assert keys == ["place", "name", "sex", "id_number", "unit", "event", "skill", "group", "theory", "practical",
                    "total", "award", "title", "promotion"]
    assert len(rows) == 4 and [r["place"] for r in rows] == sorted(r["place"] for r in rows)
    people = {m.person.real_name: m.person for e in s.entries for m in e.members.all()}
    first = rows[0]
    assert first["id_number"] == people[first["name"]].id_number  # the organizer verifies entrants: unmasked
    # The cells hold the labels people read (the data, in Chinese as reported).
    assert first["sex"] in {"男", "女"} and first["award"] == "金牌" and first["unit"] in {"甲企业", "乙企业"}
    assert first["skill"] == "焊工" and first["group"] == "职工组" and first["title"] == "省技术能手（待核准）"
    assert first["promotion"]

    _, masked = _rows(workbooks.results_export(viewer=s.chief, event=s.event))
    assert [r["name"] for r in masked] == [r["name"] for r in rows]
    for row in masked:
        number = people[str(row["name"])].id_number
        assert row["id_number"] == number[:4] + "*" * 10 + number[-4:]


def test_results_export_is_hidden_from_outsiders(scenario: Scenario, client: Client, outsider: User,
                                                 hr_of_a: User) -> None:
    steps.mark_review_publish(scenario)
    url = f"/api/v1/competitions/skills/{scenario.skill.pk}/results/export"
    assert client.get(url).status_code == 401
    assert client.get(url, **bearer(outsider)).status_code in (403, 404)
    assert client.get(url, **bearer(hr_of_a)).status_code in (403, 404)
    response = client.get(url, **bearer(scenario.organizer))
    assert response.status_code == 200 and response["Content-Type"] == workbooks.XLSX_CONTENT_TYPE
    event_url = f"/api/v1/competitions/events/{scenario.event.pk}/results/export"
    assert client.get(event_url, **bearer(scenario.chief)).status_code == 200


# --- API and page -------------------------------------------------------------------------------------------------


def test_api_roster_upload_answers_201_then_422_with_rows(
    registration_skill: Skill, hr_of_a: User, client: Client
) -> None:
    url = f"/api/v1/competitions/skills/{registration_skill.pk}/roster/import"
    good = io.BytesIO(roster(["", "张新", new_id(), "", "甲企业", "职工组", ""]))
    good.name = "报名表.xlsx"
    response = client.post(url, {"file": good}, **bearer(hr_of_a))
    assert response.status_code == 201
    (entry,) = response.json()
    assert entry["unit"] == "甲企业" and entry["members"][0]["name"] == "张新"

    bad = io.BytesIO(roster(["", "李错", "123", "", "甲企业", "职工组", ""], ["", "", new_id(), "", "甲企业", "", ""]))
    bad.name = "报名表.xlsx"
    response = client.post(url, {"file": bad}, **bearer(hr_of_a))
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "import_failed" and "3 处错误" in body["message"]
    assert [cell(r) for r in body["rows"]] == [
        ("roster", 2, "id_number"), ("roster", 3, "name"), ("roster", 3, "group")]
    assert all(r["message"] for r in body["rows"])


def test_api_scheme_upload_and_export(registration_skill: Skill, organizer: User, client: Client) -> None:
    url = f"/api/v1/competitions/skills/{registration_skill.pk}/scheme/import"
    upload = io.BytesIO(xlsx({"评分标准": GOOD_SCHEME}))
    upload.name = "scheme.xlsx"
    response = client.post(url, {"file": upload}, **bearer(organizer))
    assert response.status_code == 200
    assert [a["code"] for a in response.json()["aspects"]] == ["A1", "A2", "J1", "J2"]
    exported = client.get(f"/api/v1/competitions/skills/{registration_skill.pk}/scheme/export", **bearer(organizer))
    assert exported.status_code == 200
    assert [c.value for c in load_workbook(io.BytesIO(exported.content))["评分标准"][1]] == SCHEME_HEADERS


def test_excel_page_shows_every_bad_cell_then_imports(
    registration_skill: Skill, hr_of_a: User, client_of
) -> None:  # type: ignore[no-untyped-def]
    client = client_of(hr_of_a)
    page_url = f"/competitions/skills/{registration_skill.pk}/excel/"
    page = client.get(page_url)
    assert page.status_code == 200
    html = page.content.decode()
    roster_import = f'action="/competitions/skills/{registration_skill.pk}/excel/roster/import/"'
    scheme_import = f'action="/competitions/skills/{registration_skill.pk}/excel/scheme/import/"'
    assert "csrfmiddlewaretoken" in html and roster_import in html and scheme_import not in html

    bad = io.BytesIO(roster(["", "李错", "123", "", "甲企业", "职工组", ""]))
    bad.name = "r.xlsx"
    response = client.post(f"/competitions/skills/{registration_skill.pk}/excel/roster/import/", {"file": bad})
    assert response.status_code == 422
    html = response.content.decode()
    # The page names the cell as the file does: its sheet and its header.
    assert 'data-testid="import-errors"' in html
    assert f"<td>{workbooks.ROSTER.name}</td><td>2</td><td>{ID_HEADER}</td>" in html

    good = io.BytesIO(roster(["", "张新", new_id(), "", "甲企业", "职工组", ""]))
    good.name = "r.xlsx"
    response = client.post(f"/competitions/skills/{registration_skill.pk}/excel/roster/import/", {"file": good},
                           follow=True)
    assert "已导入 1 条报名" in response.content.decode()  # the success message, in the user's language
    assert Entry.objects.filter(skill=registration_skill, members__person__real_name="张新").count() == 1
    exported = client.get(f"/competitions/skills/{registration_skill.pk}/excel/roster.xlsx")
    assert exported.status_code == 200 and exported["Content-Type"] == workbooks.XLSX_CONTENT_TYPE


def test_excel_page_is_hidden_from_outsiders(registration_skill: Skill, outsider: User, client_of) -> None:  # type: ignore[no-untyped-def]
    response = client_of(outsider).get(f"/competitions/skills/{registration_skill.pk}/excel/")
    assert response.status_code in (403, 404)



def test_excel_page_for_the_organizer_after_publication(scenario: Scenario, client_of) -> None:  # type: ignore[no-untyped-def]
    steps.mark_review_publish(scenario)
    client = client_of(scenario.organizer)
    html = client.get(f"/competitions/skills/{scenario.skill.pk}/excel/").content.decode()
    skill_pk = scenario.skill.pk
    assert "评分标准已锁定" in html  # why there is no import, in the user's language
    assert f'href="/competitions/skills/{skill_pk}/excel/results.xlsx"' in html
    assert f'action="/competitions/skills/{skill_pk}/excel/scheme/import/"' not in html
    response = client.get(f"/competitions/skills/{scenario.skill.pk}/excel/results.xlsx")
    assert response.status_code == 200
    assert "%E6%AD%A3%E5%BC%8F%E6%88%90%E7%BB%A9.xlsx" in response["Content-Disposition"]  # 正式成绩.xlsx
    upload = io.BytesIO(xlsx({"评分标准": GOOD_SCHEME}))
    upload.name = "s.xlsx"
    refused = client.post(f"/competitions/skills/{scenario.skill.pk}/excel/scheme/import/", {"file": upload},
                          follow=True)
    assert "锁定，不能修改" in refused.content.decode()


def test_the_scheme_export_is_for_the_skill_s_referees_and_scheme_managers_only(
    scenario: Scenario, client: Client, outsider: User, hr_of_a: User, client_of  # type: ignore[no-untyped-def]
) -> None:
    s = scenario
    url = f"/api/v1/competitions/skills/{s.skill.pk}/scheme/export"
    for reader in (s.r1, s.chief, s.organizer):  # assigned referee, its chief, the organizer managing schemes
        assert client.get(url, **bearer(reader)).status_code == 200, reader
    assert client.get(url, **bearer(outsider)).status_code == 404  # another unit: invisible
    assert client.get(url, **bearer(hr_of_a)).status_code == 404
    page = f"/competitions/skills/{s.skill.pk}/excel/"
    export_link = f"/competitions/skills/{s.skill.pk}/excel/scheme.xlsx"
    assert export_link in client_of(s.r1).get(page).content.decode()  # the page offers what the rule allows
