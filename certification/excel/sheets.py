"""The catalogue's Excel sheet, specified once (headers, parsers, examples, notes); `core.excel` reads and writes it.

One row per occupation: 职业编码 (X-XX-XX-XX), 职业名称, 可认定等级 (五级、四级、三级 …, any of the ways
certification.domain.catalogue.parse_level reads), 职业定义 (optional). A bad code or an unknown level is named by
its cell; nothing is saved unless every row is good. The file format is Chinese whatever the reader's language.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from certification.domain import catalogue
from core.errors import RuleBroken
from core.excel import CellError, Column, Sheet, template_workbook

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_FILE_BYTES = 10 * 1024 * 1024


def _cell(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    """A domain parser as a column parser: its RuleBroken becomes the cell's error, with the same code."""

    def parser(text: str) -> Any:
        try:
            return parse(text)
        except RuleBroken as exc:
            raise CellError(exc.code, **exc.params) from None  # names the bad part (特级技师), not the whole cell

    return parser


CATALOGUE = Sheet("职业目录", [
    Column("职业编码", "code", _cell(catalogue.parse_occupation_code), example="6-18-02-04", text=True,
           note="国家职业分类大典的编码 X-XX-XX-XX（大类-中类-小类-细类）"),
    Column("职业名称", "name", example="焊工"),
    Column("可认定等级", "levels", _cell(catalogue.parse_levels), example="五级、四级、三级、二级、一级",
           note="以顿号或逗号分隔：五级、四级、三级、二级、一级（也可写初级工…高级技师或 5…1）"),
    Column("职业定义", "description", required=False, example="操作焊接和气割设备，进行金属工件的焊接或切割成型的人员"),
], notes=("每行一个职业；编码已存在的职业按本行更新名称、等级和定义，重复导入同一文件不会产生变化。",
          "任何一行有误时整个文件都不会保存。"))


def catalogue_template() -> bytes:
    return template_workbook(CATALOGUE)


def content_disposition(filename: str) -> str:
    """An attachment header with a Chinese file name (RFC 6266 / RFC 5987) and an ASCII fallback."""
    from urllib.parse import quote

    return f"attachment; filename=\"catalogue.xlsx\"; filename*=UTF-8''{quote(filename)}"
