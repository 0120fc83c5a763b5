"""Registrations: a skill's entries, submitting, reviewing and withdrawing them."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from accounts.models import Organization, User
from competitions import selectors, services
from competitions.api.common import entry_out, get_object, user_of
from competitions.api.schemas import (
    EntryIn,
    EntryOut,
    ReasonIn,
)
from competitions.models import (
    Entry,
    Skill,
)
from core.schemas import errors

router = Router()


@router.get("/skills/{skill_id}/entries", response={200: list[EntryOut], **errors(404)},
            summary="报名名单 Registrations")
def entries(request: HttpRequest, skill_id: int) -> list[dict[str, Any]]:
    skill = get_object(Skill, skill_id, select=["event"])
    return [entry_out(e) for e in selectors.entries_visible(viewer=user_of(request), skill=skill)]


@router.post("/skills/{skill_id}/entries", response={201: EntryOut, **errors(404, 409)},
             summary="报名 Enter contestants")
def entry_submit(request: HttpRequest, skill_id: int, payload: EntryIn) -> Status[dict[str, Any]]:
    skill = get_object(Skill, skill_id)
    unit = get_object(Organization, payload.unit_id)
    members = [services.MemberData(get_object(User, m.person_id), m.group) for m in payload.members]
    coaches = [get_object(User, pk) for pk in payload.coach_ids]
    entry = services.entry_submit(actor=user_of(request), skill=skill, unit=unit, members=members, coaches=coaches)
    return Status(201, entry_out(entry))


@router.post("/entries/{entry_id}/approve", response={200: EntryOut, **errors(404, 409)},
             summary="审核通过 Approve a registration")
def entry_approve(request: HttpRequest, entry_id: int, payload: ReasonIn) -> dict[str, Any]:
    return entry_out(services.entry_approve(actor=user_of(request), entry=get_object(Entry, entry_id),
                                             reason=payload.reason))


@router.post("/entries/{entry_id}/reject", response={200: EntryOut, **errors(404, 409)},
             summary="驳回报名 Reject a registration")
def entry_reject(request: HttpRequest, entry_id: int, payload: ReasonIn) -> dict[str, Any]:
    return entry_out(services.entry_reject(actor=user_of(request), entry=get_object(Entry, entry_id),
                                            reason=payload.reason))


@router.post("/entries/{entry_id}/withdraw", response={200: EntryOut, **errors(404, 409)},
             summary="退赛 Withdraw an entry")
def entry_withdraw(request: HttpRequest, entry_id: int, payload: ReasonIn) -> dict[str, Any]:
    return entry_out(services.entry_withdraw(actor=user_of(request), entry=get_object(Entry, entry_id, select=["unit"]),
                                              reason=payload.reason))
