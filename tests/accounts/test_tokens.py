"""API tokens (issue 9 item 8): a token cannot mint a token, making one takes the signed-in page session and the
password again, every token expires within a year, and revoking a person's access revokes their tokens."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from accounts import services
from accounts.actors import SYSTEM
from accounts.models import ApiToken, Organization, Role, User
from accounts.tokens import MAX_DAYS
from audit.models import AuditEntry
from core.errors import ValidationFailed
from tests.accounts.steps import PASSWORD, bearer

API = "/api/v1/accounts"


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="accounts.auth.AccountBackend")
    return client


def _me(client: Client, plaintext: str):  # type: ignore[no-untyped-def]
    return client.get(f"{API}/me", HTTP_AUTHORIZATION=f"Bearer {plaintext}")


def test_a_token_cannot_mint_a_token(referee_of_a: User, client: Client) -> None:
    headers = bearer(referee_of_a)
    before = ApiToken.objects.count()
    response = client.post(f"{API}/tokens", {"name": "子令牌", "days": 30, "password": PASSWORD},
                           content_type="application/json", **headers)
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"
    assert ApiToken.objects.count() == before
    assert not AuditEntry.objects.filter(action="accounts.token.created", new__name="子令牌").exists()


def test_making_a_token_takes_the_page_session_and_the_password_again(referee_of_a: User) -> None:
    client = _signed_in(referee_of_a)
    for body in ({"name": "平板", "days": 30}, {"name": "平板", "days": 30, "password": "not-my-password"}):
        refused = client.post(f"{API}/tokens", body, content_type="application/json")
        assert refused.status_code == 422 and list(refused.json()["fields"]) == ["password"], body
    assert not ApiToken.objects.filter(user=referee_of_a).exists()
    english = client.post(f"{API}/tokens", {"name": "平板", "days": 30, "password": "nope"},
                          content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["fields"]["password"] == [
        "“Current password” is wrong: making a token takes your sign-in password again."]
    made = client.post(f"{API}/tokens", {"name": "平板", "days": 30, "password": PASSWORD},
                       content_type="application/json")
    assert made.status_code == 201
    assert _me(Client(), made.json()["token"]).json()["username"] == referee_of_a.username


def test_a_session_without_its_csrf_token_cannot_make_one(referee_of_a: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(referee_of_a, backend="accounts.auth.AccountBackend")
    response = client.post(f"{API}/tokens", {"name": "平板", "days": 30, "password": PASSWORD},
                           content_type="application/json")
    assert response.status_code == 403 and not ApiToken.objects.exists()


def test_the_token_page_asks_for_the_password_again(client_of, referee_of_a: User) -> None:  # type: ignore[no-untyped-def]
    client = client_of(referee_of_a)
    page = client.post("/accounts/tokens/", {"name": "一号平板", "days": 30, "password": "wrong"})
    assert page.status_code == 200 and 'class="token"' not in page.content.decode()
    assert "当前密码" in page.content.decode() and not ApiToken.objects.exists()


@pytest.mark.parametrize("days", [0, MAX_DAYS + 1, 3650])
def test_every_token_expires_within_a_year(days: int, referee_of_a: User) -> None:
    client = _signed_in(referee_of_a)
    response = client.post(f"{API}/tokens", {"name": "平板", "days": days, "password": PASSWORD},
                           content_type="application/json")
    assert response.status_code == 422 and list(response.json()["fields"]) == ["days"]
    with pytest.raises(ValidationFailed) as caught:
        services.token_create(actor=SYSTEM, user=referee_of_a, name="cli", days=days)
    assert list(caught.value.fields()) == ["days"]
    assert not ApiToken.objects.exists()
    year = services.token_create(actor=SYSTEM, user=referee_of_a, name="cli", days=MAX_DAYS).token
    assert MAX_DAYS == 365 and year.expires_at - year.created_at == timedelta(days=365)


def test_the_openapi_document_says_a_token_needs_no_expiry_no_more(client: Client, db: None) -> None:
    operation = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/accounts/tokens"]["post"]
    assert operation["security"] == [{"PageSessionAuth": []}]
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["TokenIn"]
    assert schema["properties"]["days"]["maximum"] == 365 and "password" in schema["required"]


def test_create_token_days_0_names_the_field(referee_of_a: User) -> None:
    with pytest.raises(CommandError) as caught:
        call_command("create_token", referee_of_a.username, "--days", "0")
    assert "--days" in str(caught.value) and "有效天数" in str(caught.value) and "365" in str(caught.value)
    assert not ApiToken.objects.exists()


def test_revoking_a_membership_revokes_the_persons_tokens(
    hr_of_a: User, referee_of_a: User, enterprise_a: Organization, client: Client
) -> None:
    issued = services.token_create(actor=SYSTEM, user=referee_of_a, name="裁判平板", days=30)
    assert _me(client, issued.plaintext).status_code == 200
    membership = referee_of_a.memberships.get(role=Role.REFEREE)
    services.membership_revoke(actor=hr_of_a, membership=membership, reason="不再担任裁判")
    response = _me(client, issued.plaintext)
    assert response.status_code == 401 and response.json()["code"] == "token.revoked"
    entry = AuditEntry.objects.get(action="accounts.token.revoked", target_id=str(issued.token.pk))
    assert entry.actor_label == hr_of_a.username and entry.reason == "不再担任裁判"


def test_deactivating_a_person_revokes_their_tokens(platform_admin: User, referee_of_a: User, client: Client) -> None:
    issued = services.token_create(actor=SYSTEM, user=referee_of_a, name="裁判平板", days=30)
    with pytest.raises(ValidationFailed) as caught:
        services.person_deactivate(actor=platform_admin, user=referee_of_a, reason=" ")
    assert list(caught.value.fields()) == ["reason"]
    services.person_deactivate(actor=platform_admin, user=referee_of_a, reason="离职")
    referee_of_a.refresh_from_db()
    assert referee_of_a.is_active is False
    assert ApiToken.objects.get(pk=issued.token.pk).revoked_at is not None
    assert AuditEntry.objects.filter(action="accounts.person.deactivated", target_id=str(referee_of_a.pk)).exists()
    assert _me(client, issued.plaintext).status_code == 401
