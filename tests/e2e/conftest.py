"""Browser tests: Playwright for Python driving Debian's chromium against the live test server.

Playwright's own browser download cannot work here (the network is closed), so the tests launch
/usr/bin/chromium and skip, saying why, where it is missing.
"""

from __future__ import annotations

import os
import socket
import threading
import time
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


_server: dict[str, str] = {}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _daphne() -> str:
    """The real ASGI application (config.asgi: HTTP through WhiteNoise and the page chain, websockets through
    channels) in daphne on a free port, on a thread of this process, so that it shares the test database (SQLite in
    memory included); started once per process (twisted's reactor cannot start twice) and left running."""
    if "url" not in _server:
        from daphne.endpoints import build_endpoint_description_strings
        from daphne.server import Server

        from config.asgi import application

        port = _free_port()
        server = Server(application=application, signal_handlers=False,
                        endpoints=build_endpoint_description_strings(host="127.0.0.1", port=port))
        threading.Thread(target=server.run, name="daphne", daemon=True).start()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        _server["url"] = f"http://127.0.0.1:{port}"
    return _server["url"]


@pytest.fixture
def asgi_server(transactional_db: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A server that speaks websockets (pytest-django's live_server is WSGI), with the live stream's sequencer
    running as it does in daphne (competitions.stream_runner, started here since this process is not daphne).
    Ask for it after the fixtures that write the test's data (`demo_data`): on SQLite in memory the sequencer's
    thread and a seeding in progress would meet on a table lock."""
    from competitions import stream_runner

    url = _daphne()
    monkeypatch.setattr("sys.argv", ["daphne"])
    stream_runner.start_if_wanted()
    yield url
    stream_runner.stop()
