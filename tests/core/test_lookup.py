"""`get_or_404`: one object by model or queryset, the platform's NotFound when there is none."""

from __future__ import annotations

import pytest

from accounts.models import Role, User
from core.errors import NotFound
from core.lookup import get_or_404
from tests.accounts.factories import OrganizationFactory, person
from tests.accounts.steps import bearer


def test_finds_the_object_by_model_or_within_a_queryset(referee_of_a: User) -> None:
    assert get_or_404(User, pk=referee_of_a.pk) == referee_of_a
    assert get_or_404(User.objects.filter(is_active=True), username=referee_of_a.username) == referee_of_a


def test_nothing_matching_is_not_found_not_djangos_404(referee_of_a: User) -> None:
    with pytest.raises(NotFound):
        get_or_404(User, pk=referee_of_a.pk + 1000)
    User.objects.filter(pk=referee_of_a.pk).update(is_active=False)
    with pytest.raises(NotFound) as raised:
        get_or_404(User.objects.filter(is_active=True), pk=referee_of_a.pk)
    assert raised.value.status == 404 and raised.value.code == "not_found"


def test_a_value_the_field_cannot_hold_finds_nothing(referee_of_a: User) -> None:
    """A forged form's `sheet_id=abc` is a 404, as a number matching no row is, not a server error."""
    for value in ("abc", ""):
        with pytest.raises(NotFound):
            get_or_404(User, pk=value)
    with pytest.raises(NotFound):
        get_or_404(User.objects.filter(is_active=True), last_login="not a date")


@pytest.mark.django_db
def test_an_id_past_64_bits_is_not_found_on_a_page_and_refused_by_name_in_the_api(client) -> None:  # type: ignore[no-untyped-def]
    """schemathesis found POST /skills/{id}/marks answering 500 for a skill id of 29 digits (SQLite's
    OverflowError); every id of the API is a RowId now, and the pages' lookups treat it as not found."""
    with pytest.raises(NotFound):
        get_or_404(User, pk=2**70)
    referee = person(Role.REFEREE, OrganizationFactory(name="远方考核站"), username="far_referee")
    body = {"workstation_no": "H01", "aspect_code": "A1", "value": "1",
            "idempotency_key": "4b0e7a3c-0000-4000-8000-000000000000"}
    response = client.post(f"/api/v1/competitions/skills/{2**90}/marks", body, content_type="application/json",
                           **bearer(referee))
    assert response.status_code == 422 and "skill_id" in str(response.json())
    client.force_login(referee, backend="accounts.auth.AccountBackend")
    assert client.get(f"/competitions/skills/{2**90}/sheets/").status_code == 404
