"""Batch services: a plan refused naming each failing ratio and its shortfall, registration with the eligibility
record (an ineligible candidate refused naming every failing rule), review moves, capacity, seats with recusal,
the ticket PDF with its QR, invisibility across units, and the audit entry of every write."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pypdfium2
import pytest
import zxingcpp
from django.utils import timezone

from accounts.actors import SYSTEM
from accounts.models import Organization, OrganizationKind, Role, User
from audit.models import AuditEntry
from certification import access, tickets
from certification.models import Registration, RegistrationStatus, Seat
from certification.selectors import batches as views
from certification.services import batches as services
from core.errors import Conflict, NotFound, PermissionDenied, RuleBroken, ValidationFailed
from core.pdf_fonts import GlyphMissing
from tests.accounts.factories import OrganizationFactory, person
from tests.certification.batch_steps import SIX_YEARS, assessors, part, planned_batch, register, workers

pytestmark = pytest.mark.django_db


def test_opening_a_batch_short_of_staff_names_each_ratio_and_shortfall(exam_staff: User,
                                                                       exam_center: Organization) -> None:
    batch = planned_batch(exam_staff, exam_center, theory_seats=40, invigilators=assessors(exam_center, 1, "i"),
                          panel=assessors(exam_center, 4), open_it=False)
    with pytest.raises(RuleBroken) as refused:
        services.batch_open(actor=exam_staff, batch_id=batch.pk)
    text = refused.value.message
    assert "每 15 名考生至少 1 名，需 3 名，现有 1 名，缺 2 名" in text
    assert "每个考场至少 2 名监考员，现有 1 名，缺 1 名" in text
    assert "考评员应为奇数，现有 4 名" in text
    batch.refresh_from_db()
    assert batch.status == "planning"


def test_a_batch_missing_a_part_is_not_opened(exam_staff: User, exam_center: Organization) -> None:
    batch = planned_batch(exam_staff, exam_center, open_it=False)
    part(batch, "practical").delete()
    with pytest.raises(RuleBroken, match="还没有安排操作技能考核"):
        services.batch_open(actor=exam_staff, batch_id=batch.pk)


def test_an_enterprise_evaluates_its_own_staff_and_other_units_batches_are_invisible(
        enterprise_a: Organization, exam_staff: User, exam_center: Organization) -> None:
    staff_a = person(Role.EXAM_CENTER_STAFF, enterprise_a, username="eval_a")
    batch = planned_batch(staff_a, enterprise_a, invigilators=assessors(enterprise_a, 2, "i"),
                          panel=assessors(enterprise_a, 3), open_it=False)
    assert batch.evaluation_kind == "enterprise"
    with pytest.raises(NotFound):
        access.access_batch(exam_staff, batch.pk)
    with pytest.raises(NotFound):
        services.batch_open(actor=exam_staff, batch_id=batch.pk)
    with pytest.raises(NotFound):  # in planning: not announced either
        access.access_batch_announced(exam_staff, batch.pk)
    college = OrganizationFactory(name="某技师学院", kind=OrganizationKind.COLLEGE)
    with pytest.raises(ValidationFailed):
        services.batch_create(actor=SYSTEM, data=services.BatchData(college.pk, batch.occupation_id, 4, "x",
                                                                    batch.registration_opens,
                                                                    batch.registration_closes))


def test_an_ineligible_candidate_is_refused_naming_every_failing_rule(exam_staff: User, exam_center: Organization,
                                                                      worker_of_a: User) -> None:
    batch = planned_batch(exam_staff, exam_center)
    with pytest.raises(RuleBroken) as refused:
        services.registration_submit(actor=worker_of_a, batch_id=batch.pk, candidate_id=worker_of_a.pk,
                                     facts=views.FactsIn(years_in_trade=Decimal(2)))
    text = refused.value.message
    assert "条件1：须取得五级/初级工或以上等级，现持有：无、须从事本职业工作满 4 年，现为 2 年" in text
    assert "条件2：须从事本职业工作满 6 年，现为 2 年" in text and "条件3：须为技工学校" in text
    assert not Registration.objects.exists()


def test_a_candidate_registers_and_the_eligibility_is_recorded(exam_staff: User, exam_center: Organization,
                                                               worker_of_a: User, enterprise_a: Organization) -> None:
    batch = planned_batch(exam_staff, exam_center)
    r = services.registration_submit(actor=worker_of_a, batch_id=batch.pk, candidate_id=worker_of_a.pk,
                                     facts=SIX_YEARS)
    assert r.status == "submitted" and r.unit_id == enterprise_a.pk  # their one unit
    assert r.eligibility["eligible"] and [p["met"] for p in r.eligibility["paths"]] == [False, True, False]
    entry = AuditEntry.objects.get(action="certification.registration.submitted")
    assert entry.target_id == str(r.pk) and entry.new["eligible"] is True
    with pytest.raises(Conflict):
        services.registration_submit(actor=worker_of_a, batch_id=batch.pk, candidate_id=worker_of_a.pk,
                                     facts=SIX_YEARS)


def test_a_unit_registers_only_its_own_people(exam_staff: User, exam_center: Organization, hr_of_a: User,
                                              hr_of_b: User, enterprise_a: Organization, worker_of_a: User,
                                              enterprise_b: Organization) -> None:
    batch = planned_batch(exam_staff, exam_center)
    with pytest.raises(NotFound):
        services.registration_submit(actor=hr_of_b, batch_id=batch.pk, candidate_id=worker_of_a.pk,
                                     facts=SIX_YEARS, unit_id=enterprise_a.pk)
    with pytest.raises(ValidationFailed):
        services.registration_submit(actor=hr_of_b, batch_id=batch.pk, candidate_id=worker_of_a.pk,
                                     facts=SIX_YEARS, unit_id=enterprise_b.pk)
    with pytest.raises((PermissionDenied, NotFound)):  # nobody registers someone else as "themselves"
        services.registration_submit(actor=hr_of_b, batch_id=batch.pk, candidate_id=worker_of_a.pk,
                                     facts=SIX_YEARS)
    r = services.registration_submit(actor=hr_of_a, batch_id=batch.pk, candidate_id=worker_of_a.pk,
                                     facts=SIX_YEARS, unit_id=enterprise_a.pk)
    assert r.submitted_by == hr_of_a
    with pytest.raises(NotFound):
        access.access_registration(hr_of_b, r.pk)
    assert access.access_registration(hr_of_a, r.pk) == r


def test_review_moves_reasons_and_capacity(exam_staff: User, exam_center: Organization,
                                           enterprise_a: Organization) -> None:
    batch = planned_batch(exam_staff, exam_center, practical_seats=3)
    ids = register(batch, workers(enterprise_a, 5), enterprise_a)
    with pytest.raises(ValidationFailed):
        services.registrations_reject(actor=exam_staff, batch_id=batch.pk, registration_ids=ids[:1], reason=" ")
    services.registrations_reject(actor=exam_staff, batch_id=batch.pk, registration_ids=ids[:1],
                                  reason="工作年限证明材料不全")
    assert Registration.objects.get(pk=ids[0]).review_reason == "工作年限证明材料不全"
    with pytest.raises(Conflict):  # rejected is final
        services.registrations_approve(actor=exam_staff, batch_id=batch.pk, registration_ids=ids[:1])
    with pytest.raises(Conflict, match="可容纳 3 人"):  # 4 to approve, 3 practical stations
        services.registrations_approve(actor=exam_staff, batch_id=batch.pk, registration_ids=ids[1:])
    assert not Registration.objects.filter(status="approved").exists()  # all or none
    services.registrations_approve(actor=exam_staff, batch_id=batch.pk, registration_ids=ids[1:4])
    assert AuditEntry.objects.filter(action="certification.registration.approved").count() == 3


def _approved_batch(exam_staff: User, exam_center: Organization, enterprise_a: Organization,
                    enterprise_b: Organization, **plan: object) -> tuple[object, list[int]]:
    batch = planned_batch(exam_staff, exam_center, **plan)  # type: ignore[arg-type]
    ids = register(batch, workers(enterprise_a, 4), enterprise_a) + register(batch, workers(enterprise_b, 4),
                                                                             enterprise_b)
    services.registrations_approve(actor=exam_staff, batch_id=batch.pk, registration_ids=ids)
    services.batch_close(actor=exam_staff, batch_id=batch.pk)
    return batch, ids


def test_seats_are_allocated_reproducibly_spread_and_recorded(exam_staff: User, exam_center: Organization,
                                                              enterprise_a: Organization,
                                                              enterprise_b: Organization) -> None:
    batch, ids = _approved_batch(exam_staff, exam_center, enterprise_a, enterprise_b)
    allocation = services.seats_allocate(actor=exam_staff, batch_id=batch.pk, seed=7)  # type: ignore[attr-defined]
    theory = list(Seat.objects.filter(part__kind="theory").order_by("number").values_list(
        "registration__unit_id", flat=True))
    assert len(theory) == 8 and all(a != b for a, b in zip(theory, theory[1:], strict=False))
    assert set(Registration.objects.values_list("status", flat=True)) == {"seated"}
    tickets_before = dict(Registration.objects.values_list("pk", "ticket_no"))
    again = services.seats_allocate(actor=exam_staff, batch_id=batch.pk, seed=7)  # type: ignore[attr-defined]
    assert again.digest == allocation.digest and dict(Registration.objects.values_list("pk", "ticket_no")) == \
        tickets_before
    assert AuditEntry.objects.filter(action="certification.batch.seats_allocated").count() == 2


def test_an_assessor_of_the_candidates_unit_is_recused_on_a_social_evaluation(
        exam_staff: User, exam_center: Organization, enterprise_a: Organization,
        enterprise_b: Organization) -> None:
    panel = [*assessors(exam_center, 2), *assessors(enterprise_a, 1, "from_a")]
    batch, _ids = _approved_batch(exam_staff, exam_center, enterprise_a, enterprise_b, panel=panel)
    with pytest.raises(RuleBroken) as refused:
        services.seats_allocate(actor=exam_staff, batch_id=batch.pk)  # type: ignore[attr-defined]
    assert "操作技能考核有空位的考场均有须回避的考务人员" in refused.value.message
    assert not Seat.objects.exists()


def test_a_declared_relationship_recuses_an_invigilator(exam_staff: User, exam_center: Organization,
                                                        enterprise_a: Organization, enterprise_b: Organization) -> None:
    invigilators = assessors(exam_center, 2, "inv")
    batch, ids = _approved_batch(exam_staff, exam_center, enterprise_a, enterprise_b, invigilators=invigilators)
    candidate = Registration.objects.get(pk=ids[0]).candidate
    with pytest.raises(ValidationFailed):
        services.relationship_declare(actor=invigilators[0], declarer_id=invigilators[0].pk, person_id=candidate.pk,
                                      reason=" ")
    services.relationship_declare(actor=invigilators[0], declarer_id=invigilators[0].pk, person_id=candidate.pk,
                                  reason="表兄弟")
    with pytest.raises(RuleBroken, match="理论知识考试有空位的考场均有须回避"):
        services.seats_allocate(actor=exam_staff, batch_id=batch.pk)  # type: ignore[attr-defined]


def test_the_ticket_pdf_carries_a_qr_of_its_verification_url(exam_staff: User, exam_center: Organization,
                                                             enterprise_a: Organization,
                                                             enterprise_b: Organization) -> None:
    batch, ids = _approved_batch(exam_staff, exam_center, enterprise_a, enterprise_b)
    services.seats_allocate(actor=exam_staff, batch_id=batch.pk)  # type: ignore[attr-defined]
    r = Registration.objects.get(pk=ids[0])
    view = views.ticket_view(r)
    assert view.id_number.count("*") == 10 and len(view.parts) == 2
    url = f"http://testserver{view.verify_path}"
    data = tickets.ticket_pdf(view, url)
    page = pypdfium2.PdfDocument(data)[0]
    assert round(page.get_width()) == 595  # A4
    image = page.render(scale=2).to_pil()
    [code] = zxingcpp.read_barcodes(image)
    assert code.text == url
    text = page.get_textpage().get_text_range()
    assert r.candidate.real_name in text and view.ticket_no in text


def test_a_rare_name_is_drawn_on_the_ticket_and_one_no_font_has_refuses_it_naming_the_character(
        exam_staff: User, exam_center: Organization, enterprise_a: Organization, enterprise_b: Organization) -> None:
    batch, ids = _approved_batch(exam_staff, exam_center, enterprise_a, enterprise_b)
    services.seats_allocate(actor=exam_staff, batch_id=batch.pk)  # type: ignore[attr-defined]
    r = Registration.objects.get(pk=ids[0])
    User.objects.filter(pk=r.candidate_id).update(real_name="王𠅤䶮")  # Ext B (a fallback font) and Ext A
    r = Registration.objects.select_related("candidate").get(pk=r.pk)
    text = pypdfium2.PdfDocument(tickets.ticket_pdf(views.ticket_view(r), "http://x/"))[0].get_textpage()
    assert "王𠅤䶮" in text.get_text_range()
    User.objects.filter(pk=r.candidate_id).update(real_name="王\U00030041")  # Ext G: none of the fonts has it
    r = Registration.objects.select_related("candidate").get(pk=r.pk)
    with pytest.raises(GlyphMissing) as refused:
        tickets.ticket_pdf(views.ticket_view(r), "http://x/")
    assert "\U00030041" in refused.value.message and "U+30041" in refused.value.message


def test_withdrawal_and_window(exam_staff: User, exam_center: Organization, worker_of_a: User,
                               hr_of_b: User) -> None:
    batch = planned_batch(exam_staff, exam_center)
    r = services.registration_submit(actor=worker_of_a, batch_id=batch.pk, candidate_id=worker_of_a.pk,
                                     facts=SIX_YEARS)
    with pytest.raises(NotFound):
        services.registration_withdraw(actor=hr_of_b, registration_id=r.pk)
    services.registration_withdraw(actor=worker_of_a, registration_id=r.pk)
    assert Registration.objects.get(pk=r.pk).status == RegistrationStatus.WITHDRAWN
    services.batch_close(actor=exam_staff, batch_id=batch.pk)
    with pytest.raises(Conflict):
        services.registration_submit(actor=worker_of_a, batch_id=batch.pk, candidate_id=worker_of_a.pk,
                                     facts=SIX_YEARS)
    batch.registration_closes = timezone.localdate() - timedelta(days=1)
