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


KID = "abcd2345"


def _url(facts: CertificateFacts | None = None) -> str:
    return cp.verification_url(BASE, facts or sample_facts(), cp.FactsSignature(KID, SIG))


def _token(facts: CertificateFacts | None = None) -> str:
    return cp.token(facts or sample_facts(), cp.FactsSignature(KID, SIG))


def _with_rest(rest: str) -> str:
    return "1" + f"{len(rest):03d}" + rest


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


@pytest.mark.parametrize("changes", [
    {"holder_name": "王小明"}, {"holder_name": "𠅤䶮明", "title": "特级技师", "level": 1},
    {"holder_name": "李", "number": "Y000037000123265999999", "level": 5},
    {"status_list_no": 65535, "status_index": 131071, "issued_on": cp.date(2000, 1, 1)},
])
def test_url_round_trips(changes: dict[str, object]) -> None:
    facts = sample_facts(**changes)
    parsed = cp.parse_payload(_url(facts), cp.verify_prefix(BASE))
    assert parsed.facts == facts
    assert parsed.signed == cp.FactsSignature(KID, SIG)
    assert parsed.message == cp.facts_message(facts)


def test_the_token_is_digits_only() -> None:
    assert _token().isdigit()


def test_payload_of_a_three_character_name_stays_small() -> None:
    url = _url()
    print(f"QR payload for a 3-character name: {len(url)} characters: {url}")
    assert len(url) < 460


@pytest.mark.parametrize(("text", "code"), [
    ("", "payload.empty"),
    ("S000037000123264000001", "payload.number_only"),
    ("2012345", "payload.unknown_version"),
    ("1012345x", "payload.not_digits"),
    ("１0", "payload.not_digits"),  # full-width digit
    ("10", "payload.truncated"),
    ("1005123", "payload.truncated"),
    ("100312345", "payload.too_long"),
    ("1003012", "payload.not_canonical"),
    (_with_rest("12345"), "payload.not_canonical"),
    ("https://evil.example.com/verify/1003123", "payload.not_ours"),
    ("https://jineng.example.cn/check/1003123", "payload.not_ours"),
])
def test_malformed_payloads_name_their_reason(text: str, code: str) -> None:
    with pytest.raises(cp.PayloadError) as caught:
        cp.parse_payload(text, cp.verify_prefix(BASE))
    assert caught.value.code == code


def test_a_truncated_token_says_truncated() -> None:
    with pytest.raises(cp.PayloadError) as caught:
        cp.parse_token(_token()[:-7])
    assert caught.value.code == "payload.truncated"


def _blob_token(edit: object) -> str:
    blob = bytearray(cp._blob(sample_facts(), KID, bytes(64)))
    edit(blob)  # type: ignore[operator]
    return _with_rest(str(int.from_bytes(bytes(blob), "big")))


@pytest.mark.parametrize(("edit", "code"), [
    (lambda b: b.__setitem__(6, 0x70), "payload.bad_level"),  # level 7
    (lambda b: b.__setitem__(6, 0x42), "payload.bad_level"),  # a stray header bit
    (lambda b: b.__setitem__(slice(7, 16), (10**21).to_bytes(9, "big")), "payload.bad_number"),
    (lambda b: b.__setitem__(slice(7, 16), (123269000001).to_bytes(9, "big")), "payload.bad_number"),  # level 9
    (lambda b: b.__setitem__(23, 0xFF), "payload.bad_utf8"),
    (lambda b: b.__setitem__(slice(23, 26), b"A\x1fB"), "payload.field_count"),  # 王 → A, B
    (lambda b: b.__setitem__(slice(23, 26), b"A\x07B"), "payload.control_character"),
])
def test_bad_parts_inside_a_token_name_their_reason(edit: object, code: str) -> None:
    with pytest.raises(cp.PayloadError) as caught:
        cp.parse_token(_blob_token(edit))
    assert caught.value.code == code


@given(st.text(min_size=1, max_size=12), st.sampled_from(["", "特级技师"]), st.integers(0, 131071))
def test_any_facts_round_trip_through_a_token(name: str, title: str, index: int) -> None:
    if any(cp.unicodedata.category(ch) == "Cc" for ch in name):
        return
    facts = sample_facts(holder_name=name, title=title, status_index=index)
    assert cp.parse_token(cp.token(facts, cp.FactsSignature(KID, SIG))).facts == facts
