"""The appointments API: recording with a multipart file, refusals as 422 naming the field, the evidence served
only to readers, other enterprises' appointments invisible (404), ID numbers masked for organizer staff."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from accounts.models import Organization, Role, User
from certification.domain.ladder import SkillLevel
from certification.models import Appointment
from tests.accounts.factories import person
from tests.certification.appointment_steps import PDF_BYTES, appoint, pdf
from tests.certification.factories import held, occupation

pytestmark = pytest.mark.usefixtures("evidence_store")
BASE = "/api/v1/certification"


@pytest.fixture
def senior_of_a(enterprise_a: Organization) -> User:
    worker = person(Role.CANDIDATE, enterprise_a, username="senior_a", real_name="李高级",
                    id_number="370102198001011234")
    held(worker.pk, occupation(), SkillLevel.ONE, date(2018, 6, 1))
    return worker


def _form(person_id: int, **extra: object) -> dict[str, object]:
    return {"person_id": person_id, "occupation_id": occupation().pk, "title": "principal",
            "term_start": "2025-01-01", "term_end": "2027-12-31", "document_no": "甲企人〔2025〕1号",
            "evidence": pdf(), **extra}


def test_hr_records_an_appointment_and_reads_it_back(client_of, hr_of_a: User, enterprise_a: Organization,  # type: ignore[no-untyped-def]
                                                     senior_of_a: User) -> None:
    client = client_of(hr_of_a)
    candidates = client.get(f"{BASE}/enterprises/{enterprise_a.pk}/appointment-candidates").json()
    assert candidates[0]["person_id"] == senior_of_a.pk and candidates[0]["holds_level_one"] is True
    assert candidates[0]["level_one_in"] == ["焊工（6-18-02-04）"]
    assert candidates[0]["id_number"] == "370102198001011234"  # the enterprise's HR needs the number
    answer = client.post(f"{BASE}/enterprises/{enterprise_a.pk}/appointments", _form(senior_of_a.pk))
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert (body["title_label"], body["status"], body["document_no"], body["evidence_type"]) == (
        "特级技师", "expired" if timezone.localdate() > date(2027, 12, 31) else "active", "甲企人〔2025〕1号",
        "application/pdf")
    listed = client.get(f"{BASE}/enterprises/{enterprise_a.pk}/appointments").json()
    assert [a["id"] for a in listed] == [body["id"]]
    evidence = client.get(f"{BASE}/appointments/{body['id']}/evidence")
    assert evidence.status_code == 200 and evidence["Content-Type"] == "application/pdf"
    assert b"".join(evidence.streaming_content) == PDF_BYTES
    ended = client.post(f"{BASE}/appointments/{body['id']}/end",
                        {"kind": "revoked", "effective_on": "2026-01-01", "reason": "违反企业规定"},
                        content_type="application/json")
    assert ended.status_code == 200 and ended.json()["end_kind_label"] == "企业解聘"
    again = client.post(f"{BASE}/appointments/{body['id']}/end",
                        {"kind": "revoked", "effective_on": "2026-02-01", "reason": "再次"},
                        content_type="application/json")
    assert again.status_code == 409


def test_refusals_name_their_fields(client_of, hr_of_a: User, enterprise_a: Organization,  # type: ignore[no-untyped-def]
                                    worker_of_a: User) -> None:
    answer = client_of(hr_of_a).post(f"{BASE}/enterprises/{enterprise_a.pk}/appointments",
                                     _form(worker_of_a.pk, term_end="2024-01-01",
                                           evidence=pdf("a.pdf", b"<html>not a pdf</html>")))
    assert answer.status_code == 422
    assert answer.json()["fields"].keys() == {"person", "term_end", "evidence"}
    assert not Appointment.objects.exists()


def test_other_units_see_nothing_and_organizers_read_masked(client_of, hr_of_a: User, hr_of_b: User,  # type: ignore[no-untyped-def]
                                                            organizer: User, enterprise_a: Organization,
                                                            senior_of_a: User, outsider: User) -> None:
    appointment = appoint(hr_of_a, enterprise_a, senior_of_a, occupation())
    for path in (f"/enterprises/{enterprise_a.pk}/appointments", f"/appointments/{appointment.pk}",
                 f"/appointments/{appointment.pk}/evidence"):
        assert client_of(hr_of_b).get(BASE + path).status_code == 404, path
        assert client_of(outsider).get(BASE + path).status_code == 404, path
    assert client_of(hr_of_b).post(f"{BASE}/enterprises/{enterprise_a.pk}/appointments",
                                   _form(senior_of_a.pk)).status_code == 404
    read = client_of(organizer).get(f"{BASE}/people/{senior_of_a.pk}/appointments").json()
    assert read[0]["person_id_number"] == "3701**********1234" and read[0]["masked"] is True
    assert client_of(organizer).post(f"{BASE}/appointments/{appointment.pk}/end", {
        "kind": "revoked", "effective_on": "2026-01-01", "reason": "x"},
        content_type="application/json").status_code == 403
    mine = client_of(senior_of_a).get(f"{BASE}/people/{senior_of_a.pk}/appointments").json()
    assert mine[0]["person_id_number"] == "370102198001011234"
    assert client_of(senior_of_a).get(f"{BASE}/appointments/{appointment.pk}/evidence").status_code == 200


def test_renewal_through_the_api(client_of, hr_of_a: User, enterprise_a: Organization,  # type: ignore[no-untyped-def]
                                 senior_of_a: User) -> None:
    appointment = appoint(hr_of_a, enterprise_a, senior_of_a, occupation())
    answer = client_of(hr_of_a).post(f"{BASE}/appointments/{appointment.pk}/renew",
                                     {"term_end": "2030-12-31", "document_no": "甲企人〔2027〕9号", "evidence": pdf()})
    assert answer.status_code == 201 and answer.json()["term_start"] == "2028-01-01"
    assert answer.json()["renews_id"] == appointment.pk
