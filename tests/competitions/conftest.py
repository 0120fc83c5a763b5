"""A welding skill of a provincial event, brought to marking through the services.

Cast, beyond tests/conftest.py: an encryption officer and a chief referee of the organizer; referees: referee_a
(of enterprise A, first in priority), then r1 and r2 of the exam center and r3 of a college. Contestants: two of
enterprise A, two of enterprise B. Judgement panels need three referees, so A's contestants are marked by r1, r2
and r3 (referee_a recused, r3 fills in) and B's by referee_a, r1 and r2.
"""

from __future__ import annotations

from datetime import date

import pytest

from accounts.actors import SYSTEM
from accounts.models import Organization, OrganizationKind, Role, User
from competitions import services
from competitions.models import Entry, Group, RefereeRole, Skill, Status
from tests.accounts.factories import OrganizationFactory, person
from tests.competitions.factories import EventFactory, SkillFactory, contestant, welding_scheme
from tests.competitions.steps import Scenario


@pytest.fixture
def encryptor(organizer_unit: Organization) -> User:
    return person(Role.ENCRYPTION_OFFICER, organizer_unit, username="the_encryptor")


@pytest.fixture
def chief(organizer_unit: Organization) -> User:
    return person(Role.CHIEF_REFEREE, organizer_unit, username="the_chief", real_name="裁判长")


@pytest.fixture
def registration_skill(organizer_unit: Organization, organizer: User) -> Skill:
    event = EventFactory(organizer=organizer_unit, starts_on=date(2026, 9, 15), ends_on=date(2026, 9, 17))
    skill = SkillFactory(event=event, name="焊工")
    services.scheme_save(actor=organizer, skill=skill, modules=welding_scheme())
    services.event_transition(actor=organizer, event=event, target=Status.REGISTRATION)
    skill.refresh_from_db()
    return skill


def _to_marking(skill: Skill, organizer: User, encryptor: User, chief: User, referees: list[User],
                units: list[Organization], per_unit: int = 2) -> list[list[Entry]]:
    entries: list[list[Entry]] = []
    for unit in units:
        batch = []
        for _ in range(per_unit):
            entry = services.entry_submit(actor=SYSTEM, skill=skill, unit=unit,
                                          members=[services.MemberData(contestant(unit), Group.WORKER)])
            batch.append(services.entry_approve(actor=organizer, entry=entry))
        entries.append(batch)
    event = skill.event
    services.event_transition(actor=organizer, event=event, target=Status.CHECK_IN)
    for unit in ("V1",):
        numbers = [f"{n:02d}" for n in range(1, max(8, 2 * per_unit * len(units)) + 1)]
        services.venue_create(actor=organizer, event=event, name=f"赛场{unit}", workstations={skill: numbers})
    services.draw_checkin(officer=encryptor, skill=skill, seed="seed-one")
    services.draw_workstations(officer=encryptor, skill=skill, seed="seed-two")
    services.referee_assign(actor=organizer, skill=skill, referee=chief, role=RefereeRole.CHIEF)
    for priority, referee in enumerate(referees, start=1):
        services.referee_assign(actor=organizer, skill=skill, referee=referee, priority=priority)
    services.event_transition(actor=organizer, event=event, target=Status.COMPETING)
    services.event_transition(actor=organizer, event=event, target=Status.MARKING)
    return entries


@pytest.fixture
def scenario(registration_skill: Skill, organizer: User, encryptor: User, chief: User, referee_of_a: User,
             enterprise_a: Organization, enterprise_b: Organization, exam_center: Organization) -> Scenario:
    return _scenario(registration_skill, organizer, encryptor, chief, referee_of_a, enterprise_a, enterprise_b,
                     exam_center, per_unit=2)


@pytest.fixture
def big_scenario(registration_skill: Skill, organizer: User, encryptor: User, chief: User, referee_of_a: User,
                 enterprise_a: Organization, enterprise_b: Organization, exam_center: Organization) -> Scenario:
    """The scenario with ten entrants a unit: 20 workstations, 40 sheets (a real skill's sign-off page)."""
    return _scenario(registration_skill, organizer, encryptor, chief, referee_of_a, enterprise_a, enterprise_b,
                     exam_center, per_unit=10)


def _scenario(registration_skill: Skill, organizer: User, encryptor: User, chief: User, referee_of_a: User,
              enterprise_a: Organization, enterprise_b: Organization, exam_center: Organization,
              per_unit: int) -> Scenario:
    college = OrganizationFactory(name="丁技师学院", kind=OrganizationKind.COLLEGE)
    r1 = person(Role.REFEREE, exam_center, username="r1")
    r2 = person(Role.REFEREE, exam_center, username="r2")
    r3 = person(Role.REFEREE, college, username="r3")
    skill = registration_skill
    entries_a, entries_b = _to_marking(skill, organizer, encryptor, chief, [referee_of_a, r1, r2, r3],
                                       [enterprise_a, enterprise_b], per_unit)
    s = Scenario(skill.event, skill, organizer, encryptor, chief, referee_of_a, r1, r2, r3, entries_a, entries_b,
                 {a.code: a for a in skill.scheme.aspects.all()})
    s.refresh()
    return s


