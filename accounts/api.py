"""Accounts API: who am I, people (masked as the caller may see them), units, my language, my API tokens."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from accounts import selectors, services
from accounts.auth import signed_in_user
from accounts.models import ApiToken, User
from accounts.permissions import Action, require
from accounts.schemas import (
    IssuedTokenOut,
    LanguageIn,
    MeOut,
    OrganizationOut,
    PersonIn,
    PersonOut,
    RevokeIn,
    TokenIn,
    TokenOut,
)
from core.lookup import get_or_404
from core.schemas import errors

router = Router()


@router.get("/me", response={200: MeOut, **errors()}, summary="当前用户 The caller")
def me(request: HttpRequest) -> dict[str, Any]:
    user = signed_in_user(request)
    view = selectors.person_view(viewer=user, subject=user)
    organizations = {m.organization.id: m.organization for m in view.memberships if m.organization is not None}
    return {
        **asdict(view),
        "roles": sorted({m.role for m in view.memberships}),
        "organizations": [asdict(org) for org in organizations.values()],
    }


@router.put("/me/language", response={200: MeOut, **errors()}, summary="设置界面语言 Set my language")
def set_language(request: HttpRequest, payload: LanguageIn) -> dict[str, Any]:
    services.user_set_language(user=signed_in_user(request), language=payload.language)
    return me(request)


@router.get("/people/{person_id}", response={200: PersonOut, **errors(404)}, summary="人员信息 A person")
def person(request: HttpRequest, person_id: int) -> dict[str, Any]:
    subject = get_or_404(User, pk=person_id, is_active=True)
    return asdict(selectors.person_view(viewer=signed_in_user(request), subject=subject))


@router.put("/people/{person_id}", response={200: PersonOut, **errors(403, 404)}, summary="修改实名信息 Edit a person")
def person_edit(request: HttpRequest, person_id: int, payload: PersonIn) -> dict[str, Any]:
    viewer = signed_in_user(request)
    subject = get_or_404(User, pk=person_id, is_active=True)
    require(viewer, Action.PROFILE_EDIT, subject)
    data = services.PersonData(
        real_name=payload.real_name, id_number=payload.id_number, mobile=payload.mobile, email=payload.email,
        language=subject.language,
    )
    services.person_update(actor=viewer, user=subject, data=data, reason=payload.reason)
    return asdict(selectors.person_view(viewer=viewer, subject=subject))


@router.get("/organizations", response={200: list[OrganizationOut], **errors()}, summary="单位 Units")
def organizations(request: HttpRequest) -> list[dict[str, Any]]:
    viewer = signed_in_user(request)
    return [asdict(selectors.organization_view(org)) for org in selectors.organizations_visible(viewer=viewer)]


@router.get("/tokens", response={200: list[TokenOut], **errors()}, summary="我的 API 令牌 My API tokens")
def tokens(request: HttpRequest) -> list[ApiToken]:
    user = signed_in_user(request)
    return list(selectors.tokens_of(viewer=user, owner=user))


@router.post("/tokens", response={201: IssuedTokenOut, **errors()}, summary="创建 API 令牌 Create a token")
def token_create(request: HttpRequest, payload: TokenIn) -> Status[dict[str, Any]]:
    user = signed_in_user(request)
    require(user, Action.TOKEN_MANAGE, user)
    issued = services.token_create(actor=user, user=user, name=payload.name, days=payload.days)
    out = TokenOut.from_orm(issued.token).dict()
    return Status(201, {**out, "token": issued.plaintext})


@router.post("/tokens/{token_id}/revoke", response={200: TokenOut, **errors(403, 404)},
             summary="吊销 API 令牌 Revoke a token")
def token_revoke(request: HttpRequest, token_id: int, payload: RevokeIn) -> ApiToken:
    viewer = signed_in_user(request)
    token = get_or_404(ApiToken.objects.select_related("user"), pk=token_id)
    require(viewer, Action.TOKEN_MANAGE, token)
    return services.token_revoke(actor=viewer, token=token, reason=payload.reason)
