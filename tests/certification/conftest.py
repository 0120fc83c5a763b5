"""Fixtures of the certification tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture
def evidence_store(settings, tmp_path: Path) -> Iterator[Path]:  # type: ignore[no-untyped-def]
    """Evidence files go to a folder of the test's own (not the project's var/media)."""
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}}}
    yield tmp_path


@pytest.fixture
def certificate_keys(settings, tmp_path: Path) -> Iterator[Path]:  # type: ignore[no-untyped-def]
    """A certificate key store of the test's own, with one active key (certification/keys.py); yields its folder.
    `certification.keys.key_rotate()` rotates it; the signing key from the environment is switched off."""
    from tests.certification.crypto_steps import use_key_store

    yield use_key_store(settings, tmp_path / "certificate-keys")
