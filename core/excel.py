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
    text: bool = False  # written as text whatever it looks like (ID and phone numbers, codes): column format "@"


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
    data: bytes, sheet: Sheet, *, max_rows: int = MAX_ROWS, partial: bool = False
) -> tuple[list[dict[str, Any]], list[RowError]]:
    """The rows whose every cell parses, and an error for every cell that does not, so that an import can check
    the good rows against the database too and report all of a file's problems at once. A file that cannot be
    read as this sheet at all (missing sheet or column, too many rows, no rows) raises ImportFailed.

    With `partial`, every non-blank row is returned: a cell that did not parse holds None and its column key is in
    the row's `_bad` set, so an import can still check the row's good cells against the database (its unit, its
    person) and name every problem of the file in one pass; it must not save such a row, and the errors say why.

    A formula cell is read as the value the file holds for it (what Excel, WPS or LibreOffice computed when they
    last saved it); one whose file holds no value, or whose value is an error (#DIV/0!, #N/A …), is refused naming
    its cell, never read as blank. So is a plain cell holding an error value."""
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
    unusable = _unusable_cells(data, sheet.name)

    texts = [
        (index + 2,  # row 1 holds the headers
         {c.key: _cell_text(record.get(headers[c.header])) if c.header in headers else "" for c in sheet.columns})
        for index, record in enumerate(frame.to_dict(orient="records"))
    ]
    rows, errors = parse_texts(texts, sheet, unusable=unusable, partial=partial)
    if not rows and not errors:
        raise ImportFailed([RowError(sheet.name, 2, "", "excel.no_rows")])
    return rows, errors


def parse_texts(
    texts: Iterable[tuple[int, Mapping[str, str]]], sheet: Sheet, *,
    unusable: Mapping[int, Mapping[str, tuple[str, dict[str, Any]]]] | None = None, partial: bool = False,
) -> tuple[list[dict[str, Any]], list[RowError]]:
    """Rows of cell texts (row number, column key → text), parsed by the sheet's columns as `read_rows` parses a
    file's: blank rows skipped, every bad cell reported by row and column header, the good rows returned (every
    non-blank row with `partial`, as `read_rows` says). `unusable` holds the cells of a file whose value cannot be
    read (`_unusable_cells`). A page that edits a sheet's rows in a form (the marking scheme) parses them here,
    with the import's rules."""
    rows: list[dict[str, Any]] = []
    errors: list[RowError] = []
    for excel_row, raw in texts:
        texts_of = {c.key: (raw.get(c.key) or "").strip() for c in sheet.columns}
        problems = (unusable or {}).get(excel_row, {})
        if not any(texts_of.values()) and not problems:
            continue
        parsed: dict[str, Any] = {"_row": excel_row}
        bad: set[str] = set()
        for column in sheet.columns:
            text = texts_of[column.key]
            parsed[column.key] = None
            error: RowError | None = None
            if column.header in problems:
                code, params = problems[column.header]
                error = RowError(sheet.name, excel_row, column.header, code, params)
            elif not text:
                if column.required:
                    error = RowError(sheet.name, excel_row, column.header, "excel.cell_required")
            else:
                try:
                    parsed[column.key] = column.parse(text)
                except CellError as exc:
                    error = RowError(sheet.name, excel_row, column.header, exc.code, {"value": text, **exc.params})
                except (ValueError, InvalidOperation):
                    error = RowError(sheet.name, excel_row, column.header, "excel.cell_invalid", {"value": text})
            if error is not None:
                errors.append(error)
                bad.add(column.key)
        if partial:
            rows.append({**parsed, "_bad": frozenset(bad)})
        elif not bad:
            rows.append(parsed)
    return rows, errors


def _unusable_cells(data: bytes, sheet_name: str) -> dict[int, dict[str, tuple[str, dict[str, Any]]]]:
    """row -> header -> (code, params) of the cells whose value cannot be read: a formula whose value the file does
    not hold (a file written by a program may hold the formula alone, which would otherwise read as a blank
    cell), a formula whose value is an error, and a cell holding an error value (pandas reads both as blank). A
    file saved by Excel, WPS or LibreOffice keeps each formula's last value, which is what the import reads."""
    try:
        formulas = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        values = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - unreadable files are reported by the caller's own read
        return {}
    try:
        if sheet_name not in formulas.sheetnames:
            return {}
        found: dict[int, dict[str, tuple[str, dict[str, Any]]]] = {}
        header: list[str] = []
        rows = zip(formulas[sheet_name].iter_rows(), values[sheet_name].iter_rows(), strict=False)
        for number, (cells, cached) in enumerate(rows, start=1):
            if number == 1:
                header = [str(cell.value).strip() if cell.value is not None else "" for cell in cells]
                continue
            for position, cell in enumerate(cells):
                if position >= len(header) or not header[position]:
                    continue
                saved = cached[position] if position < len(cached) else None
                value = getattr(saved, "value", None)
                is_formula = getattr(cell, "data_type", None) == "f"
                if is_formula and value is None:
                    found.setdefault(number, {})[header[position]] = ("excel.formula_without_value", {})
                elif value is not None and getattr(saved, "data_type", None) == "e":
                    code = "excel.formula_error" if is_formula else "excel.error_value"
                    found.setdefault(number, {})[header[position]] = (code, {"value": str(value)})
        return found
    finally:
        formulas.close()
        values.close()


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


# A text cell beginning with one of these is a formula (or becomes one) in Excel, LibreOffice and WPS: exports
# write such text as a literal string, never as a live formula (CSV/formula injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def write_workbook(sheets: Sequence[tuple[Sheet, Iterable[Mapping[str, Any]]]]) -> bytes:
    """An .xlsx with one sheet per (spec, rows); rows are dicts keyed by column key, headers as in the spec.

    Numbers are written as numbers (scores, places), except in text columns (`Column.text`: ID and phone numbers,
    codes), which are formatted as text so a person typing into a template gets no 3.7E+17 either; text is always
    a literal string, so a name like =HYPERLINK(...) is shown as typed and never runs."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for spec, rows in sheets:
        sheet = book.create_sheet(spec.name)
        for position, column in enumerate(spec.columns, start=1):
            _write_cell(sheet.cell(row=1, column=position), column.header, text=True)
            letter = sheet.cell(row=1, column=position).column_letter
            sheet.column_dimensions[letter].width = max(12, 2 * len(column.header) + 4)
            if column.text:
                sheet.column_dimensions[letter].number_format = "@"
        for row_number, row in enumerate(rows, start=2):
            for position, column in enumerate(spec.columns, start=1):
                _write_cell(sheet.cell(row=row_number, column=position), row.get(column.key), text=column.text)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write_cell(cell: Any, value: Any, *, text: bool) -> None:
    if value is None or value == "":
        if text:
            cell.number_format = "@"
        return
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)) or text:
        literal = value.isoformat() if isinstance(value, date) else str(value)
        cell.value = literal
        cell.data_type = "s"  # openpyxl reads "=..." as a formula when assigned: keep it a string
        if text:
            cell.number_format = "@"
        elif literal.startswith(_FORMULA_STARTS):
            cell.quotePrefix = True  # and Excel shows it as typed text when the cell is edited
        return
    cell.value = float(value) if isinstance(value, Decimal) else value


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
        "excel.formula_without_value": _(
            "“{column}”是一个没有计算结果的公式：请填写数值或文字，或在 Excel 中计算后保存。"),
        "excel.formula_error": _("“{column}”的公式结果是错误值 {value}：请在 Excel 中改正公式或填写数值后保存。"),
        "excel.error_value": _("“{column}”是错误值 {value}：请填写数值或文字。"),
        "excel.not_a_number": _("“{column}”的值“{value}”不是数字。"),
        "excel.not_an_integer": _("“{column}”的值“{value}”不是整数。"),
        "excel.not_a_date": _("“{column}”的值“{value}”不是日期（如 2026-05-01）。"),
        "excel.not_a_choice": _("“{column}”的值“{value}”不在可选范围内：{choices}。"),
        "excel.duplicate": _("“{column}”的值“{value}”与第 {other} 行重复。"),
    }
)
