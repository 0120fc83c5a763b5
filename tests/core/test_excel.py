"""Excel in and out: every bad cell named by sheet, row and column; nothing returned unless all rows are good."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from decimal import Decimal

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from accounts.excel import parse_id_number, parse_mobile
from core.errors import ImportFailed
from core.excel import (
    Column,
    Sheet,
    check_unique,
    parse_choice,
    parse_date,
    parse_decimal,
    parse_int,
    read_rows,
    read_sheet,
    template_workbook,
    write_workbook,
)

ROSTER = Sheet("报名表", [
    Column("姓名", "name"),
    Column("身份证号", "id_number", parse_id_number, example="11010519491231002X"),
    Column("手机号", "mobile", parse_mobile, required=False),
    Column("组别", "group", parse_choice({"worker": "职工组", "student": "学生组"})),
    Column("出生日期", "born", parse_date, required=False),
    Column("理论成绩", "theory", parse_decimal, required=False),
    Column("工位数", "stations", parse_int, required=False),
])
HEADERS = [c.header for c in ROSTER.columns]


def _xlsx(rows: list[list[object]], headers: list[str] = HEADERS, sheet: str = "报名表") -> bytes:
    book = Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_good_rows_are_parsed_as_text_first(db: None) -> None:
    data = _xlsx([
        ["张三", "11010519491231002x", "138 1234 5678", "职工组", "2001-03-04", "88.5", "3"],
        [None, None, None, None, None, None, None],  # a blank row is skipped
        ["李四", "11010519491231002X", None, "student", None, None, None],
    ])
    rows = read_sheet(data, ROSTER)
    assert [r["_row"] for r in rows] == [2, 4]
    assert rows[0] == {"_row": 2, "name": "张三", "id_number": "11010519491231002X", "mobile": "13812345678",
                       "group": "worker", "born": date(2001, 3, 4), "theory": Decimal("88.5"), "stations": 3}
    assert rows[1]["group"] == "student" and rows[1]["mobile"] is None
    assert [e.row for e in check_unique(rows, ROSTER, "id_number")] == [4]


def test_every_bad_cell_is_named_and_nothing_is_returned(db: None) -> None:
    data = _xlsx([
        ["张三", "110105194912310021", "12345", "干部组", "2001-13-40", "abc", "2.5"],
        ["", "11010519491231002X", None, "职工组", None, None, None],
    ])
    with pytest.raises(ImportFailed) as caught:
        read_sheet(data, ROSTER)
    found = {(e["row"], e["column"]) for e in caught.value.rows()}
    assert found == {(2, "身份证号"), (2, "手机号"), (2, "组别"), (2, "出生日期"), (2, "理论成绩"), (2, "工位数"),
                     (3, "姓名")}
    messages = {e["column"]: e["message"] for e in caught.value.rows() if e["row"] == 2}
    assert messages["身份证号"] == "“身份证号”的校验码不正确，请核对。"
    assert "职工组" in messages["组别"] and "干部组" in messages["组别"]
    assert all(e["sheet"] == "报名表" for e in caught.value.rows())


def test_missing_column_sheet_or_garbage_are_clear(db: None) -> None:
    with pytest.raises(ImportFailed) as caught:
        read_sheet(_xlsx([["张三"]], headers=["姓名"]), ROSTER)
    assert {e["column"] for e in caught.value.rows()} == {"身份证号", "组别"}
    with pytest.raises(ImportFailed) as caught:
        read_sheet(_xlsx([], sheet="Sheet1"), ROSTER)
    assert caught.value.row_errors[0].code == "excel.sheet_missing"
    with pytest.raises(ImportFailed) as caught:
        read_sheet(b"not an excel file", ROSTER)
    assert caught.value.row_errors[0].code == "excel.unreadable"
    with pytest.raises(ImportFailed) as caught:
        read_sheet(_xlsx([]), ROSTER)
    assert caught.value.row_errors[0].code == "excel.no_rows"


def test_written_workbook_reads_back_exactly(db: None) -> None:
    rows = [{"name": "王五", "id_number": "11010519491231002X", "mobile": "13812345678", "group": "职工组",
             "born": date(1990, 1, 2), "theory": Decimal("90.25"), "stations": 4}]
    data = write_workbook([(ROSTER, rows)])
    back = read_sheet(data, ROSTER)
    assert back[0]["id_number"] == "11010519491231002X" and back[0]["theory"] == Decimal("90.25")
    assert back[0]["born"] == date(1990, 1, 2) and back[0]["group"] == "worker"


def test_template_has_headers_an_example_and_notes(db: None) -> None:
    book = load_workbook(io.BytesIO(template_workbook(ROSTER)))
    assert book.sheetnames == ["报名表", "说明"]
    assert [c.value for c in book["报名表"][1]] == HEADERS
    frame = pd.read_excel(io.BytesIO(template_workbook(ROSTER)), sheet_name="报名表", dtype=str)
    assert frame.iloc[0]["身份证号"] == "11010519491231002X"


def test_read_rows_returns_the_good_rows_with_the_bad_cells(db: None) -> None:
    from core.excel import read_rows

    data = _xlsx([
        ["张三", "11010519491231002X", None, "职工组", None, None, None],
        ["李四", "110105194912310021", None, "职工组", None, None, None],
    ])
    rows, errors = read_rows(data, ROSTER)
    assert [r["_row"] for r in rows] == [2]
    assert [(e.row, e.column) for e in errors] == [(3, "身份证号")]


def test_a_template_may_hold_several_sheets(db: None) -> None:
    extra = Sheet("附加", [Column("权重", "weight", example="0.2", note="理论成绩权重")])
    book = load_workbook(io.BytesIO(template_workbook(ROSTER, extra)))
    assert book.sheetnames == ["报名表", "附加", "说明"]
    notes = list(book["说明"].iter_rows(values_only=True))
    assert ("附加", "权重", "是", "理论成绩权重") in notes


def test_exports_write_formula_like_text_as_text_numbers_as_numbers_and_id_columns_as_text() -> None:
    """Issue 9 item 10: a name like =HYPERLINK(...) was exported as a live formula, and scores as text."""
    spec = Sheet("名单", [Column("姓名", "name"), Column("身份证号", "id_number", text=True),
                          Column("成绩", "total"), Column("名次", "place")])
    rows = [{"name": '=HYPERLINK("http://evil.example","点我")', "id_number": "110105194912310021",
             "total": Decimal("87.25"), "place": 1},
            {"name": "+86 张三", "id_number": None, "total": None, "place": 2},
            {"name": "@SUM(A1)", "id_number": "-1", "total": Decimal("0"), "place": 3}]
    book = load_workbook(io.BytesIO(write_workbook([(spec, rows)])))
    sheet = book["名单"]
    first = [cell for cell in sheet[2]]
    assert first[0].data_type == "s" and first[0].value.startswith("=HYPERLINK")  # literal text, not a formula
    assert first[1].data_type == "s" and first[1].number_format == "@"
    assert first[2].data_type == "n" and first[2].value == 87.25
    assert first[3].data_type == "n" and first[3].value == 1
    assert sheet["A3"].data_type == "s" and sheet["A4"].data_type == "s" and sheet["B4"].data_type == "s"
    assert sheet["B3"].number_format == "@"  # an empty ID cell is a text cell too, for whoever types into it
    # And it reads back as the text it was.
    back = read_sheet(write_workbook([(spec, rows)]), Sheet("名单", [Column("姓名", "name"),
                                                                      Column("身份证号", "id_number", required=False),
                                                                      Column("成绩", "total", required=False),
                                                                      Column("名次", "place", required=False)]))
    assert back[0]["name"] == '=HYPERLINK("http://evil.example","点我")' and back[2]["id_number"] == "-1"


def test_a_formula_without_a_value_is_refused_naming_its_cell_and_one_with_a_value_reads_as_it() -> None:
    """Issue 9 item 10: a formula cell read as blank."""
    book = Workbook()
    sheet = book.active
    sheet.title = "名单"
    sheet.append(["姓名", "成绩"])
    sheet.append(["张三", "=40+2"])  # written by a program: no cached value in the file
    sheet.append(["李四", 60])
    buffer = io.BytesIO()
    book.save(buffer)
    spec = Sheet("名单", [Column("姓名", "name"), Column("成绩", "total", parse_decimal)])
    rows, errors = read_rows(buffer.getvalue(), spec)
    assert [(e.row, e.column, e.code) for e in errors] == [(2, "成绩", "excel.formula_without_value")]
    assert [r["name"] for r in rows] == ["李四"]


def _with_cells(data: bytes, cells: dict[str, str]) -> bytes:
    """The workbook with some cells of its first sheet replaced by raw XML, as Excel or WPS writes them when they
    save a formula with its computed value (openpyxl writes formulas without one)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = content.decode()
                for ref, xml in cells.items():
                    text, count = re.subn(rf'<c r="{ref}"[^>]*?(/>|>.*?</c>)', xml, text, count=1)
                    assert count == 1, ref
                content = text.encode()
            target.writestr(item, content)
    return out.getvalue()


def test_a_formula_with_a_saved_value_reads_as_that_value_and_an_error_value_is_refused_naming_its_cell() -> None:
    """Issue 9 item 10: a formula is read as its value or refused naming the cell, never as blank. Excel saves a
    formula's result beside it; a #DIV/0! or #N/A result (or a pasted error value) used to read as an empty cell."""
    book = Workbook()
    sheet = book.active
    sheet.title = "名单"
    sheet.append(["姓名", "成绩", "备注"])
    sheet.append(["占位", 0, "x"])
    sheet.append(["李四", 0, "x"])
    sheet.append(["王五", 0, "x"])
    buffer = io.BytesIO()
    book.save(buffer)
    data = _with_cells(buffer.getvalue(), {
        "A2": '<c r="A2" t="str"><f>"张"&amp;"三"</f><v>张三</v></c>',  # a text formula with its value
        "B2": '<c r="B2"><f>40+2</f><v>42</v></c>',  # a number formula with its value
        "B3": '<c r="B3" t="e"><f>1/0</f><v>#DIV/0!</v></c>',  # a formula whose value is an error
        "C4": '<c r="C4" t="e"><v>#N/A</v></c>',  # an error value pasted as a value
    })
    spec = Sheet("名单", [Column("姓名", "name"), Column("成绩", "total", parse_decimal),
                          Column("备注", "note", required=False)])
    rows, errors = read_rows(data, spec)
    assert [(r["name"], r["total"]) for r in rows] == [("张三", Decimal(42))]
    assert [(e.row, e.column, e.code) for e in errors] == [(3, "成绩", "excel.formula_error"),
                                                           (4, "备注", "excel.error_value")]
    assert "#DIV/0!" in errors[0].message and "#N/A" in errors[1].message


def test_a_partial_read_returns_every_row_with_its_bad_cells_named() -> None:
    data = _xlsx([["张三", "11010519491231002X", "12345", "职工组", None, "x", None],
                  ["李四", "110105194912310021", None, "student", None, None, None]])
    rows, errors = read_rows(data, ROSTER, partial=True)
    assert [(r["name"], r["_bad"]) for r in rows] == [("张三", {"mobile", "theory"}), ("李四", {"id_number"})]
    assert rows[0]["id_number"] == "11010519491231002X" and rows[0]["mobile"] is None
    assert {(e.row, e.column) for e in errors} == {(2, "手机号"), (2, "理论成绩"), (3, "身份证号")}
