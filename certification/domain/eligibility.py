"""Eligibility to apply for a skill-level assessment (申报条件; DESIGN.md "Certification" → "Eligibility defaults").

A rule is data, per occupation and level (a national standard may differ from the defaults): a set of alternative
paths (申报条件之一), each a list of conditions that must all hold. A candidate is eligible when any one path
holds. `explain` checks every path and every condition of every path, so the answer names every reason a candidate
is or is not eligible, never only the first. The words are message codes (certification.errors), rendered in the
reader's language when shown (`ConditionCheck.message`).

The defaults (`DEFAULT_RULES`), from DESIGN.md:
- 五级: 1 year in the trade, or a finished apprenticeship;
- 四级: 五级 + 4 years, or 6 years, or a graduate of a 技工学校;
- 三级: 四级 + 5 years, or 四级 + a graduate of a 高级技工学校, 技师学院 or 高职, or 大专 + 四级 + 2 years;
- 二级: 三级 + 4 years, or a graduate of a 技师学院 with 三级 + 3 years;
- 一级: 二级 + 4 years.

Choices where DESIGN.md is silent (each is tested in tests/certification/test_domain_eligibility.py):
- "holds 四级" is met by holding 四级 or any higher level (the standards' "取得本职业四级及以上证书"); competition
  promotions count as holding the level (DESIGN.md), which the caller's held level already includes;
- "years in the trade" is the candidate's total working years in this occupation (or a related one), as DESIGN.md
  words it; the national standards' variant "years since obtaining the previous level" is a rule a standard may add
  later, not a default;
- "a 技工学校 graduate" is met by a graduate of any 技工院校 (技工学校, 高级技工学校, 技师学院): a higher school's
  programme includes the lower's; the 三级 path's "高级技工学校/技师学院/高职" and the 二级 path's "技师学院" are kept
  exactly as written;
- education is an order (高中/中专 < 大专 < 本科 < 研究生): "大专" is met by 大专 or above;
- the default rules are monotone: more years, a higher held level, a higher education or a finished apprenticeship
  never make an eligible candidate ineligible (a hypothesis property checks it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import IntEnum, StrEnum
from typing import Any

from certification.domain.ladder import Rung, SkillLevel
from core.errors import RuleBroken, render_message


class SchoolType(StrEnum):
    """The school a candidate graduated from (毕业院校类型), as the standards name them."""

    TECHNICAL_SCHOOL = "technical_school"  # 技工学校
    SENIOR_TECHNICAL_SCHOOL = "senior_technical_school"  # 高级技工学校
    TECHNICIAN_COLLEGE = "technician_college"  # 技师学院
    HIGHER_VOCATIONAL = "higher_vocational"  # 高职（高等职业学校）

    @property
    def label_zh(self) -> str:
        return _SCHOOL_LABELS[self]


_SCHOOL_LABELS = {
    SchoolType.TECHNICAL_SCHOOL: "技工学校", SchoolType.SENIOR_TECHNICAL_SCHOOL: "高级技工学校",
    SchoolType.TECHNICIAN_COLLEGE: "技师学院", SchoolType.HIGHER_VOCATIONAL: "高职",
}


class Education(IntEnum):
    """Highest education (学历), ordered: a larger value is higher."""

    NONE = 0  # 初中及以下
    SECONDARY = 1  # 高中/中专
    COLLEGE = 2  # 大专
    BACHELOR = 3  # 本科
    GRADUATE = 4  # 研究生

    @property
    def label_zh(self) -> str:
        return _EDUCATION_LABELS[self]


_EDUCATION_LABELS = {
    Education.NONE: "初中及以下", Education.SECONDARY: "高中/中专", Education.COLLEGE: "大专",
    Education.BACHELOR: "本科", Education.GRADUATE: "研究生",
}


class ConditionKind(StrEnum):
    HOLDS_LEVEL = "holds_level"
    YEARS = "years"
    APPRENTICESHIP = "apprenticeship"
    GRADUATE_OF = "graduate_of"
    EDUCATION = "education"


@dataclass(frozen=True, slots=True)
class Condition:
    """One condition of a path: `level` for HOLDS_LEVEL, `years` for YEARS, `schools` for GRADUATE_OF,
    `education` for EDUCATION; APPRENTICESHIP takes nothing."""

    kind: ConditionKind
    level: SkillLevel | None = None
    years: Decimal | None = None
    schools: frozenset[SchoolType] = frozenset()
    education: Education | None = None


@dataclass(frozen=True, slots=True)
class Path:
    """One alternative (申报条件之一): every condition must hold."""

    conditions: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class Rule:
    """The eligibility rule of one occupation and level: any one path suffices."""

    level: SkillLevel
    paths: tuple[Path, ...]


@dataclass(frozen=True, slots=True)
class Candidate:
    """What eligibility looks at: the highest level held in the occupation on the day (certificates, competition
    promotions, appointments), total years in the trade, a finished apprenticeship, the school graduated from,
    the highest education."""

    held: SkillLevel | None = None
    years_in_trade: Decimal = Decimal(0)
    apprenticeship_finished: bool = False
    school: SchoolType | None = None
    education: Education = Education.NONE


@dataclass(frozen=True, slots=True)
class ConditionCheck:
    """One condition checked: met or not, and the words saying why (a message code and its parameters)."""

    condition: Condition
    met: bool
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return render_message(self.code, _words(self.params))


@dataclass(frozen=True, slots=True)
class PathCheck:
    conditions: tuple[ConditionCheck, ...]

    @property
    def met(self) -> bool:
        return all(c.met for c in self.conditions)

    @property
    def failing(self) -> tuple[ConditionCheck, ...]:
        return tuple(c for c in self.conditions if not c.met)


@dataclass(frozen=True, slots=True)
class Verdict:
    """Every path of the rule with every condition checked; eligible when any path is met."""

    level: SkillLevel
    paths: tuple[PathCheck, ...]

    @property
    def eligible(self) -> bool:
        return any(p.met for p in self.paths)


def _words(params: Mapping[str, Any]) -> dict[str, str]:
    """Parameters as a reader reads them: levels, schools and education by their translated labels."""
    out: dict[str, str] = {}
    for key, value in params.items():
        if key in ("level", "held"):
            out[key] = render_message(f"ladder.level.{int(value)}", {}) if value is not None else render_message(
                "eligibility.no_level", {})
        elif key == "schools":
            out[key] = "、".join(render_message(f"eligibility.school.{s}", {}) for s in value)
        elif key == "school":
            out[key] = render_message(f"eligibility.school.{value}", {}) if value else render_message(
                "eligibility.no_school", {})
        elif key in ("education", "has_education"):
            out[key] = render_message(f"eligibility.education.{int(value)}", {})
        else:
            out[key] = str(value)
    return out


def _years(value: Decimal) -> str:
    return format(value.normalize(), "f")


def check_condition(condition: Condition, candidate: Candidate) -> ConditionCheck:
    """Whether the candidate meets one condition, and the words for it (module docstring)."""
    kind = condition.kind
    if kind is ConditionKind.HOLDS_LEVEL:
        assert condition.level is not None  # noqa: S101 - a Condition of this kind always carries its level
        met = candidate.held is not None and candidate.held.at_least(condition.level)
        params: dict[str, Any] = {"level": int(condition.level),
                                  "held": None if candidate.held is None else int(candidate.held)}
    elif kind is ConditionKind.YEARS:
        assert condition.years is not None  # noqa: S101
        met = candidate.years_in_trade >= condition.years
        params = {"years": _years(condition.years), "has": _years(candidate.years_in_trade)}
        return ConditionCheck(condition, met, f"eligibility.years.{'met' if met else 'unmet'}", params)
    elif kind is ConditionKind.APPRENTICESHIP:
        met = candidate.apprenticeship_finished
        params = {}
    elif kind is ConditionKind.GRADUATE_OF:
        met = candidate.school is not None and candidate.school in condition.schools
        params = {"schools": sorted(condition.schools, key=list(SchoolType).index),
                  "school": candidate.school.value if candidate.school else ""}
    else:
        assert condition.education is not None  # noqa: S101
        met = candidate.education >= condition.education
        params = {"education": int(condition.education), "has_education": int(candidate.education)}
    return ConditionCheck(condition, met, f"eligibility.{kind.value}.{'met' if met else 'unmet'}", params)


def explain(rule: Rule, candidate: Candidate) -> Verdict:
    """Every path of `rule` checked for `candidate`, every condition of each (module docstring)."""
    return Verdict(rule.level, tuple(
        PathCheck(tuple(check_condition(c, candidate) for c in path.conditions)) for path in rule.paths
    ))


# --- the defaults, and rules as stored data ---------------------------------------------------------------------

def holds(level: SkillLevel) -> Condition:
    return Condition(ConditionKind.HOLDS_LEVEL, level=level)


def years(n: int | str) -> Condition:
    return Condition(ConditionKind.YEARS, years=Decimal(n))


def graduate_of(*schools: SchoolType) -> Condition:
    return Condition(ConditionKind.GRADUATE_OF, schools=frozenset(schools))


APPRENTICESHIP = Condition(ConditionKind.APPRENTICESHIP)
TECHNICAL_SCHOOLS = (SchoolType.TECHNICAL_SCHOOL, SchoolType.SENIOR_TECHNICAL_SCHOOL, SchoolType.TECHNICIAN_COLLEGE)
L = SkillLevel

DEFAULT_RULES: Mapping[SkillLevel, Rule] = {
    L.FIVE: Rule(L.FIVE, (Path((years(1),)), Path((APPRENTICESHIP,)))),
    L.FOUR: Rule(L.FOUR, (Path((holds(L.FIVE), years(4))), Path((years(6),)),
                          Path((graduate_of(*TECHNICAL_SCHOOLS),)))),
    L.THREE: Rule(L.THREE, (
        Path((holds(L.FOUR), years(5))),
        Path((holds(L.FOUR), graduate_of(SchoolType.SENIOR_TECHNICAL_SCHOOL, SchoolType.TECHNICIAN_COLLEGE,
                                         SchoolType.HIGHER_VOCATIONAL))),
        Path((Condition(ConditionKind.EDUCATION, education=Education.COLLEGE), holds(L.FOUR), years(2))),
    )),
    L.TWO: Rule(L.TWO, (Path((holds(L.THREE), years(4))),
                        Path((graduate_of(SchoolType.TECHNICIAN_COLLEGE), holds(L.THREE), years(3))))),
    L.ONE: Rule(L.ONE, (Path((holds(L.TWO), years(4))),)),
}


def default_rule(level: SkillLevel) -> Rule:
    return DEFAULT_RULES[level]


def rule_to_data(rule: Rule) -> list[list[dict[str, Any]]]:
    """The rule as JSON-ready data: a list of paths, each a list of conditions (the stored form)."""
    out = []
    for path in rule.paths:
        conditions: list[dict[str, Any]] = []
        for c in path.conditions:
            item: dict[str, Any] = {"kind": c.kind.value}
            if c.level is not None:
                item["level"] = int(c.level)
            if c.years is not None:
                item["years"] = _years(c.years)
            if c.schools:
                item["schools"] = sorted(s.value for s in c.schools)
            if c.education is not None:
                item["education"] = int(c.education)
            conditions.append(item)
        out.append(conditions)
    return out


def rule_from_data(level: SkillLevel, data: Sequence[Sequence[Mapping[str, Any]]]) -> Rule:
    """The rule stored as `rule_to_data` writes it; RuleBroken `eligibility.bad_rule` for anything else (a rule
    with no path, a path with no condition, an unknown kind or value)."""
    try:
        paths = []
        for path in data:
            conditions = []
            for item in path:
                kind = ConditionKind(item["kind"])
                if kind is ConditionKind.HOLDS_LEVEL:
                    conditions.append(holds(SkillLevel(int(item["level"]))))
                elif kind is ConditionKind.YEARS:
                    value = Decimal(str(item["years"]))
                    if not value.is_finite() or value < 0:
                        raise ValueError(value)
                    conditions.append(Condition(kind, years=value))
                elif kind is ConditionKind.APPRENTICESHIP:
                    conditions.append(APPRENTICESHIP)
                elif kind is ConditionKind.GRADUATE_OF:
                    schools = frozenset(SchoolType(s) for s in item["schools"])
                    if not schools:
                        raise ValueError(item)
                    conditions.append(Condition(kind, schools=schools))
                else:
                    conditions.append(Condition(kind, education=Education(int(item["education"]))))
            if not conditions:
                raise ValueError(path)
            paths.append(Path(tuple(conditions)))
        if not paths:
            raise ValueError(data)
    except (KeyError, TypeError, ValueError, ArithmeticError) as exc:
        raise RuleBroken("eligibility.bad_rule", {"level": Rung.of(level).label_zh},
                         "The eligibility rule of {level} is not valid.") from exc
    return Rule(level, tuple(paths))
