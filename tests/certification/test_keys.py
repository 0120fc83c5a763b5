"""The certificate signing keys (certification/keys.py): the store outside the database, rotation, signing."""

from __future__ import annotations

import json
import stat
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.utils import timezone

from certification import keys
from certification.domain import certificate_payload as cp
from core.errors import Conflict
from tests.certification.crypto_steps import sample_facts


def test_the_store_keeps_one_private_pem_of_mode_0600_and_a_public_index(certificate_keys: Path) -> None:
    index = json.loads((certificate_keys / "index.json").read_text())
    kid = index["active"]
    assert len(kid) == 8
    assert stat.S_IMODE((certificate_keys / f"{kid}.pem").stat().st_mode) == 0o600
    assert "PRIVATE" not in (certificate_keys / "index.json").read_text()
    assert [k.kid for k in keys.public_keys()] == [kid]


def test_generate_twice_is_refused(certificate_keys: Path) -> None:
    with pytest.raises(Conflict):
        keys.key_generate()


def test_signed_facts_verify_and_changed_facts_do_not(certificate_keys: Path) -> None:
    facts = sample_facts()
    signed = keys.sign_facts(facts)
    assert keys.verify_facts(facts, signed) is None
    assert keys.verify_facts(sample_facts(holder_name="王小朋"), signed) == "payload.bad_signature"


def test_verification_url_carries_the_signature(certificate_keys: Path) -> None:
    facts = sample_facts()
    signed = keys.sign_facts(facts)
    url = keys.verification_url(facts, signed)
    assert url.startswith("https://jineng.example.cn/verify/1")
    assert cp.parse_payload(url, "https://jineng.example.cn/verify/").signed == signed


def test_rotation_keeps_old_signatures_valid_and_signs_with_the_new_key(certificate_keys: Path) -> None:
    old_facts = sample_facts()
    old = keys.sign_facts(old_facts)
    new_key = keys.key_rotate()
    new_facts = sample_facts(number="S000037000123264000002")
    new = keys.sign_facts(new_facts)
    assert new.kid == new_key.kid != old.kid
    assert keys.verify_facts(old_facts, old) is None
    assert keys.verify_facts(new_facts, new) is None
    published = keys.public_keys()
    assert [k.kid for k in published] == [new.kid, old.kid]
    assert published[0].valid_until is None and published[1].valid_until is not None


def test_a_signature_dated_after_its_keys_valid_until_is_invalid(certificate_keys: Path) -> None:
    facts = sample_facts()
    signed = keys.sign_facts(facts)  # sign now, then pretend the key retired before the issue date
    keys.key_rotate(now=timezone.now() - timedelta(days=400))
    assert keys.verify_facts(facts, signed) == "payload.key_expired"


def test_an_unknown_key_id_is_invalid(certificate_keys: Path) -> None:
    facts = sample_facts()
    signed = keys.sign_facts(facts)
    assert keys.verify_facts(facts, cp.FactsSignature("zzzz2222", signed.signature)) == "payload.unknown_key"


def test_a_key_past_valid_until_does_not_sign(certificate_keys: Path) -> None:
    index_path = certificate_keys / "index.json"
    index = json.loads(index_path.read_text())
    index["keys"][0]["valid_until"] = "2020-01-01T00:00:00Z"
    index_path.write_text(json.dumps(index))
    with pytest.raises(keys.KeyExpired):
        keys.sign_facts(sample_facts())


def test_multikey_is_the_ed25519_multicodec_in_base58btc(certificate_keys: Path) -> None:
    assert keys.public_keys()[0].public_key_multibase.startswith("z6Mk")
    # the Ed25519Signature2020 examples' key (w3c/vc-di-eddsa issue 14): seed, base58 key, did:key
    seed = bytes.fromhex("9b937b81322d816cfab9d5a3baacc9b2a5febe4b149f126b3630f93a29527017")
    raw = Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    assert keys.base58btc(raw) == "dbDmZLTWuEYYZNHFLKLoRkEX4sZykkSLNQLXvMUyMB1"
    assert keys.multikey(raw) == "z6Mkf5rGMoatrSj1f4CyvuHBeXJELe9RPdzo2PKGNCKVtZxP"


def test_a_key_from_the_environment_signs_and_rotation_is_refused(certificate_keys: Path, settings) -> None:  # type: ignore[no-untyped-def]
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    settings.CERTIFICATE_SIGNING_KEY = pem
    settings.CERTIFICATE_SIGNING_KEY_ID = "envkey22"
    facts = sample_facts()
    signed = keys.sign_facts(facts)
    assert signed.kid == "envkey22"
    assert keys.verify_facts(facts, signed) is None
    file_kid = json.loads((certificate_keys / "index.json").read_text())["active"]
    assert {k.kid for k in keys.public_keys()} == {"envkey22", file_kid}
    with pytest.raises(Conflict):
        keys.key_rotate()


def test_no_key_means_no_signature(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.CERTIFICATE_KEYS_DIR = tmp_path / "empty"
    settings.CERTIFICATE_SIGNING_KEY = ""
    with pytest.raises(keys.NoSigningKey):
        keys.sign_facts(sample_facts())


def test_the_qr_code_of_a_real_url_is_version_13_at_error_correction_q(certificate_keys: Path) -> None:
    import qrcode

    facts = sample_facts(issuer_name="济南市高级技工学校职业技能等级认定站")  # a long issuer name
    url = keys.verification_url(facts, keys.sign_facts(facts))
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_Q)
    code.add_data(url)
    code.make(fit=True)
    print(f"{len(url)} characters, QR version {code.version} at Q")
    assert code.version <= 13  # 69 modules: 0.43 mm each on a 30 mm square
