"""The offline referee console in the browser (issue 11 item 1; competitions.views.console), on the demo's 电工
(being marked: E1, E2 full or zero 0/25, E3 a 24 V output voltage and E4 an insulation resistance by tolerance),
with the service worker allowed, on http://localhost (a secure context, as service workers need):

- (b) the tablet goes offline, three marks are entered, the page is reloaded still offline and still works with
  the three marks shown waiting; back online, the server holds exactly those three marks once each and the page
  shows them confirmed;
- a mark refused while it waited (the chief signs the sheet off meanwhile) is shown refused with its reason after
  reconnecting, survives a reload, and goes only when the referee dismisses it;
- a lost reply (the request reached the server, the answer did not) is resent with the same idempotency key and
  the server holds one mark; signing out then leaves no kept page and no marks database on the tablet;
- screenshots on a tablet both ways (1024×768, 768×1024) and a phone, online and offline, every control at least
  44 pixels and nothing scrolling sideways."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from accounts.models import User
from competitions import demo, services
from competitions.models import Event, Mark, MarkRevision, Sheet, Skill
from tests.e2e.steps import outside_the_browser_loop, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TABLET = {"width": 1024, "height": 768}
VIEWPORTS = {"tablet-landscape": TABLET, "tablet-portrait": {"width": 768, "height": 1024},
             "phone": {"width": 390, "height": 844}}
WAITING = ("local", "sent")
CSP_REFUSALS: list[str] = []


@pytest.fixture(autouse=True)
def _no_csp_refusals():  # type: ignore[no-untyped-def]
    CSP_REFUSALS.clear()
    yield
    assert CSP_REFUSALS == []


def _electrician() -> int:
    return Skill.objects.get(event=Event.objects.get(name=demo.EVENT_NAME), name="电工").pk


def _marks(workstation_no: str, code: str) -> list[tuple[str, int]]:
    """The referee's marks of one cell as stored: (value, revisions) each; one mark at most by the constraints."""
    return [(format(m.value.normalize(), "f"), MarkRevision.objects.filter(mark=m).count())
            for m in Mark.objects.filter(entry__skill__name="电工", entry__workstation_no=workstation_no,
                                         aspect__code=code, referee__username="referee")]


def _cell(page, workstation_no: str, code: str):  # type: ignore[no-untyped-def]
    return page.locator(f'[data-ccell][data-workstation="{workstation_no}"][data-aspect="{code}"]')


def _state(page, workstation_no: str, code: str) -> str:  # type: ignore[no-untyped-def]
    return str(_cell(page, workstation_no, code).get_attribute("data-state"))


def _enter(page, workstation_no: str, code: str, value: str) -> None:  # type: ignore[no-untyped-def]
    """One mark as a referee enters it: a tap on its choice, or typed and Enter."""
    cell = _cell(page, workstation_no, code)
    field = cell.locator("input[name=value]")
    if field.count():
        field.fill(value)
        field.press("Enter")
    else:
        cell.locator(f'button[data-choice="{value}"]').click()
    page.wait_for_function(
        "([no, code]) => { const c = document.querySelector(`[data-ccell][data-workstation='${no}']"
        "[data-aspect='${code}']`); return c && c.dataset.state !== 'unmarked' && c.dataset.state !== 'server'; }",
        arg=[workstation_no, code])


def _open_console(browser, base: str, skill: int, viewport: dict[str, int] | None = None):  # type: ignore[no-untyped-def]
    """A tablet's browser with service workers allowed, signed in as the referee, on the console, once the service
    worker has kept the page for offline use."""
    size = viewport or TABLET
    context = browser.new_context(locale="zh-CN", viewport=size, service_workers="allow",
                                  is_mobile=size["width"] < 600, has_touch=size["width"] < 1280)
    page = context.new_page()
    page.set_default_timeout(60_000)  # a shared, loaded machine
    # Nothing the console does may be refused by the Content-Security-Policy (script, style, worker, manifest).
    page.on("console", lambda message: "Content Security Policy" in message.text
            and CSP_REFUSALS.append(f"{page.url}: {message.text}"))
    sign_in(page, base, "referee")
    page.goto(f"{base}/competitions/skills/{skill}/console/")
    page.wait_for_selector("[data-console][data-offline-ready='1']")
    return context, page


def _unmarked(page, code: str, count: int) -> list[str]:  # type: ignore[no-untyped-def]
    return page.eval_on_selector_all(
        f"[data-ccell][data-aspect={code}][data-state=unmarked]", "cells => cells.map(c => c.dataset.workstation)"
    )[:count]


def _pending(page) -> int:  # type: ignore[no-untyped-def]
    return int(page.locator("[data-console-pending]").inner_text())


def test_b_marks_entered_offline_survive_a_reload_and_reach_the_server_once_each(  # type: ignore[no-untyped-def]
    browser, live_server, demo_data, artifacts: Path
) -> None:
    assert live_server.url.startswith("http://localhost:")  # a secure context: service workers run
    skill = outside_the_browser_loop(_electrician)
    context, page = _open_console(browser, live_server.url, skill)
    try:
        context.set_offline(True)
        page.wait_for_selector("[data-console-net][data-net=offline]")
        e1, e3, e4 = _unmarked(page, "E1", 1)[0], _unmarked(page, "E3", 1)[0], _unmarked(page, "E4", 1)[0]
        typed = [(e1, "E1", "25"), (e3, "E3", "24.1"), (e4, "E4", "5")]
        for no, code, value in typed:
            _enter(page, no, code, value)
        assert _pending(page) == 3
        assert [_state(page, no, code) in WAITING for no, code, _ in typed] == [True] * 3

        page.reload()  # still offline: the service worker answers with the kept page
        page.wait_for_selector("[data-console][data-loaded='1']")
        assert page.locator("[data-console-net]").get_attribute("data-net") == "offline"
        assert _pending(page) == 3
        for no, code, value in typed:
            assert _state(page, no, code) in WAITING
            assert _cell(page, no, code).locator("[data-cell-value]").inner_text() == value
        page.screenshot(path=str(artifacts / "console-offline-after-reload.png"))
        assert outside_the_browser_loop(lambda: [_marks(no, code) for no, code, _ in typed]) == [[], [], []]

        context.set_offline(False)
        page.wait_for_function("() => document.querySelector('[data-console]').dataset.pending === '0'")
        assert [_state(page, no, code) for no, code, _ in typed] == ["confirmed"] * 3
        assert page.locator("[data-console-net]").get_attribute("data-net") == "online"
        stored = outside_the_browser_loop(lambda: [_marks(no, code) for no, code, _ in typed])
        assert stored == [[(value, 1)] for _, _, value in typed]  # each mark once, one revision each
        page.screenshot(path=str(artifacts / "console-back-online.png"))

        # A reload online shows what the server holds, nothing waiting.
        page.reload()
        page.wait_for_selector("[data-console][data-loaded='1']")
        assert _pending(page) == 0
        assert [_state(page, no, code) for no, code, _ in typed] == ["server"] * 3
    finally:
        context.close()


def _complete_m1(skill: int) -> str:
    """A workstation of the referee's whose module M1 (E1, E2) he has marked completely: its sheet can be signed."""
    def marked(code: str) -> set[str]:
        return set(Mark.objects.filter(entry__skill_id=skill, referee__username="referee", aspect__code=code)
                   .values_list("entry__workstation_no", flat=True))

    return sorted(marked("E1") & marked("E2"))[0]


def _sign_off(skill: int, workstation_no: str) -> None:
    sheet = Sheet.objects.get(entry__skill_id=skill, entry__workstation_no=workstation_no, module__code="M1")
    services.sheet_sign_off(chief=User.objects.get(username="chief"), sheet_id=sheet.pk, confirmations={})


def test_a_mark_refused_while_queued_is_shown_with_its_reason_until_dismissed(  # type: ignore[no-untyped-def]
    browser, live_server, demo_data, artifacts: Path
) -> None:
    skill = outside_the_browser_loop(_electrician)
    workstation_no = outside_the_browser_loop(lambda: _complete_m1(skill))
    before = outside_the_browser_loop(lambda: _marks(workstation_no, "E1"))
    context, page = _open_console(browser, live_server.url, skill)
    try:
        assert _state(page, workstation_no, "E1") == "server"
        old = _cell(page, workstation_no, "E1").locator("[data-cell-value]").inner_text()
        new = "0" if old == "25" else "25"
        context.set_offline(True)
        _enter(page, workstation_no, "E1", new)
        assert _pending(page) == 1
        outside_the_browser_loop(lambda: _sign_off(skill, workstation_no))  # the chief signs the sheet off meanwhile

        context.set_offline(False)
        refusal = _cell(page, workstation_no, "E1").locator("[data-refusals] li")
        refusal.wait_for()
        assert _state(page, workstation_no, "E1") == "refused" and _pending(page) == 0
        assert refusal.get_attribute("data-code") == "mark.sheet_locked"
        assert "已签字锁定" in refusal.inner_text() and new in refusal.inner_text()
        assert outside_the_browser_loop(lambda: _marks(workstation_no, "E1")) == before  # nothing written
        page.screenshot(path=str(artifacts / "console-refused.png"))

        page.reload()  # kept on the tablet: the refusal is still there, with its reason
        page.wait_for_selector("[data-console][data-loaded='1']")
        refusal = _cell(page, workstation_no, "E1").locator("[data-refusals] li")
        assert refusal.count() == 1 and "已签字锁定" in refusal.inner_text()
        assert _state(page, workstation_no, "E1") == "locked"  # the page now says the sheet is signed off

        refusal.locator("button[data-dismiss]").click()
        page.wait_for_function(
            f"() => !document.querySelector('[data-ccell][data-workstation=\"{workstation_no}\"][data-aspect=E1] "
            f"[data-refusals] li')")
        page.reload()
        page.wait_for_selector("[data-console][data-loaded='1']")
        assert _cell(page, workstation_no, "E1").locator("[data-refusals] li").count() == 0
    finally:
        context.close()


def _kept(page) -> list[list[str]]:  # type: ignore[no-untyped-def]
    """The console's caches and IndexedDB databases the browser holds for this site."""
    return page.evaluate("""async () => [
        (await caches.keys()).filter(n => n.startsWith('skills-console-')),
        (await indexedDB.databases()).map(d => d.name).filter(n => n.startsWith('skills-console-'))]""")


def test_a_lost_reply_is_resent_with_the_same_key_and_the_server_holds_one_mark(  # type: ignore[no-untyped-def]
    browser, live_server, demo_data
) -> None:
    skill = outside_the_browser_loop(_electrician)
    context, page = _open_console(browser, live_server.url, skill)
    sent: list[dict[str, str]] = []
    lost: list[int] = []

    def lose_the_first_reply(route) -> None:  # type: ignore[no-untyped-def]
        sent.append(json.loads(route.request.post_data or "{}"))
        if lost:
            route.continue_()
            return
        answer = route.fetch()  # the request reaches the server and is recorded …
        lost.append(answer.status)
        route.abort("connectionreset")  # … and its answer never reaches the tablet

    try:
        context.route("**/api/v1/competitions/skills/*/marks", lose_the_first_reply)
        workstation_no = _unmarked(page, "E3", 1)[0]
        _enter(page, workstation_no, "E3", "23.9")
        page.wait_for_function("() => document.querySelector('[data-console]').dataset.pending === '0'")
        assert _state(page, workstation_no, "E3") == "confirmed"
        assert lost == [201] and len(sent) >= 2
        assert len({body["idempotency_key"] for body in sent}) == 1  # every resend carries the first key
        assert outside_the_browser_loop(lambda: _marks(workstation_no, "E3")) == [("23.9", 1)]

        # Signing out leaves nothing of the referee on the tablet: no kept page, no marks database.
        assert _kept(page) != [[], []]
        page.click("form[action$='/logout/'] button")
        page.wait_for_url(f"{live_server.url}/accounts/login/")
        assert _kept(page) == [[], []]
    finally:
        context.close()


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_the_console_fits_tablets_and_phones_online_and_offline(  # type: ignore[no-untyped-def]
    browser, live_server, demo_data, artifacts: Path, viewport: str
) -> None:
    skill = outside_the_browser_loop(_electrician)
    size = VIEWPORTS[viewport]
    context, page = _open_console(browser, live_server.url, skill, size)
    try:
        # His group's ten workstations, four aspects each, as on the marking page.
        assert page.locator("[data-ccell]").count() == 40
        assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
        small = page.evaluate(
            """(width) => Array.from(document.querySelectorAll(
                 '[data-testid=console] button, [data-testid=console] input, .console-jump a'))
               .filter(el => el.offsetParent !== null)
               .map(el => [el, el.getBoundingClientRect()])
               // the workstation row of a phone scrolls sideways inside itself: its links are measured, not placed
               .filter(([el, r]) => r.height < 44 || r.width < 44
                       || (!el.closest('.console-jump') && (r.left < 0 || r.right > width + 0.5)))
               .map(([el, r]) => `${el.id || el.tagName} ${Math.round(r.width)}×${Math.round(r.height)}`)""",
            size["width"])
        assert small == []
        page.screenshot(path=str(artifacts / f"console-{viewport}-online.png"))
        context.set_offline(True)
        workstation_no = _unmarked(page, "E3", 1)[0]
        _cell(page, workstation_no, "E3").scroll_into_view_if_needed()
        _enter(page, workstation_no, "E3", "24.2")
        assert _pending(page) == 1
        page.screenshot(path=str(artifacts / f"console-{viewport}-offline.png"))
        assert Decimal(_cell(page, workstation_no, "E3").locator("[data-cell-value]").inner_text()) == Decimal("24.2")
    finally:
        context.close()
