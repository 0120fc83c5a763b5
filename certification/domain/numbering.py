"""Certificate numbers (DESIGN.md "Certification" → "Certificate number"; issue 13 item 2).

A number has 22 characters, in this order:

    kind (1)  agency (4)  province (2)  site serial (6)  year (2)  level (1)  serial (6)
    S         0000        37            000123           26        4          000001   → S000037000123264000001

- kind: `Y` for an enterprise's own evaluation (企业自主评价), `S` for a social evaluation body (社会培训评价组织);
- agency code: the filing agency's 4 digits, `0000` when the body is filed only with the province;
- province code: 2 digits (Shandong is 37); any two digits parse, the platform issues 37 (the filing's default);
- site serial: the body's 6-digit site number in its filing (备案), `000000` refused (a filing numbers sites from 1);
- year: the issue year's last two digits (the issue day in Asia/Shanghai: the caller's business);
- level: 1–5 (一级 is 1, 五级 is 5); an appointment letter (特级技师/首席技师) rests on 一级 and carries 1;
- serial: 6 digits from 000001, gap-free per site, year and level (the issuing service keeps the counter).

Choices where DESIGN.md is silent:
- Typed input is forgiven what a person cannot see: surrounding spaces, inner spaces and dashes (numbers are
  read aloud and written in groups), full-width characters (NFKC) and a lower-case kind letter. Anything else is
  refused, never guessed.
- `parse_number` names every part that is wrong, not only the first (`InvalidNumber.params["parts"]`), so a
  form or a bulk check can say "年份" and "等级" at once; a wrong length or prefix is reported alone, because the
  parts cannot be cut out of it.
- The largest serial is 999999; the 1,000,000th certificate of one site, year and level is refused (`next_serial`)
  rather than widening the number.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from core.errors import RuleBroken

LENGTH = 22
MAX_SERIAL = 999_999
_DIGITS = re.compile(r"[0-9]+", re.ASCII)
_IGNORED = re.compile(r"[\s\-_]+")


class NumberKind(StrEnum):
    ENTERPRISE = "Y"  # 企业自主评价
    SOCIAL = "S"  # 社会培训评价组织


@dataclass(frozen=True, slots=True)
class NumberParts:
    """A certificate number cut into its parts, each as printed (strings keep their leading zeros)."""

    kind: NumberKind
    agency_code: str  # 4 digits
    province_code: str  # 2 digits
    site_serial: str  # 6 digits
    year: int  # 0–99, the last two digits of the issue year
    level: int  # 1–5
    serial: int  # 1–999999

    @property
    def number(self) -> str:
        return format_number(self)


# (field, start, end) of each part after the kind letter
_PARTS: tuple[tuple[str, int, int], ...] = (
    ("agency_code", 1, 5), ("province_code", 5, 7), ("site_serial", 7, 13), ("year", 13, 15), ("level", 15, 16),
    ("serial", 16, 22),
)
PART_LABELS = {"agency_code": "机构代码", "province_code": "省份代码", "site_serial": "站点序号", "year": "年份",
               "level": "等级", "serial": "流水号"}


class InvalidNumber(RuleBroken):
    """Codes: certificate_number.empty, .length, .kind, .parts (params: parts, labels, number)."""


def _digits(value: str, width: int) -> bool:
    return len(value) == width and _DIGITS.fullmatch(value) is not None


def part_problems(*, agency_code: str, province_code: str, site_serial: str) -> list[str]:
    """The filing codes that are not of their form (the names of `NumberParts`' fields), for BodyFiling's checks."""
    problems = []
    if not _digits(agency_code, 4):
        problems.append("agency_code")
    if not _digits(province_code, 2):
        problems.append("province_code")
    if not _digits(site_serial, 6) or site_serial == "000000":
        problems.append("site_serial")
    return problems


def format_number(parts: NumberParts) -> str:
    """The 22 characters of `parts`; refuses parts that are out of their range (InvalidNumber)."""
    bad = part_problems(agency_code=parts.agency_code, province_code=parts.province_code,
                        site_serial=parts.site_serial)
    if not 0 <= parts.year <= 99:
        bad.append("year")
    if not 1 <= parts.level <= 5:
        bad.append("level")
    if not 1 <= parts.serial <= MAX_SERIAL:
        bad.append("serial")
    if bad:
        raise _parts_error(bad, "")
    return (f"{NumberKind(parts.kind).value}{parts.agency_code}{parts.province_code}{parts.site_serial}"
            f"{parts.year:02d}{parts.level}{parts.serial:06d}")


def normalise(text: str) -> str:
    """The number as typed, with what a person cannot see forgiven (module docstring)."""
    return _IGNORED.sub("", unicodedata.normalize("NFKC", text)).upper()


def _parts_error(bad: list[str], number: str) -> InvalidNumber:
    labels = "、".join(PART_LABELS[name] for name in bad)
    return InvalidNumber("certificate_number.parts", {"parts": bad, "labels": labels, "number": number},
                         "The certificate number's {labels} is not valid.")


def parse_number(text: str) -> NumberParts:
    """The parts of a typed certificate number, or InvalidNumber naming what is wrong (module docstring)."""
    number = normalise(text)
    if not number:
        raise InvalidNumber("certificate_number.empty", {}, "Enter a certificate number.")
    if len(number) != LENGTH:
        raise InvalidNumber("certificate_number.length", {"length": len(number), "expected": LENGTH},
                            "A certificate number has {expected} characters, this one has {length}.")
    if number[0] not in (NumberKind.ENTERPRISE.value, NumberKind.SOCIAL.value):
        raise InvalidNumber("certificate_number.kind", {"kind": number[0]},
                            "A certificate number starts with Y or S, not {kind}.")
    cut = {name: number[start:end] for name, start, end in _PARTS}
    bad = part_problems(agency_code=cut["agency_code"], province_code=cut["province_code"],
                        site_serial=cut["site_serial"])
    if not _digits(cut["year"], 2):
        bad.append("year")
    if not _digits(cut["level"], 1) or not 1 <= int(cut["level"]) <= 5:
        bad.append("level")
    if not _digits(cut["serial"], 6) or cut["serial"] == "000000":
        bad.append("serial")
    if bad:
        raise _parts_error(bad, number)
    return NumberParts(kind=NumberKind(number[0]), agency_code=cut["agency_code"],
                       province_code=cut["province_code"], site_serial=cut["site_serial"], year=int(cut["year"]),
                       level=int(cut["level"]), serial=int(cut["serial"]))


def next_serial(last: int) -> int:
    """The serial after `last` (0 before the first): gap-free, refused past 999999."""
    if last >= MAX_SERIAL:
        raise RuleBroken("certificate_number.exhausted", {"max": MAX_SERIAL},
                         "The serials of this site, year and level are used up ({max}).")
    return last + 1
