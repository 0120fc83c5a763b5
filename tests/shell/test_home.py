"""What the shell puts on the home page for accounts: missing real-name data, API tokens about to expire."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts import services
from accounts.actors import SYSTEM
from accounts.models import ApiToken, User
from shell.home import accounts_waiting_items


def test_a_token_expiring_within_two_weeks_is_announced_and_a_revoked_one_is_not(referee_of_a: User) -> None:
    assert accounts_waiting_items(referee_of_a) == []
    services.token_create(actor=SYSTEM, user=referee_of_a, name="soon", days=10)
    services.token_create(actor=SYSTEM, user=referee_of_a, name="later", days=30)
    revoked = services.token_create(actor=SYSTEM, user=referee_of_a, name="revoked", days=5)
    services.token_revoke(actor=referee_of_a, token=revoked.token)
    expired = services.token_create(actor=SYSTEM, user=referee_of_a, name="expired", days=5)
    ApiToken.objects.filter(pk=expired.token.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    (item,) = accounts_waiting_items(referee_of_a)
    assert item.count == 1 and item.url == "/accounts/tokens/" and item.level == "warning"


def test_missing_real_name_data_comes_first(referee_of_a: User) -> None:
    referee_of_a.real_name = ""
    referee_of_a.save()
    services.token_create(actor=SYSTEM, user=referee_of_a, name="soon", days=3)
    items = accounts_waiting_items(referee_of_a)
    assert [item.url for item in items] == ["/accounts/me/", "/accounts/tokens/"]
