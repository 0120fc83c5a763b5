"""People, memberships and tokens through the services: rows, audit entries, field errors, nothing half-saved."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts import services
from accounts.actors import SYSTEM
from accounts.models import ApiToken, Membership, Organization, OrganizationKind, Role, User
from accounts.permissions import roles_of
from audit.models import AuditEntry
from core.errors import Conflict, NotAuthenticated, NotFound, PermissionDenied, ValidationFailed

VALID_ID = "11010519491231002X"


def test_person_create_saves_validated_data_and_audits_it_masked(db: None) -> None:
    user = services.person_create(
        actor=SYSTEM, username="zhang", password="a-long-pass-2026",
        data=services.PersonData(real_name="张三", id_number="11010519491231002x", mobile="+86 138 1234 5678"),
    )
    user.refresh_from_db()
    assert (user.id_number, user.mobile, str(user.birth_date)) == (VALID_ID, "13812345678", "1949-12-31")
    assert user.password.startswith("argon2")
    entry = AuditEntry.objects.get(action="accounts.person.created", target_id=str(user.pk))
    assert entry.new["id_number"] == "1101**********002X"
    assert entry.new["mobile"] == "138****5678"


def test_bad_id_and_phone_are_both_reported_by_field_and_nothing_is_saved(db: None) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.person_create(
            actor=SYSTEM, username="li", password="a-long-pass-2026",
            data=services.PersonData(real_name="李四", id_number="110105194912310021", mobile="12345"),
        )
    fields = caught.value.fields()
    assert set(fields) == {"id_number", "mobile"}
    assert fields["id_number"] == ["“身份证号”的校验码不正确，请核对。"]
    assert fields["mobile"] == ["“手机号”应为 11 位手机号码，以 13–19 开头。"]
    assert not User.objects.filter(username="li").exists()
    assert not AuditEntry.objects.exists()


def test_id_number_is_unique_across_people(db: None) -> None:
    services.person_create(actor=SYSTEM, username="a1", password=None, data=services.PersonData(id_number=VALID_ID))
    with pytest.raises(ValidationFailed) as caught:
        services.person_create(actor=SYSTEM, username="a2", password=None, data=services.PersonData(id_number=VALID_ID))
    assert caught.value.field_errors[0].code == "id_number.taken"


def test_person_update_records_old_and_new_with_reason(hr_of_a: User, worker_of_a: User) -> None:
    services.person_update(
        actor=hr_of_a, user=worker_of_a,
        changes=services.PersonChanges(real_name="改名", id_number=VALID_ID, mobile="13900001111"),
        reason="户籍更正",
    )
    entry = AuditEntry.objects.get(action="accounts.person.updated")
    assert entry.actor == hr_of_a and entry.reason == "户籍更正"
    assert entry.new["real_name"] == "改名" and entry.old["real_name"] != "改名"
    assert entry.new["mobile"] == "139****1111"


def test_membership_needs_a_unit_except_for_platform_admin(outsider: User, enterprise_a: Organization) -> None:
    with pytest.raises(ValidationFailed):
        services.membership_grant(actor=SYSTEM, user=outsider, role=Role.REFEREE, organization=None)
    with pytest.raises(ValidationFailed):
        services.membership_grant(actor=SYSTEM, user=outsider, role=Role.PLATFORM_ADMIN, organization=enterprise_a)
    services.membership_grant(actor=SYSTEM, user=outsider, role=Role.REFEREE, organization=enterprise_a)
    with pytest.raises(Conflict):
        services.membership_grant(actor=SYSTEM, user=outsider, role=Role.REFEREE, organization=enterprise_a)
    assert Membership.objects.filter(user=outsider).count() == 1


def test_token_is_shown_once_and_stored_hashed(referee_of_a: User) -> None:
    issued = services.token_create(actor=referee_of_a, user=referee_of_a, name="一号平板", days=30,
                                   password="pw-for-tests-2026")
    stored = ApiToken.objects.get(pk=issued.token.pk)
    assert issued.plaintext.startswith("jn_") and len(issued.plaintext) > 40
    assert issued.plaintext not in (stored.key_hash, stored.prefix)
    assert issued.plaintext.startswith(stored.prefix)
    assert services.token_authenticate(issued.plaintext) == referee_of_a
    assert AuditEntry.objects.filter(action="accounts.token.created", target_id=str(stored.pk)).exists()


def test_expired_and_revoked_tokens_say_which(referee_of_a: User) -> None:
    expired = services.token_create(actor=SYSTEM, user=referee_of_a, name="旧平板", days=1)
    ApiToken.objects.filter(pk=expired.token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(NotAuthenticated) as caught:
        services.token_authenticate(expired.plaintext)
    assert caught.value.code == "token.expired"

    revoked = services.token_create(actor=SYSTEM, user=referee_of_a, name="丢失的平板", days=30)
    services.token_revoke(actor=referee_of_a, token=revoked.token, reason="设备丢失")
    with pytest.raises(NotAuthenticated) as caught:
        services.token_authenticate(revoked.plaintext)
    assert caught.value.code == "token.revoked"
    entry = AuditEntry.objects.get(action="accounts.token.revoked")
    assert entry.reason == "设备丢失" and entry.old == {"revoked_at": None}

    with pytest.raises(NotAuthenticated) as caught:
        services.token_authenticate("jn_not-a-token")
    assert caught.value.code == "token.invalid"


def test_token_days_out_of_range_is_a_field_error(referee_of_a: User) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.token_create(actor=SYSTEM, user=referee_of_a, name="x", days=0)
    assert "days" in caught.value.fields()
    assert not ApiToken.objects.exists()


def test_create_token_command_prints_a_working_token(referee_of_a: User, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("create_token", referee_of_a.username, "--days", "7")
    plaintext = capsys.readouterr().out.strip()
    assert services.token_authenticate(plaintext) == referee_of_a
    token = ApiToken.objects.get(user=referee_of_a)
    assert timedelta(days=6, hours=23) < token.expires_at - token.created_at <= timedelta(days=7)


def test_every_accounts_service_asks_the_actors_right(  # type: ignore[no-untyped-def]
    hr_of_a: User, hr_of_b: User, worker_of_a: User, enterprise_a, enterprise_b
) -> None:
    with pytest.raises(PermissionDenied):
        services.organization_create(actor=hr_of_a, name="私建单位", kind=OrganizationKind.ENTERPRISE, city="济南市")
    with pytest.raises(PermissionDenied):
        services.person_create(actor=hr_of_a, username="newbie", password=None, data=services.PersonData())
    with pytest.raises(PermissionDenied):  # the platform admin role: only an admin grants it
        services.membership_grant(actor=hr_of_a, user=worker_of_a, role=Role.PLATFORM_ADMIN, organization=None)
    with pytest.raises(NotFound):  # roles of another unit: invisible
        services.membership_grant(actor=hr_of_a, user=worker_of_a, role=Role.REFEREE, organization=enterprise_b)
    with pytest.raises(NotFound):
        services.token_create(actor=hr_of_b, user=worker_of_a, name="别人的令牌")
    services.membership_grant(actor=hr_of_a, user=worker_of_a, role=Role.REFEREE, organization=enterprise_a)
    assert Role.REFEREE in roles_of(worker_of_a)
    assert not Organization.objects.filter(name="私建单位").exists()
    assert not User.objects.filter(username="newbie").exists()
