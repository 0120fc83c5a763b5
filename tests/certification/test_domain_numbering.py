"""Certificate numbers (certification.domain.numbering): format, parse with reasons, round trip."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certification.domain.numbering import (
    InvalidNumber,
    NumberKind,
    NumberParts,
    format_number,
    next_serial,
    parse_number,
)
from core.errors import RuleBroken

EXAMPLE = "S000037000123264000001"


def test_design_example_parses_into_its_parts() -> None:
    parts = parse_number(EXAMPLE)
    assert parts == NumberParts(NumberKind.SOCIAL, "0000", "37", "000123", 26, 4, 1)
    assert format_number(parts) == EXAMPLE
    assert len(EXAMPLE) == 22


@pytest.mark.parametrize("typed", [
    " S000037000123264000001 ", "s000037000123264000001", "S0000-37-000123-26-4-000001",
    "S 0000 37 000123 26 4 000001", "Ｓ００００３７０００１２３２６４０００００１",
])
def test_typed_forms_a_person_cannot_see_are_forgiven(typed: str) -> None:
    assert parse_number(typed).number == EXAMPLE


@pytest.mark.parametrize(("typed", "code", "parts"), [
    ("", "certificate_number.empty", None),
    ("S00003700012326400000", "certificate_number.length", None),
    ("S0000370001232640000011", "certificate_number.length", None),
    ("X000037000123264000001", "certificate_number.kind", None),
    ("1000037000123264000001", "certificate_number.kind", None),
    ("S00A037000123264000001", "certificate_number.parts", ["agency_code"]),
    ("S0000A7000123264000001", "certificate_number.parts", ["province_code"]),
    ("S000037000000264000001", "certificate_number.parts", ["site_serial"]),
    ("S00003700012326X000001", "certificate_number.parts", ["level"]),
    ("S000037000123266000001", "certificate_number.parts", ["level"]),
    ("S000037000123260000001", "certificate_number.parts", ["level"]),
    ("S000037000123264000000", "certificate_number.parts", ["serial"]),
    ("S0000370001232A6000001", "certificate_number.parts", ["year", "level"]),
    ("S0000370001232A4000001", "certificate_number.parts", ["year"]),
    ("S000037000123264٣00001", "certificate_number.parts", ["serial"]),  # Arabic-Indic digit: not ASCII
])
def test_bad_numbers_are_refused_naming_what_is_wrong(typed: str, code: str, parts: list[str] | None) -> None:
    with pytest.raises(InvalidNumber) as caught:
        parse_number(typed)
    assert caught.value.code == code
    assert isinstance(caught.value, RuleBroken)
    if parts is not None:
        assert caught.value.params["parts"] == parts


def test_every_wrong_part_is_named_at_once() -> None:
    with pytest.raises(InvalidNumber) as caught:
        parse_number("SAAAA3700000026X000000")
    assert caught.value.params["parts"] == ["agency_code", "site_serial", "level", "serial"]
    assert "机构代码" in caught.value.message and "流水号" in caught.value.message


def test_format_refuses_parts_out_of_range() -> None:
    with pytest.raises(InvalidNumber):
        format_number(NumberParts(NumberKind.ENTERPRISE, "0000", "37", "000001", 26, 6, 1))
    with pytest.raises(InvalidNumber):
        format_number(NumberParts(NumberKind.ENTERPRISE, "0000", "37", "000001", 26, 1, 1_000_000))


def test_serials_run_from_one_and_stop_at_the_largest() -> None:
    assert next_serial(0) == 1
    assert next_serial(41) == 42
    with pytest.raises(RuleBroken):
        next_serial(999_999)


digits = st.text(alphabet="0123456789", min_size=1, max_size=1)


@given(kind=st.sampled_from(list(NumberKind)), agency=st.from_regex(r"\A[0-9]{4}\Z"),
       province=st.from_regex(r"\A[0-9]{2}\Z"), site=st.integers(1, 999_999), year=st.integers(0, 99),
       level=st.integers(1, 5), serial=st.integers(1, 999_999))
def test_format_then_parse_is_the_identity(kind: NumberKind, agency: str, province: str, site: int, year: int,
                                           level: int, serial: int) -> None:
    parts = NumberParts(kind, agency, province, f"{site:06d}", year, level, serial)
    number = format_number(parts)
    assert len(number) == 22
    assert parse_number(number) == parts
