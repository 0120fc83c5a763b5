"""Shared steps of the browser tests."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
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
