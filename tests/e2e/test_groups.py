"""Marking groups in the browser, on the demo event (issue 9 item 5): the chief sees 电工's groups placed and 焊工's
too-small warning, on a desktop and a phone; the referee's phone shows only his group's workstations."""

from __future__ import annotations

from pathlib import Path

import pytest

from competitions import demo
from competitions.models import Entry, Event, MarkingGroup, Skill
from tests.e2e.steps import outside_the_browser_loop, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _demo() -> tuple[int, int, set[str], set[str]]:
    """焊工's and 电工's ids, the referee's group's block, and 鲁中重机's workstations in 电工."""
    event = Event.objects.get(name=demo.EVENT_NAME)
    welding, electrician = (Skill.objects.get(event=event, name=n) for n in ("焊工", "电工"))
    block = set(MarkingGroup.objects.get(skill=electrician, assignments__referee__username="referee").workstation_nos)
    own = set(Entry.objects.filter(skill=electrician, unit__name="鲁中重型机械股份有限公司")
              .values_list("workstation_no", flat=True))
    return welding.pk, electrician.pk, block, own


def test_the_chief_sees_the_groups_placed_and_the_referee_only_his_block(  # type: ignore[no-untyped-def]
    browser, live_server, demo_data, artifacts: Path
) -> None:
    welding, electrician, block, own = outside_the_browser_loop(_demo)
    assert len(block) == 10 and not block & own
    for name, viewport in (("desktop", {"width": 1280, "height": 800}), ("phone", {"width": 390, "height": 844})):
        context = browser.new_context(locale="zh-CN", viewport=viewport)
        page = context.new_page()
        page.set_default_timeout(90_000)  # a shared, loaded machine
        sign_in(page, live_server.url, "chief")
        page.goto(f"{live_server.url}/competitions/skills/{electrician}/groups/")
        assert page.locator("[data-testid=groups-state]").get_attribute("data-placed") == "true"
        assert [s.get_attribute("data-size") for s in page.locator("[data-testid=group]").all()] == ["10", "10"]
        assert not any(f">{no}<" in page.content() for no in block)  # the chief never sees a block
        page.screenshot(path=str(artifacts / f"groups-chief-{name}.png"), full_page=True)
        page.goto(f"{live_server.url}/competitions/skills/{welding}/groups/")
        assert page.locator("[data-testid=groups-state]").get_attribute("data-placed") == "false"
        context.close()

    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(90_000)
    sign_in(page, live_server.url, "referee")
    page.goto(f"{live_server.url}/competitions/skills/{electrician}/marking/")
    shown = {card.get_attribute("data-workstation") for card in page.locator("[data-testid=workstation]").all()}
    assert shown == block
    assert {cell.get_attribute("data-workstation") for cell in page.locator("[data-cell]").all()} == block
    page.screenshot(path=str(artifacts / "groups-referee-phone.png"), full_page=True)
    context.close()
