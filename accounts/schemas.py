"""API shapes of the accounts app."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema


class OrganizationOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    city: str


class MembershipOut(Schema):
    role: str
    role_label: str
    organization: OrganizationOut | None


class PersonOut(Schema):
    """A person as the caller may see them; `masked` says whether the numbers are masked."""

    id: int
    username: str
    real_name: str
    id_number: str
    mobile: str
    email: str
    birth_date: date | None
    language: str
    masked: bool
    memberships: list[MembershipOut]


class MeOut(PersonOut):
    roles: list[str]
    organizations: list[OrganizationOut]


class LanguageIn(Schema):
    language: str = Field(..., description="zh-hans 或 en")


class PersonIn(Schema):
    real_name: str = ""
    id_number: str = ""
    mobile: str = ""
    email: str = ""
    reason: str = ""


class TokenIn(Schema):
    name: str = Field(..., max_length=100, description="设备或集成的名称 Device or integration name")
    days: int | None = Field(90, description="有效天数（1–3650）；空表示永不过期")


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None


class IssuedTokenOut(TokenOut):
    token: str = Field(..., description="令牌明文，仅此一次显示 The token itself, shown this once")


class RevokeIn(Schema):
    reason: str = ""
