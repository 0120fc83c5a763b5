"""One independent verifier of our credentials: Digital Bazaar's JavaScript stack (`@digitalbazaar/vc` with
`@digitalbazaar/data-integrity` and `@digitalbazaar/eddsa-rdfc-2022-cryptosuite`, on jsonld.js and rdf-canonize),
run by Node.js from tests/vc_verifier (package-lock.json pins the versions; `make test` installs node_modules
with `npm ci` when npm exists). It is fed our shipped contexts and our controller document, so it uses no
network either; it must accept a credential we signed and reject a tampered copy.

Why this one: it is the implementation the W3C VC working group's eddsa-rdfc-2022 interoperability reports and the
Open Badges 3.0 conformance tooling build on, and it shares no code with pyld (different JSON-LD processor,
different RDFC-1.0 implementation, different Ed25519 code: @noble/ed25519 vs OpenSSL).
"""

from __future__ import annotations

import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from certification import credentials
from tests.certification.credential_steps import (
    FACTS,
    ISSUER,
    STATUS,
    independent_verifier_missing,
    independent_verify,
)

pytestmark = pytest.mark.skipif(independent_verifier_missing() is not None,
                                reason=independent_verifier_missing() or "")


@pytest.fixture(scope="module")
def signed_and_controller() -> tuple[dict, dict]:
    old, new = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    keys = [(kid, credentials.multikey_public(k.public_key().public_bytes_raw()))
            for kid, k in (("k2026", new), ("k2025", old))]
    controller = credentials.controller_document(ISSUER.id, keys)
    doc = credentials.credential_document(FACTS, issuer=ISSUER, subject_id="did:example:holder", status=STATUS)
    signed = credentials.sign_credential(
        doc, sign=new.sign, verification_method=credentials.verification_method_for(ISSUER.id, "k2026"))
    return signed, controller


def test_the_independent_verifier_accepts_a_credential_we_signed(signed_and_controller) -> None:
    signed, controller = signed_and_controller
    result = independent_verify(signed, controller)
    assert result == {"verified": True, "errors": []}


def test_the_independent_verifier_accepts_an_appointment_letter_without_status_or_holder_id() -> None:
    key = Ed25519PrivateKey.generate()
    controller = credentials.controller_document(
        ISSUER.id, [("k1", credentials.multikey_public(key.public_key().public_bytes_raw()))])
    facts = type(FACTS)(**{**{f: getattr(FACTS, f) for f in FACTS.__slots__}, "title": "首席技师"})
    doc = credentials.credential_document(facts, issuer=ISSUER, subject_id=None, status=None)
    signed = credentials.sign_credential(
        doc, sign=key.sign, verification_method=credentials.verification_method_for(ISSUER.id, "k1"))
    assert independent_verify(signed, controller)["verified"] is True


@pytest.mark.parametrize(
    "tamper",
    [
        lambda d: d["credentialSubject"].__setitem__("licenseNumber", "S000037000123264000002"),
        lambda d: d["credentialSubject"]["identifier"][0].__setitem__("identityHash", "王二"),
        lambda d: d.__setitem__("validFrom", "2020-01-01T00:00:00+08:00"),
    ],
    ids=["number", "name", "date"],
)
def test_the_independent_verifier_rejects_a_tampered_copy(signed_and_controller, tamper) -> None:
    signed, controller = signed_and_controller
    tampered = json.loads(json.dumps(signed))
    tamper(tampered)
    result = independent_verify(tampered, controller)
    assert result["verified"] is False
    assert any("Invalid signature" in e for e in result["errors"]), result
