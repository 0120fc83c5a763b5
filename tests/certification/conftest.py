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
