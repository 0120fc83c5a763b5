"""ID card numbers (GB 11643), mobile numbers and their masks."""

from __future__ import annotations

import random
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accounts.identity import (
    InvalidIdNumber,
    InvalidMobile,
    Sex,
    age_on,
    check_character,
    mask_id_number,
    mask_mobile,
    normalise_mobile,
    parse_id_number,
    shown_id_number,
    shown_mobile,
)
from accounts.synthetic import synthetic_id_number

TODAY = date(2026, 11, 22)


def test_check_character_of_the_published_example() -> None:
    # GB 11643-1999's worked example: 11010519491231002 has check character X.
    assert check_character("11010519491231002") == "X"


def test_valid_number_gives_birth_date_sex_and_region() -> None:
    info = parse_id_number("11010519491231002x", today=TODAY)
    assert info.number == "11010519491231002X"
    assert info.birth_date == date(1949, 12, 31)
    assert info.sex is Sex.FEMALE  # 17th digit 2 is even
    assert info.region_code == "110105"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "id_number.format"),
        ("1101051949123100", "id_number.format"),  # 16 characters
        ("110105194912310", "id_number.format"),  # the 15-digit first generation is refused
        ("11010519491231002Y", "id_number.format"),
        ("A1010519491231002X", "id_number.format"),
        ("99010519491231002X", "id_number.region"),  # no province 99
        ("11010519491331002X", "id_number.birth_date"),  # month 13
        ("11010519490230002X", "id_number.birth_date"),  # 30 February
        ("11010520991231002X", "id_number.birth_date"),  # born in the future
        ("11010518991231002X", "id_number.birth_date"),  # before 1900
        ("110105194912310021", "id_number.check_digit"),
    ],
)
def test_invalid_numbers_name_the_broken_rule(value: str, code: str) -> None:
    with pytest.raises(InvalidIdNumber) as caught:
        parse_id_number(value, today=TODAY)
    assert caught.value.code == code


@given(
    born=st.dates(min_value=date(1930, 1, 1), max_value=date(2010, 12, 31)),
    male=st.booleans(),
    seed=st.integers(0, 10_000),
)
def test_every_synthetic_number_is_valid_and_round_trips(born: date, male: bool, seed: int) -> None:
    number = synthetic_id_number(random.Random(seed), born=born, male=male)
    info = parse_id_number(number, today=TODAY)
    assert info.birth_date == born
    assert (info.sex is Sex.MALE) == male


@given(position=st.integers(0, 16), seed=st.integers(0, 1000))
def test_changing_any_one_digit_is_caught(position: int, seed: int) -> None:
    number = synthetic_id_number(random.Random(seed), born=date(1990, 1, 15), male=True)
    digit = int(number[position])
    tampered = number[:position] + str((digit + 1) % 10) + number[position + 1:]
    with pytest.raises(InvalidIdNumber):
        parse_id_number(tampered, today=TODAY)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("13812345678", "13812345678"), ("+86 138 1234 5678", "13812345678"), ("86-19912345678", "19912345678")],
)
def test_mobile_numbers_are_normalised(value: str, expected: str) -> None:
    assert normalise_mobile(value) == expected


@pytest.mark.parametrize("value", ["12812345678", "1381234567", "138123456789", "phone", "10012345678"])
def test_bad_mobile_numbers_are_refused(value: str) -> None:
    with pytest.raises(InvalidMobile) as caught:
        normalise_mobile(value)
    assert caught.value.code == "mobile.format"


def test_masks_keep_only_what_recognises_the_record() -> None:
    assert mask_id_number("370102199001011234") == "3701**********1234"
    assert mask_mobile("13812345678") == "138****5678"
    assert mask_id_number("") == "" and mask_mobile("") == ""


@pytest.mark.parametrize(
    ("full", "id_number", "mobile"),
    [(True, "370102199001011234", "13812345678"), (False, "3701**********1234", "138****5678")],
)
def test_numbers_are_shown_whole_only_to_who_may_see_them(full: bool, id_number: str, mobile: str) -> None:
    assert shown_id_number("370102199001011234", full=full) == id_number
    assert shown_mobile("13812345678", full=full) == mobile
    assert shown_id_number("", full=full) == "" and shown_mobile("", full=full) == ""


def test_age_counts_whole_years_on_the_day() -> None:
    assert age_on(date(2000, 11, 22), TODAY) == 26
    assert age_on(date(2000, 11, 23), TODAY) == 25
    assert age_on(date(2004, 2, 29), date(2026, 2, 28)) == 21
    assert age_on(date(2004, 2, 29), date(2026, 3, 1)) == 22


@pytest.mark.parametrize(
    "typed",
    ["１１０１０５１９４９１２３１００２Ｘ", "110105 19491231 002x", "\u3000１１０１０５１９４９１２３１００２ｘ "],
)
def test_full_width_digits_spaces_and_a_small_x_are_one_normalised_number(typed: str) -> None:
    assert parse_id_number(typed, today=TODAY).number == "11010519491231002X"


def test_digits_of_other_scripts_are_refused_not_stored() -> None:
    arabic_indic = "".join(chr(0x0660 + int(d)) for d in "11010519491231002") + "X"
    with pytest.raises(InvalidIdNumber) as caught:
        parse_id_number(arabic_indic, today=TODAY)
    assert caught.value.code == "id_number.format"
    with pytest.raises(InvalidMobile):
        normalise_mobile("13812345678\n" + "1")
    assert normalise_mobile("１３８ １２３４ ５６７８") == "13812345678"
