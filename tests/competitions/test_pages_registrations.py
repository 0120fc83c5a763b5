"""Registrations in the browser (issue 10 items 1 and 2): the organizer's list of an event's registrations with
its filters, approving and rejecting one by one or in bulk (`services.entries_decide`: all or nothing), roster
import for any unit of the event, and the units' own page (events open for registration, entering people one by
one, their entries with status and reason)."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.actors import SYSTEM
from accounts.models import Organization, Role, User
from audit.models import AuditEntry
from competitions import services
from competitions.models import Entry, EntryStatus, Group, Skill
from core.errors import NotFound, ValidationFailed
from tests.accounts.factories import OrganizationFactory, person
from tests.competitions.factories import contestant
from tests.competitions.rosters import roster_rows, upload, workbook


def _enter(skill: Skill, unit: Organization, *, name: str = "") -> Entry:
    kwargs = {"real_name": name} if name else {}
    return services.entry_submit(actor=SYSTEM, skill=skill, unit=unit,
                                 members=[services.MemberData(contestant(unit, **kwargs), Group.WORKER)])


@pytest.fixture
def entries(registration_skill: Skill, enterprise_a: Organization, enterprise_b: Organization) -> list[Entry]:
    """Two entries of A, one of B, all waiting for review."""
    return [_enter(registration_skill, enterprise_a, name="甲一"),
            _enter(registration_skill, enterprise_a, name="甲二"),
            _enter(registration_skill, enterprise_b, name="乙一")]


def _list(skill: Skill) -> str:
    return f"/competitions/events/{skill.event_id}/registrations/"


# --- the service ----------------------------------------------------------------------------------------------------


def test_bulk_approval_decides_every_entry_with_its_own_audit_entry(
    registration_skill: Skill, organizer: User, entries: list[Entry]
) -> None:
    decided = services.entries_decide(actor=organizer, entry_ids=[e.pk for e in entries[:2]],
                                      status=EntryStatus.APPROVED)
    assert [e.status for e in decided] == [EntryStatus.APPROVED, EntryStatus.APPROVED]
    assert Entry.objects.get(pk=entries[2].pk).status == EntryStatus.SUBMITTED
    audited = AuditEntry.objects.filter(action="competitions.entry.approved").values_list("target_id", flat=True)
    assert sorted(int(t) for t in audited) == sorted(e.pk for e in entries[:2])


def test_bulk_decision_writes_nothing_when_one_entry_cannot_be_decided(
    registration_skill: Skill, organizer: User, entries: list[Entry]
) -> None:
    services.entry_withdraw(actor=SYSTEM, entry=entries[1], reason="选手受伤")
    with pytest.raises(ValidationFailed) as refused:
        services.entries_decide(actor=organizer, entry_ids=[e.pk for e in entries], status=EntryStatus.APPROVED)
    assert [e.code for e in refused.value.field_errors] == ["entry.not_decidable"]
    assert "甲企业" in refused.value.field_errors[0].message and "甲二" in refused.value.field_errors[0].message
    assert set(Entry.objects.filter(pk__in=[entries[0].pk, entries[2].pk]).values_list("status", flat=True)) == {
        EntryStatus.SUBMITTED}
    assert not AuditEntry.objects.filter(action="competitions.entry.approved").exists()


def test_bulk_rejection_needs_a_reason_and_every_rejected_unit_sees_it(
    registration_skill: Skill, organizer: User, entries: list[Entry]
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.entries_decide(actor=organizer, entry_ids=[entries[0].pk], status=EntryStatus.REJECTED, reason=" ")
    assert refused.value.field_errors[0].field == "reason"
    services.entries_decide(actor=organizer, entry_ids=[entries[0].pk, entries[2].pk], status=EntryStatus.REJECTED,
                            reason="年龄证明不清晰")
    assert {e.review_reason for e in Entry.objects.filter(status=EntryStatus.REJECTED)} == {"年龄证明不清晰"}


def test_another_organizer_cannot_decide_the_events_entries(
    registration_skill: Skill, entries: list[Entry]
) -> None:
    other = person(Role.ORGANIZER_STAFF, OrganizationFactory(name="别的主办单位"))
    with pytest.raises(NotFound):
        services.entries_decide(actor=other, entry_ids=[entries[0].pk], status=EntryStatus.APPROVED)
    assert Entry.objects.get(pk=entries[0].pk).status == EntryStatus.SUBMITTED


def test_the_organizer_may_enter_people_for_any_unit_but_a_unit_only_for_itself(
    registration_skill: Skill, organizer: User, hr_of_b: User, enterprise_a: Organization
) -> None:
    entry = services.entry_submit(actor=organizer, skill=registration_skill, unit=enterprise_a,
                                  members=[services.MemberData(contestant(enterprise_a), Group.WORKER)])
    assert entry.unit == enterprise_a and entry.submitted_by == organizer
    with pytest.raises(NotFound):
        services.entry_submit(actor=hr_of_b, skill=registration_skill, unit=enterprise_a,
                              members=[services.MemberData(contestant(enterprise_a), Group.WORKER)])


# --- the organizer's list -------------------------------------------------------------------------------------------


def test_registration_list_filters_by_status_and_unit(
    registration_skill: Skill, organizer: User, entries: list[Entry], enterprise_b: Organization, client_of
) -> None:  # type: ignore[no-untyped-def]
    services.entry_approve(actor=organizer, entry=entries[0])
    client = client_of(organizer)
    html = client.get(_list(registration_skill), {"status": "submitted"}).content.decode()
    assert "甲二" in html and "乙一" in html and "甲一" not in html
    html = client.get(_list(registration_skill), {"unit": str(enterprise_b.pk)}).content.decode()
    assert "乙一" in html and "甲一" not in html and "甲二" not in html
    assert "csrfmiddlewaretoken" in html


def test_registration_list_is_invisible_to_other_units(
    registration_skill: Skill, entries: list[Entry], hr_of_a: User, client_of
) -> None:  # type: ignore[no-untyped-def]
    assert client_of(hr_of_a).get(_list(registration_skill)).status_code == 404


def test_organizer_approves_in_bulk_and_rejects_one_with_a_reason_on_the_page(
    registration_skill: Skill, organizer: User, entries: list[Entry], client_of
) -> None:  # type: ignore[no-untyped-def]
    client = client_of(organizer)
    event_id = registration_skill.event_id
    response = client.post(f"/competitions/events/{event_id}/registrations/decide/", {
        "entry_ids": [entries[0].pk, entries[1].pk], "decision": "approved", "status": "submitted"}, follow=True)
    assert 'data-code="entries.approved"' in response.content.decode()
    assert response.redirect_chain[-1][0].endswith("?status=submitted")
    refused = client.post(f"/competitions/entries/{entries[2].pk}/decide/", {"decision": "rejected", "reason": ""},
                          follow=True)
    assert 'data-code="entry.reason_required"' in refused.content.decode()
    client.post(f"/competitions/entries/{entries[2].pk}/decide/", {"decision": "rejected", "reason": "材料不全"})
    statuses = dict(Entry.objects.filter(pk__in=[e.pk for e in entries]).values_list("pk", "status"))
    assert statuses == {entries[0].pk: "approved", entries[1].pk: "approved", entries[2].pk: "rejected"}


def test_bulk_form_refuses_an_entry_of_another_event(
    registration_skill: Skill, organizer: User, entries: list[Entry], organizer_unit: Organization, client_of
) -> None:  # type: ignore[no-untyped-def]
    from tests.competitions.factories import EventFactory, SkillFactory

    other = SkillFactory(event=EventFactory(organizer=organizer_unit))
    response = client_of(organizer).post(f"/competitions/events/{other.event_id}/registrations/decide/", {
        "entry_ids": [entries[0].pk], "decision": "approved"})
    assert response.status_code == 404
    assert Entry.objects.get(pk=entries[0].pk).status == EntryStatus.SUBMITTED


def test_organizer_imports_a_roster_for_another_unit(
    registration_skill: Skill, organizer: User, enterprise_a: Organization, client_of
) -> None:  # type: ignore[no-untyped-def]
    data = workbook(roster_rows(2, unit=enterprise_a.name))
    response = client_of(organizer).post(f"/competitions/skills/{registration_skill.pk}/excel/roster/import/",
                                         {"file": upload(data)}, follow=True)
    assert response.status_code == 200, response.content.decode()[:3000]
    assert Entry.objects.filter(skill=registration_skill, unit=enterprise_a).count() == 2


# --- a unit's pages ---------------------------------------------------------------------------------------------------


def test_unit_page_lists_open_events_and_its_own_entries_with_the_reason(
    registration_skill: Skill, organizer: User, entries: list[Entry], hr_of_a: User, client_of
) -> None:  # type: ignore[no-untyped-def]
    services.entry_reject(actor=organizer, entry=entries[0], reason="身份证复印件模糊")
    html = client_of(hr_of_a).get("/competitions/unit/").content.decode()
    assert registration_skill.event.name in html
    assert f'/competitions/skills/{registration_skill.pk}/register/' in html
    assert f'/competitions/skills/{registration_skill.pk}/excel/' in html
    assert "身份证复印件模糊" in html and "甲一" in html and "甲二" in html
    assert "乙一" not in html  # another unit's entry


def test_unit_page_is_refused_to_a_referee(referee_of_a: User, client_of) -> None:  # type: ignore[no-untyped-def]
    assert client_of(referee_of_a).get("/competitions/unit/").status_code == 403


def test_unit_registers_one_of_its_people_and_withdraws_the_entry(
    registration_skill: Skill, hr_of_a: User, enterprise_a: Organization, client_of
) -> None:  # type: ignore[no-untyped-def]
    worker = contestant(enterprise_a, real_name="赵师傅")
    client = client_of(hr_of_a)
    form = client.get(f"/competitions/skills/{registration_skill.pk}/register/", {"q": "赵"}).content.decode()
    assert "赵师傅" in form
    response = client.post(f"/competitions/skills/{registration_skill.pk}/register/", {
        "unit": enterprise_a.pk, "members": [worker.pk], "group": Group.WORKER}, follow=True)
    assert 'data-code="entry.submitted"' in response.content.decode()
    entry = Entry.objects.get(skill=registration_skill, members__person=worker)
    assert entry.unit == enterprise_a and entry.submitted_by == hr_of_a
    client.post(f"/competitions/entries/{entry.pk}/withdraw/", {"reason": "工作安排冲突"})
    entry.refresh_from_db()
    assert entry.status == EntryStatus.WITHDRAWN and entry.review_reason == "工作安排冲突"


def test_unit_cannot_register_a_person_of_another_unit(
    registration_skill: Skill, hr_of_a: User, enterprise_a: Organization, enterprise_b: Organization, client_of
) -> None:  # type: ignore[no-untyped-def]
    stranger = contestant(enterprise_b)
    client = client_of(hr_of_a)
    response = client.post(f"/competitions/skills/{registration_skill.pk}/register/", {
        "unit": enterprise_a.pk, "members": [stranger.pk], "group": Group.WORKER})
    assert response.status_code == 404
    assert client.post(f"/competitions/skills/{registration_skill.pk}/register/", {
        "unit": enterprise_b.pk, "members": [stranger.pk]}).status_code == 404
    assert not Entry.objects.filter(skill=registration_skill).exists()


def test_register_form_names_every_eligibility_problem(
    registration_skill: Skill, hr_of_a: User, enterprise_a: Organization, client_of
) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    young = contestant(enterprise_a, born=date(2012, 1, 1), real_name="小刘")
    response = client_of(hr_of_a).post(f"/competitions/skills/{registration_skill.pk}/register/", {
        "unit": enterprise_a.pk, "members": [young.pk], "group": Group.WORKER}, follow=True)
    html = response.content.decode()
    assert 'data-code="registration.too_young"' in html and "小刘" in html
    assert not Entry.objects.filter(skill=registration_skill).exists()


def test_home_tells_a_unit_about_open_registration_and_rejected_entries(
    registration_skill: Skill, organizer: User, entries: list[Entry], hr_of_a: User, hr_of_b: User, client_of
) -> None:  # type: ignore[no-untyped-def]
    services.entry_reject(actor=organizer, entry=entries[0], reason="材料不全")
    html = client_of(hr_of_a).get("/").content.decode()
    assert 'data-code="competitions.registration_open"' in html
    assert 'data-code="competitions.entries_rejected"' in html
    other = Client()
    other.force_login(hr_of_b, backend="accounts.auth.AccountBackend")
    html_b = other.get("/").content.decode()
    assert 'data-code="competitions.registration_open"' in html_b
    assert 'data-code="competitions.entries_rejected"' not in html_b


def test_registration_list_stays_within_a_query_budget(
    registration_skill: Skill, organizer: User, enterprise_a: Organization, client_of,
    django_assert_max_num_queries,
) -> None:  # type: ignore[no-untyped-def]
    for _ in range(30):
        _enter(registration_skill, enterprise_a)
    client = client_of(organizer)
    with django_assert_max_num_queries(15):
        response = client.get(_list(registration_skill))
    assert response.content.decode().count('data-testid="registration-row"') == 30
