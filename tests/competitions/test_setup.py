"""The organizer's setup (issue 10 items 1 and 9): services that edit events and skills, add venues and
workstations (by range, from Excel), save the scheme from the page's table; the readiness checklist; and the pages
that call them (competitions.views.setup)."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.test import Client
from django.utils import timezone

from accounts.actors import SYSTEM
from accounts.models import Organization, OrganizationKind, Role, User
from audit.models import AuditEntry
from competitions import selectors, services
from competitions.models import (
    CompetitionLevel,
    Entry,
    Event,
    Group,
    MarkingScheme,
    Skill,
    Status,
    Venue,
    Workstation,
)
from core.errors import Conflict, ImportFailed, NotFound, ValidationFailed
from tests.accounts.factories import OrganizationFactory, person
from tests.competitions.factories import EventFactory, SkillFactory, contestant
from tests.competitions.steps import Scenario, bring_to_review, later

# --- helpers -----------------------------------------------------------------------------------------------------


def _event_data(**changes: object) -> services.EventData:
    base: dict[str, object] = {
        "name": "第三届技能兴鲁大赛", "level": CompetitionLevel.PROVINCIAL_2, "starts_on": date(2026, 10, 12),
        "ends_on": date(2026, 10, 14), "series": "技能兴鲁", "min_total": Decimal(60),
    }
    base.update(changes)
    return services.EventData(**base)  # type: ignore[arg-type]


def _skill_data(skill: Skill, **changes: object) -> services.SkillData:
    base: dict[str, object] = {
        "name": skill.name, "occupation_code": skill.occupation_code, "group": Group(skill.group),
        "team_size": skill.team_size, "min_age": skill.min_age, "max_age": skill.max_age,
        "theory_weight": skill.theory_weight, "tie_breaks": tuple(skill.tie_breaks), "award_rule": skill.award_rule,
    }
    base.update(changes)
    return services.SkillData(**base)  # type: ignore[arg-type]


def _approved_entries(skill: Skill, organizer: User, unit: Organization, count: int) -> list[Entry]:
    entries = []
    for _n in range(count):
        entry = services.entry_submit(actor=SYSTEM, skill=skill, unit=unit,
                                      members=[services.MemberData(contestant(unit), Group.WORKER)])
        entries.append(services.entry_approve(actor=organizer, entry=entry))
    return entries


def _workbook(rows: list[list[object]], headers: tuple[str, ...] = ("赛场", "赛场地址", "赛项", "工位号")) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "工位"
    sheet.append(list(headers))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


SCHEME_ROWS = [
    {"module_code": "M1", "module_name": "测量", "aspect_code": "A1", "description": "焊缝尺寸",
     "method": "full_or_zero", "max_mark": "40"},
    {"module_code": "M1", "module_name": "测量", "aspect_code": "A2", "description": "坡口角度",
     "method": "tolerance", "max_mark": "30", "nominal": "60", "bands": "0.5:0;1:10;2:20"},
    {"module_code": "M2", "module_name": "评价", "aspect_code": "J1", "description": "外观成形",
     "method": "worldskills", "max_mark": "30"},
]


@pytest.fixture
def other_organizer(db: None) -> User:
    unit = OrganizationFactory(name="青岛市人社局（测试）", kind=OrganizationKind.ORGANIZER)
    return person(Role.ORGANIZER_STAFF, unit, username="other_organizer")


@pytest.fixture
def draft_event(organizer_unit: Organization) -> Event:
    return EventFactory(organizer=organizer_unit)


# --- events and skills -------------------------------------------------------------------------------------------


def test_event_update_records_old_and_new_values(draft_event: Event, organizer: User) -> None:
    services.event_update(actor=organizer, event=draft_event, data=_event_data(min_total=Decimal(70)),
                          reason="按新文件")
    draft_event.refresh_from_db()
    assert (draft_event.name, draft_event.level, draft_event.min_total) == (
        "第三届技能兴鲁大赛", CompetitionLevel.PROVINCIAL_2, Decimal(70))
    entry = AuditEntry.objects.get(action="competitions.event.updated", actor=organizer)
    assert entry.old["min_total"] == "60.00" or Decimal(str(entry.old["min_total"])) == Decimal(60)
    assert Decimal(str(entry.new["min_total"])) == Decimal(70) and entry.reason == "按新文件"


def test_event_update_names_every_bad_field_and_writes_nothing(draft_event: Event, organizer: User) -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.event_update(actor=organizer, event=draft_event, data=_event_data(
            name=" ", ends_on=date(2026, 10, 1), min_total=Decimal(120)))
    assert set(refused.value.fields()) == {"name", "ends_on", "min_total"}
    assert "“名称”为必填项" in refused.value.fields()["name"][0]
    draft_event.refresh_from_db()
    assert draft_event.name != "第三届技能兴鲁大赛"
    assert not AuditEntry.objects.filter(action="competitions.event.updated").exists()


def test_another_units_organizer_cannot_see_the_event_to_edit_it(draft_event: Event, other_organizer: User) -> None:
    with pytest.raises(NotFound):
        services.event_update(actor=other_organizer, event=draft_event, data=_event_data())


def test_event_details_freeze_at_check_in(registration_skill: Skill, organizer: User, enterprise_a: Organization
                                         ) -> None:
    event = registration_skill.event
    _approved_entries(registration_skill, organizer, enterprise_a, 1)
    services.event_transition(actor=organizer, event=event, target=Status.CHECK_IN)
    with pytest.raises(Conflict) as refused:
        services.event_update(actor=organizer, event=event, data=_event_data())
    assert refused.value.code == "event.wrong_stage"


def test_skill_update_changes_tie_breaks_and_audits(registration_skill: Skill, organizer: User) -> None:
    services.skill_update(actor=organizer, skill=registration_skill, data=_skill_data(
        registration_skill, tie_breaks=("practical", "completion_time"), theory_weight=Decimal("0.3")))
    registration_skill.refresh_from_db()
    assert registration_skill.tie_breaks == ["practical", "completion_time"]
    audit = AuditEntry.objects.get(action="competitions.skill.updated")
    assert audit.old["tie_breaks"] == [] and audit.new["tie_breaks"] == ["practical", "completion_time"]


def test_entries_freeze_the_group_team_size_and_age_limits(registration_skill: Skill, organizer: User,
                                                           enterprise_a: Organization) -> None:
    _approved_entries(registration_skill, organizer, enterprise_a, 1)
    with pytest.raises(ValidationFailed) as refused:
        services.skill_update(actor=organizer, skill=registration_skill, data=_skill_data(
            registration_skill, group=Group.STUDENT, max_age=30))
    assert set(refused.value.fields()) == {"group", "max_age"}
    assert "已有报名" in refused.value.fields()["group"][0]
    # The rest still may change.
    services.skill_update(actor=organizer, skill=registration_skill,
                          data=_skill_data(registration_skill, name="焊工（手工电弧焊）"))


# --- venues and workstations -------------------------------------------------------------------------------------


def test_a_range_adds_every_workstation_and_is_audited(registration_skill: Skill, organizer: User) -> None:
    venue = services.venue_add(actor=organizer, event=registration_skill.event, data=services.VenueData("济南赛场"))
    made = services.workstations_add(actor=organizer, venue=venue, skill=registration_skill, numbers="H01–H10")
    assert [w.number for w in made] == [f"H{n:02d}" for n in range(1, 11)]
    audit = AuditEntry.objects.get(action="competitions.workstations.added")
    assert audit.new["numbers"][0] == "H01" and len(audit.new["numbers"]) == 10
    with pytest.raises(ValidationFailed) as taken:
        services.workstations_add(actor=organizer, venue=venue, skill=registration_skill, numbers="H09–H12")
    assert "H09、H10" in taken.value.fields()["numbers"][0]
    assert Workstation.objects.filter(skill=registration_skill).count() == 10  # H11, H12 not added either


@pytest.mark.parametrize(("text", "words"), [
    ("H40–H01", "倒序"), ("H01–J40", "前缀不同"), ("H1-H9999", "最多添加 500 个"),
])
def test_a_bad_range_is_refused_with_its_reason(registration_skill: Skill, organizer: User, text: str,
                                               words: str) -> None:
    venue = services.venue_add(actor=organizer, event=registration_skill.event, data=services.VenueData("济南赛场"))
    with pytest.raises(ValidationFailed) as refused:
        services.workstations_add(actor=organizer, venue=venue, skill=registration_skill, numbers=text)
    assert words in refused.value.fields()["numbers"][0]
    assert not Workstation.objects.exists()


def test_a_new_events_workstation_draw_works_once_its_venue_has_workstations(
    organizer_unit: Organization, organizer: User, encryptor: User, enterprise_a: Organization
) -> None:
    """Issue 10: a new event's 工位号 draw failed with "3 名选手无法安排到 0 个工位"; the checklist says so first."""
    event = services.event_create(actor=organizer, organizer=organizer_unit, data=_event_data())
    skill = services.skill_create(actor=organizer, event=event, data=services.SkillData(
        name="焊工", occupation_code="6-18-02-04", group=Group.WORKER))
    services.event_transition(actor=organizer, event=event, target=Status.REGISTRATION)
    skill.refresh_from_db()
    _approved_entries(skill, organizer, enterprise_a, 3)
    services.event_transition(actor=organizer, event=event, target=Status.CHECK_IN)
    skill.refresh_from_db()
    assert "足够的工位（3 名选手，只有 0 个工位）" in selectors.skill_missing(skill, Status.COMPETING,
                                                                       now=timezone.now())
    venue = services.venue_add(actor=organizer, event=event, data=services.VenueData("济南赛场"))
    services.workstations_add(actor=organizer, venue=venue, skill=skill, numbers="H01–H10")
    services.draw_checkin(officer=encryptor, skill=skill, seed="one")
    services.draw_workstations(officer=encryptor, skill=skill, seed="two")
    numbers = set(Entry.objects.filter(skill=skill).values_list("workstation_no", flat=True))
    assert len(numbers) == 3 and numbers <= {f"H{n:02d}" for n in range(1, 11)}
    with pytest.raises(Conflict) as drawn:  # the draw used them: they stay
        services.workstations_add(actor=organizer, venue=venue, skill=skill, numbers="H11")
    assert drawn.value.code == "workstations.drawn"


def test_workstations_remove_takes_out_only_what_the_venue_has(registration_skill: Skill, organizer: User) -> None:
    venue = services.venue_add(actor=organizer, event=registration_skill.event, data=services.VenueData("济南赛场"))
    services.workstations_add(actor=organizer, venue=venue, skill=registration_skill, numbers="H01–H10")
    with pytest.raises(ValidationFailed) as unknown:
        services.workstations_remove(actor=organizer, venue=venue, skill=registration_skill, numbers="H10–H11")
    assert "H11" in unknown.value.fields()["numbers"][0]
    assert services.workstations_remove(actor=organizer, venue=venue, skill=registration_skill,
                                        numbers="H09–H10") == 2
    assert AuditEntry.objects.filter(action="competitions.workstations.removed").count() == 1


def test_venues_import_creates_venues_and_workstations(registration_skill: Skill, organizer: User) -> None:
    event = registration_skill.event
    other = SkillFactory(event=event, name="电工", occupation_code="6-31-01-03", status=Status.REGISTRATION)
    made = services.venues_import(actor=organizer, event=event, data=_workbook([
        ["济南赛场", "历下区", str(registration_skill), "H01–H20"],
        ["济南赛场", "", "电工", "D01-D05, D07"],
        ["青岛赛场", "市南区", registration_skill.name, "Q01~Q03"],
    ]))
    assert len(made) == 29
    assert sorted(Venue.objects.filter(event=event).values_list("name", "address")) == [
        ("济南赛场", "历下区"), ("青岛赛场", "市南区")]
    assert Workstation.objects.filter(skill=other).count() == 6


def test_venues_import_names_every_bad_cell_and_saves_nothing(registration_skill: Skill, organizer: User) -> None:
    event = registration_skill.event
    venue = services.venue_add(actor=organizer, event=event, data=services.VenueData("济南赛场"))
    services.workstations_add(actor=organizer, venue=venue, skill=registration_skill, numbers="H01")
    with pytest.raises(ImportFailed) as refused:
        services.venues_import(actor=organizer, event=event, data=_workbook([
            ["济南赛场", "", registration_skill.name, "H40–H01"],
            ["济南赛场", "", "钳工", "H01–H05"],
            ["青岛赛场", "", registration_skill.name, "H01-H03"],
            ["青岛赛场", "", registration_skill.name, "H03, Q01"],
            ["", "", registration_skill.name, "Q02"],
        ]))
    found = {(e.row, e.column, e.code) for e in refused.value.row_errors}
    assert found == {
        (2, "工位号", "workstations.reversed"),
        (3, "赛项", "import.unknown_skill"),
        (4, "工位号", "import.workstation_taken"),  # H01 is there already
        (5, "工位号", "import.workstation_repeated"),  # H03 is in row 4 too
        (6, "赛场", "excel.cell_required"),
    }
    assert Venue.objects.filter(event=event).count() == 1 and Workstation.objects.count() == 1


# --- the scheme from the page's table ----------------------------------------------------------------------------


def test_scheme_table_save_uses_the_imports_rules(draft_event: Event, organizer: User) -> None:
    skill = SkillFactory(event=draft_event)
    services.scheme_table_save(actor=organizer, skill=skill, rows=[*SCHEME_ROWS, dict.fromkeys(SCHEME_ROWS[0], "")])
    scheme = MarkingScheme.objects.get(skill=skill)
    assert list(scheme.aspects.values_list("code", flat=True)) == ["A1", "A2", "J1"]
    assert AuditEntry.objects.filter(action="competitions.scheme.edited", actor=organizer).exists()
    assert selectors.scheme_problem(skill) is None


def test_scheme_table_save_names_each_bad_cell_by_row_and_saves_nothing(draft_event: Event, organizer: User) -> None:
    skill = SkillFactory(event=draft_event)
    rows = [dict(SCHEME_ROWS[0], max_mark="四十"), dict(SCHEME_ROWS[1], bands="0.5-0"), SCHEME_ROWS[2]]
    with pytest.raises(ImportFailed) as refused:
        services.scheme_table_save(actor=organizer, skill=skill, rows=rows)
    assert {(e.row, e.column) for e in refused.value.row_errors} == {(1, "满分"), (2, "公差扣分表")}
    assert not MarkingScheme.objects.filter(skill=skill, aspects__isnull=False).exists()
    with pytest.raises(ImportFailed) as short:
        services.scheme_table_save(actor=organizer, skill=skill, rows=[dict(SCHEME_ROWS[0], max_mark="30"),
                                                                       *SCHEME_ROWS[1:]])
    assert [e.code for e in short.value.row_errors] == ["scheme.practical_max_not_100"]
    assert "90" in short.value.row_errors[0].message


# --- readiness and item 9's messages -----------------------------------------------------------------------------


def test_the_checklist_before_the_click_is_the_refusal_after_it(registration_skill: Skill, organizer: User,
                                                                enterprise_a: Organization) -> None:
    event = registration_skill.event
    services.entry_submit(actor=SYSTEM, skill=registration_skill, unit=enterprise_a,
                          members=[services.MemberData(contestant(enterprise_a), Group.WORKER)])
    page = selectors.event_management(viewer=organizer, event=event)
    assert page.next is not None and page.next.status == Status.CHECK_IN
    assert page.missing == (f"{registration_skill}：报名审核（1 条报名待审核）",
                            f"{registration_skill}：审核通过的报名")
    with pytest.raises(Conflict) as refused:
        services.event_transition(actor=organizer, event=event, target=Status.CHECK_IN)
    assert "报名审核（1 条报名待审核）、审核通过的报名" in refused.value.message


def test_a_skill_moving_before_its_event_is_told_which_move_comes_first(registration_skill: Skill,
                                                                       organizer: User) -> None:
    with pytest.raises(Conflict) as refused:
        services.skill_transition(actor=organizer, skill=registration_skill, target=Status.CHECK_IN)
    assert refused.value.code == "skill.event_first"
    assert "请先让竞赛进入“检录”" in refused.value.message
    page = selectors.event_management(viewer=organizer, event=registration_skill.event)
    (row,) = page.skills
    # The page offers no button that would be refused: it says the skill waits for the event's move.
    assert row.next is None and page.skills_wait_for is not None and page.skills_wait_for.status == Status.CHECK_IN


def test_a_skill_at_check_in_lists_what_its_next_move_needs(registration_skill: Skill, organizer: User,
                                                            enterprise_a: Organization, client_of) -> None:  # type: ignore[no-untyped-def]
    _approved_entries(registration_skill, organizer, enterprise_a, 3)
    services.event_transition(actor=organizer, event=registration_skill.event, target=Status.CHECK_IN)
    html = client_of(organizer).get(f"/competitions/events/{registration_skill.event_id}/manage/").content.decode()
    checklist = html.split('data-testid="skill-missing"', 1)[1].split("</ul>", 1)[0]
    assert "检录号抽签" in checklist and "工位号抽签" in checklist and "只有 0 个工位" in checklist


def test_a_refused_publication_names_the_day_the_review_period_ends(scenario: Scenario) -> None:
    s = scenario
    bring_to_review(s)
    s.refresh()
    assert s.skill.review_until is not None
    until = timezone.localtime(s.skill.review_until).strftime("%Y-%m-%d %H:%M")
    with pytest.raises(Conflict) as refused:
        services.event_transition(actor=s.organizer, event=s.event, target=Status.PUBLISHED)
    assert f"公示期至 {until} 结束" in refused.value.message
    services.event_transition(actor=s.organizer, event=s.event, target=Status.PUBLISHED, now=later(8))


# --- pages -------------------------------------------------------------------------------------------------------


def test_the_organizer_creates_an_event_on_the_page(client_of, organizer: User,  # type: ignore[no-untyped-def]
                                                    organizer_unit: Organization) -> None:
    client: Client = client_of(organizer)
    form = client.get("/competitions/events/new/").content.decode()
    assert "csrfmiddlewaretoken" in form and 'name="starts_on"' in form and "主办单位" in form
    bad = client.post("/competitions/events/new/", {
        "organizer": organizer_unit.pk, "name": "第三届技能兴鲁大赛", "level": "provincial_2", "series": "",
        "starts_on": "2026-10-12", "ends_on": "2026-10-01", "award_rule": "places",
        "excellence_basis": "half_of_entrants", "min_total": "60", "review_days": "5",
    })
    assert bad.status_code == 422 and 'data-field="ends_on"' in bad.content.decode()
    assert not Event.objects.filter(name="第三届技能兴鲁大赛").exists()
    good = client.post("/competitions/events/new/", {
        "organizer": organizer_unit.pk, "name": "第三届技能兴鲁大赛", "level": "provincial_2", "series": "技能兴鲁",
        "starts_on": "2026-10-12", "ends_on": "2026-10-14", "award_rule": "proportions",
        "excellence_basis": "half_of_entrants", "min_total": "65", "review_days": "5",
    })
    event = Event.objects.get(name="第三届技能兴鲁大赛")
    assert good.status_code == 302 and good["Location"] == f"/competitions/events/{event.pk}/manage/"
    assert (event.organizer_id, event.award_rule, event.min_total) == (organizer_unit.pk, "proportions", 65)
    assert AuditEntry.objects.filter(action="competitions.event.created", actor=organizer).exists()


def test_the_organizer_adds_and_edits_a_skill_on_the_page(client_of, organizer: User,  # type: ignore[no-untyped-def]
                                                          draft_event: Event) -> None:
    client: Client = client_of(organizer)
    base = {"name": "焊工", "occupation_code": "6-18-02-04", "group": "worker", "team_size": "1",
            "min_age": "18", "max_age": "55", "theory_weight": "0.2", "award_rule": "",
            "tie_break_1": "practical", "tie_break_2": "completion_time"}
    bad = client.post(f"/competitions/events/{draft_event.pk}/skills/new/", {**base, "occupation_code": "61802"})
    assert bad.status_code == 422 and "“职业编码”的值无效" in bad.content.decode()
    client.post(f"/competitions/events/{draft_event.pk}/skills/new/", base)
    skill = Skill.objects.get(event=draft_event)
    assert (skill.tie_breaks, skill.theory_weight, skill.max_age) == (["practical", "completion_time"],
                                                                      Decimal("0.2"), 55)
    page = client.get(f"/competitions/skills/{skill.pk}/edit/").content.decode()
    assert 'value="6-18-02-04"' in page
    client.post(f"/competitions/skills/{skill.pk}/edit/", {**base, "team_size": "2", "tie_break_1": "theory",
                                                           "tie_break_2": ""})
    skill.refresh_from_db()
    assert (skill.team_size, skill.tie_breaks) == (2, ["theory"])


def test_setup_pages_of_another_unit_are_not_found(client_of, other_organizer: User,  # type: ignore[no-untyped-def]
                                                    registration_skill: Skill, outsider: User) -> None:
    event = registration_skill.event
    for url in (f"/competitions/events/{event.pk}/edit/", f"/competitions/events/{event.pk}/skills/new/",
                f"/competitions/events/{event.pk}/venues/", f"/competitions/skills/{registration_skill.pk}/edit/",
                f"/competitions/skills/{registration_skill.pk}/scheme/"):
        assert client_of(other_organizer).get(url).status_code == 404, url
    assert client_of(other_organizer).post(f"/competitions/events/{event.pk}/venues/add/",
                                           {"name": "X"}).status_code == 404
    assert not Venue.objects.exists()
    assert client_of(outsider).get("/competitions/events/new/").status_code == 403


def test_the_venues_page_adds_a_range_and_shows_it_back(client_of, organizer: User,  # type: ignore[no-untyped-def]
                                                        registration_skill: Skill) -> None:
    client: Client = client_of(organizer)
    event = registration_skill.event
    client.post(f"/competitions/events/{event.pk}/venues/add/", {"name": "济南赛场", "address": "历下区"})
    venue = Venue.objects.get(event=event)
    refused = client.post(f"/competitions/venues/{venue.pk}/workstations/add/",
                          {"skill": registration_skill.pk, "numbers": "H40–H01"}, follow=True).content.decode()
    assert 'data-code="workstations.reversed"' in refused and "H01–H40" in refused
    client.post(f"/competitions/venues/{venue.pk}/workstations/add/",
                {"skill": registration_skill.pk, "numbers": "H01–H10"})
    page = client.get(f"/competitions/events/{event.pk}/venues/").content.decode()
    assert "H01–H10" in page and 'data-count="10"' in page and "csrfmiddlewaretoken" in page


def test_the_venues_page_lists_a_bad_files_cells(client_of, organizer: User,  # type: ignore[no-untyped-def]
                                                 registration_skill: Skill) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    event = registration_skill.event
    upload = SimpleUploadedFile("工位.xlsx", _workbook([["济南赛场", "", "钳工", "H01–J05"]]))
    response = client_of(organizer).post(f"/competitions/events/{event.pk}/venues/import/", {"file": upload})
    html = response.content.decode()
    assert response.status_code == 422 and 'data-testid="import-errors"' in html
    assert "钳工" in html and "前缀不同" in html and not Venue.objects.exists()


def test_the_scheme_page_saves_rows_and_shows_the_total(client_of, organizer: User,  # type: ignore[no-untyped-def]
                                                        draft_event: Event) -> None:
    client: Client = client_of(organizer)
    skill = SkillFactory(event=draft_event)
    url = f"/competitions/skills/{skill.pk}/scheme/"
    empty = client.get(url).content.decode()
    assert empty.count('data-testid="scheme-row"') == 5 and 'data-scheme-total' in empty

    def post(rows: list[dict[str, str]], **extra: str) -> str:
        data: dict[str, list[str]] = {key: [r.get(key, "") for r in rows] for key in (
            "module_code", "module_name", "aspect_code", "description", "method", "max_mark", "nominal", "bands",
            "referee_count", "divergence_threshold")}
        return client.post(url, {**data, **extra}, follow=True).content.decode()

    more = post(SCHEME_ROWS[:1], add_rows="1")
    assert more.count('data-testid="scheme-row"') == 6 and not MarkingScheme.objects.filter(skill=skill).exists()
    short = post([dict(SCHEME_ROWS[0], max_mark="30"), *SCHEME_ROWS[1:]])
    assert 'data-testid="scheme-errors"' in short and "90" in short and 'value="30"' in short  # kept as typed
    saved = post(SCHEME_ROWS)
    assert 'data-code="done"' in saved and ">100</output>" in saved
    assert MarkingScheme.objects.get(skill=skill).aspects.count() == 3


def test_the_event_page_shows_the_checklist_and_setup_links(client_of, organizer: User,  # type: ignore[no-untyped-def]
                                                            draft_event: Event) -> None:
    client: Client = client_of(organizer)
    html = client.get(f"/competitions/events/{draft_event.pk}/manage/").content.decode()
    assert 'data-ready="no"' in html and "赛项（请先添加至少一个赛项）" in html
    assert f"/competitions/events/{draft_event.pk}/skills/new/" in html
    assert f"/competitions/events/{draft_event.pk}/venues/" in html
    refused = client.post(f"/competitions/events/{draft_event.pk}/transition/", {"target": "registration"},
                          follow=True).content.decode()
    assert "赛项（请先添加至少一个赛项）" in refused.split("<main", 1)[1].split("</ul>", 1)[0]
    SkillFactory(event=draft_event)
    assert 'data-ready="yes"' in client.get(f"/competitions/events/{draft_event.pk}/manage/").content.decode()


def test_the_events_list_offers_a_new_event_only_to_organizers(client_of, organizer: User,  # type: ignore[no-untyped-def]
                                                               referee_of_a: User) -> None:
    assert 'data-testid="event-new"' in client_of(organizer).get("/competitions/").content.decode()
    assert 'data-testid="event-new"' not in client_of(referee_of_a).get("/competitions/").content.decode()



def test_the_organizers_home_lists_events_in_setup(draft_event: Event, organizer: User, hr_of_a: User) -> None:
    from competitions.home import organizer_items

    (item,) = [i for i in organizer_items(organizer) if i.code == "competitions.event_in_setup"]
    assert item.url == f"/competitions/events/{draft_event.pk}/manage/" and draft_event.name in item.detail
    assert organizer_items(hr_of_a) == []


def test_the_setup_pages_speak_english_to_an_english_reader(client_of, organizer: User,  # type: ignore[no-untyped-def]
                                                            registration_skill: Skill) -> None:
    client: Client = client_of(organizer)
    event = registration_skill.event
    page = client.get(f"/competitions/events/{event.pk}/venues/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Venues and workstations" in page and "赛场与工位" not in page
    venue = services.venue_add(actor=organizer, event=event, data=services.VenueData("济南赛场"))
    refused = client.post(f"/competitions/venues/{venue.pk}/workstations/add/",
                          {"skill": registration_skill.pk, "numbers": "H40–H01"}, follow=True,
                          HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "runs backwards" in refused


def test_editing_a_skill_on_the_page_keeps_its_nomination_link(client_of, organizer: User,  # type: ignore[no-untyped-def]
                                                               draft_event: Event) -> None:
    national = SkillFactory(name="焊工（国赛）")
    skill = SkillFactory(event=draft_event, nominates_to=national, nominate_top=3)
    client_of(organizer).post(f"/competitions/skills/{skill.pk}/edit/", {
        "name": "焊工", "occupation_code": "6-18-02-04", "group": "worker", "team_size": "1", "min_age": "18",
        "max_age": "55", "theory_weight": "", "award_rule": "", "tie_break_1": "completion_time"})
    skill.refresh_from_db()
    assert (skill.name, skill.nominates_to_id, skill.nominate_top) == ("焊工", national.pk, 3)
