"""Large roster files for the tests of big imports (issue 8 item 6): thousands of valid rows of new people, built
from a fixed seed with real check digits, and optionally a few rows spoiled at known cells.

bench/roster_import.py builds its own file the same way; tests never import bench/."""

from __future__ import annotations

import io
import random
from collections.abc import Sequence
from datetime import date, timedelta

from openpyxl import Workbook

from accounts.synthetic import synthetic_id_number, synthetic_mobile, synthetic_name
from competitions import excel as workbooks

HEADERS = [c.header for c in workbooks.ROSTER.columns]


def roster_rows(count: int, *, unit: str, seed: int = 8, coach_id: str = "") -> list[list[object]]:
    """`count` rows of distinct new contestants of `unit` (职工组, born 1980–2000, so any adult age limit holds)."""
    rng = random.Random(seed)
    seen: set[str] = set()
    rows: list[list[object]] = []
    while len(rows) < count:
        born = date(1980, 1, 1) + timedelta(days=rng.randrange(20 * 365))
        number = synthetic_id_number(rng, born=born, male=rng.random() < 0.5)
        if number in seen:
            continue
        seen.add(number)
        rows.append(["", synthetic_name(rng), number, synthetic_mobile(rng), unit, "职工组", coach_id])
    return rows


def workbook(rows: Sequence[Sequence[object]], sheet: str = workbooks.ROSTER.name,
             headers: Sequence[str] = HEADERS) -> bytes:
    """An .xlsx with one sheet: the headers, then the rows."""
    book = Workbook()
    book.remove(book.active)
    ws = book.create_sheet(sheet)
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(data: bytes, name: str = "报名表.xlsx") -> io.BytesIO:
    """A file object the test client posts as a multipart upload."""
    file = io.BytesIO(data)
    file.name = name
    return file
