"""The live board in the browser (issue 11 item 2, browser tests (a), (c) and (d)).

pytest-django's live_server is WSGI and serves no websocket, so these tests run the real ASGI application in
daphne (tests/e2e/conftest.py `asgi_server`).

(a) A referee enters a mark on the marking page; a second browser showing the public board updates without a
    reload: the new figure appears, and a marker set on `window` before the mark survives.
(c) A frozen public board stands still while the jury board moves; thawing brings the public board up to date.
(d) The big screen at 1920×1080 shows every workstation of a 40-entrant skill with no scrolling: the page is no
    taller than the window and each card lies inside it.
Screenshots (desktop, phone, big screen) go to var/e2e/.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from accounts.actors import SYSTEM
from accounts.models import Organization, Role
from competitions import demo, services
from competitions.domain.board import provisional_places
from competitions.models import Event, Group, Skill, Status
from tests.accounts.factories import OrganizationFactory, person
from tests.competitions.factories import EventFactory, SkillFactory, contestant, welding_scheme
from tests.e2e.steps import follow, mark_on_page, outside_the_browser_loop, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

def _electrician() -> tuple[int, int]:
    skill = Skill.objects.get(event=Event.objects.get(name=demo.EVENT_NAME), name="电工")
    return skill.event_id, skill.pk


def _an_open_cell(page, base: str, skill_id: int) -> tuple[str, str, str]:  # type: ignore[no-untyped-def]
    """The demo referee's first cell not yet marked on the marking page, and a value to give it (its highest
    button, or 1 for a typed value)."""
    sign_in(page, base, "referee")
    page.goto(f"{base}/competitions/skills/{skill_id}/marking/")
    cell = page.locator("[data-cell][data-state]:not([data-state=saved])").first
    choices = cell.locator("button[name=value]")
    value = str(choices.last.get_attribute("value")) if choices.count() else "1"
    return str(cell.get_attribute("data-workstation")), str(cell.get_attribute("data-aspect")), value


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

        workstation_no, aspect, value = _an_open_cell(page, asgi_server, skill_id)
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


def _practical(page, workstation_no: str) -> str:  # type: ignore[no-untyped-def]
    card = page.locator(f'[data-testid=board-card][data-workstation="{workstation_no}"]')
    return str(card.locator("[data-field=practical]").inner_text())


def _seq(page) -> int:  # type: ignore[no-untyped-def]
    return int(page.evaluate("Number(document.querySelector('[data-board]').dataset.seq)"))


def test_a_frozen_public_board_stands_still_while_the_jury_board_moves_and_the_thaw_brings_it_up(  # type: ignore[no-untyped-def]
    browser, page, demo_data, asgi_server: str, artifacts: Path
) -> None:
    """(c): the organizer freezes the board on the event page; a referee's marks move the jury board (and its
    pending count) but not the public one, whose seq and figures stay; 全部揭晓 brings the public board to the
    jury's figures, without a reload."""
    event_id, skill_id = outside_the_browser_loop(_electrician)
    public_context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    organizer_context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
    public = public_context.new_page()
    organizer = organizer_context.new_page()
    for opened in (public, organizer):
        opened.set_default_timeout(15_000)
    organizer.on("dialog", lambda dialog: dialog.accept())
    try:
        public.goto(f"{asgi_server}/competitions/events/{event_id}/board/?skill={skill_id}")
        public.wait_for_selector("[data-testid=board-status][data-state=live]")
        public.evaluate("window.boardMarker = 'still here'")

        sign_in(organizer, asgi_server, "organizer")
        organizer.goto(f"{asgi_server}/competitions/events/{event_id}/manage/")
        form = organizer.locator("[data-testid=board-freeze] [data-testid=freeze-form]")
        form.locator("input[name=reason]").fill("颁奖典礼前封榜")
        follow(organizer, form.locator("button[type=submit]"))
        assert organizer.locator("[data-testid=board-freeze]").get_attribute("data-frozen") == "yes"
        public.wait_for_selector("[data-testid=board-frozen]:not([hidden])")
        assert "封榜中" in public.locator("[data-testid=board-frozen]").inner_text()
        jury = organizer_context.new_page()
        jury.set_default_timeout(15_000)
        jury.goto(f"{asgi_server}/competitions/events/{event_id}/board/jury/?skill={skill_id}")
        jury.wait_for_selector("[data-testid=board-status][data-state=live]")
        assert "0 条待揭晓" in jury.locator("[data-testid=board-frozen]").inner_text()
        public_seq = _seq(public)

        workstation_no, aspect, value = _an_open_cell(page, asgi_server, skill_id)
        public_before, jury_before = _card_text(public, workstation_no), _card_text(jury, workstation_no)
        jury_seq = _seq(jury)
        mark_on_page(page, workstation_no, aspect, value)

        jury.wait_for_function("(seq) => Number(document.querySelector('[data-board]').dataset.seq) > seq",
                               arg=jury_seq)
        assert _card_text(jury, workstation_no) != jury_before  # the jury board moved
        assert "1 条待揭晓" in jury.locator("[data-testid=board-frozen]").inner_text()
        public.wait_for_timeout(1500)  # several sequencer ticks and a heartbeat's worth of nothing
        assert _seq(public) == public_seq and _card_text(public, workstation_no) == public_before
        public.screenshot(path=str(artifacts / "board-frozen-phone.png"))
        jury.screenshot(path=str(artifacts / "board-frozen-jury.png"))

        organizer.bring_to_front()
        follow(organizer, organizer.locator("[data-testid=thaw-all] button[type=submit]"))
        assert organizer.locator("[data-testid=board-freeze]").get_attribute("data-frozen") == "no"
        public.wait_for_selector("[data-testid=board-frozen][hidden]", state="attached")
        public.wait_for_function(
            "([no, want]) => { const c = document.querySelector(`[data-testid=board-card][data-workstation='${no}'] "
            "[data-field=practical]`); return c && c.textContent === want; }",
            arg=[workstation_no, _practical(jury, workstation_no)])
        assert public.evaluate("window.boardMarker") == "still here"  # no reload: the page took the thaw live
        assert _card_text(public, workstation_no) != public_before
    finally:
        public_context.close()
        organizer_context.close()
