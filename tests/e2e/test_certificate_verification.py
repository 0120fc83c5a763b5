"""A phone opens a certificate's verification URL (its QR code) and sees it valid; after the body revokes it, the
same URL says revoked, with the date and the reason (issue 13 "Done when"). The certificate is one `seed_demo`
issued (a passed candidate of the demo batch, signed with the test's key); screenshots of both states."""

from __future__ import annotations

from pathlib import Path

import pytest

from accounts.actors import SYSTEM
from certification.demo_certificates import BATCH_NAME
from certification.models import Certificate
from certification.selectors.certificates import certificate_verification_url
from certification.services import certificates as services
from tests.certification.crypto_steps import use_key_store
from tests.e2e.steps import outside_the_browser_loop

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_keys(settings, tmp_path: Path, live_server) -> None:  # type: ignore[no-untyped-def]
    """A key store before the demo is seeded (its certificates are signed with it), the QR codes pointing here."""
    use_key_store(settings, tmp_path / "certificate-keys")
    settings.PUBLIC_BASE_URL = live_server.url


@pytest.fixture
def certificate(demo_keys: None, demo_data: None) -> Certificate:
    """A valid certificate of the demo (certification.demo_certificates: the passed candidates of its batch)."""
    return outside_the_browser_loop(lambda: Certificate.objects.filter(
        registration__batch__name=BATCH_NAME, status="valid").order_by("number").first())


def test_a_phone_sees_a_certificate_valid_then_revoked(  # type: ignore[no-untyped-def]
    browser, certificate: Certificate, artifacts: Path
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
        actor=SYSTEM, certificate_id=certificate.pk, reason="经核查，考核记录不实"))
    phone.reload()
    verdict = phone.locator("[data-testid=verdict]")
    assert verdict.get_attribute("data-status") == "revoked"
    assert "证书已撤销" in verdict.inner_text() and "经核查，考核记录不实" in verdict.inner_text()
    phone.screenshot(path=str(artifacts / "certificate-verify-revoked-phone.png"), full_page=True)
    context.close()
