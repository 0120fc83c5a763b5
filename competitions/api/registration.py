"""Registrations: a skill's entries, submitting, reviewing and withdrawing them."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from accounts.auth import signed_in_user
from accounts.models import Organization, User
from competitions import selectors, services
from competitions.api.schemas import EntryIn, ReasonIn, TheoryIn
from competitions.models import Entry, Skill
from competitions.selectors import EntryView, TheoryRowView, TheorySheetView
from core.lookup import get_or_404
from core.schemas import RowId, errors

router = Router()


@router.get("/skills/{skill_id}/entries", response={200: list[EntryView], **errors(404)},
            summary="报名名单 Registrations")
def entries(request: HttpRequest, skill_id: RowId) -> list[EntryView]:
    skill = get_or_404(Skill.objects.select_related("event"), pk=skill_id)
    return selectors.skill_entries(viewer=signed_in_user(request), skill=skill)


@router.post("/skills/{skill_id}/entries", response={201: EntryView, **errors(404, 409)},
             summary="报名 Enter contestants")
def entry_submit(request: HttpRequest, skill_id: RowId, payload: EntryIn) -> Status[EntryView]:
    skill = get_or_404(Skill, pk=skill_id)
    unit = get_or_404(Organization, pk=payload.unit_id)
    members = [services.MemberData(get_or_404(User, pk=m.person_id), m.group) for m in payload.members]
    coaches = [get_or_404(User, pk=pk) for pk in payload.coach_ids]
    entry = services.entry_submit(actor=signed_in_user(request), skill=skill, unit=unit, members=members,
                                  coaches=coaches)
    return Status(201, selectors.entry_view(entry))


@router.post("/entries/{entry_id}/approve", response={200: EntryView, **errors(404, 409)},
             summary="审核通过 Approve a registration")
def entry_approve(request: HttpRequest, entry_id: RowId, payload: ReasonIn) -> EntryView:
    entry = services.entry_approve(actor=signed_in_user(request), entry=get_or_404(Entry, pk=entry_id),
                                   reason=payload.reason)
    return selectors.entry_view(entry)


@router.post("/entries/{entry_id}/reject", response={200: EntryView, **errors(404, 409)},
             summary="驳回报名 Reject a registration")
def entry_reject(request: HttpRequest, entry_id: RowId, payload: ReasonIn) -> EntryView:
    entry = services.entry_reject(actor=signed_in_user(request), entry=get_or_404(Entry, pk=entry_id),
                                  reason=payload.reason)
    return selectors.entry_view(entry)


@router.post("/entries/{entry_id}/withdraw", response={200: EntryView, **errors(404, 409)},
             summary="退赛 Withdraw an entry")
def entry_withdraw(request: HttpRequest, entry_id: RowId, payload: ReasonIn) -> EntryView:
    entry = get_or_404(Entry.objects.select_related("unit"), pk=entry_id)
    withdrawn = services.entry_withdraw(actor=signed_in_user(request), entry=entry, reason=payload.reason)
    return selectors.entry_view(withdrawn)


@router.get("/skills/{skill_id}/theory", response={200: TheorySheetView, **errors(404)},
            summary="理论成绩（按检录号） Theory results")
def theory(request: HttpRequest, skill_id: RowId) -> TheorySheetView:
    return selectors.skill_theory(viewer=signed_in_user(request), skill=get_or_404(Skill, pk=skill_id))


@router.put("/entries/{entry_id}/theory", response={200: TheoryRowView, **errors(404, 409)},
            summary="录入理论成绩或登记缺考 Record a theory score or an absence")
def theory_record(request: HttpRequest, entry_id: RowId, payload: TheoryIn) -> TheoryRowView:
    entry = services.entry_theory_record(actor=signed_in_user(request), entry=get_or_404(Entry, pk=entry_id),
                                         score=payload.score, absent_reason=payload.absent_reason)
    return selectors.theory_row(Entry.objects.select_related("unit").prefetch_related("members__person")
                                .get(pk=entry.pk))
