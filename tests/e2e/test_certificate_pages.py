"""The certificate pages as their people see them on the demo (issue 13, certpages' walk-through), on a 390-pixel
phone and a 1280-pixel desktop: 我的证书 as the demo `candidate`, the finished batch's certificates page and the
body's certificates as the demo `examcenter`, the verification page of a demo certificate and the verdict on its
credential pasted into the upload form, as a visitor (in Chinese and in English). On each:
no sideways scrolling, no full ID number anywhere, and in English no level left in Chinese; screenshots of each
in var/e2e/ to look at."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from certification.demo_certificates import BATCH_NAME
from certification.models import Batch, Certificate
from certification.selectors.certificates import certificate_verification_url
from certification.selectors.credentials import certificate_credential
from tests.certification.crypto_steps import use_key_store
from tests.e2e.steps import outside_the_browser_loop, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def demo_keys(settings, tmp_path: Path, live_server) -> None:  # type: ignore[no-untyped-def]
    """A key store before the demo is seeded (its certificates are signed with it), the QR codes pointing here."""
    use_key_store(settings, tmp_path / "certificate-keys")
    settings.PUBLIC_BASE_URL = live_server.url


@pytest.fixture
def demo(demo_keys: None, demo_data: None) -> dict[str, object]:
    def read() -> dict[str, object]:
        mine = Certificate.objects.get(holder__username="candidate", status="valid")
        return {"batch": Batch.objects.get(name=BATCH_NAME).pk, "url": certificate_verification_url(mine),
                "body": mine.body_id, "credential": json.dumps(certificate_credential(mine), ensure_ascii=False),
                "id_numbers": list(Certificate.objects.values_list("holder__id_number", flat=True))}

    return outside_the_browser_loop(read)


def _check(page, demo: dict[str, object]) -> None:  # type: ignore[no-untyped-def]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url  # no sideways
    text = page.content()
    for full in demo["id_numbers"]:  # type: ignore[attr-defined]
        assert full not in text, page.url  # masked everywhere


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_the_certificate_pages_on_a_phone_and_a_desktop(  # type: ignore[no-untyped-def]
    browser, live_server, demo, artifacts: Path, viewport: str
) -> None:
    shots = [("candidate", "/certification/certificates/mine/", "my-certificates"),
             ("examcenter", f"/certification/batches/{demo['batch']}/certificates/", "batch-certificates"),
             ("examcenter", f"/certification/bodies/{demo['body']}/certificates/", "body-certificates")]
    for who, path, name in shots:
        context = browser.new_context(locale="zh-CN", viewport=VIEWPORTS[viewport], is_mobile=viewport == "phone")
        page = context.new_page()
        page.set_default_timeout(30_000)
        sign_in(page, live_server.url, who)
        page.goto(live_server.url + path)
        assert page.locator("[data-certificate]").count() >= 1
        _check(page, demo)
        page.screenshot(path=str(artifacts / f"{name}-{viewport}.png"), full_page=True)
        context.close()
    for locale, suffix in (("zh-CN", ""), ("en-US", "-en")):
        context = browser.new_context(locale=locale, viewport=VIEWPORTS[viewport], is_mobile=viewport == "phone")
        page = context.new_page()
        page.goto(str(demo["url"]))
        assert page.locator("[data-testid=verdict]").get_attribute("data-status") == "valid"
        _check(page, demo)
        if suffix:
            facts = page.locator("dl.facts").inner_text()
            assert "Level 5 / junior worker" in facts and "五级" not in facts
        page.screenshot(path=str(artifacts / f"certificate-verify{suffix}-{viewport}.png"), full_page=True)
        page.click("[data-testid=credential-verify-link] a")
        page.fill("textarea[name=text]", str(demo["credential"]))
        page.click("[data-testid=credential-form] button[type=submit]")
        assert page.locator("[data-testid=verdict]").get_attribute("data-status") == "valid"
        _check(page, demo)
        page.screenshot(path=str(artifacts / f"credential-verify{suffix}-{viewport}.png"), full_page=True)
        context.close()
