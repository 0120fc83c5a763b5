"""Excel in and out for every app: read a sheet against a column spec, write workbooks and templates.

Reading follows the platform's rule for bad input: every bad cell is reported with its sheet, its row as Excel
numbers it (the header is row 1) and its column header, and nothing is returned unless every row is good, so the
caller saves all or nothing. Cells are read as text (no type guessing by pandas: an ID number must not turn into a
float, a code like 6-18-02-04 must not turn into a date) and each column's parser turns the text into a value.

Only generic parsers live here (numbers, dates, choices); the parsers of real-name columns (ID number, mobile)
live in accounts/excel.py, next to the rules they apply.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import openpyxl
import pandas as pd
from django.utils.translation import gettext_lazy as _

from core.errors import ImportFailed, RowError, register_messages

MAX_ROWS = 20_000


class CellError(ValueError):
    """Raised by a parser: `code` names the problem, `params` fill its message."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


Parser = Callable[[str], Any]


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a sheet: the header people see, the key code uses, how to parse a cell."""

    header: str
    key: str
    parse: Parser = str
    required: bool = True
    example: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class Sheet:
    name: str
    columns: Sequence[Column]
    notes: Sequence[str] = field(default_factory=tuple)


def _cell_text(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def read_sheet(data: bytes, sheet: Sheet, *, max_rows: int = MAX_ROWS) -> list[dict[str, Any]]:
    """The rows of `sheet` in `data` as dicts keyed by column key; ImportFailed with every bad cell otherwise.

    Unknown extra columns are ignored; blank rows are skipped; a missing required column is one error naming it.
    """
    rows, errors = read_rows(data, sheet, max_rows=max_rows)
    if errors:
        raise ImportFailed(errors)
    return rows


def read_rows(
    data: bytes, sheet: Sheet, *, max_rows: int = MAX_ROWS
) -> tuple[list[dict[str, Any]], list[RowError]]:
    """The rows whose every cell parses, and an error for every cell that does not, so that an import can check
    the good rows against the database too and report all of a file's problems at once. A file that cannot be
    read as this sheet at all (missing sheet or column, too many rows, no rows) raises ImportFailed."""
    try:
        frame = pd.read_excel(io.BytesIO(data), sheet_name=sheet.name, dtype=str, keep_default_na=False,
                              engine="openpyxl")
    except ValueError as exc:
        if "Worksheet named" in str(exc):
            raise ImportFailed([RowError(sheet.name, 0, "", "excel.sheet_missing", {"sheet": sheet.name})]) from exc
        raise ImportFailed([RowError(sheet.name, 0, "", "excel.unreadable")]) from exc
    except Exception as exc:  # noqa: BLE001 - a corrupt or non-Excel upload, whatever the library raises
        raise ImportFailed([RowError(sheet.name, 0, "", "excel.unreadable")]) from exc

    headers = {str(h).strip(): h for h in frame.columns}
    missing = [c for c in sheet.columns if c.header not in headers and c.required]
    if missing:
        raise ImportFailed([RowError(sheet.name, 1, c.header, "excel.column_missing") for c in missing])
    if len(frame) > max_rows:
        raise ImportFailed([RowError(sheet.name, max_rows + 2, "", "excel.too_many_rows", {"max": max_rows})])

    rows: list[dict[str, Any]] = []
    errors: list[RowError] = []
    for index, record in enumerate(frame.to_dict(orient="records")):
        excel_row = index + 2  # row 1 holds the headers
        texts = {c.key: _cell_text(record.get(headers[c.header])) if c.header in headers else "" for c in sheet.columns}
        if not any(texts.values()):
            continue
        parsed: dict[str, Any] = {"_row": excel_row}
        bad_before = len(errors)
        for column in sheet.columns:
            text = texts[column.key]
            if not text:
                if column.required:
                    errors.append(RowError(sheet.name, excel_row, column.header, "excel.cell_required"))
                parsed[column.key] = None
                continue
            try:
                parsed[column.key] = column.parse(text)
            except CellError as exc:
                errors.append(RowError(sheet.name, excel_row, column.header, exc.code, {"value": text, **exc.params}))
            except (ValueError, InvalidOperation):
                errors.append(RowError(sheet.name, excel_row, column.header, "excel.cell_invalid", {"value": text}))
        if len(errors) == bad_before:
            rows.append(parsed)
    if not rows and not errors:
        raise ImportFailed([RowError(sheet.name, 2, "", "excel.no_rows")])
    return rows, errors


def count_rows(data: bytes, sheet: Sheet) -> int:
    """How many non-blank rows the sheet holds under its header, counted quickly (openpyxl's read-only mode,
    values only, nothing parsed), so an import can decide whether to run in the request or as a background task
    (DESIGN.md "People and files"). 0 when the file or the sheet cannot be read: the import then reports why."""
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - a corrupt or non-Excel upload, whatever the library raises
        return 0
    try:
        if sheet.name not in book.sheetnames:
            return 0
        rows = book[sheet.name].iter_rows(min_row=2, values_only=True)
        return sum(1 for row in rows if any(value is not None and str(value).strip() for value in row))
    finally:
        book.close()


def check_unique(rows: Iterable[Mapping[str, Any]], sheet: Sheet, key: str) -> list[RowError]:
    """Errors for every row repeating an earlier row's value in column `key`."""
    header = next(c.header for c in sheet.columns if c.key == key)
    seen: dict[Any, int] = {}
    errors = []
    for row in rows:
        value = row.get(key)
        if value is None:
            continue
        if value in seen:
            errors.append(RowError(sheet.name, row["_row"], header, "excel.duplicate",
                                   {"value": value, "other": seen[value]}))
        else:
            seen[value] = row["_row"]
    return errors


def write_workbook(sheets: Sequence[tuple[Sheet, Iterable[Mapping[str, Any]]]]) -> bytes:
    """An .xlsx with one sheet per (spec, rows); rows are dicts keyed by column key, headers as in the spec."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for spec, rows in sheets:
            frame = pd.DataFrame(
                [[_export_value(row.get(c.key)) for c in spec.columns] for row in rows],
                columns=[c.header for c in spec.columns],
            )
            frame.to_excel(writer, sheet_name=spec.name, index=False)
            worksheet = writer.sheets[spec.name]
            for position, column in enumerate(spec.columns, start=1):
                letter = worksheet.cell(row=1, column=position).column_letter
                worksheet.column_dimensions[letter].width = max(12, 2 * len(column.header) + 4)
    return buffer.getvalue()


def _export_value(value: Any) -> Any:
    # Text keeps ID numbers, codes and decimals exactly as the platform holds them.
    if value is None:
        return ""
    if isinstance(value, (Decimal, date)):
        return str(value)
    return value


def template_workbook(sheet: Sheet, *more: Sheet) -> bytes:
    """A template to download: the headers and one example row of each sheet, and a 说明 sheet explaining every
    column (a file may hold more than one sheet, e.g. a marking scheme and its theory weight)."""
    notes_sheet = Sheet("说明", [Column("工作表", "sheet"), Column("列", "header"), Column("必填", "required"),
                                Column("说明", "note")])
    notes: list[dict[str, str]] = []
    for spec in (sheet, *more):
        notes += [{"sheet": spec.name, "header": c.header, "required": "是" if c.required else "否", "note": c.note}
                  for c in spec.columns]
        notes += [{"sheet": spec.name, "header": "", "required": "", "note": line} for line in spec.notes]
    return write_workbook([*((spec, [{c.key: c.example for c in spec.columns}]) for spec in (sheet, *more)),
                           (notes_sheet, notes)])


# Parsers shared by every import.

def parse_decimal(text: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise CellError("excel.not_a_number") from None
    if not value.is_finite():
        raise CellError("excel.not_a_number")
    return value


def parse_int(text: str) -> int:
    value = parse_decimal(text)
    if value != value.to_integral_value():
        raise CellError("excel.not_an_integer")
    return int(value)


def parse_date(text: str) -> date:
    for candidate in (text[:10], text.replace("/", "-")[:10], text.replace(".", "-")[:10]):
        try:
            return date.fromisoformat(candidate)
        except ValueError:
            continue
    raise CellError("excel.not_a_date")


def parse_choice(choices: Mapping[str, str]) -> Parser:
    """Accept a choice by its label (职工组) or its value (worker)."""
    by_label = {str(label): value for value, label in choices.items()}

    def parse(text: str) -> str:
        if text in choices:
            return text
        if text in by_label:
            return by_label[text]
        raise CellError("excel.not_a_choice", choices="、".join(by_label))

    return parse


register_messages(
    {
        "excel.unreadable": _("无法读取该文件，请上传 .xlsx 格式的 Excel 文件。"),
        "excel.sheet_missing": _("工作簿中没有名为“{sheet}”的工作表。"),
        "excel.column_missing": _("缺少“{column}”列。"),
        "excel.too_many_rows": _("一次最多导入 {max} 行。"),
        "excel.no_rows": _("表格中没有数据行。"),
        "excel.cell_required": _("“{column}”不能为空。"),
        "excel.cell_invalid": _("“{column}”的值“{value}”无效。"),
        "excel.not_a_number": _("“{column}”的值“{value}”不是数字。"),
        "excel.not_an_integer": _("“{column}”的值“{value}”不是整数。"),
        "excel.not_a_date": _("“{column}”的值“{value}”不是日期（如 2026-05-01）。"),
        "excel.not_a_choice": _("“{column}”的值“{value}”不在可选范围内：{choices}。"),
        "excel.duplicate": _("“{column}”的值“{value}”与第 {other} 行重复。"),
    }
)
