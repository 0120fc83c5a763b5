"""The live board pages (issue 11 item 2; competitions.views.board): the public board for anyone who may see the
event, with no names and no referees before decryption; the jury board refused through competitions.access to
everyone but the event's jury; the snapshot's progress, places and audiences; and the page's query budget."""

from __future__ import annotations

import re

from django.template.loader import render_to_string
from django.test import Client

from accounts.models import Organization, Role, User
from competitions import services
from competitions.domain.stream import PUBLIC_SNAPSHOT_FIELDS, Audience
from competitions.models import EntryMember, Sheet, Skill, Status
from competitions.selectors.stream import board_snapshot
from competitions.views.board import _frozen_since
from tests.accounts.factories import OrganizationFactory, person
from tests.competitions import steps
from tests.competitions.factories import EventFactory, SkillFactory
from tests.competitions.steps import Scenario, mark


def _board(client: Client, s: Scenario, path: str = "board/") -> str:
    response = client.get(f"/competitions/events/{s.event.pk}/{path}")
    assert response.status_code == 200
    return response.content.decode()


def _names(s: Scenario) -> set[str]:
    return set(EntryMember.objects.filter(entry__skill=s.skill).values_list("person__real_name", flat=True))


def _card(html: str, workstation_no: str) -> str:
    found = re.search(rf'<article[^>]*data-workstation="{workstation_no}".*?</article>', html, re.S)
    assert found is not None, workstation_no
    return found.group(0)


def test_the_public_board_shows_workstations_progress_and_places_without_names_or_referees(
    scenario: Scenario, client: Client
) -> None:
    s = scenario
    entry = s.entries_b[0]
    mark(s.referee_a, entry, s.aspects["A1"], 20)
    html = _board(client, s)
    assert 'data-audience="public"' in html and 'src="/static/js/board.js"' in html
    assert {m for m in re.findall(r'data-workstation="(\w+)"', html)} == {e.workstation_no for e in s.entries}
    card = _card(html, entry.workstation_no)
    assert "M1 测量" in card and ">1/2<" in card and "20.00" in card  # A1 of A1, A2 marked
    assert "暂定第 1 名" in card and "暂定" in html
    assert 'data-field="total"' not in html  # no total before decryption
    for name in _names(s) | {s.referee_a.real_name, s.r1.real_name, s.chief.real_name}:
        assert name not in html
    assert 'data-testid="jury-board-link"' not in html


def test_the_public_board_of_an_event_in_preparation_is_nobodys_business(
    organizer_unit: Organization, client: Client
) -> None:
    draft = EventFactory(organizer=organizer_unit)
    SkillFactory(event=draft)
    assert client.get(f"/competitions/events/{draft.pk}/board/").status_code == 404
    assert client.get("/competitions/events/999999/board/").status_code == 404


def test_one_skill_and_the_big_screen(scenario: Scenario, client: Client) -> None:
    s = scenario
    html = _board(client, s, f"board/?skill={s.skill.pk}&screen=1")
    assert 'class="screen-body"' in html and 'data-screen="1"' in html
    assert 'data-cols="2" data-rows="2"' in html  # 4 entrants: a 2 × 2 grid
    assert 'class="topbar"' not in html  # no page shell on a venue screen


def test_the_jury_board_is_refused_to_anyone_but_the_events_jury(
    scenario: Scenario, client: Client, client_of, organizer: User, referee_of_a: User, outsider: User
) -> None:  # type: ignore[no-untyped-def]
    s = scenario
    url = f"/competitions/events/{s.event.pk}/board/jury/"
    assert client.get(url).status_code == 302  # anonymous: asked to sign in
    other_skill = SkillFactory(event=s.event, name="电工")
    other_referee = person(Role.REFEREE, OrganizationFactory(), username="other_referee")
    services.referee_assign(actor=organizer, skill=other_skill, referee=other_referee)
    contestant = EntryMember.objects.filter(entry=s.entries_a[0]).first().person
    other_organizer = person(Role.ORGANIZER_STAFF, OrganizationFactory(name="另一主办单位"), username="other_org")
    for refused in (other_referee, referee_of_a, contestant, outsider, other_organizer):
        assert client_of(refused).get(url).status_code == 403, refused.username
        client.logout()
    for allowed in (s.chief, organizer):
        html = client_of(allowed).get(url).content.decode()
        assert 'data-audience="jury"' in html, allowed.username
        client.logout()


def test_the_jury_board_shows_divergence_and_sign_off_and_both_boards_names_after_decryption(
    scenario: Scenario, client_of
) -> None:  # type: ignore[no-untyped-def]
    s = scenario
    entry = s.entries_b[0]
    for referee, score in zip(s.panel(entry), (0, 3, 3), strict=True):
        mark(referee, entry, s.aspects["J1"], score)
    html = _board(client_of(s.chief), s, "board/jury/")
    assert "待复核 J1" in _card(html, entry.workstation_no)
    assert not (_names(s) & set(re.findall(r'class="board-names"[^>]*>([^<]*)<', html)))  # no names yet
    assert not any(name in _board(Client(), s) for name in _names(s))
    steps.marked_and_decrypted(s)
    html = _board(client_of(s.chief), s, "board/jury/")
    card = _card(html, entry.workstation_no)
    assert "已签字" in card and 'data-field="total"' in card
    assert any(name in card for name in _names(s))
    public = _board(Client(), s)
    assert 'data-field="total"' in public and any(name in _card(public, entry.workstation_no) for name in _names(s))
    assert "已签字" not in _card(public, entry.workstation_no) and "待复核" not in _card(public, entry.workstation_no)


def test_the_snapshot_carries_progress_and_places_and_the_public_only_its_allowed_fields(scenario: Scenario) -> None:
    s = scenario
    low, high = s.entries_b
    mark(s.referee_a, low, s.aspects["A1"], 0)
    mark(s.referee_a, high, s.aspects["A1"], 20)
    for audience in Audience:
        frame = board_snapshot(s.event.pk, audience).message()
        skill = frame["skills"][0]
        assert [(m["code"], m["aspects"]) for m in skill["modules"]] == [("M1", ["A1", "A2"]), ("M2", ["J1", "J2"])]
        entries = {e["workstation_no"]: e for e in skill["entries"]}
        m1 = str(skill["modules"][0]["id"])
        assert entries[low.workstation_no]["complete"] == ["A1"] and entries[low.workstation_no]["marked"][m1] == 1
        assert entries[high.workstation_no]["place"] == 1
        assert entries[low.workstation_no]["place"] == 2  # marked 0: placed, below the 20
        others = {e["place"] for no, e in entries.items() if no not in (low.workstation_no, high.workstation_no)}
        assert others <= {None}  # nothing marked yet: no place
        if audience is Audience.PUBLIC:
            assert set(skill) <= PUBLIC_SNAPSHOT_FIELDS["skill"]
            assert all(set(e) <= PUBLIC_SNAPSHOT_FIELDS["entry"] for e in skill["entries"])
            assert all("divergent" not in e and "signed_off" not in e and "names" not in e for e in skill["entries"])
        else:
            assert all(e["divergent"] == [] and e["signed_off"] == [] for e in skill["entries"])


def test_a_signed_off_sheet_reaches_the_jury_snapshot_only(scenario: Scenario) -> None:
    s = scenario
    entry = s.entries_b[0]
    steps.mark_entry(s, entry)
    sheet = Sheet.objects.get(entry=entry, module__code="M1")
    services.sheet_sign_off(chief=s.chief, sheet_id=sheet.pk)
    jury = {e["workstation_no"]: e for e in board_snapshot(s.event.pk, Audience.JURY).message()["skills"][0]["entries"]}
    assert jury[entry.workstation_no]["signed_off"] == [str(sheet.module_id)]
    assert jury[entry.workstation_no]["marked"] == {str(sheet.module_id): 2,
                                                  str(Sheet.objects.get(entry=entry, module__code="M2").module_id): 2}


def test_a_frozen_snapshot_is_shown_as_a_banner_on_both_boards(scenario: Scenario) -> None:
    """Freezing is the server's (another change); the pages render the snapshot's `frozen` field of its contract."""
    s = scenario
    assert _frozen_since({"since": "2026-09-15T06:30:00+00:00", "seq": 12}) == "14:30"  # Asia/Shanghai
    context = {"event": s.event, "audience": "public", "jury": False, "skills": [], "shown": [], "chosen": "",
               "epoch": "e", "seq": 12, "frozen": {"since": "x", "seq": 12}, "frozen_since": "14:30",
               "screen": False, "page_size": 48, "turn_seconds": 15, "may_see_jury": False}
    assert "封榜中 · 自 14:30 起不再更新" in render_to_string("competitions/board.html", context)
    context.update(jury=True, audience="jury", frozen={"since": "x", "seq": 12, "pending": 3})
    assert "封榜中，公众榜停在第 12 条；3 条待揭晓" in render_to_string("competitions/board_screen.html", context)
    context.update(frozen=None)
    assert re.search(r'data-testid="board-frozen" data-frozen hidden></p>', render_to_string(
        "competitions/board.html", context))


def test_the_board_is_linked_from_the_front_door_the_events_list_and_the_event_page(
    scenario: Scenario, client: Client, client_of
) -> None:  # type: ignore[no-untyped-def]
    s = scenario
    board = f'href="/competitions/events/{s.event.pk}/board/"'
    assert board in client.get("/").content.decode()
    assert board in client.get("/competitions/").content.decode()
    manage = client_of(s.organizer).get(f"/competitions/events/{s.event.pk}/manage/").content.decode()
    assert board in manage and f'href="/competitions/events/{s.event.pk}/board/jury/"' in manage
    sheets = client_of(s.chief).get(f"/competitions/skills/{s.skill.pk}/sheets/").content.decode()
    assert f'/competitions/events/{s.event.pk}/board/jury/?skill={s.skill.pk}' in sheets


def test_the_board_page_reads_in_a_few_queries_whatever_the_marks(
    big_scenario: Scenario, client: Client, client_of, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    s = big_scenario
    for entry in s.entries[:6]:
        steps.mark_entry(s, entry)
    # the event (access), the stream's position (2), the skills, the entries, the aspects with their modules, the
    # marks: a fixed number whatever the size of the skill
    with django_assert_max_num_queries(7):
        _board(client, s)
    jury = client_of(s.chief)
    jury.get(f"/competitions/events/{s.event.pk}/board/jury/")  # the session's first read warms its cache
    with django_assert_max_num_queries(10):  # and the caller's right, the sheets signed off (names: after decryption)
        _board(jury, s, "board/jury/")
    assert Skill.objects.get(pk=s.skill.pk).status == Status.MARKING
