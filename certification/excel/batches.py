"""The registration sheet (批次报名表) a unit fills to register its people for a batch, specified once: Chinese
headers, parsers, examples, notes; `core.excel` reads it and writes its template. The import is
`certification.services.batch_import.registrations_import` (all or nothing, every bad cell named)."""

from __future__ import annotations

from accounts.excel import parse_id_number, parse_real_name
from core.excel import CellError, Column, Sheet, parse_decimal, template_workbook

SCHOOLS = {"技工学校": "technical_school", "高级技工学校": "senior_technical_school", "技师学院": "technician_college",
           "高职": "higher_vocational"}
EDUCATIONS = {"初中及以下": 0, "高中/中专": 1, "高中": 1, "中专": 1, "大专": 2, "本科": 3, "研究生": 4}


def parse_years(text: str) -> object:
    value = parse_decimal(text)
    if not 0 <= value <= 60:
        raise CellError("excel.not_a_number")
    return value


def parse_yes_no(text: str) -> bool:
    if text in ("是", "yes", "Y", "y", "1"):
        return True
    if text in ("否", "no", "N", "n", "0"):
        return False
    raise CellError("excel.not_a_choice", choices="是、否")


def parse_school(text: str) -> str:
    if text in ("无", "-"):
        return ""
    if text not in SCHOOLS:
        raise CellError("excel.not_a_choice", choices="、".join(SCHOOLS))
    return SCHOOLS[text]


def parse_education(text: str) -> int:
    if text not in EDUCATIONS:
        raise CellError("excel.not_a_choice", choices="初中及以下、高中/中专、大专、本科、研究生")
    return EDUCATIONS[text]


REGISTRATIONS = Sheet("报名表", [
    Column("姓名", "name", parse_real_name, example="张三"),
    Column("身份证号", "id_number", parse_id_number, example="370102199001011234", text=True,
           note="本单位人员的身份证号；须已在平台登记于本单位"),
    Column("从事本职业工作年限", "years", parse_years, example="6"),
    Column("完成学徒培训", "apprenticeship", parse_yes_no, required=False, example="否", note="是 或 否，空白为否"),
    Column("毕业院校类型", "school", parse_school, required=False, example="无",
           note="技工学校、高级技工学校、技师学院、高职，或空白"),
    Column("学历", "education", parse_education, example="高中/中专"),
], notes=("每人一行；任何一行有误则整表不导入，错误逐格列出。", "超过 300 行时在后台导入，可在任务页查看进度。"))


def registrations_template() -> bytes:
    return template_workbook(REGISTRATIONS)
