"""A person's levels: read (the person, their units' staff, organizer staff, the admin), recorded by hand with
evidence and withdrawn (the admin, organizer staff)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from accounts.auth import signed_in_user
from certification import access, selectors, services
from certification.api.schemas import HeldLevelIn, WithdrawIn
from certification.domain.ladder import SkillLevel
from certification.selectors.levels import held_level_view
from core.schemas import RowId, errors

router = Router()


@router.get("/my/levels", response={200: selectors.PersonLevels, **errors()}, summary="我的技能等级 My levels")
def my_levels(request: HttpRequest) -> selectors.PersonLevels:
    user = signed_in_user(request)
    return selectors.person_levels(access.access_person_levels(user, user.pk))


@router.get("/people/{person_id}/levels", response={200: selectors.PersonLevels, **errors(404)},
            summary="人员的技能等级及来源 A person's levels")
def person_levels(request: HttpRequest, person_id: RowId) -> selectors.PersonLevels:
    return selectors.person_levels(access.access_person_levels(signed_in_user(request), person_id))


@router.post("/people/{person_id}/levels", response={201: selectors.HeldLevelView, **errors(404)},
             summary="登记已取得的等级（附证明材料） Record a level by hand")
def held_level_record(request: HttpRequest, person_id: RowId, payload: HeldLevelIn) -> Status[selectors.HeldLevelView]:
    held = services.held_level_record(actor=signed_in_user(request), person_id=person_id,
                                      occupation_id=payload.occupation_id, level=SkillLevel(payload.level),
                                      obtained_on=payload.obtained_on, evidence=payload.evidence)
    return Status(201, held_level_view(held))


@router.post("/levels/{held_id}/withdraw", response={200: selectors.HeldLevelView, **errors(404, 409)},
             summary="撤销手工登记的等级 Withdraw a level recorded by hand")
def held_level_withdraw(request: HttpRequest, held_id: RowId, payload: WithdrawIn) -> selectors.HeldLevelView:
    held = services.held_level_withdraw(actor=signed_in_user(request), held_id=held_id, reason=payload.reason)
    return held_level_view(held)
