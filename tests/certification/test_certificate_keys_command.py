"""`manage.py certificate_keys` (generate, rotate, list, export-public) and the demo's key (issue 13 item 4)."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from audit.models import AuditEntry
from certification import keys
from certification.demo import demo_certificate_key


@pytest.fixture
def empty_store(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.CERTIFICATE_KEYS_DIR = tmp_path / "keys"
    settings.CERTIFICATE_SIGNING_KEY = ""
    return tmp_path / "keys"


def _run(*args: str) -> str:
    out = StringIO()
    call_command("certificate_keys", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_generate_rotate_list_and_export(empty_store: Path, tmp_path: Path) -> None:
    assert "generated" in _run("generate")
    with pytest.raises(CommandError, match="rotate"):
        _run("generate")
    first = keys.active_key_id()
    assert "rotated" in _run("rotate")
    second = keys.active_key_id()
    listing = _run("list")
    assert f"* {second}" in listing and f"  {first}" in listing
    exported = tmp_path / "keys.json"
    _run("export-public", str(exported))
    document = json.loads(exported.read_text())
    assert [k["kid"] for k in document["keys"]] == [second, first]
    assert "PRIVATE" not in exported.read_text()
    actions = list(AuditEntry.objects.filter(target_type="certificate_key").values_list("action", flat=True))
    assert actions == ["certification.certificate_key.generated", "certification.certificate_key.rotated"]


@pytest.mark.django_db
def test_the_demo_makes_a_key_with_debug_only(empty_store: Path, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = False
    demo_certificate_key()
    assert keys.public_keys() == []
    settings.DEBUG = True
    demo_certificate_key()
    demo_certificate_key()  # once only
    assert len(keys.public_keys()) == 1
