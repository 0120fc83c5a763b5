"""The pool's API (issue 14 items 2, 3, 7): search, a talent's profile, the person's own profile, contact requests
and their moves, the shortlist and saved searches; thin endpoints over the same selectors and services as the
pages, so the contact data is masked the same way (talentpool.selectors.profiles)."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from accounts.auth import signed_in_user
from accounts.permissions import require
from core.schemas import RowId, errors
from talentpool import access_pool
from talentpool.permissions import Action
from talentpool.selectors import pool as views
from talentpool.selectors import profiles
from talentpool.services import contacts, pool_tools
from talentpool.services.profiles import ProfileData, SkillEntry, talent_profile_update

router = Router(tags=["talentpool"])

Rung = Annotated[int, Field(ge=1, le=8)]
Text = Annotated[str, Field(max_length=100)]


class SearchIn(Schema):
    occupation: Text = ""
    min_rung: Rung | None = None
    city: Annotated[str, Field(max_length=20)] = ""
    chain_id: RowId | None = None
    min_award: Annotated[int, Field(ge=1, le=4)] | None = None
    open_only: bool = False
    text: Text = ""
    page: Annotated[int, Field(ge=1, le=10_000)] = 1


def _query(filters: SearchIn | dict[str, Any]) -> views.PoolQuery:
    data = filters if isinstance(filters, dict) else filters.dict()
    return views.query_from(data)


@router.get("/talents", response={200: views.SearchPage, **errors()}, summary="检索人才库 Search the pool")
def talents(request: HttpRequest, filters: Query[SearchIn]) -> views.SearchPage:
    user = signed_in_user(request)
    require(user, Action.POOL_SEARCH)
    return views.pool_search(user, _query(filters), page=filters.page)


@router.get("/talents/{talent_id}", response={200: profiles.TalentProfile, **errors(404)},
            summary="人才档案 A talent's profile")
def talent(request: HttpRequest, talent_id: RowId) -> profiles.TalentProfile:
    user = signed_in_user(request)
    return profiles.talent_profile(user, access_pool.access_talent(user, talent_id))


@router.get("/me", response={200: profiles.TalentProfile, **errors(404)}, summary="我的人才档案 My profile")
def my_profile(request: HttpRequest) -> profiles.TalentProfile:
    user = signed_in_user(request)
    return profiles.talent_profile(user, access_pool.access_own_talent(user))


class SkillIn(Schema):
    name: Text
    rung: Rung | None = None


class ProfileIn(Schema):
    city: Annotated[str, Field(max_length=20)] = ""
    education: Annotated[int, Field(ge=0, le=6)] = 0
    years_experience: Annotated[int | None, Field(ge=0, le=60)] = None  # null or absent: not given
    open_to_offers: bool = False
    chain_ids: Annotated[list[RowId], Field(max_length=30)] = []
    summary: Annotated[str, Field(max_length=2000)] = ""
    contact_phone: Annotated[str, Field(max_length=30)] = ""
    contact_email: Annotated[str, Field(max_length=254)] = ""
    skills: Annotated[list[SkillIn], Field(max_length=30)] = []


@router.put("/me", response={200: profiles.TalentProfile, **errors(404)}, summary="修改我的人才档案 Edit my profile")
def my_profile_update(request: HttpRequest, payload: ProfileIn) -> profiles.TalentProfile:
    user = signed_in_user(request)
    talent = talent_profile_update(actor=user, data=ProfileData(
        city=payload.city, education=payload.education, years_experience=payload.years_experience,
        open_to_offers=payload.open_to_offers, chain_ids=tuple(payload.chain_ids), summary=payload.summary,
        contact_phone=payload.contact_phone, contact_email=payload.contact_email,
        skills=tuple(SkillEntry(s.name, s.rung) for s in payload.skills)))
    return profiles.talent_profile(user, talent)


@router.get("/me/contact-requests", response={200: list[profiles.ContactRequestView], **errors(404)},
            summary="我收到的联系请求 Contact requests made to me")
def my_contact_requests(request: HttpRequest) -> list[profiles.ContactRequestView]:
    return profiles.talent_inbox(access_pool.access_own_talent(signed_in_user(request)))


class ReasonIn(Schema):
    reason: Annotated[str, Field(max_length=1000)] = ""


def _view(request_id: int) -> profiles.ContactRequestView:
    from talentpool.models import ContactRequest

    found = ContactRequest.objects.select_related("enterprise", "talent__person", "post", "requested_by").get(
        pk=request_id)
    return profiles.contact_request_view(found, with_contact=False)


@router.post("/me/contact-requests/{request_id}/accept", response={200: profiles.ContactRequestView,
                                                                  **errors(404, 409)},
             summary="同意联系请求 Accept (consent)")
def contact_accept(request: HttpRequest, request_id: RowId, payload: ReasonIn) -> profiles.ContactRequestView:
    done = contacts.contact_request_accept(actor=signed_in_user(request), request_id=request_id,
                                           reason=payload.reason)
    return _view(done.pk)


@router.post("/me/contact-requests/{request_id}/decline", response={200: profiles.ContactRequestView,
                                                                   **errors(404, 409)},
             summary="拒绝联系请求 Decline")
def contact_decline(request: HttpRequest, request_id: RowId, payload: ReasonIn) -> profiles.ContactRequestView:
    done = contacts.contact_request_decline(actor=signed_in_user(request), request_id=request_id,
                                            reason=payload.reason)
    return _view(done.pk)


@router.post("/me/contact-requests/{request_id}/revoke", response={200: profiles.ContactRequestView,
                                                                  **errors(404, 409)},
             summary="撤回同意 Revoke the consent")
def contact_revoke(request: HttpRequest, request_id: RowId, payload: ReasonIn) -> profiles.ContactRequestView:
    done = contacts.contact_consent_revoke(actor=signed_in_user(request), request_id=request_id,
                                           reason=payload.reason)
    return _view(done.pk)


@router.get("/contact-requests", response={200: list[profiles.ContactRequestView], **errors(404)},
            summary="本企业的联系请求 My enterprise's contact requests")
def enterprise_contact_requests(request: HttpRequest) -> list[profiles.ContactRequestView]:
    enterprise = access_pool.access_enterprise(signed_in_user(request), None, Action.CONTACT_REQUEST)
    return profiles.enterprise_requests(enterprise.pk)


class ContactRequestIn(Schema):
    talent_id: RowId
    post_id: RowId | None = None
    message: Annotated[str, Field(max_length=1000)] = ""


@router.post("/contact-requests", response={201: profiles.ContactRequestView, **errors(404, 409)},
             summary="请求联系方式 Ask a talent for contact")
def contact_request_create(request: HttpRequest, payload: ContactRequestIn) -> Status[profiles.ContactRequestView]:
    made = contacts.contact_request_create(actor=signed_in_user(request), talent_id=payload.talent_id,
                                           post_id=payload.post_id, message=payload.message)
    return Status(201, _view(made.pk))


@router.post("/contact-requests/{request_id}/withdraw", response={200: profiles.ContactRequestView,
                                                                 **errors(404, 409)},
             summary="撤回联系请求 Withdraw a pending request")
def contact_withdraw(request: HttpRequest, request_id: RowId, payload: ReasonIn) -> profiles.ContactRequestView:
    done = contacts.contact_request_withdraw(actor=signed_in_user(request), request_id=request_id,
                                             reason=payload.reason)
    return _view(done.pk)


@router.get("/shortlist", response={200: list[views.ShortlistEntry], **errors(404)}, summary="候选名单 Shortlist")
def shortlist(request: HttpRequest, post_id: RowId | None = None) -> list[views.ShortlistEntry]:
    user = signed_in_user(request)
    enterprise = access_pool.access_enterprise(user, None)
    return views.shortlist(user, enterprise.pk, post_id)


class ShortlistIn(Schema):
    talent_id: RowId
    post_id: RowId | None = None
    note: Annotated[str, Field(max_length=300)] = ""


class CreatedOut(Schema):
    id: int


@router.post("/shortlist", response={201: CreatedOut, **errors(404, 409)}, summary="加入候选名单 Add to shortlist")
def shortlist_add(request: HttpRequest, payload: ShortlistIn) -> Status[CreatedOut]:
    item = pool_tools.shortlist_add(actor=signed_in_user(request), talent_id=payload.talent_id,
                                    post_id=payload.post_id, note=payload.note)
    return Status(201, CreatedOut(id=item.pk))


@router.delete("/shortlist/{item_id}", response={204: None, **errors(404)}, summary="移出候选名单 Remove")
def shortlist_remove(request: HttpRequest, item_id: RowId) -> Status[None]:
    pool_tools.shortlist_remove(actor=signed_in_user(request), item_id=item_id)
    return Status(204, None)


@router.get("/saved-searches", response={200: list[views.SavedSearchView], **errors(404)},
            summary="保存的搜索 Saved searches")
def saved_searches(request: HttpRequest) -> list[views.SavedSearchView]:
    user = signed_in_user(request)
    return views.saved_searches(user, access_pool.access_enterprise(user, None).pk)


class SavedSearchIn(Schema):
    name: Text
    query: SearchIn


@router.post("/saved-searches", response={201: CreatedOut, **errors(404)}, summary="保存搜索 Save a search")
def saved_search_create(request: HttpRequest, payload: SavedSearchIn) -> Status[CreatedOut]:
    saved = pool_tools.saved_search_create(actor=signed_in_user(request), name=payload.name,
                                           query=payload.query.dict())
    return Status(201, CreatedOut(id=saved.pk))


@router.get("/saved-searches/{search_id}/run", response={200: views.SearchPage, **errors(404)},
            summary="运行保存的搜索 Run a saved search")
def saved_search_run(request: HttpRequest, search_id: RowId, page: Annotated[int, Field(ge=1, le=10_000)] = 1
                     ) -> views.SearchPage:
    user = signed_in_user(request)
    saved = access_pool.access_saved_search(user, search_id)
    return views.pool_search(user, views.query_from(saved.query), page=page)


@router.delete("/saved-searches/{search_id}", response={204: None, **errors(404)},
               summary="删除保存的搜索 Delete a saved search")
def saved_search_delete(request: HttpRequest, search_id: RowId) -> Status[None]:
    pool_tools.saved_search_delete(actor=signed_in_user(request), search_id=search_id)
    return Status(204, None)
