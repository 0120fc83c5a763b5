"""Issue 4's "Done when": an organizer publishes the demo results and the public results page shows them.

The demo leaves 电工 in the middle of marking; the services bring it to the end of its review period (every mark
entered by the assigned referees, every sheet signed off by the chief referee, decrypted by the encryption
officer, the review period started two weeks ago). Then the organizer publishes it in the browser, and an
anonymous visitor sees both skills' standings exactly as the selectors compute them.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from uuid import uuid4

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from accounts.models import User
from competitions import access, demo, selectors, services
from competitions.adapters import domain_aspect
from competitions.models import Aspect, Entry, EntryStatus, Event, Mark, MarkingMethod, Sheet, SheetStatus, Skill
from competitions.models import Status as SkillStatus
from tests.e2e.steps import follow, outside_the_browser_loop, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _value(aspect: Aspect, n: int) -> Decimal:
    """A spread of results: some full-or-zero aspects missed, measured values off by 0–0.6."""
    if aspect.method == MarkingMethod.FULL_OR_ZERO:
        return Decimal(0) if (n + aspect.position) % 6 == 5 else aspect.max_mark
    assert aspect.nominal is not None
    return aspect.nominal + Decimal(n % 7) / 10


def _electrician_to_the_end_of_review() -> int:
    event = Event.objects.get(name=demo.EVENT_NAME)
    skill = Skill.objects.select_related("event").get(event=event, name="电工")
    chief, encryptor, organizer = (User.objects.get(username=n) for n in ("chief", "encryptor", "organizer"))
    candidates = access.skill_candidates(skill)
    aspects = list(skill.scheme.aspects.select_related("module").order_by("module__position", "position"))
    entries = list(Entry.objects.filter(skill=skill, status=EntryStatus.APPROVED).order_by("workstation_no"))
    for n, entry in enumerate(entries):
        members = access.member_ids_of(entry)
        for aspect in aspects:
            for referee_id in access.panel(candidates, entry, aspect, members, domain_aspect(aspect).referee_count):
                if Mark.objects.filter(entry=entry, aspect=aspect, referee_id=referee_id).exists():
                    continue  # marked by the demo already
                services.mark_record(referee=User.objects.get(pk=referee_id), skill_id=skill.pk,
                                     workstation_no=entry.workstation_no, aspect_code=aspect.code,
                                     value=_value(aspect, n), idempotency_key=uuid4())
    for sheet in Sheet.objects.filter(entry__skill=skill, status=SheetStatus.OPEN).order_by("pk"):
        services.sheet_sign_off(chief=chief, sheet_id=sheet.pk)
    services.skill_decrypt(officer=encryptor, skill=skill)
    services.skill_transition(actor=organizer, skill=skill, target=SkillStatus.REVIEW,
                              now=timezone.now() - timedelta(days=14))
    return event.pk


def _expected(event_id: int) -> dict[str, selectors.SkillStandings]:
    results = selectors.event_results(viewer=AnonymousUser(), event_id=event_id)
    return {s.skill_name: s for s in results.skills}


def _assert_standings_shown(page, standings: selectors.SkillStandings, top: int = 5) -> None:  # type: ignore[no-untyped-def]
    section = page.locator("[data-testid=skill-results]", has_text=standings.skill_name)
    rows = section.locator("tbody tr")
    assert rows.count() == len(standings.rows)
    for n, expected in enumerate(standings.rows[:top]):
        row = rows.nth(n)

        def cell(column: str) -> str:
            return row.locator(f"td[data-col={column}]").inner_text().strip()  # noqa: B023 - used at once

        assert cell("place") == str(expected.place)
        assert cell("names") == "、".join(expected.names or [])
        assert cell("unit") == expected.unit
        assert cell("total") == str(expected.total)
        assert cell("award") == (expected.award_label or "")


def test_organizer_publishes_the_demo_results_and_the_public_sees_them(  # type: ignore[no-untyped-def]
    browser, page, live_server, demo_data, artifacts: Path
) -> None:
    event_id = outside_the_browser_loop(_electrician_to_the_end_of_review)
    base = live_server.url
    page.goto(f"{base}/competitions/events/{event_id}/results/")  # before: 焊工 published, 电工 under review (公示)
    assert page.locator("[data-testid=skill-results]", has_text="焊工").count() == 1
    under_review = page.locator("[data-testid=skill-results]", has_text="电工")
    assert under_review.locator("[data-testid=under-review]").count() == 1
    sign_in(page, base, "organizer")
    page.goto(f"{base}/competitions/events/{event_id}/manage/")
    row = page.locator("[data-testid=skill-row]", has_text="电工")
    confirm = row.locator("form").get_attribute("data-confirm")
    asked: list[str] = []

    def answer(dialog) -> None:  # type: ignore[no-untyped-def]
        asked.append(dialog.message)
        dialog.accept()

    page.once("dialog", answer)
    follow(page, row.locator("button[type=submit]"))
    assert asked == [confirm] and confirm  # publication asks, in the form's words, before it happens
    assert page.locator(".messages li[data-code=done]").count() == 1
    published = page.locator("[data-testid=skill-row]", has_text="电工")
    assert published.get_attribute("data-status") == SkillStatus.PUBLISHED
    page.screenshot(path=str(artifacts / "event-manage-published.png"), full_page=True)
    # Publication proposed 电工's top places for 技术能手; the organizer records one approval (核准).
    follow(page, "a[href$='/titles/']")
    titles = page.locator("[data-testid=title]", has_text="电工")
    assert titles.count() >= 3
    follow(page, titles.first.locator("button[type=submit]"))
    assert page.locator(".messages li[data-code=done]").count() == 1
    page.screenshot(path=str(artifacts / "titles.png"), full_page=True)
    page.click("form[action$='/logout/'] button")
    page.wait_for_url(f"{base}/accounts/login/")

    expected = outside_the_browser_loop(lambda: _expected(event_id))
    assert set(expected) == {"焊工", "电工", demo.REVIEW_SKILL}  # the demo's 汽车维修工 is under review (公示)
    assert all(s.named for s in expected.values())
    assert [name for name, s in expected.items() if s.provisional] == [demo.REVIEW_SKILL]
    assert expected["电工"].rows[0].place == 1 and len(expected["电工"].rows) == demo.PER_SKILL
    page.goto(f"{base}/competitions/events/{event_id}/results/")
    for name in ("焊工", "电工"):
        section = page.locator("[data-testid=skill-results]", has_text=name)
        assert section.get_by_test_id("provisional").count() == 0
        assert section.locator("[data-testid=under-review]").count() == 0
    for standings in expected.values():
        _assert_standings_shown(page, standings)
    assert "金牌" in page.locator("[data-testid=skill-results]", has_text="电工").inner_text()
    page.screenshot(path=str(artifacts / "results-desktop.png"), full_page=True)

    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    small = phone.new_page()
    small.goto(f"{base}/competitions/events/{event_id}/results/")
    _assert_standings_shown(small, expected["电工"], top=3)
    # The table scrolls inside its card; the page itself stays within the phone's width.
    assert small.evaluate("document.documentElement.scrollWidth") <= 390
    small.screenshot(path=str(artifacts / "results-phone.png"))
    small.screenshot(path=str(artifacts / "results-phone-full.png"), full_page=True)
    phone.close()
