"""The certificates' signing keys, outside the database (DESIGN.md "Certification" → "Certificates"; issue 13
item 4), and the one place that signs.

The key store is the folder `settings.CERTIFICATE_KEYS_DIR` (mode 0700):

- `<kid>.pem`: one Ed25519 private key per key id, PKCS#8 PEM, unencrypted, mode 0600;
- `index.json`: the public part of every key ever used (kid, algorithm, public key as base64url, valid_from,
  valid_until) and which one is active. It holds nothing secret; it is written whole to a temporary file and
  renamed, so a signer never reads half an index.

Key ids are 8 characters of a–z and 2–7 (40 random bits, base32): short, because every QR code carries one.

Rotation (`key_rotate`): a new key is made and becomes active; the old one gets `valid_until` = now, stops
signing, and stays published, so what it signed stays valid. A key past its `valid_until` never signs
(`KeyExpired`), and a verifier refuses a signature whose signed issue date is later than the key's valid_until
(as a date in China Standard Time, UTC+8: the certificate's date is a date, not an instant). Where the design is
silent: the check is by date, so a certificate issued on the day of a rotation still verifies under the old key;
and no `valid_from` check is made, since an issue date may be set before the key that signs it was made (a batch
certified on Monday, issued on Wednesday after a rotation on Tuesday).

Deployments that inject secrets instead of keeping files set `CERTIFICATE_SIGNING_KEY` (the PEM itself) and
`CERTIFICATE_SIGNING_KEY_ID`: that key then signs, whatever the folder's index says is active. Its public entry
is the index's entry of that kid when there is one (its valid_from kept), else it is published with valid_from =
1970-01-01 (not known); the index's other keys stay published as retired. Rotating such a key is done by changing
the secret, after `certificate_keys add-public` … (not built; README): the `rotate` command refuses in that mode.

Loading is cached per (folder, index modification time, environment key), so signing ten thousand certificates
reads the files once, and a rotation by another process is seen at the next signature.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import secrets
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone as dj_timezone

from certification import data_integrity, verify
from certification.domain import certificate_payload as payload
from certification.domain.certificate_facts import CertificateFacts
from certification.domain.certificate_payload import FactsSignature
from core.errors import Conflict, RuleBroken

__all__ = [
    "FactsSignature", "PublicKeyInfo", "active_key_id", "key_generate", "key_rotate", "keys_document",
    "public_keys", "sign_bytes", "sign_facts", "verification_url", "verify_facts",
]

ALGORITHM = "Ed25519"
INDEX_NAME = "index.json"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MULTICODEC_ED25519_PUB = b"\xed\x01"


class KeyExpired(RuleBroken):
    """The key asked to sign is past its valid_until."""


class NoSigningKey(RuleBroken):
    """There is no key to sign with (none generated, or none configured)."""


@dataclass(frozen=True)
class PublicKeyInfo:
    """One published key (`/.well-known/certificate-keys.json`)."""

    kid: str
    algorithm: str  # "Ed25519"
    public_key_b64url: str  # the raw 32 bytes
    public_key_multibase: str  # Multikey form (z6Mk…), for the verifiable credentials' proofs
    valid_from: datetime
    valid_until: datetime | None


@dataclass(frozen=True)
class _Store:
    keys: tuple[PublicKeyInfo, ...]  # newest first
    active: str | None
    private: dict[str, Ed25519PrivateKey]


def base58btc(data: bytes) -> str:
    """Bitcoin's base58 (the multibase `z` alphabet)."""
    return data_integrity.base58btc_encode(data)


def multikey(public_raw: bytes) -> str:
    """An Ed25519 public key as a Multikey `publicKeyMultibase` (multicodec 0xed01, base58btc, `z` prefix)."""
    return "z" + base58btc(_MULTICODEC_ED25519_PUB + public_raw)


def _raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _info(kid: str, public_raw: bytes, valid_from: datetime, valid_until: datetime | None) -> PublicKeyInfo:
    return PublicKeyInfo(
        kid=kid, algorithm=ALGORITHM, public_key_b64url=payload.b64url_encode(public_raw),
        public_key_multibase=multikey(public_raw), valid_from=valid_from, valid_until=valid_until,
    )


def _keys_dir() -> Path:
    configured = getattr(settings, "CERTIFICATE_KEYS_DIR", None)
    if not configured:
        raise ImproperlyConfigured("CERTIFICATE_KEYS_DIR is not set (README \"Environment\").")
    return Path(configured)


def _env_key() -> tuple[str, Ed25519PrivateKey] | None:
    pem = getattr(settings, "CERTIFICATE_SIGNING_KEY", "") or ""
    if not pem:
        return None
    kid = getattr(settings, "CERTIFICATE_SIGNING_KEY_ID", "") or ""
    try:
        payload.check_key_id(kid)
    except payload.PayloadError as exc:
        raise ImproperlyConfigured("CERTIFICATE_SIGNING_KEY_ID must be 8 characters of a–z and 2–7 (base32).") from exc
    key = serialization.load_pem_private_key(pem.encode("ascii"), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured("CERTIFICATE_SIGNING_KEY is not an Ed25519 private key (PKCS#8 PEM).")
    return kid, key


def _parse_time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _read_index(folder: Path) -> dict[str, Any]:
    path = folder / INDEX_NAME
    if not path.exists():
        return {"version": 1, "active": None, "keys": []}
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


_cache: dict[tuple[str, int, str], _Store] = {}


def _load() -> _Store:
    folder = _keys_dir()
    index_path = folder / INDEX_NAME
    try:
        mtime = index_path.stat().st_mtime_ns
    except FileNotFoundError:
        mtime = 0
    env = _env_key()
    cache_key = (str(folder), mtime, env[0] if env else "")
    cached = _cache.get(cache_key)
    if cached is not None:
        return cached
    index = _read_index(folder)
    keys: dict[str, PublicKeyInfo] = {}
    private: dict[str, Ed25519PrivateKey] = {}
    for entry in index["keys"]:
        keys[entry["kid"]] = PublicKeyInfo(
            kid=entry["kid"], algorithm=entry["algorithm"], public_key_b64url=entry["public_key"],
            public_key_multibase=multikey(payload.b64url_decode(entry["public_key"], "public_key")),
            valid_from=datetime.fromisoformat(entry["valid_from"]), valid_until=_parse_time(entry["valid_until"]),
        )
    active = index.get("active")
    if env is not None:
        kid, key = env
        known = keys.get(kid)
        keys[kid] = _info(kid, _raw_public(key.public_key()), known.valid_from if known else _EPOCH, None)
        private[kid] = key
        active = kid
    elif active is not None:
        pem = (folder / f"{active}.pem").read_bytes()
        loaded = serialization.load_pem_private_key(pem, password=None)
        if not isinstance(loaded, Ed25519PrivateKey):
            raise ImproperlyConfigured(f"{folder / active}.pem is not an Ed25519 private key.")
        if payload.b64url_encode(_raw_public(loaded.public_key())) != keys[active].public_key_b64url:
            raise ImproperlyConfigured(f"{folder / active}.pem does not match its public key in {INDEX_NAME}.")
        private[active] = loaded
    ordered = tuple(sorted(keys.values(), key=lambda k: (k.valid_from, k.kid), reverse=True))
    store = _Store(keys=ordered, active=active, private=private)
    _cache.clear()
    _cache[cache_key] = store
    return store


def public_keys() -> list[PublicKeyInfo]:
    """Every key ever used, newest first."""
    return list(_load().keys)


def active_key_id() -> str:
    """The key that signs now; `NoSigningKey` when there is none."""
    store = _load()
    if store.active is None:
        raise NoSigningKey("certificate.no_signing_key",
                           default="There is no certificate signing key: run `manage.py certificate_keys generate`.")
    return store.active


def _active() -> tuple[str, Ed25519PrivateKey]:
    store = _load()
    kid = active_key_id()
    info = next(k for k in store.keys if k.kid == kid)
    if info.valid_until is not None and info.valid_until <= dj_timezone.now():
        raise KeyExpired("certificate.key_expired", {"kid": kid},
                         default="The signing key {kid} is past its valid_until and signs no more.")
    return kid, store.private[kid]


def sign_bytes(message: bytes) -> tuple[str, bytes]:
    """(kid, raw 64-byte Ed25519 signature) of `message` with the active key (the credentials' proofs use it)."""
    kid, key = _active()
    return kid, key.sign(message)


def sign_facts(facts: CertificateFacts) -> FactsSignature:
    """The signature a certificate row stores at issuance (`key_id`, `signature`): over `facts_message(facts)`."""
    kid, signature = sign_bytes(payload.facts_message(facts))
    return FactsSignature(kid=kid, signature=payload.b64url_encode(signature))


def verification_url(facts: CertificateFacts, signed: FactsSignature) -> str:
    """The QR payload (absolute URL, base from settings.PUBLIC_BASE_URL), the same forever for one row."""
    return payload.verification_url(settings.PUBLIC_BASE_URL, facts, signed)


_key_set_cache: dict[str, Any] = {}


def key_set() -> verify.KeySet:
    """The published keys as the offline verifier reads them (so online and offline apply one rule); rebuilt
    only when the store or the public base URL changed."""
    store, base = _load(), settings.PUBLIC_BASE_URL
    if _key_set_cache.get("store") is not store or _key_set_cache.get("base") != base:
        _key_set_cache.update(store=store, base=base, keys=verify.load_keys(keys_document()))
    result: verify.KeySet = _key_set_cache["keys"]
    return result


def verify_facts(facts: CertificateFacts, signed: FactsSignature) -> str | None:
    """None when `signed` is a good signature of `facts` by a published key in its validity; else the reason code
    (`payload.unknown_key`, `payload.key_expired`, `payload.bad_signature`, a `payload.*` parse code)."""
    try:
        raw = payload.b64url_decode(signed.signature, "signature")
        message = payload.facts_message(facts)
    except payload.PayloadError as exc:
        return exc.code
    parsed = payload.ParsedPayload(facts=facts, signed=signed, signature_bytes=raw, message=message)
    return verify.check_signature(parsed, key_set())


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def keys_document() -> dict[str, Any]:
    """What `/.well-known/certificate-keys.json` serves and `certification.verify --keys` reads."""
    return {
        "issuer": settings.PUBLIC_BASE_URL.rstrip("/"),
        "verify_prefix": payload.verify_prefix(settings.PUBLIC_BASE_URL),
        "keys": [
            {"kid": k.kid, "alg": k.algorithm, "public_key": k.public_key_b64url,
             "public_key_multibase": k.public_key_multibase, "valid_from": _iso(k.valid_from),
             "valid_until": _iso(k.valid_until)}
            for k in public_keys()
        ],
    }


# --- the store's writers (the certificate_keys command; the demo; the tests' fixture) ---

@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """One writer at a time: two rotations at once would each retire the same key and leave two active."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    with open(folder / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write_private(folder: Path, kid: str, key: Ed25519PrivateKey) -> None:
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    fd = os.open(folder / f"{kid}.pem", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)


def _write_index(folder: Path, index: dict[str, Any]) -> None:
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".index-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(index, handle, ensure_ascii=False, indent=2)
    os.replace(tmp, folder / INDEX_NAME)


def _new_kid(existing: set[str]) -> str:
    while True:
        kid = base64.b32encode(secrets.token_bytes(5)).decode("ascii").lower()
        if kid not in existing:
            return kid


def _refuse_env_mode() -> None:
    if getattr(settings, "CERTIFICATE_SIGNING_KEY", ""):
        raise Conflict("certificate.keys_from_environment",
                       default="The signing key comes from CERTIFICATE_SIGNING_KEY: rotate it by changing the secret.")


def _add_key(folder: Path, index: dict[str, Any], now: datetime) -> PublicKeyInfo:
    kid = _new_kid({entry["kid"] for entry in index["keys"]})
    key = Ed25519PrivateKey.generate()
    _write_private(folder, kid, key)
    raw = _raw_public(key.public_key())
    index["keys"].append({"kid": kid, "algorithm": ALGORITHM, "public_key": payload.b64url_encode(raw),
                          "valid_from": _iso(now), "valid_until": None})
    index["active"] = kid
    return _info(kid, raw, now, None)


def key_generate(*, now: datetime | None = None) -> PublicKeyInfo:
    """The first key of an empty store; refused (`Conflict`) when the store already has an active key."""
    _refuse_env_mode()
    folder = _keys_dir()
    with _locked(folder):
        index = _read_index(folder)
        if index.get("active"):
            raise Conflict("certificate.key_exists", {"kid": index["active"]},
                           default="A signing key ({kid}) exists already: use rotate.")
        info = _add_key(folder, index, now or dj_timezone.now())
        _write_index(folder, index)
    return info


def key_rotate(*, now: datetime | None = None) -> PublicKeyInfo:
    """A new active key; the previous one gets valid_until = now and stays published (module docstring)."""
    _refuse_env_mode()
    folder = _keys_dir()
    now = now or dj_timezone.now()
    with _locked(folder):
        index = _read_index(folder)
        for entry in index["keys"]:
            if entry["kid"] == index.get("active"):
                entry["valid_until"] = _iso(now)
        info = _add_key(folder, index, now)
        _write_index(folder, index)
    return info
