"""The two official checklists as plain data, and their validation (issue 14 items 3–5, "Bad input").

`DemandForm` is the enterprise demand checklist (企业需求清单, 附件2) and `SupplyForm` the college supply
checklist (院校供给清单, 附件1), with every field of talentpool/models/checklists.py; pages, the API and the Excel
import all build one of these and hand it to the services, so one validation decides for all three.

`validate_demand` / `validate_supply` return EVERY problem, each a `core.errors.FieldError` whose `field` is the
path of the bad value (`posts[2].headcount`, `majors[0].code`, `contact_phone`; indices 0-based, as the page's
and the API's lists are); the Excel import maps those paths back to the sheet, row and column.

Levels are typed as people write them: the rung digit 1–8 or a ladder label (五级, 初级工, 五级/初级工 … 首席技师;
certification.domain.ladder). Phones: a mobile 1[3-9] and nine digits, or a landline with its area code
(0531-88888888, 053188888888) and an optional extension (-123 or 转123). The choice values below mirror the
models' TextChoices (a test checks they agree): the domain imports no model.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from certification.domain.ladder import Rung
from core.errors import FieldError

NATURES = ("chain_leader", "specialised", "gazelle", "unicorn", "high_tech", "state_owned", "private", "foreign",
           "other")
CITIES = ("jinan", "qingdao", "zibo", "zaozhuang", "dongying", "yantai", "weifang", "jining", "taian", "weihai",
          "rizhao", "linyi", "dezhou", "liaocheng", "binzhou", "heze")
EDUCATIONS = (0, 1, 2, 3, 4, 5, 6)
TRAINING_MODES = ("online", "offline", "mixed")
COLLABORATION_FORMS = ("joint_lab", "joint_project", "tech_transfer", "order_class", "industry_college", "other")
RESEARCH_LEVELS = ("national", "provincial", "city", "enterprise", "school")
IP_KINDS = ("invention", "utility", "design", "software")

MIN_YEAR = 2000
MAX_INT = 2_147_483_647
MAX_SMALL = 32_767
OCCUPATION_CODE = re.compile(r"^\d-\d{2}-\d{2}-\d{2}$")
MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}((-|转)\d{1,6})?$")
EMAIL = re.compile(r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)+$")
CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")

# Every name people use for a rung; "五级/初级工" is accepted as a whole too (its parts name the same rung).
_RUNG_NAMES: dict[str, int] = {
    "学徒工": 1, "学徒": 1,
    "五级": 2, "初级工": 2, "初级": 2,
    "四级": 3, "中级工": 3, "中级": 3,
    "三级": 4, "高级工": 4, "高级": 4,
    "二级": 5, "技师": 5,
    "一级": 6, "高级技师": 6,
    "特级技师": 7,
    "首席技师": 8,
}


def rung_of(text: str | int | None) -> int | None:
    """The rung (1–8) a level names, or None when it names none."""
    if text is None:
        return None
    if isinstance(text, int) and not isinstance(text, bool):
        return text if 1 <= text <= 8 else None
    value = unicodedata.normalize("NFKC", str(text)).replace(" ", "").strip()
    if value.isdigit():
        number = int(value)
        return number if 1 <= number <= 8 else None
    parts = [p for p in re.split(r"[/()（）、]", value) if p]
    rungs = {_RUNG_NAMES.get(p) for p in parts}
    if len(rungs) == 1:
        return rungs.pop()
    return None


def split_codes(text: str) -> tuple[str, ...]:
    """Several codes or names in one cell or input: separated by commas, 顿号, semicolons or spaces."""
    return tuple(c for c in re.split(r"[,，、;；\s]+", text) if c)


def level_label(rung: int) -> str:
    """How a rung is written back (pages, exports): its ladder label, which `rung_of` reads again."""
    return Rung(rung).label_zh


def printable(text: str) -> bool:
    """No NUL or other control character but tab and line breaks, and no lone surrogate (text a database stores)."""
    if any(ord(c) < 32 and c not in "\t\n\r" for c in text):
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def phone_ok(text: str) -> bool:
    value = unicodedata.normalize("NFKC", text).replace(" ", "")
    return bool(MOBILE.match(value) or LANDLINE.match(value))


def email_ok(text: str) -> bool:
    return len(text) <= 254 and bool(EMAIL.match(text))


# The demand checklist.

@dataclass(frozen=True, slots=True)
class PostSkillForm:
    name: str
    level: str = ""  # blank: no level asked for this skill point
    must_have: bool = False


@dataclass(frozen=True, slots=True)
class PostForm:
    name: str
    occupation_code: str
    headcount: int
    level: str
    city: str
    occupation_name: str = ""
    education: int = 0
    years_experience: int = 0
    salary: str = ""
    description: str = ""
    skills: tuple[PostSkillForm, ...] = ()


@dataclass(frozen=True, slots=True)
class TrainingNeedForm:
    content: str
    trainees: str
    size: int
    period: str
    mode: str


@dataclass(frozen=True, slots=True)
class CollaborationNeedForm:
    problem: str
    goal: str
    form: str
    resources_wanted: str = ""


@dataclass(frozen=True, slots=True)
class DemandForm:
    enterprise_name: str
    nature: str
    city: str
    contact_person: str
    contact_phone: str
    chains: tuple[str, ...] = ()
    credit_code: str = ""
    address: str = ""
    employees: int | None = None
    main_business: str = ""
    contact_title: str = ""
    contact_email: str = ""
    posts: tuple[PostForm, ...] = ()
    training_needs: tuple[TrainingNeedForm, ...] = ()
    collaboration_needs: tuple[CollaborationNeedForm, ...] = ()


# The supply checklist.

@dataclass(frozen=True, slots=True)
class MajorForm:
    code: str
    name: str
    occupation_codes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StudentForm:
    major_code: str
    grade: int
    count: int


@dataclass(frozen=True, slots=True)
class GraduateForm:
    major_code: str
    year: int
    count: int
    employed_in_province: int = 0
    employer_types: str = ""
    posts: str = ""


@dataclass(frozen=True, slots=True)
class TeacherForm:
    major_code: str
    full_time: int
    senior_title: int
    part_time_industry: int = 0


@dataclass(frozen=True, slots=True)
class EquipmentForm:
    name: str
    count: int
    function: str
    open_to_enterprises: bool = False
    paid: bool = False
    open_hours: str = ""


@dataclass(frozen=True, slots=True)
class ResearchForm:
    name: str
    level: str
    kind: str
    year: int
    client: str = ""
    amount: Decimal = Decimal("0")
    finished: bool = False


@dataclass(frozen=True, slots=True)
class IpForm:
    kind: str
    name: str
    number: str
    year: int


@dataclass(frozen=True, slots=True)
class CourseForm:
    name: str
    content: str
    yearly_capacity: int
    mode: str
    occupation_code: str = ""


@dataclass(frozen=True, slots=True)
class CaseForm:
    title: str
    description: str
    partner: str = ""


@dataclass(frozen=True, slots=True)
class SupplyForm:
    college_name: str
    city: str
    contact_person: str
    contact_phone: str
    chains: tuple[str, ...] = ()
    contact_title: str = ""
    contact_email: str = ""
    majors: tuple[MajorForm, ...] = ()
    students: tuple[StudentForm, ...] = ()
    graduates: tuple[GraduateForm, ...] = ()
    teachers: tuple[TeacherForm, ...] = ()
    equipment: tuple[EquipmentForm, ...] = ()
    research: tuple[ResearchForm, ...] = ()
    ip: tuple[IpForm, ...] = ()
    courses: tuple[CourseForm, ...] = ()
    cases: tuple[CaseForm, ...] = ()


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """What validation checks codes against: the catalogue's occupation codes and the industry chains' codes."""

    occupations: frozenset[str]
    chains: frozenset[str]


# Validation.

@dataclass
class _Problems:
    errors: list[FieldError] = field(default_factory=list)

    def add(self, path: str, code: str, **params: Any) -> None:
        self.errors.append(FieldError(path, code, params, label=label_of(path)))

    def text(self, path: str, value: str, max_length: int, *, required: bool = False) -> None:
        if not printable(value):
            self.add(path, "checklist.unprintable")
        elif required and not value.strip():
            self.add(path, "checklist.required")
        elif len(value) > max_length:
            self.add(path, "checklist.too_long", max=max_length)

    def number(self, path: str, value: int | None, *, low: int = 0, high: int = MAX_INT,
               required: bool = True) -> None:
        if value is None:
            if required:
                self.add(path, "checklist.required")
        elif isinstance(value, bool) or value < low or value > high:
            if low == 1 and isinstance(value, int) and value <= 0:
                self.add(path, "checklist.not_positive")
            else:
                self.add(path, "checklist.out_of_range", low=low, high=high)

    def choice(self, path: str, value: Any, choices: Iterable[Any], *, required: bool = True) -> None:
        if value in ("", None):
            if required:
                self.add(path, "checklist.required")
        elif value not in tuple(choices):
            self.add(path, "checklist.not_a_choice", value=value)

    def year(self, path: str, value: int | None, low: int, high: int) -> None:
        if value is None:
            self.add(path, "checklist.required")
        elif isinstance(value, bool) or not low <= value <= high:
            self.add(path, "checklist.year_out_of_range", low=low, high=high)

    def occupation(self, path: str, code: str, vocabulary: Vocabulary, *, required: bool = True) -> None:
        if not code:
            if required:
                self.add(path, "checklist.required")
        elif not OCCUPATION_CODE.match(code):
            self.add(path, "checklist.occupation_code_malformed", value=code)
        elif code not in vocabulary.occupations:
            self.add(path, "checklist.occupation_unknown", value=code)

    def contact(self, phone: str, email: str, person: str, title: str) -> None:
        self.text("contact_person", person, 50, required=True)
        self.text("contact_title", title, 50)
        if not phone.strip():
            self.add("contact_phone", "checklist.required")
        elif len(phone) > 20 or not phone_ok(phone):
            self.add("contact_phone", "checklist.phone_malformed", value=phone)
        if email and not email_ok(email):
            self.add("contact_email", "checklist.email_malformed", value=email)

    def chains(self, chains: tuple[str, ...], vocabulary: Vocabulary) -> None:
        if not chains:
            self.add("chains", "checklist.chain_required")
        for index, code in enumerate(chains):
            if code not in vocabulary.chains:
                self.add(f"chains[{index}]", "checklist.chain_unknown", value=code)
        if len(set(chains)) != len(chains):
            self.add("chains", "checklist.duplicate", value="、".join(sorted({c for c in chains
                                                                                if chains.count(c) > 1})))

    def duplicates(self, prefix: str, keys: list[Any], column: str) -> None:
        seen: dict[Any, int] = {}
        for index, key in enumerate(keys):
            if key in seen:
                self.add(f"{prefix}[{index}].{column}", "checklist.duplicate_row", other=seen[key] + 1)
            else:
                seen[key] = index


def validate_year(year: int, this_year: int) -> list[FieldError]:
    problems = _Problems()
    problems.year("year", year, MIN_YEAR, this_year + 1)
    return problems.errors


def validate_demand(form: DemandForm, *, year: int, this_year: int, vocabulary: Vocabulary) -> list[FieldError]:
    """Every problem of a demand checklist for `year`; [] when it may be saved."""
    p = _Problems()
    p.year("year", year, MIN_YEAR, this_year + 1)
    p.text("enterprise_name", form.enterprise_name, 200, required=True)
    if form.credit_code and not CREDIT_CODE.match(form.credit_code):
        p.add("credit_code", "checklist.credit_code_malformed", value=form.credit_code)
    p.choice("nature", form.nature, NATURES)
    p.choice("city", form.city, CITIES)
    p.text("address", form.address, 200)
    p.number("employees", form.employees, required=False)
    p.text("main_business", form.main_business, 2000)
    p.contact(form.contact_phone, form.contact_email, form.contact_person, form.contact_title)
    p.chains(form.chains, vocabulary)
    if not form.posts:
        p.add("posts", "demand.no_post")
    if len(form.posts) > MAX_SMALL:
        p.add("posts", "checklist.too_many", max=MAX_SMALL)
    for i, post in enumerate(form.posts):
        at = f"posts[{i}]"
        p.text(f"{at}.name", post.name, 100, required=True)
        p.occupation(f"{at}.occupation_code", post.occupation_code, vocabulary)
        p.text(f"{at}.occupation_name", post.occupation_name, 100)
        p.number(f"{at}.headcount", post.headcount, low=1)
        if not post.level.strip():
            p.add(f"{at}.level", "checklist.required")
        elif rung_of(post.level) is None:
            p.add(f"{at}.level", "checklist.level_unknown", value=post.level)
        p.choice(f"{at}.education", post.education, EDUCATIONS)
        p.number(f"{at}.years_experience", post.years_experience, high=60)
        p.choice(f"{at}.city", post.city, CITIES)
        p.text(f"{at}.salary", post.salary, 100)
        p.text(f"{at}.description", post.description, 2000)
        for j, skill in enumerate(post.skills):
            sat = f"{at}.skills[{j}]"
            p.text(f"{sat}.name", skill.name, 100, required=True)
            if skill.level.strip() and rung_of(skill.level) is None:
                p.add(f"{sat}.level", "checklist.level_unknown", value=skill.level)
        p.duplicates(f"{at}.skills", [skill_key(s.name) for s in post.skills], "name")
    p.duplicates("posts", [(post.name.strip(), post.occupation_code) for post in form.posts], "name")
    for i, need in enumerate(form.training_needs):
        at = f"training_needs[{i}]"
        p.text(f"{at}.content", need.content, 2000, required=True)
        p.text(f"{at}.trainees", need.trainees, 200, required=True)
        p.number(f"{at}.size", need.size, low=1)
        p.text(f"{at}.period", need.period, 100, required=True)
        p.choice(f"{at}.mode", need.mode, TRAINING_MODES)
    for i, collab in enumerate(form.collaboration_needs):
        at = f"collaboration_needs[{i}]"
        p.text(f"{at}.problem", collab.problem, 2000, required=True)
        p.text(f"{at}.goal", collab.goal, 2000, required=True)
        p.text(f"{at}.resources_wanted", collab.resources_wanted, 2000)
        p.choice(f"{at}.form", collab.form, COLLABORATION_FORMS)
    return p.errors


def skill_key(name: str) -> str:
    """A skill point's name as the vocabulary compares it (NFKC, no spaces): SkillPoint's uniqueness."""
    return unicodedata.normalize("NFKC", name).replace(" ", "").strip()


def validate_supply(form: SupplyForm, *, year: int, this_year: int, vocabulary: Vocabulary) -> list[FieldError]:
    """Every problem of a supply checklist for `year`; [] when it may be saved."""
    p = _Problems()
    p.year("year", year, MIN_YEAR, this_year + 1)
    p.text("college_name", form.college_name, 200, required=True)
    p.choice("city", form.city, CITIES)
    p.contact(form.contact_phone, form.contact_email, form.contact_person, form.contact_title)
    p.chains(form.chains, vocabulary)
    codes = {m.code for m in form.majors}
    for i, m in enumerate(form.majors):
        at = f"majors[{i}]"
        p.text(f"{at}.code", m.code, 20, required=True)
        p.text(f"{at}.name", m.name, 100, required=True)
        for j, code in enumerate(m.occupation_codes):
            p.occupation(f"{at}.occupation_codes[{j}]", code, vocabulary)
    p.duplicates("majors", [m.code for m in form.majors], "code")

    def major(path: str, code: str) -> None:
        if not code:
            p.add(path, "checklist.required")
        elif code not in codes:
            p.add(path, "supply.major_unknown", value=code)

    for i, s in enumerate(form.students):
        at = f"students[{i}]"
        major(f"{at}.major_code", s.major_code)
        p.year(f"{at}.grade", s.grade, year - 6, year)
        p.number(f"{at}.count", s.count)
    p.duplicates("students", [(s.major_code, s.grade) for s in form.students], "grade")
    for i, g in enumerate(form.graduates):
        at = f"graduates[{i}]"
        major(f"{at}.major_code", g.major_code)
        p.year(f"{at}.year", g.year, year - 3, year)
        p.number(f"{at}.count", g.count)
        p.number(f"{at}.employed_in_province", g.employed_in_province)
        if g.employed_in_province > g.count >= 0:
            p.add(f"{at}.employed_in_province", "supply.employed_over_graduates")
        p.text(f"{at}.employer_types", g.employer_types, 300)
        p.text(f"{at}.posts", g.posts, 300)
    p.duplicates("graduates", [(g.major_code, g.year) for g in form.graduates], "year")
    for i, t in enumerate(form.teachers):
        at = f"teachers[{i}]"
        major(f"{at}.major_code", t.major_code)
        p.number(f"{at}.full_time", t.full_time)
        p.number(f"{at}.senior_title", t.senior_title)
        p.number(f"{at}.part_time_industry", t.part_time_industry)
        if t.senior_title > t.full_time >= 0:
            p.add(f"{at}.senior_title", "supply.senior_over_full_time")
    p.duplicates("teachers", [t.major_code for t in form.teachers], "major_code")
    for i, e in enumerate(form.equipment):
        at = f"equipment[{i}]"
        p.text(f"{at}.name", e.name, 200, required=True)
        p.number(f"{at}.count", e.count, low=1)
        p.text(f"{at}.function", e.function, 2000, required=True)
        p.text(f"{at}.open_hours", e.open_hours, 200)
    for i, r in enumerate(form.research):
        at = f"research[{i}]"
        p.text(f"{at}.name", r.name, 300, required=True)
        p.choice(f"{at}.level", r.level, RESEARCH_LEVELS)
        p.text(f"{at}.kind", r.kind, 100, required=True)
        p.text(f"{at}.client", r.client, 200)
        if not r.amount.is_finite() or r.amount < 0 or r.amount >= Decimal("100000000"):
            p.add(f"{at}.amount", "checklist.out_of_range", low=0, high="99999999.99")
        elif r.amount != r.amount.quantize(Decimal("0.01")):
            p.add(f"{at}.amount", "checklist.too_precise")
        p.year(f"{at}.year", r.year, 1990, year)
    for i, ip in enumerate(form.ip):
        at = f"ip[{i}]"
        p.choice(f"{at}.kind", ip.kind, IP_KINDS)
        p.text(f"{at}.name", ip.name, 300, required=True)
        p.text(f"{at}.number", ip.number, 50, required=True)
        p.year(f"{at}.year", ip.year, 1990, year)
    p.duplicates("ip", [ip.number for ip in form.ip], "number")
    for i, c in enumerate(form.courses):
        at = f"courses[{i}]"
        p.text(f"{at}.name", c.name, 200, required=True)
        p.text(f"{at}.content", c.content, 2000, required=True)
        p.occupation(f"{at}.occupation_code", c.occupation_code, vocabulary, required=False)
        p.number(f"{at}.yearly_capacity", c.yearly_capacity, low=1)
        p.choice(f"{at}.mode", c.mode, TRAINING_MODES)
    for i, case in enumerate(form.cases):
        at = f"cases[{i}]"
        p.text(f"{at}.title", case.title, 200, required=True)
        p.text(f"{at}.partner", case.partner, 200)
        p.text(f"{at}.description", case.description, 4000, required=True)
    for name in ("equipment", "research", "ip", "courses", "cases"):
        if len(getattr(form, name)) > MAX_SMALL:
            p.add(name, "checklist.too_many", max=MAX_SMALL)
    return p.errors


def demand_summary(form: DemandForm) -> dict[str, Any]:
    """What the audit entry records of a demand checklist (old → new): counts and head-count, no contact data."""
    return {"enterprise_name": form.enterprise_name, "posts": len(form.posts),
            "headcount": sum(p.headcount for p in form.posts), "training_needs": len(form.training_needs),
            "collaboration_needs": len(form.collaboration_needs), "chains": sorted(form.chains)}


def supply_summary(form: SupplyForm) -> dict[str, Any]:
    return {"college_name": form.college_name, "majors": len(form.majors),
            "students": sum(s.count for s in form.students), "graduates": sum(g.count for g in form.graduates),
            "equipment": len(form.equipment), "research": len(form.research), "ip": len(form.ip),
            "courses": len(form.courses), "cases": len(form.cases), "chains": sorted(form.chains)}


def field_labels() -> Mapping[str, str]:
    """Chinese names of the last part of a field path (`posts[2].headcount` → 需求人数), for messages."""
    return _LABELS


_LABELS: dict[str, str] = {
    "year": "填报年度", "enterprise_name": "企业名称", "credit_code": "统一社会信用代码", "nature": "企业性质",
    "city": "所在城市", "address": "地址", "employees": "职工人数", "main_business": "主营业务",
    "contact_person": "联系人", "contact_title": "职务", "contact_phone": "联系电话", "contact_email": "电子邮箱",
    "chains": "产业链", "posts": "岗位需求", "name": "名称", "occupation_code": "职业（工种）编码",
    "occupation_name": "职业（工种）名称", "headcount": "需求人数", "level": "等级要求", "education": "学历要求",
    "years_experience": "工作经验（年）", "salary": "薪酬待遇", "description": "说明", "skills": "技能点",
    "must_have": "必备", "content": "内容", "trainees": "培训对象", "size": "培训人数", "period": "培训周期",
    "mode": "培训方式", "problem": "技术难题", "goal": "预期目标", "resources_wanted": "需院校提供的资源",
    "form": "合作形式", "college_name": "院校名称", "code": "专业代码", "occupation_codes": "对应职业编码",
    "major_code": "专业代码", "grade": "年级", "count": "人数", "employed_in_province": "省内就业人数",
    "employer_types": "就业单位类型", "full_time": "专任教师数", "senior_title": "其中高级职称",
    "part_time_industry": "企业兼职教师数", "function": "功能用途", "open_to_enterprises": "对企业开放",
    "paid": "有偿使用", "open_hours": "开放时间", "kind": "类型", "client": "委托单位/来源",
    "amount": "经费（万元）", "finished": "已结题", "number": "专利号/登记号", "yearly_capacity": "年培训能力（人次）",
    "title": "案例名称", "partner": "合作单位",
}


def label_of(path: str) -> str:
    """`posts[2].headcount` → `岗位需求第3行 需求人数`: the field's Chinese name with its row, for messages."""
    parts = path.split(".")
    words = []
    for part in parts:
        match = re.match(r"^(\w+)\[(\d+)\]$", part)
        if match:
            words.append(f"{_LABELS.get(match.group(1), match.group(1))}第{int(match.group(2)) + 1}行")
        else:
            words.append(_LABELS.get(part, part))
    return " ".join(words)


# Plain data in and out (the API's JSON, the page's hidden state): dataclass ↔ dict, exactly.

def to_dict(form: DemandForm | SupplyForm) -> dict[str, Any]:
    def plain(value: Any) -> Any:
        if isinstance(value, tuple):
            return [plain(v) for v in value]
        if hasattr(value, "__dataclass_fields__"):
            return {name: plain(getattr(value, name)) for name in value.__dataclass_fields__}
        if isinstance(value, Decimal):
            return str(value)
        return value

    result: dict[str, Any] = plain(form)
    return result


def _build(cls: type[Any], data: Mapping[str, Any], nested: Mapping[str, type[Any]]) -> Any:
    kwargs: dict[str, Any] = {}
    for name, spec in cls.__dataclass_fields__.items():
        if name not in data:
            continue
        value = data[name]
        if name in nested:
            value = tuple(_build(nested[name], item, _NESTED.get(nested[name], {})) for item in value)
        elif isinstance(value, list):
            value = tuple(value)
        elif spec.type in ("Decimal",):
            value = Decimal(str(value))
        kwargs[name] = value
    return cls(**kwargs)


_NESTED: dict[type[Any], dict[str, type[Any]]] = {
    DemandForm: {"posts": PostForm, "training_needs": TrainingNeedForm, "collaboration_needs": CollaborationNeedForm},
    PostForm: {"skills": PostSkillForm},
    SupplyForm: {"majors": MajorForm, "students": StudentForm, "graduates": GraduateForm, "teachers": TeacherForm,
                 "equipment": EquipmentForm, "research": ResearchForm, "ip": IpForm, "courses": CourseForm,
                 "cases": CaseForm},
}


def demand_from_dict(data: Mapping[str, Any]) -> DemandForm:
    form: DemandForm = _build(DemandForm, data, _NESTED[DemandForm])
    return form


def supply_from_dict(data: Mapping[str, Any]) -> SupplyForm:
    form: SupplyForm = _build(SupplyForm, data, _NESTED[SupplyForm])
    return form
