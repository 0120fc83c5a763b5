"""Factories of the competitions app. They write rows directly for speed; states that carry rules (draws, sheets,
frozen schemes) are reached through the services in tests/competitions/conftest.py."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import factory

from accounts.models import Organization, Role, User
from competitions.models import CompetitionLevel, Event, Group, MarkingMethod, Skill
from competitions.services import AspectData, ModuleData
from tests.accounts.factories import OrganizationFactory, person


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    name = factory.Sequence(lambda n: f"第{n}届技能兴鲁职业技能大赛")
    level = CompetitionLevel.PROVINCIAL_1
    series = "技能兴鲁"
    organizer = factory.SubFactory(OrganizationFactory)
    starts_on = date(2026, 9, 15)
    ends_on = date(2026, 9, 17)


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"焊工{n}")
    occupation_code = "6-18-02-04"
    group = Group.WORKER
    min_age = 18
    max_age = 55


def contestant(unit: Organization, *, born: date = date(1995, 3, 8), **kwargs: object) -> User:
    return person(Role.CONTESTANT, unit, birth_date=born, **kwargs)


def welding_scheme() -> list[ModuleData]:
    """Measurement (full-or-zero, tolerance) and judgement (WorldSkills 0–3, plain mean of 3): 100 marks."""
    return [
        ModuleData("M1", "测量", (
            AspectData("A1", Decimal(20), MarkingMethod.FULL_OR_ZERO, "焊缝尺寸"),
            AspectData("A2", Decimal(30), MarkingMethod.TOLERANCE, "坡口角度", nominal=Decimal(60),
                       bands=((Decimal("0.5"), Decimal(0)), (Decimal(1), Decimal(10)), (Decimal(2), Decimal(20)))),
        )),
        ModuleData("M2", "评价", (
            AspectData("J1", Decimal(30), MarkingMethod.WORLDSKILLS, "外观成形"),
            AspectData("J2", Decimal(20), MarkingMethod.MEAN, "工艺规范", referee_count=3),
        )),
    ]
