"""The signing key lives in a file outside the database: created 0600 for the embedded default, required when
configured; key id = sha256 of the public key; retired public keys keep old heads verifying; an unknown key fails."""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.test import override_settings

from accounts.actors import SYSTEM
from accounts.models import Organization
from audit import signing
from audit.models import AuditTreeHead
from audit.sealing import audit_verify
from tests.audit.steps import record, seal


def _keys(tmp_path: Path, name: str = "signing-key.pem", *, create: bool = True) -> override_settings:
    return override_settings(AUDIT_SIGNING_KEY_FILE=tmp_path / "keys" / name, AUDIT_SIGNING_KEY_CREATE=create,
                             AUDIT_PUBLIC_KEYS_DIR=tmp_path / "public")


def test_the_embedded_default_key_is_created_once_with_mode_0600(tmp_path: Path) -> None:
    with _keys(tmp_path):
        key = signing.signing_key()
        path = tmp_path / "keys" / "signing-key.pem"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        raw = key.private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        assert key.key_id == hashlib.sha256(raw).hexdigest()
        assert (tmp_path / "public" / f"{key.key_id}.pem").exists()
        signing._load_signing_key.cache_clear()
        assert signing.signing_key().key_id == key.key_id  # read back, not made again


def test_a_configured_key_file_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    with _keys(tmp_path, create=False), pytest.raises(ImproperlyConfigured, match="does not exist"):
        signing.signing_key()


def test_heads_signed_by_a_retired_key_still_verify_after_rotation(tmp_path: Path,
                                                                   organizer_unit: Organization) -> None:
    with _keys(tmp_path):
        record(SYSTEM, organizer_unit, 2)
        seal()
        old_id = signing.signing_key().key_id
    with _keys(tmp_path, "new-key.pem"):  # rotated: a new key file; the old public key stays in the directory
        record(SYSTEM, organizer_unit, 2)
        seal()
        assert list(AuditTreeHead.objects.values_list("key_id", flat=True)) == [old_id, signing.signing_key().key_id]
        assert old_id != signing.signing_key().key_id
        assert audit_verify().problem is None
        for retired in (tmp_path / "public").glob(f"{old_id}.pem"):
            retired.unlink()  # forget the retired key: its heads no longer verify
        problem = audit_verify().problem
        assert problem is not None and "unknown key" in problem.reason and "head 2" in problem.reason


def test_a_head_signed_by_a_stranger_fails(tmp_path: Path, organizer_unit: Organization) -> None:
    stranger = tmp_path / "stranger.pem"
    stranger.write_bytes(Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    stranger.chmod(0o600)
    with override_settings(AUDIT_SIGNING_KEY_FILE=stranger, AUDIT_SIGNING_KEY_CREATE=False,
                           AUDIT_PUBLIC_KEYS_DIR=tmp_path / "none"):
        record(SYSTEM, organizer_unit, 1)
        seal()
    with _keys(tmp_path):
        problem = audit_verify().problem
        assert problem is not None and problem.position == 0 and "unknown key" in problem.reason
        with pytest.raises(CommandError, match="unknown key"):
            call_command("verify_audit", "--no-seal")
