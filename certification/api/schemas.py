"""API input shapes of the certification app, with their bounds (a request the database could not store is a 422
naming the field). What the API answers is the selectors' views, returned as they are."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema
from pydantic import AfterValidator, StringConstraints

from certification.domain.eligibility import ConditionKind, Education, SchoolType
from core.schemas import RowId

_PRINTABLE = r"^[^\x00]*$"
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100, pattern=_PRINTABLE)]
Text = Annotated[str, StringConstraints(max_length=2000, pattern=_PRINTABLE)]
# A list's search text (`?q=`): PostgreSQL refuses a NUL in a query's text, so a NUL is a 422 here, not a 500.
SearchText = Annotated[str, StringConstraints(pattern=_PRINTABLE)]
Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20, pattern=_PRINTABLE)]
LevelNumber = Annotated[int, Field(ge=1, le=5, description="等级：1 一级/高级技师 … 5 五级/初级工")]


class OccupationIn(Schema):
    code: Code = Field(description="职业编码 X-XX-XX-XX")
    name: Name
    levels: list[LevelNumber] = Field(min_length=1, max_length=5)
    description: Text = ""


class OccupationUpdateIn(Schema):
    name: Name
    levels: list[LevelNumber] = Field(min_length=1, max_length=5)
    description: Text = ""


class ConditionIn(Schema):
    kind: ConditionKind
    level: LevelNumber | None = None
    years: Annotated[Decimal, Field(ge=0, le=60, max_digits=4, decimal_places=1)] | None = None
    schools: list[SchoolType] = Field(default_factory=list, max_length=4)
    education: Education | None = None


class RuleIn(Schema):
    paths: list[Annotated[list[ConditionIn], Field(min_length=1, max_length=6)]] = Field(min_length=1, max_length=8)


class HeldLevelIn(Schema):
    occupation_id: RowId
    level: LevelNumber
    obtained_on: date
    evidence: Text


class WithdrawIn(Schema):
    reason: Text


class EligibilityIn(Schema):
    person_id: RowId
    occupation_id: RowId
    level: LevelNumber
    years_in_trade: Annotated[Decimal, Field(ge=0, le=60, max_digits=4, decimal_places=1)] = Decimal(0)
    apprenticeship_finished: bool = False
    school: SchoolType | None = None
    education: Education = Education.NONE
    on: date | None = Field(default=None, description="核查哪一天的持有等级；默认今天")


# --- question bank and papers (issue 12 items 5–6) ---
KindIn = Annotated[str, StringConstraints(pattern=r"^(single|multiple|truefalse)$")]
ImportanceIn = Annotated[str, StringConstraints(pattern=r"^[XYZ]$")]
Difficulty = Annotated[int, Field(ge=1, le=5)]
Option = Annotated[str, StringConstraints(min_length=1, max_length=500, pattern=_PRINTABLE)]
LongText = Annotated[str, StringConstraints(max_length=4000, pattern=_PRINTABLE)]


class QuestionIn(Schema):
    kind: KindIn = Field(description="single 单选 / multiple 多选 / truefalse 判断")
    point_code: Code = Field(description="鉴定点代码 A-B-A-001")
    importance: ImportanceIn = Field(description="X 核心 / Y 一般 / Z 辅助")
    difficulty: Difficulty
    stem: LongText
    options: list[Option] = Field(default_factory=list, max_length=6, description="判断题留空（正确/错误）")
    answer: list[Annotated[int, Field(ge=0, le=5)]] = Field(min_length=1, max_length=6,
                                                             description="正确选项的序号，从 0 起")
    explanation: LongText = ""


class QuestionRevisionIn(QuestionIn):
    reason: Annotated[str, StringConstraints(min_length=1, max_length=500, pattern=_PRINTABLE)]


class ReasonIn(Schema):
    reason: Annotated[str, StringConstraints(min_length=1, max_length=500, pattern=_PRINTABLE)]


class CellIn(Schema):
    area: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20,
                                           pattern=r"^[A-Za-z]{1,2}(-[A-Za-z]{1,2}){0,2}$")]
    kind: KindIn
    difficulty: Difficulty
    count: Annotated[int, Field(ge=0, le=500)]


class BlueprintIn(Schema):
    depth: Annotated[int, Field(ge=1, le=3)] = 2
    cells: list[CellIn] = Field(min_length=1, max_length=500)
    points: dict[KindIn, Annotated[int, Field(ge=0, le=100)]] = Field(description="每题分值，按题型")


class SeedIn(Schema):
    seed: Annotated[int, Field(ge=0, le=2**63 - 1)] | None = Field(default=None, description="留空则随机")


class PaperIn(SeedIn):
    candidate_id: RowId | None = Field(default=None, description="考生：回避其以前试卷中的试题（题库允许时）")


# --- certificate numbers (issue 13, certcore): every API input that takes a number validates it here ---------------


def _certificate_number(value: str) -> str:
    """The number in its stored form (certification.domain.numbering.parse_number), or a 422 naming what is wrong."""
    from certification.domain.numbering import InvalidNumber, parse_number

    try:
        return parse_number(value).number
    except InvalidNumber as exc:
        raise ValueError(exc.message) from None


CertificateNumber = Annotated[str, StringConstraints(max_length=64), AfterValidator(_certificate_number),
                              Field(description="证书编号（22 位，如 S000037000123264000001）")]
