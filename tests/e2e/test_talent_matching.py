"""An enterprise's HR opens a demand post's matches (issue 14 item 6): the talents ranked with each factor's value
and weight, the sentence of what would lift the fifth welder's rank, and the colleges that supply the post, with
no contact data; checked by axe on a desktop and a 390-pixel phone, screenshots of both."""

from __future__ import annotations

from pathlib import Path

import pytest

from accounts.models import OrganizationKind, Role
from talentpool.models import DemandPost, Talent
from talentpool.selectors.matching import forget_index
from tests.accounts.factories import OrganizationFactory, person
from tests.e2e.axe import violations
from tests.e2e.steps import outside_the_browser_loop, sign_in
from tests.talentpool.matching_steps import college_supply, demand_post, welders

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _filed() -> tuple[DemandPost, list[str]]:
    forget_index()
    enterprise = OrganizationFactory(name="济南重工焊接装备有限公司", kind=OrganizationKind.ENTERPRISE)
    hr = person(Role.ENTERPRISE_HR, enterprise, username="match_hr")
    hr.set_password("demo-2026")
    hr.save()
    welders()
    college_supply("山东技师学院", occupations=["6-18-02-04"], graduates=120, posts="焊接机器人操作工、焊工")
    secrets = [v for t in Talent.objects.all() for v in (t.contact_phone, t.contact_email)]
    return demand_post(enterprise, hr), secrets


def test_enterprise_hr_sees_explained_matches_and_what_would_lift_a_rank(  # type: ignore[no-untyped-def]
    page, live_server, artifacts: Path
) -> None:
    post, secrets = outside_the_browser_loop(_filed)
    sign_in(page, live_server.url, "match_hr")
    for name, viewport in (("desktop", {"width": 1280, "height": 800}), ("phone", {"width": 390, "height": 844})):
        page.set_viewport_size(viewport)
        page.goto(f"{live_server.url}/talentpool/posts/{post.pk}/matches/")
        fifth = page.locator("li.match[data-rank='5']")
        assert "孙小焊" in fifth.inner_text()
        assert fifth.locator("[data-testid=lifts]").inner_text().splitlines()[0] == "若焊工等级再高一级，将升至第 3 名"
        level = fifth.locator("tr[data-factor=level]").inner_text()
        assert "三级/高级工，要求二级/技师" in level and "0.50" in level and "15%" in level
        assert "山东技师学院" in page.locator("[data-testid=college-matches]").inner_text()
        text = page.content()
        assert [s for s in secrets if s in text] == []
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), name
        assert violations(page) == [], name
        page.screenshot(path=str(artifacts / f"talent-matches-{name}.png"), full_page=True)
