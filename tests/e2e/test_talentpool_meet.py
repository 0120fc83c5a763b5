"""Browser walk of matchmaking, challenges, equipment sharing and the dashboard on the demo (issue 14 items 8–10):
the pages each user reaches have no serious or critical axe violation on a desktop and a phone, the dashboard's
charts are drawn by the vendored ECharts (a canvas in each chart box, no request leaves the server) and its
numbers are in the tables; screenshots of the dashboard for the review."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.axe import violations
from tests.e2e.steps import outside_the_browser_loop, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


def _ids() -> dict[str, int]:
    from talentpool import demo_matchmaking
    from talentpool.models import Challenge, MatchmakingEvent

    return {"event": MatchmakingEvent.objects.get(name=demo_matchmaking.EVENT_NAME).pk,
            "challenge": Challenge.objects.get(title=demo_matchmaking.CHALLENGE_TITLE).pk}


PAGES = [
    ("organizer", "/talentpool/dashboard/"),
    ("organizer", "/talentpool/events/"),
    ("organizer", "/talentpool/events/{event}/"),
    ("enterprise", "/talentpool/events/{event}/"),
    ("enterprise", "/talentpool/challenges/{challenge}/"),
    ("enterprise", "/talentpool/equipment/"),
    ("college", "/talentpool/challenges/"),
    ("college", "/talentpool/challenges/{challenge}/"),
]


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_meet_pages_and_dashboard(browser, demo_data, asgi_server: str, artifacts: Path,  # type: ignore[no-untyped-def]
                                  viewport: str) -> None:
    ids = outside_the_browser_loop(_ids)
    found: dict[str, list[str]] = {}
    outside: list[str] = []
    context = page = None
    who_now = None
    try:
        for who, path in PAGES:
            if who != who_now:
                if context is not None:
                    context.close()
                context = browser.new_context(locale="zh-CN", viewport=VIEWPORTS[viewport],
                                              is_mobile=viewport == "phone")
                page = context.new_page()
                page.set_default_timeout(60_000)
                page.on("request", lambda r: None if r.url.startswith(asgi_server) or r.url.startswith("data:")
                        else outside.append(r.url))
                sign_in(page, asgi_server, who)
                who_now = who
            response = page.goto(asgi_server + path.format(**ids))
            assert response is not None and response.status == 200, (who, path)
            if path.endswith("/dashboard/"):
                page.wait_for_selector('[data-chart="map"] canvas')
                for name in ("map", "chains", "matrix", "outcomes"):
                    assert page.locator(f'[data-chart="{name}"] canvas').count() >= 1, name
                assert page.locator('[data-testid="outcomes"] [data-kind="interview"]').inner_text() == "12"
                page.select_option("#measure", "demand")
                page.screenshot(path=str(artifacts / f"talentpool-dashboard-{viewport}.png"), full_page=True)
            problems = violations(page)
            if problems:
                found[f"{who} {path}"] = problems
    finally:
        if context is not None:
            context.close()
    assert found == {}
    assert outside == []
