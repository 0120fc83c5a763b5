"""A Data Integrity proof of cryptosuite `eddsa-jcs-2022` (W3C vc-di-eddsa v1.0 §3.3), for the signed status list
(issue 13 item 6). No Django: the offline verifier (`certification.verify`) imports it.

Why JCS and not RDFC here: the status list must be checkable by `python -m certification.verify` with no network
and nothing but `cryptography` and `rfc8785`. `eddsa-jcs-2022` canonicalises the JSON itself (RFC 8785), so a
verifier needs no JSON-LD processor and no contexts; it is the suite the Recommendation offers for exactly that.
(The certificates' Open Badges credentials use `eddsa-rdfc-2022`, which OB 3.0's conformance tests require.)

The algorithm, as §3.3.1–3.3.6 state it:
- the proof options are the proof without `proofValue`, with the document's `@context` copied in;
- hash data = SHA-256(JCS(proof options)) ‖ SHA-256(JCS(document without `proof`));
- the proof value is the Ed25519 signature of the hash data, multibase base58-btc (`z…`).
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable
from typing import Any

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

CRYPTOSUITE = "eddsa-jcs-2022"
_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def base58btc_encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    out = ""
    while number:
        number, rest = divmod(number, 58)
        out = _B58[rest] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def base58btc_decode(text: str) -> bytes:
    number = 0
    for ch in text:
        digit = _B58.find(ch)
        if digit < 0:
            raise ValueError(f"not base58btc: {ch!r}")
        number = number * 58 + digit
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def hash_data(document: dict[str, Any], proof_options: dict[str, Any]) -> bytes:
    """The 64 bytes an eddsa-jcs-2022 proof signs (module docstring)."""
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    options = {k: v for k, v in proof_options.items() if k != "proofValue"}
    if "@context" in unsecured:
        options["@context"] = unsecured["@context"]
    return (hashlib.sha256(rfc8785.dumps(options)).digest()
            + hashlib.sha256(rfc8785.dumps(unsecured)).digest())


def add_proof(document: dict[str, Any], *, verification_method: str, created: str,
              sign: Callable[[bytes], bytes]) -> dict[str, Any]:
    """A copy of `document` with an eddsa-jcs-2022 proof for `assertionMethod`; `sign` returns 64 raw bytes."""
    proof: dict[str, Any] = {"type": "DataIntegrityProof", "cryptosuite": CRYPTOSUITE, "created": created,
                             "verificationMethod": verification_method, "proofPurpose": "assertionMethod"}
    if "@context" in document:  # §3.3.1: the proof carries the document's context
        proof["@context"] = document["@context"]
    signed = copy.deepcopy(document)
    signed["proof"] = {**proof, "proofValue": "z" + base58btc_encode(sign(hash_data(document, proof)))}
    return signed


def verify_proof(document: dict[str, Any], public_key_for: Callable[[str], bytes | None]) -> str | None:
    """None when the document's one eddsa-jcs-2022 proof verifies under the key `public_key_for` gives for its
    verification method (raw 32 bytes, None for a method that is not ours); else a reason code."""
    proof = document.get("proof")
    if not isinstance(proof, dict):
        return "proof.missing"
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != CRYPTOSUITE:
        return "proof.unsupported"
    if proof.get("proofPurpose") != "assertionMethod":
        return "proof.wrong_purpose"
    method = proof.get("verificationMethod")
    public = public_key_for(method) if isinstance(method, str) else None
    if public is None:
        return "proof.unknown_key"
    value = proof.get("proofValue")
    if not isinstance(value, str) or not value.startswith("z"):
        return "proof.bad_value"
    try:
        signature = base58btc_decode(value[1:])
        Ed25519PublicKey.from_public_bytes(public).verify(signature, hash_data(document, proof))
    except (ValueError, InvalidSignature):
        return "proof.bad_signature"
    return None
