"""API input shapes of the accounts app; what the API answers is accounts.selectors' views."""

from __future__ import annotations

from ninja import Field, Schema


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


class RevokeIn(Schema):
    reason: str = ""
