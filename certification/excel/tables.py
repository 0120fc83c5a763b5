"""The Excel workbooks of a bank's blueprint (鉴定要素细目表) and of a part's scoring sheet (评分表), issue 12 item 6
and 8 follow-ups: download the template (or the table as it stands), fill it, upload it. Read and written by
core.excel like the bank's sheet (certification.excel.bank): every bad cell is named by sheet, row and column in
one pass, the table's own rules (certification.domain.papers.check_blueprint, domain.practical.check_sheet) are
named at the cells they concern, and nothing is returned, so nothing is saved, when anything is wrong.

**Blueprint workbook**: sheet 细目表, one row per cell of the table: 知识范围 (the 鉴定点 code's first segments,
`A-B`; every row of one depth, 1–3 segments, which is the blueprint's depth), 题型 (单选/多选/判断, as the bank's
sheet reads it), 难度 (1–5), 题量 (a whole number ≥ 0); sheet 分值: one row per question type, 题型 and 每题分值
(a whole number ≥ 1). A type asked in 细目表 without a row in 分值 is named at its first row there. A cell that
does not parse is named once: the rows it would take part in (a repeated cell, a type's points) are not checked.

**Scoring-sheet workbook**: sheet 评分表, one row per item: 评分项代码 (unique), 评分项, 配分 (> 0, two decimals at
most; the items add up to 100, named at the last row's 配分 when they do not), 误差允许范围 (optional: blank means
the sheet's share of the item's maximum). The sheet's tolerance share and aggregation are not in the file (the
design is silent; chosen so a file is the items a chief assessor fills, and importing keeps the part's settings).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from certification.domain import practical as scoring
from certification.domain.papers import Blueprint, Cell, Kind, check_blueprint
from certification.excel.bank import KIND_LABEL, _difficulty, _kind
from core.errors import ImportFailed, RowError
from core.excel import CellError, Column, Sheet, parse_decimal, parse_int, read_rows, template_workbook, write_workbook

MAX_FILE_BYTES = 2 * 1024 * 1024  # a table of a few hundred rows; the bank's own files may be larger
AREA = re.compile(r"^[A-Z0-9]{1,4}(-[A-Z0-9]{1,4}){0,2}$")


def _area(text: str) -> str:
    value = text.strip().upper()
    if not AREA.match(value):
        raise CellError("blueprint.bad_area")
    return value


def _count(text: str) -> int:
    value = parse_int(text)
    if value < 0:
        raise CellError("blueprint.bad_count")
    return value


def _points(text: str) -> int:
    value = parse_int(text)
    if value < 1:
        raise CellError("blueprint.bad_points")
    return value


CELLS = Sheet("细目表", [
    Column("知识范围", "area", _area, example="A-B", text=True, note="鉴定点代码的前几段，各行段数相同（1–3 段）"),
    Column("题型", "kind", _kind, example="单选", note="单选、多选或判断"),
    Column("难度", "difficulty", _difficulty, example="3", note="1（易）至 5（难）"),
    Column("题量", "count", _count, example="10", note="本单元格抽取的题数"),
], notes=("每行是细目表的一个单元格：知识范围 × 题型 × 难度。",
          "任何一处有误时整个文件都不会保存，并列出每处错误所在的工作表、行和列。"))
POINTS = Sheet("分值", [
    Column("题型", "kind", _kind, example="单选"),
    Column("每题分值", "points", _points, example="1", note="该题型每题的分值（整数）"),
])


def _sorted(errors: list[RowError], sheets: Sequence[Sheet]) -> list[RowError]:
    order = {s.name: n for n, s in enumerate(sheets)}
    headers = {s.name: [c.header for c in s.columns] for s in sheets}

    def key(e: RowError) -> tuple[int, int, int]:
        columns = headers.get(e.sheet, [])
        return order.get(e.sheet, 99), e.row, columns.index(e.column) if e.column in columns else -1
    return sorted(errors, key=key)


def _rows(data: bytes, sheet: Sheet) -> tuple[list[dict[str, Any]], list[RowError]]:
    try:
        return read_rows(data, sheet, partial=True)
    except ImportFailed as failed:
        return [], list(failed.row_errors)


def read_blueprint(data: bytes) -> Blueprint:
    """The blueprint of a workbook (module docstring), or ImportFailed naming every bad cell."""
    rows, errors = _rows(data, CELLS)
    point_rows, point_errors = _rows(data, POINTS)
    errors += point_errors
    cells: list[Cell] = []
    seen: dict[tuple[str, Kind, int], int] = {}
    depth: int | None = None
    for row in rows:
        n = row["_row"]
        if row["area"] is not None:
            segments = row["area"].count("-") + 1
            if depth is None:
                depth = segments
            elif segments != depth:
                errors.append(RowError(CELLS.name, n, "知识范围", "blueprint.mixed_depth", {"depth": depth}))
        if row["_bad"]:
            continue
        key = (row["area"], row["kind"], row["difficulty"])
        if key in seen:
            errors.append(RowError(CELLS.name, n, "知识范围", "blueprint.repeated_row", {"first": seen[key]}))
            continue
        seen[key] = n
        cells.append(Cell(row["area"], row["kind"], row["difficulty"], row["count"]))
    points: dict[Kind, int] = {}
    for row in point_rows:
        if row["_bad"]:
            continue
        if row["kind"] in points:
            errors.append(RowError(POINTS.name, row["_row"], "题型", "blueprint.repeated_kind"))
        points[row["kind"]] = row["points"]
    first_of: dict[Kind, int] = {}
    for row in rows:
        if not row["_bad"] and row["count"] > 0:
            first_of.setdefault(row["kind"], row["_row"])
    named = {row["kind"] for row in point_rows if row["kind"] is not None}  # a bad 分值 row is named already
    if point_rows or not point_errors:
        for kind, n in first_of.items():
            if kind not in named:
                errors.append(RowError(CELLS.name, n, "题型", "blueprint.kind_without_points",
                                       {"kind": KIND_LABEL[kind]}))
    blueprint = Blueprint(tuple(cells), points, depth or 2)
    if not errors:
        for code in check_blueprint(blueprint):
            errors.append(RowError(CELLS.name, 0, "题量" if code == "blueprint.empty" else "", code))
    if errors:
        raise ImportFailed(_sorted(errors, (CELLS, POINTS)))
    return blueprint


def write_blueprint(blueprint: Blueprint) -> bytes:
    return write_workbook([
        (CELLS, [{"area": c.area, "kind": KIND_LABEL[c.kind], "difficulty": c.difficulty, "count": c.count}
                 for c in sorted(blueprint.cells, key=lambda c: c.key)]),
        (POINTS, [{"kind": KIND_LABEL[k], "points": v} for k, v in sorted(blueprint.points.items())])])


def blueprint_template() -> bytes:
    return template_workbook(CELLS, POINTS)


# --- the scoring sheet ----------------------------------------------------------------------------------------------

def _max(text: str) -> Decimal:
    value = parse_decimal(text)
    if value <= 0 or value > 100 or -value.as_tuple().exponent > 2:  # type: ignore[operator]
        raise CellError("practical.bad_max_cell")
    return value


def _tolerance(text: str) -> Decimal:
    value = parse_decimal(text)
    if value < 0 or -value.as_tuple().exponent > 2:  # type: ignore[operator]
        raise CellError("practical.bad_tolerance_cell")
    return value


ITEMS = Sheet("评分表", [
    Column("评分项代码", "code", example="A1", text=True, note="本表内唯一"),
    Column("评分项", "title", example="焊前准备与安全文明生产"),
    Column("配分", "max_points", _max, example="20", note="各项配分合计 100"),
    Column("误差允许范围", "tolerance", _tolerance, required=False, example="3",
           note="可空：按评分表的误差比例（默认配分的 20%）"),
], notes=("每行一个评分项；首次评分后评分表不能再修改。",
          "任何一处有误时整个文件都不会保存，并列出每处错误所在的工作表、行和列。"))


def read_scoring_sheet(data: bytes) -> list[scoring.SheetItem]:
    """The items of a scoring-sheet workbook (module docstring), or ImportFailed naming every bad cell."""
    rows, errors = _rows(data, ITEMS)
    items: list[scoring.SheetItem] = []
    seen: dict[str, int] = {}
    for row in rows:
        n = row["_row"]
        code = (row["code"] or "").strip()
        if code in seen:
            errors.append(RowError(ITEMS.name, n, "评分项代码", "practical.repeated_code", {"first": seen[code]}))
        elif code:
            seen[code] = n
        if len(code) > 30:
            errors.append(RowError(ITEMS.name, n, "评分项代码", "practical.code_too_long", {"max": 30}))
        if len((row["title"] or "").strip()) > 200:
            errors.append(RowError(ITEMS.name, n, "评分项", "practical.title_too_long", {"max": 200}))
        if not row["_bad"]:
            items.append(scoring.SheetItem(code, row["title"].strip(), row["max_points"], row.get("tolerance")))
    if not errors and rows:
        total = sum((i.max_points for i in items), Decimal(0))
        if total != 100:
            errors.append(RowError(ITEMS.name, rows[-1]["_row"], "配分", "practical.total_not_100_cell",
                                   {"total": format(total.normalize(), "f")}))
    if errors:
        raise ImportFailed(_sorted(errors, (ITEMS,)))
    return items


def write_scoring_sheet(items: Sequence[scoring.SheetItem]) -> bytes:
    return write_workbook([(ITEMS, [{"code": i.code, "title": i.title, "max_points": i.max_points,
                                     "tolerance": i.tolerance} for i in items])])


def scoring_sheet_template() -> bytes:
    return template_workbook(ITEMS)
