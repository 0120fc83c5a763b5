"""Issue 10 items 1, 2 and 6 in the browser, pages only, on a desktop and on a 390×844 phone: a unit registers
people (three new ones by Excel, one of its own by the one-by-one form), the organizer rejects one with a reason
and approves the rest in bulk, the unit sees each entry's status and the reason; a logged-out visitor lands on the
front door, follows the results link, and finds the 登录 link there too."""

from __future__ import annotations

from pathlib import Path

import pytest

from accounts.models import Organization, User
from competitions import demo, services
from competitions.models import Entry, EntryStatus, Event, Group, Skill, Status
from competitions.services import AspectData, ModuleData
from tests.competitions.rosters import roster_rows, workbook
from tests.e2e.steps import follow, outside_the_browser_loop, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

UNIT = "鲁中重型机械股份有限公司"
EVENT = "济南市第三届职业技能大赛（报名测试）"
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _open_event() -> int:
    """An event of the demo organizer in registration, with one skill (数控车工) and a complete scheme."""
    from datetime import date
    from decimal import Decimal

    from competitions.models import CompetitionLevel, MarkingMethod

    organizer = User.objects.get(username="organizer")
    unit = Organization.objects.get(name=demo.ORGANIZER)
    event = services.event_create(actor=organizer, organizer=unit, data=services.EventData(
        name=EVENT, level=CompetitionLevel.CITY, starts_on=date(2027, 5, 10), ends_on=date(2027, 5, 11)))
    skill = services.skill_create(actor=organizer, event=event, data=services.SkillData(
        name="数控车工", occupation_code="6-18-01-01", group=Group.WORKER))
    services.scheme_save(actor=organizer, skill=skill, modules=[ModuleData("M1", "零件加工", (
        AspectData("A1", Decimal(100), MarkingMethod.FULL_OR_ZERO, "尺寸合格"),))])
    services.event_transition(actor=organizer, event=event, target=Status.REGISTRATION)
    return skill.pk


def _open_menu(page) -> None:  # type: ignore[no-untyped-def]
    toggle = page.locator("label.nav-toggle-label")
    if toggle.is_visible():
        toggle.click()


def _shot(page, artifacts: Path, name: str, viewport: str) -> None:  # type: ignore[no-untyped-def]
    page.screenshot(path=str(artifacts / f"{name}-{viewport}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[viewport]["width"] + 1, name


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_a_unit_registers_the_organizer_decides_and_the_unit_sees_why(  # type: ignore[no-untyped-def]
    browser, live_server, demo_data, artifacts: Path, viewport: str
) -> None:
    skill_id = outside_the_browser_loop(_open_event)
    base = live_server.url
    context = browser.new_context(locale="zh-CN", viewport=VIEWPORTS[viewport], is_mobile=viewport == "phone")
    page = context.new_page()
    page.set_default_timeout(15_000)

    # The unit: from the menu to its page, the open event, three new people by Excel.
    sign_in(page, base, "enterprise")
    assert page.locator("[data-code='competitions.registration_open']").count() == 1
    _open_menu(page)
    follow(page, "a[data-nav=competitions_unit]")
    skill_row = page.locator(f"[data-testid=open-skill][data-skill='{skill_id}']")
    assert skill_row.count() == 1
    _shot(page, artifacts, "unit-registrations", viewport)
    skill_row.locator("[data-testid=register-excel]").click()
    data = workbook(roster_rows(3, unit=UNIT, seed=31))
    page.set_input_files("form[action$='/roster/import/'] input[type=file]",
                         files=[{"name": "报名表.xlsx", "mimeType": XLSX, "buffer": data}])
    follow(page, "form[action$='/roster/import/'] button[type=submit]")
    assert "已导入 3 条报名" in page.locator(".messages").inner_text()

    # One of its own people, one by one.
    page.goto(f"{base}/competitions/skills/{skill_id}/register/")
    page.locator("[data-testid=member-option]:not([disabled])").first.check()
    chosen = page.locator("label.check", has=page.locator("[data-testid=member-option]:checked")).inner_text()
    _shot(page, artifacts, "register-one", viewport)
    follow(page, "[data-testid=register-submit]")
    assert page.locator(".messages li[data-code='entry.submitted']").count() == 1
    entries = page.locator(f"[data-testid=unit-entry][data-skill='{skill_id}'][data-status=submitted]")
    assert entries.count() == 4
    page.click("form[action$='/logout/'] button")
    page.wait_for_url(f"{base}/accounts/login/")

    # The organizer: from the home page's item to the list of entries waiting, rejects one, approves the rest.
    sign_in(page, base, "organizer")
    follow(page, page.locator("[data-code='competitions.entries_to_review']", has_text=EVENT).locator("a"))
    rows = page.locator("[data-testid=registration-row]")
    assert rows.count() == 4
    one_by_one = rows.filter(has_text=chosen.split()[0])
    one_by_one.locator("[data-testid=row-reason]").fill("缺少在职证明，请补交后重新报名")
    follow(page, one_by_one.locator("[data-testid=row-reject]"))
    assert page.locator(".messages li[data-code='entry.rejected']").count() == 1
    assert page.locator("[data-testid=registration-row]").count() == 3  # still filtered to the ones waiting
    page.check("[data-testid=select-all]")
    _shot(page, artifacts, "registrations-bulk", viewport)
    follow(page, "[data-testid=bulk-approve]")
    assert page.locator(".messages li[data-code='entries.approved']").count() == 1
    assert page.locator("[data-testid=registration-row]").count() == 0

    # The same organizer appoints a referee found by name (ID number masked) and records a declared relationship.
    follow(page, "a[href$='/manage/']")
    page.locator(f"[data-testid=skill-row][data-skill='{skill_id}'] [data-testid=skill-referees]").click()
    page.fill("[data-testid=referee-search]", "郑海波")
    page.locator("[data-testid=referee-search]").press("Enter")
    candidate = page.locator("[data-testid=candidate]", has_text="郑海波")
    candidate.wait_for()
    assert "*" in candidate.locator("[data-testid=candidate-id-number]").inner_text()
    follow(page, candidate.locator("[data-testid=appoint]"))
    assert page.locator(".messages li[data-code='referee.assigned']").count() == 1
    assert page.locator("[data-testid=appointed-referee]", has_text="郑海波").count() == 1
    form = page.locator("[data-testid=relationship-form]")
    form.locator("input[name=reason]").fill("师徒")
    follow(page, form.locator("button[type=submit]"))
    assert page.locator(".messages li[data-code='relationship.recorded']").count() == 1
    assert "师徒" in page.locator("[data-testid=relationships]").inner_text()
    _shot(page, artifacts, "referees", viewport)
    page.click("form[action$='/logout/'] button")
    page.wait_for_url(f"{base}/accounts/login/")

    statuses = outside_the_browser_loop(lambda: sorted(
        Entry.objects.filter(skill_id=skill_id).values_list("status", flat=True)))
    assert statuses == [EntryStatus.APPROVED] * 3 + [EntryStatus.REJECTED]

    # The unit sees each entry's status, and why one was rejected.
    sign_in(page, base, "enterprise")
    assert page.locator("[data-code='competitions.entries_rejected']").count() == 1
    page.goto(f"{base}/competitions/unit/")
    rejected = page.locator(f"[data-testid=unit-entry][data-skill='{skill_id}'][data-status=rejected]")
    assert rejected.count() == 1
    assert "缺少在职证明" in rejected.locator("[data-testid=entry-reason]").inner_text()
    assert page.locator(f"[data-testid=unit-entry][data-skill='{skill_id}'][data-status=approved]").count() == 3
    _shot(page, artifacts, "unit-entries", viewport)
    page.click("form[action$='/logout/'] button")
    page.wait_for_url(f"{base}/accounts/login/")

    # A logged-out visitor: the front door, the results of the demo event, the 登录 link on both.
    page.goto(f"{base}/")
    assert page.locator("[data-testid=front-door]").count() == 1
    assert page.locator("[data-testid=login-link]").count() == 1
    demo_item = page.locator("[data-testid=public-item]", has_text=demo.EVENT_NAME)
    open_item = page.locator("[data-testid=public-item]", has_text=EVENT)
    assert open_item.locator("a[data-code='competitions.results']").count() == 0  # nothing to show yet
    _shot(page, artifacts, "front-door", viewport)
    follow(page, demo_item.locator("a[data-code='competitions.results']"))
    assert page.locator("[data-testid=skill-results]", has_text="焊工").count() == 1
    page.click("[data-testid=login-link]")
    page.wait_for_url(f"{base}/accounts/login/**")
    context.close()


def test_demo_state_is_what_the_walk_expects(demo_data) -> None:  # type: ignore[no-untyped-def]
    """The front door's demo event has public results (焊工 published) and is still current (电工 marking)."""
    event = Event.objects.get(name=demo.EVENT_NAME)
    assert Skill.objects.filter(event=event, status=Status.PUBLISHED).exists()
    assert event.status not in (Status.PUBLISHED, Status.ARCHIVED)
