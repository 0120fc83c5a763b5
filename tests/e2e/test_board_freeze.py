"""The organizer freezes the demo event's public board on its event page, reveals the next workstation and thaws
it (competitions.services.freeze; templates/competitions/event_manage.html), on a desktop and on a phone."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from competitions import demo
from competitions.models import BoardFreeze, Event
from tests.e2e.steps import follow, outside_the_browser_loop, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_organizer_freezes_reveals_the_next_and_thaws_the_public_board(  # type: ignore[no-untyped-def]
    browser, page, live_server, demo_data, artifacts: Path
) -> None:
    event_id = outside_the_browser_loop(lambda: Event.objects.get(name=demo.EVENT_NAME).pk)
    base = live_server.url
    sign_in(page, base, "organizer")
    page.goto(f"{base}/competitions/events/{event_id}/manage/")
    section = page.locator("[data-testid=board-freeze]")
    assert section.get_attribute("data-frozen") == "no"
    form = section.locator("[data-testid=freeze-form]")
    form.locator("input[name=reason]").fill("最后一小时封榜")
    tomorrow = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%d")
    form.locator("input[name=planned_thaw_at]").fill(f"{tomorrow}T15:00")
    asked: list[str] = []

    def answer(dialog) -> None:  # type: ignore[no-untyped-def]
        asked.append(dialog.message)
        dialog.accept()

    page.once("dialog", answer)
    follow(page, form.locator("button[type=submit]"))
    assert asked and page.locator(".messages li[data-code=done]").count() == 1
    section = page.locator("[data-testid=board-freeze]")
    assert section.get_attribute("data-frozen") == "yes"
    assert "最后一小时封榜" in section.inner_text() and f"{tomorrow} 15:00" in section.inner_text()
    next_one = section.locator("[data-testid=next-reveal]").inner_text()
    assert "工位" in next_one and "还剩" in next_one
    section.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "board-freeze-desktop.png"), full_page=True)
    follow(page, section.locator("[data-testid=reveal-next] button[type=submit]"))
    assert page.locator(".messages li[data-code=done]").count() == 1
    assert page.locator("[data-testid=freeze-revealed]").inner_text() == "1"
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(artifacts / "board-freeze-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.once("dialog", answer)
    follow(page, page.locator("[data-testid=thaw-all] button[type=submit]"))
    assert page.locator("[data-testid=board-freeze]").get_attribute("data-frozen") == "no"
    freezes = outside_the_browser_loop(lambda: list(BoardFreeze.objects.filter(event_id=event_id)
                                                    .values_list("reason", "thawed_at", "revealed")))
    [(reason, thawed_at, revealed)] = freezes
    assert reason == "最后一小时封榜" and thawed_at is not None and len(revealed) == 1
