"""The offline verifier (certification/verify.py): no Django, no database, no network; any changed character of a
valid payload fails; unknown or expired keys, bad signatures and truncation are invalid with their reasons."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from certification import data_integrity, verify
from certification.domain import certificate_payload as cp
from certification.domain import status_list as sl
from tests.certification.crypto_steps import sample_facts

ROOT = Path(__file__).resolve().parents[2]
BASE = "https://jineng.example.cn"
KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
KID = "abcdefgh"
PUBLIC = KEY.public_key().public_bytes_raw()


def _keys_document(valid_until: str | None = None) -> dict[str, object]:
    return {"issuer": BASE, "verify_prefix": cp.verify_prefix(BASE), "keys": [
        {"kid": KID, "alg": "Ed25519", "public_key": cp.b64url_encode(PUBLIC), "public_key_multibase": "z",
         "valid_from": "2026-01-01T00:00:00Z", "valid_until": valid_until}]}


KEYS = verify.load_keys(_keys_document())


def _url(facts: object = None, key: Ed25519PrivateKey = KEY, kid: str = KID) -> str:
    facts = facts or sample_facts()
    signature = cp.b64url_encode(key.sign(cp.facts_message(facts)))  # type: ignore[arg-type]
    return cp.verification_url(BASE, facts, cp.FactsSignature(kid, signature))  # type: ignore[arg-type]


VALID = _url()


def _status_list(revoked: list[int], list_no: int = 0, key: Ed25519PrivateKey = KEY) -> dict[str, object]:
    url = f"{BASE}/certification/status/{list_no}.json"
    document = {"@context": ["https://www.w3.org/ns/credentials/v2"], "id": url,
                "type": ["VerifiableCredential", "BitstringStatusListCredential"], "issuer": BASE + "/issuer",
                "validFrom": "2026-12-01T00:00:00Z",
                "credentialSubject": {"id": url + "#list", "type": "BitstringStatusList",
                                      "statusPurpose": "revocation", "encodedList": sl.encoded_list(revoked)}}
    return data_integrity.add_proof(document, verification_method=f"{BASE}/issuer#{KID}",
                                    created="2026-12-01T00:00:00Z", sign=key.sign)


def test_a_valid_payload_is_valid_and_shows_its_facts() -> None:
    verdict = verify.verify_payload(VALID, KEYS)
    assert verdict.valid and verdict.facts == sample_facts()
    assert verdict.reason == "status.list_missing"  # valid as signed; revocation not checked without the list


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_flipping_any_one_character_of_a_valid_payload_makes_it_invalid(data: st.DataObject) -> None:
    position = data.draw(st.integers(0, len(VALID) - 1))
    replacement = data.draw(st.characters(codec="utf-8").filter(lambda ch: ch != VALID[position]))
    forged = VALID[:position] + replacement + VALID[position + 1:]
    assert verify.verify_payload(forged, KEYS).status == "invalid"


def test_every_single_digit_change_of_the_token_is_invalid() -> None:
    prefix = len(cp.verify_prefix(BASE))
    for position in range(prefix, len(VALID)):
        for digit in "0123456789":
            if digit != VALID[position]:
                forged = VALID[:position] + digit + VALID[position + 1:]
                assert not verify.verify_payload(forged, KEYS).valid, (position, digit)


@pytest.mark.parametrize(("text", "reason"), [
    (VALID[:-5], "payload.truncated"),
    (_url(key=Ed25519PrivateKey.generate()), "payload.bad_signature"),  # re-signed by someone else
    (_url(kid="zzzzzzzz"), "payload.unknown_key"),
    (_url(replace(sample_facts(), holder_name="李四")).replace("jineng.example.cn", "jineng.example.com"),
     "payload.not_ours"),
])
def test_bad_payloads_are_invalid_with_their_reason(text: str, reason: str) -> None:
    verdict = verify.verify_payload(text, KEYS)
    assert (verdict.status, verdict.reason) == ("invalid", reason)


def test_a_signature_dated_after_the_keys_valid_until_is_invalid() -> None:
    retired = verify.load_keys(_keys_document(valid_until="2026-06-30T16:00:00Z"))  # 2026-07-01 00:00 in China
    on_the_day = _url(replace(sample_facts(), issued_on=datetime(2026, 7, 1, tzinfo=UTC).date()))
    after = _url(replace(sample_facts(), issued_on=datetime(2026, 7, 2, tzinfo=UTC).date()))
    assert verify.verify_payload(on_the_day, retired).valid
    assert verify.verify_payload(after, retired).reason == "payload.key_expired"


def test_the_status_list_decides_revoked() -> None:
    index = sample_facts().status_index
    assert index is not None
    revoked = verify.load_status_list(_status_list([index]), KEYS)
    assert verify.verify_payload(VALID, KEYS, [revoked]).status == "revoked"
    clear = verify.load_status_list(_status_list([index + 1]), KEYS)
    verdict = verify.verify_payload(VALID, KEYS, [clear])
    assert verdict.valid and verdict.reason == ""


def test_a_forged_status_list_is_refused() -> None:
    forged = _status_list([], key=Ed25519PrivateKey.generate())
    with pytest.raises(ValueError, match="proof"):
        verify.load_status_list(forged, KEYS)
    tampered = _status_list([])
    tampered["credentialSubject"]["encodedList"] = sl.encoded_list([1])  # type: ignore[index]
    with pytest.raises(ValueError, match="bad_signature"):
        verify.load_status_list(tampered, KEYS)


def _run(args: list[str], tmp_path: Path, code: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    command = [sys.executable, "-c", code] if code else [sys.executable, "-m", "certification.verify", *args]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False)  # noqa: S603


def test_the_cli_runs_without_django_and_says_valid_or_not(tmp_path: Path) -> None:
    keys_file = tmp_path / "keys.json"
    keys_file.write_text(json.dumps(_keys_document()))
    status_file = tmp_path / "status-0.json"
    status_file.write_text(json.dumps(_status_list([sample_facts().status_index or 0])))

    valid = _run([VALID, "--keys", str(keys_file)], tmp_path)
    assert valid.returncode == 0, valid.stderr
    assert "证书有效" in valid.stdout and "Certificate valid" in valid.stdout and "王小明" in valid.stdout
    assert "(Level " in valid.stdout  # the level in English beside the Chinese the certificate prints

    forged = _run([VALID[:-1] + ("1" if VALID[-1] != "1" else "2"), "--keys", str(keys_file)], tmp_path)
    assert forged.returncode == 1 and "证书无效" in forged.stdout and "Not a valid certificate" in forged.stdout

    revoked = _run([VALID, "--keys", str(keys_file), "--status", str(status_file)], tmp_path)
    assert revoked.returncode == 1 and "证书已撤销" in revoked.stdout


def test_importing_the_verifier_never_imports_django(tmp_path: Path) -> None:
    probe = _run([], tmp_path, code="import sys, certification.verify; print('django' in sys.modules)")
    assert probe.returncode == 0, probe.stderr
    assert probe.stdout.strip() == "False"
