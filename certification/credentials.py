"""Each certificate as an Open Badges 3.0 credential (a W3C Verifiable Credential 2.0) with a Data Integrity proof
of the `eddsa-rdfc-2022` cryptosuite (issue 13 item 8; DESIGN.md "Certification" → "Certificates").

The document (`credential_document`) is built from the certificate's `CertificateFacts` alone, like the PDF and
the QR signature, so the three never disagree:

- `@context` is exactly [VC 2.0, Open Badges 3.0.3] (`certification/contexts/`, shipped with the project, their
  sources and sha256 in `certification/contexts/SOURCES.md`). 3.0.3 is the Open Badges context for the VC 2.0
  data model and the one the OB 3.0 conformance suite accepts with `eddsa-rdfc-2022`.
- `type` is [`VerifiableCredential`, `OpenBadgeCredential`]; `id` is `urn:jineng-shandong:certificate:<number>`
  (a URN: the credential is a portable document, not something fetched from that id; the number inside it is how
  the upload-to-verify endpoint finds the row).
- `issuer` is the platform (a `Profile` whose id is our controller document, `IssuerInfo`), because the platform's
  key signs every certificate: Data Integrity checks that the proof's verification method is controlled by the
  issuer, so the issuer id and the key's controller must be one URL. The evaluation body that assessed the holder
  (评价机构, the name on the face) is the subject's `source` (OB 3.0: "the organization that assessed the
  achievement on behalf of the issuer"); its id is `urn:jineng-shandong:evaluation-body:<number[:13]>` — the
  prefix, agency code, province and site serial of the certificate number, which identify a filed (备案) site.
- `validFrom` (and OB's `awardedDate`) is the issue date at midnight Asia/Shanghai (the face shows a date only).
- `credentialSubject` is an `AchievementSubject`: the holder's `id` when they have one (`subject_id`, else none:
  OB allows a subject identified by `identifier` alone), the holder's name as an `IdentityObject` of type `name`,
  unhashed (it is printed on the certificate and a checker compares the two), the certificate number as
  `licenseNumber`, and the `achievement`: achievementType `Certification`, name and description stating the
  occupation and level (or the title of an appointment letter, 评聘), the occupation code as `humanCode`, the
  occupation as `fieldOfStudy`, and `criteria.narrative` saying what was passed.
- `credentialStatus`, when given, is a `BitstringStatusListEntry` (purpose `revocation`) pointing into the signed
  status list (certcrypto's URL) at the certificate's random slot.

Personal data: the ID number is NOT in the credential at all, not even masked. A credential is a document its
holder hands to strangers; a masked ID number proves nothing a checker can use (OB's `IdentityObject` would claim
the masked string *is* the number), and the verification page already shows the masked number for whoever holds
the certificate number. The name stays, as on the face.

Every field is defined by the shipped contexts. An undefined term would be dropped by JSON-LD expansion and so go
unsigned (anyone could add or change it without breaking the proof), so signing *and* verifying run expansion
with a handler that records every dropped term and refuse any document that drops one, or whose `type` or `id`
values are not absolute IRIs (those vanish from the RDF dataset the same way).

The proof (`sign_credential`, `verify_credential`) follows W3C vc-di-eddsa §3.2 exactly: the proof options are the
proof without `proofValue` under the document's `@context`; both the document (without `proof`) and the proof
options are canonicalised with RDFC-1.0 (pyld's URDNA2015, which RDFC-1.0 standardised unchanged), each hashed
with SHA-256, the proof options' hash concatenated before the document's, the 64 bytes signed with Ed25519, and
the signature stored as multibase base58-btc (`z…`). The published test vectors are reproduced byte for byte in
tests/certification/test_credentials_vectors.py.

The verification method is `<issuer id>#<kid>`: the issuer id is our controller document
(`<PUBLIC_BASE_URL>/certification/credentials/issuer`, served by `controller_document`), which lists every key
ever used (certcrypto's `public_keys()`) as a `Multikey` with its `publicKeyMultibase`, all of them under
`assertionMethod`, so a credential signed with a key that has since rotated still verifies.

No network at verification: `ShippedContexts` is the only document loader used, it serves the shipped contexts
and refuses any other URL. And a credential that is not ours is refused before any JSON-LD processing
(`precheck`): it must be a JSON object of bounded size (`MAX_CREDENTIAL_BYTES`), with exactly our contexts, our
issuer, one `DataIntegrityProof` of cryptosuite `eddsa-rdfc-2022` for `assertionMethod` whose verification method
names one of our keys, and a well-formed proofValue — canonicalisation costs time an attacker would choose.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.utils.translation import gettext_lazy as _
from pyld import jsonld
from pyld.context_resolver import ContextResolver

from certification.domain.certificate_facts import CertificateFacts
from core.errors import register_messages, render_message

CONTEXTS_DIR = Path(__file__).resolve().parent / "contexts"
VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_V3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CREDENTIAL_CONTEXT: tuple[str, ...] = (VC_V2_CONTEXT, OB_V3_CONTEXT)
SHIPPED_CONTEXT_FILES: dict[str, str] = {
    VC_V2_CONTEXT: "credentials-v2.jsonld",
    OB_V3_CONTEXT: "ob-v3p0-context-3.0.3.json",
}
CRYPTOSUITE = "eddsa-rdfc-2022"
PROOF_PURPOSE = "assertionMethod"
MAX_CREDENTIAL_BYTES = 64 * 1024  # ours are about 2 KB; a bound checked before parsing or canonicalising
# RDFC-1.0's work grows fast with interlinked blank nodes (the "poison graph" of the RDF canonicalisation spec), so
# a credential's shape is bounded too before canonicalising: ours have 9 objects, 5 levels deep.
MAX_CREDENTIAL_OBJECTS = 40
MAX_CREDENTIAL_DEPTH = 8
ISSUER_PATH = "/certification/credentials/issuer"
CERTIFICATE_URN = "urn:jineng-shandong:certificate:"
BODY_URN = "urn:jineng-shandong:evaluation-body:"
ACHIEVEMENT_URN = "urn:jineng-shandong:achievement:"
ED25519_MULTICODEC = b"\xed\x01"
CONTROLLER_CONTEXT = ("https://w3id.org/security/v2", "https://w3id.org/security/multikey/v1")

register_messages(
    {
        "credential.valid": _("凭证有效：签名正确，内容未被改动。"),
        "credential.not_json": _("上传的内容不是 JSON 对象。"),
        "credential.too_large": _("上传的凭证超过 {max} KB，不是本平台签发的凭证。"),
        "credential.wrong_context": _("凭证的 @context 不是本平台使用的 VC 2.0 与 Open Badges 3.0 上下文。"),
        "credential.not_our_issuer": _("凭证的签发者“{issuer}”不是本平台。"),
        "credential.no_proof": _("凭证没有（唯一的）数据完整性证明。"),
        "credential.wrong_proof": _("凭证的证明类型或算法“{cryptosuite}”不是 eddsa-rdfc-2022 DataIntegrityProof。"),
        "credential.wrong_purpose": _("凭证证明的用途不是 assertionMethod。"),
        "credential.unknown_key": _("凭证由未知的密钥“{method}”签名。"),
        "credential.bad_proof_value": _("凭证的签名值格式不正确。"),
        "credential.undefined_terms": _("凭证含有上下文未定义的字段：{terms}。未定义的字段不受签名保护。"),
        "credential.not_json_ld": _("凭证不是有效的 JSON-LD：{detail}"),
        "credential.too_complex": _("凭证的结构过于复杂（超过 {objects} 个对象或 {depth} 层），不是本平台签发的凭证。"),
        "credential.bad_signature": _("签名不匹配：凭证内容被改动过，或不是用该密钥签发的。"),
    }
)


# --- the values the document is built from -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IssuerInfo:
    """The credential's issuer: the platform, whose key signs (module docstring). `id` is the controller document's
    URL, which the verification methods hang off."""

    id: str
    name: str
    url: str = ""


@dataclass(frozen=True, slots=True)
class StatusEntry:
    """A certificate's slot in the signed revocation list (W3C Bitstring Status List)."""

    status_list_credential: str  # the status list's URL (certcrypto)
    status_list_index: int
    status_purpose: str = "revocation"


def issuer_id_for(base_url: str) -> str:
    """The platform's issuer id (= controller document URL) under `base_url` (settings.PUBLIC_BASE_URL)."""
    return base_url.rstrip("/") + ISSUER_PATH


def verification_method_for(issuer_id: str, kid: str) -> str:
    """The verification method URL of key `kid`: a fragment of the controller document."""
    return f"{issuer_id}#{kid}"


def certificate_number_of(doc: Mapping[str, Any]) -> str | None:
    """The certificate number an (unverified) credential claims, from its id; None when it has none of ours."""
    cred_id = doc.get("id")
    if isinstance(cred_id, str) and cred_id.startswith(CERTIFICATE_URN):
        return cred_id[len(CERTIFICATE_URN):]
    return None


def _achievement_id(facts: CertificateFacts) -> str:
    if facts.title:  # an appointment letter (评聘): the title names the achievement
        return f"{ACHIEVEMENT_URN}{facts.occupation_code}:title:{quote(facts.title, safe='')}"
    return f"{ACHIEVEMENT_URN}{facts.occupation_code}:level:{int(facts.level)}"


def _achievement(facts: CertificateFacts) -> dict[str, Any]:
    label = facts.level_label
    if facts.title:
        name = f"{facts.occupation_name}{label}"
        description = f"{facts.issuer_name}聘任为{facts.occupation_name}（{facts.occupation_code}）{label}。"
        narrative = f"由{facts.issuer_name}依照特级技师、首席技师评聘办法，从一级/高级技师中评聘。"
    else:
        name = f"{facts.occupation_name}职业技能等级证书（{label}）"
        description = f"职业（工种）{facts.occupation_name}（{facts.occupation_code}），职业技能等级{label}。"
        narrative = (
            f"通过{facts.occupation_name}{label}职业技能等级认定：理论知识考试、操作技能考核"
            f"{'及综合评审' if int(facts.level) <= 2 else ''}各部分成绩均达到 60 分及以上。"
        )
    return {
        "id": _achievement_id(facts),
        "type": ["Achievement"],
        "achievementType": "Certification",
        "name": name,
        "description": description,
        "criteria": {"narrative": narrative},
        "humanCode": facts.occupation_code,
        "fieldOfStudy": facts.occupation_name,
        "inLanguage": "zh-CN",
    }


def credential_document(
    facts: CertificateFacts, *, issuer: IssuerInfo, subject_id: str | None, status: StatusEntry | None
) -> dict[str, Any]:
    """The unsigned Open Badges 3.0 credential of a certificate (module docstring states every field)."""
    valid_from = _midnight_shanghai(facts.issued_on)
    issuer_profile: dict[str, Any] = {"id": issuer.id, "type": ["Profile"], "name": issuer.name}
    if issuer.url:
        issuer_profile["url"] = issuer.url
    subject: dict[str, Any] = {"type": ["AchievementSubject"]}
    if subject_id:
        subject["id"] = subject_id
    subject |= {
        "identifier": [
            {"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": facts.holder_name},
        ],
        "licenseNumber": facts.number,
        "source": {"id": BODY_URN + facts.number[:13], "type": ["Profile"], "name": facts.issuer_name},
        "achievement": _achievement(facts),
    }
    doc: dict[str, Any] = {
        "@context": list(CREDENTIAL_CONTEXT),
        "id": CERTIFICATE_URN + facts.number,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": subject["achievement"]["name"],
        "issuer": issuer_profile,
        "validFrom": valid_from,
        "awardedDate": valid_from,
        "credentialSubject": subject,
    }
    if status is not None:
        doc["credentialStatus"] = {
            "id": f"{status.status_list_credential}#{status.status_list_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": status.status_purpose,
            "statusListIndex": str(status.status_list_index),
            "statusListCredential": status.status_list_credential,
        }
    return doc


def _midnight_shanghai(day: date) -> str:
    return f"{day.isoformat()}T00:00:00+08:00"


def controller_document(issuer_id: str, keys: list[tuple[str, str]]) -> dict[str, Any]:
    """Our controller document: every key ever used, `(kid, publicKeyMultibase)`, as a Multikey verification method
    usable for `assertionMethod`. Served at the issuer id. The contexts are the security vocabulary v2 (which
    Data Integrity verifiers frame a non-DID controller document with) and Multikey v1 (which a Multikey verification
    method must name): what Digital Bazaar's verifier processes (tests/vc_verifier)."""
    methods = [
        {
            "id": verification_method_for(issuer_id, kid),
            "type": "Multikey",
            "controller": issuer_id,
            "publicKeyMultibase": multibase,
        }
        for kid, multibase in keys
    ]
    return {
        "@context": list(CONTROLLER_CONTEXT),
        "id": issuer_id,
        "verificationMethod": methods,
        "assertionMethod": [m["id"] for m in methods],
    }


# --- the offline document loader ------------------------------------------------------------------------------


class ContextNotShipped(Exception):
    """A JSON-LD processor asked for a URL the project does not ship: no network at verification."""


class ShippedContexts:
    """A pyld document loader serving only the contexts in `certification/contexts/` (plus any `extra` a test
    gives, e.g. the examples context of the W3C test vectors) and refusing every other URL. It keeps the URLs it
    was asked for (`calls`) and resolves contexts through its own cache, so a fresh loader sees every request."""

    def __init__(self, extra: Mapping[str, Any] | None = None) -> None:
        self._documents: dict[str, Any] = {
            url: json.loads((CONTEXTS_DIR / name).read_text(encoding="utf-8"))
            for url, name in SHIPPED_CONTEXT_FILES.items()
        }
        self._documents.update(extra or {})
        self.calls: list[str] = []
        self._resolver = ContextResolver(jsonld.LRUCache(maxsize=16), self)

    def __call__(self, url: str, options: Mapping[str, Any] | None = None) -> dict[str, Any]:
        self.calls.append(url)
        if url not in self._documents:
            raise jsonld.JsonLdError(
                f"Context {url} is not shipped with the project; no network access at verification.",
                "jsonld.LoadDocumentError",
                code="loading document failed",
                cause=ContextNotShipped(url),
            )
        return {
            "contentType": "application/ld+json",
            "contextUrl": None,
            "documentUrl": url,
            "document": copy.deepcopy(self._documents[url]),
        }

    def options(self) -> dict[str, Any]:
        # base None as the JSON-LD 1.1 API allows (and as Digital Bazaar's canonize passes): pyld's default base
        # would turn a relative `type` into http://example.org/base/… and sign it, where others drop it.
        return {"documentLoader": self, "contextResolver": self._resolver, "base": None}


_DEFAULT_LOADER: ShippedContexts | None = None


def shipped_contexts() -> ShippedContexts:
    """The process's loader (contexts parsed once)."""
    global _DEFAULT_LOADER
    if _DEFAULT_LOADER is None:
        _DEFAULT_LOADER = ShippedContexts()
    return _DEFAULT_LOADER


# --- canonicalisation -----------------------------------------------------------------------------------------


class UndefinedTerms(Exception):
    """The document has terms or values the contexts do not define: they would go unsigned."""

    def __init__(self, terms: list[str]) -> None:
        self.terms = terms
        super().__init__(", ".join(terms))


def expand_strict(doc: Mapping[str, Any], *, loader: ShippedContexts | None = None) -> list[Any]:
    """JSON-LD expansion that refuses to lose anything: a dropped term, or a `type`/`id` that does not expand to an
    absolute IRI (RDF conversion would drop it), raises UndefinedTerms naming them."""
    loader = loader or shipped_contexts()
    dropped: list[str] = []
    processor = jsonld.JsonLdProcessor(on_property_dropped=lambda term: dropped.append(str(term)))
    expanded: list[Any] = processor.expand(copy.deepcopy(dict(doc)), loader.options())
    dropped.extend(_relative_iris(expanded))
    if dropped:
        raise UndefinedTerms(sorted(set(dropped)))
    return expanded


def _relative_iris(node: Any) -> list[str]:
    found: list[str] = []
    if isinstance(node, list):
        for item in node:
            found.extend(_relative_iris(item))
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "@type" and "@value" not in node:
                found.extend(v for v in (value if isinstance(value, list) else [value]) if not _absolute(v))
            elif key == "@id" and not (_absolute(value) or str(value).startswith("_:")):
                found.append(str(value))
            elif key != "@value":
                found.extend(_relative_iris(value))
    return found


def _absolute(iri: object) -> bool:
    return isinstance(iri, str) and ":" in iri and not iri.startswith(":")


def canonical_nquads(doc: Mapping[str, Any], *, loader: ShippedContexts | None = None) -> str:
    """RDFC-1.0 canonical N-Quads of a JSON-LD document, refusing undefined terms (expand_strict)."""
    loader = loader or shipped_contexts()
    expanded = expand_strict(doc, loader=loader)
    options = loader.options() | {"algorithm": "URDNA2015", "format": "application/n-quads"}
    nquads: str = jsonld.JsonLdProcessor().normalize(expanded, options)
    return nquads


def hash_data(doc: Mapping[str, Any], proof_options: Mapping[str, Any], *,
              loader: ShippedContexts | None = None) -> bytes:
    """vc-di-eddsa §3.2.4: SHA-256(canonical proof options) ‖ SHA-256(canonical document)."""
    unsecured = {k: v for k, v in doc.items() if k != "proof"}
    proof_hash = hashlib.sha256(canonical_nquads(proof_options, loader=loader).encode("utf-8")).digest()
    doc_hash = hashlib.sha256(canonical_nquads(unsecured, loader=loader).encode("utf-8")).digest()
    return proof_hash + doc_hash


def proof_options_of(doc: Mapping[str, Any], proof: Mapping[str, Any]) -> dict[str, Any]:
    """vc-di-eddsa §3.2.5: the proof without its proofValue, under the document's @context."""
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    options["@context"] = doc["@context"]
    return options


# --- signing and verifying ------------------------------------------------------------------------------------


def sign_credential(
    doc: Mapping[str, Any],
    *,
    sign: Callable[[bytes], bytes],
    verification_method: str,
    created: datetime | None = None,
    loader: ShippedContexts | None = None,
) -> dict[str, Any]:
    """The credential with an `eddsa-rdfc-2022` DataIntegrityProof added (vc-di-eddsa §3.2.1, module docstring).
    `sign` returns the raw 64-byte Ed25519 signature of its argument (certcrypto's `sign_bytes` with the active
    key); `created` defaults to now, in UTC to the second. Raises UndefinedTerms rather than sign a field the
    contexts do not define."""
    created = (created or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    proof: dict[str, Any] = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "verificationMethod": verification_method,
        "proofPurpose": PROOF_PURPOSE,
    }
    signature = sign(hash_data(doc, proof_options_of(doc, proof), loader=loader))
    if len(signature) != 64:
        raise ValueError("an Ed25519 signature is 64 bytes")
    signed = {k: copy.deepcopy(v) for k, v in doc.items() if k != "proof"}
    signed["proof"] = proof | {"proofValue": "z" + b58encode(signature)}
    return signed


@dataclass(frozen=True, slots=True)
class Verdict:
    """What verifying an uploaded credential found. `reason` is a stable code (`credential.*`), `message` the
    reason in the reader's language; `canonicalised` says whether JSON-LD processing ran at all."""

    valid: bool
    reason: str
    message: str
    certificate_number: str | None = None
    verification_method: str | None = None
    canonicalised: bool = False


def _verdict(valid: bool, reason: str, params: Mapping[str, Any] | None = None, **extra: Any) -> Verdict:
    return Verdict(valid=valid, reason=reason, message=render_message(reason, params or {}), **extra)


def parse_credential(raw: bytes | str) -> Any:
    """Parse uploaded JSON with the size bound checked before parsing; raises CredentialRefused."""
    size = len(raw.encode("utf-8") if isinstance(raw, str) else raw)
    if size > MAX_CREDENTIAL_BYTES:
        raise CredentialRefused(_verdict(False, "credential.too_large", {"max": MAX_CREDENTIAL_BYTES // 1024}))
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:  # RecursionError: nested too deep to parse
        raise CredentialRefused(_verdict(False, "credential.not_json")) from exc


class CredentialRefused(Exception):
    def __init__(self, verdict: Verdict) -> None:
        self.verdict = verdict
        super().__init__(verdict.reason)


def precheck(doc: Any, *, issuer_id: str, public_key_for: Callable[[str], bytes | None]) -> Verdict | None:
    """The checks made before any JSON-LD processing (module docstring): a refusal Verdict, or None to go on."""
    if not isinstance(doc, dict):
        return _verdict(False, "credential.not_json")
    objects, depth = _shape(doc)
    if objects > MAX_CREDENTIAL_OBJECTS or depth > MAX_CREDENTIAL_DEPTH:
        return _verdict(False, "credential.too_complex",
                        {"objects": MAX_CREDENTIAL_OBJECTS, "depth": MAX_CREDENTIAL_DEPTH})
    if len(json.dumps(doc, ensure_ascii=False).encode("utf-8")) > MAX_CREDENTIAL_BYTES:
        return _verdict(False, "credential.too_large", {"max": MAX_CREDENTIAL_BYTES // 1024})
    number = certificate_number_of(doc)
    if doc.get("@context") != list(CREDENTIAL_CONTEXT):
        return _verdict(False, "credential.wrong_context", certificate_number=number)
    issuer = doc.get("issuer")
    claimed = issuer.get("id") if isinstance(issuer, dict) else issuer
    if claimed != issuer_id:
        return _verdict(False, "credential.not_our_issuer", {"issuer": str(claimed)[:200]}, certificate_number=number)
    proof = doc.get("proof")
    if not isinstance(proof, dict):
        return _verdict(False, "credential.no_proof", certificate_number=number)
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != CRYPTOSUITE:
        return _verdict(False, "credential.wrong_proof", {"cryptosuite": str(proof.get("cryptosuite"))[:100]},
                        certificate_number=number)
    if proof.get("proofPurpose") != PROOF_PURPOSE:
        return _verdict(False, "credential.wrong_purpose", certificate_number=number)
    method = proof.get("verificationMethod")
    if not (isinstance(method, str) and method.startswith(issuer_id + "#") and public_key_for(method)):
        return _verdict(False, "credential.unknown_key", {"method": str(method)[:200]}, certificate_number=number)
    value = proof.get("proofValue")
    if not (isinstance(value, str) and value.startswith("z") and _b58_length(value[1:]) == 64):
        return _verdict(False, "credential.bad_proof_value", certificate_number=number, verification_method=method)
    return None


def _shape(doc: Any, *, max_objects: int = MAX_CREDENTIAL_OBJECTS,
           max_depth: int = MAX_CREDENTIAL_DEPTH) -> tuple[int, int]:
    """(objects, depth) of parsed JSON, walked without recursion and given up past the bounds (an upload nested
    thousands deep must not exhaust the stack)."""
    objects, deepest = 0, 0
    stack: list[tuple[Any, int]] = [(doc, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(node, dict):
            objects += 1
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)
        if objects > max_objects or deepest > max_depth:
            break
    return objects, deepest


def verify_credential(
    doc: Any,
    *,
    public_key_for: Callable[[str], bytes | None],
    issuer_id: str,
    loader: ShippedContexts | None = None,
) -> Verdict:
    """Verify an `eddsa-rdfc-2022` proof on a credential of ours (vc-di-eddsa §3.2.2), refusing anything not ours
    before canonicalising it (precheck). `public_key_for(verification_method)` returns the raw 32-byte Ed25519
    public key, or None for a method that is not one of our keys."""
    refused = precheck(doc, issuer_id=issuer_id, public_key_for=public_key_for)
    if refused is not None:
        return refused
    number = certificate_number_of(doc)
    proof = doc["proof"]
    method = proof["verificationMethod"]
    key = public_key_for(method)
    assert key is not None  # precheck
    facts = {"certificate_number": number, "verification_method": method, "canonicalised": True}
    try:
        data = hash_data(doc, proof_options_of(doc, proof), loader=loader)
    except UndefinedTerms as exc:
        return _verdict(False, "credential.undefined_terms", {"terms": ", ".join(exc.terms)[:500]}, **facts)
    except jsonld.JsonLdError as exc:
        return _verdict(False, "credential.not_json_ld", {"detail": str(exc).splitlines()[0][:200]}, **facts)
    try:
        Ed25519PublicKey.from_public_bytes(key).verify(b58decode(proof["proofValue"][1:]), data)
    except InvalidSignature:
        return _verdict(False, "credential.bad_signature", **facts)
    return _verdict(True, "credential.valid", **facts)


# --- Multikey and base58-btc ------------------------------------------------------------------------------------

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {c: i for i, c in enumerate(_B58)}


def b58encode(data: bytes) -> str:
    """Base58 (Bitcoin alphabet), as multibase `z` uses it."""
    number = int.from_bytes(data, "big")
    out = []
    while number:
        number, rest = divmod(number, 58)
        out.append(_B58[rest])
    pad = len(data) - len(data.lstrip(b"\0"))
    return "1" * pad + "".join(reversed(out))


def b58decode(text: str) -> bytes:
    """Inverse of b58encode; ValueError on a character outside the alphabet."""
    number = 0
    for char in text:
        if char not in _B58_INDEX:
            raise ValueError(f"not base58: {char!r}")
        number = number * 58 + _B58_INDEX[char]
    pad = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * pad + body


def _b58_length(text: str) -> int:
    if len(text) > 100:
        return -1
    try:
        return len(b58decode(text))
    except ValueError:
        return -1


def multikey_public(public_key: bytes) -> str:
    """An Ed25519 public key as `publicKeyMultibase` (multicodec 0xed01, base58-btc)."""
    return "z" + b58encode(ED25519_MULTICODEC + public_key)


def multikey_decode(multibase: str) -> bytes:
    """The raw 32-byte Ed25519 public key of a Multikey `z6Mk…`; ValueError for anything else."""
    if not multibase.startswith("z"):
        raise ValueError("not base58-btc multibase")
    raw = b58decode(multibase[1:])
    if raw[:2] != ED25519_MULTICODEC or len(raw) != 34:
        raise ValueError("not an Ed25519 multikey")
    return raw[2:]
