"""The public front door (issue 10 item 6): a logged-out visitor lands on current and past events, with links to
their results only where the results page has something to show, and every public page carries the 登录 link."""

from __future__ import annotations

import re

from django.test import Client

from accounts.models import Organization
from competitions.models import Status
from tests.competitions import steps
from tests.competitions.factories import EventFactory, SkillFactory
from tests.competitions.steps import Scenario


def _items(html: str) -> dict[str, str]:
    """Each public item's title → its HTML."""
    found = {}
    for block in re.findall(r'<li data-testid="public-item".*?</li>', html, re.S):
        title = re.search(r"<strong>(.*?)</strong>", block, re.S)
        assert title is not None
        found[title.group(1)] = block
    return found


def test_front_door_lists_current_and_past_events_with_results_only_where_they_exist(
    scenario: Scenario, organizer_unit: Organization, client: Client
) -> None:
    s = scenario
    draft = EventFactory(organizer=organizer_unit, name="筹备中的竞赛")
    SkillFactory(event=draft)
    current, past = client.get("/").content.decode().split('data-section="competitions_past"')
    assert s.event.name in _items(current) and draft.name not in current + past  # a draft is nobody's business
    assert "/results/" not in _items(current)[s.event.name]  # marking: nothing public to show yet
    assert client.get(f"/competitions/events/{s.event.pk}/results/").status_code == 404
    steps.mark_review_publish(s)
    current, past = client.get("/").content.decode().split('data-section="competitions_past"')
    assert s.event.name not in current
    assert f'href="/competitions/events/{s.event.pk}/results/"' in _items(past)[s.event.name]
    assert client.get(f"/competitions/events/{s.event.pk}/results/").status_code == 200


def test_every_public_page_has_the_login_link(scenario: Scenario, client: Client) -> None:
    steps.mark_review_publish(scenario)
    for url in ("/", "/competitions/", f"/competitions/events/{scenario.event.pk}/results/"):
        html = client.get(url).content.decode()
        assert 'data-testid="login-link"' in html, url
    assert 'data-testid="login-link"' not in client.get("/accounts/login/").content.decode()


def test_signed_in_people_get_their_home_not_the_front_door(scenario: Scenario, client_of) -> None:  # type: ignore[no-untyped-def]
    html = client_of(scenario.organizer).get("/").content.decode()
    assert 'data-testid="front-door"' not in html and 'data-testid="login-link"' not in html


def test_front_door_reads_in_a_few_queries(scenario: Scenario, organizer_unit: Organization, client: Client,
                                           django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    for n in range(10):
        SkillFactory(event=EventFactory(organizer=organizer_unit, name=f"第{n}届测试大赛", status=Status.REGISTRATION))
    with django_assert_max_num_queries(6):
        html = client.get("/").content.decode()
    assert html.count('data-testid="public-item"') == 11
