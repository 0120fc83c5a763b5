"""The certificate pages: a batch's certificates page (how many passed, who is refused and why, issue to all,
revoke and re-issue with a reason, the Excel link), one certificate with its history, 我的证书 with the
verification link, the filing page; an outsider and another body's staff see nothing (404); a query budget."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Organization, Role, User
from certification.models import Certificate
from certification.services import certificates as services
from tests.accounts.factories import person
from tests.certification.certificate_steps import file_codes, published_batch

pytestmark = pytest.mark.usefixtures("certificate_keys")


@pytest.fixture
def sitting(exam_staff: User, exam_center: Organization, enterprise_a: Organization, platform_admin: User,  # type: ignore[no-untyped-def]
            settings):
    file_codes(platform_admin, exam_center)
    return published_batch(exam_staff, exam_center, enterprise_a, settings)


def test_staff_issue_to_all_who_passed_from_the_page(client_of, sitting, exam_staff: User) -> None:  # type: ignore[no-untyped-def]
    client = client_of(exam_staff)
    url = reverse("certification:certificates", args=[sitting.batch.pk])
    assert reverse("certification:certificates", args=[sitting.batch.pk]) in client.get(
        reverse("certification:batch", args=[sitting.batch.pk])).content.decode()
    page = client.get(url).content.decode()
    assert "合格 2 人，可发证 2 人。" in page
    assert 'data-testid="issue-all"' in page
    assert 'data-code="certificate.not_passed"' in page and "操作技能考核" in page
    answer = client.post(url, follow=True)
    assert "已发证 2 张。" in answer.content.decode()
    page = answer.content.decode()
    assert page.count('data-status="valid"') >= 2 and 'data-testid="revoke-certificate"' in page
    assert 'data-testid="export-link"' in page
    export = client.get(reverse("certification:certificates_export", args=[sitting.batch.pk]))
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_revoke_and_reissue_from_the_page(client_of, sitting, exam_staff: User) -> None:  # type: ignore[no-untyped-def]
    first, second = services.certificate_issue_batch(actor=exam_staff, batch_id=sitting.batch.pk).issued
    client = client_of(exam_staff)
    back = reverse("certification:certificates", args=[sitting.batch.pk])
    answer = client.post(reverse("certification:certificate_revoke", args=[first.pk]), {"reason": "", "next": back},
                         follow=True)
    assert "请填写撤销原因。" in answer.content.decode()
    answer = client.post(reverse("certification:certificate_revoke", args=[first.pk]),
                         {"reason": "材料造假", "next": back}, follow=True)
    assert answer.redirect_chain[-1][0] == back and "已撤销" in answer.content.decode()
    assert Certificate.objects.get(pk=first.pk).status == "revoked"
    answer = client.post(reverse("certification:certificate_reissue", args=[second.pk]),
                         {"kind": "lost", "reason": "证书遗失"}, follow=True)
    page = answer.content.decode()
    new = Certificate.objects.get(supersedes=second)
    assert new.number in page and 'data-kind="superseded"' in page
    detail = client.get(reverse("certification:certificate", args=[new.pk])).content.decode()
    assert "补证（遗失）" in detail and second.number in detail


def test_outsiders_and_other_bodies_see_nothing(client_of, sitting, exam_staff: User, outsider: User) -> None:  # type: ignore[no-untyped-def]
    [first, _second] = services.certificate_issue_batch(actor=exam_staff, batch_id=sitting.batch.pk).issued
    other_body = Organization.objects.create(name="另一考核站", kind="exam_center", city="青岛")
    for user in (outsider, person(Role.EXAM_CENTER_STAFF, other_body, username="other_staff")):
        client = client_of(user)
        assert client.get(reverse("certification:certificates", args=[sitting.batch.pk])).status_code == 404
        assert client.post(reverse("certification:certificates", args=[sitting.batch.pk])).status_code == 404
        assert client.get(reverse("certification:certificate", args=[first.pk])).status_code == 404
        assert client.post(reverse("certification:certificate_revoke", args=[first.pk]),
                           {"reason": "x"}).status_code == 404
        assert client.get(reverse("certification:certificates_export", args=[sitting.batch.pk])).status_code == 404
        assert Certificate.objects.get(pk=first.pk).status == "valid"


def test_organizer_staff_read_without_the_forms(client_of, sitting, exam_staff: User, organizer: User) -> None:  # type: ignore[no-untyped-def]
    services.certificate_issue_batch(actor=exam_staff, batch_id=sitting.batch.pk)
    page = client_of(organizer).get(reverse("certification:certificates", args=[sitting.batch.pk])).content.decode()
    assert 'data-testid="certificates"' in page
    assert 'data-testid="issue-all"' not in page and 'data-testid="revoke-certificate"' not in page
    assert client_of(organizer).post(reverse("certification:certificates", args=[sitting.batch.pk])).status_code == 403


def test_the_holder_sees_their_certificates_with_the_verification_link(client_of, sitting, exam_staff: User) -> None:  # type: ignore[no-untyped-def]
    services.certificate_issue_batch(actor=exam_staff, batch_id=sitting.batch.pk)
    holder = sitting.registrations[0].candidate
    client = client_of(holder)
    home = client.get(reverse("home")).content.decode()
    assert reverse("certification:my_certificates") in home and "新发证书" in home
    page = client.get(reverse("certification:my_certificates")).content.decode()
    mine = Certificate.objects.get(holder=holder)
    assert mine.number in page and 'data-testid="verification-link"' in page
    assert "https://jineng.example.cn/" in page
    assert 'data-testid="revoke-certificate"' not in page
    detail = client.get(reverse("certification:certificate", args=[mine.pk])).content.decode()
    assert 'data-testid="revoke-certificate"' not in detail and 'data-kind="issued"' in detail
    other = Certificate.objects.exclude(holder=holder).first()
    assert other is not None
    assert client.get(reverse("certification:certificate", args=[other.pk])).status_code == 404


def test_no_certificates_yet(client_of, outsider: User) -> None:  # type: ignore[no-untyped-def]
    page = client_of(outsider).get(reverse("certification:my_certificates")).content.decode()
    assert 'data-testid="none"' in page


def test_the_filing_page(client_of, exam_center: Organization, exam_staff: User, platform_admin: User) -> None:  # type: ignore[no-untyped-def]
    url = reverse("certification:body_filing", args=[exam_center.pk])
    page = client_of(exam_staff).get(url).content.decode()
    assert 'data-testid="not-filed"' in page and 'data-testid="filing-form"' not in page
    assert client_of(exam_staff).post(url, {"agency_code": "0000", "province_code": "37",
                                            "site_serial": "000123"}).status_code == 403
    admin = client_of(platform_admin)
    bad = admin.post(url, {"agency_code": "0000", "province_code": "37", "site_serial": "000000"})
    assert bad.status_code == 422 and "站点序号应为 6 位数字" in bad.content.decode()
    answer = admin.post(url, {"agency_code": "0000", "province_code": "37", "site_serial": "000123"}, follow=True)
    assert "0000 · 37 · 000123" in answer.content.decode()


def test_the_list_page_has_a_query_budget(client_of, sitting, exam_staff: User,  # type: ignore[no-untyped-def]
                                          django_assert_max_num_queries) -> None:
    services.certificate_issue_batch(actor=exam_staff, batch_id=sitting.batch.pk)
    client = client_of(exam_staff)
    url = reverse("certification:certificates", args=[sitting.batch.pk])
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    # more rows (a re-issue adds one, with a predecessor and a successor to show) must not mean more queries
    first = Certificate.objects.order_by("pk").first()
    assert first is not None
    services.certificate_reissue(actor=exam_staff, certificate_id=first.pk, reason="遗失", kind="lost")  # type: ignore[arg-type]
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_organizer_issues_a_promotion_certificate_from_the_levels_page(client_of, organizer: User,  # type: ignore[no-untyped-def]
                                                                      organizer_unit: Organization,
                                                                      platform_admin: User, worker_of_a: User) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from certification.models import HeldLevel, SourceKind
    from tests.certification.factories import occupation

    file_codes(platform_admin, organizer_unit, site="000001")
    promotion = HeldLevel.objects.create(
        person=worker_of_a, occupation=occupation(), level=3, source_kind=SourceKind.PROMOTION,
        source_type=ContentType.objects.get_for_model(Organization), source_id=organizer_unit.pk,
        source_label="省赛 第 1 名", obtained_on=timezone.localdate(), recorded_at=timezone.now())
    client = client_of(organizer)
    page = client.get(reverse("certification:person_levels", args=[worker_of_a.pk])).content.decode()
    assert 'data-testid="issue-promotion-certificate"' in page
    answer = client.post(reverse("certification:promotion_certificate_issue", args=[promotion.pk]), follow=True)
    certificate = Certificate.objects.get(promotion=promotion)
    assert certificate.number in answer.content.decode()
    again = client.post(reverse("certification:promotion_certificate_issue", args=[promotion.pk]), follow=True)
    assert "已为此发放证书" in again.content.decode()


def test_hr_issues_an_appointment_letter_from_the_appointments_page(client_of, hr_of_a: User,  # type: ignore[no-untyped-def]
                                                                   enterprise_a: Organization, platform_admin: User,
                                                                   worker_of_a: User, evidence_store) -> None:
    from datetime import date, timedelta

    from django.utils import timezone

    from certification.domain.ladder import SkillLevel
    from tests.certification.appointment_steps import appoint
    from tests.certification.factories import held, occupation

    file_codes(platform_admin, enterprise_a, site="000555")
    welder = occupation()
    held(worker_of_a.pk, welder, SkillLevel.ONE, date(2020, 1, 1))
    appointment = appoint(hr_of_a, enterprise_a, worker_of_a, welder,
                          start=timezone.localdate() - timedelta(days=1))
    client = client_of(hr_of_a)
    page = client.get(reverse("certification:enterprise_appointments", args=[enterprise_a.pk])).content.decode()
    assert 'data-testid="issue-letter"' in page
    answer = client.post(reverse("certification:appointment_letter_issue", args=[appointment.pk]), follow=True)
    letter = Certificate.objects.get(appointment=appointment)
    assert letter.title == "特级技师" and letter.number in answer.content.decode()
