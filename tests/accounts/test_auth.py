"""The API's caller: `signed_in_user` gives accounts' User or says "sign in first"; the optional auth lets
anyone read a public endpoint, while a present but bad token is still refused."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory

from accounts.auth import OPTIONAL_AUTH, signed_in_user
from accounts.models import User
from core.errors import NotAuthenticated


def test_signed_in_user_is_the_callers_account(referee_of_a: User) -> None:
    request = RequestFactory().get("/")
    request.user = referee_of_a
    assert signed_in_user(request) == referee_of_a


@pytest.mark.parametrize("user", [AnonymousUser(), None])
def test_signed_in_user_refuses_nobody_as_not_authenticated(user: AnonymousUser | None) -> None:
    request = RequestFactory().get("/")
    if user is not None:
        request.user = user
    with pytest.raises(NotAuthenticated) as raised:
        signed_in_user(request)
    assert raised.value.code == "not_authenticated" and raised.value.status == 401


def test_optional_auth_ends_with_the_anonymous_fallback() -> None:
    request = RequestFactory().get("/")
    assert OPTIONAL_AUTH[-1](request).is_authenticated is False


def test_public_events_are_open_to_anyone_but_a_bad_token_is_refused(client: Client, db: None) -> None:
    assert client.get("/api/v1/competitions/events").status_code == 200
    refused = client.get("/api/v1/competitions/events", HTTP_AUTHORIZATION="Bearer jn_unknown")
    assert refused.status_code == 401 and refused.json()["code"] == "token.invalid"
