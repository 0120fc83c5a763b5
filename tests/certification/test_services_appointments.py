"""Appointments through their services: refusals named by field, the audit trail, the evidence file kept only
with its row, and the level given as the selector reads it before, during and after the term."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from accounts.models import Organization, Role, User
from audit.models import AuditEntry
from certification import services
from certification.domain.appointments import EndKind, Title
from certification.domain.ladder import Rung, SkillLevel
from certification.models import Appointment, HeldLevel, SourceKind
from certification.selectors import held_level, held_rung, held_titles, person_levels
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tests.accounts.factories import person
from tests.certification.appointment_steps import PNG_BYTES, appoint, pdf, stored_files
from tests.certification.factories import held, occupation

pytestmark = pytest.mark.usefixtures("evidence_store")


@pytest.fixture
def senior_of_a(enterprise_a: Organization) -> User:
    """A worker of enterprise A holding 一级 in welding since 2018 (a certificate)."""
    worker = person(Role.CANDIDATE, enterprise_a, username="senior_a", real_name="李高级")
    held(worker.pk, occupation(), SkillLevel.ONE, date(2018, 6, 1))
    return worker


def test_an_appointment_gives_the_title_for_its_term_only(hr_of_a: User, enterprise_a: Organization,
                                                          senior_of_a: User, evidence_store: Path) -> None:
    welder = occupation()
    appointment = appoint(hr_of_a, enterprise_a, senior_of_a, welder)
    assert (appointment.title, appointment.recorded_by, appointment.evidence_type) == (
        "principal", hr_of_a, "application/pdf")
    assert [p.read_bytes()[:5] for p in stored_files(evidence_store)] == [b"%PDF-"]
    level = HeldLevel.objects.get(source_kind=SourceKind.APPOINTMENT)
    assert (level.level, level.title, level.obtained_on, level.held_until, level.source_id) == (
        1, "principal", date(2025, 1, 1), date(2027, 12, 31), appointment.pk)
    before, first, last, after = date(2024, 12, 31), date(2025, 1, 1), date(2027, 12, 31), date(2028, 1, 1)
    assert [held_rung(senior_of_a, welder, on=d) for d in (before, first, last, after)] == [
        Rung.ONE, Rung.PRINCIPAL, Rung.PRINCIPAL, Rung.ONE]
    assert held_titles(senior_of_a, welder, on=after) == frozenset()
    assert held_level(senior_of_a, welder, on=last) is SkillLevel.ONE  # the certified level: never above 一级
    recorded = AuditEntry.objects.get(action="certification.appointment.recorded")
    assert (recorded.actor_id, recorded.target_id, recorded.new["document_no"]) == (
        hr_of_a.pk, str(appointment.pk), "甲企人〔2025〕1号")
    assert recorded.new["evidence"]["sha256"] and recorded.reason == "经企业技能人才评价委员会评审"
    level_entry = AuditEntry.objects.get(action="certification.level.recorded", target_id=str(level.pk))
    assert level_entry.new["title"] == "principal" and level_entry.new["source_kind"] == "appointment"


def test_without_level_one_nothing_is_saved_and_no_file_is_left(hr_of_a: User, enterprise_a: Organization,
                                                                 worker_of_a: User, evidence_store: Path) -> None:
    welder = occupation()
    held(worker_of_a.pk, welder, SkillLevel.TWO, date(2019, 1, 1))
    with pytest.raises(ValidationFailed) as refused:
        appoint(hr_of_a, enterprise_a, worker_of_a, welder)
    assert refused.value.fields().keys() == {"person"}
    assert "一级/高级技师" in refused.value.fields()["person"][0]
    assert not Appointment.objects.exists() and not AuditEntry.objects.filter(
        action__startswith="certification.appointment").exists()
    assert stored_files(evidence_store) == []


def test_every_refusal_at_once_names_its_fields(hr_of_a: User, enterprise_a: Organization,
                                                 senior_of_a: User) -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.appointment_record(
            actor=hr_of_a, enterprise_id=enterprise_a.pk, person_id=senior_of_a.pk, occupation_id=occupation().pk,
            title=Title.CHIEF, term=services.Term(date(2025, 1, 1), date(2024, 1, 1), " "),
            evidence=pdf("证明.png", PNG_BYTES[:4] + b"not really"))
    assert refused.value.fields().keys() == {"title", "term_end", "document_no", "evidence"}


def test_a_chief_is_appointed_from_a_principal(hr_of_a: User, enterprise_a: Organization,
                                               senior_of_a: User) -> None:
    welder = occupation()
    with pytest.raises(ValidationFailed) as refused:
        appoint(hr_of_a, enterprise_a, senior_of_a, welder, Title.CHIEF)
    assert refused.value.fields().keys() == {"title"}
    appoint(hr_of_a, enterprise_a, senior_of_a, welder, Title.PRINCIPAL, date(2023, 1, 1), date(2028, 12, 31))
    appoint(hr_of_a, enterprise_a, senior_of_a, welder, Title.CHIEF, date(2025, 1, 1), date(2026, 12, 31), "首")
    assert held_rung(senior_of_a, welder, on=date(2026, 6, 1)) is Rung.CHIEF
    assert held_titles(senior_of_a, welder, on=date(2026, 6, 1)) == {Title.PRINCIPAL, Title.CHIEF}
    assert held_rung(senior_of_a, welder, on=date(2027, 6, 1)) is Rung.PRINCIPAL


def test_one_term_of_a_title_at_a_time_and_renewal_follows_it(hr_of_a: User, enterprise_a: Organization,
                                                              senior_of_a: User) -> None:
    welder = occupation()
    first = appoint(hr_of_a, enterprise_a, senior_of_a, welder)
    with pytest.raises(ValidationFailed) as refused:
        appoint(hr_of_a, enterprise_a, senior_of_a, welder, start=date(2027, 1, 1), end=date(2029, 12, 31))
    assert refused.value.fields().keys() == {"term_start"}
    renewal = services.appointment_renew(actor=hr_of_a, appointment_id=first.pk, term_end=date(2030, 12, 31),
                                         document_no="甲企人〔2027〕9号", evidence=pdf())
    assert (renewal.term_start, renewal.renews_id) == (date(2028, 1, 1), first.pk)
    assert held_rung(senior_of_a, welder, on=date(2029, 1, 1)) is Rung.PRINCIPAL
    assert held_rung(senior_of_a, welder, on=date(2031, 1, 1)) is Rung.ONE
    assert AuditEntry.objects.filter(action="certification.appointment.renewed", target_id=str(renewal.pk)).exists()
    with pytest.raises(Conflict):
        services.appointment_renew(actor=hr_of_a, appointment_id=first.pk, term_end=date(2031, 12, 31),
                                   document_no="x", evidence=pdf())


def test_ending_early_stops_the_title_from_that_day(hr_of_a: User, enterprise_a: Organization,
                                                    senior_of_a: User) -> None:
    welder = occupation()
    appointment = appoint(hr_of_a, enterprise_a, senior_of_a, welder)
    with pytest.raises(ValidationFailed) as refused:
        services.appointment_end(actor=hr_of_a, appointment_id=appointment.pk, kind=EndKind.RESIGNED,
                                 effective_on=date(2030, 1, 1), reason="")
    assert refused.value.fields().keys() == {"effective_on", "reason"}
    services.appointment_end(actor=hr_of_a, appointment_id=appointment.pk, kind=EndKind.RESIGNED,
                             effective_on=date(2026, 3, 1), reason="本人调离")
    assert held_rung(senior_of_a, welder, on=date(2026, 2, 28)) is Rung.PRINCIPAL
    assert held_rung(senior_of_a, welder, on=date(2026, 3, 1)) is Rung.ONE
    ended = AuditEntry.objects.get(action="certification.appointment.ended")
    assert (ended.reason, ended.new["end_kind"]) == ("本人调离", "resigned")
    assert AuditEntry.objects.get(action="certification.level.ended").new["held_until"] == "2026-02-28"
    with pytest.raises(Conflict):
        services.appointment_end(actor=hr_of_a, appointment_id=appointment.pk, kind=EndKind.REVOKED,
                                 effective_on=date(2026, 4, 1), reason="再次")
    with pytest.raises(Conflict):
        services.appointment_renew(actor=hr_of_a, appointment_id=appointment.pk, term_end=date(2031, 1, 1),
                                   document_no="x", evidence=pdf())
    # The rest of the ended term is free again: the person may be appointed anew from the ending day.
    appoint(hr_of_a, enterprise_a, senior_of_a, welder, start=date(2026, 3, 1), end=date(2029, 2, 28), document_no="新")


def test_ended_on_its_first_day_it_was_never_held(hr_of_a: User, enterprise_a: Organization,
                                                  senior_of_a: User) -> None:
    welder = occupation()
    appointment = appoint(hr_of_a, enterprise_a, senior_of_a, welder)
    services.appointment_end(actor=hr_of_a, appointment_id=appointment.pk, kind=EndKind.REVOKED,
                             effective_on=date(2025, 1, 1), reason="误登记")
    assert held_titles(senior_of_a, welder, on=date(2025, 1, 1)) == frozenset()
    assert person_levels(senior_of_a).withdrawn[0].withdrawn_reason == "误登记"
    appoint(hr_of_a, enterprise_a, senior_of_a, welder, document_no="重新登记")


def test_only_the_enterprise_hr_appoints_its_own_members(hr_of_a: User, hr_of_b: User, organizer: User,
                                                         platform_admin: User, enterprise_a: Organization,
                                                         enterprise_b: Organization, senior_of_a: User,
                                                         evidence_store: Path) -> None:
    welder = occupation()
    with pytest.raises(NotFound):  # another enterprise's HR: A is invisible to them
        appoint(hr_of_b, enterprise_a, senior_of_a, welder)
    with pytest.raises(NotFound):  # B's HR cannot see A's worker either
        appoint(hr_of_b, enterprise_b, senior_of_a, welder)
    for reader in (organizer, platform_admin, senior_of_a):
        with pytest.raises((PermissionDenied, NotFound)):
            appoint(reader, enterprise_a, senior_of_a, welder)
    assert stored_files(evidence_store) == []  # refused before the file was stored
    both = person(Role.CANDIDATE, enterprise_a, username="both")
    both.memberships.create(organization=enterprise_b, role=Role.CANDIDATE)
    held(both.pk, welder, SkillLevel.ONE, date(2018, 1, 1))
    appointment = appoint(hr_of_a, enterprise_a, both, welder)
    with pytest.raises(NotFound):  # B's HR sees the person but not A's appointment of them
        services.appointment_end(actor=hr_of_b, appointment_id=appointment.pk, kind=EndKind.REVOKED,
                                 effective_on=date(2026, 1, 1), reason="x")
    with pytest.raises(PermissionDenied):  # the appointee reads it, never ends it
        services.appointment_end(actor=both, appointment_id=appointment.pk, kind=EndKind.RESIGNED,
                                 effective_on=date(2026, 1, 1), reason="x")


def test_a_member_of_another_unit_is_not_the_enterprises_to_appoint(organizer: User, enterprise_b: Organization,
                                                                     senior_of_a: User) -> None:
    from accounts.actors import SYSTEM

    with pytest.raises(ValidationFailed) as refused:
        appoint(SYSTEM, enterprise_b, senior_of_a, occupation())
    assert refused.value.fields() == {"person": ["该人员不是本企业的成员：企业只能聘任本企业职工。"]}


def test_appointed_levels_are_not_withdrawn_by_hand(organizer: User, hr_of_a: User, enterprise_a: Organization,
                                                    senior_of_a: User) -> None:
    appoint(hr_of_a, enterprise_a, senior_of_a, occupation())
    level = HeldLevel.objects.get(source_kind=SourceKind.APPOINTMENT)
    with pytest.raises(Conflict):
        services.held_level_withdraw(actor=organizer, held_id=level.pk, reason="x")
