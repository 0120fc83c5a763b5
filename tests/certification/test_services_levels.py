"""People's levels: the one selector `held_level`, recording and withdrawing by hand (audited, with evidence)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from audit.models import AuditEntry
from certification import services
from certification.domain.ladder import SkillLevel
from certification.models import HeldLevel, SourceKind
from certification.selectors import held_level, held_levels, person_levels
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tests.certification.factories import held, occupation


def test_held_level_is_the_highest_level_held_on_the_day(worker_of_a: User, organizer: User) -> None:
    welder, electrician = occupation(), occupation("6-31-01-03", "电工")
    held(worker_of_a.pk, welder, SkillLevel.FOUR, date(2020, 1, 1))
    held(worker_of_a.pk, welder, SkillLevel.THREE, date(2024, 6, 1))
    held(worker_of_a.pk, electrician, SkillLevel.ONE, date(2019, 1, 1))
    assert held_level(worker_of_a, welder, on=date(2019, 12, 31)) is None
    assert held_level(worker_of_a, welder, on=date(2020, 1, 1)) is SkillLevel.FOUR
    assert held_level(worker_of_a, welder, on=date(2025, 1, 1)) is SkillLevel.THREE
    assert held_levels([worker_of_a.pk, organizer.pk], welder, on=date(2025, 1, 1)) == {
        worker_of_a.pk: SkillLevel.THREE}


def test_a_level_recorded_by_hand_carries_its_evidence_and_is_audited(organizer: User, worker_of_a: User) -> None:
    welder = occupation()
    record = services.held_level_record(actor=organizer, person_id=worker_of_a.pk, occupation_id=welder.pk,
                                        level=SkillLevel.THREE, obtained_on=date(2021, 5, 1),
                                        evidence="证书 S000037000101213000123")
    assert (record.source_kind, record.recorded_by, record.evidence) == (
        SourceKind.CERTIFICATE, organizer, "证书 S000037000101213000123")
    entry = AuditEntry.objects.get(action="certification.level.recorded")
    assert entry.actor_id == organizer.pk and entry.new["level"] == 3 and entry.new["evidence"].startswith("证书")


def test_evidence_and_a_past_date_are_required(organizer: User, worker_of_a: User) -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.held_level_record(actor=organizer, person_id=worker_of_a.pk, occupation_id=occupation().pk,
                                   level=SkillLevel.THREE, obtained_on=timezone.localdate() + timedelta(days=1),
                                   evidence=" ")
    assert refused.value.fields().keys() == {"evidence", "obtained_on"}
    assert not HeldLevel.objects.exists()


def test_withdrawing_keeps_the_row_and_stops_it_counting(organizer: User, worker_of_a: User) -> None:
    welder = occupation()
    record = held(worker_of_a.pk, welder, SkillLevel.TWO, date(2020, 1, 1))
    with pytest.raises(ValidationFailed):
        services.held_level_withdraw(actor=organizer, held_id=record.pk, reason="")
    services.held_level_withdraw(actor=organizer, held_id=record.pk, reason="证书经核查无效")
    assert held_level(worker_of_a, welder, on=date(2025, 1, 1)) is None
    assert person_levels(worker_of_a).withdrawn[0].withdrawn_reason == "证书经核查无效"
    assert AuditEntry.objects.get(action="certification.level.withdrawn").reason == "证书经核查无效"
    with pytest.raises(Conflict):
        services.held_level_withdraw(actor=organizer, held_id=record.pk, reason="再次")


def test_unit_staff_and_outsiders_may_not_record_levels(hr_of_a: User, hr_of_b: User, worker_of_a: User) -> None:
    welder = occupation()
    with pytest.raises(PermissionDenied):  # sees the person (same unit) but may not record
        services.held_level_record(actor=hr_of_a, person_id=worker_of_a.pk, occupation_id=welder.pk,
                                   level=SkillLevel.FIVE, obtained_on=date(2020, 1, 1), evidence="x")
    with pytest.raises(NotFound):  # another unit's person is invisible
        services.held_level_record(actor=hr_of_b, person_id=worker_of_a.pk, occupation_id=welder.pk,
                                   level=SkillLevel.FIVE, obtained_on=date(2020, 1, 1), evidence="x")
