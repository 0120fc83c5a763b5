"""Signing tree heads with Ed25519, the key outside the database (DESIGN.md "Audit at scale").

- The private key is a PEM file (PKCS#8) at `settings.AUDIT_SIGNING_KEY_FILE`. The embedded default
  (var/audit/signing-key.pem, when the variable is unset) is created on first use with mode 0600; a configured
  path that does not exist is an error, never a silently new key.
- A key's id is the hex sha256 of its raw 32-byte public key, so anyone holding the public key can check the id.
- Rotation: the public keys of retired signing keys stay in `settings.AUDIT_PUBLIC_KEYS_DIR`, one PEM file each
  (any name ending in .pem). Heads signed by them still verify; a head naming a key that is neither the current
  one nor in that directory fails verification. The embedded default writes its public key there when it creates
  the key, so replacing the key file is all a rotation takes; with a configured key, copy the old public key
  there first (`manage.py audit_public_key`).
- What is signed (`head_message`): a fixed tag, then the tree size and the timestamp in milliseconds (8 bytes
  each, big-endian, as RFC 6962's TreeHeadSignature), the 32-byte root and the 32-byte key id.
"""

from __future__ import annotations

import hashlib
import os
import struct
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

HEAD_TAG = b"jineng-audit-tree-head-v1\x00"


def head_message(*, tree_size: int, timestamp_ms: int, root: bytes, key_id: str) -> bytes:
    """The bytes a tree head's signature covers."""
    return HEAD_TAG + struct.pack(">QQ", tree_size, timestamp_ms) + root + bytes.fromhex(key_id)


def key_id_of(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def public_pem(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


@dataclass(frozen=True)
class SigningKey:
    key_id: str
    private: Ed25519PrivateKey

    def sign(self, message: bytes) -> str:
        return self.private.sign(message).hex()


def _write_new_key(path: Path, public_dir: Path) -> None:
    """Create a key file with mode 0600, atomically: a concurrent creator loses the race and reads the winner's."""
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".signing-key-")  # mkstemp makes it 0600
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(pem)
        try:
            os.link(tmp, path)
        except FileExistsError:
            return
    finally:
        os.unlink(tmp)
    public_dir.mkdir(parents=True, exist_ok=True)
    public = key.public_key()
    (public_dir / f"{key_id_of(public)}.pem").write_bytes(public_pem(public))


@lru_cache(maxsize=4)
def _load_signing_key(path: Path, create: bool, public_dir: Path) -> SigningKey:
    if not path.exists():
        if not create:
            raise ImproperlyConfigured(
                f"AUDIT_SIGNING_KEY_FILE names {path}, which does not exist. Create it "
                "(`openssl genpkey -algorithm ed25519 -out FILE && chmod 600 FILE`) or unset the variable."
            )
        _write_new_key(path, public_dir)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured(f"{path} does not hold an Ed25519 private key.")
    return SigningKey(key_id_of(key.public_key()), key)


def signing_key() -> SigningKey:
    """The current signing key (read once per process and settings)."""
    return _load_signing_key(Path(settings.AUDIT_SIGNING_KEY_FILE), bool(settings.AUDIT_SIGNING_KEY_CREATE),
                             Path(settings.AUDIT_PUBLIC_KEYS_DIR))


def known_public_keys() -> dict[str, Ed25519PublicKey]:
    """Key id → public key: the current signing key and every retired key kept in AUDIT_PUBLIC_KEYS_DIR."""
    keys: dict[str, Ed25519PublicKey] = {}
    directory = Path(settings.AUDIT_PUBLIC_KEYS_DIR)
    if directory.is_dir():
        for pem in sorted(directory.glob("*.pem")):
            public = serialization.load_pem_public_key(pem.read_bytes())
            if isinstance(public, Ed25519PublicKey):
                keys[key_id_of(public)] = public
    current = signing_key()
    keys[current.key_id] = current.private.public_key()
    return keys


def signature_problem(*, key_id: str, message: bytes, signature: str,
                      keys: dict[str, Ed25519PublicKey]) -> str | None:
    """None when `signature` is a valid signature of `message` by the key `key_id`; else what is wrong."""
    public = keys.get(key_id)
    if public is None:
        return f"signed by an unknown key {key_id[:16]}…"
    try:
        public.verify(bytes.fromhex(signature), message)
    except (InvalidSignature, ValueError):
        return "the signature does not match"
    return None


@receiver(setting_changed)
def _forget_keys(*, setting: str, **kwargs: object) -> None:
    if setting.startswith("AUDIT_"):
        _load_signing_key.cache_clear()
