"""Three assessors score a candidate on a phone-sized tablet page, one item's scores differ beyond its tolerance
and are flagged, the chief assessor confirms them with a reason, the body starts the review period and publishes
once it is over (its end moved into the past in the data, never a sleep), and the candidate sees the result and
why the failed part failed (issue 12 items 8–9); screenshots on a desktop and a phone."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from accounts.models import OrganizationKind, Role, User
from certification.models import BatchResults
from tests.accounts.factories import OrganizationFactory, person
from tests.certification.practical_steps import Sitting, seated_sitting, theory
from tests.e2e.axe import violations
from tests.e2e.steps import follow, outside_the_browser_loop, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _sitting() -> tuple[Sitting, User]:
    center = OrganizationFactory(name="丙考核站", kind=OrganizationKind.EXAM_CENTER, city="烟台市")
    works = OrganizationFactory(name="甲企业", kind=OrganizationKind.ENTERPRISE, city="济南市")
    staff = person(Role.EXAM_CENTER_STAFF, center, username="center_staff")
    sitting = seated_sitting(staff, center, works, n=1)
    theory(staff, sitting.registrations[0], "80")
    for user in [staff, sitting.chief, *sitting.panel, sitting.registrations[0].candidate]:
        user.set_password("demo-2026")
        user.save()
    return sitting, staff


def _score_on_phone(browser, base: str, username: str, part_id: int, ticket: str,  # type: ignore[no-untyped-def]
                    scores: dict[str, str], shot: Path | None = None) -> None:
    context = browser.new_context(locale="zh-CN", viewport=PHONE)
    phone = context.new_page()
    phone.set_default_timeout(15_000)
    sign_in(phone, base, username)
    phone.goto(f"{base}/certification/parts/{part_id}/scoring/")
    card = phone.locator(f'[data-candidate][data-ticket="{ticket}"]')
    assert card.count() == 1
    for item, value in scores.items():
        cell = phone.locator(f'[data-candidate][data-ticket="{ticket}"] [data-cell][data-item="{item}"]')
        cell.locator("input[name=value]").fill(value)
        cell.locator("button[type=submit]").click()
        phone.wait_for_function(
            "([t, i]) => [...document.querySelectorAll('[data-candidate]')].some(c => c.dataset.ticket === t"
            " && c.querySelector(`[data-item='${i}'][data-state='saved']`) && !c.querySelector('.htmx-request'))",
            arg=[ticket, item])
    shown = card.locator("[data-testid=scored]").inner_text()
    assert shown == str(len(scores))
    box = cell.locator("button[type=submit]").bounding_box()
    assert box is not None and box["height"] >= 44
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scrolling
    if shot is not None:
        assert violations(phone) == []  # axe-core: no serious or critical violation
        phone.screenshot(path=str(shot), full_page=True)
        phone.set_viewport_size({"width": 1280, "height": 800})  # the same page on a desktop or a tablet
        phone.screenshot(path=str(shot).replace("-390", "-1280"), full_page=True)
    context.close()


def test_three_assessors_score_the_chief_confirms_and_the_candidate_sees_why(  # type: ignore[no-untyped-def]
    page, browser, live_server, artifacts: Path
) -> None:
    sitting, staff = outside_the_browser_loop(_sitting)
    registration = sitting.registrations[0]
    ticket = registration.ticket_no or ""
    base = live_server.url
    a1 = ["20", "20", "28"]  # spread 8 beyond A1's tolerance of 5
    for n, assessor in enumerate(sitting.panel):
        _score_on_phone(browser, base, assessor.username, sitting.practical.pk, ticket, {"A1": a1[n], "A2": "30"},
                        artifacts / "practical-tablet-390.png" if n == 2 else None)

    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, base, sitting.chief.username)
    page.goto(f"{base}/certification/batches/{sitting.batch.pk}/flags/")
    flag = page.locator(f'[data-testid=flag][data-ticket="{ticket}"][data-item="A1"]')
    assert flag.locator("[data-testid=scores]").inner_text() == "20、20、28"
    assert violations(page) == []
    page.screenshot(path=str(artifacts / "practical-flags-1280.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(artifacts / "practical-flags-390.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    flag.locator("input[name=reason]").fill("第三位考评员依据焊缝成形扣分较少，复核属实")
    follow(page, flag.locator("button[value=confirm]"))
    assert page.locator("[data-testid=no-flags]").count() == 1
    page.context.clear_cookies()

    sign_in(page, base, staff.username)
    page.goto(f"{base}/certification/batches/{sitting.batch.pk}/results/")
    row = page.locator(f'[data-testid=results] [data-ticket="{ticket}"]')
    assert row.locator("[data-testid=outcome]").inner_text() == "不合格"
    assert "操作技能考核：52.7 分，低于合格线 60 分" in row.inner_text()
    follow(page, "[data-testid=start-review]")
    assert page.locator("[data-testid=results-state]").get_attribute("data-state") == "in_review"
    assert page.locator("[data-testid=publish]").is_disabled()
    assert "公示期尚未结束" in page.locator("[data-testid=publish-blocker]").inner_text()
    outside_the_browser_loop(lambda: BatchResults.objects.filter(batch=sitting.batch).update(
        review_ends_at=timezone.now() - timedelta(minutes=1)))
    page.reload()
    follow(page, "[data-testid=publish]")
    assert page.locator("[data-testid=results-state]").get_attribute("data-state") == "published"
    assert violations(page) == []
    page.screenshot(path=str(artifacts / "results-1280.png"), full_page=True)
    page.set_viewport_size(PHONE)
    assert violations(page) == []
    page.screenshot(path=str(artifacts / "results-390.png"), full_page=True)
    page.context.clear_cookies()

    sign_in(page, base, registration.candidate.username)
    page.goto(f"{base}/certification/registrations/{registration.pk}/result/")
    assert page.locator("[data-testid=outcome]").inner_text() == "不合格"
    assert "操作技能考核：52.7 分，低于合格线 60 分" in page.locator("[data-testid=reasons]").inner_text()
    assert "理论知识考试：80.0 分，合格" in page.locator("[data-testid=my-result]").inner_text()
    assert violations(page) == []
    page.screenshot(path=str(artifacts / "my-result-390.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.screenshot(path=str(artifacts / "my-result-1280.png"), full_page=True)


