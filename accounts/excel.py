"""Excel columns of real-name data: the name, ID-number and mobile parsers every import of people uses.

They live with the rules they apply (accounts/identity.py); `core.excel` knows only generic columns. A bad cell
reports the identity rule's own code (`id_number.check_digit`, `mobile.format` …), so the message names the rule.
"""

from __future__ import annotations

import unicodedata

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


# The stored name's length (accounts.models.User.real_name); a longer cell is refused naming it, not a 500.
REAL_NAME_MAX = 50


def parse_real_name(text: str) -> str:
    """A real name as written, every character kept (rare ones outside the basic plane included, DESIGN.md "People
    and files"); refused when it holds a control character (NUL and the like, which PostgreSQL refuses) or is
    longer than the stored field."""
    if any(unicodedata.category(char) == "Cc" for char in text):
        raise CellError("field.control_character", field="姓名")
    if len(text) > REAL_NAME_MAX:
        raise CellError("field.too_long", field="姓名", max=REAL_NAME_MAX)
    return text


def same_real_name(registered: str, given: str) -> bool:
    """Does a name in a file name the person registered under `registered`? Compared after NFKC and without
    spaces (a full-width letter or a space typed between the characters of 张 三 is the same name); a person
    registered without a name matches no name at all, so an ID number alone never picks out a person (issue 9
    item 2: a blanked name let an import attach someone else's registration)."""

    def key(name: str) -> str:
        return "".join(unicodedata.normalize("NFKC", name).split())

    return bool(key(registered)) and key(registered) == key(given)
