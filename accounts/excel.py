"""Excel columns of real-name data: the ID-number and mobile parsers every import of people uses.

They live with the rules they apply (accounts/identity.py); `core.excel` knows only generic columns. A bad cell
reports the identity rule's own code (`id_number.check_digit`, `mobile.format` …), so the message names the rule.
"""

from __future__ import annotations

from django.utils import timezone

from accounts.identity import InvalidIdNumber, InvalidMobile, normalise_mobile
from accounts.identity import parse_id_number as parse_id
from core.excel import CellError


def parse_id_number(text: str) -> str:
    try:
        return parse_id(text, today=timezone.localdate()).number
    except InvalidIdNumber as exc:
        raise CellError(exc.code, field="身份证号", **exc.params) from None


def parse_mobile(text: str) -> str:
    try:
        return normalise_mobile(text)
    except InvalidMobile as exc:
        raise CellError(exc.code, field="手机号") from None
