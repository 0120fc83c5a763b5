"""The demo enterprise's HR files a demand checklist in the browser: one post with a skill point added by the
page's script, a refused try first (head-count 0, shown beside the field), then saved, submitted and listed
(issue 14 item 3); screenshots on a desktop and a phone."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone

from talentpool.models import ChecklistStatus, DemandChecklist
from tests.e2e.axe import violations
from tests.e2e.steps import follow, outside_the_browser_loop, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_enterprise_files_a_demand_checklist(page, browser, live_server, demo_data, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    year = timezone.localdate().year + 1  # the demo's checklist of this year is filed already
    sign_in(page, live_server.url, "enterprise")
    page.goto(f"{live_server.url}/talentpool/checklists/demand/")
    new = page.locator("[data-testid=new-checklist]")
    new.locator("input[name=year]").fill(str(year))
    follow(page, new.locator("button[type=submit]"))

    form = page.locator("[data-testid=demand-form]")
    form.locator("select[name=nature]").select_option("chain_leader")
    form.locator("input[name=contact_person]").fill("赵立群")
    form.locator("input[name=contact_phone]").fill("0531-83216688")
    form.locator("input[name=chains][value=high-end-equipment]").check()
    post = form.locator("[data-post]").first
    post.locator("input[name=posts-name]").fill("机器人焊接操作工")
    post.locator("input[name=posts-occupation_code]").fill("6-18-02-04")
    post.locator("input[name=posts-headcount]").fill("0")
    post.locator("select[name=posts-level]").select_option("四级/中级工")
    post.locator("[data-add-skill]").click()
    skill = post.locator("[data-skill]").first
    skill.locator("input[name=skills-name]").fill("焊接机器人示教编程")
    skill.locator("select[name=skills-must_have]").select_option("1")
    follow(page, form.locator("[data-testid=save]"))

    cell = page.locator('[data-field="posts[0].headcount"]')
    assert "必须大于 0" in cell.inner_text()
    assert page.locator("input[name=skills-name]").first.input_value() == "焊接机器人示教编程"
    page.locator('[data-field="posts[0].headcount"] input').fill("6")
    page.screenshot(path=str(artifacts / "checklist-demand-form.png"), full_page=True)
    assert violations(page) == []  # the form with its errors shown
    follow(page, page.locator("[data-testid=save]"))

    assert "需求清单已保存" in page.locator(".messages").inner_text()
    assert "焊接机器人示教编程 · 必备" in page.locator("[data-testid=posts]").inner_text()
    assert violations(page) == []  # the checklist's page
    follow(page, page.locator("[data-testid=submit]"))
    assert page.locator("[data-testid=status]").get_attribute("data-status") == "submitted"
    page.goto(f"{live_server.url}/talentpool/checklists/demand/")
    checklist = outside_the_browser_loop(lambda: DemandChecklist.objects.get(year=year))
    row = page.locator(f"tr[data-checklist='{checklist.pk}']")
    assert str(year) in row.inner_text() and "已报送" in row.inner_text()
    assert checklist.status == ChecklistStatus.SUBMITTED
    assert outside_the_browser_loop(lambda: list(checklist.posts.values_list("headcount", flat=True))) == [6]
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/talentpool/checklists/demand/{checklist.pk}/edit/")
    page.screenshot(path=str(artifacts / "checklist-demand-phone.png"), full_page=False)
    assert violations(page) == []
