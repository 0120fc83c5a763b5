"""Template filters for numbers as people write them.

`{% load numbers %}` then `{{ value|mark }}`: a mark, a panel score or a theory score is shown the way a referee
types it, without the trailing zeros of its four-decimal column: 40.0000 → "40", 12.5000 → "12.5", 0.0000 → "0",
3.3333 → "3.3333" (DESIGN.md "Ranking": aspect marks are kept to four decimals). Totals are not shown through it:
the total is rounded half up to two decimals and shown so ("85.50"), and so are the figures that stand beside it
in a results table (module scores and the practical part, rounded the same way by the results selectors).

Decisions where DESIGN.md is silent:
- A value with more than four decimals (a computed quotient passed by mistake) is rounded half up to four, the
  precision marks are kept to, so a page never shows a long tail of digits.
- None (no mark yet) gives "" so that a template chooses its own placeholder with `|default:"—"`; a 0 gives "0",
  which `default` keeps: a zero must read as a number, never as a blank.
- The output is not localised: both languages of the platform write a decimal point and marks stay below a
  thousand, and the same text is valid in a form field (`value="{{ score|mark }}"`) that Decimal() parses back.
- Text that is not a number (a placeholder already in place) is returned unchanged.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

register = template.Library()

MARK_QUANTUM = Decimal("0.0001")


@register.filter(is_safe=True)
def mark(value: object) -> object:
    """`value` without trailing zeros ("40", "12.5", "0", "3.3333"); "" for None; a non-number unchanged."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return value
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return value
    if not number.is_finite():
        return value
    number = number.quantize(MARK_QUANTUM, rounding=ROUND_HALF_UP).normalize()
    if number.is_zero():
        return "0"  # also "-0" and "0E-4"
    return format(number, "f")  # "f" writes 4E+1 as 40
