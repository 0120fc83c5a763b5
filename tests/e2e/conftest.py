"""Browser tests: Playwright for Python driving Debian's chromium against the live test server.

Playwright's own browser download cannot work here (the network is closed), so the tests launch
/usr/bin/chromium and skip, saying why, where it is missing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.e2e.steps import outside_the_browser_loop

# Playwright's sync API runs an event loop in this thread; the test body's ORM calls are still plain sync code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--disable-quic", "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "e2e"


# Module scope, not session: while Playwright runs, its event loop occupies the worker's thread, and every later
# test of any folder that calls async_to_sync (the websocket and channel-layer tests) would refuse to run.
@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (make test installs it where apt-get may run)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    yield opened
    context.close()


@pytest.fixture
def demo_data(transactional_db: None) -> None:
    """The demo province, as `make demo` has it."""
    outside_the_browser_loop(lambda: call_command("seed_demo", verbosity=0))


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
