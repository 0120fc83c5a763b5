"""Accounts API: who am I, people (masked as the caller may see them), units, my language, my API tokens. Each
endpoint returns the selectors' view as it is."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from accounts import selectors, services
from accounts.auth import PageSessionAuth, signed_in_user
from accounts.models import ApiToken, User
from accounts.permissions import Action, require
from accounts.schemas import LanguageIn, PersonPatch, RevokeIn, TokenIn
from accounts.selectors import IssuedTokenView, MeView, OrganizationView, PersonView, TokenView
from core.lookup import get_or_404
from core.schemas import RowId, errors

router = Router()


@router.get("/me", response={200: MeView, **errors()}, summary="当前用户 The caller")
def me(request: HttpRequest) -> MeView:
    return selectors.me_view(signed_in_user(request))


@router.put("/me/language", response={200: MeView, **errors()}, summary="设置界面语言 Set my language")
def set_language(request: HttpRequest, payload: LanguageIn) -> MeView:
    services.user_set_language(user=signed_in_user(request), language=payload.language)
    return selectors.me_view(signed_in_user(request))


@router.get("/people/{person_id}", response={200: PersonView, **errors(404)}, summary="人员信息 A person")
def person(request: HttpRequest, person_id: RowId) -> PersonView:
    subject = get_or_404(User, pk=person_id, is_active=True)
    return selectors.person_view(viewer=signed_in_user(request), subject=subject)


@router.patch("/people/{person_id}", response={200: PersonView, **errors(403, 404)},
              summary="修改实名信息 Edit a person",
              description="只改所给字段，未给的保持不变。姓名、身份证号设定后只能由工作人员填写原因更正。"
              "Changes only the fields given. The name and ID number, once set, only staff correct, with a reason.")
def person_edit(request: HttpRequest, person_id: RowId, payload: PersonPatch) -> PersonView:
    viewer = signed_in_user(request)
    subject = get_or_404(User, pk=person_id, is_active=True)
    require(viewer, Action.PROFILE_EDIT, subject)
    changes = services.PersonChanges(
        real_name=payload.real_name, id_number=payload.id_number, mobile=payload.mobile, email=payload.email
    )
    updated = services.person_update(actor=viewer, user=subject, changes=changes, reason=payload.reason)
    return selectors.person_view(viewer=viewer, subject=updated)


@router.get("/organizations", response={200: list[OrganizationView], **errors()}, summary="单位 Units")
def organizations(request: HttpRequest) -> list[OrganizationView]:
    return selectors.organization_list(viewer=signed_in_user(request))


@router.get("/tokens", response={200: list[TokenView], **errors()}, summary="我的 API 令牌 My API tokens")
def tokens(request: HttpRequest) -> list[TokenView]:
    user = signed_in_user(request)
    return selectors.tokens_of(viewer=user, owner=user)


@router.post("/tokens", response={201: IssuedTokenView, **errors()}, auth=[PageSessionAuth()],
             summary="创建 API 令牌 Create a token",
             description="只接受已登录的页面会话（带 CSRF），并需再次输入密码：令牌不能创建令牌。"
             "Only a signed-in page session (with its CSRF token) and the password again: a token cannot mint one.")
def token_create(request: HttpRequest, payload: TokenIn) -> Status[IssuedTokenView]:
    user = signed_in_user(request)
    require(user, Action.TOKEN_MANAGE, user)
    issued = services.token_create(actor=user, user=user, name=payload.name, days=payload.days,
                                   password=payload.password)
    return Status(201, selectors.issued_token_view(issued.token, issued.plaintext))


@router.post("/tokens/{token_id}/revoke", response={200: TokenView, **errors(403, 404)},
             summary="吊销 API 令牌 Revoke a token")
def token_revoke(request: HttpRequest, token_id: RowId, payload: RevokeIn) -> TokenView:
    token = get_or_404(ApiToken.objects.select_related("user"), pk=token_id)
    viewer = signed_in_user(request)
    require(viewer, Action.TOKEN_MANAGE, token)
    return selectors.token_view(services.token_revoke(actor=viewer, token=token, reason=payload.reason))
