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
    days: int = Field(90, ge=1, le=365, description="有效天数（1–365）Days until it expires (1–365)")
    password: str = Field(..., max_length=128, description="当前登录密码，再次确认 The caller's password, again")


class RevokeIn(Schema):
    reason: str = ""
