"""The competitions API: results public vs provisional vs hidden, marks by 工位号 with an idempotency key,
clear refusals, and a query budget on the results endpoint."""

from __future__ import annotations

from uuid import uuid4

import pytest
from django.test import Client

from accounts.models import Organization, User
from competitions.models import Entry, Mark, Skill
from tests.accounts.steps import bearer
from tests.competitions import steps
from tests.competitions.factories import contestant
from tests.competitions.steps import Scenario, mark_entry


def test_results_are_hidden_then_provisional_for_the_jury_then_public(
    scenario: Scenario, client: Client, outsider: User
) -> None:
    s = scenario
    url = f"/api/v1/competitions/events/{s.event.pk}/results"
    mark_entry(s, s.entries[0])
    assert client.get(url).status_code == 404
    assert client.get(url, **bearer(outsider)).status_code == 404
    jury = client.get(url, **bearer(s.chief))
    assert jury.status_code == 200
    body = jury.json()
    assert body["provisional"] is True
    rows = body["skills"][0]["rows"]
    assert rows[0]["names"] is None and rows[0]["workstation_no"]  # not decrypted yet: 工位号 only
    assert rows[0]["total"] == "89.33"

    steps.mark_review_publish(s)
    public = client.get(url)
    assert public.status_code == 200
    body = public.json()
    assert body["provisional"] is False
    skill = body["skills"][0]
    assert skill["named"] is True and len(skill["rows"]) == 4
    assert all(row["names"] and row["unit"] for row in skill["rows"])
    assert "id_number" not in str(body)


def test_results_are_public_during_the_review_period_marked_as_under_review(
    scenario: Scenario, client: Client
) -> None:
    """成绩公示: the provisional results are shown to everyone so anyone may object within the period."""
    s = scenario
    steps.bring_to_review(s)
    body = client.get(f"/api/v1/competitions/events/{s.event.pk}/results").json()
    skill = body["skills"][0]
    assert skill["under_review"] is True and skill["review_until"] is not None
    assert skill["provisional"] is True and skill["named"] is True
    assert all(row["names"] for row in skill["rows"]) and "id_number" not in str(body)
    page = client.get(f"/competitions/events/{s.event.pk}/results/").content.decode()
    assert 'data-testid="under-review"' in page


def test_award_and_promotion_labels_follow_the_readers_language(scenario: Scenario, client: Client) -> None:
    steps.mark_review_publish(scenario)
    url = f"/api/v1/competitions/events/{scenario.event.pk}/results"
    zh = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").json()["skills"][0]["rows"][0]
    en = client.get(url, HTTP_ACCEPT_LANGUAGE="en").json()["skills"][0]["rows"][0]
    assert (zh["award_label"], en["award_label"]) == ("金牌", "Gold")
    assert zh["promotion_label"] == "二级/技师" and en["promotion_label"] == "Level 2 / technician"


def test_results_endpoint_has_a_query_budget(
    scenario: Scenario, client: Client, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    steps.mark_review_publish(scenario)
    url = f"/api/v1/competitions/events/{scenario.event.pk}/results"
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200


def test_events_list_is_public_without_drafts(scenario: Scenario, client: Client) -> None:
    response = client.get("/api/v1/competitions/events")
    assert response.status_code == 200
    assert [e["id"] for e in response.json()] == [scenario.event.pk]
    assert response.json()[0]["status"] == "marking"


def test_a_referee_marks_by_workstation_and_a_retry_is_harmless(scenario: Scenario, client: Client) -> None:
    s = scenario
    entry = s.entries_b[0]
    url = f"/api/v1/competitions/skills/{s.skill.pk}/marks"
    payload = {"workstation_no": entry.workstation_no, "aspect_code": "A1", "value": "20",
               "idempotency_key": str(uuid4())}
    headers = bearer(s.referee_a)
    first = client.post(url, payload, content_type="application/json", **headers)
    assert first.status_code == 201 and first.json()["value"] == "20.0000"
    retry = client.post(url, payload, content_type="application/json", **headers)
    assert retry.status_code == 200 and retry.json()["replayed"] is True
    assert Mark.objects.count() == 1

    bad = client.post(url, {**payload, "aspect_code": "J1", "value": "2.5", "idempotency_key": str(uuid4())},
                      content_type="application/json", **headers)
    assert bad.status_code == 422 and bad.json()["code"] == "mark.judgement_score_invalid"
    assert "0, 1, 2, 3" in bad.json()["message"]
    recused = client.post(url, {**payload, "workstation_no": s.entries_a[0].workstation_no,
                                "idempotency_key": str(uuid4())}, content_type="application/json", **headers)
    assert recused.status_code == 403 and recused.json()["code"] == "mark.not_assigned"  # the reason is not told
    assert client.post(url, payload, content_type="application/json").status_code == 401
    assert Mark.objects.count() == 1


def test_marking_sheet_shows_workstations_not_people(scenario: Scenario, client: Client) -> None:
    s = scenario
    response = client.get(f"/api/v1/competitions/skills/{s.skill.pk}/marking", **bearer(s.r1))
    assert response.status_code == 200
    body = response.json()
    assert {w["workstation_no"] for w in body["workstations"]} == {e.workstation_no for e in s.entries}
    assert "entry_id" not in str(body) and "names" not in str(body)
    assert client.get(f"/api/v1/competitions/skills/{s.skill.pk}/marking",
                      **bearer(s.organizer)).status_code in (403, 404)


def test_a_skipped_status_move_is_a_409_naming_the_step(scenario: Scenario, client: Client) -> None:
    s = scenario
    response = client.post(f"/api/v1/competitions/events/{s.event.pk}/transition", {"target": "published"},
                           content_type="application/json", **bearer(s.organizer))
    assert response.status_code == 409 and "成绩公示" in response.json()["message"]


@pytest.mark.parametrize("stage", ["checkin", "workstation"])
def test_only_the_encryption_officer_draws(scenario: Scenario, client: Client, stage: str) -> None:
    response = client.post(f"/api/v1/competitions/skills/{scenario.skill.pk}/draws/{stage}", {},
                           content_type="application/json", **bearer(scenario.organizer))
    assert response.status_code == 403
    officer = client.post(f"/api/v1/competitions/skills/{scenario.skill.pk}/draws/{stage}", {},
                          content_type="application/json", **bearer(scenario.encryptor))
    assert officer.status_code == 409  # marking has started: the draws are closed


def test_standings_rows_carry_no_entry_for_the_jury_before_decryption_nor_for_the_public(
    scenario: Scenario, client: Client
) -> None:
    s = scenario
    url = f"/api/v1/competitions/events/{s.event.pk}/results"
    mark_entry(s, s.entries[0])
    jury_rows = client.get(url, **bearer(s.chief)).json()["skills"][0]["rows"]
    assert jury_rows and all(row["names"] is None and row["unit"] is None for row in jury_rows)
    assert all("entry_id" not in row and "promotion_level" not in row for row in jury_rows)
    steps.mark_review_publish(s)
    public_rows = client.get(url).json()["skills"][0]["rows"]
    assert len(public_rows) == 4 and all("entry_id" not in row for row in public_rows)


def test_my_entries_show_one_s_place_and_total_from_the_review_period_on(scenario: Scenario, client: Client) -> None:
    s = scenario
    entry = s.entries[0]
    headers = bearer(entry.members.get().person)
    url = "/api/v1/competitions/my/entries"
    (before,) = client.get(url, **headers).json()
    assert (before["id"], before["skill_id"], before["status"]) == (entry.pk, s.skill.pk, "approved")
    assert (before["place"], before["total"], before["published"]) == (None, None, False)
    steps.bring_to_review(s)
    (mine,) = client.get(url, **headers).json()
    public = client.get(f"/api/v1/competitions/events/{s.event.pk}/results").json()["skills"][0]["rows"]
    (row,) = [r for r in public if r["workstation_no"] == Entry.objects.get(pk=entry.pk).workstation_no]
    assert (mine["place"], mine["total"], mine["award_label"]) == (row["place"], row["total"], row["award_label"])
    assert mine["published"] is False and mine["event_name"] == s.event.name


def test_a_registration_written_answers_with_the_row_the_list_shows(
    registration_skill: Skill, client: Client, hr_of_a: User, organizer: User, enterprise_a: Organization
) -> None:
    person_a = contestant(enterprise_a, real_name="张报名")
    url = f"/api/v1/competitions/skills/{registration_skill.pk}/entries"
    submitted = client.post(url, {"unit_id": enterprise_a.pk, "members": [{"person_id": person_a.pk,
                                                                             "group": "worker"}]},
                            content_type="application/json", **bearer(hr_of_a))
    assert submitted.status_code == 201
    body = submitted.json()
    assert body["status"] == "submitted" and body["members"] == [{"person_id": person_a.pk, "name": "张报名"}]
    approved = client.post(f"/api/v1/competitions/entries/{body['id']}/approve", {"reason": ""},
                           content_type="application/json", **bearer(organizer))
    assert approved.status_code == 200
    (listed,) = client.get(url, **bearer(organizer)).json()
    assert approved.json() == listed == {**body, "status": "approved", "status_label": listed["status_label"]}
    assert person_a.id_number not in str(listed)
