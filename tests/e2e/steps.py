"""Shared steps of the browser tests."""

from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import TypeVar

from django.db import connections

T = TypeVar("T")


def sign_in(page, base: str, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "demo-2026")
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base}/")


def outside_the_browser_loop(function: Callable[[], T]) -> T:
    """Run plain sync code (services, commands) in a worker thread: Playwright's sync API keeps an event loop
    running in the test's thread, and code that hands work to the channel layer with async_to_sync refuses to
    run beside a live loop, as it should."""
    def run_and_close() -> T:
        try:
            return function()
        finally:
            connections.close_all()  # the thread's own connection, or PostgreSQL cannot drop the test database

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run_and_close).result()


# --- the referee's marking page ------------------------------------------------------------------------------------
# Every interaction with templates/competitions/marking.html is here, written against its markup of today (one
# table row per workstation and aspect: 工位号, aspect code, one's own value, the others', a form), so this is the
# one place to adapt when that page is rebuilt.


def _marking_cell(page, workstation_no: str, aspect_code: str):  # type: ignore[no-untyped-def]
    """The row of one workstation's aspect on the referee's marking page."""
    def exactly(text: str) -> re.Pattern[str]:
        return re.compile(rf"^\s*{re.escape(text)}\s*$")

    rows = page.locator("[data-testid=marking] tbody tr")
    return (rows.filter(has=page.locator("td:nth-child(1)", has_text=exactly(workstation_no)))
            .filter(has=page.locator("td:nth-child(2)", has_text=exactly(aspect_code))))


def mark_on_page(page, workstation_no: str, aspect_code: str, value: str) -> None:  # type: ignore[no-untyped-def]
    """Enter one mark on the referee's marking page and wait until the page confirms it."""
    row = _marking_cell(page, workstation_no, aspect_code)
    row.locator("input[name=value]").fill(value)
    row.locator("button[type=submit]").click()
    page.wait_for_load_state()
    confirmed = page.locator(".messages li[data-code=done]")
    assert confirmed.count() == 1, page.locator(".messages").all_inner_texts()


def marked_value(page, workstation_no: str, aspect_code: str) -> Decimal | None:  # type: ignore[no-untyped-def]
    """One's own mark of a workstation's aspect as the marking page shows it, as a number (the page shows four
    decimals: "0.0000"); None where it shows none ("—"). A 0 must show as a number, never as a blank."""
    shown = str(_marking_cell(page, workstation_no, aspect_code).locator("td:nth-child(3)").inner_text()).strip()
    return None if shown in ("", "—") else Decimal(shown)
