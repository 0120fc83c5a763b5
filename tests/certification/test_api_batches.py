"""The exam batches API (issue 12 item 4): the body plans a batch through it (parts, rooms, staff, the staffing check
moving, opening), candidates and units register, the body reviews in bulk with reasons and allocates seats, the
candidate downloads the ticket and the door staff check it by token; another body sees nothing (404), a unit
lists only its own registrations, and ID numbers are masked for readers with no need."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from accounts.identity import mask_id_number
from accounts.models import Organization, Role, User
from audit.models import AuditEntry
from certification.models import Batch, Registration, RegistrationStatus, SeatAllocation
from tests.accounts.factories import OrganizationFactory, person
from tests.certification.batch_steps import assessors, part, planned_batch, register, workers
from tests.certification.batch_steps import registration_sheet as _sheet
from tests.certification.factories import occupation

pytestmark = pytest.mark.django_db
BASE = "/api/v1/certification"


def _iso(hours: float) -> str:
    return (timezone.now() + timedelta(days=20, hours=hours)).isoformat()


def test_the_body_plans_a_batch_and_the_staffing_check_moves(client_of, exam_staff: User,  # type: ignore[no-untyped-def]
                                                            exam_center: Organization) -> None:
    client: Client = client_of(exam_staff)
    today = timezone.localdate()
    answer = client.post(f"{BASE}/batches", {
        "body_id": exam_center.pk, "occupation_id": occupation().pk, "level": 4, "name": "焊工四级第一批",
        "registration_opens": today.isoformat(), "registration_closes": (today + timedelta(days=9)).isoformat(),
    }, content_type="application/json")
    assert answer.status_code == 201, answer.json()
    plan = answer.json()
    batch_id = plan["batch"]["id"]
    assert plan["batch"]["status"] == "planning" and plan["missing_parts"] == ["理论知识考试", "操作技能考核"]

    short = client.put(f"{BASE}/batches/{batch_id}/parts/theory", {"starts_at": _iso(0), "ends_at": _iso(1)},
                       content_type="application/json")
    assert short.status_code == 422 and "不少于 90 分钟" in short.json()["message"] + str(short.json()["fields"])
    for kind, start in (("theory", 0), ("practical", 3)):
        assert client.put(f"{BASE}/batches/{batch_id}/parts/{kind}", {"starts_at": _iso(start),
                                                                      "ends_at": _iso(start + 2)},
                          content_type="application/json").status_code == 200
    theory, practical = (part(Batch.objects.get(pk=batch_id), k) for k in ("theory", "practical"))
    plan = client.post(f"{BASE}/batch-parts/{theory.pk}/rooms", {"name": "第一考场", "seats": 20},
                       content_type="application/json").json()
    room_id = plan["parts"][0]["rooms"][0]["id"]
    group = client.post(f"{BASE}/batch-parts/{practical.pk}/rooms", {"name": "实训车间", "seats": 10},
                        content_type="application/json").json()["parts"][1]["rooms"][0]["id"]
    invigilator = assessors(exam_center, 1, "invigilator")[0]
    client.post(f"{BASE}/batch-parts/{theory.pk}/staff", {"person_id": invigilator.pk, "room_id": room_id},
                content_type="application/json")

    check = client.get(f"{BASE}/batches/{batch_id}/staffing").json()
    assert check["ok"] is False
    assert {(s["code"], s["part"], s["needed"], s["has"], s["short"]) for s in check["shortfalls"]} == {
        ("batch.ratio.invigilators_per_15", "theory", 2, 1, 1),
        ("batch.ratio.invigilators_per_room", "theory", 2, 1, 1),
        ("batch.ratio.assessors_per_5", "practical", 2, 0, 2),
        ("batch.ratio.assessors_at_least_3", "practical", 3, 0, 3)}
    refused = client.post(f"{BASE}/batches/{batch_id}/open")
    assert refused.status_code == 422 and refused.json()["code"] == "batch.staffing_short"

    for p in assessors(exam_center, 1, "invigilator2"):
        client.post(f"{BASE}/batch-parts/{theory.pk}/staff", {"person_id": p.pk, "room_id": room_id},
                    content_type="application/json")
    for p in assessors(exam_center, 4):
        plan = client.post(f"{BASE}/batch-parts/{practical.pk}/staff", {"person_id": p.pk, "room_id": group},
                           content_type="application/json").json()
    check = client.get(f"{BASE}/batches/{batch_id}/staffing").json()
    assert [s["code"] for s in check["shortfalls"]] == ["batch.ratio.assessors_odd"]  # four assessors tie
    fourth = plan["parts"][1]["rooms"][0]["staff"][-1]["id"]
    assert client.delete(f"{BASE}/batches/{batch_id}/staff/{fourth}").status_code == 200
    assert client.get(f"{BASE}/batches/{batch_id}/staffing").json() == {
        "batch_id": batch_id, "ok": True, "missing_parts": [], "problems": [], "shortfalls": []}
    opened = client.post(f"{BASE}/batches/{batch_id}/open")
    assert opened.status_code == 200 and opened.json()["status"] == "open" and opened.json()["capacity"] == 10
    assert AuditEntry.objects.filter(action="certification.batch.open", target_id=str(batch_id)).exists()
    assert [b["id"] for b in client.get(f"{BASE}/batches/open").json()] == [batch_id]


def test_another_bodys_batch_is_invisible_and_a_batch_in_planning_is_not_announced(  # type: ignore[no-untyped-def]
        client_of, exam_staff: User, exam_center: Organization, worker_of_a: User) -> None:
    batch = planned_batch(exam_staff, exam_center, open_it=False)
    other_body = OrganizationFactory(name="丁考核站", kind="exam_center")
    other: Client = client_of(person(Role.EXAM_CENTER_STAFF, other_body, username="other_staff"))
    for url in (f"/batches/{batch.pk}", f"/batches/{batch.pk}/plan", f"/batches/{batch.pk}/staffing",
                f"/batches/{batch.pk}/registrations"):
        assert other.get(BASE + url).status_code == 404, url
    assert other.post(f"{BASE}/batches/{batch.pk}/open").status_code == 404
    theory = part(batch, "theory")
    assert other.post(f"{BASE}/batch-parts/{theory.pk}/rooms", {"name": "x", "seats": 5},
                      content_type="application/json").status_code == 404
    assert other.get(f"{BASE}/batches").json() == []
    candidate: Client = client_of(worker_of_a)
    assert candidate.get(f"{BASE}/batches/{batch.pk}").status_code == 404  # in planning: not announced
    Batch.objects.filter(pk=batch.pk).update(status="open")
    assert candidate.get(f"{BASE}/batches/{batch.pk}").json()["name"] == batch.name
    assert candidate.get(f"{BASE}/batches/{batch.pk}/plan").status_code in (403, 404)


def test_registration_review_seats_ticket_and_door_check(client_of, exam_staff: User,  # type: ignore[no-untyped-def]
                                                         exam_center: Organization, enterprise_a: Organization,
                                                         hr_of_a: User, worker_of_a: User) -> None:
    batch = planned_batch(exam_staff, exam_center)
    colleagues = workers(enterprise_a, 3)
    candidate: Client = Client()
    candidate.force_login(worker_of_a, backend="accounts.auth.AccountBackend")
    mine = candidate.post(f"{BASE}/batches/{batch.pk}/registrations", {"years_in_trade": "2"},
                          content_type="application/json")
    assert mine.status_code == 422 and mine.json()["code"] == "registration.ineligible"
    mine = candidate.post(f"{BASE}/batches/{batch.pk}/registrations", {"years_in_trade": "6.5"},
                          content_type="application/json")
    assert mine.status_code == 201, mine.json()
    own_id = mine.json()["row"]["id"]
    assert mine.json()["eligibility"]["eligible"] is True and mine.json()["row"]["unit_name"] == enterprise_a.name

    hr: Client = Client()
    hr.force_login(hr_of_a, backend="accounts.auth.AccountBackend")
    made = [hr.post(f"{BASE}/batches/{batch.pk}/registrations", {
        "candidate_id": p.pk, "unit_id": enterprise_a.pk, "years_in_trade": "7"}, content_type="application/json")
        for p in colleagues]
    assert [m.status_code for m in made] == [201, 201, 201]
    outsider = person(Role.CANDIDATE, OrganizationFactory(name="乙企业"), username="stranger")
    refused = hr.post(f"{BASE}/batches/{batch.pk}/registrations", {
        "candidate_id": outsider.pk, "unit_id": enterprise_a.pk, "years_in_trade": "7"},
        content_type="application/json")
    assert refused.status_code == 422 and "candidate_id" in refused.json()["fields"]

    # A unit sees its own registrations; the candidate of another unit is not among them. The body sees all.
    hr_rows = hr.get(f"{BASE}/batches/{batch.pk}/registrations").json()
    assert len(hr_rows) == 4 and {r["unit_name"] for r in hr_rows} == {enterprise_a.name}
    other_unit = OrganizationFactory(name="丙企业")
    register(batch, workers(other_unit, 1, "c"), other_unit)
    assert len(hr.get(f"{BASE}/batches/{batch.pk}/registrations").json()) == 4
    body: Client = client_of(exam_staff)
    rows = body.get(f"{BASE}/batches/{batch.pk}/registrations", {"status": "submitted"}).json()
    assert len(rows) == 5
    assert [r["id"] for r in body.get(f"{BASE}/batches/{batch.pk}/registrations",
                                      {"unit_id": other_unit.pk}).json()] == [rows[-1]["id"]]
    assert body.get(f"{BASE}/batches/{batch.pk}/registrations", {"status": "nonsense"}).status_code == 422
    # Masking: the body's staff do not need the full ID number; the registering unit's HR does.
    row_of = {r["candidate_id"]: r for r in rows}
    assert row_of[worker_of_a.pk]["id_number"] == mask_id_number(worker_of_a.id_number) != worker_of_a.id_number
    assert {r["candidate_id"]: r["id_number"] for r in hr_rows}[worker_of_a.pk] == worker_of_a.id_number

    no_reason = body.post(f"{BASE}/batches/{batch.pk}/registrations/reject",
                          {"registration_ids": [rows[-1]["id"]]}, content_type="application/json")
    assert no_reason.status_code == 422 and "reason" in no_reason.json()["fields"]
    rejected = body.post(f"{BASE}/batches/{batch.pk}/registrations/reject",
                         {"registration_ids": [rows[-1]["id"]], "reason": "工作年限证明不全"},
                         content_type="application/json").json()
    assert [(r["status"], r["review_reason"]) for r in rejected] == [("rejected", "工作年限证明不全")]
    approved = body.post(f"{BASE}/batches/{batch.pk}/registrations/approve",
                         {"registration_ids": [r["id"] for r in rows[:4]]}, content_type="application/json")
    assert approved.status_code == 200 and {r["status"] for r in approved.json()} == {"approved"}
    again = body.post(f"{BASE}/batches/{batch.pk}/registrations/approve", {"registration_ids": [rows[-1]["id"]]},
                      content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "registration.bad_move"
    assert hr.post(f"{BASE}/batches/{batch.pk}/registrations/approve", {"registration_ids": [own_id]},
                   content_type="application/json").status_code in (403, 404)

    withdrawn = hr.post(f"{BASE}/registrations/{made[2].json()['row']['id']}/withdraw", {"reason": "工作调动"},
                        content_type="application/json")
    assert withdrawn.status_code == 200 and withdrawn.json()["row"]["status"] == "withdrawn"

    too_early = body.post(f"{BASE}/batches/{batch.pk}/seats", {}, content_type="application/json")
    assert too_early.status_code == 409 and too_early.json()["code"] == "batch.not_closed"
    assert body.post(f"{BASE}/batches/{batch.pk}/close").json()["status"] == "closed"
    seated = body.post(f"{BASE}/batches/{batch.pk}/seats", {"seed": 7}, content_type="application/json")
    assert seated.status_code == 201 and (seated.json()["seed"], seated.json()["seated"]) == (7, 3)
    assert SeatAllocation.objects.get(batch=batch).digest == seated.json()["digest"]

    mine_now = candidate.get(f"{BASE}/registrations/mine").json()
    assert [(r["id"], r["status"]) for r in mine_now] == [(own_id, "seated")] and mine_now[0]["ticket_no"]
    assert "第一考场" in mine_now[0]["seats"]
    pdf = candidate.get(f"{BASE}/registrations/{own_id}/ticket")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content[:5] == b"%PDF-"
    withdrawn_ticket = hr.get(f"{BASE}/registrations/{made[2].json()['row']['id']}/ticket")
    assert withdrawn_ticket.status_code == 409 and withdrawn_ticket.json()["code"] == "registration.not_seated"

    token = Registration.objects.get(pk=own_id).ticket_token
    door = body.get(f"{BASE}/tickets/{token}")
    assert door.status_code == 200
    assert (door.json()["name"], door.json()["id_number"], door.json()["status"]) == (
        str(worker_of_a), mask_id_number(worker_of_a.id_number), "seated")
    assert candidate.get(f"{BASE}/tickets/{token}").status_code in (403, 404)
    other: Client = client_of(person(Role.EXAM_CENTER_STAFF, OrganizationFactory(name="戊考核站",
                                                                                 kind="exam_center")))
    assert other.get(f"{BASE}/tickets/{token}").status_code == 404
    assert other.get(f"{BASE}/registrations/{own_id}").status_code == 404
    assert other.get(f"{BASE}/registrations/{own_id}/ticket").status_code == 404
    assert other.get(f"{BASE}/tickets/not-a-token").status_code == 404


def test_a_unit_imports_registrations_by_excel_all_or_nothing(client_of, exam_staff: User,  # type: ignore[no-untyped-def]
                                                              exam_center: Organization, enterprise_a: Organization,
                                                              hr_of_a: User, settings: Any) -> None:
    batch = planned_batch(exam_staff, exam_center)
    people = workers(enterprise_a, 3)
    rows: list[list[object]] = [[p.real_name, p.id_number, 6, "否", "", "高中"] for p in people]
    hr: Client = client_of(hr_of_a)
    url = f"{BASE}/batches/{batch.pk}/registrations/import"
    bad = [*rows[:2], [people[2].real_name, people[2].id_number, 2, "否", "", "高中"]]
    failed = hr.post(url, {"unit_id": enterprise_a.pk, "file": io.BytesIO(_sheet(bad))})
    assert failed.status_code == 422, failed.content[:300]
    assert [(r["sheet"], r["row"], r["column"]) for r in failed.json()["rows"]] == [("报名表", 4, "从事本职业工作年限")]
    assert Registration.objects.count() == 0
    done = hr.post(url, {"unit_id": enterprise_a.pk, "file": io.BytesIO(_sheet(rows))})
    assert done.status_code == 201, done.content[:300]
    assert sorted(r["candidate_id"] for r in done.json()) == sorted(p.pk for p in people)
    assert Registration.objects.filter(batch=batch, unit=enterprise_a, status=RegistrationStatus.SUBMITTED).count() == 3

    other_unit = OrganizationFactory(name="乙企业")
    assert hr.post(url, {"unit_id": other_unit.pk, "file": io.BytesIO(_sheet(rows))}).status_code == 404

    settings.IMPORT_BACKGROUND_ROWS = 2
    more = workers(enterprise_a, 3, "m")
    queued = hr.post(url, {"unit_id": enterprise_a.pk, "file": io.BytesIO(_sheet(
        [[p.real_name, p.id_number, 6, "否", "", "高中"] for p in more]))})
    assert queued.status_code == 202, queued.content[:300]
    assert queued.json()["api_url"] == f"/api/v1/tasks/{queued.json()['task_id']}"


def test_listing_a_batchs_registrations_costs_the_same_for_few_or_many(  # type: ignore[no-untyped-def]
        client_of, exam_staff: User, exam_center: Organization, enterprise_a: Organization,
        django_assert_max_num_queries) -> None:
    batch = planned_batch(exam_staff, exam_center)
    register(batch, workers(enterprise_a, 3), enterprise_a)
    client: Client = client_of(exam_staff)
    with django_assert_max_num_queries(12) as few:
        assert len(client.get(f"{BASE}/batches/{batch.pk}/registrations").json()) == 3
    register(batch, workers(enterprise_a, 12, "more"), enterprise_a)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(f"{BASE}/batches/{batch.pk}/registrations").json()) == 15
