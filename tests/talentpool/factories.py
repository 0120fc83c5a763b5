"""Talent pool test data, through the services: a person brought in by a hand-recorded level and intake."""

from __future__ import annotations

from datetime import date

from accounts.actors import SYSTEM
from accounts.models import User
from certification.domain.ladder import SkillLevel
from talentpool.models import IntakePolicy, Talent
from talentpool.services.intake import talent_intake_run
from tests.accounts.factories import person
from tests.certification.factories import held, occupation


def policy(**changes: object) -> IntakePolicy:
    """A new policy row in force: the defaults with `changes`."""
    base = {"min_competition_level": "city", "award_codes": ["gold", "silver", "bronze", "excellence"],
            "include_titles": True, "min_certificate_rung": 5, "include_appointments": True, "reason": "测试"}
    return IntakePolicy.objects.create(**{**base, **changes})


def talent_of(someone: User | None = None, level: SkillLevel = SkillLevel.TWO, code: str = "6-18-02-04",
              name: str = "焊工") -> Talent:
    """`someone` (a new person without a role when None) holding `level` in the occupation, brought in."""
    someone = someone or person(None, None)
    held(someone.pk, occupation(code, name), level, date(2024, 5, 1))
    talent_intake_run(actor=SYSTEM, person_ids=[someone.pk])
    return Talent.objects.get(person=someone)
