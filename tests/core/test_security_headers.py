"""Headers and caching with DEBUG off (issue 9 item 13): a self-only Content-Security-Policy that the templates
keep (no inline script, style or handler), a Permissions-Policy, `Cache-Control: no-store` on what a signed-in
caller gets (pages, the one-time token page, API answers, exports), and the interactive API docs only for
signed-in people."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from accounts.models import User
from tests.accounts.steps import PASSWORD, bearer

ROOT = Path(__file__).resolve().parents[2]


def _signed_in(client: Client, user: User) -> Client:
    client.force_login(user, backend="accounts.auth.AccountBackend")
    return client


def _no_store(response) -> bool:  # type: ignore[no-untyped-def]
    return "no-store" in response.get("Cache-Control", "")


def test_every_response_carries_a_self_only_csp_and_a_permissions_policy(client: Client, db: None) -> None:
    assert settings.DEBUG is False
    for url in ["/accounts/login/", "/api/v1/openapi.json", "/static/css/platform.css", "/healthz"]:
        response = client.get(url)
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp and "style-src 'self'" in csp, url
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "frame-ancestors 'none'" in csp
        assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


def test_signed_in_pages_are_not_stored_and_public_ones_may_be(client: Client, referee_of_a: User) -> None:
    assert not _no_store(client.get("/api/v1/openapi.json"))  # anonymous, public
    _signed_in(client, referee_of_a)
    for url in ["/", "/accounts/me/", "/accounts/tokens/", "/api/v1/accounts/me"]:
        assert _no_store(client.get(url)), url


def test_the_one_time_token_page_and_a_token_s_api_answers_are_not_stored(client: Client, referee_of_a: User) -> None:
    _signed_in(client, referee_of_a)
    page = client.post("/accounts/tokens/", {"name": "一号平板", "days": 30, "password": PASSWORD})
    assert 'class="token"' in page.content.decode() and _no_store(page)
    made = client.post("/api/v1/accounts/tokens", {"name": "二号平板", "days": 30, "password": PASSWORD},
                       content_type="application/json")
    assert made.status_code == 201 and _no_store(made)
    assert _no_store(Client().get("/api/v1/accounts/me", **bearer(referee_of_a)))


def test_exports_are_not_stored(client: Client, organizer: User) -> None:
    _signed_in(client, organizer)
    response = client.get("/competitions/excel/templates/roster.xlsx")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert _no_store(response)


def test_the_interactive_docs_are_for_signed_in_people_only(client: Client, referee_of_a: User) -> None:
    anonymous = client.get("/api/v1/docs")
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")
    assert client.get("/api/v1/openapi.json").status_code == 200  # the document itself stays public
    assert _signed_in(client, referee_of_a).get("/api/v1/docs").status_code == 200


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\sstyle=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+=", re.I), "event handler attribute"),
    (re.compile(r"\bhx-on[:-]", re.I), "hx-on handler (needs eval)"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


@pytest.mark.parametrize("template", sorted(str(p.relative_to(ROOT)) for p in ROOT.glob("templates/**/*.html")))
def test_no_template_needs_inline_code_the_policy_would_refuse(template: str) -> None:
    text = (ROOT / template).read_text(encoding="utf-8")
    found = [what for pattern, what in INLINE if pattern.search(text)]
    assert not found, f"{template}: {found}"
