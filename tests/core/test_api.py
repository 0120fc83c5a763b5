"""The API's contract: one error shape, messages in the caller's language, request ids, auth by token or
session (with CSRF), masking as the role sees it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts import services
from accounts.actors import SYSTEM
from accounts.models import ApiToken, User
from audit.models import AuditEntry
from tests.accounts.steps import PASSWORD, bearer


def _error_shape(body: dict) -> None:
    assert {"code", "message", "request_id"} <= set(body)
    assert isinstance(body["message"], str) and body["message"]


def test_me_with_a_token_returns_roles_units_and_own_unmasked_numbers(referee_of_a: User, client: Client) -> None:
    response = client.get("/api/v1/accounts/me", **bearer(referee_of_a))
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == referee_of_a.username
    assert body["roles"] == ["referee"]
    assert [org["name"] for org in body["organizations"]] == ["甲企业"]
    assert body["id_number"] == referee_of_a.id_number and body["masked"] is False


def test_no_credentials_is_401_in_the_error_shape(client: Client, db: None) -> None:
    response = client.get("/api/v1/accounts/me")
    assert response.status_code == 401
    _error_shape(response.json())
    assert response.json()["code"] == "not_authenticated"


def test_expired_and_revoked_tokens_get_401_saying_which(referee_of_a: User, client: Client) -> None:
    expired = services.token_create(actor=SYSTEM, user=referee_of_a, name="old", days=1)
    ApiToken.objects.filter(pk=expired.token.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {expired.plaintext}")
    assert response.status_code == 401 and response.json()["code"] == "token.expired"
    assert "过期" in response.json()["message"]

    revoked = services.token_create(actor=SYSTEM, user=referee_of_a, name="lost", days=30)
    services.token_revoke(actor=referee_of_a, token=revoked.token)
    response = client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {revoked.plaintext}",
                          HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401 and response.json()["code"] == "token.revoked"
    assert "revoked" in response.json()["message"]


def test_messages_follow_accept_language(client: Client, db: None) -> None:
    zh = client.get("/api/v1/accounts/me", HTTP_ACCEPT_LANGUAGE="zh-hans").json()["message"]
    en = client.get("/api/v1/accounts/me", HTTP_ACCEPT_LANGUAGE="en").json()["message"]
    assert zh == "请先登录。"
    assert en == "Please sign in first."


def test_the_users_saved_language_wins(referee_of_a: User, client: Client) -> None:
    referee_of_a.language = "en"
    referee_of_a.save()
    response = client.get("/api/v1/accounts/people/999999", HTTP_ACCEPT_LANGUAGE="zh-hans", **bearer(referee_of_a))
    assert response.status_code == 404 and response.json()["message"] == "Not found."


def test_every_response_carries_a_request_id_and_the_audit_entry_records_it(
    referee_of_a: User, client: Client
) -> None:
    # An audited write made with a token (making a token itself needs the page session: test_tokens.py).
    response = client.put("/api/v1/accounts/me/language", {"language": "en"},
                          content_type="application/json", HTTP_X_REQUEST_ID="venue-7f3a9c21", **bearer(referee_of_a))
    assert response.status_code == 200
    assert response["X-Request-ID"] == "venue-7f3a9c21"
    entry = AuditEntry.objects.get(action="accounts.person.language_set", target_id=str(referee_of_a.pk))
    assert entry.request_id == "venue-7f3a9c21"
    assert client.get("/api/v1/accounts/me")["X-Request-ID"]
    assert client.get("/static/css/platform.css")["X-Request-ID"]
    assert client.get("/healthz")["X-Request-ID"]


def test_bad_field_is_422_naming_the_field(referee_of_a: User, client: Client) -> None:
    client.force_login(referee_of_a, backend="accounts.auth.AccountBackend")
    response = client.post("/api/v1/accounts/tokens", {"name": "x", "days": 0, "password": PASSWORD},
                           content_type="application/json")
    assert response.status_code == 422
    body = response.json()
    _error_shape(body)
    assert body["code"] == "validation_failed" and list(body["fields"]) == ["days"]
    assert not ApiToken.objects.filter(name="x").exists()


def test_malformed_body_is_422_naming_the_field(referee_of_a: User, client: Client) -> None:
    client.force_login(referee_of_a, backend="accounts.auth.AccountBackend")
    response = client.post("/api/v1/accounts/tokens", {"days": "many"}, content_type="application/json")
    assert response.status_code == 422
    assert {"name", "days", "password"} <= set(response.json()["fields"])


def test_a_multipart_body_the_parser_cannot_read_is_400_not_a_server_error(
    referee_of_a: User, client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    """Found by the API fuzzing: a form part whose headers pass Django's limit made a 500."""
    boundary = "BOUNDARY"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"note\"\r\nX-Long: {'a' * 11_000}\r\n\r\n"
            f"x\r\n--{boundary}--\r\n").encode()
    with caplog.at_level("ERROR"):
        response = client.generic("POST", f"/api/v1/certification/enterprises/{referee_of_a.pk}/appointments", body,
                                  content_type=f"multipart/form-data; boundary={boundary}", **bearer(referee_of_a))
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"
    _error_shape(response.json())
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


def test_a_query_parameter_with_a_nul_character_is_422_naming_it(referee_of_a: User, client: Client) -> None:
    """Found by the API fuzzing on PostgreSQL, which refuses NUL in any text: the pool's search answered 500."""
    response = client.get("/api/v1/talentpool/talents?city=%E6%B5%8E%00%E5%8D%97&text=ok", **bearer(referee_of_a))
    assert response.status_code == 422
    body = response.json()
    assert set(body["fields"]) == {"city"}
    assert "NUL" in body["fields"]["city"][0]
    _error_shape(body)


def test_the_nul_check_leaves_an_uploaded_file_unread() -> None:
    """The parser's same method parses request.FILES: a first try tested `"\\x00" in file`, which reads an
    uploaded file to its end, and every Excel import then found an empty file (25 import tests failed)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import RequestFactory
    from django.utils.datastructures import MultiValueDict

    from config.api import PlatformParser

    upload = SimpleUploadedFile("名单.xlsx", b"PK\x03\x04\x00 first line\nsecond line\n")
    files = MultiValueDict({"file": [upload]})
    parsed = PlatformParser().parse_querydict(files, [], RequestFactory().post("/"))
    assert parsed["file"] is upload
    assert upload.tell() == 0
    assert upload.read() == b"PK\x03\x04\x00 first line\nsecond line\n"


def test_person_edit_with_a_bad_id_number_names_the_field_and_changes_nothing(
    hr_of_a: User, worker_of_a: User, client: Client
) -> None:
    before = worker_of_a.id_number
    response = client.patch(f"/api/v1/accounts/people/{worker_of_a.pk}",
                            {"real_name": "新名", "id_number": "110105194912310021", "mobile": "13812345678",
                             "reason": "核对户籍"}, content_type="application/json", **bearer(hr_of_a))
    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["id_number"]
    worker_of_a.refresh_from_db()
    assert worker_of_a.id_number == before and worker_of_a.real_name != "新名"


@pytest.mark.parametrize(
    ("viewer_fixture", "expected"),
    [("hr_of_a", "full"), ("platform_admin", "full"), ("referee_of_a", "masked"), ("hr_of_b", 404),
     ("outsider", 404)],
)
def test_a_person_is_masked_or_invisible_by_role_and_unit(
    request: pytest.FixtureRequest, viewer_fixture: str, expected: object, worker_of_a: User, client: Client
) -> None:
    viewer: User = request.getfixturevalue(viewer_fixture)
    response = client.get(f"/api/v1/accounts/people/{worker_of_a.pk}", **bearer(viewer))
    if expected == "full":
        assert response.status_code == 200
        assert response.json()["id_number"] == worker_of_a.id_number
        assert response.json()["mobile"] == worker_of_a.mobile
    elif expected == "masked":
        assert response.status_code == 200
        body = response.json()
        assert body["masked"] is True
        assert body["id_number"] == worker_of_a.id_number[:4] + "*" * 10 + worker_of_a.id_number[-4:]
        assert body["mobile"] == worker_of_a.mobile[:3] + "****" + worker_of_a.mobile[-4:]
        assert body["birth_date"] is None and body["email"] == ""
    else:
        assert response.status_code == expected
        _error_shape(response.json())


def test_session_auth_needs_the_csrf_token_for_writes(referee_of_a: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(referee_of_a, backend="accounts.auth.AccountBackend")
    assert client.get("/api/v1/accounts/me").status_code == 200
    body = {"name": "x", "password": PASSWORD}
    refused = client.post("/api/v1/accounts/tokens", body, content_type="application/json")
    assert refused.status_code == 403 and refused.json()["code"] == "csrf_failed"
    client.get("/accounts/me/")  # sets the csrftoken cookie
    token = client.cookies["csrftoken"].value
    accepted = client.post("/api/v1/accounts/tokens", body, content_type="application/json",
                           HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 201


def test_token_of_another_person_is_invisible(referee_of_a: User, hr_of_a: User, client: Client) -> None:
    issued = services.token_create(actor=SYSTEM, user=hr_of_a, name="hr laptop", days=30)
    response = client.post(f"/api/v1/accounts/tokens/{issued.token.pk}/revoke", {"reason": ""},
                           content_type="application/json", **bearer(referee_of_a))
    assert response.status_code == 404
    assert ApiToken.objects.get(pk=issued.token.pk).revoked_at is None


def test_audit_history_is_for_organizers_of_the_unit(
    organizer: User, organizer_unit, hr_of_a: User, enterprise_a, client: Client  # type: ignore[no-untyped-def]
) -> None:
    services.person_update(actor=organizer, user=organizer, changes=services.PersonChanges(mobile="13900001111"),
                           reason="x")
    url = f"/api/v1/audit/entries?target_type=accounts.user&target_id={organizer.pk}"
    response = client.get(url, **bearer(organizer))
    assert response.status_code == 200
    assert [e["action"] for e in response.json()][-1] == "accounts.person.updated"
    assert client.get(url, **bearer(hr_of_a)).status_code == 404
    unknown = "/api/v1/audit/entries?target_type=nope.model&target_id=1"
    assert client.get(unknown, **bearer(organizer)).status_code == 404


def test_interactive_docs_work_offline(client: Client, referee_of_a: User) -> None:
    # Signed in: with DEBUG off the docs are for signed-in people only (tests/core/test_security_headers.py).
    client.force_login(referee_of_a, backend="accounts.auth.AccountBackend")
    html = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    # Every script and stylesheet comes from this server (a CSRF token may spell "cdn" by chance: look at URLs).
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(url.startswith("/") for url in sources), sources
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/accounts/me" in schema["paths"]
