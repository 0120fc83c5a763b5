"""Batch pages and the registration import: the body plans and reviews, others see a 404, a candidate sees the
eligibility explanation before submitting, a bad Excel row saves nothing and names the cell, the ticket downloads."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Organization, Role, User
from certification.models import Registration
from certification.services import batches as services
from tests.accounts.factories import OrganizationFactory, person
from tests.certification.batch_steps import SIX_YEARS, planned_batch, register, workers
from tests.certification.batch_steps import registration_sheet as _sheet

pytestmark = pytest.mark.django_db


def test_the_body_plans_and_another_body_sees_nothing(client_of, exam_staff: User,  # type: ignore[no-untyped-def]
                                                      exam_center: Organization) -> None:
    batch = planned_batch(exam_staff, exam_center, open_it=False)
    page = client_of(exam_staff).get(f"/certification/batches/{batch.pk}/").content.decode()
    assert 'data-testid="plan-ok"' in page and "csrfmiddlewaretoken" in page
    other_body = OrganizationFactory(name="丁考核站", kind="exam_center")
    other = person(Role.EXAM_CENTER_STAFF, other_body, username="other_staff")
    client = client_of(other)
    assert client.get(f"/certification/batches/{batch.pk}/").status_code == 404
    assert client.post(f"/certification/batches/{batch.pk}/plan/", {"step": "open"}).status_code == 404


def test_a_candidate_sees_the_explanation_before_submitting(client_of, exam_staff: User,  # type: ignore[no-untyped-def]
                                                            exam_center: Organization, worker_of_a: User) -> None:
    batch = planned_batch(exam_staff, exam_center)
    client = client_of(worker_of_a)
    form = {"years_in_trade": "2", "education": "1", "school": ""}
    page = client.get(f"/certification/batches/{batch.pk}/apply/", form).content.decode()
    assert 'data-eligible="false"' in page and "须从事本职业工作满 6 年，现为 2 年" in page
    assert 'data-testid="submit-registration"' not in page
    form["years_in_trade"] = "7"
    page = client.get(f"/certification/batches/{batch.pk}/apply/", form).content.decode()
    assert 'data-eligible="true"' in page
    assert client.post(f"/certification/batches/{batch.pk}/apply/", form).status_code == 302
    assert Registration.objects.get().candidate == worker_of_a


def test_a_bad_excel_row_saves_nothing_and_names_its_cell(client_of, exam_staff: User,  # type: ignore[no-untyped-def]
                                                          exam_center: Organization, hr_of_a: User,
                                                          enterprise_a: Organization) -> None:
    batch = planned_batch(exam_staff, exam_center)
    people = workers(enterprise_a, 3)
    rows = [[p.real_name, p.id_number, "6", "否", "", "高中/中专"] for p in people]
    rows[1][2] = "两年"
    rows[2][0] = "别人"
    client = client_of(hr_of_a)
    upload = SimpleUploadedFile("r.xlsx", _sheet(rows))
    answer = client.post(f"/certification/batches/{batch.pk}/register/",
                         {"step": "excel", "unit": enterprise_a.pk, "file": upload})
    page = answer.content.decode()
    assert answer.status_code == 422 and "从事本职业工作年限" in page and "不是数字" in page
    assert "与姓名“别人”不一致" in page
    assert not Registration.objects.exists()
    rows[1][2], rows[2][0] = "6", people[2].real_name
    upload = SimpleUploadedFile("r.xlsx", _sheet(rows))
    assert client.post(f"/certification/batches/{batch.pk}/register/",
                       {"step": "excel", "unit": enterprise_a.pk, "file": upload}).status_code == 302
    assert Registration.objects.filter(unit=enterprise_a).count() == 3


def test_review_seats_and_ticket_download(client_of, exam_staff: User,  # type: ignore[no-untyped-def]
                                          exam_center: Organization, worker_of_a: User) -> None:
    batch = planned_batch(exam_staff, exam_center)
    r = services.registration_submit(actor=worker_of_a, batch_id=batch.pk, candidate_id=worker_of_a.pk,
                                     facts=SIX_YEARS)
    staff = client_of(exam_staff)
    assert "待审核的考核报名" in staff.get("/").content.decode()
    staff.post(f"/certification/batches/{batch.pk}/review/", {"decision": "approve", "registration": [r.pk]})
    staff.post(f"/certification/batches/{batch.pk}/plan/", {"step": "close"})
    staff.post(f"/certification/batches/{batch.pk}/review/", {"decision": "allocate"})
    r.refresh_from_db()
    assert r.status == "seated"
    candidate = client_of(worker_of_a)
    pdf = candidate.get(f"/certification/registrations/{r.pk}/ticket.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert candidate.get(f"/certification/tickets/{r.ticket_token}/").status_code == 404  # another unit: invisible
    door = client_of(exam_staff).get(f"/certification/tickets/{r.ticket_token}/").content.decode()
    assert worker_of_a.real_name in door and r.ticket_no in door


def test_the_review_list_filters_by_status_within_a_query_budget(  # type: ignore[no-untyped-def]
        client_of, exam_staff: User, exam_center: Organization, enterprise_a: Organization,
        django_assert_max_num_queries) -> None:
    batch = planned_batch(exam_staff, exam_center)
    ids = register(batch, workers(enterprise_a, 12), enterprise_a)
    services.registrations_reject(actor=exam_staff, batch_id=batch.pk, registration_ids=ids[:2], reason="材料不全")
    staff = client_of(exam_staff)
    page = staff.get(f"/certification/batches/{batch.pk}/", {"status": "rejected"}).content.decode()
    assert page.count('data-status="rejected"') == 2 and 'data-status="submitted"' not in page
    assert '<option value="rejected" selected>' in page
    with django_assert_max_num_queries(16):  # 14 measured, with 4 registrations as with 12
        everything = staff.get(f"/certification/batches/{batch.pk}/").content.decode()
    assert everything.count('name="registration"') == 10  # a box for each one still to review
    assert 'data-select-all="registration"' in everything and 'form="review-form"' in everything
