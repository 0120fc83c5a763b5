"""The appointment pages: the enterprise's HR records one with the form (members shown with whether they hold 一级),
refusals shown by field, ends and renews; organizer staff read it without forms and with masked ID numbers;
another enterprise gets 404; the person sees it on their levels page with its evidence link."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from accounts.models import Organization, Role, User
from certification.domain.ladder import SkillLevel
from certification.models import Appointment
from tests.accounts.factories import person
from tests.certification.appointment_steps import appoint, pdf
from tests.certification.factories import held, occupation

pytestmark = pytest.mark.usefixtures("evidence_store")


@pytest.fixture
def senior_of_a(enterprise_a: Organization) -> User:
    worker = person(Role.CANDIDATE, enterprise_a, username="senior_a", real_name="李高级",
                    id_number="370102198001011234")
    held(worker.pk, occupation(), SkillLevel.ONE, date(2018, 6, 1))
    return worker


def _url(unit: Organization) -> str:
    return reverse("certification:enterprise_appointments", args=[unit.pk])


def test_hr_records_an_appointment_on_the_page(client_of, hr_of_a: User, enterprise_a: Organization,  # type: ignore[no-untyped-def]
                                               senior_of_a: User, worker_of_a: User) -> None:
    client = client_of(hr_of_a)
    assert client.get(reverse("certification:appointments")).url == _url(enterprise_a)
    page = client.get(_url(enterprise_a)).content.decode()
    assert "李高级 · 370102198001011234 · 一级：焊工（6-18-02-04）" in page
    assert "未持有一级" in page and 'enctype="multipart/form-data"' in page and "csrfmiddlewaretoken" in page
    form = {"person": worker_of_a.pk, "occupation": occupation().pk, "title": "principal",
            "term_start": "2025-01-01", "term_end": "2027-12-31", "document_no": "甲企人〔2025〕1号",
            "evidence": pdf()}
    refused = client.post(_url(enterprise_a), form)
    assert refused.status_code == 422
    assert 'data-field="person"' in refused.content.decode() and "一级/高级技师" in refused.content.decode()
    assert not Appointment.objects.exists()
    answer = client.post(_url(enterprise_a), {**form, "person": senior_of_a.pk, "evidence": pdf()})
    assert answer.status_code == 302
    appointment = Appointment.objects.get()
    page = client.get(_url(enterprise_a)).content.decode()
    assert f'data-appointment="{appointment.pk}"' in page and "甲企人〔2025〕1号" in page
    ended = client.post(reverse("certification:appointment_end", args=[appointment.pk]),
                        {"kind": "resigned", "effective_on": "2026-06-01", "reason": "本人辞去"})
    assert ended.status_code == 302
    appointment.refresh_from_db()
    assert (appointment.ended_on, appointment.end_kind) == (date(2026, 6, 1), "resigned")


def test_renewal_on_the_page(client_of, hr_of_a: User, enterprise_a: Organization,  # type: ignore[no-untyped-def]
                             senior_of_a: User) -> None:
    appointment = appoint(hr_of_a, enterprise_a, senior_of_a, occupation())
    client_of(hr_of_a).post(reverse("certification:appointment_renew", args=[appointment.pk]),
                            {"term_end": "2030-12-31", "document_no": "续〔2027〕2号", "evidence": pdf()})
    assert Appointment.objects.get(renews=appointment).term_start == date(2028, 1, 1)


def test_organizer_reads_without_forms_and_masked(client_of, organizer: User, hr_of_a: User,  # type: ignore[no-untyped-def]
                                                  enterprise_a: Organization, senior_of_a: User) -> None:
    appoint(hr_of_a, enterprise_a, senior_of_a, occupation())
    page = client_of(organizer).get(_url(enterprise_a)).content.decode()
    assert "3701**********1234" in page and "370102198001011234" not in page
    assert "record-appointment" not in page and "end-appointment" not in page
    assert client_of(organizer).post(_url(enterprise_a), {}).status_code == 403


def test_another_enterprise_sees_nothing(client_of, hr_of_a: User, hr_of_b: User,  # type: ignore[no-untyped-def]
                                         enterprise_a: Organization, enterprise_b: Organization,
                                         senior_of_a: User) -> None:
    both = person(Role.CANDIDATE, enterprise_a, username="both", real_name="两边")
    both.memberships.create(organization=enterprise_b, role=Role.CANDIDATE)
    held(both.pk, occupation(), SkillLevel.ONE, date(2018, 1, 1))
    appointment = appoint(hr_of_a, enterprise_a, both, occupation())
    client = client_of(hr_of_b)
    assert client.get(_url(enterprise_a)).status_code == 404
    assert client.get(reverse("certification:appointment_evidence", args=[appointment.pk])).status_code == 404
    assert client.post(reverse("certification:appointment_end", args=[appointment.pk]),
                       {"kind": "revoked", "effective_on": "2026-01-01", "reason": "x"}).status_code == 404
    assert "甲企人" not in client.get(_url(enterprise_b)).content.decode()
    # B's HR sees the person's levels (the title among them) but not A's appointment with its document.
    levels = client.get(reverse("certification:person_levels", args=[both.pk])).content.decode()
    assert 'data-title="principal"' in levels and "person-appointments" not in levels


def test_the_person_sees_the_appointment_on_their_levels_page(client_of, hr_of_a: User,  # type: ignore[no-untyped-def]
                                                              enterprise_a: Organization,
                                                              senior_of_a: User) -> None:
    appointment = appoint(hr_of_a, enterprise_a, senior_of_a, occupation())
    client = client_of(senior_of_a)
    page = client.get(reverse("certification:my_levels")).content.decode()
    assert 'data-testid="person-appointments"' in page and "特级技师" in page and "2025-01-01 – 2027-12-31" in page
    evidence_url = reverse("certification:appointment_evidence", args=[appointment.pk])
    assert evidence_url in page
    answer = client.get(evidence_url)
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert client.get(_url(enterprise_a)).status_code == 403  # a member, not HR: sees the unit, not its list
