"""Shared steps of the tests that act as a person: API calls with a bearer token."""

from __future__ import annotations

from accounts import services
from accounts.actors import SYSTEM
from accounts.models import User

PASSWORD = "pw-for-tests-2026"  # every factory-made person's (tests/accounts/factories.py)


def bearer(user: User, days: int = 30) -> dict[str, str]:
    """The header of an API call made with a fresh token of `user` (a venue device's way in)."""
    issued = services.token_create(actor=SYSTEM, user=user, name="test device", days=days)
    return {"HTTP_AUTHORIZATION": f"Bearer {issued.plaintext}"}
