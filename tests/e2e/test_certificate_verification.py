"""A phone opens a certificate's verification URL (its QR code) and sees it valid; after the body revokes it, the
same URL says revoked, with the date and the reason (issue 13 "Done when"). The certificate is issued through
certcore's service to a candidate who passed a published batch; screenshots of both states on a phone."""

from __future__ import annotations

from pathlib import Path

import pytest

from accounts.models import Organization, User
from certification.models import Certificate
from certification.selectors.certificates import certificate_verification_url
from certification.services import certificates as services
from tests.certification.certificate_steps import file_codes, published_batch
from tests.certification.crypto_steps import use_key_store
from tests.e2e.steps import outside_the_browser_loop

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def certificate(exam_staff: User, exam_center: Organization, enterprise_a: Organization,  # type: ignore[no-untyped-def]
                platform_admin: User, settings, live_server, tmp_path: Path) -> Certificate:
    use_key_store(settings, tmp_path / "certificate-keys")
    settings.PUBLIC_BASE_URL = live_server.url

    def issue() -> Certificate:
        file_codes(platform_admin, exam_center)
        sitting = published_batch(exam_staff, exam_center, enterprise_a, settings, n=2)
        done = services.certificate_issue_batch(actor=exam_staff, batch_id=sitting.batch.pk)
        return Certificate.objects.get(number=done.issued[0].number)

    return outside_the_browser_loop(issue)


def test_a_phone_sees_a_certificate_valid_then_revoked(  # type: ignore[no-untyped-def]
    browser, certificate: Certificate, exam_staff: User, artifacts: Path
) -> None:
    url = outside_the_browser_loop(lambda: certificate_verification_url(certificate))
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    phone = context.new_page()
    phone.set_default_timeout(15_000)
    phone.goto(url)
    verdict = phone.locator("[data-testid=verdict]")
    assert verdict.get_attribute("data-status") == "valid"
    assert "证书有效" in verdict.inner_text() and certificate.holder_name in verdict.inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scrolling
    phone.screenshot(path=str(artifacts / "certificate-verify-valid-phone.png"), full_page=True)

    outside_the_browser_loop(lambda: services.certificate_revoke(
        actor=exam_staff, certificate_id=certificate.pk, reason="经核查，考核记录不实"))
    phone.reload()
    verdict = phone.locator("[data-testid=verdict]")
    assert verdict.get_attribute("data-status") == "revoked"
    assert "证书已撤销" in verdict.inner_text() and "经核查，考核记录不实" in verdict.inner_text()
    phone.screenshot(path=str(artifacts / "certificate-verify-revoked-phone.png"), full_page=True)
    context.close()
