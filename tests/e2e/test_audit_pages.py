"""The audit pages in the browser, on the demo (issue 10 item 7): the organizer finds a skill by its name, opens its
history and reads the changes as labelled fields with their values in words, on a desktop and a phone."""

from __future__ import annotations

from pathlib import Path

import pytest

from competitions import demo
from tests.e2e.steps import follow, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_the_organizer_finds_a_skill_by_name_and_reads_its_history_in_words(  # type: ignore[no-untyped-def]
    browser, live_server, demo_data, artifacts: Path, viewport: str
) -> None:
    context = browser.new_context(locale="zh-CN", viewport=VIEWPORTS[viewport], is_mobile=viewport == "phone")
    page = context.new_page()
    page.set_default_timeout(60_000)  # a shared, loaded machine
    try:
        sign_in(page, live_server.url, "organizer")
        page.goto(f"{live_server.url}/audit/")
        page.get_by_label("按名称查找").fill("汽车维修")
        follow(page, page.locator("[data-testid=audit-search] button[type=submit]"))
        hits = page.locator("[data-testid=audit-hit][data-kind='competitions.skill']")
        assert hits.count() == 1  # the catalogue's occupation of the same name is found too, under its own kind
        assert "赛项" in hits.first.inner_text() and demo.REVIEW_SKILL in hits.first.inner_text()
        page.screenshot(path=str(artifacts / f"audit-search-{viewport}.png"), full_page=True)
        follow(page, hits.first.locator("a"))

        assert page.get_by_test_id("audit-heading").inner_text() == f"赛项：{demo.REVIEW_SKILL} · 变更记录"
        created = page.locator("[data-testid=audit-entry][data-action='competitions.skill.created']")
        assert created.get_by_test_id("audit-action").inner_text() == "赛项已创建"
        group = created.locator("tr[data-key=group]")
        assert group.locator("th").inner_text() == "组别" and group.locator("td[data-col=new]").inner_text() == "职工组"
        # Into review (公示): only the status changed, old → new by their labels; no raw JSON anywhere.
        moves = page.locator("[data-testid=audit-entry][data-action='competitions.skill.status_changed']")
        into_review = moves.last
        status = into_review.locator("tr[data-key=status]")
        assert status.locator("td[data-col=old]").inner_text() == "评分"
        assert status.locator("td[data-col=new]").inner_text() == "成绩公示"
        assert into_review.locator("tr[data-key=review_until] th").inner_text() == "公示截止"
        assert "{'status'" not in page.content() and '"status":' not in page.content()
        if viewport == "phone":  # the page itself stays within the phone's width
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(artifacts / f"audit-history-{viewport}.png"), full_page=True)
    finally:
        context.close()
