"""Talent pool fixtures: a certificate key store of the test's own (intake tests issue and revoke real
certificates), made the way certification's tests make it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.certification.crypto_steps import use_key_store


@pytest.fixture
def certificate_keys(settings, tmp_path: Path) -> Iterator[Path]:  # type: ignore[no-untyped-def]
    yield use_key_store(settings, tmp_path / "certificate-keys")


@pytest.fixture(autouse=True)
def flagship_chains(request: pytest.FixtureRequest) -> None:
    """The rows migration 0002 seeds (the chains, the pool version), as every database has them: a transactional
    test run earlier in the same worker flushed them, and the tests here name them."""
    if "db" not in request.fixturenames and "transactional_db" not in request.fixturenames \
            and not request.node.get_closest_marker("django_db"):
        return
    request.getfixturevalue("transactional_db" if "transactional_db" in request.fixturenames else "db")
    from talentpool.models import IndustryChain, PoolVersion
    from talentpool.models.pool import FLAGSHIP_CHAINS

    PoolVersion.objects.get_or_create(pk=1, defaults={"number": 0})
    for position, (code, name) in enumerate(FLAGSHIP_CHAINS, start=1):
        IndustryChain.objects.get_or_create(code=code, defaults={"name": name, "position": position})
