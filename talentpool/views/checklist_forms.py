"""The checklists' page forms: how each part of the two official forms is laid out as inputs (facts) and as
repeating rows (posts with their skill points, training needs …), how a POST is read back into the domain's form
(every unreadable number named by its field path, as validation names the rest), and how a form is shown again
with each error beside its field. Views in talentpool/views/checklists.py use these; the detail pages show the
same specs read-only, so the page, the view and the Excel sheets list the same fields in the same order."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from decimal import Decimal, InvalidOperation
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from core.errors import FieldError
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

LEVELS = [(d.level_label(r), d.level_label(r)) for r in range(1, 9)]
YES_NO = [("0", _("否")), ("1", _("是"))]
MUST = [("0", _("优先")), ("1", _("必备"))]


@dataclass(frozen=True)
class F:
    """One input: its domain field name, label, kind (text, int, decimal, textarea, select, bool, codes)."""

    name: str
    label: Any
    kind: str = "text"
    choices: Sequence[tuple[Any, Any]] | None = None
    required: bool = False
    datalist: str = ""  # the id of a <datalist> offering values (occupation codes)


@dataclass(frozen=True)
class Section:
    key: str
    title: Any
    row_class: type[Any]
    fields: Sequence[F]
    note: Any = ""


def _c(choices: Any) -> list[tuple[Any, Any]]:
    return [(v, label) for v, label in choices]


DEMAND_FACTS = [
    F("enterprise_name", _("企业名称"), required=True), F("credit_code", _("统一社会信用代码")),
    F("nature", _("企业性质"), "select", _c(EnterpriseNature.choices), required=True),
    F("city", _("所在城市"), "select", _c(City.choices), required=True), F("address", _("地址")),
    F("employees", _("职工人数"), "int"), F("main_business", _("主营业务"), "textarea"),
    F("contact_person", _("联系人"), required=True), F("contact_title", _("职务")),
    F("contact_phone", _("联系电话"), required=True), F("contact_email", _("电子邮箱")),
]
POSTS = Section("posts", _("岗位需求"), d.PostForm, [
    F("name", _("岗位名称"), required=True),
    F("occupation_code", _("职业（工种）编码"), required=True, datalist="occupations"),
    F("headcount", _("需求人数"), "int", required=True),
    F("level", _("技能等级要求"), "select", LEVELS, required=True),
    F("education", _("学历要求"), "select", _c(Education.choices)),
    F("years_experience", _("工作经验（年）"), "int"),
    F("city", _("工作地点"), "select", _c(City.choices), required=True),
    F("salary", _("薪酬待遇")), F("description", _("岗位职责"), "textarea"),
])
SKILLS = Section("skills", _("岗位技能点"), d.PostSkillForm, [
    F("name", _("技能点"), required=True), F("level", _("等级要求"), "select", [("", "—"), *LEVELS]),
    F("must_have", _("必备/优先"), "bool", MUST),
])
TRAINING = Section("training_needs", _("培训需求"), d.TrainingNeedForm, [
    F("content", _("培训内容"), "textarea", required=True), F("trainees", _("培训对象"), required=True),
    F("size", _("培训人数"), "int", required=True), F("period", _("培训周期"), required=True),
    F("mode", _("培训方式"), "select", _c(TrainingMode.choices), required=True),
])
COLLABORATION = Section("collaboration_needs", _("合作需求"), d.CollaborationNeedForm, [
    F("problem", _("技术难题"), "textarea", required=True), F("goal", _("预期目标"), "textarea", required=True),
    F("resources_wanted", _("需院校提供的资源"), "textarea"),
    F("form", _("合作形式"), "select", _c(CollaborationForm.choices), required=True),
])
DEMAND_SECTIONS = [POSTS, TRAINING, COLLABORATION]

SUPPLY_FACTS = [
    F("college_name", _("院校名称"), required=True),
    F("city", _("所在城市"), "select", _c(City.choices), required=True),
    F("contact_person", _("联系人"), required=True), F("contact_title", _("职务")),
    F("contact_phone", _("联系电话"), required=True), F("contact_email", _("电子邮箱")),
]
SUPPLY_SECTIONS = [
    Section("majors", _("专业设置"), d.MajorForm, [
        F("code", _("专业代码"), required=True), F("name", _("专业名称"), required=True),
        F("occupation_codes", _("对应职业编码"), "codes", datalist="occupations")],
        _("对应职业编码可填多个，以逗号或顿号分隔。")),
    Section("students", _("在校生"), d.StudentForm, [
        F("major_code", _("专业代码"), required=True), F("grade", _("年级（入学年份）"), "int", required=True),
        F("count", _("人数"), "int", required=True)]),
    Section("graduates", _("毕业生（近三年）"), d.GraduateForm, [
        F("major_code", _("专业代码"), required=True), F("year", _("毕业年份"), "int", required=True),
        F("count", _("毕业生人数"), "int", required=True), F("employed_in_province", _("省内就业人数"), "int"),
        F("employer_types", _("就业单位类型")), F("posts", _("主要就业岗位"))]),
    Section("teachers", _("师资"), d.TeacherForm, [
        F("major_code", _("专业代码"), required=True), F("full_time", _("专任教师数"), "int", required=True),
        F("senior_title", _("其中高级职称"), "int", required=True),
        F("part_time_industry", _("企业兼职教师数"), "int")]),
    Section("equipment", _("设备"), d.EquipmentForm, [
        F("name", _("设备名称"), required=True), F("count", _("数量"), "int", required=True),
        F("function", _("功能用途"), "textarea", required=True),
        F("open_to_enterprises", _("对企业开放"), "bool", YES_NO), F("paid", _("有偿使用"), "bool", YES_NO),
        F("open_hours", _("开放时间"))]),
    Section("research", _("科研项目"), d.ResearchForm, [
        F("name", _("项目名称"), required=True),
        F("level", _("项目级别"), "select", _c(ResearchLevel.choices), required=True),
        F("kind", _("项目类型"), required=True), F("client", _("委托单位/来源")),
        F("amount", _("经费（万元）"), "decimal"), F("year", _("立项年份"), "int", required=True),
        F("finished", _("已结题"), "bool", YES_NO)]),
    Section("ip", _("专利、软件著作权"), d.IpForm, [
        F("kind", _("类型"), "select", _c(IpKind.choices), required=True), F("name", _("名称"), required=True),
        F("number", _("专利号/登记号"), required=True), F("year", _("授权年份"), "int", required=True)]),
    Section("courses", _("培训课程"), d.CourseForm, [
        F("name", _("课程名称"), required=True), F("content", _("课程内容"), "textarea", required=True),
        F("occupation_code", _("对应职业编码"), datalist="occupations"),
        F("yearly_capacity", _("年培训能力（人次）"), "int", required=True),
        F("mode", _("培训方式"), "select", _c(TrainingMode.choices), required=True)]),
    Section("cases", _("典型案例"), d.CaseForm, [
        F("title", _("案例名称"), required=True), F("partner", _("合作单位")),
        F("description", _("案例简介"), "textarea", required=True)]),
]


# Reading a POST.

class _Reader:
    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def value(self, path: str, spec: F, text: str) -> Any:
        text = text.strip()
        if spec.kind == "int" or spec.name == "education":
            if not text:
                return None if spec.name == "employees" else 0
            try:
                return int(text)
            except ValueError:
                self.errors.append(FieldError(path, "checklist.not_a_number", {"value": text},
                                              label=d.label_of(path)))
                return 0
        if spec.kind == "decimal":
            try:
                return Decimal(text or "0")
            except InvalidOperation:
                self.errors.append(FieldError(path, "checklist.not_a_number", {"value": text},
                                              label=d.label_of(path)))
                return Decimal("0")
        if spec.kind == "bool":
            return text in ("1", "true", "on", "是", "必备")
        if spec.kind == "codes":
            return d.split_codes(text)
        return text


def _rows(post: QueryDict, section: Section) -> list[dict[str, str]]:
    columns = {f.name: post.getlist(f"{section.key}-{f.name}") for f in section.fields}
    extra = post.getlist(f"{section.key}-key") if section is POSTS else []
    count = max((len(v) for v in columns.values()), default=0)
    rows = []
    for i in range(count):
        raw = {name: (values[i] if i < len(values) else "") for name, values in columns.items()}
        if section is POSTS:
            raw["key"] = extra[i] if i < len(extra) else ""
        meaningful = {k: v for k, v in raw.items() if k != "key" and v.strip() and not _default_choice(section, k, v)}
        if meaningful:
            rows.append(raw)
    return rows


def _default_choice(section: Section, name: str, value: str) -> bool:
    """A select left at its first option does not make a row worth keeping on its own."""
    spec = next(f for f in section.fields if f.name == name)
    return spec.kind in ("select", "bool") and spec.choices is not None and str(spec.choices[0][0]) == value


def _build(reader: _Reader, section: Section, index: int, raw: Mapping[str, str], prefix: str = "",
           **extra: Any) -> Any:
    at = f"{prefix}{section.key}[{index}]"
    values = {f.name: reader.value(f"{at}.{f.name}", f, raw.get(f.name, "")) for f in section.fields}
    names = {f.name for f in fields(section.row_class)}
    return section.row_class(**{k: v for k, v in {**values, **extra}.items() if k in names})


def _facts(reader: _Reader, post: QueryDict, specs: Sequence[F]) -> dict[str, Any]:
    return {f.name: reader.value(f.name, f, post.get(f.name, "")) for f in specs}


def read_year(post: QueryDict) -> tuple[int, list[FieldError]]:
    text = post.get("year", "").strip()
    try:
        return int(text), []
    except ValueError:
        return 0, [FieldError("year", "checklist.not_a_number", {"value": text}, label=d.label_of("year"))]


def demand_from_post(post: QueryDict) -> tuple[d.DemandForm, list[FieldError], list[dict[str, Any]]]:
    """The form, the errors of unreadable values, and the posts' raw rows with their skills (to show again)."""
    reader = _Reader()
    skills_by_key: dict[str, list[dict[str, str]]] = {}
    skill_posts = post.getlist("skills-post")
    for i, raw in enumerate(_skill_rows(post)):
        if not raw.get("name", "").strip() and not raw.get("level", "").strip():
            continue
        skills_by_key.setdefault(skill_posts[i] if i < len(skill_posts) else "", []).append(raw)
    posts, raw_posts = [], []
    for i, raw in enumerate(_rows(post, POSTS)):
        skills = skills_by_key.get(raw.get("key", ""), [])
        built_skills = tuple(_build(reader, SKILLS, j, s, prefix=f"posts[{i}].") for j, s in enumerate(skills))
        posts.append(_build(reader, POSTS, i, raw, skills=built_skills))
        raw_posts.append({**raw, "skills": skills})
    sections: dict[str, Any] = {s.key: tuple(_build(reader, s, i, raw) for i, raw in enumerate(_rows(post, s)))
                for s in (TRAINING, COLLABORATION)}
    form = d.DemandForm(**_facts(reader, post, DEMAND_FACTS), chains=tuple(post.getlist("chains")),
                        posts=tuple(posts), **sections)
    return form, reader.errors, raw_posts


def _skill_rows(post: QueryDict) -> list[dict[str, str]]:
    columns = {f.name: post.getlist(f"skills-{f.name}") for f in SKILLS.fields}
    count = max((len(v) for v in columns.values()), default=0)
    rows = [{n: (v[i] if i < len(v) else "") for n, v in columns.items()} for i in range(count)]
    return rows  # blank skill rows are kept in step with skills-post, and dropped below by name


def supply_from_post(post: QueryDict) -> tuple[d.SupplyForm, list[FieldError]]:
    reader = _Reader()
    sections: dict[str, Any] = {s.key: tuple(_build(reader, s, i, raw) for i, raw in enumerate(_rows(post, s)))
                for s in SUPPLY_SECTIONS}
    form = d.SupplyForm(**_facts(reader, post, SUPPLY_FACTS), chains=tuple(post.getlist("chains")), **sections)
    return form, reader.errors


def merged(parse_errors: list[FieldError], errors: list[FieldError]) -> list[FieldError]:
    """Unreadable values first; validation's errors of the same field (the stand-in value's) dropped."""
    taken = {e.field for e in parse_errors}
    return parse_errors + [e for e in errors if e.field not in taken]


# Showing a form again.

def _text(spec: F, value: Any) -> str:
    if value is None:
        return ""
    if spec.kind == "bool":
        return "1" if value else "0"
    if spec.kind == "codes":
        return ", ".join(value)
    return str(value)


def _cells(section: Section, values: Mapping[str, Any], path: str, errors: Mapping[str, list[str]],
           *, raw: bool) -> list[dict[str, Any]]:
    return [{"name": f"{section.key}-{f.name}", "spec": f, "value": values.get(f.name, "") if raw
             else _text(f, values.get(f.name)), "errors": errors.get(f"{path}.{f.name}", []),
             "id": f"{path}.{f.name}"} for f in section.fields]


def facts_cells(specs: Sequence[F], values: Mapping[str, Any], errors: Mapping[str, list[str]]) -> list[dict[str, Any]]:
    return [{"name": f.name, "spec": f, "value": _text(f, values.get(f.name)), "errors": errors.get(f.name, []),
             "id": f.name} for f in specs]


def section_rows(section: Section, rows: Sequence[Mapping[str, Any]], errors: Mapping[str, list[str]], *,
                 raw: bool = False) -> dict[str, Any]:
    shown = []
    for i, row in enumerate(rows):
        path = f"{section.key}[{i}]"
        shown.append({"index": i, "cells": _cells(section, row, path, errors, raw=raw),
                      "errors": errors.get(path, [])})
    blank = _cells(section, {}, f"{section.key}[new]", {}, raw=True)
    return {"section": section, "rows": shown, "blank": blank, "errors": errors.get(section.key, [])}


def post_rows(rows: Sequence[Mapping[str, Any]], errors: Mapping[str, list[str]], *, raw: bool) -> dict[str, Any]:
    shown = []
    for i, row in enumerate(rows):
        path = f"posts[{i}]"
        skills = [{"cells": _cells(SKILLS, s, f"{path}.skills[{j}]", errors, raw=raw),
                   "errors": errors.get(f"{path}.skills[{j}]", [])} for j, s in enumerate(row.get("skills", []))]
        shown.append({"index": i, "key": row.get("key") or f"p{i}", "cells": _cells(POSTS, row, path, errors, raw=raw),
                      "skills": skills, "errors": errors.get(path, []) + errors.get(f"{path}.skills", [])})
    return {"section": POSTS, "rows": shown, "blank": _cells(POSTS, {}, "posts[new]", {}, raw=True),
            "blank_skill": _cells(SKILLS, {}, "skills[new]", {}, raw=True), "errors": errors.get("posts", [])}


def as_rows(items: Sequence[Any]) -> list[dict[str, Any]]:
    return [{f.name: getattr(item, f.name) for f in fields(item)} for item in items]


def error_map(errors: Sequence[FieldError]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for error in errors:
        out.setdefault(error.field, []).append(error.message)
    return out


def display(spec: F, value: Any) -> str:
    """A value as the detail page shows it (a choice by its label)."""
    if spec.kind == "bool":
        return str(dict(spec.choices or YES_NO)["1" if value else "0"])
    if spec.kind == "codes":
        return "、".join(value)
    if spec.choices is not None:
        return str(dict(spec.choices).get(value, value))
    return "" if value is None else str(value)


def table(section: Section, items: Sequence[Any]) -> dict[str, Any]:
    return {"section": section, "headers": [f.label for f in section.fields],
            "rows": [[display(f, getattr(item, f.name)) for f in section.fields] for item in items]}
