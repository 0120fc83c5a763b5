"""A client's X-Request-ID is kept only when it is a well-formed id (8–64 of A-Z a-z 0-9 . _ -); anything else is
replaced by a fresh id, in the response and in the audit log, never stored as the client's free text."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from accounts.models import User
from audit.models import AuditEntry
from core.request_context import current_request_id, new_request_id, reset_request_id, set_request_id
from tests.accounts.steps import bearer

FRESH = re.compile(r"[0-9a-f]{32}")


def _set_language(client: Client, user: User, request_id: str):  # type: ignore[no-untyped-def]
    return client.put("/api/v1/accounts/me/language", {"language": "en"}, content_type="application/json",
                      HTTP_X_REQUEST_ID=request_id, **bearer(user))


@pytest.mark.parametrize("good", ["venue-7f3a9c21", "a" * 64, "abc.DEF_12-3"])
def test_a_well_formed_id_is_kept_in_the_response_and_the_audit_entry(
    good: str, referee_of_a: User, client: Client
) -> None:
    response = _set_language(client, referee_of_a, good)
    assert response.status_code == 200 and response["X-Request-ID"] == good
    assert AuditEntry.objects.get(action="accounts.person.language_set").request_id == good


@pytest.mark.parametrize(
    "bad",
    ["abcdefgh\n", "abcdefgh\r\nSet-Cookie: x=1", "short", "a" * 65, "venue:7f3a9c21", "<script>alert(1)</script>",
     "工位号-0012-张三", "abcd efgh", "abcdefgh\x00"],
)
def test_a_malformed_id_is_replaced_never_written_as_free_text(bad: str, referee_of_a: User, client: Client) -> None:
    response = _set_language(client, referee_of_a, bad)
    assert response.status_code == 200
    kept = response["X-Request-ID"]
    assert FRESH.fullmatch(kept)
    entry = AuditEntry.objects.get(action="accounts.person.language_set")
    assert entry.request_id == kept and bad.strip() not in entry.request_id


def test_setting_a_malformed_id_directly_is_replaced_too() -> None:
    token = set_request_id("free text with spaces")
    try:
        assert FRESH.fullmatch(current_request_id())
    finally:
        reset_request_id(token)
    assert new_request_id("abcdefgh\n") != "abcdefgh\n"
