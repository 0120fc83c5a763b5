"""The online theory exam that cannot be lost, in the browser (issue 12 item 7, "Done when"): a candidate takes a
short exam, reloads the page in the middle, loses the network for a while and answers meanwhile, and finishes
with every answer intact and the time left correct, checked on the server afterwards."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import OrganizationKind, Role
from certification.models import PaperItem, SavedAnswer, Sitting
from certification.services.exam import sitting_timing
from tests.accounts.factories import OrganizationFactory, person
from tests.certification.exam_steps import exam_world
from tests.e2e.steps import outside_the_browser_loop


@pytest.fixture(autouse=True)
def _pages_closed_before_the_flush(page, live_server):  # type: ignore[no-untyped-def]
    """The exam page beats every 5 s and the room page polls: their requests must stop before the test database is
    flushed (an open page's request holding SQLite's shared in-memory tables made the flush fail, "database table
    is locked", and the next test met the first one's rows)."""
    yield
    page.context.close()


def _world():  # type: ignore[no-untyped-def]
    center = OrganizationFactory(name="丙考核站", kind=OrganizationKind.EXAM_CENTER, city="烟台市")
    unit = OrganizationFactory(name="甲企业", kind=OrganizationKind.ENTERPRISE, city="济南市")
    staff = person(Role.EXAM_CENTER_STAFF, center, username="exam_staff")
    return exam_world(staff, center, unit, n=2)


def _sign_in(page, base: str, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw-for-tests-2026")
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base}/")


def _answer(page, number: int, kind: str) -> tuple[int, ...]:  # type: ignore[no-untyped-def]
    """Click the answer of question `number` (1-based); returns the displayed options picked."""
    picks = (0, 1) if kind == "multiple" else (1,)
    for i in picks:
        page.get_by_test_id(f"option-{number}-{i}").check()
    return picks


def _state(page, number: int) -> str:  # type: ignore[no-untyped-def]
    return str(page.locator(f'[data-question="{number - 1}"]').get_attribute("data-state"))


def test_a_candidate_reloads_loses_the_network_and_finishes_with_every_answer(  # type: ignore[no-untyped-def]
        page, live_server, artifacts: Path) -> None:
    world = outside_the_browser_loop(_world)
    registration = world.registrations[0]
    base = live_server.url
    _sign_in(page, base, world.candidates[0].username)
    page.goto(f"{base}/certification/exam/{registration.pk}/")
    page.wait_for_selector('[data-question="6"]')
    sitting = outside_the_browser_loop(lambda: Sitting.objects.get(registration=registration))
    kinds = outside_the_browser_loop(lambda: list(PaperItem.objects.filter(paper_id=sitting.paper_id).order_by(
        "position").values_list("version__kind", flat=True)))
    picked: dict[int, tuple[int, ...]] = {}

    for n in (1, 2):
        picked[n] = _answer(page, n, kinds[n - 1])
    expect(page.get_by_test_id("pending")).to_have_text("0")
    assert _state(page, 1) == "saved" and _state(page, 2) == "saved"
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(artifacts / "theory-exam-390.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.screenshot(path=str(artifacts / "theory-exam-1280.png"), full_page=True)

    # A reload in the middle: the same paper, the saved answers, the same session.
    page.reload()
    page.wait_for_selector('[data-question="6"]')
    expect(page.locator('[data-question="0"]')).to_have_attribute("data-state", "saved")
    assert page.get_by_test_id(f"option-1-{picked[1][0]}").is_checked()
    picked[3] = _answer(page, 3, kinds[2])
    expect(page.get_by_test_id("pending")).to_have_text("0")

    # The network goes: answers are kept in the browser, shown 未保存, and sent on reconnection.
    page.context.set_offline(True)
    for n in (4, 5):
        picked[n] = _answer(page, n, kinds[n - 1])
    expect(page.get_by_test_id("net")).to_have_attribute("data-net", "offline")
    assert _state(page, 4) == "pending" and page.get_by_test_id("pending").text_content() == "2"
    assert "未保存" in str(page.locator('[data-question="3"] [data-saved]').text_content())
    page.screenshot(path=str(artifacts / "theory-exam-offline.png"))
    page.wait_for_timeout(1500)
    page.context.set_offline(False)
    expect(page.get_by_test_id("pending")).to_have_text("0", timeout=30_000)
    assert _state(page, 4) == "saved" and _state(page, 5) == "saved"
    for n in (6, 7):
        picked[n] = _answer(page, n, kinds[n - 1])
    expect(page.get_by_test_id("pending")).to_have_text("0")

    # The time left on the page is the server's deadline, to within the clock's slack.
    shown_ms = int(str(page.locator("[data-exam-left]").get_attribute("data-left-ms")))
    sitting = outside_the_browser_loop(lambda: Sitting.objects.select_related("part").get(pk=sitting.pk))
    server_ms = outside_the_browser_loop(
        lambda: int(sitting_timing(sitting, timezone.now()).time_left.total_seconds() * 1000))
    assert abs(shown_ms - server_ms) < 3000, (shown_ms, server_ms)

    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("submit").click()
    page.wait_for_selector("[data-testid=submitted]:not([hidden])")

    def on_server() -> tuple[dict[int, list[int]], dict[int, list[int]], object]:
        orders = dict(PaperItem.objects.filter(paper_id=sitting.paper_id).values_list("position", "option_order"))
        saved = {p + 1: c for p, c in SavedAnswer.objects.filter(sitting=sitting).values_list("position", "choices")}
        expected = {n: sorted(orders[n][i] for i in picks) for n, picks in picked.items()}
        return saved, expected, Sitting.objects.get(pk=sitting.pk).submitted_how

    saved, expected, how = outside_the_browser_loop(on_server)
    assert saved == expected and len(saved) == 7 and how == "candidate"


def test_the_invigilator_sees_the_room(page, live_server, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    from certification.models import StaffAssignment

    world = outside_the_browser_loop(_world)
    watcher = outside_the_browser_loop(lambda: StaffAssignment.objects.filter(duty="invigilator").first())
    room_id = outside_the_browser_loop(lambda: world.registrations[0].seats.get(part__kind="theory").room_id)
    username = outside_the_browser_loop(lambda: watcher.person.username)
    _sign_in(page, live_server.url, username)
    page.goto(f"{live_server.url}/certification/exam/rooms/{room_id}/")
    assert page.locator("[data-seat]").count() == 2
    page.screenshot(path=str(artifacts / "exam-room-1280.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(artifacts / "exam-room-390.png"), full_page=True)
