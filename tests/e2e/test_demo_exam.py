"""The demo as `make demo` leaves it (certification.demo_exam, demo_practical; issue 12 item 11), in the browser:
the demo `candidate` follows her exam link to a running exam with time left and her five saved answers (her
session was released on the room's computer, so this browser takes it over), and the demo `assessor` opens the
partly scored tablet page of the same 30-candidate batch. Screenshots at 1280 and 390 px."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import follow, outside_the_browser_loop, requests_drained, sign_in


@pytest.fixture(autouse=True)
def _pages_closed_before_the_flush(page, demo_data):  # type: ignore[no-untyped-def]
    """The exam page beats every 5 s: its requests must stop before the test database is flushed (as in
    test_theory_exam)."""
    yield
    page.context.close()
    requests_drained()  # and a beat sent just before the close has been answered


def _shots(page, artifacts: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    page.screenshot(path=str(artifacts / f"{name}-1280.png"), full_page=True)
    page.screenshot(path=str(artifacts / f"{name}-top-1280.png"))  # what the first screen shows
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(artifacts / f"{name}-390.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})


def test_the_demo_candidate_finds_her_exam_running(page, demo_data, asgi_server: str, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, asgi_server, "candidate")
    page.goto(f"{asgi_server}/certification/registrations/mine/")
    from certification import demo_batches

    # she also passed an earlier batch (certification.demo_published): the running exam is the current batch's
    row = page.get_by_test_id("my-registrations").locator("tr", has_text=demo_batches.BATCH_NAME)
    follow(page, row.get_by_test_id("exam-link"))
    page.wait_for_selector('[data-question="4"]')
    expect(page.get_by_test_id("time-left")).to_have_text(re.compile(r"^1:[0-5]\d:[0-5]\d$"))  # H:MM:SS
    expect(page.get_by_test_id("answered")).to_have_text("5")
    expect(page.get_by_test_id("pending")).to_have_text("0")
    assert page.get_by_test_id("exam-problem").is_hidden() and page.get_by_test_id("submitted").is_hidden()
    left_ms = int(page.get_by_test_id("time-left").get_attribute("data-left-ms") or 0)
    assert 100 * 60_000 <= left_ms <= 120 * 60_000  # the demo's two hours, minus the seeding's minutes
    _shots(page, artifacts, "demo-exam-running")


def test_the_demo_assessor_sees_her_sheet_partly_scored(page, demo_data, asgi_server: str, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    from certification import demo_batches
    from certification.models import BatchPart

    part_id = outside_the_browser_loop(lambda: BatchPart.objects.get(batch__name=demo_batches.BATCH_NAME,
                                                                     kind="practical").pk)
    sign_in(page, asgi_server, "assessor")
    page.goto(f"{asgi_server}/certification/parts/{part_id}/scoring/")
    cards = page.get_by_test_id("candidate")
    expect(cards).to_have_count(15)
    assert [cards.nth(i).get_by_test_id("scored").inner_text() for i in range(3)] == ["3", "1", "0"]
    assert demo_batches.BATCH_NAME in page.content()
    _shots(page, artifacts, "demo-practical-tablet")
