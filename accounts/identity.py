"""Real-name data: the resident ID card number (GB 11643-1999), the mainland mobile number, and their masks.

Pure functions, no I/O. Rules:
- An ID number has 18 characters: a 6-digit address code (first two digits a province-level code), the birth date
  as YYYYMMDD, a 3-digit sequence code (odd for men, even for women), and a check character computed by ISO 7064
  MOD 11-2 (weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2; remainder 0..10 maps to 1 0 X 9 8 7 6 5 4 3 2).
  A lower-case x is accepted and stored as X. The 15-digit first-generation number is refused: it stopped being
  valid in 2013.
- Before it is checked or stored a number is normalised (DESIGN.md "People and files"): Unicode NFKC (full-width
  digits and letters become ASCII), every space removed (the ideographic space too), upper-case; what is left must
  be ASCII, so other scripts' digits (Arabic-Indic ٣, which a regex's digit class and `int` would accept) are refused.
  Uniqueness holds on this form: one person can never be two.
- The birth date must be a real calendar date, not after today, and not before 1900-01-01.
- A mobile number is 11 ASCII digits starting with 1 and a second digit 3–9, after NFKC; a leading +86 or 86 and
  spaces or dashes are stripped.
- Masks keep what a person needs to recognise their own record: ID `3701**********1234` (first 4, last 4),
  mobile `138****5678` (first 3, last 4).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from core.errors import DomainError

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
# Province-level codes of GB/T 2260 (incl. Taiwan 71, Hong Kong 81, Macao 82).
_PROVINCES = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54,
     61, 62, 63, 64, 65, 71, 81, 82}
)
_ID_SHAPE = re.compile(r"[0-9]{17}[0-9X]", re.ASCII)
_MOBILE = re.compile(r"1[3-9][0-9]{9}", re.ASCII)


class Sex(StrEnum):
    MALE = "M"
    FEMALE = "F"


class InvalidIdNumber(DomainError):
    """Codes: id_number.format, id_number.region, id_number.birth_date, id_number.check_digit."""


class InvalidMobile(DomainError):
    """Code: mobile.format."""


@dataclass(frozen=True, slots=True)
class IdNumberInfo:
    number: str
    region_code: str
    birth_date: date
    sex: Sex


def check_character(first17: str) -> str:
    """The 18th character for the first 17 digits (ISO 7064 MOD 11-2)."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def normalise_id_number(value: str) -> str:
    """The form an ID number is checked and stored in: NFKC, no spaces, upper-case (module docstring)."""
    return "".join(unicodedata.normalize("NFKC", value).split()).upper()


def parse_id_number(value: str, *, today: date) -> IdNumberInfo:
    """Validate an 18-character ID number (normalised first) and return what it encodes; raise InvalidIdNumber
    naming the rule."""
    number = normalise_id_number(value)
    if not _ID_SHAPE.fullmatch(number):
        raise InvalidIdNumber("id_number.format", {}, "The ID number must be 17 digits followed by a digit or X.")
    if int(number[:2]) not in _PROVINCES:
        raise InvalidIdNumber("id_number.region", {"code": number[:2]}, "The ID number's region code is unknown.")
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidIdNumber(
            "id_number.birth_date", {"value": number[6:14]}, "The birth date inside the ID number is not a date."
        ) from None
    if birth > today or birth < date(1900, 1, 1):
        raise InvalidIdNumber(
            "id_number.birth_date", {"value": number[6:14]}, "The birth date inside the ID number is impossible."
        )
    if check_character(number[:17]) != number[17]:
        raise InvalidIdNumber("id_number.check_digit", {}, "The ID number's check digit is wrong.")
    sex = Sex.MALE if int(number[16]) % 2 == 1 else Sex.FEMALE
    return IdNumberInfo(number=number, region_code=number[:6], birth_date=birth, sex=sex)


def normalise_mobile(value: str) -> str:
    """The 11-digit mobile number, or InvalidMobile."""
    digits = re.sub(r"[\s-]", "", unicodedata.normalize("NFKC", value))
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if not _MOBILE.fullmatch(digits):
        raise InvalidMobile("mobile.format", {}, "A mobile number is 11 digits starting with 13–19.")
    return digits


def mask_id_number(number: str) -> str:
    if not number:
        return ""
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_mobile(mobile: str) -> str:
    if not mobile:
        return ""
    if len(mobile) <= 7:
        return "*" * len(mobile)
    return mobile[:3] + "*" * (len(mobile) - 7) + mobile[-4:]


def shown_id_number(number: str, *, full: bool) -> str:
    """The ID number as a viewer sees it: whole if they may see it (`full`), else masked."""
    return number if full else mask_id_number(number)


def shown_mobile(mobile: str, *, full: bool) -> str:
    """The mobile number as a viewer sees it: whole if they may see it (`full`), else masked."""
    return mobile if full else mask_mobile(mobile)


def age_on(birth: date, day: date) -> int:
    """Whole years of age on `day` (a birthday on `day` counts; 29 Feb birthdays age on 1 Mar in other years)."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
