"""Workstation numbers typed as ranges (competitions.domain.workstations): table-driven, plus the round trip of
`compress_workstation_numbers` through `expand_workstation_numbers`."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from competitions.domain.workstations import compress_workstation_numbers, expand_workstation_numbers


@pytest.mark.parametrize(("text", "first", "last", "count"), [
    ("H01–H40", "H01", "H40", 40),
    ("H01-H10", "H01", "H10", 10),
    ("H01~H03, H07", "H01", "H07", 4),
    ("H01 至 H05", "H01", "H05", 5),
    ("H01–05", "H01", "H05", 5),  # the end may leave its prefix out
    ("1-30", "1", "30", 30),
    ("H1–H12", "H1", "H12", 12),  # no padding typed, none added
    ("H98–H101", "H98", "H101", 4),  # wider than the start keeps its digits
    ("A-01-A-03", "A-01", "A-03", 3),
    ("H05", "H05", "H05", 1),
    ("H01、H02；H03\nH04", "H01", "H04", 4),
])
def test_good_texts_expand_in_order(text: str, first: str, last: str, count: int) -> None:
    result = expand_workstation_numbers(text)
    assert result.problems == ()
    assert (result.numbers[0], result.numbers[-1], len(result.numbers)) == (first, last, count)


@pytest.mark.parametrize(("text", "codes"), [
    ("H40–H01", ["workstations.reversed"]),
    ("H01–J40", ["workstations.mixed_prefixes"]),
    ("H001–H999", ["workstations.too_many"]),
    ("H001–H300, H301–H600", ["workstations.too_many"]),  # too many altogether, each part fine
    ("H01–H05, H03", ["workstations.duplicate"]),
    ("", ["workstations.empty"]),
    ("H", ["workstations.unreadable"]),
    ("H40–H01, H01–J02, ???", ["workstations.reversed", "workstations.mixed_prefixes", "workstations.unreadable"]),
    ("ABCDEFGHIJKLMNOPQRSTU1", ["workstations.too_long"]),
])
def test_bad_texts_name_every_problem_and_expand_to_nothing(text: str, codes: list[str]) -> None:
    result = expand_workstation_numbers(text)
    assert [p.code for p in result.problems] == codes
    assert result.numbers == ()


def test_messages_say_what_to_type_instead() -> None:
    (reversed_,) = expand_workstation_numbers("H40–H01").problems
    assert "H01–H40" in reversed_.message
    (mixed,) = expand_workstation_numbers("H01–J40").problems
    assert "前缀" in mixed.message
    (many,) = expand_workstation_numbers("1-900").problems
    assert "500" in many.message and "900" in many.message


def test_compress_reads_back_as_ranges() -> None:
    assert compress_workstation_numbers(["H03", "H01", "H02", "H05", "J1"]) == "H01–H03、H05、J1"
    assert compress_workstation_numbers([]) == ""


@given(st.sets(st.integers(min_value=1, max_value=120), min_size=1, max_size=60))
def test_compressed_numbers_expand_to_the_same_set(numbers: set[int]) -> None:
    typed = [f"H{n:03d}" for n in numbers]
    again = expand_workstation_numbers(compress_workstation_numbers(typed))
    assert again.problems == () and sorted(again.numbers) == sorted(typed)
