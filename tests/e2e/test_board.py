"""The live board in the browser (issue 11 item 2, browser tests (a) and (d)).

pytest-django's live_server is WSGI and serves no websocket, so these tests run the real ASGI application
(config.asgi: HTTP through WhiteNoise and the page chain, websockets through channels) in daphne, inside this
process on a thread (it shares the test database, SQLite in memory included), with the stream's sequencer running
as it does in daphne (competitions.stream_runner, started here since the process is not daphne).

(a) A referee enters a mark on the marking page; a second browser showing the public board updates without a
    reload: the new figure appears, and a marker set on `window` before the mark survives.
(d) The big screen at 1920×1080 shows every workstation of a 40-entrant skill with no scrolling: the page is no
    taller than the window and each card lies inside it.
Screenshots (desktop, phone, big screen) go to var/e2e/.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from accounts.actors import SYSTEM
from accounts.models import Organization, Role
from competitions import demo, services, stream_runner
from competitions.domain.board import provisional_places
from competitions.models import Event, Group, Skill, Status
from tests.accounts.factories import OrganizationFactory, person
from tests.competitions.factories import EventFactory, SkillFactory, contestant, welding_scheme
from tests.e2e.steps import mark_on_page, outside_the_browser_loop, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PORT = 8211  # this worktree's range (8210-8219)
_server: dict[str, object] = {}


def _daphne() -> str:
    """The ASGI server, started once per process (twisted's reactor cannot start twice) and left running."""
    if "url" not in _server:
        from daphne.endpoints import build_endpoint_description_strings
        from daphne.server import Server

        from config.asgi import application

        server = Server(application=application, signal_handlers=False,
                        endpoints=build_endpoint_description_strings(host="127.0.0.1", port=PORT))
        threading.Thread(target=server.run, name="daphne", daemon=True).start()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", PORT)) == 0:
                    break
            time.sleep(0.1)
        _server["url"] = f"http://127.0.0.1:{PORT}"
    return str(_server["url"])


@pytest.fixture
def asgi_server(transactional_db: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = _daphne()
    monkeypatch.setattr("sys.argv", ["daphne"])
    stream_runner.start_if_wanted()
    yield url
    stream_runner.stop()


def _electrician() -> tuple[int, int]:
    skill = Skill.objects.get(event=Event.objects.get(name=demo.EVENT_NAME), name="电工")
    return skill.event_id, skill.pk


def _card_text(page, workstation_no: str) -> str:  # type: ignore[no-untyped-def]
    return str(page.locator(f'[data-testid=board-card][data-workstation="{workstation_no}"]').inner_text())


def test_a_mark_reaches_the_public_board_without_a_reload(  # type: ignore[no-untyped-def]
    browser, page, demo_data, asgi_server: str, artifacts: Path
) -> None:
    event_id, skill_id = outside_the_browser_loop(_electrician)
    viewer = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    board = viewer.new_page()
    board.set_default_timeout(15_000)
    try:
        board.goto(f"{asgi_server}/competitions/events/{event_id}/board/?skill={skill_id}")
        board.wait_for_selector("[data-testid=board-status][data-state=live]")
        board.wait_for_function("document.querySelector('[data-board]').dataset.epoch !== undefined")
        board.evaluate("window.boardMarker = 'still here'")

        sign_in(page, asgi_server, "referee")
        page.goto(f"{asgi_server}/competitions/skills/{skill_id}/marking/")
        cell = page.locator("[data-cell][data-state]:not([data-state=saved])").first
        workstation_no = str(cell.get_attribute("data-workstation"))
        aspect = str(cell.get_attribute("data-aspect"))
        choices = cell.locator("button[name=value]")
        value = str(choices.last.get_attribute("value")) if choices.count() else "1"
        before = _card_text(board, workstation_no)
        seq_before = int(board.evaluate("Number(document.querySelector('[data-board]').dataset.seq)"))
        mark_on_page(page, workstation_no, aspect, value)

        board.wait_for_function(
            "(seq) => Number(document.querySelector('[data-board]').dataset.seq) > seq", arg=seq_before)
        after = _card_text(board, workstation_no)
        assert after != before, (before, after)  # progress or score moved, in place
        assert board.evaluate("window.boardMarker") == "still here"  # the page did not navigate
        assert board.locator("[data-testid=board-status]").get_attribute("data-state") == "live"
        shown = board.evaluate("""() => [...document.querySelectorAll('[data-testid=board-card]')].map(c =>
            [c.querySelector('[data-field=practical]').textContent, c.dataset.place])""")
        placed = [(p, int(place)) for p, place in shown if place]  # "": nothing marked there yet, no place
        assert placed and [place for _p, place in placed] == provisional_places([Decimal(p) for p, _pl in placed])
        board.screenshot(path=str(artifacts / "board-public-phone.png"))
        assert board.evaluate("document.documentElement.scrollWidth <= innerWidth")  # nothing sideways
        board.set_viewport_size({"width": 1280, "height": 800})
        board.screenshot(path=str(artifacts / "board-public-desktop.png"), full_page=True)
    finally:
        viewer.close()


def _forty_entrants() -> tuple[int, int]:
    """A skill of 40 entrants drawn to workstations and being marked, through the services."""
    organizer_unit = OrganizationFactory(name="省人社厅")
    organizer = person(Role.ORGANIZER_STAFF, organizer_unit, username="big_organizer")
    encryptor = person(Role.ENCRYPTION_OFFICER, organizer_unit, username="big_encryptor")
    event = EventFactory(organizer=organizer_unit, name="第9届大屏测试大赛")
    skill = SkillFactory(event=event, name="焊工")
    services.scheme_save(actor=organizer, skill=skill, modules=welding_scheme())
    services.event_transition(actor=organizer, event=event, target=Status.REGISTRATION)
    units: list[Organization] = [OrganizationFactory(name=f"参赛单位{n}") for n in range(4)]
    for unit in units:
        for _ in range(10):
            entry = services.entry_submit(actor=SYSTEM, skill=skill, unit=unit,
                                          members=[services.MemberData(contestant(unit), Group.WORKER)])
            services.entry_approve(actor=organizer, entry=entry)
    services.event_transition(actor=organizer, event=event, target=Status.CHECK_IN)
    services.venue_create(actor=organizer, event=event, name="一号赛场",
                          workstations={skill: [f"{n:02d}" for n in range(1, 41)]})
    services.draw_checkin(officer=encryptor, skill=skill, seed="big-one")
    services.draw_workstations(officer=encryptor, skill=skill, seed="big-two")
    return event.pk, skill.pk


def test_the_big_screen_shows_forty_workstations_without_scrolling(  # type: ignore[no-untyped-def]
    page, asgi_server: str, artifacts: Path
) -> None:
    event_id, skill_id = outside_the_browser_loop(_forty_entrants)
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{asgi_server}/competitions/events/{event_id}/board/?skill={skill_id}&screen=1")
    page.wait_for_selector("[data-testid=board-status][data-state=live]")
    fit = page.evaluate("""() => {
        const cards = [...document.querySelectorAll('[data-testid=board-card]')];
        const outside = cards.filter(c => { const r = c.getBoundingClientRect();
            return c.offsetParent === null || r.top < 0 || r.left < 0 || r.bottom > innerHeight + 0.5
                || r.right > innerWidth + 0.5; }).map(c => c.dataset.workstation);
        return {cards: cards.length, outside, height: document.documentElement.scrollHeight, inner: innerHeight,
                width: document.documentElement.scrollWidth, innerWidth};
    }""")
    assert fit["cards"] == 40 and fit["outside"] == [], fit
    assert fit["height"] <= fit["inner"] and fit["width"] <= fit["innerWidth"], fit
    page.screenshot(path=str(artifacts / "board-screen-1920.png"))
