"""The accounts API answers with the selectors' views: a token created shows its plaintext once, the list and the
revocation answer with the same row, never the token; a person is masked as the caller may see them (their
unit's staff see the numbers, a colleague sees them masked, another unit nothing)."""

from __future__ import annotations

from django.test import Client

from accounts.models import Role, User
from tests.accounts.factories import OrganizationFactory, person
from tests.accounts.steps import PASSWORD, bearer

API = "/api/v1/accounts"


def test_a_token_is_shown_once_and_its_list_and_revocation_answer_with_the_same_row(
    referee_of_a: User, client: Client
) -> None:
    headers = bearer(referee_of_a)
    # Making one takes the page session and the password again (tests/accounts/test_tokens.py); reading and
    # revoking work with a token as before.
    client.force_login(referee_of_a, backend="accounts.auth.AccountBackend")
    created = client.post(f"{API}/tokens", {"name": "三号平板", "days": 10, "password": PASSWORD},
                          content_type="application/json")
    client.logout()
    assert created.status_code == 201
    issued = created.json()
    plaintext = issued.pop("token")
    assert plaintext.startswith(issued["prefix"]) and issued["revoked_at"] is None
    listed = client.get(f"{API}/tokens", **headers).json()
    assert issued in listed and plaintext not in str(listed)
    revoked = client.post(f"{API}/tokens/{issued['id']}/revoke", {"reason": "平板丢失"},
                          content_type="application/json", **headers)
    assert revoked.status_code == 200
    row = revoked.json()
    assert row["revoked_at"] is not None and {**row, "revoked_at": None} == issued
    assert next(t for t in client.get(f"{API}/tokens", **headers).json() if t["id"] == issued["id"]) == row


def test_a_person_of_another_unit_is_not_found_and_of_one_s_own_is_masked(client: Client, db: None) -> None:
    unit = OrganizationFactory(name="丙企业")
    hr = person(Role.ENTERPRISE_HR, unit, username="hr_c")
    worker = person(Role.CANDIDATE, unit, username="worker_c")
    colleague = person(Role.CANDIDATE, unit, username="colleague_c")
    stranger = person(Role.CANDIDATE, OrganizationFactory(name="丁企业"), username="stranger")
    assert client.get(f"{API}/people/{worker.pk}", **bearer(stranger)).status_code == 404
    by_hr = client.get(f"{API}/people/{worker.pk}", **bearer(hr)).json()
    assert by_hr["masked"] is False and by_hr["id_number"] == worker.id_number
    assert by_hr["memberships"][0]["organization"]["name"] == "丙企业"
    by_colleague = client.get(f"{API}/people/{worker.pk}", **bearer(colleague)).json()
    assert by_colleague["masked"] is True and worker.id_number not in str(by_colleague)
    assert {**by_colleague, "id_number": "", "mobile": "", "email": "", "birth_date": None, "masked": False} == {
        **by_hr, "id_number": "", "mobile": "", "email": "", "birth_date": None}
    me = client.get(f"{API}/me", **bearer(worker)).json()
    assert me["masked"] is False and me["id_number"] == worker.id_number
    assert me["roles"] == [Role.CANDIDATE] and [o["name"] for o in me["organizations"]] == ["丙企业"]
