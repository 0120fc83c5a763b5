"""Every change through the admin site leaves an audit entry like any service write (issue 9 item 12): roles,
the superuser flag, units, passwords, deletions; the admin is the actor, and no secret enters the log."""

from __future__ import annotations

from typing import Any

from django.test import Client

from accounts.models import Membership, Organization, OrganizationKind, Role, User
from audit.models import AuditEntry
from tests.accounts.factories import OrganizationFactory


def _admin(platform_admin: User) -> Client:
    client = Client()
    client.force_login(platform_admin, backend="accounts.auth.AccountBackend")
    return client


def _user_form(user: User, **changes: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "username": user.username, "email": user.email, "language": user.language,
        "is_active": "on" if user.is_active else "", "is_staff": "on" if user.is_staff else "",
        "is_superuser": "on" if user.is_superuser else "",
        "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0", "memberships-MAX_NUM_FORMS": "1000",
    }
    existing = list(user.memberships.all())
    for i, membership in enumerate(existing):
        form.update({f"memberships-{i}-id": membership.pk, f"memberships-{i}-user": user.pk,
                     f"memberships-{i}-role": membership.role,
                     f"memberships-{i}-organization": membership.organization_id or "",
                     f"memberships-{i}-created_at_0": "2026-01-01", f"memberships-{i}-created_at_1": "08:00:00"})
    form["memberships-TOTAL_FORMS"] = form["memberships-INITIAL_FORMS"] = str(len(existing))
    form.update(changes)
    return {key: value for key, value in form.items() if value != ""}


def _form_errors(response: Any) -> object:
    context = response.context or {}
    form = context.get("adminform")
    return (form.form.errors if form else None, [f.formset.errors for f in context.get("inline_admin_formsets", [])])


def _entries(action: str, target: object) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action, target_id=str(target)).order_by("id"))


def test_granting_superuser_in_the_admin_is_audited_with_the_admin_as_actor(
    platform_admin: User, worker_of_a: User
) -> None:
    response = _admin(platform_admin).post(f"/admin/accounts/user/{worker_of_a.pk}/change/",
                                           _user_form(worker_of_a, is_staff="on", is_superuser="on"))
    assert response.status_code == 302, _form_errors(response)
    worker_of_a.refresh_from_db()
    assert worker_of_a.is_superuser
    [entry] = _entries("accounts.user.admin_changed", worker_of_a.pk)
    assert entry.actor_id == platform_admin.pk and entry.actor_label == platform_admin.username
    assert (entry.old["is_superuser"], entry.new["is_superuser"]) == (False, True)
    assert "password" not in entry.old and "password" not in entry.new
    assert worker_of_a.id_number not in str(entry.old) + str(entry.new)


def test_a_role_given_in_the_admin_is_audited(platform_admin: User, worker_of_a: User, enterprise_b) -> None:  # type: ignore[no-untyped-def]
    form = _user_form(worker_of_a)
    n = int(form["memberships-TOTAL_FORMS"])
    form.update({f"memberships-{n}-user": worker_of_a.pk, f"memberships-{n}-role": Role.REFEREE,
                 f"memberships-{n}-organization": enterprise_b.pk, "memberships-TOTAL_FORMS": str(n + 1),
                 f"memberships-{n}-created_at_0": "2026-12-01", f"memberships-{n}-created_at_1": "09:00:00"})
    response = _admin(platform_admin).post(f"/admin/accounts/user/{worker_of_a.pk}/change/", form)
    assert response.status_code == 302, _form_errors(response)
    assert Membership.objects.filter(user=worker_of_a, role=Role.REFEREE, organization=enterprise_b).exists()
    [entry] = _entries("accounts.user.admin_changed", worker_of_a.pk)
    added = f"{Role.REFEREE.value}@{enterprise_b.pk}"
    assert added not in entry.old["memberships"] and added in entry.new["memberships"]


def test_a_password_set_in_the_admin_is_audited_without_the_hash(platform_admin: User, worker_of_a: User) -> None:
    old_hash = worker_of_a.password
    response = _admin(platform_admin).post(
        f"/admin/accounts/user/{worker_of_a.pk}/password/",
        {"password1": "A-new-pass-2026!", "password2": "A-new-pass-2026!", "usable_password": "true"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    worker_of_a.refresh_from_db()
    assert worker_of_a.check_password("A-new-pass-2026!")
    [entry] = _entries("accounts.user.admin_changed", worker_of_a.pk)
    assert entry.actor_id == platform_admin.pk and entry.new["password"] == "changed"
    assert old_hash not in str(entry.old) and worker_of_a.password not in str(entry.new)


def test_a_unit_added_changed_and_deleted_in_the_admin_is_audited(platform_admin: User) -> None:
    client = _admin(platform_admin)
    form = {"name": "后台建的单位", "short_name": "", "kind": OrganizationKind.COLLEGE, "city": "淄博市",
            "credit_code": "", "created_at_0": "2026-12-01", "created_at_1": "10:00:00"}
    assert client.post("/admin/accounts/organization/add/", form).status_code == 302
    unit = Organization.objects.get(name="后台建的单位")
    [added] = _entries("accounts.organization.admin_added", unit.pk)
    assert added.new["name"] == "后台建的单位" and added.actor_id == platform_admin.pk
    form["city"] = "潍坊市"
    assert client.post(f"/admin/accounts/organization/{unit.pk}/change/", form).status_code == 302
    [changed] = _entries("accounts.organization.admin_changed", unit.pk)
    assert (changed.old["city"], changed.new["city"]) == ("淄博市", "潍坊市")
    assert client.post(f"/admin/accounts/organization/{unit.pk}/delete/", {"post": "yes"}).status_code == 302
    [deleted] = _entries("accounts.organization.admin_deleted", unit.pk)
    assert deleted.old["name"] == "后台建的单位" and not Organization.objects.filter(pk=unit.pk).exists()


def test_the_delete_action_is_audited_per_object(platform_admin: User) -> None:
    units = [OrganizationFactory(name=f"待删{i}") for i in range(2)]
    response = _admin(platform_admin).post("/admin/accounts/organization/", {
        "action": "delete_selected", "_selected_action": [u.pk for u in units], "post": "yes",
    })
    assert response.status_code == 302
    assert {e.target_id for e in AuditEntry.objects.filter(action="accounts.organization.admin_deleted")} == {
        str(u.pk) for u in units}


def test_every_model_the_admin_site_shows_is_audited() -> None:
    from django.contrib import admin

    from accounts.admin_audit import AuditedAdminMixin

    assert admin.site._registry, "the admin site registers the platform's models"
    assert all(isinstance(model_admin, AuditedAdminMixin) for model_admin in admin.site._registry.values())


def test_closing_an_account_or_taking_a_role_away_in_the_admin_revokes_the_tokens(
    platform_admin: User, worker_of_a: User, referee_of_a: User
) -> None:
    from accounts import services
    from accounts.actors import SYSTEM
    from accounts.models import ApiToken

    closed = services.token_create(actor=SYSTEM, user=worker_of_a, name="平板", days=30).token
    form = _user_form(worker_of_a)
    del form["is_active"]
    assert _admin(platform_admin).post(f"/admin/accounts/user/{worker_of_a.pk}/change/", form).status_code == 302
    assert ApiToken.objects.get(pk=closed.pk).revoked_at is not None

    demoted = services.token_create(actor=SYSTEM, user=referee_of_a, name="裁判平板", days=30).token
    form = _user_form(referee_of_a, **{"memberships-0-DELETE": "on"})
    response = _admin(platform_admin).post(f"/admin/accounts/user/{referee_of_a.pk}/change/", form)
    assert response.status_code == 302, _form_errors(response)
    assert not referee_of_a.memberships.exists()
    assert ApiToken.objects.get(pk=demoted.pk).revoked_at is not None
    entry = AuditEntry.objects.get(action="accounts.token.revoked", target_id=str(demoted.pk))
    assert entry.actor_id == platform_admin.pk
