"""The referees page of a skill (issue 10 item 1): appointing referees and the chief from people found by name,
with ID numbers masked for the organizer, and recording the relationships referees declared to contestants."""

from __future__ import annotations

import pytest

from accounts.actors import SYSTEM
from accounts.identity import mask_id_number
from accounts.models import Organization, Role, User
from audit.models import AuditEntry
from competitions import services
from competitions.models import Entry, Group, RefereeAssignment, RefereeRole, RelationshipDeclaration, Skill, Status
from core.errors import NotFound, ValidationFailed
from tests.accounts.factories import OrganizationFactory, person
from tests.competitions.factories import contestant
from tests.competitions.steps import Scenario


def _page(skill: Skill) -> str:
    return f"/competitions/skills/{skill.pk}/referees/"


@pytest.fixture
def entry_of_a(registration_skill: Skill, enterprise_a: Organization) -> Entry:
    return services.entry_submit(actor=SYSTEM, skill=registration_skill, unit=enterprise_a,
                                 members=[services.MemberData(contestant(enterprise_a, real_name="钱选手"),
                                                              Group.WORKER)])


def test_organizer_finds_referees_by_name_with_their_id_numbers_masked(
    registration_skill: Skill, organizer: User, referee_of_a: User, hr_of_a: User, client_of
) -> None:  # type: ignore[no-untyped-def]
    referee_of_a.real_name = "孙裁判"
    referee_of_a.save()
    html = client_of(organizer).get(_page(registration_skill), {"q": "孙裁"}).content.decode()
    assert "孙裁判" in html and "甲企业" in html
    assert referee_of_a.id_number not in html and mask_id_number(referee_of_a.id_number) in html
    assert hr_of_a.username not in html  # not a referee: not offered


def test_search_answers_the_candidates_alone_to_htmx(
    registration_skill: Skill, organizer: User, referee_of_a: User, client_of
) -> None:  # type: ignore[no-untyped-def]
    response = client_of(organizer).get(_page(registration_skill), {"q": referee_of_a.real_name},
                                        headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="candidates"') and "<html" not in html


def test_organizer_appoints_a_referee_and_a_chief_on_the_page(
    registration_skill: Skill, organizer: User, referee_of_a: User, organizer_unit: Organization, client_of
) -> None:  # type: ignore[no-untyped-def]
    chief = person(Role.CHIEF_REFEREE, organizer_unit, real_name="周裁判长")
    client = client_of(organizer)
    url = f"/competitions/skills/{registration_skill.pk}/referees/appoint/"
    response = client.post(url, {"referee": referee_of_a.pk, "role": "referee", "priority": "3"}, follow=True)
    assert 'data-code="referee.assigned"' in response.content.decode()
    client.post(url, {"referee": chief.pk, "role": "chief"})
    assignments = dict(RefereeAssignment.objects.filter(skill=registration_skill).values_list("referee_id", "role"))
    assert assignments == {referee_of_a.pk: RefereeRole.REFEREE, chief.pk: RefereeRole.CHIEF}
    assert RefereeAssignment.objects.get(referee=referee_of_a).priority == 3
    assert AuditEntry.objects.filter(action="competitions.referee.assigned").count() == 2
    page = client.get(_page(registration_skill)).content.decode()
    assert page.count('data-testid="appointed-referee"') == 2


def test_a_referee_cannot_be_made_chief_without_the_role(
    registration_skill: Skill, organizer: User, referee_of_a: User, client_of
) -> None:  # type: ignore[no-untyped-def]
    response = client_of(organizer).post(f"/competitions/skills/{registration_skill.pk}/referees/appoint/",
                                         {"referee": referee_of_a.pk, "role": "chief"}, follow=True)
    assert 'data-code="assignment.wrong_role"' in response.content.decode()
    assert not RefereeAssignment.objects.exists()


def test_referees_page_is_invisible_to_other_units(
    registration_skill: Skill, hr_of_a: User, referee_of_a: User, client_of
) -> None:  # type: ignore[no-untyped-def]
    assert client_of(hr_of_a).get(_page(registration_skill)).status_code == 404
    other = person(Role.ORGANIZER_STAFF, OrganizationFactory(name="别的人社局"))
    assert client_of(other).post(f"/competitions/skills/{registration_skill.pk}/referees/appoint/",
                                 {"referee": referee_of_a.pk, "role": "referee"}).status_code == 404
    assert not RefereeAssignment.objects.exists()


def test_organizer_records_a_declared_relationship_and_the_referee_is_recused(
    registration_skill: Skill, organizer: User, referee_of_a: User, entry_of_a: Entry, client_of
) -> None:  # type: ignore[no-untyped-def]
    services.referee_assign(actor=organizer, skill=registration_skill, referee=referee_of_a)
    member = entry_of_a.members.get().person
    client = client_of(organizer)
    response = client.post(f"/competitions/skills/{registration_skill.pk}/referees/relationships/",
                           {"referee": referee_of_a.pk, "person": member.pk, "reason": "师徒"}, follow=True)
    assert 'data-code="relationship.recorded"' in response.content.decode()
    declaration = RelationshipDeclaration.objects.get(referee=referee_of_a, person=member)
    assert declaration.reason == "师徒"
    audit = AuditEntry.objects.get(action="competitions.relationship.recorded")
    assert audit.actor_id == organizer.pk and audit.new["skill"] == registration_skill.pk
    assert "师徒" in client.get(_page(registration_skill)).content.decode()


def test_relationship_needs_an_appointed_referee_a_contestant_and_a_reason(
    registration_skill: Skill, organizer: User, referee_of_a: User, entry_of_a: Entry, worker_of_a: User
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.relationship_record(actor=organizer, skill=registration_skill, referee=referee_of_a,
                                     person=worker_of_a, reason="")
    assert sorted(e.field for e in refused.value.field_errors) == ["person", "reason", "referee"]
    assert not RelationshipDeclaration.objects.exists()


def test_another_organizer_cannot_record_a_relationship(
    registration_skill: Skill, organizer: User, referee_of_a: User, entry_of_a: Entry
) -> None:
    services.referee_assign(actor=organizer, skill=registration_skill, referee=referee_of_a)
    other = person(Role.ORGANIZER_STAFF, OrganizationFactory(name="别的人社局"))
    with pytest.raises(NotFound):
        services.relationship_record(actor=other, skill=registration_skill, referee=referee_of_a,
                                     person=entry_of_a.members.get().person, reason="亲属")


def test_once_marking_started_only_the_chief_changes_referees_with_a_reason(
    scenario: Scenario, client_of
) -> None:  # type: ignore[no-untyped-def]
    s = scenario
    assert s.skill.status == Status.MARKING
    extra = person(Role.REFEREE, OrganizationFactory(name="戊考核站"), real_name="吴替补")
    url = f"/competitions/skills/{s.skill.pk}/referees/appoint/"
    refused = client_of(s.organizer).post(url, {"referee": extra.pk, "role": "referee"}, follow=True)
    assert 'data-code="assignment.frozen"' in refused.content.decode()
    chief_page = client_of(s.chief).get(_page(s.skill), {"q": "吴替补"}).content.decode()
    assert "吴替补" in chief_page and 'name="reason"' in chief_page
    client_of(s.chief).post(url, {"referee": extra.pk, "role": "referee", "reason": "r2 生病"})
    assert RefereeAssignment.objects.filter(skill=s.skill, referee=extra).exists()
