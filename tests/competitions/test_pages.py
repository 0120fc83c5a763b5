"""Pages: public results, the organizer's event page, the referee's marking page, the chief's sign-off page."""

from __future__ import annotations

from uuid import uuid4

from django.contrib.messages import get_messages
from django.test import Client

from accounts.models import User
from competitions import selectors, services
from competitions.models import Mark, Sheet, SheetStatus, Status
from tests.accounts.steps import bearer
from tests.competitions import steps
from tests.competitions.steps import Scenario, mark, mark_entry, marking_workstations


def test_public_results_page_shows_published_names(scenario: Scenario, client: Client) -> None:
    url = f"/competitions/events/{scenario.event.pk}/results/"
    assert client.get(url).status_code == 404
    steps.mark_review_publish(scenario)
    html = client.get(url).content.decode()
    name = scenario.entries[0].members.get().person.real_name
    assert name in html and "金牌" in html and "data-testid=\"provisional\"" not in html


def test_organizer_moves_a_skill_from_the_event_page(scenario: Scenario, client_of) -> None:  # type: ignore[no-untyped-def]
    s = scenario
    page = client_of(s.organizer).get(f"/competitions/events/{s.event.pk}/manage/")
    assert page.status_code == 200 and "csrfmiddlewaretoken" in page.content.decode()
    refused = client_of(s.organizer).post(f"/competitions/skills/{s.skill.pk}/transition/",
                                          {"target": "review"}, follow=True)
    html = refused.content.decode()
    assert 'data-code="event.transition_blocked"' in html and "全部评分表签字确认" in html  # names what is missing
    s.skill.refresh_from_db()
    assert s.skill.status == Status.MARKING


def test_referee_marks_on_the_plain_marking_page(scenario: Scenario, client_of) -> None:  # type: ignore[no-untyped-def]
    s = scenario
    entry = s.entries_b[0]
    client = client_of(s.referee_a)
    page = client.get(f"/competitions/skills/{s.skill.pk}/marking/").content.decode()
    assert entry.workstation_no in page and entry.members.get().person.real_name not in page
    response = client.post(f"/competitions/skills/{s.skill.pk}/marking/", {
        "workstation_no": entry.workstation_no, "aspect_code": "A1", "value": "20",
        "idempotency_key": str(uuid4()),
    }, follow=True)
    assert 'class="success" data-code="done"' in response.content.decode()
    assert Mark.objects.get(entry=entry, aspect=s.aspects["A1"]).value == 20
    bad = client.post(f"/competitions/skills/{s.skill.pk}/marking/", {
        "workstation_no": entry.workstation_no, "aspect_code": "J1", "value": "5",
        "idempotency_key": str(uuid4()),
    }, follow=True)
    assert "0, 1, 2, 3" in bad.content.decode()


def test_marking_page_does_not_say_which_workstations_hold_the_referees_own_unit(  # type: ignore[no-untyped-def]
    scenario: Scenario, client_of
) -> None:
    """referee_a is recused from unit A's entries; the page lists only the cells the referee marks, never a closed
    one, and a direct attempt is refused without the reason, which would reveal which workstation holds a
    contestant of the referee's unit (DESIGN.md "Recusal without a leak")."""
    s = scenario
    page = client_of(s.referee_a).get(f"/competitions/skills/{s.skill.pk}/marking/").content.decode()
    shown = marking_workstations(page, {e.workstation_no for e in s.entries})
    assert shown == {e.workstation_no for e in s.entries_b}
    assert all(f'data-workstation="{e.workstation_no}"' not in page for e in s.entries_a)  # no card, no cell
    assert "由其他裁判评判" not in page
    assert "同属一个单位" not in page and "回避" not in page.split("<main", 1)[1]
    refused = client_of(s.referee_a).post(f"/competitions/skills/{s.skill.pk}/marking/", {
        "workstation_no": s.entries_a[0].workstation_no, "aspect_code": "A1", "value": "20",
        "idempotency_key": str(uuid4()),
    })
    assert refused.status_code == 403 and "同属一个单位" not in refused.content.decode()


def test_chief_signs_off_with_a_divergence_reason(scenario: Scenario, client_of) -> None:  # type: ignore[no-untyped-def]
    s = scenario
    entry = s.entries_b[0]
    mark_entry(s, entry, j1=(0, 2, 3))
    sheet = Sheet.objects.get(entry=entry, module__code="M2")
    client = client_of(s.chief)
    assert "J1" in client.get(f"/competitions/skills/{s.skill.pk}/sheets/").content.decode()
    refused = client.post(f"/competitions/skills/{s.skill.pk}/sheets/", {"sheet_id": sheet.pk}, follow=True)
    assert 'data-code="sheet.divergent"' in refused.content.decode()
    client.post(f"/competitions/skills/{s.skill.pk}/sheets/", {"sheet_id": sheet.pk, "confirm_J1": "复核录像"})
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.SIGNED_OFF
    assert client_of(s.referee_a).get(f"/competitions/skills/{s.skill.pk}/sheets/").status_code == 403


def test_my_competitions_lists_assignments_and_entries(scenario: Scenario, client_of) -> None:  # type: ignore[no-untyped-def]
    s = scenario
    html = client_of(s.r1).get("/competitions/mine/").content.decode()
    assert f"/competitions/skills/{s.skill.pk}/marking/" in html
    contestant = s.entries[0].members.get().person
    assert s.skill.name in client_of(contestant).get("/competitions/mine/").content.decode()
    assert "data-nav=\"competitions\"" in client_of(contestant).get("/").content.decode()


def test_my_competitions_shows_one_s_place_as_the_api_does(scenario: Scenario, client_of, client: Client) -> None:  # type: ignore[no-untyped-def]
    s = scenario
    contestant = s.entries[0].members.get().person
    assert 'data-testid="my-place"' not in client_of(contestant).get("/competitions/mine/").content.decode()
    steps.mark_review_publish(s)
    (mine,) = client.get("/api/v1/competitions/my/entries", **bearer(contestant)).json()
    html = client_of(contestant).get("/competitions/mine/").content.decode()
    assert mine["place"] is not None and f'data-testid="my-place" data-place="{mine["place"]}"' in html
    assert mine["award_label"] and mine["award_label"] in html.split('data-testid="my-place"', 1)[1].split("</span>")[0]


def test_the_event_page_links_each_skill_to_its_excel_page(scenario: Scenario, client_of) -> None:  # type: ignore[no-untyped-def]
    s = scenario
    client = client_of(s.organizer)
    html = client.get(f"/competitions/events/{s.event.pk}/manage/").content.decode()
    url = f"/competitions/skills/{s.skill.pk}/excel/"
    assert f'href="{url}"' in html
    assert client.get(url).status_code == 200


def _refused_page(response, status: int) -> str:  # type: ignore[no-untyped-def]
    """The one 403/404 page of shell.page_errors, answered at once: no redirect, no message queued for later."""
    assert response.status_code == status
    assert "shell/error.html" in [t.name for t in response.templates]
    assert not list(get_messages(response.wsgi_request))
    return str(response.content.decode())


def test_a_page_post_without_the_right_gets_the_403_or_404_page_not_a_message(  # type: ignore[no-untyped-def]
    scenario: Scenario, client_of, hr_of_a: User
) -> None:
    """The services check the right; the pages pass a refusal on to the error page (competitions.views.pages)."""
    s = scenario
    move = f"/competitions/events/{s.event.pk}/transition/"
    _refused_page(client_of(hr_of_a).post(move, {"target": "review"}), 404)  # another unit: invisible
    _refused_page(client_of(s.chief).post(move, {"target": "review"}), 403)  # the organizer's unit: seen
    _refused_page(client_of(s.r1).post(f"/competitions/skills/{s.skill.pk}/transition/", {"target": "review"}), 404)
    _refused_page(client_of(s.organizer).post(f"/competitions/skills/{s.skill.pk}/draws/checkin/"), 403)
    _refused_page(client_of(s.organizer).post(f"/competitions/skills/{s.skill.pk}/decrypt/"), 403)
    s.refresh()
    assert (s.event.status, s.skill.status, s.skill.decrypted_at) == (Status.MARKING, Status.MARKING, None)

    off_panel = client_of(s.r3).post(f"/competitions/skills/{s.skill.pk}/marking/", {
        "workstation_no": s.entries_b[0].workstation_no, "aspect_code": "J1", "value": "2",
        "idempotency_key": str(uuid4()),
    })
    assert 'data-code="mark.not_assigned"' in _refused_page(off_panel, 403)
    recused = client_of(s.referee_a).post(f"/competitions/skills/{s.skill.pk}/marking/", {
        "workstation_no": s.entries_a[0].workstation_no, "aspect_code": "A1", "value": "20",
        "idempotency_key": str(uuid4()),
    })
    page = _refused_page(recused, 403)
    assert 'data-code="mark.not_assigned"' in page  # as neutral as the off-panel attempt (recusal without a leak)
    assert "同属一个单位" not in page and "回避" not in page
    assert not Mark.objects.exists()


def test_the_chief_s_sheets_cost_the_same_queries_however_many_sheets(  # type: ignore[no-untyped-def]
    scenario: Scenario, client_of, client: Client, django_assert_max_num_queries
) -> None:
    """Eight sheets (four workstations × two modules) in every state: signed off, complete, divergent, incomplete,
    untouched; the page and the API read them in a fixed number of queries, each as `sheet_state` decides it."""
    s = scenario
    mark_entry(s, s.entries_b[0])
    mark_entry(s, s.entries_b[1], j1=(0, 2, 3))  # M2 divergent
    mark(s.r1, s.entries_a[0], s.aspects["A1"], 20)  # M1 incomplete
    services.sheet_sign_off(chief=s.chief, sheet_id=Sheet.objects.get(entry=s.entries_b[0], module__code="M1").pk)
    expected = {sheet.pk: selectors.sheet_state(sheet) for sheet in Sheet.objects.filter(entry__skill=s.skill)}
    assert len(expected) == 8 and len({(st.incomplete, st.divergent) for st in expected.values()}) >= 3

    views = selectors.chief_sheets(chief=s.chief, skill=s.skill)
    assert {v.sheet_id: (tuple(v.incomplete), tuple(v.divergent)) for v in views} == {
        pk: (st.incomplete, st.divergent) for pk, st in expected.items()
    }
    page_client, headers = client_of(s.chief), bearer(s.chief)
    # Page: session, user, roles, the skill, the chief's assignment, the sheets, their aspects, their marks.
    with django_assert_max_num_queries(10):
        page = page_client.get(f"/competitions/skills/{s.skill.pk}/sheets/").content.decode()
    assert page.count('data-testid="sheet"') == 8
    # API: the token (read, and its last use written) instead of the session; the rest as on the page.
    with django_assert_max_num_queries(10):
        listed = client.get(f"/api/v1/competitions/skills/{s.skill.pk}/sheets", **headers).json()
    assert [row["sheet_id"] for row in listed] == [v.sheet_id for v in views]


def test_the_event_page_counts_each_skill_in_one_query(  # type: ignore[no-untyped-def]
    scenario: Scenario, client_of, django_assert_max_num_queries
) -> None:
    s = scenario
    mark_entry(s, s.entries_b[0])
    services.sheet_sign_off(chief=s.chief, sheet_id=Sheet.objects.get(entry=s.entries_b[0], module__code="M1").pk)
    (row,) = selectors.event_management(viewer=s.organizer, event=s.event).skills
    assert (row.id, row.approved, row.pending, row.open_sheets) == (s.skill.pk, 4, 0, 7)
    assert row.next is not None and row.next.status == Status.REVIEW
    client = client_of(s.organizer)
    with django_assert_max_num_queries(9):  # 8, and the public board's freeze in force (none here): one more
        html = client.get(f"/competitions/events/{s.event.pk}/manage/").content.decode()
    assert f'data-skill="{s.skill.pk}" data-status="{Status.MARKING}"' in html
