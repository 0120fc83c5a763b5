"""An enterprise's HR uploads a roster of 400 contestants on the Excel page: the page hands it to a background task
and shows its progress bar, which ends at 100% with what was imported (issue 8 item 6)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from accounts.models import Organization, User
from competitions import services
from competitions.models import Entry, Skill, Status
from tests.competitions import rosters
from tests.competitions.factories import EventFactory, SkillFactory, welding_scheme
from tests.e2e.steps import outside_the_browser_loop, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

UNIT = "鲁中重型机械股份有限公司"  # the demo `enterprise` HR's unit


def _open_registration() -> Skill:
    organizer = User.objects.get(username="organizer")
    unit = organizer.memberships.get().organization
    event = EventFactory(organizer=unit, name="第三届技能兴鲁职业技能大赛", starts_on=date(2026, 11, 20),
                         ends_on=date(2026, 11, 21))
    skill = SkillFactory(event=event, name="钳工", min_age=18, max_age=60)
    services.scheme_save(actor=organizer, skill=skill, modules=welding_scheme())
    services.event_transition(actor=organizer, event=event, target=Status.REGISTRATION)
    return skill


def test_a_big_roster_uploaded_on_the_page_ends_on_a_full_progress_bar(  # type: ignore[no-untyped-def]
    page, live_server, demo_data, artifacts: Path, tmp_path: Path
) -> None:
    assert Organization.objects.filter(name=UNIT).exists()
    skill = outside_the_browser_loop(_open_registration)
    upload = tmp_path / "报名表.xlsx"
    upload.write_bytes(rosters.workbook(rosters.roster_rows(400, unit=UNIT)))

    sign_in(page, live_server.url, "enterprise")
    page.goto(f"{live_server.url}/competitions/skills/{skill.pk}/excel/")
    page.set_input_files("input[name=file]", str(upload))
    page.click("text=导入报名表")
    page.wait_for_url(f"{live_server.url}/tasks/**")
    assert page.locator("[data-testid=task-progress]").get_attribute("data-status") == "queued"
    assert "导入报名表：钳工（400 行）" in page.locator("h1").inner_text()

    # In this thread: the worker installs signal handlers, which only the main thread may (the import itself hands
    # nothing to the channel layer, so Playwright's loop beside it is no matter).
    call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", verbosity=0)

    page.wait_for_selector("[data-testid=task-progress][data-status=succeeded]")  # htmx polls once a second
    assert page.locator("[role=progressbar]").get_attribute("aria-valuenow") == "100"
    assert "100%（400/400）" in page.locator("[data-testid=task-progress]").inner_text()
    assert page.locator("[data-testid=task-summary]").inner_text() == "已导入 400 条报名。"
    page.screenshot(path=str(artifacts / "big-import-done.png"), full_page=True)
    assert outside_the_browser_loop(lambda: Entry.objects.filter(skill=skill).count()) == 400
    page.click("text=返回")
    page.wait_for_url(f"{live_server.url}/competitions/skills/{skill.pk}/excel/")
