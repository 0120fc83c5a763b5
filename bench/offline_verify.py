"""The offline verifier on 10,000 payloads (issue 13 "Performance": the offline verifier checks 10,000 payloads in
under 5 s), beside a bare `cryptography` Ed25519 verify loop over the same messages and signatures as the
reference.

What it runs: no Django and no database (like `python -m certification.verify`): one key, 10,000 certificates'
facts (names of 2–4 characters, rare ones included, a random status-list slot each), signed and turned into
their verification URLs; then `certification.verify.verify_payload` on every URL with the published keys and one
status list (the real work: strict parse of the decimal token, key lookup and validity, the signature, the
status bit), timed; the reference verifies the same 10,000 (signature, message) pairs with the bare primitive.

Run from the repository root: `python bench/offline_verify.py [--count 10000]`.

Measured 2026-12-02 on the shared 2-core machine (other sessions' load on it): 10,000 payloads in 2.79 s
(3,588/s), target < 5 s met; the bare Ed25519 verify loop 1.75 s, ours 1.59× it (the rest is the strict parse
and the canonical re-encoding that makes any changed digit fail); payloads 440 characters on average.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402

from certification import data_integrity, verify  # noqa: E402
from certification.domain import certificate_payload as cp  # noqa: E402
from certification.domain import status_list as sl  # noqa: E402
from certification.domain.certificate_facts import CertificateFacts  # noqa: E402
from certification.domain.ladder import SkillLevel  # noqa: E402

BASE = "https://jineng.example.cn"
TARGET_SECONDS = 5.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    args = parser.parse_args()
    rng = random.Random(13)
    key = Ed25519PrivateKey.generate()
    kid = "benchkey"
    public = key.public_key().public_bytes_raw()
    keys = verify.load_keys({"verify_prefix": cp.verify_prefix(BASE), "keys": [
        {"kid": kid, "alg": "Ed25519", "public_key": cp.b64url_encode(public), "valid_from": "2026-01-01T00:00:00Z",
         "valid_until": None}]})
    base = CertificateFacts(number="S000037000123264000001", holder_name="王小明",
                            id_number_masked="3701**********1234",
                            occupation_code="6-18-02-04", occupation_name="焊工", level=SkillLevel.FOUR, title="",
                            issuer_name="山东省职业技能鉴定中心", issued_on=date(2026, 11, 30), status_list_no=0,
                            status_index=0)
    names = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗𠅤䶮明华强伟芳娜秀英"
    indexes = rng.sample(range(sl.MIN_ENTRIES), args.count)
    urls, pairs = [], []
    for n in range(args.count):
        facts = replace(base, number=f"S000037000123264{n + 1:06d}", status_index=indexes[n],
                        holder_name="".join(rng.choice(names) for _ in range(rng.randint(2, 4))))
        message = cp.facts_message(facts)
        signature = key.sign(message)
        pairs.append((signature, message))
        urls.append(cp.verification_url(BASE, facts, cp.FactsSignature(kid, cp.b64url_encode(signature))))
    document = {"@context": ["https://www.w3.org/ns/credentials/v2"], "id": f"{BASE}/certification/status/0.json",
                "type": ["VerifiableCredential", "BitstringStatusListCredential"], "issuer": BASE,
                "credentialSubject": {"type": "BitstringStatusList", "statusPurpose": "revocation",
                                      "encodedList": sl.encoded_list(indexes[::10])}}
    signed = data_integrity.add_proof(document, verification_method=f"{BASE}#{kid}", created="2026-12-01T00:00:00Z",
                                      sign=key.sign)
    lists = [verify.load_status_list(signed, keys)]

    started = time.perf_counter()
    verdicts = [verify.verify_payload(url, keys, lists) for url in urls]
    ours = time.perf_counter() - started
    assert all(v.status in {"valid", "revoked"} for v in verdicts)
    assert sum(v.status == "revoked" for v in verdicts) == len(indexes[::10])

    public_key = key.public_key()
    started = time.perf_counter()
    for signature, message in pairs:
        public_key.verify(signature, message)
    reference = time.perf_counter() - started

    print(f"offline verifier: {args.count} payloads in {ours:.2f} s ({args.count / ours:,.0f}/s); "
          f"target < {TARGET_SECONDS:.0f} s: {'met' if ours < TARGET_SECONDS else 'NOT met'}")
    print(f"reference (bare Ed25519 verify of the same pairs): {reference:.2f} s; ours is {ours / reference:.2f}× it")
    print(f"payload length: {sum(map(len, urls)) / len(urls):.0f} characters on average")


if __name__ == "__main__":
    main()
