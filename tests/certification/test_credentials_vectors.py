"""The W3C's published test vectors for `eddsa-rdfc-2022` (Data Integrity EdDSA Cryptosuites v1.0, Recommendation,
appendix B.1 "Representation: eddsa-rdfc-2022", Examples 7–17: the key pair, the unsigned Alumni credential, its
canonical form and hash, the proof options, their canonical form and hash, the combined hash data, the signature
and the signed credential's proofValue), reproduced by certification/credentials.py step by step. Ed25519 is
deterministic, so the signature must match byte for byte.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from certification import credentials

EXAMPLES_V2 = "https://www.w3.org/ns/credentials/examples/v2"
# The examples context as the W3C publishes it: one @vocab mapping.
EXAMPLES_V2_DOCUMENT = {"@context": {"@vocab": "https://www.w3.org/ns/credentials/examples#"}}

PUBLIC_KEY_MULTIBASE = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"  # Example 7
SECRET_KEY_MULTIBASE = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"  # Example 7
PUBLIC_KEY_HEX = "b00d8d938e7f773d51565aad36a623f5344f7f5d1960f9cf3e8e12620ea2810f"

UNSIGNED = {  # Example 8
    "@context": ["https://www.w3.org/ns/credentials/v2", EXAMPLES_V2],
    "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
    "type": ["VerifiableCredential", "AlumniCredential"],
    "name": "Alumni Credential",
    "description": "A minimum viable example of an Alumni Credential.",
    "issuer": "https://vc.example/issuers/5678",
    "validFrom": "2023-01-01T00:00:00Z",
    "credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"},
}

CANONICAL_DOCUMENT = (  # Example 9
    '<did:example:abcdefgh> <https://www.w3.org/ns/credentials/examples#alumniOf> "The School of Examples" .\n'
    "<urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
    "<https://www.w3.org/2018/credentials#VerifiableCredential> .\n"
    "<urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
    "<https://www.w3.org/ns/credentials/examples#AlumniCredential> .\n"
    "<urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33> <https://schema.org/description> "
    '"A minimum viable example of an Alumni Credential." .\n'
    '<urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33> <https://schema.org/name> "Alumni Credential" .\n'
    "<urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33> <https://www.w3.org/2018/credentials#credentialSubject> "
    "<did:example:abcdefgh> .\n"
    "<urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33> <https://www.w3.org/2018/credentials#issuer> "
    "<https://vc.example/issuers/5678> .\n"
    "<urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33> <https://www.w3.org/2018/credentials#validFrom> "
    '"2023-01-01T00:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> .\n'
)
DOCUMENT_HASH = "517744132ae165a5349155bef0bb0cf2258fff99dfe1dbd914b938d775a36017"  # Example 10

VERIFICATION_METHOD = f"did:key:{PUBLIC_KEY_MULTIBASE}#{PUBLIC_KEY_MULTIBASE}"
PROOF_OPTIONS = {  # Example 11
    "type": "DataIntegrityProof",
    "cryptosuite": "eddsa-rdfc-2022",
    "created": "2023-02-24T23:36:38Z",
    "verificationMethod": VERIFICATION_METHOD,
    "proofPurpose": "assertionMethod",
    "@context": ["https://www.w3.org/ns/credentials/v2", EXAMPLES_V2],
}
CANONICAL_PROOF_OPTIONS = (  # Example 12
    '_:c14n0 <http://purl.org/dc/terms/created> "2023-02-24T23:36:38Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> .\n'
    "_:c14n0 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/security#DataIntegrityProof> .\n"
    '_:c14n0 <https://w3id.org/security#cryptosuite> "eddsa-rdfc-2022"'
    "^^<https://w3id.org/security#cryptosuiteString> .\n"
    "_:c14n0 <https://w3id.org/security#proofPurpose> <https://w3id.org/security#assertionMethod> .\n"
    f"_:c14n0 <https://w3id.org/security#verificationMethod> <{VERIFICATION_METHOD}> .\n"
)
PROOF_OPTIONS_HASH = "bea7b7acfbad0126b135104024a5f1733e705108f42d59668b05c0c50004c6b0"  # Example 13
HASH_DATA = PROOF_OPTIONS_HASH + DOCUMENT_HASH  # Example 14
SIGNATURE_HEX = (  # Example 15
    "4d8e53c2d5b3f2a7891753eb16ca993325bdb0d3cfc5be1093d0a18426f5ef85"
    "78cadc0fd4b5f4dd0d1ce0aefd15ab120b7a894d0eb094ffda4e6553cd1ed50d"
)
PROOF_VALUE = "z2YwC8z3ap7yx1nZYCg4L3j3ApHsF8kgPdSb5xoS1VR7vPG3F561B52hYnQF9iseabecm3ijx4K1FBTQsCZahKZme"  # Ex. 16/17


@pytest.fixture
def loader() -> credentials.ShippedContexts:
    return credentials.ShippedContexts(extra={EXAMPLES_V2: EXAMPLES_V2_DOCUMENT})


def _secret_key() -> Ed25519PrivateKey:
    raw = credentials.b58decode(SECRET_KEY_MULTIBASE[1:])
    assert raw[:2] == b"\x80\x26"  # multicodec ed25519-priv
    return Ed25519PrivateKey.from_private_bytes(raw[2:])


def test_the_key_pair_decodes_to_the_published_public_key() -> None:
    public = credentials.multikey_decode(PUBLIC_KEY_MULTIBASE)
    assert public.hex() == PUBLIC_KEY_HEX
    assert _secret_key().public_key().public_bytes_raw() == public
    assert credentials.multikey_public(public) == PUBLIC_KEY_MULTIBASE


def test_the_document_canonicalises_to_example_9_and_hashes_to_example_10(loader) -> None:
    nquads = credentials.canonical_nquads(UNSIGNED, loader=loader)
    assert nquads == CANONICAL_DOCUMENT
    assert hashlib.sha256(nquads.encode()).hexdigest() == DOCUMENT_HASH


def test_the_proof_options_are_example_11_canonicalise_to_12_and_hash_to_13(loader) -> None:
    proof = {k: v for k, v in PROOF_OPTIONS.items() if k != "@context"}
    assert credentials.proof_options_of(UNSIGNED, proof) == PROOF_OPTIONS
    nquads = credentials.canonical_nquads(PROOF_OPTIONS, loader=loader)
    assert nquads == CANONICAL_PROOF_OPTIONS
    assert hashlib.sha256(nquads.encode()).hexdigest() == PROOF_OPTIONS_HASH


def test_the_hash_data_is_example_14(loader) -> None:
    assert credentials.hash_data(UNSIGNED, PROOF_OPTIONS, loader=loader).hex() == HASH_DATA


def test_signing_gives_the_published_signature_and_proof_value_byte_for_byte(loader) -> None:
    key = _secret_key()
    assert key.sign(bytes.fromhex(HASH_DATA)).hex() == SIGNATURE_HEX
    signed = credentials.sign_credential(
        UNSIGNED, sign=key.sign, verification_method=VERIFICATION_METHOD,
        created=datetime(2023, 2, 24, 23, 36, 38, tzinfo=UTC), loader=loader,
    )
    assert signed["proof"] == {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": "2023-02-24T23:36:38Z",
        "verificationMethod": VERIFICATION_METHOD,
        "proofPurpose": "assertionMethod",
        "proofValue": PROOF_VALUE,
    }
    assert credentials.b58decode(PROOF_VALUE[1:]).hex() == SIGNATURE_HEX
    assert {k: v for k, v in signed.items() if k != "proof"} == UNSIGNED


@pytest.mark.parametrize(
    ("data", "text"),
    [(b"", ""), (b"\0", "1"), (b"\0\0\1", "112"), (bytes(range(1, 8)), None)],
)
def test_base58_round_trips_with_leading_zero_bytes(data: bytes, text: str | None) -> None:
    encoded = credentials.b58encode(data)
    if text is not None:
        assert encoded == text
    assert credentials.b58decode(encoded) == data
