"""The competitions app's "待办事项" on the home page: what each role finds waiting, counted as the pages that act
on it count, never another unit's, with a query budget that does not grow with the competition."""

from __future__ import annotations

from decimal import Decimal

from django.test import Client
from django.utils import timezone, translation

from accounts.actors import SYSTEM
from accounts.models import Organization, OrganizationKind, Role, User
from competitions import home, services
from competitions.models import EntryCoach, Group, Sheet, Skill, Status, TitleProposal
from competitions.selectors import skill_missing
from shell.navigation import WaitingItem
from tests.accounts.factories import OrganizationFactory, person
from tests.competitions import steps
from tests.competitions.factories import contestant
from tests.competitions.steps import Scenario, mark, mark_entry


def _coded(items: list[WaitingItem]) -> dict[str, WaitingItem]:
    """The items by their stable code (what the home page shows as data-code), not by their words."""
    return {item.code: item for item in items}


# --- referees -----------------------------------------------------------------------------------------------------


def test_a_referee_is_told_how_many_marks_are_missing(scenario: Scenario) -> None:
    s = scenario
    (item,) = home.referee_items(s.r1)
    # r1 measures A's two entries (referee_a is recused from them) and judges all four: 2 × 2 + 4 × 2 cells.
    assert item.count == 12
    assert item.url == f"/competitions/skills/{s.skill.pk}/marking/" and s.skill.name in item.detail
    mark_entry(s, s.entries_b[0])
    (item,) = home.referee_items(s.r1)
    assert item.count == 10  # B's first entry marked: its two judgement cells are r1's no more


def test_a_recused_referee_is_not_counted_the_entries_of_their_own_unit(scenario: Scenario) -> None:
    s = scenario
    (item,) = home.referee_items(s.referee_a)
    assert item.count == 8  # B's two entries, four aspects each; A's are marked by r1, r2, r3


def test_a_referee_with_everything_entered_has_nothing_waiting(scenario: Scenario) -> None:
    s = scenario
    for entry in s.entries_b:
        mark_entry(s, entry)
    assert home.referee_items(s.referee_a) == []
    assert home.referee_items(s.chief) == []  # the chief signs off, he marks nothing


# --- chief referees -----------------------------------------------------------------------------------------------


def test_the_chief_is_told_of_sheets_ready_and_divergent(scenario: Scenario) -> None:
    s = scenario
    assert home.chief_items(s.chief) == []  # nothing marked: nothing to sign
    mark_entry(s, s.entries_b[0])
    mark_entry(s, s.entries_b[1], j1=(0, 2, 3))  # max − min = 3 > 1
    mark(s.r1, s.entries_a[0], s.aspects["A1"], 20)  # incomplete: neither ready nor divergent
    items = _coded(home.chief_items(s.chief))
    # B0's two modules are complete and agree; B1's M1 is complete, its M2 holds the divergent J1; A0 is incomplete.
    assert (items["competitions.sheets_to_sign"].count, items["competitions.sheets_divergent"].count) == (3, 1)
    assert items["competitions.sheets_divergent"].level == "warning"
    assert items["competitions.sheets_to_sign"].url == f"/competitions/skills/{s.skill.pk}/sheets/"

    sheet = Sheet.objects.get(entry=s.entries_b[0], module__code="M1")
    services.sheet_sign_off(chief=s.chief, sheet_id=sheet.pk)
    services.correction_request(actor=s.referee_a, mark_id=sheet.entry.marks.get(aspect=s.aspects["A1"]).pk,
                                new_value=Decimal(0), reason="复测焊缝尺寸超差")
    items = _coded(home.chief_items(s.chief))
    assert items["competitions.sheets_to_sign"].count == 2
    assert items["competitions.corrections_to_decide"].count == 1
    assert items["competitions.corrections_to_decide"].url == f"/competitions/skills/{s.skill.pk}/corrections/"
    assert home.chief_items(s.r1) == []  # a referee of the panel, not the chief


def test_the_chief_is_told_of_unanswered_objections(scenario: Scenario) -> None:
    s = scenario
    steps.bring_to_review_with_a_tie(s)
    entry = s.entries[3]
    objection = services.objection_file(person=entry.members.get().person, entry_id=entry.pk, text="A1 漏评，请复核")
    (item,) = home.chief_items(s.chief)
    assert (item.code, item.count) == ("competitions.objections_to_answer", 1)
    assert item.url == f"/competitions/skills/{s.skill.pk}/objections/"
    services.objection_answer(chief=s.chief, objection=objection, answer="经复核，维持原成绩。")
    assert home.chief_items(s.chief) == []


def test_a_chief_of_another_skill_sees_nothing_of_this_one(scenario: Scenario, organizer_unit: Organization) -> None:
    s = scenario
    mark_entry(s, s.entries_b[0])
    other_chief = person(Role.CHIEF_REFEREE, organizer_unit, username="another_chief")
    assert home.chief_items(other_chief) == []


def test_the_chief_s_home_page_has_a_query_budget(
    scenario: Scenario, client_of, django_assert_max_num_queries  # type: ignore[no-untyped-def]
) -> None:
    s = scenario
    for entry in s.entries:
        mark_entry(s, entry)
    mark_entry(s, s.entries_b[1], j1=(0, 2, 3))
    client: Client = client_of(s.chief)
    # Session, user, roles; accounts and core providers; per competitions provider one or two, and three reads of
    # sheets, aspects and marks for the chief's skills in marking, however many entries they have; one for the
    # talent pool's contact requests waiting for the person (anyone may be in the pool).
    with django_assert_max_num_queries(13):
        html = client.get("/").content.decode()
    assert 'data-code="competitions.sheets_to_sign"' in html and 'data-code="competitions.sheets_divergent"' in html


# --- encryption officers ------------------------------------------------------------------------------------------


def test_the_encryption_officer_is_told_which_draw_is_due(
    registration_skill: Skill, organizer: User, encryptor: User, enterprise_a: Organization
) -> None:
    skill = registration_skill
    entry = services.entry_submit(actor=SYSTEM, skill=skill, unit=enterprise_a,
                                  members=[services.MemberData(contestant(enterprise_a), Group.WORKER)])
    services.entry_approve(actor=organizer, entry=entry)
    assert home.encryption_items(encryptor) == []  # registration: no draw yet
    services.event_transition(actor=organizer, event=skill.event, target=Status.CHECK_IN)
    services.venue_create(actor=organizer, event=skill.event, name="赛场一", workstations={skill: ["01", "02"]})
    (item,) = home.encryption_items(encryptor)
    assert item.code == "competitions.checkin_draw_due" and skill.name in item.detail
    services.draw_checkin(officer=encryptor, skill=skill)
    (item,) = home.encryption_items(encryptor)
    assert item.code == "competitions.workstation_draw_due"
    services.draw_workstations(officer=encryptor, skill=skill)
    assert home.encryption_items(encryptor) == []
    assert home.encryption_items(organizer) == []  # the draws are the encryption officer's alone


def test_the_encryption_officer_is_told_when_a_skill_can_be_decrypted(scenario: Scenario) -> None:
    s = scenario
    for entry in s.entries:
        mark_entry(s, entry)
    sheets = list(Sheet.objects.filter(entry__skill=s.skill))
    for sheet in sheets[1:]:
        services.sheet_sign_off(chief=s.chief, sheet_id=sheet.pk)
    assert home.encryption_items(s.encryptor) == []  # one sheet still open
    services.sheet_sign_off(chief=s.chief, sheet_id=sheets[0].pk)
    (item,) = home.encryption_items(s.encryptor)
    assert item.code == "competitions.decrypt_due"
    other_unit = OrganizationFactory(name="市人社局（测试）", kind=OrganizationKind.ORGANIZER)
    assert home.encryption_items(person(Role.ENCRYPTION_OFFICER, other_unit)) == []
    services.skill_decrypt(officer=s.encryptor, skill=s.skill)
    assert home.encryption_items(s.encryptor) == []


# --- organizer staff ----------------------------------------------------------------------------------------------


def test_organizer_staff_are_told_of_registrations_to_review_in_their_own_unit_only(
    registration_skill: Skill, organizer: User, hr_of_a: User, enterprise_a: Organization, platform_admin: User
) -> None:
    skill = registration_skill
    for _ in range(2):
        services.entry_submit(actor=hr_of_a, skill=skill, unit=enterprise_a,
                              members=[services.MemberData(contestant(enterprise_a), Group.WORKER)])
    (item,) = home.organizer_items(organizer)
    assert (item.code, item.count) == ("competitions.entries_to_review", 2)
    assert item.url == f"/competitions/events/{skill.event_id}/registrations/?status=submitted"
    assert skill.event.name in item.detail
    other_unit = OrganizationFactory(name="市人社局（测试）", kind=OrganizationKind.ORGANIZER)
    assert home.organizer_items(person(Role.ORGANIZER_STAFF, other_unit)) == []
    assert home.organizer_items(hr_of_a) == []  # a nominating unit does not review its own nominations
    assert home.organizer_items(platform_admin) == []  # may act everywhere, but it is not the admin's to-do


def test_organizer_staff_are_told_of_titles_to_approve(scenario: Scenario) -> None:
    s = scenario
    steps.bring_to_review_with_a_tie(s)
    steps.publish(s)
    (item,) = home.organizer_items(s.organizer)
    assert (item.code, item.count) == ("competitions.titles_to_approve", 3)
    assert item.url == f"/competitions/events/{s.event.pk}/titles/"
    services.title_approve(actor=s.organizer, proposal=TitleProposal.objects.order_by("pk").first())  # type: ignore[arg-type]
    (item,) = home.organizer_items(s.organizer)
    assert item.count == 2


def test_organizer_staff_are_told_when_the_review_period_is_over_and_objections_answered(scenario: Scenario) -> None:
    s = scenario
    steps.bring_to_review_with_a_tie(s)
    assert home.organizer_items(s.organizer) == []  # the review period runs five working days
    # The period ends: written directly, as the clock would have moved it.
    Skill.objects.filter(pk=s.skill.pk).update(review_until=timezone.now())
    entry = s.entries[3]
    objection = services.objection_file(person=entry.members.get().person, entry_id=entry.pk, text="A1 漏评，请复核")
    assert home.organizer_items(s.organizer) == []  # an unanswered objection holds publication
    services.objection_answer(chief=s.chief, objection=objection, answer="经复核，维持原成绩。")
    (item,) = home.organizer_items(s.organizer)
    assert (item.code, item.count) == ("competitions.results_to_publish", 1)
    s.skill.refresh_from_db()
    assert skill_missing(s.skill, Status.PUBLISHED, now=timezone.now()) == []


# --- contestants and coaches --------------------------------------------------------------------------------------


def test_contestants_and_coaches_are_told_their_results_are_published_and_objections_answered(
    scenario: Scenario, enterprise_b: Organization, outsider: User
) -> None:
    s = scenario
    entry = s.entries[3]
    member = entry.members.get().person
    coach = person(Role.COACH, enterprise_b, username="coach_b")
    EntryCoach.objects.create(entry=entry, person=coach)  # a coach named at registration
    steps.bring_to_review_with_a_tie(s)
    objection = services.objection_file(person=member, entry_id=entry.pk, text="A1 漏评，请复核")
    assert home.contestant_items(member) == []
    services.objection_answer(chief=s.chief, objection=objection, answer="经复核，维持原成绩。")
    (answered,) = home.contestant_items(member)
    assert answered.code == "competitions.objections_answered" and answered.url == "/competitions/mine/"
    steps.publish(s)
    items = _coded(home.contestant_items(member))
    assert items["competitions.results_published"].url == f"/competitions/events/{s.event.pk}/results/"
    assert items["competitions.results_published"].count == 1
    assert list(_coded(home.contestant_items(coach))) == ["competitions.results_published"]
    assert home.contestant_items(outsider) == []


def test_waiting_items_speak_the_reader_s_language(scenario: Scenario) -> None:
    with translation.override("en"):
        (item,) = home.referee_items(scenario.r1)
    assert item.title == "Marks to enter" and "12 marks still to enter" in item.detail


def test_the_supervisor_is_told_of_the_only_chiefs_own_corrections_and_the_chief_is_not(  # type: ignore[no-untyped-def]
    scenario: Scenario,
) -> None:
    s = scenario
    supervisor = person(Role.SUPERVISOR, s.event.organizer, username="supervisor")
    assert home.supervisor_items(supervisor) == [] and home.supervisor_items(s.chief) == []
    mark_entry(s, s.entries_b[0])
    sheet = Sheet.objects.get(entry=s.entries_b[0], module__code="M1")
    services.sheet_sign_off(chief=s.chief, sheet_id=sheet.pk)
    a1 = sheet.entry.marks.get(aspect=s.aspects["A1"])
    services.correction_request(actor=s.referee_a, mark_id=a1.pk, new_value=Decimal(0), reason="复测超差")
    assert home.supervisor_items(supervisor) == []  # a referee's request is for the chief referee
    services.correction_reject(chief=s.chief, correction_id=a1.corrections.get().pk, reason="录像显示合格")
    services.correction_request(actor=s.chief, mark_id=a1.pk, new_value=Decimal(0), reason="二次复测超差")
    (item,) = home.supervisor_items(supervisor)
    assert (item.code, item.count) == ("competitions.corrections_to_supervise", 1)
    assert item.url == f"/competitions/skills/{s.skill.pk}/corrections/"
    assert not [i for i in home.chief_items(s.chief) if i.code == "competitions.corrections_to_decide"]
    other_unit = person(Role.SUPERVISOR, OrganizationFactory(name="另一个主办单位"), username="elsewhere")
    assert home.supervisor_items(other_unit) == []
