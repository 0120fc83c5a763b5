"""Workstation numbers (工位号) typed as a list of ranges: "H01–H40", "H01-H10, H15, H20~H22", "1-30".

Rules (DESIGN.md is silent on the notation; this is what venues print on their floor plans):
- Parts are separated by commas, 、, semicolons or new lines; each part is one number or a range of two numbers
  joined by -, –, —, ~, ～, 至 or 到.
- A number is an optional prefix of letters (or anything but digits and spaces, "A-" included) and digits.
  The end of a range may leave its prefix out ("H01–40" is H01–H40); otherwise both ends carry the same prefix
  ("H01–J40" is refused: mixed prefixes).
- A range runs upwards ("H40–H01" is refused, not silently reversed: the typist may have meant something else).
- Numbers keep the width of the range's start: "H01–H10" gives H01 … H10, "H1–H10" gives H1 … H10, and a number
  wider than the start ("H01–H100") keeps its own digits.
- At most `MAX_WORKSTATIONS` numbers in one go, and no number twice.

Every problem of the text is reported, not just the first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.errors import RuleBroken

MAX_WORKSTATIONS = 500
MAX_NUMBER_LENGTH = 20  # Workstation.number's max_length

_PARTS = re.compile(r"[,，、;；\n]+")
_PART = re.compile(r"^(?P<p1>[^\d\s]*?)(?P<n1>\d+)(?:\s*(?:[-–—~～至到])\s*(?P<p2>[^\d\s]*?)(?P<n2>\d+))?$")


@dataclass(frozen=True, slots=True)
class Expanded:
    """The numbers in the order typed, and every problem found (empty when the text is good)."""

    numbers: tuple[str, ...]
    problems: tuple[RuleBroken, ...]


def expand_workstation_numbers(text: str, *, limit: int = MAX_WORKSTATIONS) -> Expanded:
    """The workstation numbers a text names (module docstring), with every problem it has."""
    numbers: list[str] = []
    problems: list[RuleBroken] = []
    parts = [p.strip() for p in _PARTS.split(text or "") if p.strip()]
    if not parts:
        return Expanded((), (RuleBroken("workstations.empty"),))
    for part in parts:
        match = _PART.match(part)
        if match is None:
            problems.append(RuleBroken("workstations.unreadable", {"text": part}))
            continue
        prefix, start = match["p1"], match["n1"]
        if match["n2"] is None:
            numbers.append(prefix + start)
            continue
        end_prefix, end = match["p2"], match["n2"]
        if end_prefix and end_prefix != prefix:
            problems.append(RuleBroken("workstations.mixed_prefixes",
                                       {"start": prefix + start, "end": end_prefix + end}))
            continue
        first, last = int(start), int(end)
        if last < first:
            problems.append(RuleBroken("workstations.reversed", {"start": prefix + start, "end": prefix + end}))
            continue
        if last - first + 1 > limit:
            problems.append(RuleBroken("workstations.too_many", {"count": last - first + 1, "max": limit}))
            continue
        numbers.extend(f"{prefix}{n:0{len(start)}d}" for n in range(first, last + 1))
    if len(numbers) > limit:
        problems.append(RuleBroken("workstations.too_many", {"count": len(numbers), "max": limit}))
    seen: set[str] = set()
    repeated: list[str] = []
    for number in numbers:
        if number in seen and number not in repeated:
            repeated.append(number)
        seen.add(number)
    if repeated:
        problems.append(RuleBroken("workstations.duplicate", {"numbers": "、".join(repeated[:10])}))
    long = [n for n in dict.fromkeys(numbers) if len(n) > MAX_NUMBER_LENGTH]
    if long:
        problems.append(RuleBroken("workstations.too_long", {"number": long[0], "max": MAX_NUMBER_LENGTH}))
    return Expanded(tuple(numbers) if not problems else (), tuple(problems))


_NUMBER = re.compile(r"^(?P<prefix>.*?)(?P<digits>\d+)$")


def compress_workstation_numbers(numbers: list[str] | tuple[str, ...]) -> str:
    """Numbers as a person reads them back: runs of one prefix and width joined into ranges, in order
    ("H01, H02, H03, H05" → "H01–H03、H05"); `expand_workstation_numbers` reads the result back to the same set."""
    keyed = []
    for number in dict.fromkeys(numbers):
        match = _NUMBER.match(number)
        if match is None:
            keyed.append((number, "", -1, 0))
        else:
            keyed.append((number, match["prefix"], int(match["digits"]), len(match["digits"])))
    keyed.sort(key=lambda k: (k[1], k[3], k[2], k[0]))
    parts: list[str] = []
    run: list[tuple[str, str, int, int]] = []

    def close() -> None:
        if not run:
            return
        parts.append(run[0][0] if len(run) == 1 else f"{run[0][0]}–{run[-1][0]}")
        run.clear()

    for item in keyed:
        last = run[-1] if run else None
        if last is not None and item[2] >= 0 and (item[1], item[3]) == (last[1], last[3]) and item[2] == last[2] + 1:
            run.append(item)
            continue
        close()
        run.append(item)
    close()
    return "、".join(parts)
