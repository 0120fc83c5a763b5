"""The page shell: navigation by role, home page, language switch, masking and invisibility on pages."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from accounts.models import User
from shell.navigation import nav_for


def _nav_keys(html: str) -> list[str]:
    return re.findall(r'data-nav="([a-z_]+)"', html)


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("platform_admin", ["home", "people", "tokens", "profile", "audit", "admin"]),
        ("organizer", ["home", "people", "profile", "audit"]),
        ("hr_of_a", ["home", "people", "tokens", "profile"]),
        ("referee_of_a", ["home", "tokens", "profile"]),
        ("outsider", ["home", "profile"]),
    ],
)
def test_navigation_follows_the_role(request: pytest.FixtureRequest, client_of, who: str, expected: list[str]) -> None:  # type: ignore[no-untyped-def]
    user: User = request.getfixturevalue(who)
    html = client_of(user).get("/").content.decode()
    keys = _nav_keys(html)
    assert [k for k in keys if k in {"home", "people", "tokens", "profile", "audit", "admin"}] == expected
    assert keys == [entry["key"] for entry in nav_for(user)]


def test_anonymous_home_is_the_front_door_with_a_login_link(client: Client, db: None) -> None:
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200 and 'data-testid="front-door"' in html
    assert 'data-testid="login-link" ' in html or 'data-testid="login-link">' in html
    assert 'href="/accounts/login/"' in html and 'data-nav="' not in html  # no menu for a visitor


def test_home_lists_what_is_waiting(client_of, outsider: User) -> None:  # type: ignore[no-untyped-def]
    outsider.id_number = ""
    outsider.save()
    html = client_of(outsider).get("/").content.decode()
    assert 'data-code="accounts.real_name_missing"' in html


def test_people_page_masks_for_colleagues_and_hides_other_units(
    client_of, hr_of_a: User, worker_of_a: User, hr_of_b: User  # type: ignore[no-untyped-def]
) -> None:
    html = client_of(hr_of_a).get("/accounts/people/").content.decode()
    assert worker_of_a.id_number in html  # HR of the same unit needs the number
    assert hr_of_b.username not in html  # another unit's people are invisible


def test_people_page_is_refused_to_a_referee(client_of, referee_of_a: User) -> None:  # type: ignore[no-untyped-def]
    assert client_of(referee_of_a).get("/accounts/people/").status_code == 403


def test_language_switch_saves_the_choice_and_translates(client_of, referee_of_a: User) -> None:  # type: ignore[no-untyped-def]
    client = client_of(referee_of_a)
    assert "我的账号" in client.get("/").content.decode()
    response = client.post("/accounts/language/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    referee_of_a.refresh_from_db()
    assert referee_of_a.language == "en"
    html = client.get("/").content.decode()
    assert "My account" in html and 'lang="en"' in html


def test_language_switch_refuses_foreign_redirects(client: Client, db: None) -> None:
    response = client.post("/accounts/language/", {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_token_page_shows_a_new_token_once(client_of, referee_of_a: User) -> None:  # type: ignore[no-untyped-def]
    client = client_of(referee_of_a)
    form = {"name": "一号平板", "days": 30, "password": "pw-for-tests-2026"}
    html = client.post("/accounts/tokens/", form).content.decode()
    token = re.search(r'<code class="token">(jn_[^<]+)</code>', html)
    assert token is not None
    assert token.group(1) not in client.get("/accounts/tokens/").content.decode()


def test_a_token_is_revoked_on_the_page_by_its_owner_only(  # type: ignore[no-untyped-def]
    client_of, referee_of_a: User, hr_of_a: User
) -> None:
    from accounts import services
    from accounts.actors import SYSTEM

    issued = services.token_create(actor=SYSTEM, user=referee_of_a, name="一号平板", days=30)
    url = f"/accounts/tokens/{issued.token.pk}/revoke/"
    stranger = client_of(hr_of_a).post(url, {"reason": "x"})
    assert stranger.status_code == 404 and 'data-code="not_found"' in stranger.content.decode()  # the one 404 page
    assert client_of(hr_of_a).post(f"/accounts/tokens/{issued.token.pk + 1000}/revoke/").status_code == 404
    issued.token.refresh_from_db()
    assert issued.token.revoked_at is None
    client_of(referee_of_a).post(url, {"reason": "平板丢失"})
    issued.token.refresh_from_db()
    assert issued.token.revoked_at is not None


def test_every_form_carries_a_csrf_token(client_of, platform_admin: User) -> None:  # type: ignore[no-untyped-def]
    client = client_of(platform_admin)
    for url in ["/", "/accounts/tokens/", "/accounts/me/", "/audit/?target_type=accounts.user&target_id=1"]:
        html = client.get(url).content.decode()
        posts = len(re.findall(r'<form[^>]*method="post"', html))
        assert html.count('name="csrfmiddlewaretoken"') >= posts > 0, url


def test_templates_escape_what_people_type(client_of, hr_of_a: User, enterprise_a) -> None:  # type: ignore[no-untyped-def]
    from accounts.models import Role
    from tests.accounts.factories import person

    person(Role.CANDIDATE, enterprise_a, real_name="<script>alert(1)</script>")
    html = client_of(hr_of_a).get("/accounts/people/").content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_admin_site_is_for_the_platform_admin_only(client_of, platform_admin: User, organizer: User) -> None:  # type: ignore[no-untyped-def]
    admin = client_of(platform_admin)
    assert admin.get("/admin/audit/auditentry/").status_code == 200
    assert admin.get("/admin/audit/auditentry/add/").status_code == 403
    organizer.is_staff = True
    organizer.save()
    assert client_of(organizer).get("/admin/").status_code == 302  # sent to the admin login: not allowed


def test_audit_page_shows_history_to_the_organizer(client_of, organizer: User) -> None:  # type: ignore[no-untyped-def]
    from accounts import services

    # A person's own edit of what is not their identity (their name, once set, only staff correct).
    services.person_update(actor=organizer, user=organizer, changes=services.PersonChanges(mobile="13900001111"),
                           reason="更正")
    html = client_of(organizer).get(f"/audit/?target_type=accounts.user&target_id={organizer.pk}").content.decode()
    assert "accounts.person.updated" in html and "更正" in html
