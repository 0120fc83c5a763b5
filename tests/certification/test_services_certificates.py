"""Certificates' services (certification.services.certificates): issuance from a batch, a promotion and an
appointment, refusals with reasons, gap-free numbers, revocation, re-issue, filing codes; rows and audit entries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.actors import SYSTEM
from accounts.models import Organization, Role, User
from audit.models import AuditEntry
from certification import keys
from certification.domain.certificate_payload import FactsSignature
from certification.domain.certificates import ReissueKind
from certification.domain.ladder import SkillLevel
from certification.domain.numbering import parse_number
from certification.models import (
    BodyFiling,
    Certificate,
    CertificateEvent,
    CertificateSerial,
    CertificateStatusList,
    HeldLevel,
    SourceKind,
)
from certification.selectors import certificates as views
from certification.selectors.levels import held_level
from certification.services import certificates as services
from core.errors import Conflict, DomainError, NotFound, PermissionDenied, RuleBroken, ValidationFailed
from tests.accounts.factories import person
from tests.certification.appointment_steps import appoint
from tests.certification.certificate_steps import file_codes, published_batch
from tests.certification.factories import held, occupation

pytestmark = pytest.mark.usefixtures("certificate_keys")


@pytest.fixture
def sitting(exam_staff: User, exam_center: Organization, enterprise_a: Organization, platform_admin: User,  # type: ignore[no-untyped-def]
            settings):
    file_codes(platform_admin, exam_center)
    return published_batch(exam_staff, exam_center, enterprise_a, settings)


def _year() -> int:
    return timezone.localdate().year % 100


def test_a_batch_issues_to_every_candidate_who_passed_and_reports_the_rest(sitting, exam_staff: User) -> None:  # type: ignore[no-untyped-def]
    done = services.certificate_issue_batch(actor=exam_staff, batch_id=sitting.batch.pk)
    assert [c.number for c in done.issued] == [f"S000037000123{_year():02d}4{n:06d}" for n in (1, 2)]
    assert [(r.registration_id, r.code) for r in done.refused] == [
        (sitting.registrations[-1].pk, "certificate.not_passed")]
    assert "操作技能考核" in done.refused[0].reason
    first = Certificate.objects.get(number=done.issued[0].number)
    candidate = sitting.registrations[0].candidate
    assert (first.holder_id, first.holder_name, first.level, first.source, first.status, first.body_id) == (
        candidate.pk, candidate.real_name, 4, "registration", "valid", sitting.batch.body_id)
    assert first.id_number_masked == candidate.id_number[:4] + "*" * 10 + candidate.id_number[-4:]
    assert first.occupation_code == "6-18-02-04" and first.issuer_name == sitting.batch.body.name
    # signed with the active key: the row's signature verifies over its facts
    assert keys.verify_facts(views.certificate_facts(first), FactsSignature(first.key_id, first.signature)) is None
    # the level it gives, pointing at the certificate
    assert first.granted_level is not None
    assert (first.granted_level.source_kind, first.granted_level.source_id) == (SourceKind.CERTIFICATE, first.pk)
    assert held_level(candidate.pk, first.occupation_id, on=timezone.localdate()) == SkillLevel.FOUR
    assert AuditEntry.objects.filter(action="certification.certificate.issued").count() == 2
    assert CertificateEvent.objects.filter(kind="issued").count() == 2
    assert CertificateSerial.objects.get().last == 2
    slots = set(Certificate.objects.values_list("status_list_no", "status_index"))
    assert len(slots) == 2 and all(no == 1 and 0 <= i < 131_072 for no, i in slots)
    assert CertificateStatusList.objects.get(list_no=1).used == 2


def test_issuing_again_issues_nothing_twice(sitting, exam_staff: User) -> None:  # type: ignore[no-untyped-def]
    services.certificate_issue_batch(actor=exam_staff, batch_id=sitting.batch.pk)
    again = services.certificate_issue_batch(actor=exam_staff, batch_id=sitting.batch.pk)
    assert again.issued == []
    assert sorted(r.code for r in again.refused) == ["certificate.already_issued"] * 2 + ["certificate.not_passed"]
    assert Certificate.objects.count() == 2


def test_nothing_is_issued_before_the_results_are_published(exam_staff: User, exam_center: Organization,  # type: ignore[no-untyped-def]
                                                            enterprise_a: Organization, platform_admin: User,
                                                            settings) -> None:
    file_codes(platform_admin, exam_center)
    sitting = published_batch(exam_staff, exam_center, enterprise_a, settings, publish=False)
    with pytest.raises(Conflict) as refused:
        services.certificate_issue_batch(actor=exam_staff, batch_id=sitting.batch.pk)
    assert refused.value.code == "certificate.results_not_published"
    assert not CertificateSerial.objects.exists()


def test_a_body_without_filing_codes_cannot_issue(exam_staff: User, exam_center: Organization,  # type: ignore[no-untyped-def]
                                                  enterprise_a: Organization, settings) -> None:
    sitting = published_batch(exam_staff, exam_center, enterprise_a, settings, n=2)
    with pytest.raises(Conflict) as refused:
        services.certificate_issue_batch(actor=exam_staff, batch_id=sitting.batch.pk)
    assert refused.value.code == "certificate.no_filing"


def test_a_name_the_font_cannot_show_is_refused_before_a_number_is_taken(sitting, exam_staff: User) -> None:  # type: ignore[no-untyped-def]
    rare = sitting.registrations[0].candidate
    User.objects.filter(pk=rare.pk).update(real_name="王\U00020164")  # 𠅤, outside the basic plane
    done = services.certificate_issue_batch(actor=exam_staff, batch_id=sitting.batch.pk)
    refused = {r.registration_id: r for r in done.refused}
    if sitting.registrations[0].pk in refused:  # the font on this machine lacks 𠅤 (WenQuanYi Zen Hei does)
        assert refused[sitting.registrations[0].pk].code == "pdf.glyph_missing"
        assert "𠅤" in refused[sitting.registrations[0].pk].reason
        # the other candidate got serial 1: the refused name burnt no number
        assert [c.number[-6:] for c in done.issued] == ["000001"]
    else:
        assert len(done.issued) == 2


def test_exam_staff_of_another_body_and_outsiders_see_nothing(sitting, outsider: User) -> None:  # type: ignore[no-untyped-def]
    other_body = Organization.objects.create(name="另一考核站", kind="exam_center", city="青岛")
    other_staff = person(Role.EXAM_CENTER_STAFF, other_body, username="other_staff")
    for user in (other_staff, outsider):
        with pytest.raises(NotFound):
            services.certificate_issue_batch(actor=user, batch_id=sitting.batch.pk)


def test_organizer_staff_oversee_but_do_not_issue(sitting, organizer: User) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        services.certificate_issue_batch(actor=organizer, batch_id=sitting.batch.pk)


def test_revocation_needs_a_reason_and_withdraws_the_level(sitting, exam_staff: User, worker_of_a: User) -> None:  # type: ignore[no-untyped-def]
    first = services.certificate_issue_batch(actor=exam_staff, batch_id=sitting.batch.pk).issued[0]
    with pytest.raises(ValidationFailed):
        services.certificate_revoke(actor=exam_staff, certificate_id=first.pk, reason="  ")
    holder = sitting.registrations[0].candidate
    with pytest.raises(PermissionDenied):  # the holder reads it, only the body revokes
        services.certificate_revoke(actor=holder, certificate_id=first.pk, reason="x")
    revoked = services.certificate_revoke(actor=exam_staff, certificate_id=first.pk, reason="考试作弊，成绩取消")
    assert (revoked.status, revoked.revoked_reason) == ("revoked", "考试作弊，成绩取消")
    assert revoked.revoked_at is not None
    assert HeldLevel.objects.get(pk=first.granted_level_id).withdrawn_at is not None
    assert held_level(holder.pk, first.occupation_id, on=timezone.localdate()) is None
    entry = AuditEntry.objects.get(action="certification.certificate.revoked")
    assert entry.reason == "考试作弊，成绩取消"
    with pytest.raises(Conflict) as again:
        services.certificate_revoke(actor=exam_staff, certificate_id=first.pk, reason="再次")
    assert again.value.code == "certificate.cannot_revoke"
    with pytest.raises(Conflict):
        services.certificate_reissue(actor=exam_staff, certificate_id=first.pk, reason="遗失",
                                     kind=ReissueKind.LOST)


def test_reissue_takes_a_new_number_and_supersedes_the_old(sitting, exam_staff: User) -> None:  # type: ignore[no-untyped-def]
    first, second = services.certificate_issue_batch(actor=exam_staff, batch_id=sitting.batch.pk).issued
    holder = User.objects.get(pk=first.holder_id)
    User.objects.filter(pk=holder.pk).update(real_name="张更名")
    new = services.certificate_reissue(actor=exam_staff, certificate_id=first.pk, reason="姓名变更",
                                       kind=ReissueKind.CHANGED)
    old = Certificate.objects.get(pk=first.pk)
    assert (old.status, old.superseded_by_id) == ("superseded", new.pk)
    assert new.number[-6:] == "000003" and new.status == "valid" and new.reissue_kind == "changed"
    assert new.holder_name == "张更名" and old.holder_name != "张更名"
    assert new.registration_id == old.registration_id and new.granted_level_id == old.granted_level_id
    assert HeldLevel.objects.filter(source_kind=SourceKind.CERTIFICATE).count() == 2  # no third level
    assert list(CertificateEvent.objects.filter(certificate=old).values_list("kind", flat=True)) == [
        "issued", "superseded"]
    assert AuditEntry.objects.filter(action="certification.certificate.superseded").count() == 1
    detail = views.certificate_detail(old)
    assert detail.certificate.superseded_by_number == new.number
    assert views.certificate_detail(new).certificate.supersedes_number == old.number
    # the successor is the one to revoke; revoking it withdraws the level
    services.certificate_revoke(actor=exam_staff, certificate_id=new.pk, reason="撤销")
    assert HeldLevel.objects.get(pk=new.granted_level_id).withdrawn_at is not None


def test_an_enterprise_evaluation_takes_y(exam_staff: User, exam_center: Organization, enterprise_a: Organization,  # type: ignore[no-untyped-def]
                                          platform_admin: User, settings) -> None:
    file_codes(platform_admin, exam_center, site="000777", agency="1234")
    sitting = published_batch(exam_staff, exam_center, enterprise_a, settings, n=2)
    sitting.batch.__class__.objects.filter(pk=sitting.batch.pk).update(evaluation_kind="enterprise")
    [c] = services.certificate_issue_batch(actor=exam_staff, batch_id=sitting.batch.pk).issued
    assert c.number == f"Y123437000777{_year():02d}4000001"
    assert parse_number(c.number).site_serial == "000777"


def test_the_serial_counts_per_site_year_and_level(sitting, exam_staff: User) -> None:  # type: ignore[no-untyped-def]
    CertificateSerial.objects.create(prefix="S000037000123", year=timezone.localdate().year, level=3, last=41)
    CertificateSerial.objects.create(prefix="S000037000123", year=timezone.localdate().year - 1, level=4, last=99)
    issued = services.certificate_issue_batch(actor=exam_staff, batch_id=sitting.batch.pk).issued
    assert [c.serial for c in issued] == [1, 2]


def test_a_duplicate_serial_is_impossible_in_the_database(sitting, exam_staff: User) -> None:  # type: ignore[no-untyped-def]
    first = services.certificate_issue_batch(actor=exam_staff, batch_id=sitting.batch.pk).issued[0]
    copy = Certificate.objects.get(pk=first.pk)
    copy.pk, copy.number, copy.status_index = None, first.number[:-1] + "9", (first.status_index + 1) % 131_072
    copy.registration = None
    copy.source, copy.promotion = "promotion", HeldLevel.objects.get(pk=first.granted_level_id)
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()


def test_promotion_certificate_by_the_organizer(organizer: User, organizer_unit: Organization,  # type: ignore[no-untyped-def]
                                                platform_admin: User, worker_of_a: User) -> None:
    file_codes(platform_admin, organizer_unit, site="000001")
    welder = occupation()
    promotion = HeldLevel.objects.create(
        person=worker_of_a, occupation=welder, level=3, source_kind=SourceKind.PROMOTION,
        source_type=ContentType.objects.get_for_model(Organization), source_id=organizer_unit.pk,
        source_label="省赛 第 1 名", obtained_on=timezone.localdate(), recorded_at=timezone.now())
    c = services.certificate_issue_promotion(actor=organizer, held_level_id=promotion.pk)
    assert c.number.startswith("S000037000001") and c.number[15] == "3" and c.source == "promotion"
    assert c.granted_level_id is None and HeldLevel.objects.count() == 1  # no second level
    with pytest.raises(Conflict) as again:
        services.certificate_issue_promotion(actor=organizer, held_level_id=promotion.pk)
    assert again.value.code == "certificate.already_issued"
    by_hand = held(worker_of_a.pk, welder, SkillLevel.FOUR, date(2020, 1, 1))
    with pytest.raises(RuleBroken) as refused:
        services.certificate_issue_promotion(actor=organizer, held_level_id=by_hand.pk)
    assert refused.value.code == "certificate.not_promoted"
    # revoking it leaves the promotion standing: it moves only with its published result
    services.certificate_revoke(actor=organizer, certificate_id=c.pk, reason="误发")
    assert HeldLevel.objects.get(pk=promotion.pk).withdrawn_at is None


def test_appointment_letter_by_the_enterprise_hr(hr_of_a: User, hr_of_b: User, enterprise_a: Organization,  # type: ignore[no-untyped-def]
                                                 platform_admin: User, worker_of_a: User, evidence_store) -> None:
    file_codes(platform_admin, enterprise_a, site="000555")
    welder = occupation()
    held(worker_of_a.pk, welder, SkillLevel.ONE, date(2020, 1, 1))
    today = timezone.localdate()
    appointment = appoint(hr_of_a, enterprise_a, worker_of_a, welder, start=today - timedelta(days=1))
    with pytest.raises(NotFound):
        services.certificate_issue_appointment(actor=hr_of_b, appointment_id=appointment.pk)
    c = services.certificate_issue_appointment(actor=hr_of_a, appointment_id=appointment.pk)
    assert c.number.startswith("Y000037000555") and c.level == 1 and c.title == "特级技师"
    assert views.certificate_facts(c).level_label == "特级技师"
    assert not HeldLevel.objects.filter(source_kind=SourceKind.CERTIFICATE, source_id__isnull=False).exists()


def test_filing_codes_are_checked_and_unique(platform_admin: User, exam_center: Organization,  # type: ignore[no-untyped-def]
                                             exam_staff: User, enterprise_a: Organization) -> None:
    with pytest.raises(ValidationFailed) as bad:
        services.body_filing_set(actor=platform_admin, organization_id=exam_center.pk, agency_code="12a",
                                 province_code="3", site_serial="000000")
    assert [e.field for e in bad.value.field_errors] == ["agency_code", "province_code", "site_serial"]
    with pytest.raises(PermissionDenied):
        services.body_filing_set(actor=exam_staff, organization_id=exam_center.pk, agency_code="0000",
                                 province_code="37", site_serial="000123")
    file_codes(platform_admin, exam_center)
    with pytest.raises(Conflict) as taken:
        file_codes(platform_admin, enterprise_a)
    assert taken.value.code == "filing.codes_taken"
    file_codes(platform_admin, exam_center, site="000124")  # changed: audited, one row
    assert BodyFiling.objects.get().site_serial == "000124"
    assert AuditEntry.objects.filter(action="certification.filing.set").count() == 2
    assert views.filing_view(exam_center).filed


def test_the_system_actor_issues_for_scripts(sitting) -> None:  # type: ignore[no-untyped-def]
    done = services.certificate_issue_batch(actor=SYSTEM, batch_id=sitting.batch.pk)
    assert len(done.issued) == 2 and done.issued[0].issued_by is None


def test_a_failure_after_the_number_is_taken_rolls_the_serial_back(sitting, exam_staff: User, settings,  # type: ignore[no-untyped-def]
                                                                   tmp_path) -> None:
    settings.CERTIFICATE_KEYS_DIR = tmp_path / "no-keys"  # signing fails after the serial was counted
    with pytest.raises(DomainError):
        services.certificate_issue_batch(actor=exam_staff, batch_id=sitting.batch.pk)
    assert not Certificate.objects.exists() and not HeldLevel.objects.filter(source_id__isnull=False).exists()
    assert not CertificateSerial.objects.filter(last__gt=0).exists()  # the whole transaction rolled back
    assert not AuditEntry.objects.filter(action="certification.certificate.issued").exists()


def test_a_new_status_list_opens_once_the_current_one_is_half_full(sitting, exam_staff: User) -> None:  # type: ignore[no-untyped-def]
    CertificateStatusList.objects.create(list_no=1, used=65_536)
    issued = services.certificate_issue_batch(actor=exam_staff, batch_id=sitting.batch.pk).issued
    assert {c.status_list_no for c in issued} == {2}
    assert CertificateStatusList.objects.get(list_no=2).used == 2
