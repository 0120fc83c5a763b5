"""certification/credentials.py: the Open Badges 3.0 document of a certificate, its eddsa-rdfc-2022 proof, the
offline loader, and the refusal of credentials that are not ours before any JSON-LD processing. Keys are made
here (Ed25519, cryptography): these tests need no key store."""

from __future__ import annotations

import copy
import hashlib
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pyld import jsonld

from certification import credentials
from certification.domain.certificate_facts import CertificateFacts
from certification.domain.ladder import SkillLevel
from tests.certification.credential_steps import BASE, FACTS, ISSUER, STATUS


class Keys:
    """Two generations of the platform's key: `old` rotated out, `new` active; both verify what they signed."""

    def __init__(self) -> None:
        self.old = Ed25519PrivateKey.generate()
        self.new = Ed25519PrivateKey.generate()
        self.methods = {
            credentials.verification_method_for(ISSUER.id, "k2025"): self.old.public_key().public_bytes_raw(),
            credentials.verification_method_for(ISSUER.id, "k2026"): self.new.public_key().public_bytes_raw(),
        }
        self.asked: list[str] = []

    def public_key_for(self, method: str) -> bytes | None:
        self.asked.append(method)
        return self.methods.get(method)

    def sign(self, doc: dict, *, old: bool = False, loader: credentials.ShippedContexts | None = None) -> dict:
        key, kid = (self.old, "k2025") if old else (self.new, "k2026")
        return credentials.sign_credential(
            doc, sign=key.sign, verification_method=credentials.verification_method_for(ISSUER.id, kid),
            loader=loader,
        )


@pytest.fixture
def keys() -> Keys:
    return Keys()


def _document(**changes) -> dict:
    facts = FACTS if not changes else CertificateFacts(**{**{f: getattr(FACTS, f) for f in FACTS.__slots__},
                                                          **changes})
    return credentials.credential_document(facts, issuer=ISSUER, subject_id="did:example:holder", status=STATUS)


def _verify(doc, keys: Keys, loader: credentials.ShippedContexts | None = None) -> credentials.Verdict:
    return credentials.verify_credential(doc, public_key_for=keys.public_key_for, issuer_id=ISSUER.id, loader=loader)


# --- the document -----------------------------------------------------------------------------------------------


def test_the_document_is_an_open_badge_credential_of_the_certificate() -> None:
    doc = _document()
    assert doc["@context"] == ["https://www.w3.org/ns/credentials/v2",
                               "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
    assert doc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert doc["id"] == "urn:jineng-shandong:certificate:S000037000123264000001"
    assert doc["issuer"] == {"id": f"{BASE}/certification/credentials/issuer", "type": ["Profile"],
                             "name": "技能山东职业技能等级认定平台", "url": BASE}
    assert doc["validFrom"] == "2026-11-30T00:00:00+08:00"
    subject = doc["credentialSubject"]
    assert subject["id"] == "did:example:holder"
    assert subject["type"] == ["AchievementSubject"]
    assert subject["licenseNumber"] == FACTS.number
    assert subject["identifier"] == [
        {"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": "王𠅤䶮"}]
    assert subject["source"]["name"] == "济南市技能评价中心"
    achievement = subject["achievement"]
    assert achievement["achievementType"] == "Certification"
    assert achievement["name"] == "焊工职业技能等级证书（四级/中级工）"
    assert achievement["humanCode"] == "6-18-02-04"
    assert "理论知识考试" in achievement["criteria"]["narrative"]
    assert doc["credentialStatus"] == {
        "id": f"{BASE}/certification/status/1#97531",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "97531",
        "statusListCredential": f"{BASE}/certification/status/1",
    }


def test_the_id_number_is_not_in_the_credential_even_masked() -> None:
    text = json.dumps(_document(), ensure_ascii=False)
    assert FACTS.id_number_masked not in text
    assert "1234" not in text.replace(FACTS.number, "")


def test_an_appointment_letter_names_its_title() -> None:
    doc = _document(title="特级技师", level=SkillLevel(1), issuer_name="山东重工集团有限公司")
    achievement = doc["credentialSubject"]["achievement"]
    assert achievement["name"] == "焊工特级技师"
    assert "评聘" in achievement["criteria"]["narrative"]
    assert achievement["id"].startswith("urn:jineng-shandong:achievement:6-18-02-04:title:")


def test_the_document_without_holder_id_or_status_leaves_both_out() -> None:
    doc = credentials.credential_document(FACTS, issuer=ISSUER, subject_id=None, status=None)
    assert "id" not in doc["credentialSubject"]
    assert "credentialStatus" not in doc


@pytest.mark.parametrize("case", ["level", "appointment", "bare"])
def test_expanding_the_document_drops_no_term(case: str) -> None:
    """Every term of the document is defined by the shipped contexts: pyld's expansion, told to report every
    property it drops, reports none, and every key of the document reappears as an absolute IRI."""
    if case == "level":
        doc = _document()
    elif case == "appointment":
        doc = _document(title="首席技师", level=SkillLevel(1))
    else:
        doc = credentials.credential_document(FACTS, issuer=ISSUER, subject_id=None, status=None)
    signed = Keys().sign(doc)
    dropped: list[str | None] = []
    loader = credentials.ShippedContexts()
    expanded = jsonld.JsonLdProcessor(on_property_dropped=dropped.append).expand(signed, loader.options())
    assert dropped == []
    keys_in = _keys(signed) - {"@context", "id", "type"}
    iris_out = _keys(expanded)
    assert all(":" in iri or iri.startswith("@") for iri in iris_out)
    assert len(iris_out - {"@id", "@type", "@value", "@graph", "@list"}) >= len(keys_in)


def _keys(node) -> set[str]:
    found: set[str] = set()
    if isinstance(node, list):
        for item in node:
            found |= _keys(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            found.add(key)
            found |= _keys(value)
    return found


def test_signing_refuses_a_field_the_contexts_do_not_define(keys: Keys) -> None:
    doc = _document()
    doc["credentialSubject"]["idNumber"] = "370102199001011234"
    with pytest.raises(credentials.UndefinedTerms) as caught:
        keys.sign(doc)
    assert caught.value.terms == ["idNumber"]


def test_signing_refuses_a_type_the_contexts_do_not_define(keys: Keys) -> None:
    doc = _document()
    doc["type"].append("SkillCertificate")
    with pytest.raises(credentials.UndefinedTerms) as caught:
        keys.sign(doc)
    assert caught.value.terms == ["SkillCertificate"]


# --- signing and verifying --------------------------------------------------------------------------------------


def test_a_signed_credential_verifies(keys: Keys) -> None:
    signed = keys.sign(_document())
    proof = signed["proof"]
    assert proof["type"] == "DataIntegrityProof"
    assert proof["cryptosuite"] == "eddsa-rdfc-2022"
    assert proof["proofPurpose"] == "assertionMethod"
    assert proof["verificationMethod"] == f"{BASE}/certification/credentials/issuer#k2026"
    assert proof["proofValue"].startswith("z")
    verdict = _verify(signed, keys)
    assert verdict.valid, verdict
    assert verdict.reason == "credential.valid"
    assert verdict.certificate_number == FACTS.number
    assert verdict.canonicalised


def test_a_credential_signed_with_a_rotated_key_still_verifies(keys: Keys) -> None:
    old = keys.sign(_document(), old=True)
    new = keys.sign(_document())
    assert _verify(old, keys).valid
    assert _verify(new, keys).valid
    assert old["proof"]["proofValue"] != new["proof"]["proofValue"]


@pytest.mark.parametrize(
    "tamper",
    [
        lambda d: d["credentialSubject"].__setitem__("licenseNumber", "S000037000123264000002"),
        lambda d: d["credentialSubject"]["identifier"][0].__setitem__("identityHash", "王二"),
        lambda d: d["credentialSubject"]["achievement"].__setitem__("name", "焊工职业技能等级证书（一级/高级技师）"),
        lambda d: d.__setitem__("validFrom", "2020-01-01T00:00:00+08:00"),
        lambda d: d["credentialStatus"].__setitem__("statusListIndex", "1"),
        lambda d: d["proof"].__setitem__("created", "2020-01-01T00:00:00Z"),
        lambda d: d.pop("credentialStatus"),
    ],
    ids=["number", "name", "level", "date", "status-slot", "proof-created", "status-removed"],
)
def test_a_tampered_credential_fails_with_bad_signature(keys: Keys, tamper) -> None:
    signed = keys.sign(_document())
    tamper(signed)
    verdict = _verify(signed, keys)
    assert not verdict.valid
    assert verdict.reason == "credential.bad_signature"
    assert "签名不匹配" in verdict.message


def test_a_proof_value_from_another_credential_fails(keys: Keys) -> None:
    one = keys.sign(_document())
    other = keys.sign(_document(number="S000037000123264000002"))
    one["proof"]["proofValue"] = other["proof"]["proofValue"]
    assert _verify(one, keys).reason == "credential.bad_signature"


def test_a_field_added_after_signing_is_refused_as_undefined_not_ignored(keys: Keys) -> None:
    signed = keys.sign(_document())
    signed["credentialSubject"]["note"] = "特批"
    verdict = _verify(signed, keys)
    assert not verdict.valid
    assert verdict.reason == "credential.undefined_terms"
    assert "note" in verdict.message


# --- refusing what is not ours, before canonicalising -----------------------------------------------------------


def _foreign(signed: dict, keys: Keys) -> dict[str, object]:
    """Credentials that are not ours, each with the reason it must be refused for."""
    other_key = Ed25519PrivateKey.generate()
    wrong_issuer = copy.deepcopy(signed)
    wrong_issuer["issuer"]["id"] = "https://issuer.example/badges"
    wrong_issuer["proof"]["verificationMethod"] = "https://issuer.example/badges#key-1"
    string_issuer = copy.deepcopy(signed)
    string_issuer["issuer"] = "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
    extra_context = copy.deepcopy(signed)
    extra_context["@context"].append("https://www.w3.org/ns/credentials/examples/v2")
    old_context = copy.deepcopy(signed)
    old_context["@context"][1] = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json"
    unknown_key = copy.deepcopy(signed)
    unknown_key["proof"]["verificationMethod"] = credentials.verification_method_for(ISSUER.id, "forged")
    other_suite = copy.deepcopy(signed)
    other_suite["proof"]["cryptosuite"] = "eddsa-jcs-2022"
    ed2020 = copy.deepcopy(signed)
    ed2020["proof"]["type"] = "Ed25519Signature2020"
    no_proof = {k: v for k, v in signed.items() if k != "proof"}
    proof_set = copy.deepcopy(signed)
    proof_set["proof"] = [signed["proof"], signed["proof"]]
    authentication = copy.deepcopy(signed)
    authentication["proof"]["proofPurpose"] = "authentication"
    short_value = copy.deepcopy(signed)
    short_value["proof"]["proofValue"] = "z" + credentials.b58encode(other_key.sign(b"x")[:32])
    base64_value = copy.deepcopy(signed)
    base64_value["proof"]["proofValue"] = "u" + "A" * 86
    many = copy.deepcopy(signed)
    many["evidence"] = [{"type": ["Evidence"], "name": str(n)} for n in range(credentials.MAX_CREDENTIAL_OBJECTS)]
    deep = copy.deepcopy(signed)
    node = deep["credentialSubject"]["achievement"]
    for _ in range(credentials.MAX_CREDENTIAL_DEPTH):
        node["related"] = {"type": ["Related"]}
        node = node["related"]
    huge = copy.deepcopy(signed)
    huge["description"] = "字" * credentials.MAX_CREDENTIAL_BYTES
    return {
        "credential.not_our_issuer": [wrong_issuer, string_issuer],
        "credential.wrong_context": [extra_context, old_context, {**signed, "@context": "https://www.w3.org/ns/credentials/v2"}],
        "credential.unknown_key": [unknown_key],
        "credential.wrong_proof": [other_suite, ed2020],
        "credential.no_proof": [no_proof, proof_set],
        "credential.wrong_purpose": [authentication],
        "credential.bad_proof_value": [short_value, base64_value],
        "credential.too_large": [huge],
        "credential.too_complex": [many, deep],
        "credential.not_json": [[signed], "a string", None, 7],
    }


def test_a_credential_that_is_not_ours_is_refused_with_its_reason_and_never_canonicalised(keys: Keys) -> None:
    signed = keys.sign(_document())
    cases = _foreign(signed, keys)
    assert sum(len(docs) for docs in cases.values()) >= 19
    for reason, docs in cases.items():
        for doc in docs:
            loader = credentials.ShippedContexts()  # records every URL the JSON-LD processor asks for
            verdict = _verify(doc, keys, loader=loader)
            assert not verdict.valid
            assert verdict.reason == reason, (reason, verdict)
            assert not verdict.canonicalised
            assert loader.calls == [], reason  # pyld never ran: it would have asked for the contexts first


def test_the_recording_loader_does_see_a_credential_that_is_canonicalised(keys: Keys) -> None:
    """The counter-check of the test above: the same recorder sees the contexts when pyld runs."""
    loader = credentials.ShippedContexts()
    assert _verify(keys.sign(_document()), keys, loader=loader).valid
    assert set(loader.calls) == set(credentials.CREDENTIAL_CONTEXT)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"[" * 30_000 + b"]" * 30_000, "credential.not_json"),  # deeper than the JSON parser goes
        (b'{"a":' * 900 + b"1" + b"}" * 900, "credential.too_complex"),  # parses, refused without recursion
    ],
)
def test_an_upload_nested_thousands_deep_is_refused_not_crashed(keys: Keys, raw: bytes, reason: str) -> None:
    try:
        doc = credentials.parse_credential(raw)
    except credentials.CredentialRefused as refused:
        verdict = refused.verdict
    else:
        verdict = _verify(doc, keys)
    assert verdict.reason == reason


def test_parse_refuses_an_oversized_upload_before_parsing_it() -> None:
    with pytest.raises(credentials.CredentialRefused) as caught:
        credentials.parse_credential(b"[" * (credentials.MAX_CREDENTIAL_BYTES + 1))
    assert caught.value.verdict.reason == "credential.too_large"
    with pytest.raises(credentials.CredentialRefused) as caught:
        credentials.parse_credential(b"{not json")
    assert caught.value.verdict.reason == "credential.not_json"


# --- the offline loader and the shipped contexts ----------------------------------------------------------------


def test_the_loader_refuses_any_url_it_does_not_ship() -> None:
    loader = credentials.ShippedContexts()
    doc = {"@context": ["https://www.w3.org/ns/credentials/v2", "https://evil.example/context.jsonld"],
           "type": ["VerifiableCredential"]}
    with pytest.raises(jsonld.JsonLdError):
        credentials.canonical_nquads(doc, loader=loader)
    assert loader.calls[-1] == "https://evil.example/context.jsonld"


def test_a_remote_context_inside_a_credential_of_ours_fails_verification_without_fetching(keys: Keys) -> None:
    signed = keys.sign(_document())
    signed["credentialSubject"]["@context"] = "https://evil.example/context.jsonld"
    verdict = _verify(signed, keys)
    assert verdict.reason == "credential.not_json_ld"


@pytest.mark.parametrize(
    ("url", "sha256"),
    [
        ("https://www.w3.org/ns/credentials/v2", "8a9f494a89ecc51db093e90e84713e07e84d6d9204364a9b3c7868b21751236f"),
        ("https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
         "ef2fa9c7846dce233cc166b43639027278be4ee44f00bb1d45c75de2dd0cd761"),
    ],
)
def test_the_shipped_contexts_are_the_recorded_files(url: str, sha256: str) -> None:
    """certification/contexts/SOURCES.md records where each file came from and its hash; a change is deliberate."""
    path = credentials.CONTEXTS_DIR / credentials.SHIPPED_CONTEXT_FILES[url]
    assert hashlib.sha256(path.read_bytes()).hexdigest() == sha256
    assert sha256 in (credentials.CONTEXTS_DIR / "SOURCES.md").read_text(encoding="utf-8")


def test_the_controller_document_lists_every_key_for_assertion() -> None:
    keys = Keys()
    listed = [(m.rsplit("#", 1)[1], credentials.multikey_public(k)) for m, k in keys.methods.items()]
    doc = credentials.controller_document(ISSUER.id, listed)
    assert doc["id"] == ISSUER.id
    assert [m["id"] for m in doc["verificationMethod"]] == doc["assertionMethod"] == list(keys.methods)
    for method in doc["verificationMethod"]:
        assert method["type"] == "Multikey"
        assert method["controller"] == ISSUER.id
        assert credentials.multikey_decode(method["publicKeyMultibase"]) == keys.methods[method["id"]]


def test_the_verdict_reads_in_the_readers_language(keys: Keys) -> None:
    from django.utils import translation

    signed = keys.sign(_document())
    signed["issuer"]["id"] = "https://issuer.example"
    with translation.override("en"):
        verdict = _verify(signed, keys)
    assert verdict.message == 'The credential\'s issuer "https://issuer.example" is not this platform.'
    with translation.override("zh-hans"):
        assert _verify(signed, keys).message == "凭证的签发者“https://issuer.example”不是本平台。"
