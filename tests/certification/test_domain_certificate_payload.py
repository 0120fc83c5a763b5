"""The signed bytes and the QR payload of a certificate (certification/domain/certificate_payload.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certification.domain import certificate_payload as cp
from certification.domain.certificate_facts import CertificateFacts
from tests.certification.crypto_steps import sample_facts

SIG = cp.b64url_encode(bytes(range(64)))
BASE = "https://jineng.example.cn"


def _url(facts: CertificateFacts | None = None) -> str:
    return cp.verification_url(BASE, facts or sample_facts(), cp.FactsSignature("abcd2345", SIG))


def test_message_is_tag_then_fields_joined_by_unit_separator() -> None:
    assert cp.facts_message(sample_facts()) == (
        "jnsd-cert/1\x1fS000037000123264000001\x1f王小明\x1f3701**********1234\x1f6-18-02-04\x1f焊工\x1f4\x1f"
        "\x1f山东省职业技能鉴定中心\x1f2026-11-30\x1f0\x1f98765").encode()


def test_name_is_signed_as_given_not_normalised() -> None:
    composed, decomposed = "\u00e9", "e\u0301"
    assert cp.facts_message(sample_facts(holder_name=composed)) != cp.facts_message(
        sample_facts(holder_name=decomposed))


def test_facts_without_a_status_slot_are_not_signed() -> None:
    with pytest.raises(cp.PayloadError) as caught:
        cp.facts_message(sample_facts(status_index=None))
    assert caught.value.code == "payload.no_status_slot"


def test_a_control_character_in_a_field_is_refused_not_escaped() -> None:
    with pytest.raises(cp.PayloadError) as caught:
        cp.facts_message(sample_facts(holder_name="王\x1f小明"))
    assert caught.value.code == "payload.control_character"


@pytest.mark.parametrize("name", ["王小明", "𠅤䶮明", "李"])
def test_url_round_trips(name: str) -> None:
    facts = sample_facts(holder_name=name, title="特级技师")
    parsed = cp.parse_payload(_url(facts), cp.verify_prefix(BASE))
    assert parsed.facts == facts
    assert parsed.signed == cp.FactsSignature("abcd2345", SIG)
    assert parsed.message == cp.facts_message(facts)


def test_payload_of_a_three_character_name_stays_small() -> None:
    url = _url()
    print(f"QR payload for a 3-character name: {len(url)} characters: {url}")
    assert len(url) <= 321  # what version 16 holds at error correction Q (byte mode)


@pytest.mark.parametrize(("text", "code"), [
    ("", "payload.empty"),
    ("S000037000123264000001", "payload.number_only"),
    ("2.abcd2345.AAAA.AAAA", "payload.unknown_version"),
    ("1.abcd2345", "payload.truncated"),
    ("1.abcd2345.AAAA.AAAA.AAAA", "payload.too_many_parts"),
    ("1.ABCD.AAAA." + SIG, "payload.bad_key_id"),
    ("1.abcd2345.AA+A." + SIG, "payload.bad_base64"),
    ("1.abcd2345.AAB." + SIG, "payload.bad_base64"),  # non-canonical spare bits
    ("1.abcd2345.A." + SIG, "payload.bad_base64"),
    ("1.abcd2345.AAAA." + SIG[:-4], "payload.truncated"),
    ("1.abcd2345." + cp.b64url_encode(b"\xff\xfe") + "." + SIG, "payload.bad_utf8"),
    ("1.abcd2345." + cp.b64url_encode(b"a\x1fb") + "." + SIG, "payload.field_count"),
    ("https://evil.example.com/verify/1.abcd2345.AAAA." + SIG, "payload.not_ours"),
])
def test_malformed_payloads_name_their_reason(text: str, code: str) -> None:
    with pytest.raises(cp.PayloadError) as caught:
        cp.parse_payload(text, cp.verify_prefix(BASE))
    assert caught.value.code == code


@pytest.mark.parametrize(("field", "value", "code"), [
    ("number", "S00003700012326400000", "payload.bad_number"),
    ("number", "X000037000123264000001", "payload.bad_number"),
    ("number", "S000037000123269000001", "payload.bad_number"),
    ("level", "7", "payload.bad_level"),
    ("issued_on", "2026-02-30", "payload.bad_date"),
    ("status_index", "012", "payload.bad_status_slot"),
    ("status_index", "99999999", "payload.bad_status_slot"),
])
def test_bad_facts_inside_a_token_name_their_reason(field: str, value: str, code: str) -> None:
    fields = cp.facts_body(sample_facts()).decode().split("\x1f")
    index = {"number": 0, "level": 5, "issued_on": 8, "status_index": 10}[field]
    fields[index] = value
    token = "1.abcd2345." + cp.b64url_encode("\x1f".join(fields).encode()) + "." + SIG
    with pytest.raises(cp.PayloadError) as caught:
        cp.parse_token(token)
    assert caught.value.code == code


@given(st.text(min_size=1, max_size=12), st.sampled_from(["", "特级技师"]))
def test_any_facts_round_trip_through_a_token(name: str, title: str) -> None:
    if any(ch in name for ch in "\x1f") or any(cp.unicodedata.category(ch) == "Cc" for ch in name):
        return
    facts = sample_facts(holder_name=name, title=title)
    assert cp.parse_token(cp.token(facts, cp.FactsSignature("k1", SIG))).facts == facts
