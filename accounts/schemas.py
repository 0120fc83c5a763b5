"""API input shapes of the accounts app; what the API answers is accounts.selectors' views."""

from __future__ import annotations

from ninja import Field, Schema


class LanguageIn(Schema):
    language: str = Field(..., description="zh-hans 或 en")


class PersonPatch(Schema):
    """A partial edit: a field left out (or null) stays as it is; "" clears the mobile or e-mail. The real name and
    the ID number, once set, are corrected only by staff, with a reason."""

    real_name: str | None = Field(None, max_length=50, description="姓名 Real name")
    id_number: str | None = Field(None, max_length=32, description="身份证号（全角、空格、小写 x 均可）ID number")
    mobile: str | None = Field(None, max_length=20, description="手机号 Mobile number")
    email: str | None = Field(None, max_length=254, description="电子邮箱 E-mail")
    reason: str = Field("", max_length=500, description="更正原因（工作人员更正姓名或身份证号时必填）Reason")


class TokenIn(Schema):
    name: str = Field(..., max_length=100, description="设备或集成的名称 Device or integration name")
    days: int = Field(90, ge=1, le=365, description="有效天数（1–365）Days until it expires (1–365)")
    password: str = Field(..., max_length=128, description="当前登录密码，再次确认 The caller's password, again")


class RevokeIn(Schema):
    reason: str = Field("", max_length=200)
