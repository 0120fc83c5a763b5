"""Registrations: a skill's entries, submitting, reviewing and withdrawing them."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from accounts.models import Organization, User
from competitions import selectors, services
from competitions.api.common import get_object, user_of
from competitions.api.schemas import EntryIn, ReasonIn
from competitions.models import Entry, Skill
from competitions.selectors import EntryView
from core.schemas import errors

router = Router()


@router.get("/skills/{skill_id}/entries", response={200: list[EntryView], **errors(404)},
            summary="报名名单 Registrations")
def entries(request: HttpRequest, skill_id: int) -> list[EntryView]:
    skill = get_object(Skill, skill_id, select=["event"])
    return selectors.skill_entries(viewer=user_of(request), skill=skill)


@router.post("/skills/{skill_id}/entries", response={201: EntryView, **errors(404, 409)},
             summary="报名 Enter contestants")
def entry_submit(request: HttpRequest, skill_id: int, payload: EntryIn) -> Status[EntryView]:
    skill = get_object(Skill, skill_id)
    unit = get_object(Organization, payload.unit_id)
    members = [services.MemberData(get_object(User, m.person_id), m.group) for m in payload.members]
    coaches = [get_object(User, pk) for pk in payload.coach_ids]
    entry = services.entry_submit(actor=user_of(request), skill=skill, unit=unit, members=members, coaches=coaches)
    return Status(201, selectors.entry_view(entry))


@router.post("/entries/{entry_id}/approve", response={200: EntryView, **errors(404, 409)},
             summary="审核通过 Approve a registration")
def entry_approve(request: HttpRequest, entry_id: int, payload: ReasonIn) -> EntryView:
    return selectors.entry_view(services.entry_approve(actor=user_of(request), entry=get_object(Entry, entry_id),
                                                       reason=payload.reason))


@router.post("/entries/{entry_id}/reject", response={200: EntryView, **errors(404, 409)},
             summary="驳回报名 Reject a registration")
def entry_reject(request: HttpRequest, entry_id: int, payload: ReasonIn) -> EntryView:
    return selectors.entry_view(services.entry_reject(actor=user_of(request), entry=get_object(Entry, entry_id),
                                                      reason=payload.reason))


@router.post("/entries/{entry_id}/withdraw", response={200: EntryView, **errors(404, 409)},
             summary="退赛 Withdraw an entry")
def entry_withdraw(request: HttpRequest, entry_id: int, payload: ReasonIn) -> EntryView:
    entry = get_object(Entry, entry_id, select=["unit"])
    return selectors.entry_view(services.entry_withdraw(actor=user_of(request), entry=entry, reason=payload.reason))
