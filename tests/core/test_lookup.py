"""`get_or_404`: one object by model or queryset, the platform's NotFound when there is none."""

from __future__ import annotations

import pytest

from accounts.models import User
from core.errors import NotFound
from core.lookup import get_or_404


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
