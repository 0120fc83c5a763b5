"""Intake (issue 14 item 1): idempotent runs, sources recorded once, revocation withdraws with the reason and takes
the talent out or lowers it; the audit trail says each step."""

from __future__ import annotations

from datetime import date

import pytest

from accounts.actors import SYSTEM
from accounts.models import Organization, User
from audit.models import AuditEntry
from certification.domain.ladder import SkillLevel
from certification.models import Certificate
from certification.services import certificates as certificate_services
from certification.services.levels import held_level_withdraw
from core.errors import PermissionDenied
from talentpool.models import PoolVersion, SourceKind, Talent, TalentStatus
from talentpool.services.intake import talent_intake_run
from tests.accounts.factories import person
from tests.certification.certificate_steps import file_codes, published_batch
from tests.certification.factories import held, occupation
from tests.talentpool.factories import policy

pytestmark = pytest.mark.django_db


def _intake_audits() -> int:
    return AuditEntry.objects.filter(action__startswith="talentpool.intake.").count()


def test_a_second_run_records_nothing_new_and_audits_nothing_new() -> None:
    someone = person(None, None)
    held(someone.pk, occupation(), SkillLevel.TWO, date(2024, 5, 1))
    first = talent_intake_run(actor=SYSTEM)
    assert first.entered == [someone.pk] and first.sources_recorded == 1
    talent = Talent.objects.get(person=someone)
    assert talent.status == TalentStatus.IN_POOL
    [source] = talent.sources.all()
    assert source.kind == SourceKind.CERTIFICATE and source.source_ref.startswith("level:")
    assert "二级/技师" in source.label
    assert list(talent.holdings.values_list("occupation_code", "rung")) == [("6-18-02-04", 5)]
    audits, version = _intake_audits(), PoolVersion.objects.get().number
    again = talent_intake_run(actor=SYSTEM)
    assert not again.changed and again.entered == []
    assert _intake_audits() == audits and PoolVersion.objects.get().number == version
    assert talent.sources.count() == 1


def test_below_the_threshold_nobody_comes_in() -> None:
    someone = person(None, None)
    held(someone.pk, occupation(), SkillLevel.THREE, date(2024, 5, 1))
    assert talent_intake_run(actor=SYSTEM, person_ids=[someone.pk]).entered == []
    assert not Talent.objects.filter(person=someone).exists()


def test_a_withdrawn_level_takes_the_talent_out_with_the_reason(platform_admin: User) -> None:
    someone = person(None, None)
    level = held(someone.pk, occupation(), SkillLevel.TWO, date(2024, 5, 1))
    talent_intake_run(actor=SYSTEM, person_ids=[someone.pk])
    held_level_withdraw(actor=platform_admin, held_id=level.pk, reason="证书系伪造")
    report = talent_intake_run(actor=SYSTEM, person_ids=[someone.pk])
    assert report.left == [someone.pk] and report.sources_withdrawn == 1
    talent = Talent.objects.get(person=someone)
    assert talent.status == TalentStatus.OUT and talent.left_at is not None and "证书系伪造" in talent.left_reason
    [source] = talent.sources.all()
    assert source.withdrawn_at is not None and source.withdrawn_reason == "证书系伪造"
    assert AuditEntry.objects.filter(action="talentpool.intake.left").count() == 1
    assert not talent_intake_run(actor=SYSTEM, person_ids=[someone.pk]).changed


def test_a_withdrawn_level_lowers_the_holding_when_another_source_stands(platform_admin: User) -> None:
    someone = person(None, None)
    welder = occupation()
    held(someone.pk, welder, SkillLevel.TWO, date(2023, 5, 1))
    top = held(someone.pk, welder, SkillLevel.ONE, date(2024, 5, 1))
    talent_intake_run(actor=SYSTEM, person_ids=[someone.pk])
    talent = Talent.objects.get(person=someone)
    assert talent.holdings.get().rung == 6 and talent.sources.count() == 2
    held_level_withdraw(actor=platform_admin, held_id=top.pk, reason="登记有误")
    talent_intake_run(actor=SYSTEM, person_ids=[someone.pk])
    talent.refresh_from_db()
    assert talent.status == TalentStatus.IN_POOL and talent.holdings.get().rung == 5
    assert talent.sources.filter(withdrawn_at__isnull=False).get().withdrawn_reason == "登记有误"


@pytest.mark.usefixtures("certificate_keys")
def test_a_revoked_certificate_withdraws_its_source_with_the_certificates_reason(  # type: ignore[no-untyped-def]
        exam_staff: User, exam_center: Organization, enterprise_a: Organization, platform_admin: User,
        settings) -> None:
    policy(min_certificate_rung=3)  # the batch certifies 四级
    file_codes(platform_admin, exam_center)
    sitting = published_batch(exam_staff, exam_center, enterprise_a, settings)
    done = certificate_services.certificate_issue_batch(actor=exam_staff, batch_id=sitting.batch.pk)
    certificate = Certificate.objects.get(number=done.issued[0].number)
    talent_intake_run(actor=SYSTEM, person_ids=[certificate.holder_id])
    talent = Talent.objects.get(person_id=certificate.holder_id)
    assert talent.status == TalentStatus.IN_POOL
    certificate_services.certificate_revoke(actor=exam_staff, certificate_id=certificate.pk,
                                            reason="考试作弊，经查实撤销")
    talent_intake_run(actor=SYSTEM, person_ids=[certificate.holder_id])
    talent.refresh_from_db()
    assert talent.status == TalentStatus.OUT
    assert certificate.number in talent.left_reason and "考试作弊" in talent.left_reason


def test_only_the_admin_and_the_system_run_intake(hr_of_a: User, platform_admin: User) -> None:
    with pytest.raises(PermissionDenied):
        talent_intake_run(actor=hr_of_a)
    talent_intake_run(actor=platform_admin)
