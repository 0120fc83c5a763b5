"""Certification test data, through the services (the catalogue's rows are made the way an admin makes them)."""

from __future__ import annotations

from datetime import date

from accounts.actors import SYSTEM
from certification import services
from certification.domain.ladder import SkillLevel
from certification.models import HeldLevel, Occupation

ALL = (SkillLevel.FIVE, SkillLevel.FOUR, SkillLevel.THREE, SkillLevel.TWO, SkillLevel.ONE)


def occupation(code: str = "6-18-02-04", name: str = "焊工", levels: tuple[SkillLevel, ...] = ALL) -> Occupation:
    found = Occupation.objects.filter(code=code).first()
    return found or services.occupation_create(actor=SYSTEM, data=services.OccupationData(code, name, levels))


def held(person_id: int, occ: Occupation, level: SkillLevel, on: date) -> HeldLevel:
    return services.held_level_record(actor=SYSTEM, person_id=person_id, occupation_id=occ.pk, level=level,
                                      obtained_on=on, evidence="证书（测试）")
