"""The enterprise asks a talent for contact (issue 14 items 2, 3, 7): the demo's HR finds the demo contestant (in
the pool through the demo's published competition) by searching the pool, opens the profile and sees the contact
masked, sends a contact request; the contestant accepts it in their inbox; the HR then sees the phone; the
contestant revokes and it is masked again. Screenshots on a desktop and a phone."""

from __future__ import annotations

from pathlib import Path

import pytest

from accounts.models import User
from talentpool.models import Talent
from tests.e2e.steps import follow, outside_the_browser_loop, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE = "13705318888"


def _contestant() -> tuple[str, int]:
    person = User.objects.get(username="contestant")
    return person.real_name, Talent.objects.get(person=person).pk


def test_contact_shows_only_after_consent_and_hides_after_revocation(  # type: ignore[no-untyped-def]
        browser, page, live_server, demo_data, artifacts: Path) -> None:
    name, talent_id = outside_the_browser_loop(_contestant)
    base = live_server.url

    person = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    person.set_default_timeout(15_000)
    sign_in(person, base, "contestant")
    person.goto(f"{base}/talentpool/me/")
    person.fill("input[name=contact_phone]", "137 0531 8888")
    person.fill("input[name=contact_email]", "contestant@demo.example")
    person.check("input[name=open_to_offers]")
    follow(person, "[data-testid=profile-form] button[type=submit]")
    assert "人才档案已保存" in person.content()

    sign_in(page, base, "enterprise")
    page.goto(f"{base}/talentpool/pool/?text={name}")
    results = page.locator("[data-testid=pool-results]")
    assert name in results.inner_text() and PHONE not in results.inner_text()
    follow(page, results.locator(f"a[href='/talentpool/talents/{talent_id}/']"))
    contact = page.locator("[data-testid=profile] [data-testid=contact]")
    assert "已隐藏，需本人同意" in contact.inner_text()
    # In the pool by intake from a result, which says nothing of the years in the trade: not "0 年".
    assert "从业年限\n未填写" in page.locator("[data-testid=profile]").inner_text()
    page.screenshot(path=str(artifacts / "profile_years_not_given.png"), full_page=True)
    page.fill("[data-testid=request-contact] textarea[name=message]", "诚邀参加焊工岗位面试")
    follow(page, "[data-testid=request-contact] button[type=submit]")
    assert page.locator("[data-testid=request-status]").get_attribute("data-status") == "pending"
    assert PHONE not in page.content()
    page.screenshot(path=str(artifacts / "talentpool-profile-masked.png"), full_page=True)

    person.goto(f"{base}/talentpool/me/requests/")
    inbox = person.locator("[data-testid=inbox]")
    assert "鲁中重型机械股份有限公司" in inbox.inner_text() and "诚邀参加焊工岗位面试" in inbox.inner_text()
    assert PHONE in person.locator("[data-testid=what-they-see]").inner_text()
    person.screenshot(path=str(artifacts / "talentpool-inbox-phone.png"), full_page=True)
    follow(person, inbox.locator("[data-testid=accept]"))

    page.reload()
    assert PHONE in page.locator("[data-testid=profile] [data-testid=phone]").inner_text()
    page.screenshot(path=str(artifacts / "talentpool-profile-consented.png"), full_page=True)
    page.goto(f"{base}/talentpool/contact-requests/")
    assert PHONE in page.locator("[data-testid=contact-requests]").inner_text()

    person.goto(f"{base}/talentpool/me/requests/")
    person.fill("[data-testid=inbox] input[name=reason]", "已找到工作")
    follow(person, "[data-testid=revoke]")
    assert person.locator("[data-testid=inbox] tr[data-status=revoked]").count() == 1

    page.goto(f"{base}/talentpool/talents/{talent_id}/")
    assert PHONE not in page.content()
    assert "已隐藏，需本人同意" in page.locator("[data-testid=profile] [data-testid=contact]").inner_text()
    page.goto(f"{base}/talentpool/pool/?text={name}")
    assert PHONE not in page.content()
