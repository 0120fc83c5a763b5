"""The eddsa-jcs-2022 proofs of the status list (certification/data_integrity.py)."""

from __future__ import annotations

import copy
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from certification import data_integrity as di

# The W3C vc-di-eddsa test vector of eddsa-jcs-2022 (Digital Bazaar's, as the Recommendation publishes it)
VECTOR_KEY = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
VECTOR: dict[str, Any] = {
    "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
    "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
    "type": ["VerifiableCredential", "AlumniCredential"],
    "name": "Alumni Credential",
    "description": "A minimum viable example of an Alumni Credential.",
    "issuer": f"did:key:{VECTOR_KEY}",
    "validFrom": "2023-01-01T00:00:00Z",
    "credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"},
    "proof": {
        "type": "DataIntegrityProof",
        "created": "2023-02-24T23:36:38Z",
        "verificationMethod": f"did:key:{VECTOR_KEY}#{VECTOR_KEY}",
        "cryptosuite": "eddsa-jcs-2022",
        "proofPurpose": "assertionMethod",
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
        "proofValue": "z5EhYRJkfPLkoT92FPXN8KK6M9rsBhq3xs19GBSsA6VdNYH4QMKSyNuA2Gfznz9QthVD7Rz3HTAfqxxay23htUpTg",
    },
}


def _vector_key(method: str) -> bytes | None:
    raw = di.base58btc_decode(VECTOR_KEY[1:])
    return raw[2:] if method.endswith("#" + VECTOR_KEY) else None


def test_the_published_vector_verifies() -> None:
    assert di.verify_proof(VECTOR, _vector_key) is None


def test_the_published_vector_with_one_changed_value_does_not() -> None:
    forged = copy.deepcopy(VECTOR)
    forged["credentialSubject"]["alumniOf"] = "The School of Forgeries"
    assert di.verify_proof(forged, _vector_key) == "proof.bad_signature"


def test_our_proof_verifies_and_names_its_failures() -> None:
    key = Ed25519PrivateKey.generate()
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    document = {"@context": ["https://www.w3.org/ns/credentials/v2"], "id": "urn:x", "n": 1}
    signed = di.add_proof(document, verification_method="https://x/issuer#k1", created="2026-12-01T00:00:00Z",
                          sign=key.sign)
    assert di.verify_proof(signed, lambda m: raw if m == "https://x/issuer#k1" else None) is None
    assert di.verify_proof(signed, lambda m: None) == "proof.unknown_key"
    assert di.verify_proof({**signed, "n": 2}, lambda m: raw) == "proof.bad_signature"
    assert di.verify_proof(document, lambda m: raw) == "proof.missing"
