"""Shared steps of the browser tests."""

from __future__ import annotations

import threading
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


def follow(page, target) -> None:  # type: ignore[no-untyped-def]
    """Click a link or a submit button (a selector or a locator) and wait for the page it leads to. Playwright's
    click returns once the click is dispatched; counting elements right after it can still read the old page."""
    locator = page.locator(target) if isinstance(target, str) else target
    with page.expect_navigation():
        locator.click()


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


# --- the organizer's scheme editor ---------------------------------------------------------------------------------


def fill_scheme_row(row, module: str, module_name: str, code: str, description: str,  # type: ignore[no-untyped-def]
                    method: str, maximum: str, referees: str | None = None) -> None:
    """Type one aspect into a row of the scheme editor (templates/competitions/setup_scheme.html)."""
    row.locator("input[name=module_code]").fill(module)
    row.locator("input[name=module_name]").fill(module_name)
    row.locator("input[name=aspect_code]").fill(code)
    row.locator("input[name=description]").fill(description)
    row.locator("select[name=method]").select_option(method)
    row.locator("input[name=max_mark]").fill(maximum)
    if referees is not None:
        row.locator("input[name=referee_count]").fill(referees)


# --- the referee's marking page ------------------------------------------------------------------------------------
# Every interaction with templates/competitions/marking.html is here: one card per workstation, one cell per
# aspect (`[data-cell]` with data-workstation and data-aspect), each saved with htmx without reloading the page.


def _marking_cell(page, workstation_no: str, aspect_code: str):  # type: ignore[no-untyped-def]
    """The cell of one workstation's aspect on the referee's marking page."""
    return page.locator(f'[data-cell][data-workstation="{workstation_no}"][data-aspect="{aspect_code}"]')


def mark_on_page(page, workstation_no: str, aspect_code: str, value: str) -> None:  # type: ignore[no-untyped-def]
    """Enter one mark on the referee's marking page (typed and saved, or its choice button pressed) and wait until
    the cell, answered in place, shows it saved; the page itself is not reloaded."""
    cell = _marking_cell(page, workstation_no, aspect_code)
    typed = cell.locator("input[name=value]")
    if typed.count():
        typed.fill(value)
        cell.locator("button[type=submit]").click()
    else:
        cell.locator(f'button[name=value][value="{value}"]').click()
    page.wait_for_function(
        "([no, code]) => [...document.querySelectorAll('[data-cell]')].some(c => c.dataset.workstation === no"
        " && c.dataset.aspect === code && c.dataset.state === 'saved' && !c.querySelector('.htmx-request'))",
        arg=[workstation_no, aspect_code])


def marked_value(page, workstation_no: str, aspect_code: str) -> Decimal | None:  # type: ignore[no-untyped-def]
    """One's own value of a workstation's aspect as the marking page shows it, as a number; None where it shows
    none. A 0 must show as a number, never as a blank."""
    shown = _marking_cell(page, workstation_no, aspect_code).locator("[data-testid=my-value]")
    return Decimal(str(shown.inner_text()).strip()) if shown.count() else None


def requests_drained(timeout: float = 10.0) -> None:
    """Wait until no request of the ASGI server in this process (tests/e2e/conftest.py `asgi_server`) is running:
    one job per request thread (core.asgi `REQUEST_THREADS`), each waiting for the others, so all of them are
    running at once only when no request holds a thread. A page's timer can have sent a request just before its
    context closed; served while the test database is flushed, it held SQLite's shared in-memory tables and the
    flush failed ("database table is locked", CI of ba35242 in test_demo_exam). Twice, for a request whose body
    was still being read the first time."""
    from core.asgi import SyncChainASGIHandler

    executor = SyncChainASGIHandler.executor
    if executor is None:
        return
    for _ in range(2):
        workers = executor._max_workers
        barrier = threading.Barrier(workers + 1, timeout=timeout)
        for _ in range(workers):
            executor.submit(barrier.wait)
        barrier.wait()
