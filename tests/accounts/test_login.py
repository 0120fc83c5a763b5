"""Signing in: argon2, throttling after five failures in a row (django-axes), pages carry CSRF tokens."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from accounts.models import User

PASSWORD = "pw-for-tests-2026"


def _attempt(client: Client, username: str, password: str):  # type: ignore[no-untyped-def]
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_right_password_signs_in(referee_of_a: User) -> None:
    client = Client()
    response = _attempt(client, referee_of_a.username, PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_five_failures_in_a_row_lock_the_login_with_a_clear_message(referee_of_a: User) -> None:
    client = Client()
    for _ in range(4):
        assert _attempt(client, referee_of_a.username, "wrong").status_code == 200
    locked = _attempt(client, referee_of_a.username, "wrong")
    assert locked.status_code == 429
    assert "已暂时锁定" in locked.content.decode()
    # Even the right password is refused while locked.
    assert _attempt(client, referee_of_a.username, PASSWORD).status_code == 429


def test_lock_is_per_username_so_a_shared_venue_uplink_is_not_locked_out(referee_of_a: User, hr_of_a: User) -> None:
    client = Client()
    for _ in range(5):
        _attempt(client, referee_of_a.username, "wrong")
    assert _attempt(Client(), hr_of_a.username, PASSWORD).status_code == 302


def test_a_success_resets_the_count(referee_of_a: User) -> None:
    client = Client()
    for _ in range(4):
        _attempt(client, referee_of_a.username, "wrong")
    assert _attempt(client, referee_of_a.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert _attempt(client, referee_of_a.username, "wrong").status_code == 200


def test_login_form_carries_a_csrf_token_and_is_enforced(referee_of_a: User) -> None:
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("accounts:login")).content.decode()
    assert 'name="csrfmiddlewaretoken"' in page
    response = client.post(reverse("accounts:login"), {"username": referee_of_a.username, "password": PASSWORD})
    assert response.status_code == 403
