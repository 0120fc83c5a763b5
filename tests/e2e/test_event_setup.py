"""The organizer sets a new event up in the browser, pages only, on a desktop and on a 390×844 phone (issue 10
item 1): creates the event, adds a skill, types its marking scheme (the total follows the typing), adds a venue
with workstations H01–H10, sees the readiness checklist empty, and opens registration."""

from __future__ import annotations

from pathlib import Path

import pytest

from competitions.models import Event, Status, Workstation
from tests.e2e.steps import fill_scheme_row, follow, outside_the_browser_loop, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}

SCHEME = [
    ("M1", "测量", "A1", "焊缝尺寸", "full_or_zero", "40"),
    ("M1", "测量", "A2", "焊缝外观", "mean", "30"),
    ("M2", "评价", "J1", "工艺规范", "worldskills", "30"),
]


def _no_horizontal_scroll(page) -> bool:  # type: ignore[no-untyped-def]
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_the_organizer_sets_up_an_event_and_opens_registration(  # type: ignore[no-untyped-def]
    browser, live_server, demo_data, artifacts: Path, device: str
) -> None:
    context = browser.new_context(locale="zh-CN", viewport=VIEWPORTS[device])
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("dialog", lambda dialog: dialog.accept())
    problems: list[str] = []  # a script or style the Content-Security-Policy refused, or a script error
    page.on("console", lambda message: message.type == "error" and "Failed to load" not in message.text
            and problems.append(f"{page.url}: {message.text}"))
    page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))
    base = live_server.url
    name = f"第九届技能兴鲁大赛（{device}）"
    try:
        sign_in(page, base, "organizer")
        page.goto(f"{base}/competitions/")
        page.click("[data-testid=event-new]")
        page.fill("#id_name", name)
        page.select_option("#id_level", "provincial_2")
        page.fill("#id_series", "技能兴鲁")
        page.fill("#id_starts_on", "2026-10-12")
        page.fill("#id_ends_on", "2026-10-14")
        page.select_option("#id_award_rule", "proportions")
        page.screenshot(path=str(artifacts / f"setup-event-{device}.png"), full_page=True)
        assert _no_horizontal_scroll(page)
        page.click("[data-testid=event-form] button[type=submit]")
        page.wait_for_url("**/manage/")
        assert page.locator("[data-testid=event-readiness]").get_attribute("data-ready") == "no"
        assert "请先添加至少一个赛项" in page.locator("[data-testid=event-readiness]").inner_text()

        page.click("[data-testid=skill-new]")
        page.fill("#id_name", "焊工")
        page.fill("#id_occupation_code", "6-18-02-04")
        page.fill("#id_min_age", "18")
        page.fill("#id_max_age", "55")
        page.screenshot(path=str(artifacts / f"setup-skill-{device}.png"), full_page=True)
        assert _no_horizontal_scroll(page)
        page.click("[data-testid=skill-form] button[type=submit]")
        page.wait_for_url("**/manage/")
        assert page.locator("[data-testid=event-readiness]").get_attribute("data-ready") == "yes"

        page.click("[data-testid=skill-scheme]")
        rows = page.locator("[data-testid=scheme-row]")
        total = page.get_by_test_id("scheme-total")
        for index, aspect in enumerate(SCHEME):
            row = rows.nth(index)
            fill_scheme_row(row, *aspect)
            if index == 1:
                assert total.inner_text() == "70" and "bad" in (total.get_attribute("class") or "")
        assert total.inner_text() == "100" and "ok" in (total.get_attribute("class") or "")  # before any save
        page.screenshot(path=str(artifacts / f"setup-scheme-{device}.png"), full_page=True)
        assert _no_horizontal_scroll(page)
        follow(page, "[data-testid=scheme-save]")
        assert page.locator(".messages li[data-code=done]").count() == 1

        page.click(".crumbs a")
        page.click("[data-testid=venues]")
        page.fill("[data-testid=venue-add] input[name=name]", "济南赛场")
        follow(page, "[data-testid=venue-add] button[type=submit]")
        page.fill("[data-testid=stations-add] input[name=numbers]", "H10–H01")
        follow(page, "[data-testid=stations-add] button[type=submit]")
        assert "倒序" in page.locator(".messages li.error").inner_text()
        page.fill("[data-testid=stations-add] input[name=numbers]", "H01–H10")
        follow(page, "[data-testid=stations-add] button[type=submit]")
        assert page.get_by_test_id("stations").inner_text() == "H01–H10"
        page.screenshot(path=str(artifacts / f"setup-venues-{device}.png"), full_page=True)
        assert _no_horizontal_scroll(page)

        page.click(".crumbs a")
        page.screenshot(path=str(artifacts / f"setup-manage-{device}.png"), full_page=True)
        follow(page, "form[action$='/transition/'] button[type=submit]")
        assert page.get_by_test_id("event-status").get_attribute("data-status") == Status.REGISTRATION
        assert problems == []
    finally:
        context.close()

    def saved() -> tuple[str, int]:
        event = Event.objects.get(name=name)
        return event.status, Workstation.objects.filter(skill__event=event).count()

    assert outside_the_browser_loop(saved) == (Status.REGISTRATION, 10)
