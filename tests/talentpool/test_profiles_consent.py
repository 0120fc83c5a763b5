"""Profiles and consent (issue 14 items 2–3): the person edits their profile with clear field errors; an
enterprise's HR asks for contact; the contact data is in the profile only for the person and for an enterprise
whose request was accepted and not revoked; every move is checked and audited."""

from __future__ import annotations

import pytest

from accounts.models import Organization, User
from audit.models import AuditEntry
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from talentpool.models import ContactStatus, IndustryChain, Talent
from talentpool.selectors.profiles import talent_profile
from talentpool.services import contacts
from talentpool.services.profiles import ProfileData, SkillEntry, talent_profile_update
from tests.talentpool.factories import talent_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def talent(worker_of_a: User) -> Talent:
    t = talent_of(worker_of_a)
    chain = IndustryChain.objects.order_by("position").first()
    assert chain is not None
    talent_profile_update(actor=worker_of_a, data=ProfileData(
        city="jinan", education=3, years_experience=8, open_to_offers=True, chain_ids=(chain.pk,),
        summary="焊接十年", contact_phone="138 0000 1234", contact_email="w@example.cn",
        skills=(SkillEntry("氩弧焊", 5), SkillEntry(" 气体 保护焊 ", None))))
    t.refresh_from_db()
    return t


def test_the_person_edits_the_profile_and_sees_their_own_contact(talent: Talent, worker_of_a: User) -> None:
    profile = talent_profile(worker_of_a, talent)
    assert profile.own and profile.contact is not None and profile.contact.phone == "13800001234"
    assert profile.city_label == "济南" and profile.years_experience == 8 and profile.open_to_offers
    assert [(s.name, s.rung) for s in profile.skills] == [("氩弧焊", 5), ("气体保护焊", None)]
    assert profile.holdings[0].rung_label == "二级/技师" and profile.sources[0].standing
    assert AuditEntry.objects.filter(action="talentpool.profile.updated", target_id=str(talent.pk)).exists()


def test_bad_fields_are_refused_by_name(talent: Talent, worker_of_a: User) -> None:
    with pytest.raises(ValidationFailed) as refused:
        talent_profile_update(actor=worker_of_a, data=ProfileData(
            city="beijing", contact_phone="12345", contact_email="not-an-email", years_experience=99,
            skills=(SkillEntry("焊", 9),)))
    assert {e.field for e in refused.value.field_errors} == {"city", "contact_phone", "contact_email",
                                                            "years_experience", "skills.0.rung"}
    assert "0531-88886666" in next(e.message for e in refused.value.field_errors if e.field == "contact_phone")


def test_only_the_person_edits_their_profile(talent: Talent, hr_of_a: User) -> None:
    with pytest.raises(NotFound):
        talent_profile_update(actor=hr_of_a, data=ProfileData())


def test_contact_is_masked_until_consent_and_again_after_revocation(
        talent: Talent, worker_of_a: User, hr_of_a: User, hr_of_b: User, organizer: User,
        enterprise_a: Organization) -> None:
    assert talent_profile(hr_of_a, talent).contact is None
    request = contacts.contact_request_create(actor=hr_of_a, talent_id=talent.pk, message="诚邀面试")
    assert request.enterprise_id == enterprise_a.pk and request.status == ContactStatus.PENDING
    assert talent_profile(hr_of_a, talent).contact is None
    with pytest.raises(Conflict):
        contacts.contact_request_create(actor=hr_of_a, talent_id=talent.pk)
    contacts.contact_request_accept(actor=worker_of_a, request_id=request.pk)
    seen = talent_profile(hr_of_a, talent).contact
    assert seen is not None and seen.phone == "13800001234" and seen.email == "w@example.cn"
    assert talent_profile(hr_of_b, talent).contact is None  # another enterprise
    assert talent_profile(organizer, talent).contact is None  # the platform's staff
    contacts.contact_consent_revoke(actor=worker_of_a, request_id=request.pk, reason="已找到工作")
    assert talent_profile(hr_of_a, talent).contact is None
    actions = list(AuditEntry.objects.filter(action__startswith="talentpool.contact.").order_by("pk")
                   .values_list("action", flat=True))
    assert actions == ["talentpool.contact.requested", "talentpool.contact.accepted", "talentpool.contact.revoked"]
    # a revoked consent is final; the enterprise may ask again with a new request
    with pytest.raises(Conflict):
        contacts.contact_request_accept(actor=worker_of_a, request_id=request.pk)
    again = contacts.contact_request_create(actor=hr_of_a, talent_id=talent.pk)
    assert again.pk != request.pk


def test_who_may_move_a_request(talent: Talent, worker_of_a: User, hr_of_a: User, hr_of_b: User,
                                outsider: User) -> None:
    request = contacts.contact_request_create(actor=hr_of_a, talent_id=talent.pk)
    for stranger in (hr_of_a, hr_of_b, outsider):
        with pytest.raises((NotFound, PermissionDenied)):
            contacts.contact_request_accept(actor=stranger, request_id=request.pk)
    with pytest.raises((NotFound, PermissionDenied)):
        contacts.contact_request_withdraw(actor=hr_of_b, request_id=request.pk)
    with pytest.raises((NotFound, PermissionDenied)):
        contacts.contact_request_create(actor=outsider, talent_id=talent.pk)
    contacts.contact_request_decline(actor=worker_of_a, request_id=request.pk, reason="暂不考虑")
    with pytest.raises(Conflict):
        contacts.contact_request_withdraw(actor=hr_of_a, request_id=request.pk)
    second = contacts.contact_request_create(actor=hr_of_a, talent_id=talent.pk)
    contacts.contact_request_withdraw(actor=hr_of_a, request_id=second.pk, reason="岗位已招满")
    with pytest.raises(Conflict):
        contacts.contact_request_accept(actor=worker_of_a, request_id=second.pk)
