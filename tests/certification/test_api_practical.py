"""API of the practical assessment and results: the assessor's tablet and scores (idempotent), the chief's flags
and confirmation, the body's sheet, results, moves and export, the candidate's result and objection; other units
get 404 (issue 12 items 8–9)."""

from __future__ import annotations

import io
from datetime import timedelta
from uuid import uuid4

import openpyxl
import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Organization, User
from certification.models import AssessorScoreRevision, BatchResults
from tests.certification.practical_steps import score_all, seated_sitting, theory

BASE = "/api/v1/certification"


def signed_in(user: User) -> Client:
    """A client of its own per person (the shared `client_of` signs one client in again)."""
    client = Client()
    client.force_login(user, backend="accounts.auth.AccountBackend")
    return client


@pytest.fixture
def sitting(exam_staff: User, exam_center: Organization, enterprise_a: Organization):  # type: ignore[no-untyped-def]
    return seated_sitting(exam_staff, exam_center, enterprise_a)


def _score(client, registration_id: int, item: str, value: str, key: str | None = None, reason: str = ""):  # type: ignore[no-untyped-def]
    return client.post(f"{BASE}/registrations/{registration_id}/scores", {
        "part": "practical", "item_code": item, "value": value, "idempotency_key": key or str(uuid4()),
        "reason": reason}, content_type="application/json")


def test_an_assessor_sees_their_candidates_by_ticket_and_scores_them(sitting) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(sitting.panel[0])
    tablet = client.get(f"{BASE}/parts/{sitting.practical.pk}/tablet").json()
    assert [c["ticket_no"] for c in tablet["candidates"]] == [r.ticket_no for r in sitting.registrations]
    assert "candidate_name" not in tablet["candidates"][0] and "id_number" not in tablet["candidates"][0]
    r = sitting.registrations[0]
    key = str(uuid4())
    first = _score(client, r.pk, "A1", "30.5", key)
    again = _score(client, r.pk, "A1", "30.5", key)
    assert first.status_code == 200 and again.json()["replayed"] is True
    assert AssessorScoreRevision.objects.count() == 1
    assert _score(client, r.pk, "A1", "41").status_code == 422  # above the item's 40
    assert "reason" in _score(client, r.pk, "A1", "31").json()["fields"]


def test_another_units_staff_get_404_everywhere(sitting, hr_of_b: User) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(hr_of_b)
    r = sitting.registrations[0]
    assert client.get(f"{BASE}/batches/{sitting.batch.pk}/results").status_code == 404
    assert client.get(f"{BASE}/parts/{sitting.practical.pk}/sheet").status_code == 404
    assert client.get(f"{BASE}/registrations/{r.pk}/result").status_code == 404
    assert client.post(f"{BASE}/batches/{sitting.batch.pk}/results/review").status_code == 404


def test_an_assessor_gets_404_for_a_part_without_their_duty(sitting, exam_center: Organization) -> None:  # type: ignore[no-untyped-def]
    from accounts.models import Role
    from tests.accounts.factories import person

    other = person(Role.ASSESSOR, exam_center, username="idle_assessor")
    assert signed_in(other).get(f"{BASE}/parts/{sitting.practical.pk}/tablet").status_code == 404
    assert _score(signed_in(other), sitting.registrations[0].pk, "A1", "30").status_code == 404


def test_the_chief_confirms_a_flag_through_the_api(sitting) -> None:  # type: ignore[no-untyped-def]
    r = sitting.registrations[0]
    score_all(sitting, r, ("30", "30", "38"), ("45", "45", "45"))
    client = signed_in(sitting.chief)
    flags = client.get(f"{BASE}/batches/{sitting.batch.pk}/flags").json()
    assert [(f["item_code"], f["scores"]) for f in flags] == [("A1", ["30.00", "30.00", "38.00"])]
    refused = client.post(f"{BASE}/registrations/{r.pk}/flags/confirm", {"item_code": "A1", "reason": " "},
                          content_type="application/json")
    assert refused.status_code == 422
    done = client.post(f"{BASE}/registrations/{r.pk}/flags/confirm", {"item_code": "A1", "reason": "有依据"},
                       content_type="application/json")
    assert done.status_code == 201 and done.json() == []
    assert signed_in(sitting.panel[0]).get(f"{BASE}/batches/{sitting.batch.pk}/flags").status_code == 403


def test_the_body_sets_the_sheet_until_the_first_score(sitting, exam_staff: User) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(exam_staff)
    sheet = {"items": [{"code": "B1", "title": "作品", "max_points": "100"}], "tolerance_share": "0.1"}
    put = client.put(f"{BASE}/parts/{sitting.practical.pk}/sheet", sheet, content_type="application/json")
    assert put.status_code == 200 and put.json()["items"][0]["tolerance"] == "10.000"
    _score(signed_in(sitting.panel[0]), sitting.registrations[0].pk, "B1", "80")
    again = client.put(f"{BASE}/parts/{sitting.practical.pk}/sheet", sheet, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "practical.sheet_frozen"


def test_results_review_publication_and_the_candidates_view(sitting, exam_staff: User) -> None:  # type: ignore[no-untyped-def]
    first, second = sitting.registrations
    client = signed_in(exam_staff)
    assert client.post(f"{BASE}/registrations/{first.pk}/part-results", {"part": "theory", "score": "75"},
                       content_type="application/json").status_code == 200
    theory(exam_staff, second, "70")
    score_all(sitting, first)
    score_all(sitting, second, ("20", "20", "20"), ("34", "34", "34"))
    view = client.get(f"{BASE}/batches/{sitting.batch.pk}/results").json()
    assert view["review_blocker"] == "" and view["publish_blocker"] != ""
    candidate = signed_in(second.candidate)
    assert candidate.get(f"{BASE}/registrations/{second.pk}/result").json()["visible"] is False
    assert client.post(f"{BASE}/batches/{sitting.batch.pk}/results/review").json()["state"] == "in_review"
    mine = candidate.get(f"{BASE}/registrations/{second.pk}/result").json()
    assert mine["passed"] is False and mine["reasons"] == ["操作技能考核：54.0 分，低于合格线 60 分"]
    filed = candidate.post(f"{BASE}/registrations/{second.pk}/objections", {"text": "请复核"},
                           content_type="application/json")
    assert filed.status_code == 201
    BatchResults.objects.filter(batch=sitting.batch).update(review_ends_at=timezone.now() - timedelta(seconds=1))
    blocked = client.post(f"{BASE}/batches/{sitting.batch.pk}/results/publish")
    assert blocked.status_code == 409 and blocked.json()["code"] == "results.open_objections"
    objection_id = client.get(f"{BASE}/batches/{sitting.batch.pk}/results").json()["objections"][0]["id"]
    assert client.post(f"{BASE}/objections/{objection_id}/answer", {"answer": "复核无误", "upheld": False},
                       content_type="application/json").status_code == 200
    assert client.post(f"{BASE}/batches/{sitting.batch.pk}/results/publish").json()["state"] == "published"


def test_the_export_writes_numbers_as_numbers_and_full_ids_for_the_body(sitting,
                                                                       exam_staff: User) -> None:  # type: ignore[no-untyped-def]
    first, second = sitting.registrations
    theory(exam_staff, first, "75")
    score_all(sitting, first)
    response = signed_in(exam_staff).get(f"{BASE}/batches/{sitting.batch.pk}/results.xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("姓名", "证件号码", "职业", "职业代码", "等级", "理论成绩", "操作成绩", "综合评审成绩",
                       "是否合格", "考核日期", "评价机构")
    assert rows[1][1] == first.candidate.id_number and rows[1][5] == 75 and rows[1][6] == 75
    assert rows[1][8] == "合格" and rows[2][8] == "待评定"
