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
