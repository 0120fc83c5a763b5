"""The encryption officer's draws page in the browser, on the demo event: 焊工 drawn and decrypted, 电工 drawn and
still in marking (DESIGN.md "Anonymity (二次加密)"; issue 4 item 7)."""

from __future__ import annotations

from pathlib import Path

import pytest

from competitions import demo
from competitions.models import Entry, EntryStatus, Event, Skill
from tests.e2e.steps import outside_the_browser_loop, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _demo_skills() -> tuple[int, list[tuple[str, str, str]], int]:
    """The event id, 焊工's (工位号, 检录号, name) rows, and 电工's number of approved entries."""
    event = Event.objects.get(name=demo.EVENT_NAME)
    welding, electrician = (Skill.objects.get(event=event, name=n) for n in ("焊工", "电工"))
    rows = [
        (e.workstation_no, f"{e.checkin_no:03d}", e.members.get().person.real_name)
        for e in Entry.objects.filter(skill=welding, status=EntryStatus.APPROVED).order_by("workstation_no")
    ]
    return event.pk, rows, Entry.objects.filter(skill=electrician, status=EntryStatus.APPROVED).count()


def test_the_encryption_officer_sees_the_demo_draws_verified(page, live_server, demo_data, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    event_id, welding_rows, electricians = outside_the_browser_loop(_demo_skills)
    sign_in(page, live_server.url, "encryptor")
    page.click("nav.mainnav a[data-nav=competitions_draws]")
    page.wait_for_url(f"{live_server.url}/competitions/events/{event_id}/draws/")

    welding = page.locator("[data-testid=skill-draws][data-skill=焊工]")
    assert welding.locator("[data-testid=check-ok]").count() == 2
    assert welding.locator("[data-testid=check-bad]").count() == 0
    assert welding.locator("[data-testid=seed]").count() == 2
    assert welding.locator("[data-testid=decrypted]").get_attribute("data-decrypted") == "true"
    shown = welding.locator("[data-testid=decrypted-rows] tbody tr")
    assert shown.count() == len(welding_rows)
    for n, (station, number, name) in enumerate(welding_rows[:5]):
        cells = shown.nth(n).locator("td")
        assert [cells.nth(i).inner_text().strip() for i in range(3)] == [station, number, name]

    electrician = page.locator("[data-testid=skill-draws][data-skill=电工]")
    assert electrician.locator("[data-testid=check-ok]").count() == 2
    assert electrician.locator("[data-testid=draw-rows] tbody tr").count() == electricians
    assert electrician.locator("[data-testid=decrypted-rows]").count() == 0  # no names before decryption
    assert "未签字确认，不能解密" in electrician.locator("[data-testid=decrypt-refusal]").inner_text()
    assert electrician.locator("[data-testid=decrypt]").count() == 0
    page.screenshot(path=str(artifacts / "draws-encryptor.png"), full_page=True)


def test_on_a_phone_the_draws_fit_the_screen_with_the_check_in_view(browser, live_server, demo_data,  # type: ignore[no-untyped-def]
                                                                   artifacts: Path) -> None:
    """390×844: no table scrolls sideways, so the ✓ of every draw's re-run check is on the screen (issue 10)."""
    event_id, _, _ = outside_the_browser_loop(_demo_skills)
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server.url, "encryptor")
    page.goto(f"{live_server.url}/competitions/events/{event_id}/draws/")
    page.screenshot(path=str(artifacts / "draws-encryptor-phone.png"), full_page=True)

    assert page.evaluate("document.documentElement.scrollWidth") <= 391
    wide = page.evaluate("Array.from(document.querySelectorAll('.table-wrap'))"
                         ".filter(w => w.scrollWidth > w.clientWidth + 1).map(w => w.innerHTML.slice(0, 80))")
    assert wide == []
    checks = page.locator("[data-testid=draw-records] [data-testid=check]")
    records = page.locator("[data-testid=draw-records] tbody tr")
    assert records.count() >= 4 and checks.count() == records.count()  # two draws of each drawn demo skill
    for n in range(checks.count()):
        check = checks.nth(n)
        check.scroll_into_view_if_needed()
        box = check.locator("[data-testid=check-ok]").bounding_box()
        assert box is not None and 0 <= box["x"] and box["x"] + box["width"] <= 390, box
        assert check.locator("[data-testid=check-ok]").is_visible()
    context.close()
