"""The checklists in Excel (issue 14 item 5): templates laid out like the official forms, import, export.

A workbook's first sheet is the form itself (企业需求清单 / 院校供给清单): the title, then one row per indicator
with its category (一级指标), the indicator (二级指标), the unit's answer (填报内容) and how to fill it (填表说明),
and the form's footnotes (填表说明) below. The repeating parts are detail sheets with headers in row 1 (岗位需求,
岗位技能点, 培训需求, 合作需求; 专业设置, 在校生, 毕业生, 师资, 设备, 科研项目, 专利软著, 培训课程, 典型案例);
codes, phones and numbers-as-text columns are text columns, and columns with choices carry a data-validation list.

Import reads everything, checks formats (core.excel's parsers: formulas without a value refused naming the cell)
and then the domain's rules and the database's vocabulary (the catalogue, the chains) in one pass; every problem
is a RowError naming the sheet, row and column, and nothing is saved on any error (the caller saves the form).
Export writes a checklist in the same layout, so export → import gives the same checklist.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any

import openpyxl
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation

from core.errors import FieldError, ImportFailed, RowError
from core.excel import CellError, Column, Sheet, parse_decimal, parse_int, read_rows
from talentpool.domain import checklists as d
from talentpool.models import (
    CollaborationForm,
    Education,
    EnterpriseNature,
    IpKind,
    ResearchLevel,
    TrainingMode,
)
from talentpool.models.pool import City

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_FILE_BYTES = 20 * 1024 * 1024
ANSWER = "填报内容"
YES_NO = {True: "是", False: "否"}
MUST = {True: "必备", False: "优先"}


def _labels(choices: Sequence[tuple[Any, Any]]) -> dict[Any, str]:
    return {value: str(label) for value, label in choices}


NATURE = _labels(EnterpriseNature.choices)
CITY = _labels(City.choices)
EDUCATION = _labels(Education.choices)
MODE = _labels(TrainingMode.choices)
COLLAB = _labels(CollaborationForm.choices)
RESEARCH = _labels(ResearchLevel.choices)
IP = _labels(IpKind.choices)
LEVELS = [d.level_label(r) for r in range(1, 9)]


@dataclass(frozen=True)
class Col:
    """A cell of the form: its header, the domain field, how it is read and written."""

    header: str
    field: str
    kind: str = "text"  # text, int, decimal, choice, level, bool, must, codes, chains
    choices: Mapping[Any, str] | None = None
    required: bool = False
    example: str = ""
    note: str = ""

    @property
    def options(self) -> list[str]:
        if self.kind == "level":
            return LEVELS
        if self.kind == "bool":
            return list(YES_NO.values())
        if self.kind == "must":
            return list(MUST.values())
        return list(self.choices.values()) if self.choices else []


@dataclass(frozen=True)
class Detail:
    name: str
    key: str  # the form's field (posts, majors …); "skills" are the posts' skill points
    row_class: type[Any]
    cols: Sequence[Col]
    notes: Sequence[str] = ()


@dataclass(frozen=True)
class Indicator:
    category: str
    col: Col


@dataclass(frozen=True)
class Layout:
    title: str
    form_class: type[Any]
    indicators: Sequence[Indicator]
    details: Sequence[Detail]
    footnotes: Sequence[str]


YEAR = Col("填报年度", "year", "int", required=True, example="2026", note="四位年份")
CONTACT = [Col("联系人", "contact_person", required=True, example="王经理"),
           Col("职务", "contact_title", example="人力资源部经理"),
           Col("联系电话", "contact_phone", required=True, example="0531-88888888",
               note="手机号或带区号的固定电话，可带分机号"),
           Col("电子邮箱", "contact_email", example="hr@example.cn")]
POST_NO = Col("岗位序号", "_post", "int", required=True, example="1", note="与“岗位技能点”表的岗位序号对应")

DEMAND = Layout(
    "企业需求清单", d.DemandForm,
    [Indicator("基本情况", YEAR),
     Indicator("基本情况", Col("企业名称", "enterprise_name", required=True, example="鲁中重型机械股份有限公司")),
     Indicator("基本情况", Col("统一社会信用代码", "credit_code", example="91370100MA3C123456", note="18 位")),
     Indicator("基本情况", Col("企业性质", "nature", "choice", NATURE, required=True, example="链主企业")),
     Indicator("基本情况", Col("所在城市", "city", "choice", CITY, required=True, example="济南")),
     Indicator("基本情况", Col("地址", "address", example="济南市历城区")),
     Indicator("基本情况", Col("职工人数", "employees", "int", example="1200")),
     Indicator("基本情况", Col("主营业务", "main_business", example="工程机械整机制造")),
     Indicator("基本情况", Col("所属产业链", "chains", "chains", required=True, example="高端装备、工程机械",
                           note="填写产业链名称，多条以顿号分隔")),
     *(Indicator("联系方式", c) for c in CONTACT)],
    [Detail("岗位需求", "posts", d.PostForm, [
        POST_NO, Col("岗位名称", "name", required=True, example="焊接工"),
        Col("职业（工种）编码", "occupation_code", required=True, example="6-18-02-04", note="职业分类大典编码"),
        Col("职业（工种）名称", "occupation_name", example="焊工", note="可不填，按编码自动填写"),
        Col("需求人数", "headcount", "int", required=True, example="10", note="大于 0 的整数"),
        Col("技能等级要求", "level", "level", required=True, example="四级/中级工",
            note="学徒工、五级/初级工 … 首席技师，或阶数 1–8"),
        Col("学历要求", "education", "choice", EDUCATION, example="高中/中专/技工学校"),
        Col("工作经验（年）", "years_experience", "int", example="2"),
        Col("工作地点", "city", "choice", CITY, required=True, example="济南"),
        Col("薪酬待遇", "salary", example="8000-12000 元/月"), Col("岗位职责", "description", example="焊接结构件")]),
     Detail("岗位技能点", "skills", d.PostSkillForm, [
         POST_NO, Col("技能点", "name", required=True, example="二氧化碳气体保护焊"),
         Col("等级要求", "level", "level", example="四级/中级工"),
         Col("必备/优先", "must_have", "must", example="必备", note="必备技能点在匹配时作为硬性条件")]),
     Detail("培训需求", "training_needs", d.TrainingNeedForm, [
         Col("培训内容", "content", required=True, example="焊接机器人编程与操作"),
         Col("培训对象", "trainees", required=True, example="在岗焊工"),
         Col("培训人数", "size", "int", required=True, example="30"),
         Col("培训周期", "period", required=True, example="2026年第三季度，40 学时"),
         Col("培训方式", "mode", "choice", MODE, required=True, example="线下")]),
     Detail("合作需求", "collaboration_needs", d.CollaborationNeedForm, [
         Col("技术难题", "problem", required=True, example="厚板焊接变形控制"),
         Col("预期目标", "goal", required=True, example="变形量降低 30%"),
         Col("需院校提供的资源", "resources_wanted", example="焊接实验室、工艺专家"),
         Col("合作形式", "form", "choice", COLLAB, required=True, example="联合攻关项目")])],
    ["1. 本表由企业填写，每年一份；“填报内容”一列填写本企业情况，带 * 的为必填项。",
     "2. 岗位需求、岗位技能点、培训需求、合作需求分别填写在同名工作表中，每行一条，可增加行。",
     "3. 职业（工种）编码按《中华人民共和国职业分类大典》填写，如 6-18-02-04。",
     "4. 技能等级：学徒工、五级/初级工、四级/中级工、三级/高级工、二级/技师、一级/高级技师、特级技师、首席技师。",
     "5. 联系电话填写手机号或带区号的固定电话（如 0531-88888888）。"],
)

MAJOR = Col("专业代码", "major_code", required=True, example="660301", note="与“专业设置”表的专业代码对应")
SUPPLY = Layout(
    "院校供给清单", d.SupplyForm,
    [Indicator("基本情况", YEAR),
     Indicator("基本情况", Col("院校名称", "college_name", required=True, example="山东工业技师学院")),
     Indicator("基本情况", Col("所在城市", "city", "choice", CITY, required=True, example="淄博")),
     Indicator("基本情况", Col("服务产业链", "chains", "chains", required=True, example="高端装备",
                           note="填写产业链名称，多条以顿号分隔")),
     *(Indicator("联系方式", c) for c in CONTACT)],
    [Detail("专业设置", "majors", d.MajorForm, [
        Col("专业代码", "code", required=True, example="660301"),
        Col("专业名称", "name", required=True, example="焊接加工"),
        Col("对应职业编码", "occupation_codes", "codes", example="6-18-02-04", note="多个以顿号或逗号分隔")]),
     Detail("在校生", "students", d.StudentForm, [
         MAJOR, Col("年级", "grade", "int", required=True, example="2025", note="入学年份"),
         Col("人数", "count", "int", required=True, example="120")]),
     Detail("毕业生", "graduates", d.GraduateForm, [
         MAJOR, Col("毕业年份", "year", "int", required=True, example="2025", note="近三年"),
         Col("毕业生人数", "count", "int", required=True, example="100"),
         Col("省内就业人数", "employed_in_province", "int", example="80"),
         Col("就业单位类型", "employer_types", example="国有企业、民营企业"),
         Col("主要就业岗位", "posts", example="焊工")]),
     Detail("师资", "teachers", d.TeacherForm, [
         MAJOR, Col("专任教师数", "full_time", "int", required=True, example="20"),
         Col("其中高级职称", "senior_title", "int", required=True, example="8", note="不多于专任教师数"),
         Col("企业兼职教师数", "part_time_industry", "int", example="5")]),
     Detail("设备", "equipment", d.EquipmentForm, [
         Col("设备名称", "name", required=True, example="焊接机器人工作站"),
         Col("数量", "count", "int", required=True, example="6"),
         Col("功能用途", "function", required=True, example="机器人焊接实训"),
         Col("对企业开放", "open_to_enterprises", "bool", example="是"), Col("有偿使用", "paid", "bool", example="否"),
         Col("开放时间", "open_hours", example="周一至周五 8:00-17:00")]),
     Detail("科研项目", "research", d.ResearchForm, [
         Col("项目名称", "name", required=True, example="厚板焊接工艺研究"),
         Col("项目级别", "level", "choice", RESEARCH, required=True, example="省级"),
         Col("项目类型", "kind", required=True, example="应用研究"), Col("委托单位/来源", "client", example="某重工"),
         Col("经费（万元）", "amount", "decimal", example="12.5"),
         Col("立项年份", "year", "int", required=True, example="2024"),
         Col("已结题", "finished", "bool", example="是")]),
     Detail("专利软著", "ip", d.IpForm, [
         Col("类型", "kind", "choice", IP, required=True, example="实用新型专利"),
         Col("名称", "name", required=True, example="一种焊接夹具"),
         Col("专利号/登记号", "number", required=True, example="ZL202420000001.1"),
         Col("授权年份", "year", "int", required=True, example="2025")]),
     Detail("培训课程", "courses", d.CourseForm, [
         Col("课程名称", "name", required=True, example="焊工（四级）培训"),
         Col("课程内容", "content", required=True, example="CO2 气体保护焊"),
         Col("对应职业编码", "occupation_code", example="6-18-02-04"),
         Col("年培训能力（人次）", "yearly_capacity", "int", required=True, example="300"),
         Col("培训方式", "mode", "choice", MODE, required=True, example="线下")]),
     Detail("典型案例", "cases", d.CaseForm, [
         Col("案例名称", "title", required=True, example="订单班培养焊工"),
         Col("合作单位", "partner", example="某重工"),
         Col("案例简介", "description", required=True, example="三年为企业输送焊工 60 人")])],
    ["1. 本表由院校填写，每年一份；“填报内容”一列填写本校情况，带 * 的为必填项。",
     "2. 专业设置、在校生、毕业生、师资、设备、科研项目、专利软著、培训课程、典型案例分别填写在同名工作表中。",
     "3. 在校生、毕业生、师资按专业代码填写，专业代码须在“专业设置”表中。",
     "4. 毕业生填写近三年；科研项目、专利软著填写近三年。",
     "5. 设备“对企业开放”“有偿使用”填写 是 或 否。"],
)


# Writing.

def _put(cell: Any, value: Any, *, text: bool = True) -> None:
    """A value as a literal: text never becomes a formula (formula injection), numbers stay numbers."""
    if value is None or value == "":
        cell.number_format = "@"
        return
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool) and not text:
        cell.value = float(value) if isinstance(value, Decimal) else value
        return
    cell.value = str(value)
    cell.data_type = "s"
    cell.number_format = "@"
    if str(value).startswith(("=", "+", "-", "@", "\t", "\r")):
        cell.quotePrefix = True


def _out(col: Col, value: Any, chain_names: Mapping[str, str]) -> Any:
    if col.kind == "choice" and col.choices is not None:
        return col.choices.get(value, value)
    if col.kind == "bool":
        return YES_NO[bool(value)]
    if col.kind == "must":
        return MUST[bool(value)]
    if col.kind == "codes":
        return "、".join(value)
    if col.kind == "chains":
        return "、".join(chain_names.get(c, c) for c in value)
    return value


def _validation(sheet: Any, col: Col, letter: str, first: int, last: int) -> None:
    options = col.options
    if not options:
        return
    listed = ",".join(options)
    if len(listed) > 250:
        return
    rule = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=not col.required)
    rule.error, rule.errorTitle = "请从列表中选择", "输入值无效"
    sheet.add_data_validation(rule)
    rule.add(f"{letter}{first}:{letter}{last}")


def _workbook(layout: Layout, facts: Mapping[str, Any] | None, rows: Mapping[str, list[dict[str, Any]]],
              chain_names: Mapping[str, str]) -> bytes:
    book = openpyxl.Workbook()
    main = book.active
    main.title = layout.title
    main["A1"] = layout.title
    main["A1"].font = Font(bold=True, size=16)
    main.merge_cells("A1:D1")
    main["A1"].alignment = Alignment(horizontal="center")
    for position, header in enumerate(("一级指标", "二级指标", ANSWER, "填表说明"), start=1):
        _put(main.cell(row=2, column=position), header)
        main.cell(row=2, column=position).font = Font(bold=True)
    for row, indicator in enumerate(layout.indicators, start=3):
        col = indicator.col
        _put(main.cell(row=row, column=1), indicator.category)
        _put(main.cell(row=row, column=2), col.header + (" *" if col.required else ""))
        value = _out(col, facts.get(col.field), chain_names) if facts is not None else col.example
        _put(main.cell(row=row, column=3), value, text=col.kind not in ("int",))
        _put(main.cell(row=row, column=4), col.note)
        _validation(main, col, "C", row, row)
    row = 3 + len(layout.indicators)
    for detail in layout.details:
        _put(main.cell(row=row, column=1), detail.name)
        _put(main.cell(row=row, column=2), f"见“{detail.name}”工作表")
        row += 1
    row += 1
    _put(main.cell(row=row, column=1), "填表说明")
    main.cell(row=row, column=1).font = Font(bold=True)
    for line in layout.footnotes:
        row += 1
        _put(main.cell(row=row, column=1), line)
        main.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
    for letter, width in zip("ABCD", (14, 22, 40, 40), strict=True):
        main.column_dimensions[letter].width = width
    for detail in layout.details:
        sheet = book.create_sheet(detail.name)
        items = ([{c.field: _out(c, item.get(c.field), chain_names) for c in detail.cols}
                  for item in rows.get(detail.key, [])] if facts is not None
                 else [{c.field: c.example for c in detail.cols}])
        for position, col in enumerate(detail.cols, start=1):
            cell = sheet.cell(row=1, column=position)
            _put(cell, col.header)
            cell.font = Font(bold=True)
            letter = cell.column_letter
            sheet.column_dimensions[letter].width = max(12, 2 * len(col.header) + 4)
            _validation(sheet, col, letter, 2, 2000)
        for number, item in enumerate(items or [], start=2):
            for position, col in enumerate(detail.cols, start=1):
                _put(sheet.cell(row=number, column=position), item.get(col.field),
                     text=col.kind not in ("int", "decimal"))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _plain(item: Any) -> dict[str, Any]:
    return {f.name: getattr(item, f.name) for f in fields(item)}


def demand_template(chain_names: Mapping[str, str]) -> bytes:
    return _workbook(DEMAND, None, {}, chain_names)


def supply_template(chain_names: Mapping[str, str]) -> bytes:
    return _workbook(SUPPLY, None, {}, chain_names)


def demand_workbook(year: int, form: d.DemandForm, chain_names: Mapping[str, str]) -> bytes:
    posts = [{**_plain(p), "_post": i} for i, p in enumerate(form.posts, start=1)]
    skills = [{**_plain(s), "_post": i} for i, p in enumerate(form.posts, start=1) for s in p.skills]
    return _workbook(DEMAND, {**_plain(form), "year": year}, {
        "posts": posts, "skills": skills, "training_needs": [_plain(t) for t in form.training_needs],
        "collaboration_needs": [_plain(c) for c in form.collaboration_needs]}, chain_names)


def supply_workbook(year: int, form: d.SupplyForm, chain_names: Mapping[str, str]) -> bytes:
    return _workbook(SUPPLY, {**_plain(form), "year": year},
                     {detail.key: [_plain(x) for x in getattr(form, detail.key)] for detail in SUPPLY.details},
                     chain_names)


# Reading.

def _parser(col: Col) -> Callable[[str], Any]:
    if col.kind == "int":
        return parse_int
    if col.kind == "decimal":
        return parse_decimal
    if col.kind in ("choice", "bool", "must"):
        by_label = ({label: value for value, label in col.choices.items()} if col.choices is not None
                    else {label: value for value, label in (YES_NO if col.kind == "bool" else MUST).items()})
        values = {str(v): v for v in by_label.values()}

        def parse(text: str) -> Any:
            if text in by_label:
                return by_label[text]
            if text in values and col.kind == "choice":
                return values[text]
            raise CellError("excel.not_a_choice", choices="、".join(by_label))

        return parse
    if col.kind == "codes":
        return d.split_codes
    return str


def _default(col: Col) -> Any:
    return {"int": 0, "decimal": Decimal("0"), "bool": False, "must": False, "codes": ()}.get(col.kind, "")


def _sheet(detail: Detail) -> Sheet:
    return Sheet(detail.name, [Column(c.header, c.field, _parser(c), required=c.required) for c in detail.cols])


def _detail_rows(data: bytes, detail: Detail) -> tuple[list[dict[str, Any]], list[RowError]]:
    try:
        rows, errors = read_rows(data, _sheet(detail), partial=True)
    except ImportFailed as exc:
        if all(e.code == "excel.no_rows" for e in exc.row_errors):
            return [], []
        raise
    for row in rows:
        for col in detail.cols:
            if row.get(col.field) is None:
                row[col.field] = None if col.field == "_post" else _default(col)
    return rows, errors


def _facts(data: bytes, layout: Layout, chains_by_name: Mapping[str, str]) -> tuple[
        dict[str, Any], dict[str, int], list[RowError]]:
    """The first sheet's answers by field, the row of each field, and every unreadable answer."""
    errors: list[RowError] = []
    try:
        values = openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=True)
        formulas = openpyxl.load_workbook(io.BytesIO(data), data_only=False, read_only=True)
    except Exception as exc:  # noqa: BLE001 - a corrupt or non-Excel upload, whatever the library raises
        raise ImportFailed([RowError(layout.title, 0, "", "excel.unreadable")]) from exc
    try:
        if layout.title not in values.sheetnames:
            raise ImportFailed([RowError(layout.title, 0, "", "excel.sheet_missing", {"sheet": layout.title})])
        by_header = {i.col.header: i.col for i in layout.indicators}
        found: dict[str, Any] = {}
        where: dict[str, int] = {}
        cached_rows = values[layout.title].iter_rows(max_col=3)
        formula_rows = formulas[layout.title].iter_rows(max_col=3)
        for number, (cached, raw) in enumerate(zip(cached_rows, formula_rows, strict=False), start=1):
            if len(cached) < 3:
                continue
            header = str(cached[1].value or "").replace("*", "").strip()
            col = by_header.get(header)
            if col is None:
                continue
            where[col.field] = number
            value, formula = cached[2].value, raw[2]
            if getattr(formula, "data_type", None) == "f" and value is None:
                errors.append(RowError(layout.title, number, ANSWER, "excel.formula_without_value"))
                found[col.field] = _default(col) if col.field != "employees" else None
                continue
            if getattr(cached[2], "data_type", None) == "e":
                errors.append(RowError(layout.title, number, ANSWER, "excel.error_value", {"value": str(value)}))
                found[col.field] = _default(col)
                continue
            text = "" if value is None else (str(int(value)) if isinstance(value, float) and value.is_integer()
                                              else str(value)).strip()
            found[col.field] = _fact_value(col, text, number, layout, chains_by_name, errors)
        for indicator in layout.indicators:
            if indicator.col.field not in where:
                errors.append(RowError(layout.title, 0, indicator.col.header, "excel.checklist_facts_missing"))
        return found, where, errors
    finally:
        values.close()
        formulas.close()


def _fact_value(col: Col, text: str, number: int, layout: Layout, chains_by_name: Mapping[str, str],
                errors: list[RowError]) -> Any:
    if not text:
        return None if col.kind == "int" and col.field == "employees" else _default(col)
    if col.kind == "chains":
        codes = []
        for name in d.split_codes(text):
            code = chains_by_name.get(name)
            if code is None:
                errors.append(RowError(layout.title, number, ANSWER, "checklist.chain_unknown",
                                       {"field": col.header, "value": name}))
            else:
                codes.append(code)
        return tuple(codes)
    try:
        return _parser(col)(text)
    except CellError as exc:
        errors.append(RowError(layout.title, number, ANSWER, exc.code, {"value": text, "column": col.header,
                                                                        **exc.params}))
    except ValueError:
        errors.append(RowError(layout.title, number, ANSWER, "excel.cell_invalid", {"value": text}))
    return _default(col)


@dataclass(frozen=True)
class Imported:
    """A workbook read as a checklist: its year and form (not yet checked against the domain's rules), and where
    each field path lives in the workbook, so the caller maps validation errors to cells (`cell_errors`)."""

    year: int
    form: Any
    errors: list[RowError]
    places: dict[str, tuple[str, int, str]]


def _row_values(detail: Detail, row: Mapping[str, Any]) -> dict[str, Any]:
    names = {f.name for f in fields(detail.row_class)}
    return {c.field: row[c.field] for c in detail.cols if c.field in names}


def _place(places: dict[str, tuple[str, int, str]], path: str, detail: Detail, row: int) -> None:
    for col in detail.cols:
        places[f"{path}.{col.field}"] = (detail.name, row, col.header)
    places[path] = (detail.name, row, "")


def read_demand(data: bytes, chains_by_name: Mapping[str, str]) -> Imported:
    facts, where, errors = _facts(data, DEMAND, chains_by_name)
    places: dict[str, tuple[str, int, str]] = {f: (DEMAND.title, row, ANSWER) for f, row in where.items()}
    details = {x.key: x for x in DEMAND.details}
    parsed: dict[str, list[dict[str, Any]]] = {}
    for detail in DEMAND.details:
        rows, bad = _detail_rows(data, detail)
        parsed[detail.key], errors = rows, errors + bad
    by_number: dict[int, int] = {}
    for i, row in enumerate(parsed["posts"]):
        if row["_post"] is not None and row["_post"] in by_number:
            errors.append(RowError("岗位需求", row["_row"], POST_NO.header, "excel.duplicate",
                                   {"value": row["_post"], "other": parsed["posts"][by_number[row["_post"]]]["_row"]}))
        elif row["_post"] is not None:
            by_number[row["_post"]] = i
    skills: dict[int, list[dict[str, Any]]] = {}
    for row in parsed["skills"]:
        if row["_post"] is None:
            continue
        if row["_post"] not in by_number:
            errors.append(RowError("岗位技能点", row["_row"], POST_NO.header, "excel.checklist_post_unknown",
                                   {"value": row["_post"]}))
            continue
        skills.setdefault(by_number[row["_post"]], []).append(row)
    posts = []
    for i, row in enumerate(parsed["posts"]):
        _place(places, f"posts[{i}]", details["posts"], row["_row"])
        own = skills.get(i, [])
        for j, skill in enumerate(own):
            _place(places, f"posts[{i}].skills[{j}]", details["skills"], skill["_row"])
        posts.append(d.PostForm(**_row_values(details["posts"], row), skills=tuple(
            d.PostSkillForm(**_row_values(details["skills"], s)) for s in own)))
    sections: dict[str, Any] = {}
    for key in ("training_needs", "collaboration_needs"):
        detail = details[key]
        for i, row in enumerate(parsed[key]):
            _place(places, f"{key}[{i}]", detail, row["_row"])
        sections[key] = tuple(detail.row_class(**_row_values(detail, r)) for r in parsed[key])
    places["posts"] = ("岗位需求", 2, "")
    year = facts.pop("year", 0) or 0
    form = d.DemandForm(**{f.name: facts[f.name] for f in fields(d.DemandForm) if f.name in facts},
                        posts=tuple(posts), **sections)
    return Imported(year, form, errors, places)


def read_supply(data: bytes, chains_by_name: Mapping[str, str]) -> Imported:
    facts, where, errors = _facts(data, SUPPLY, chains_by_name)
    places: dict[str, tuple[str, int, str]] = {f: (SUPPLY.title, row, ANSWER) for f, row in where.items()}
    sections: dict[str, Any] = {}
    for detail in SUPPLY.details:
        rows, bad = _detail_rows(data, detail)
        errors += bad
        for i, row in enumerate(rows):
            _place(places, f"{detail.key}[{i}]", detail, row["_row"])
        places[detail.key] = (detail.name, 2, "")
        sections[detail.key] = tuple(detail.row_class(**_row_values(detail, r)) for r in rows)
    year = facts.pop("year", 0) or 0
    form = d.SupplyForm(**{f.name: facts[f.name] for f in fields(d.SupplyForm) if f.name in facts}, **sections)
    return Imported(year, form, errors, places)


def cell_errors(imported: Imported, problems: Sequence[FieldError]) -> list[RowError]:
    """Every problem of the workbook: its unreadable cells, then the domain's, each at its cell; a domain problem
    of a cell that was already unreadable is not repeated."""
    out = list(imported.errors)
    taken = {(e.sheet, e.row, e.column) for e in out}
    for problem in problems:
        path = problem.field
        place = imported.places.get(path)
        while place is None and ("." in path or "[" in path):
            path = path.rsplit(".", 1)[0] if "." in path else path.rsplit("[", 1)[0]
            place = imported.places.get(path)
        sheet, row, column = place or (imported.places.get("year", ("", 0, ""))[0], 0, "")
        if (sheet, row, column) in taken:
            continue
        taken.add((sheet, row, column))
        out.append(RowError(sheet, row, column, problem.code, {**problem.params, "field": column or problem.label}))
    return sorted(out, key=lambda e: (_order(e.sheet), e.row, e.column))


def _order(sheet: str) -> int:
    names = [DEMAND.title, *(x.name for x in DEMAND.details), SUPPLY.title, *(x.name for x in SUPPLY.details)]
    return names.index(sheet) if sheet in names else len(names)
