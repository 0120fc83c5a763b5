"""The people API (issue 9 items 2 and 9): `PATCH` changes only what it is given and answers with the new values;
too-long text and NUL characters are 422 naming the field with nothing changed; a person's real name and ID number,
once set, are corrected only by staff with a reason, never by the person; ID numbers are normalised (NFKC, no
spaces, upper-case X) before they are checked and stored, so one person can never be two."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.test import Client

from accounts import services
from accounts.actors import SYSTEM
from accounts.identity import normalise_id_number
from accounts.models import Role, User
from audit.models import AuditEntry
from core.errors import ValidationFailed
from tests.accounts.factories import person
from tests.accounts.steps import PASSWORD, bearer

API = "/api/v1/accounts"
VALID_ID = "11010519491231002X"
FULL_WIDTH_ID = "１１０１０５１９４９１２３１００２ｘ"  # the same number typed with a Chinese input method


def _patch(client: Client, user: User, subject: User, body: dict[str, object]):  # type: ignore[no-untyped-def]
    return client.patch(f"{API}/people/{subject.pk}", body, content_type="application/json", **bearer(user))


def _record(user: User) -> tuple[str, str, str, str]:
    user.refresh_from_db()
    return user.real_name, user.id_number, user.mobile, user.email


def test_a_partial_edit_never_erases_what_it_was_not_given(hr_of_a: User, worker_of_a: User, client: Client) -> None:
    worker_of_a.email = "worker@example.cn"
    worker_of_a.save()
    name, number, _mobile, email = _record(worker_of_a)
    response = _patch(client, hr_of_a, worker_of_a, {"mobile": "139 0000 1111"})
    assert response.status_code == 200
    body = response.json()
    assert body["mobile"] == "13900001111"  # the answer shows the new value
    assert (body["real_name"], body["id_number"], body["email"]) == (name, number, email)
    assert _record(worker_of_a) == (name, number, "13900001111", email)


def test_the_people_endpoint_is_patch_and_put_is_gone(hr_of_a: User, worker_of_a: User, client: Client) -> None:
    before = _record(worker_of_a)
    response = client.put(f"{API}/people/{worker_of_a.pk}", {"mobile": "13900001111"},
                          content_type="application/json", **bearer(hr_of_a))
    assert response.status_code == 405 and _record(worker_of_a) == before
    operations = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/accounts/people/{person_id}"]
    assert set(operations) == {"get", "patch"}


def test_an_empty_string_clears_the_mobile_and_email(hr_of_a: User, worker_of_a: User, client: Client) -> None:
    response = _patch(client, hr_of_a, worker_of_a, {"mobile": "", "email": ""})
    assert response.status_code == 200 and response.json()["mobile"] == ""
    assert _record(worker_of_a)[2:] == ("", "")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"real_name": "名" * 51}, "real_name"),
        ({"email": "a" * 250 + "@x.cn"}, "email"),
        ({"real_name": "张\x00三"}, "real_name"),
        ({"email": "zhang\x00@example.cn"}, "email"),
        ({"mobile": "13900001111", "reason": "更正\x00"}, "reason"),
        ({"mobile": "13900001111", "reason": "因" * 501}, "reason"),
        ({"id_number": "1" * 40}, "id_number"),
        ({"email": "not-an-address"}, "email"),
    ],
)
def test_too_long_text_and_nul_characters_are_422_naming_the_field(
    body: dict[str, object], field: str, hr_of_a: User, worker_of_a: User, client: Client
) -> None:
    before = _record(worker_of_a)
    response = _patch(client, hr_of_a, worker_of_a, body)
    assert response.status_code == 422
    assert list(response.json()["fields"]) == [field]
    assert _record(worker_of_a) == before
    assert not AuditEntry.objects.filter(action="accounts.person.updated").exists()


def test_nul_characters_in_a_token_s_name_and_a_revocation_reason_are_422(referee_of_a: User, client: Client) -> None:
    client.force_login(referee_of_a, backend="accounts.auth.AccountBackend")
    made = client.post(f"{API}/tokens", {"name": "平板\x00", "days": 30, "password": PASSWORD},
                       content_type="application/json")
    assert made.status_code == 422 and list(made.json()["fields"]) == ["name"]
    issued = services.token_create(actor=SYSTEM, user=referee_of_a, name="平板", days=30)
    revoked = client.post(f"{API}/tokens/{issued.token.pk}/revoke", {"reason": "丢\x00失"},
                          content_type="application/json")
    assert revoked.status_code == 422 and list(revoked.json()["fields"]) == ["reason"]
    issued.token.refresh_from_db()
    assert issued.token.revoked_at is None


@pytest.mark.parametrize("field", ["real_name", "id_number"])
def test_a_person_cannot_change_their_own_name_or_id_number_once_set(
    field: str, worker_of_a: User, client: Client
) -> None:
    """The squatting of issue 9 item 2: someone else's ID number on one's own account, or one's name blanked."""
    before = _record(worker_of_a)
    for value in (VALID_ID if field == "id_number" else "别人的名字", ""):
        response = _patch(client, worker_of_a, worker_of_a, {field: value, "reason": "我想改"})
        assert response.status_code == 403, value
        assert list(response.json()["fields"]) == [field]
        assert "工作人员" in response.json()["fields"][field][0]
    assert _record(worker_of_a) == before
    # What is not their identity they change themselves, and what is not set yet they fill in once.
    assert _patch(client, worker_of_a, worker_of_a, {"mobile": "13900001111"}).status_code == 200
    newcomer = person(Role.CANDIDATE, worker_of_a.memberships.get().organization, real_name="", id_number="")
    filled = _patch(client, newcomer, newcomer, {"real_name": "新人", "id_number": VALID_ID})
    assert filled.status_code == 200 and filled.json()["real_name"] == "新人"
    assert _patch(client, newcomer, newcomer, {"real_name": "改了"}).status_code == 403


def test_staff_correct_a_name_or_id_number_only_with_a_reason_and_it_is_audited(
    hr_of_a: User, worker_of_a: User, client: Client
) -> None:
    before = _record(worker_of_a)
    refused = _patch(client, hr_of_a, worker_of_a, {"id_number": VALID_ID})
    assert refused.status_code == 422 and list(refused.json()["fields"]) == ["reason"]
    assert _record(worker_of_a) == before
    done = _patch(client, hr_of_a, worker_of_a, {"id_number": VALID_ID, "real_name": "更正后", "reason": "户籍核对"})
    assert done.status_code == 200 and done.json()["id_number"] == VALID_ID
    entry = AuditEntry.objects.get(action="accounts.person.updated", target_id=str(worker_of_a.pk))
    assert entry.actor_label == hr_of_a.username and entry.reason == "户籍核对"
    assert entry.new["real_name"] == "更正后" and entry.new["id_number"] == "1101**********002X"


def test_a_full_width_id_number_is_the_same_person(hr_of_a: User, worker_of_a: User, client: Client) -> None:
    assert normalise_id_number(FULL_WIDTH_ID) == VALID_ID
    assert normalise_id_number(" 110105 19491231 002x\u3000") == VALID_ID
    services.person_create(actor=SYSTEM, username="first", password=None,
                           data=services.PersonData(real_name="甲", id_number=VALID_ID))
    with pytest.raises(ValidationFailed) as caught:
        services.person_create(actor=SYSTEM, username="second", password=None,
                               data=services.PersonData(real_name="甲", id_number=FULL_WIDTH_ID))
    assert [e.code for e in caught.value.field_errors] == ["id_number.taken"]
    assert not User.objects.filter(username="second").exists()


def test_a_full_width_id_number_is_stored_in_ascii(hr_of_a: User, worker_of_a: User, client: Client) -> None:
    response = _patch(client, hr_of_a, worker_of_a, {"id_number": FULL_WIDTH_ID, "reason": "更正"})
    assert response.status_code == 200
    assert _record(worker_of_a)[1] == VALID_ID


def test_the_data_migration_normalises_stored_numbers_and_stops_on_one_person_twice(db: None) -> None:
    from importlib import import_module

    migration = import_module("accounts.migrations.0004_normalise_id_numbers")
    wide = person(None, None, username="wide", id_number=FULL_WIDTH_ID)
    migration.normalise_id_numbers(apps, None)
    wide.refresh_from_db()
    assert wide.id_number == VALID_ID
    person(None, None, username="twin", id_number="11010519491231002x")
    with pytest.raises(RuntimeError, match="same ID number"):
        migration.normalise_id_numbers(apps, None)
