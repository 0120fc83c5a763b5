"""Issue 14's walk in one browser session: the demo enterprise's HR files a demand checklist with a welder's post
whose skill point is a must-have, submits it, opens the post's matches and reads why the first talent ranks
first (each factor with its value and weight), opens that talent's profile from the match, sees the contact data
masked and asks for contact for the post; the talent accepts on their phone; the HR then sees the phone number,
and only then. Screenshots in var/e2e/talentpool-journey-*.png."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone

from accounts.models import User
from talentpool.models import ContactRequest, DemandPost, Talent
from tests.e2e.steps import follow, outside_the_browser_loop, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _let_in(talent_id: int) -> tuple[str, str]:
    """The talent can sign in (the demo's pool people have no password): their username and contact phone."""
    talent = Talent.objects.select_related("person").get(pk=talent_id)
    talent.person.set_password("demo-2026")
    talent.person.save(update_fields=["password"])
    return talent.person.username, talent.contact_phone


def test_an_enterprise_files_a_demand_reads_explained_matches_and_sees_contact_only_after_consent(  # type: ignore[no-untyped-def]
        browser, page, live_server, demo_data, artifacts: Path) -> None:
    base = live_server.url
    year = timezone.localdate().year + 1  # the demo's checklist of this year is filed already
    sign_in(page, base, "enterprise")
    page.goto(f"{base}/talentpool/checklists/demand/")
    new = page.locator("[data-testid=new-checklist]")
    new.locator("input[name=year]").fill(str(year))
    follow(page, new.locator("button[type=submit]"))
    form = page.locator("[data-testid=demand-form]")
    form.locator("select[name=nature]").select_option("chain_leader")
    form.locator("input[name=contact_person]").fill("赵立群")
    form.locator("input[name=contact_phone]").fill("0531-83216688")
    form.locator("input[name=chains][value=high-end-equipment]").check()
    post = form.locator("[data-post]").first
    post.locator("input[name=posts-name]").fill("二保焊焊工")
    post.locator("input[name=posts-occupation_code]").fill("6-18-02-04")
    post.locator("input[name=posts-headcount]").fill("10")
    post.locator("select[name=posts-level]").select_option("四级/中级工")
    post.locator("[data-add-skill]").click()
    skill = post.locator("[data-skill]").first
    skill.locator("input[name=skills-name]").fill("二氧化碳气体保护焊")
    skill.locator("select[name=skills-must_have]").select_option("1")
    follow(page, form.locator("[data-testid=save]"))
    assert "需求清单已保存" in page.locator(".messages").inner_text()
    follow(page, page.locator("[data-testid=submit]"))
    assert page.locator("[data-testid=status]").get_attribute("data-status") == "submitted"

    post_id = outside_the_browser_loop(lambda: DemandPost.objects.get(checklist__year=year).pk)
    page.goto(f"{base}/talentpool/posts/{post_id}/matches/")
    first = page.locator("li.match").first
    assert first.get_attribute("data-rank") == "1"
    factors = first.locator("table.match-factors tbody tr")
    assert factors.count() == 7  # occupation, skills, level, experience, education, place, awards
    skills_row = first.locator("tr[data-factor=skills]").inner_text()
    assert "1.00" in skills_row and "25%" in skills_row  # holds the must-have point; its weight shown
    page.screenshot(path=str(artifacts / "talentpool-journey-matches.png"), full_page=True)
    talent_id = int(first.get_attribute("data-talent") or 0)
    follow(page, first.locator("[data-testid=talent-link]"))
    username, phone = outside_the_browser_loop(lambda: _let_in(talent_id))
    assert phone and phone not in page.content()
    assert "已隐藏，需本人同意" in page.locator("[data-testid=profile] [data-testid=contact]").inner_text()
    assert page.locator("#c-post").input_value() == str(post_id)  # the request is for the post it came from
    follow(page, "[data-testid=request-contact] button[type=submit]")
    assert page.locator("[data-testid=request-status]").get_attribute("data-status") == "pending"
    assert phone not in page.content()

    person = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    person.set_default_timeout(15_000)
    sign_in(person, base, username)
    person.goto(f"{base}/talentpool/me/requests/")
    inbox = person.locator("[data-testid=inbox]")
    assert "鲁中重型机械股份有限公司" in inbox.inner_text() and "二保焊焊工" in inbox.inner_text()
    follow(person, inbox.locator("[data-testid=accept]"))
    person.screenshot(path=str(artifacts / "talentpool-journey-accepted-phone.png"), full_page=True)

    page.reload()
    assert phone in page.locator("[data-testid=profile] [data-testid=phone]").inner_text()
    page.screenshot(path=str(artifacts / "talentpool-journey-consented.png"), full_page=True)
    request = outside_the_browser_loop(lambda: ContactRequest.objects.get(talent_id=talent_id, post_id=post_id))
    assert request.status == "accepted" and request.decided_at is not None
    assert outside_the_browser_loop(lambda: User.objects.get(username=username).pk) == request.talent.person_id
