"""Matching (issue 14 item 6): a demand post's talents ranked by the match score, each factor with its value and
weight and what would lift each one's rank, and the colleges that supply the post; a demand checklist's training
and collaboration needs matched to colleges' courses, research, open equipment and cases. For the enterprise,
organizer staff and the admin (talentpool.permissions MATCH_VIEW). Contact data is never part of the answers."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from accounts.auth import signed_in_user
from core.schemas import RowId, errors
from talentpool import access
from talentpool.selectors import matching as selectors

router = Router()


class MatchesQuery(Schema):
    k: int = Field(selectors.DEFAULT_K, ge=1, le=selectors.MAX_K, description="返回前 k 名人才（1–100）")
    talent_id: RowId | None = Field(None, description="另查此人才的排名与解释（不在前 k 名时也给出）")
    same_city: bool = Field(False, description="只看岗位所在城市的人才")


@router.get("/posts/{post_id}/matches", response={200: selectors.PostMatches, **errors(404)},
            summary="岗位的匹配人才与院校 A post's ranked talents, explained, and the colleges that supply it")
def post_matches(request: HttpRequest, post_id: RowId, query: Query[MatchesQuery]) -> selectors.PostMatches:
    user = signed_in_user(request)
    post = access.access_post_for_matching(user, post_id)
    return selectors.post_matches(viewer=user, post=post, k=query.k, talent_id=query.talent_id,
                                  same_city_only=query.same_city)


class OffersQuery(Schema):
    k: int = Field(selectors.OFFERS_K, ge=1, le=20, description="每项需求返回前 k 个院校资源（1–20）")


@router.get("/demand-checklists/{checklist_id}/offers", response={200: selectors.ChecklistOffers, **errors(404)},
            summary="需求清单的培训、合作需求匹配的院校资源 A demand checklist's needs matched to colleges' offers")
def checklist_offers(request: HttpRequest, checklist_id: RowId,
                     query: Query[OffersQuery]) -> selectors.ChecklistOffers:
    user = signed_in_user(request)
    checklist = access.access_checklist_for_matching(user, checklist_id)
    return selectors.checklist_offers(viewer=user, checklist=checklist, k=query.k)
