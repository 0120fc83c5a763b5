"""API input shapes of the competitions app. Inputs carry their bounds (lengths, ranges, no NUL characters), so a
request the database could not store is a 422 naming the field, never a server error. What the API answers is
the selectors' views (competitions.selectors), returned as they are; the marking outputs still here are the
marking subject's."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from ninja import Field, Schema
from pydantic import AwareDatetime, StringConstraints

from competitions.models import (
    AwardRuleKind,
    CompetitionLevel,
    ExcellenceBasis,
    Group,
    MarkingMethod,
    RefereeRole,
    Status,
)
from core.schemas import RowId

_PRINTABLE = r"^[^\x00]*$"
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100, pattern=_PRINTABLE)]
LongName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=_PRINTABLE)]
Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20, pattern=_PRINTABLE)]
Text = Annotated[str, StringConstraints(max_length=2000, pattern=_PRINTABLE)]
Mark4 = Annotated[Decimal, Field(ge=Decimal(-99999), le=Decimal(99999), allow_inf_nan=False)]


class EventIn(Schema):
    name: LongName
    level: CompetitionLevel
    organizer_id: RowId
    starts_on: date
    ends_on: date
    series: Annotated[str, StringConstraints(max_length=100, pattern=_PRINTABLE)] = ""
    award_rule: AwardRuleKind = AwardRuleKind.PLACES
    excellence_basis: ExcellenceBasis = ExcellenceBasis.HALF_OF_ENTRANTS
    min_total: Annotated[Decimal, Field(ge=0, le=100, allow_inf_nan=False)] = Decimal(60)
    review_days: Annotated[int, Field(ge=0, le=30)] = 5


class SkillIn(Schema):
    name: Name
    occupation_code: Annotated[str, StringConstraints(pattern=r"^\d-\d{2}-\d{2}-\d{2}$")]
    group: Group
    team_size: Annotated[int, Field(ge=1, le=3)] = 1
    min_age: Annotated[int, Field(ge=0, le=120)] | None = None
    max_age: Annotated[int, Field(ge=0, le=120)] | None = None
    theory_weight: Annotated[Decimal, Field(gt=0, lt=1, max_digits=5, decimal_places=4)] | None = None
    tie_breaks: list[Annotated[str, StringConstraints(max_length=30)]] = Field(default_factory=list, max_length=4)
    award_rule: AwardRuleKind | None = None
    occupation_id: RowId | None = Field(default=None, description="职业目录中的职业（编码须与 occupation_code 一致）")


class TransitionIn(Schema):
    target: Status
    reason: Text = ""


class BoardFreezeIn(Schema):
    """封榜: why (required), and optionally when the thaw is planned (shown, not acted on)."""

    reason: Text
    planned_thaw_at: AwareDatetime | None = None


class BoardStepIn(Schema):
    """A reveal step or the thaw (揭榜), with an optional note for the audit log."""

    reason: Text = ""


class AspectIn(Schema):
    code: Code
    max_mark: Annotated[Decimal, Field(gt=0, le=100, max_digits=7, decimal_places=4)]
    method: MarkingMethod
    description: Annotated[str, StringConstraints(max_length=300, pattern=_PRINTABLE)] = ""
    nominal: Mark4 | None = None
    bands: list[tuple[Mark4, Mark4]] = Field(default_factory=list, max_length=20)
    referee_count: Annotated[int, Field(ge=1, le=15)] | None = None
    divergence_threshold: Annotated[Decimal, Field(ge=0, le=1, max_digits=5, decimal_places=4)] | None = Decimal(
        "0.20"
    )


class ModuleIn(Schema):
    code: Code
    name: LongName
    aspects: list[AspectIn] = Field(..., min_length=1, max_length=200)


class SchemeIn(Schema):
    modules: list[ModuleIn] = Field(..., min_length=1, max_length=50)


class MemberIn(Schema):
    person_id: RowId
    group: Group


class EntryIn(Schema):
    unit_id: RowId
    members: list[MemberIn] = Field(..., min_length=1, max_length=3)
    coach_ids: list[int] = Field(default_factory=list, max_length=5)


class ReasonIn(Schema):
    reason: Text = ""


class AssignmentIn(Schema):
    referee_id: RowId
    role: RefereeRole = RefereeRole.REFEREE
    priority: Annotated[int, Field(ge=0, le=1000)] = 100
    aspect_codes: list[Code] = Field(default_factory=list, max_length=200)
    workstation_nos: list[Code] = Field(default_factory=list, max_length=500)
    reason: Text = Field("", description="评分开始后由裁判长调整时必填")


GroupName = Annotated[str, StringConstraints(strip_whitespace=True, max_length=50, pattern=_PRINTABLE)]


class MarkingGroupIn(Schema):
    name: GroupName = Field("", description="组名，可不填（第 n 组）")
    referee_ids: list[RowId] = Field(max_length=500)
    block_size: Annotated[int, Field(ge=1, le=10000)] | None = Field(None, description="工位数，不填则平均分配")


class MarkingGroupsIn(Schema):
    groups: list[MarkingGroupIn] = Field(min_length=1, max_length=100)
    reason: Text = Field("", description="评分开始后调整时必填")


class DrawIn(Schema):
    seed: Annotated[str, StringConstraints(max_length=64, pattern=r"^[A-Za-z0-9_\-]*$")] = ""


class MarkIn(Schema):
    workstation_no: Code
    aspect_code: Code
    value: Mark4
    idempotency_key: UUID = Field(..., description="每次录入生成一次；重试时沿用，服务器不会重复记录")


class TheoryIn(Schema):
    score: Annotated[Decimal, Field(ge=0, le=100, max_digits=7, decimal_places=4)] | None = Field(
        None, description="理论成绩 0–100；登记缺考时留空")
    absent_reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200, pattern=_PRINTABLE)] = (
        Field("", description="缺考原因：填写即登记缺考（计 0 分，显示为“缺考”）"))


class SignOffIn(Schema):
    confirmations: dict[Code, Text] = Field(default_factory=dict, description="分歧评分项编号 → 裁判长确认理由")


class SheetsSignOffIn(Schema):
    sheet_ids: list[RowId] = Field(min_length=1, max_length=2000,
                                   description="裁判长看到的完整且无分歧的评分表 The clean sheets the chief saw")


class CorrectionIn(Schema):
    new_value: Mark4
    reason: Text


class ObjectionIn(Schema):
    text: Annotated[str, StringConstraints(min_length=1, max_length=2000, pattern=_PRINTABLE)]


class AnswerIn(Schema):
    answer: Annotated[str, StringConstraints(min_length=1, max_length=2000, pattern=_PRINTABLE)]


