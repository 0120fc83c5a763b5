"""Template filters of the marking pages."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def plain_number(value: object) -> str:
    """A mark or a measured value as typed: no trailing zeros, no exponent, 0 as 0 (60.3000 → 60.3, 20.0000 → 20);
    "" for None. `floatformat:"-4"` keeps four decimals whenever there is one (60.3000), which is not what a
    referee typed."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if not number.is_finite():
        return str(value)
    text = format(number.normalize(), "f")
    return "0" if text in ("-0", "0") else text
