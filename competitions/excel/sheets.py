"""The sheets of competitions' Excel files (the roster, the marking scheme, the official results), specified once:
Chinese headers, parsers, examples, notes; `core.excel` reads and writes them. Imports are services
(`competitions.services.excel`: `roster_import`, `scheme_import`; all-or-nothing, every bad cell named by sheet,
row and column). Exports are reads, built in `competitions.excel.exports` on the shared selectors, with the
reader's masking decided by `accounts.permissions` exactly as for pages and API.

Choices (each is tested):

- **Roster**: one row per contestant. For a team skill, rows with the same 队伍编号 form one entry and must name
  the same 推荐单位; an individual skill ignores 队伍编号. A person is found by 身份证号; someone not on the
  platform yet is created (with the contestant role in the nominating unit, no password), someone already there
  must carry the 姓名 the file gives (ID number AND name agree, `accounts.excel.same_real_name`: a person
  registered without a name matches no row), and their record is left as it is; a disagreement is a cell error
  at 姓名 that names neither the registered name nor whether there is one. Coaches (教练身份证号) must be on the
  platform already; a team's coaches are the union of its rows', and the export lists them one per member row,
  in order. An importer enters people only for units they may nominate for (`ENTRY_SUBMIT`).
- **Scheme**: one row per aspect (评分项), modules (模块) in the order they first appear; 评分方式 by its Chinese
  label; 公差扣分表 as "公差:扣分" pairs separated by semicolons ("0.1:0;0.2:1;0.5:3"), only for 测量（公差扣分）;
  blank 分歧阈值 means the default 0.20, "无" switches divergence off. The theory weight lives on an optional second
  sheet 理论部分 (it belongs to the skill, but it is part of the scheme a chief referee publishes): absent means
  unchanged, "无" or 0 means no theory part, "20%" reads as 0.2. It can change only while no theory score is
  recorded, since recorded totals depend on it.
- **Official results**: one row per contestant (a team's members share its place), for skills whose names are
  known (decrypted or published) only; the columns an organizer reports upward. 标准分 appears when any row has
  one. ID and mobile numbers of an entrant are unmasked for whoever may see real-name data of the person or of
  the entry's units (the organizer verifying the entry, the nominating unit): `Action.PROFILE_VIEW_PII`, asked on
  the person and on the entry; referees and chief referees never see them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from accounts.excel import parse_id_number, parse_mobile, parse_real_name
from competitions.domain import eligibility, scoring
from competitions.models import (
    MarkingMethod,
)
from core.errors import ImportFailed, RowError, register_messages
from core.excel import (
    CellError,
    Column,
    Sheet,
    parse_choice,
    parse_decimal,
    parse_int,
    template_workbook,
)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


MAX_FILE_BYTES = 10 * 1024 * 1024


NO_VALUE_WORDS = frozenset({"无", "-", "—", "none"})


def parse_bands(text: str) -> tuple[tuple[Decimal, Decimal], ...]:
    """"0.1:0;0.2:1;0.5:3" → ((0.1, 0), (0.2, 1), (0.5, 3)); full-width ：and ；are accepted as well."""
    normalised = text.replace("：", ":").replace("；", ";").replace("\n", ";")
    bands = []
    for part in (p.strip() for p in normalised.split(";")):
        if not part:
            continue
        tolerance, sep, deduction = part.partition(":")
        if not sep:
            raise CellError("import.bands_format")
        try:
            bands.append((parse_decimal(tolerance.strip()), parse_decimal(deduction.strip())))
        except CellError:
            raise CellError("import.bands_format") from None
    if not bands:
        raise CellError("import.bands_format")
    return tuple(bands)


def format_bands(bands: Iterable[Sequence[Any]]) -> str:
    return ";".join(f"{t}:{d}" for t, d in bands)


@dataclass(frozen=True, slots=True)
class NoThreshold:
    """分歧阈值 "无": divergence switched off (a blank cell means the default instead)."""


NO_THRESHOLD = NoThreshold()


def parse_threshold(text: str) -> Decimal | NoThreshold:
    if text.strip().lower() in NO_VALUE_WORDS:
        return NO_THRESHOLD
    return _fraction(text)


def _fraction(text: str) -> Decimal:
    text = text.strip()
    if text.endswith(("%", "％")):
        return parse_decimal(text[:-1]) / 100
    return parse_decimal(text)


def parse_theory_weight(text: str) -> Decimal | None:
    """"无" or 0: no theory part; "20%" or 0.2: the weight (its range is checked with the scheme)."""
    if text.strip().lower() in NO_VALUE_WORDS:
        return None
    value = _fraction(text)
    return None if value == 0 else value


def plain(value: Decimal | None) -> str | None:
    """A stored decimal as people write it: 30.0000 → "30", 0.2000 → "0.2" (never "3E+1")."""
    return None if value is None else format(value.normalize(), "f")


# The file format is Chinese whatever the reader's interface language, so labels come from the domain's Chinese
# names, not from the translated choices; an exported file then always imports again.
METHOD_LABELS = {m.value: m.label_zh for m in scoring.MarkingMethod}


GROUP_LABELS = {g.value: g.label_zh for g in eligibility.Group}


ROSTER = Sheet("报名表", [
    Column("队伍编号", "team", required=False, example="1",
           note="团体赛必填：同一队伍的成员填写相同的编号；个人赛可留空"),
    Column("姓名", "name", parse_real_name, example="张三",
           note="与身份证上的姓名一致；已在平台登记的人员须与登记的姓名一致"),
    Column("身份证号", "id_number", parse_id_number, example="11010519491231002X", text=True,
           note="18 位居民身份证号；出生日期和性别从中读取"),
    Column("手机号", "mobile", parse_mobile, required=False, example="13812345678", text=True,
           note="新登记人员的手机号；已在平台登记的人员不会被修改"),
    Column("推荐单位", "unit", example="甲企业", note="平台上登记的单位全称或简称"),
    Column("组别", "group", parse_choice(GROUP_LABELS), example="职工组", note="职工组、学生组或教师组"),
    Column("教练身份证号", "coach_id", parse_id_number, required=False, text=True,
           note="选填；教练须已在平台登记"),
], notes=("每行一名选手；任何一行有误时整个文件都不会保存。",))


ROSTER_EXPORT = Sheet(ROSTER.name, [*ROSTER.columns, Column("报名状态", "status", required=False)])


SCHEME = Sheet("评分标准", [
    Column("模块编号", "module_code", example="M1", text=True),
    Column("模块名称", "module_name", example="测量"),
    Column("评分项编号", "aspect_code", example="A1", text=True),
    Column("评分内容", "description", required=False, example="坡口角度"),
    Column("评分方式", "method", parse_choice(METHOD_LABELS), example=METHOD_LABELS[MarkingMethod.TOLERANCE],
           note="、".join(METHOD_LABELS.values())),
    Column("满分", "max_mark", parse_decimal, example="30", note="各评分项满分合计应为 100"),
    Column("标准值", "nominal", parse_decimal, required=False, example="60", note="仅测量（公差扣分）填写"),
    Column("公差扣分表", "bands", parse_bands, required=False, example="0.5:0;1:10;2:20",
           note="仅测量（公差扣分）填写：“公差:扣分”，按公差递增，以分号分隔"),
    Column("裁判人数", "referee_count", parse_int, required=False,
           note="留空按评分方式的默认人数：测量 1 人，世赛 3 人，去掉最高最低 5 人，算术平均 3 人"),
    Column("分歧阈值", "divergence_threshold", parse_threshold, required=False, example="0.2",
           note="评价类评分项分数极差超过满分的该比例即为分歧；留空为 0.2，填“无”不检查"),
], notes=("每行一个评分项；同一模块的各行模块名称应相同。评分开始后评分标准锁定，不能再导入。",))


THEORY = Sheet("理论部分", [
    Column("理论成绩权重", "theory_weight", parse_theory_weight, example="无",
           note="可省略此工作表（不修改）；“无”表示没有理论部分；如 0.2 或 20% 表示总成绩 = 理论×0.2 + 实操×0.8"),
])


RESULTS = Sheet("正式成绩", [
    Column("名次", "place"),
    Column("姓名", "name"),
    Column("性别", "sex"),
    Column("身份证号", "id_number", text=True),
    Column("单位", "unit"),
    Column("竞赛", "event"),
    Column("赛项", "skill"),
    Column("组别", "group"),
    Column("理论成绩", "theory"),
    Column("实操成绩", "practical"),
    Column("总成绩", "total"),
    Column("奖项", "award"),
    Column("标准分", "standardised_score"),
    Column("技术能手推荐", "title"),
    Column("晋级等级", "promotion"),
])


def roster_template() -> bytes:
    return template_workbook(ROSTER)


def scheme_template() -> bytes:
    return template_workbook(SCHEME, THEORY)


TEMPLATES = {"roster": (roster_template, "报名表模板.xlsx"), "scheme": (scheme_template, "评分标准模板.xlsx")}


def read_upload(upload: UploadedFile[bytes], sheet: Sheet) -> bytes:
    """The bytes of an uploaded file, refused before reading it into memory when it is too large."""
    if upload.size is not None and upload.size > MAX_FILE_BYTES:
        raise ImportFailed([RowError(sheet.name, 0, "", "import.too_large", {"max": MAX_FILE_BYTES // 2**20})])
    return bytes(upload.read())


def content_disposition(filename: str) -> str:
    """An attachment header carrying a Chinese file name (RFC 6266 / RFC 5987 `filename*`), with an ASCII fallback
    for old clients."""
    from urllib.parse import quote

    return f"attachment; filename=\"export.xlsx\"; filename*=UTF-8''{quote(filename)}"


register_messages(
    {
        "import.bands_format": _("“{column}”的值“{value}”应写成“公差:扣分”并以分号分隔，如 0.1:0;0.2:1;0.5:3。"),
        "import.name_mismatch": _(
            "“姓名”与“身份证号”不一致：身份证号为 {value} 的人员已在平台登记，登记的姓名不是“{name}”。"
            "请核对这两列；姓名登记有误的，请由其所在单位更正后再导入。"),
        "import.unit_not_allowed": _("您不能为单位“{value}”报名。"),
        "import.team_unit_mismatch": _("队伍 {team} 的成员须来自同一推荐单位（第 {other} 行为“{unit}”）。"),
        "import.field_not_for_method": _("“{column}”只用于“{method}”评分方式。"),
        "import.module_name_mismatch": _("模块 {module} 的名称与第 {other} 行不一致。"),
        "import.too_large": _("文件超过 {max} MB，请分批导入。"),
        "import.theory_scores_recorded": _(
            "已有 {count} 名选手录入理论成绩，不能再修改理论成绩权重（当前为 {weight}）。"
        ),
        "export.not_decrypted": _("赛项“{skill}”尚未解密，还不能导出正式成绩。"),
    }
)


# Venues and workstations (issue 10 item 1): one row per venue and skill, or per workstation; 工位号 takes one
# number or ranges as typed on the page (competitions.domain.workstations: "H01–H40", "H01-H10, H15").
VENUES = Sheet("工位", [
    Column("赛场", "venue", example="济南赛场"),
    Column("赛场地址", "address", required=False, example="济南市历下区",
           note="选填；赛场已存在时不修改"),
    Column("赛项", "skill", example="焊工（职工组）", note="本竞赛的赛项名称；同名赛项分组别时写“名称（组别）”"),
    Column("工位号", "numbers", example="H01–H40", text=True,
           note="一个工位号（H01），或范围（H01–H40），多个以逗号分隔；范围从小号写到大号，前缀相同"),
], notes=("任何一行有误时整个文件都不会保存；已有的工位不能重复添加。",))


def venues_template() -> bytes:
    return template_workbook(VENUES)


TEMPLATES["venues"] = (venues_template, "工位模板.xlsx")
