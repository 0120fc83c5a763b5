"""The referee's marking page in the browser (issue 10 item 3), on the demo's 电工 (being marked: E1, E2 full or zero,
E3 a 24 V output voltage and E4 an insulation resistance, both by tolerance), on a desktop and on a 390×844 phone:
the referee saves a 0 with a tap and a measured value with the keyboard alone; the page neither reloads nor
scrolls, the cell shows 0 as 0, the measured value and the mark it gives, the progress counter moves; every
control is at least 44 pixels and inside the screen, nothing scrolls sideways, and axe finds nothing serious. A
reply lost on its way back leaves the cell unsaved in the referee's eyes, and saving again is the same attempt."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, unquote

import pytest
from django.conf import settings

from competitions import demo
from competitions.models import Event, Mark, MarkRevision, Skill
from tests.e2e.axe import violations
from tests.e2e.steps import outside_the_browser_loop, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


def _electrician() -> int:
    return Skill.objects.get(event=Event.objects.get(name=demo.EVENT_NAME), name="电工").pk


def _stored(workstation_no: str, code: str) -> str | None:
    mark = Mark.objects.filter(entry__skill__name="电工", entry__workstation_no=workstation_no, aspect__code=code,
                               referee__username="referee").first()
    return None if mark is None else format(mark.value.normalize(), "f")


def _revisions(workstation_no: str, code: str) -> int:
    return MarkRevision.objects.filter(mark__entry__skill__name="电工", mark__entry__workstation_no=workstation_no,
                                       mark__aspect__code=code, mark__referee__username="referee").count()


def _progress(page) -> int:  # type: ignore[no-untyped-def]
    return int(page.locator("[data-progress-done]").inner_text())


def _controls_fit(page, width: int) -> list[str]:  # type: ignore[no-untyped-def]
    """Every visible button, input and summary of the sheet smaller than 44×44 or reaching past the screen."""
    return page.evaluate(
        """(width) => Array.from(document.querySelectorAll(
             '[data-testid=marking] button, [data-testid=marking] input:not([type=hidden]), '
             + '[data-testid=marking] summary, [data-testid=progress] summary'))
           .filter(el => el.offsetParent !== null)
           .map(el => [el, el.getBoundingClientRect()])
           .filter(([el, r]) => r.height < 44 || r.width < 44 || r.left < 0 || r.right > width + 0.5)
           .map(([el, r]) => `${el.id || el.tagName} ${Math.round(r.width)}×${Math.round(r.height)}`
                             + ` at ${Math.round(r.left)}`)""",
        width,
    )


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_a_referee_saves_cells_without_the_page_reloading_or_moving(  # type: ignore[no-untyped-def]
    browser, live_server, demo_data, artifacts: Path, viewport: str
) -> None:
    skill = outside_the_browser_loop(_electrician)
    size = VIEWPORTS[viewport]
    context = browser.new_context(locale="zh-CN", viewport=size, is_mobile=viewport == "phone",
                                  has_touch=viewport == "phone")
    page = context.new_page()
    page.set_default_timeout(60_000)  # a shared, loaded machine
    try:
        sign_in(page, live_server.url, "referee")
        page.goto(f"{live_server.url}/competitions/skills/{skill}/marking/")
        assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
        assert _controls_fit(page, size["width"]) == []
        total = int(page.locator("[data-progress-total]").inner_text())
        assert total == page.locator("[data-cell]").count() == 40  # his group's ten workstations × four aspects
        before = _progress(page)
        page.evaluate("window.__notReloaded = true")

        # A 0 by tapping the full-or-zero choice of a cell far down the sheet.
        zero = page.locator("[data-cell][data-aspect=E1][data-state=unmarked]").last
        cell_id = zero.get_attribute("id")
        workstation_no = zero.get_attribute("data-workstation")
        zero.scroll_into_view_if_needed()
        scrolled = page.evaluate("window.scrollY")
        assert scrolled > 0
        zero.locator("button[value='0']").click()
        saved = page.locator(f"[id='{cell_id}'][data-state=saved]")
        saved.wait_for()
        assert page.evaluate("window.__notReloaded") is True
        assert abs(page.evaluate("window.scrollY") - scrolled) <= 1
        assert saved.locator("[data-testid=my-value]").inner_text() == "0"
        assert saved.locator("button[value='0']").get_attribute("aria-pressed") == "true"
        assert saved.locator("[data-cell-message]").get_attribute("data-code") == "done"
        assert _progress(page) == before + 1
        assert outside_the_browser_loop(lambda: _stored(workstation_no, "E1")) == "0"

        # A measured value by keyboard alone: type into the field, Enter; the focus stays where it was.
        measured = page.locator(f"[data-cell][data-workstation='{workstation_no}'][data-aspect=E3]")
        measured_id = measured.get_attribute("id")
        field = measured.locator("input[name=value]")
        field.focus()
        scrolled = page.evaluate("window.scrollY")
        field.fill("25")
        page.keyboard.press("Enter")
        after = page.locator(f"[id='{measured_id}'][data-state=saved]")
        after.wait_for()
        assert page.evaluate("window.__notReloaded") is True
        assert abs(page.evaluate("window.scrollY") - scrolled) <= 1
        # 25 typed as "full marks" is read as 25 V: one volt off, so the cell says it scores 10 of 25.
        assert after.locator("[data-testid=my-value]").inner_text() == "25"
        assert after.locator("[data-testid=my-mark]").inner_text() == "10"
        assert page.evaluate("document.activeElement.id") == f"{measured_id}-value"
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == f"{measured_id}-save"  # tab order follows the sheet
        assert _progress(page) == before + 2
        assert outside_the_browser_loop(lambda: _stored(workstation_no, "E3")) == "25"

        # A value the rules refuse comes back in the cell, the page still in place.
        full_or_zero = page.locator(f"[data-cell][data-workstation='{workstation_no}'][data-aspect=E2]")
        assert full_or_zero.locator("input[name=value]").count() == 0  # 0 or the maximum only, as two choices
        field = page.locator(f"[id='{measured_id}'] input[name=value]")
        field.fill("二十四")
        page.keyboard.press("Enter")
        page.locator(f"[id='{measured_id}'] [data-cell-message][data-code='mark.not_a_number']").wait_for()
        assert page.evaluate("window.__notReloaded") is True
        assert page.locator(f"[id='{measured_id}'] [data-testid=my-value]").inner_text() == "25"

        # The reply lost after the server recorded the value: the cell says it was not saved, keeps its key, and
        # saving again is the same attempt, answered with the stored mark and recorded once; the next attempt
        # after that gets a fresh key.
        keys: list[str] = []
        page.on("request", lambda r: r.method == "POST" and "/marking/" in r.url
                and keys.append(parse_qs(r.post_data or "")["idempotency_key"][0]))

        def lose_the_reply(route) -> None:  # type: ignore[no-untyped-def]
            route.fetch()
            route.abort()

        page.route("**/marking/", lose_the_reply)
        resistance = page.locator(f"[data-cell][data-workstation='{workstation_no}'][data-aspect=E4]")
        resistance_id = resistance.get_attribute("id")
        resistance.locator("input[name=value]").fill("5.1")
        resistance.locator("button[type=submit]").click()
        page.locator(f"[id='{resistance_id}'] [data-cell-message][data-code='mark.not_saved']").wait_for()
        assert page.locator(f"[id='{resistance_id}']").get_attribute("data-state") == "unmarked"
        page.unroute("**/marking/")
        page.locator(f"[id='{resistance_id}'] button[type=submit]").click()
        page.locator(f"[id='{resistance_id}'][data-state=saved]").wait_for()
        assert len(keys) == 2 and keys[0] == keys[1]
        assert outside_the_browser_loop(lambda: _revisions(workstation_no, "E4")) == 1
        next_key = page.locator(f"[id='{resistance_id}'] input[name=idempotency_key]").get_attribute("value")
        assert next_key != keys[0]

        assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
        assert _controls_fit(page, size["width"]) == []
        page.locator(f"[id='{measured_id}'] details summary").click()  # the tolerance table, opened
        assert page.locator(f"[id='{measured_id}'] table.tolerance tbody tr").count() == 4
        assert violations(page) == []
        page.screenshot(path=str(artifacts / f"marking-{viewport}.png"), full_page=False)

        # A lapsed session: the login page is not swapped into the cell; the browser goes to it, to come back.
        kept = [c for c in context.cookies() if c["name"] != settings.SESSION_COOKIE_NAME]
        context.clear_cookies()
        context.add_cookies(kept)  # type: ignore[arg-type]
        page.locator(f"[id='{resistance_id}'] button[type=submit]").click()
        page.wait_for_url("**/accounts/login/**")
        assert "next=" in page.url and f"/competitions/skills/{skill}/marking/" in unquote(page.url)
    finally:
        context.close()
