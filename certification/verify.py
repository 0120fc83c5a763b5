"""The offline verifier (issue 13 item 5): checks a certificate's QR payload with no database, no network and no
Django.

    python -m certification.verify PAYLOAD --keys certificate-keys.json [--status status-0.json ...]

- `--keys` is the file `/.well-known/certificate-keys.json` serves (or `manage.py certificate_keys
  export-public PATH` writes): every key ever used, with its validity, and the verification URL prefix.
- `--status` (any number of times) is a downloaded status list credential (`/certification/status/<n>.json`): its
  eddsa-jcs-2022 proof is checked against the same keys, and the certificate's bit read at the slot its signed
  facts name. Without the certificate's list the verdict stays "valid" as far as the signature goes, and says the
  revocation could not be checked.
- Prints the verdict in Chinese and English, then the facts; exits 0 when valid, 1 when not, 2 on bad usage.

Importable: `verify_payload(text, keys, status_lists) -> Verdict`, `load_keys(document)`,
`load_status_list(document, keys)`. This module imports only the standard library, `cryptography`, `rfc8785`
and the pure certification modules: a test runs it in a subprocess without DJANGO_SETTINGS_MODULE and checks
that Django was never imported.

The rules (shared with the online check, which calls `check_signature` too): the payload parses strictly
(certification.domain.certificate_payload); the key id is published; the signed issue date is not after the
key's valid_until (a date in UTC+8, certification.keys); the Ed25519 signature verifies over the facts' message.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from certification import data_integrity
from certification.domain import certificate_payload as cp
from certification.domain import status_list as sl
from certification.domain.verdicts import Verdict, VerdictStatus, level_text

CHINA = timezone(timedelta(hours=8))  # China Standard Time, no daylight saving since 1991


@dataclass(frozen=True)
class PublishedKey:
    kid: str
    public_raw: bytes
    valid_from: datetime
    valid_until: datetime | None


@dataclass(frozen=True)
class KeySet:
    """The published keys and the issuer's verification URL prefix (None: accept any prefix)."""

    keys: Mapping[str, PublishedKey]
    prefix: str | None = None


@dataclass(frozen=True)
class StatusList:
    """A verified status list: its number, its bits and the time it was made."""

    list_no: int
    bits: bytes
    valid_from: str


class KeysFileError(ValueError):
    """The keys file is not a certificate-keys document."""


def _time(value: str | None) -> datetime | None:
    if value is None:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def load_keys(document: Mapping[str, Any]) -> KeySet:
    """The KeySet of a certificate-keys.json document."""
    try:
        keys = {}
        for entry in document["keys"]:
            if entry["alg"] != "Ed25519":
                continue
            raw = cp.b64url_decode(entry["public_key"], "public_key")
            if len(raw) != 32:
                raise KeysFileError(f"key {entry['kid']}: not 32 bytes")
            valid_from = _time(entry["valid_from"])
            assert valid_from is not None
            keys[entry["kid"]] = PublishedKey(entry["kid"], raw, valid_from, _time(entry.get("valid_until")))
        return KeySet(keys=keys, prefix=document.get("verify_prefix"))
    except (KeyError, TypeError, ValueError, AssertionError) as exc:
        raise KeysFileError(f"not a certificate-keys document: {exc}") from exc


def issued_within_validity(issued_on: date, valid_until: datetime | None) -> bool:
    """A key signs nothing dated after its valid_until, read as a date in UTC+8 (certification.keys)."""
    return valid_until is None or issued_on <= valid_until.astimezone(CHINA).date()


def check_signature(parsed: cp.ParsedPayload, keys: KeySet) -> str | None:
    """None when the parsed payload's signature is good under a published key in its validity; else the reason."""
    key = keys.keys.get(parsed.signed.kid)
    if key is None:
        return "payload.unknown_key"
    if not issued_within_validity(parsed.facts.issued_on, key.valid_until):
        return "payload.key_expired"
    try:
        Ed25519PublicKey.from_public_bytes(key.public_raw).verify(parsed.signature_bytes, parsed.message)
    except InvalidSignature:
        return "payload.bad_signature"
    return None


def _key_for_method(keys: KeySet) -> Any:
    def lookup(method: str) -> bytes | None:
        kid = method.rpartition("#")[2]
        key = keys.keys.get(kid)
        return key.public_raw if key is not None else None
    return lookup


def load_status_list(document: Mapping[str, Any], keys: KeySet) -> StatusList:
    """A status list credential, its proof checked against `keys`; `ValueError` naming what is wrong."""
    if "BitstringStatusListCredential" not in document.get("type", []):
        raise ValueError("not a BitstringStatusListCredential")
    reason = data_integrity.verify_proof(dict(document), _key_for_method(keys))
    if reason is not None:
        raise ValueError(f"status list proof: {reason}")
    subject = document["credentialSubject"]
    if subject.get("statusPurpose") != "revocation":
        raise ValueError("status list purpose is not revocation")
    list_no = int(str(document["id"]).rstrip("/").rpartition("/")[2].removesuffix(".json"))
    try:
        bits = sl.decode(subject["encodedList"])
    except sl.StatusListError as exc:
        raise ValueError(f"status list: {exc.code}") from exc
    return StatusList(list_no=list_no, bits=bits, valid_from=str(document.get("validFrom", "")))


def verify_payload(text: str, keys: KeySet, status_lists: Iterable[StatusList] = ()) -> Verdict:
    """The verdict on one QR payload (module docstring)."""
    try:
        parsed = cp.parse_payload(text, keys.prefix)
    except cp.PayloadError as exc:
        return Verdict(VerdictStatus.INVALID, exc.code)
    reason = check_signature(parsed, keys)
    if reason is not None:
        return Verdict(VerdictStatus.INVALID, reason, kid=parsed.signed.kid)
    facts = parsed.facts
    lists = {s.list_no: s for s in status_lists}
    found = lists.get(facts.status_list_no) if facts.status_list_no is not None else None
    if found is None:
        return Verdict(VerdictStatus.VALID, "status.list_missing", facts, parsed.signed.kid)
    if sl.is_set(found.bits, facts.status_index or 0):
        return Verdict(VerdictStatus.REVOKED, "status.revoked", facts, parsed.signed.kid)
    return Verdict(VerdictStatus.VALID, "", facts, parsed.signed.kid)


def _print_verdict(verdict: Verdict, out: Any) -> None:
    print(verdict.message_zh, file=out)
    print(verdict.message_en, file=out)
    facts = verdict.facts
    if facts is not None:
        rows = [("证书编号 Number", facts.number), ("姓名 Name", facts.holder_name),
                ("证件号码 ID (masked)", facts.id_number_masked),
                ("职业 Occupation", f"{facts.occupation_name} ({facts.occupation_code})"),
                ("等级 Level", f"{facts.level_label} ({level_text(facts.level, facts.title, 'en')})"),
                ("发证机构 Issuer", facts.issuer_name),
                ("发证日期 Issued", facts.issued_on.isoformat()), ("签名密钥 Key", verdict.kid)]
        for label, value in rows:
            print(f"  {label}: {value}", file=out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m certification.verify",
                                     description="核验证书二维码（离线） / Verify a certificate QR payload offline")
    parser.add_argument("payload", help="二维码内容（核验网址） / the QR payload (verification URL)")
    parser.add_argument("--keys", required=True, type=Path, help="certificate-keys.json")
    parser.add_argument("--status", action="append", default=[], type=Path, help="a status list credential (JSON)")
    args = parser.parse_args(argv)
    try:
        keys = load_keys(json.loads(args.keys.read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        print(f"密钥文件无法读取 / cannot read the keys file: {exc}", file=sys.stderr)
        return 2
    lists = []
    for path in args.status:
        try:
            lists.append(load_status_list(json.loads(path.read_text(encoding="utf-8")), keys))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            print(f"状态列表无效 / status list not valid ({path}): {exc}", file=sys.stderr)
            return 2
    verdict = verify_payload(args.payload, keys, lists)
    _print_verdict(verdict, sys.stdout)
    return 0 if verdict.valid else 1


if __name__ == "__main__":
    sys.exit(main())
