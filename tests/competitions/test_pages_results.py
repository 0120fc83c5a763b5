"""The results pages (issue 10 item 5): the deciding tie-break and its values, module names, the reader's own row,
the printable 成绩公示 notice, and no link to results that do not exist yet."""

from __future__ import annotations

import re
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from competitions import services
from tests.competitions import steps
from tests.competitions.steps import Scenario

PAGE = "/competitions/events/{}/results/"


def _tie_decided_by_time(s: Scenario) -> None:
    """Places 1, 2, 3, 4: entries 1 and 2 have the same total; entry 1 finished faster."""
    services.entry_completion_time_record(actor=s.organizer, entry=s.entries[1], completion_time=timedelta(minutes=90))
    services.entry_completion_time_record(actor=s.organizer, entry=s.entries[2],
                                          completion_time=timedelta(minutes=100))
    steps.bring_to_review_with_a_tie(s)


def _row(html: str, name: str) -> str:
    found = next((row for row in re.findall(r"<tr[^>]*>.*?</tr>", html, re.S) if name in row), None)
    assert found is not None, name
    return found


def _name(s: Scenario, i: int) -> str:
    return s.entries[i].members.get().person.real_name


def test_results_page_names_the_deciding_tie_break_and_its_values(scenario: Scenario, client: Client) -> None:
    s = scenario
    _tie_decided_by_time(s)
    html = client.get(PAGE.format(s.event.pk)).content.decode()
    faster, slower = _row(html, _name(s, 1)), _row(html, _name(s, 2))
    assert 'data-col="place">2<' in faster and 'data-col="place">3<' in slower
    assert "用时 1:30:00" in faster and "用时 1:40:00" in slower
    assert "以用时区分" in slower and "以用时区分" not in faster
    assert "用时" not in _row(html, _name(s, 0))  # a total nobody shares needs no tie-break
    assert 'data-testid="tie-rule"' in html and "用时短者列前" in html


def test_still_tied_totals_say_that_they_share_the_place(scenario: Scenario, client: Client) -> None:
    s = scenario
    steps.bring_to_review_with_a_tie(s)
    html = client.get(PAGE.format(s.event.pk)).content.decode()
    assert "总成绩及各项区分规则均相同，名次并列" in _row(html, _name(s, 2))


def test_results_show_module_names_beside_their_codes(scenario: Scenario, client: Client) -> None:
    s = scenario
    steps.mark_review_publish(s)
    html = client.get(PAGE.format(s.event.pk)).content.decode()
    assert re.search(r'data-module="M1">M1<span class="module-name">测量</span>', html)
    assert re.search(r'data-module="M2">M2<span class="module-name">评价</span>', html)
    api = client.get(f"/api/v1/competitions/events/{s.event.pk}/results").json()
    assert api["skills"][0]["modules"] == ["M1", "M2"] and api["skills"][0]["module_names"] == ["测量", "评价"]


def test_a_signed_in_contestant_sees_their_own_row_highlighted(scenario: Scenario, client_of, client: Client) -> None:  # type: ignore[no-untyped-def]
    s = scenario
    steps.mark_review_publish(s)
    me = s.entries[2].members.get().person
    html = client_of(me).get(PAGE.format(s.event.pk)).content.decode()
    assert html.count('data-mine="true"') == 1
    assert 'data-mine="true"' in _row(html, me.real_name)
    assert 'data-testid="my-result"' in html and f'href="#mine-{s.skill.pk}"' in html
    client.logout()
    anonymous = client.get(PAGE.format(s.event.pk)).content.decode()  # the shared rendering stays unmarked
    assert 'data-mine' not in anonymous and 'data-testid="my-result"' not in anonymous


def test_the_printable_notice_names_the_review_period_and_how_to_object(scenario: Scenario, client: Client) -> None:
    s = scenario
    notice = f"/competitions/events/{s.event.pk}/results/notice/"
    steps.mark_entry(s, s.entries[0])
    assert client.get(notice).status_code == 404  # nothing public yet
    steps.bring_to_review(s)
    s.refresh()
    assert s.skill.review_from is not None and s.skill.review_until is not None
    page = client.get(PAGE.format(s.event.pk)).content.decode()
    assert f'href="{notice}"' in page
    html = client.get(notice).content.decode()
    start = timezone.localtime(s.skill.review_from)
    until = timezone.localtime(s.skill.review_until)
    assert "成绩公示" in html and 'data-testid="notice-period"' in html
    assert f"{start.year}年{start.month}月{start.day}日" in html
    assert f"{until.year}年{until.month}月{until.day}日" in html
    assert 'data-testid="notice-how-to-object"' in html and "我的竞赛" in html and "实名" in html
    assert _name(s, 0) in html and s.event.organizer.name in html
    assert "data-print" in html
    steps.publish(s)
    published = client.get(notice).content.decode()
    assert "成绩公布" in published and 'data-testid="notice-how-to-object"' not in published


def test_the_stylesheet_prints_the_notice_without_the_page_shell() -> None:
    from pathlib import Path

    css = (Path(__file__).resolve().parents[2] / "static/css/platform.css").read_text()
    printed = css.split("@media print", 1)[1]
    assert ".topbar" in printed and ".no-print" in printed and ".notice-table" in printed


def test_events_without_results_show_no_link_to_them(scenario: Scenario, client: Client, client_of) -> None:  # type: ignore[no-untyped-def]
    s = scenario  # marking: the jury's provisional standings exist, the public's do not
    results = f'href="/competitions/events/{s.event.pk}/results/"'
    assert results not in client.get("/competitions/").content.decode()
    assert client.get(PAGE.format(s.event.pk)).status_code == 404
    organizer = client_of(s.organizer)
    assert results in organizer.get("/competitions/").content.decode()
    assert results in organizer.get(f"/competitions/events/{s.event.pk}/manage/").content.decode()
    organizer.logout()
    steps.bring_to_review(s)
    assert results in client.get("/competitions/").content.decode()


def test_an_event_before_the_competition_links_to_no_results_even_for_its_organizer(
    registration_skill, organizer, client_of  # type: ignore[no-untyped-def]
) -> None:
    event = registration_skill.event
    html = client_of(organizer).get(f"/competitions/events/{event.pk}/manage/").content.decode()
    assert f'href="/competitions/events/{event.pk}/results/"' not in html
