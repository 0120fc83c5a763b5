"""Sign-in throttling (issue 9 item 7): five wrong passwords lock a username at one address, not everywhere, and
an address spraying passwords across many usernames is throttled; page sessions end when idle and at an absolute
lifetime."""

from __future__ import annotations

import time

from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.models import Role, User
from accounts.sessions import LAST_SEEN_AT, SIGNED_IN_AT
from tests.accounts.factories import OrganizationFactory, person
from tests.accounts.steps import PASSWORD

VENUE = "10.8.0.1"
ATTACKER = "203.0.113.9"


def _attempt(client: Client, username: str, password: str, address: str):  # type: ignore[no-untyped-def]
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_wrong_passwords_from_one_place_do_not_lock_the_referee_out_elsewhere(referee_of_a: User) -> None:
    attacker = Client()
    for _ in range(5):
        _attempt(attacker, referee_of_a.username, "guess", ATTACKER)
    locked = _attempt(attacker, referee_of_a.username, PASSWORD, ATTACKER)
    assert locked.status_code == 429 and "已暂时锁定" in locked.content.decode()
    # The referee at the venue still signs in.
    assert _attempt(Client(), referee_of_a.username, PASSWORD, VENUE).status_code == 302


def test_spraying_many_usernames_from_one_address_is_throttled(db: None) -> None:
    unit = OrganizationFactory()
    people = [person(Role.REFEREE, unit, username=f"sprayed{i:02d}") for i in range(30)]
    sprayer = Client()
    answers = [
        _attempt(sprayer, people[i % 30].username, f"Password{i // 30}!", ATTACKER).status_code for i in range(120)
    ]
    limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT
    assert 5 < limit < 120
    # Wrong passwords, each told so, until the limit-th failure, which (as axes' own fifth) is already refused;
    # from then on the address is throttled, whatever the username.
    assert answers[: limit - 1] == [200] * (limit - 1)
    assert set(answers[limit - 1:]) == {429}
    throttled = _attempt(sprayer, people[0].username, PASSWORD, ATTACKER)
    assert throttled.status_code == 429 and "此网络地址" in throttled.content.decode()
    # Nobody else is: the same people sign in from the venue.
    assert _attempt(Client(), people[0].username, PASSWORD, VENUE).status_code == 302


def test_a_venue_s_referees_mistyping_once_each_are_not_throttled(db: None) -> None:
    unit = OrganizationFactory()
    referees = [person(Role.REFEREE, unit, username=f"venue{i:02d}") for i in range(30)]
    for referee in referees:
        assert _attempt(Client(), referee.username, "typo", VENUE).status_code == 200
    assert all(_attempt(Client(), r.username, PASSWORD, VENUE).status_code == 302 for r in referees)


def _signed_in(user: User) -> Client:
    client = Client()
    assert _attempt(client, user.username, PASSWORD, VENUE).status_code == 302
    return client


def _age_session(client: Client, *, signed_in_ago: int, seen_ago: int) -> None:
    session = client.session
    now = int(time.time())
    session[SIGNED_IN_AT], session[LAST_SEEN_AT] = now - signed_in_ago, now - seen_ago
    session.save()


def test_an_idle_session_is_signed_out_after_thirty_minutes(referee_of_a: User) -> None:
    assert settings.SESSION_IDLE_TIMEOUT == 30 * 60 and settings.SESSION_COOKIE_AGE == 30 * 60
    client = _signed_in(referee_of_a)
    _age_session(client, signed_in_ago=29 * 60, seen_ago=29 * 60)
    assert client.get(reverse("accounts:profile")).status_code == 200
    _age_session(client, signed_in_ago=31 * 60, seen_ago=31 * 60)
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    assert client.get("/api/v1/accounts/me").status_code == 401  # and stays signed out


def test_an_active_session_still_ends_at_its_absolute_lifetime(referee_of_a: User) -> None:
    client = _signed_in(referee_of_a)
    _age_session(client, signed_in_ago=settings.SESSION_MAX_AGE - 60, seen_ago=10)
    assert client.get("/api/v1/accounts/me").status_code == 200
    _age_session(client, signed_in_ago=settings.SESSION_MAX_AGE + 1, seen_ago=10)
    assert client.get("/api/v1/accounts/me").status_code == 401


def test_the_limits_are_read_from_the_environment() -> None:
    import subprocess
    import sys

    code = "from django.conf import settings as s; print(s.SESSION_IDLE_TIMEOUT, s.SESSION_MAX_AGE)"
    env = {"DJANGO_SETTINGS_MODULE": "config.settings_test", "SESSION_IDLE_MINUTES": "5", "SESSION_MAX_HOURS": "2",
           "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {code}"], env=env,  # noqa: S603
                         capture_output=True, text=True, check=True, cwd=settings.BASE_DIR)
    assert out.stdout.split() == ["300", "7200"]
    env["SESSION_IDLE_MINUTES"] = "half an hour"
    bad = subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env,  # noqa: S603
                         capture_output=True, text=True, cwd=settings.BASE_DIR)
    assert bad.returncode != 0 and "SESSION_IDLE_MINUTES" in bad.stderr
