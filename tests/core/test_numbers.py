"""The `mark` template filter (core.templatetags.numbers): a mark as a referee writes it, without the trailing
zeros of its four-decimal column (issue 10)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template

from core.templatetags.numbers import mark


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (0, "0"),
        (Decimal("0.0000"), "0"),
        (Decimal("40.0000"), "40"),
        (Decimal("12.5000"), "12.5"),
        (Decimal("3.3333"), "3.3333"),
        (None, ""),
        (Decimal("100.0000"), "100"),  # never "1E+2"
        (Decimal("-0.0000"), "0"),
        (Decimal("0.0500"), "0.05"),
        (Decimal("2.00005"), "2.0001"),  # more than four decimals: rounded half up to four
        ("40.0000", "40"),  # a figure stored as text (the standings snapshot)
        (12.5, "12.5"),
        ("—", "—"),  # a placeholder already in place
    ],
)
def test_a_mark_shows_without_trailing_zeros(value: object, shown: str) -> None:
    assert mark(value) == shown


@pytest.mark.parametrize(("value", "shown"), [(Decimal("0.0000"), "0"), (None, "—"), (Decimal("12.5000"), "12.5")])
def test_in_a_template_a_zero_reads_as_a_number_and_only_no_mark_as_the_placeholder(value: object, shown: str) -> None:
    rendered = Template('{% load numbers %}{{ value|mark|default:"—" }}').render(Context({"value": value}))
    assert rendered == shown


def test_the_output_is_escaped_like_any_other_text() -> None:
    rendered = Template("{% load numbers %}{{ value|mark }}").render(Context({"value": "<b>"}))
    assert rendered == "&lt;b&gt;"
