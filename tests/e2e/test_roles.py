"""Every demo role signs in through the real login page and sees the navigation meant for that role."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.steps import follow, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# "tokens" only for the roles that work from devices (accounts.permissions: Action.DEVICE_TOKENS).
FOUNDATION_KEYS = {"home", "people", "tokens", "profile", "audit", "admin"}
EXPECTED_NAV = {
    "admin": ["home", "people", "tokens", "profile", "audit", "admin"],
    "organizer": ["home", "people", "profile", "audit"],
    "encryptor": ["home", "profile"],
    "chief": ["home", "tokens", "profile"],
    "referee": ["home", "tokens", "profile"],
    "contestant": ["home", "profile"],
    "coach": ["home", "profile"],
    "examcenter": ["home", "people", "tokens", "profile"],
    "chiefassessor": ["home", "tokens", "profile"],
    "assessor": ["home", "tokens", "profile"],
    "candidate": ["home", "profile"],
    "enterprise": ["home", "people", "tokens", "profile"],
    "college": ["home", "people", "profile"],
    "chief2": ["home", "tokens", "profile"],
    "referee2": ["home", "tokens", "profile"],
    "invigilator": ["home", "tokens", "profile"],  # an assessor of the exam center serving as invigilator
}


def test_each_demo_role_sees_its_navigation(page, live_server, demo_data, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    for username, expected in EXPECTED_NAV.items():
        sign_in(page, live_server.url, username)
        keys = page.eval_on_selector_all("nav.mainnav a", "els => els.map(e => e.dataset.nav)")
        assert [k for k in keys if k in FOUNDATION_KEYS] == expected, username
        assert page.locator("[data-testid=who]").inner_text().strip()
        if username == "organizer":
            page.screenshot(path=str(artifacts / "home-organizer.png"), full_page=True)
        page.click("form[action$='/logout/'] button")
        page.wait_for_url(f"{live_server.url}/accounts/login/")


def test_five_wrong_passwords_lock_the_login_in_the_browser(page, live_server, demo_data) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/accounts/login/")
    for _ in range(5):
        page.fill("input[name=username]", "referee")
        page.fill("input[name=password]", "wrong-password")
        page.click("button[type=submit].primary")
    assert "已暂时锁定" in page.locator("[data-testid=locked]").inner_text()


def test_phone_layout_has_the_menu_behind_a_toggle(browser, live_server, demo_data, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    sign_in(page, live_server.url, "admin")
    assert not page.locator("nav.mainnav").is_visible()
    page.click("label.nav-toggle-label")
    assert page.locator("nav.mainnav a[data-nav=audit]").is_visible()
    page.screenshot(path=str(artifacts / "home-admin-phone.png"), full_page=True)
    context.close()


def test_language_switch_in_the_browser(page, live_server, demo_data) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live_server.url, "referee")
    follow(page, "form.langswitch button[value=en]")
    assert page.locator("nav.mainnav a[data-nav=profile]").inner_text() == "My account"
