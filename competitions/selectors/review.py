"""Selectors of the review stage (DESIGN.md "Publication", "Titles"; issue 4 items 5–6): the reads pages and API
share for corrections and the marks of a signed-off sheet (chief referee); objections (the chief referee, who
answers them; the organizer, an overview; the filer); 技术能手 proposals and nominations (选拔) (the organizer).
The API returns these views as they are, from its lists and from its writes (`objection_view`, `title_view`).

Masking, as in `competitions.selectors`: workstations keep their 工位号; the people of an entry are named once
the skill is decrypted (objections and titles exist only after that), never with their ID numbers. The filer of
an objection is named: objections are real-name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.db.models import Prefetch, QuerySet
from pydantic import Field

from accounts.models import User
from accounts.permissions import require
from competitions import access
from competitions.domain import corrections
from competitions.models import (
    CorrectionStatus,
    EntryMember,
    Event,
    Mark,
    MarkCorrection,
    Nomination,
    Objection,
    Sheet,
    SheetStatus,
    Skill,
    TitleProposal,
)
from competitions.permissions import Action
from core.errors import render_message


@dataclass(frozen=True, slots=True)
class CorrectionView:
    id: int
    workstation_no: str
    module: str
    aspect_code: str
    referee: str
    old_value: Decimal
    new_value: Decimal
    reason: str
    requested_by: str
    requested_at: datetime
    status: str
    status_label: str
    decision_reason: str
    decided_by: str
    # Pending and decidable by the reader; otherwise why not (the requester, or a supervisor's request for chiefs).
    may_decide: bool
    refusal: str | None


def skill_corrections(*, chief: User, skill: Skill) -> list[CorrectionView]:
    """A skill's corrections for its chief referees and the organizer's supervisor (监督): the pending ones first
    (oldest first), then the decided; each says whether the reader may decide it (two people for every correction,
    competitions.domain.corrections)."""
    access.require_correction_decider(chief, skill)
    supervisor = access.may_supervise(chief, skill)
    chief_ids = access.chief_ids_of(skill)
    rows = MarkCorrection.objects.filter(mark__entry__skill=skill).select_related(
        "mark__entry", "mark__aspect__module", "mark__referee", "requested_by", "decided_by"
    ).order_by("requested_at", "pk")
    views = []
    for c in rows:
        refusal = corrections.decision_refusal(
            chief.pk, corrections.CorrectionRequest(c.mark.referee_id, c.requested_by_id), chief_ids,
            supervisor=supervisor,
        ) if c.status == CorrectionStatus.PENDING else None
        views.append(CorrectionView(
            c.pk, c.mark.entry.workstation_no, c.mark.aspect.module.code, c.mark.aspect.code, str(c.mark.referee),
            c.old_value, c.new_value, c.reason, str(c.requested_by), c.requested_at, c.status,
            str(c.get_status_display()), c.decision_reason, str(c.decided_by) if c.decided_by else "",
            c.status == CorrectionStatus.PENDING and refusal is None,
            render_message(refusal.code, refusal.params, refusal.default) if refusal is not None else None,
        ))
    return sorted(views, key=lambda v: v.status != CorrectionStatus.PENDING)


@dataclass(frozen=True, slots=True)
class MarkToCorrectView:
    """One mark of a signed-off sheet as its referee asks to correct it: by 工位号, never the entry behind it."""

    mark_id: int
    skill_id: int
    workstation_no: str
    module: str
    aspect_code: str
    description: str
    value: Decimal
    signed_off: bool
    pending_correction: bool


def mark_to_correct(*, actor: User, mark_id: int) -> MarkToCorrectView:
    """The mark whose correction the caller may request (its referee, or a chief referee of the skill)."""
    mark = access.access_mark_for_correction(actor, mark_id)
    signed_off = Sheet.objects.filter(entry_id=mark.entry_id, module_id=mark.aspect.module_id,
                                      status=SheetStatus.SIGNED_OFF).exists()
    pending = MarkCorrection.objects.filter(mark=mark, status=CorrectionStatus.PENDING).exists()
    return MarkToCorrectView(mark.pk, mark.entry.skill_id, mark.entry.workstation_no, mark.aspect.module.code,
                             mark.aspect.code, mark.aspect.description, mark.value, signed_off, pending)


@dataclass(frozen=True, slots=True)
class SheetMarkView:
    mark_id: int
    aspect_code: str
    description: str
    referee: str
    value: Decimal
    pending_correction: bool


@dataclass(frozen=True, slots=True)
class SheetMarksView:
    sheet_id: int
    skill_id: int
    workstation_no: str
    module: str
    signed_off: bool
    marks: list[SheetMarkView]


def sheet_marks(*, chief: User, sheet: Sheet) -> SheetMarksView:
    """The marks of one sheet, each with whether a correction of it is pending, for the chief referee."""
    access.require_chief(chief, sheet.entry.skill)
    marks = Mark.objects.filter(entry_id=sheet.entry_id, aspect__module_id=sheet.module_id).select_related(
        "aspect", "referee"
    ).order_by("aspect__position", "aspect_id", "referee_id")
    pending = set(MarkCorrection.objects.filter(mark__in=marks, status=CorrectionStatus.PENDING)
                  .values_list("mark_id", flat=True))
    return SheetMarksView(
        sheet.pk, sheet.entry.skill_id, sheet.entry.workstation_no, sheet.module.code,
        sheet.status == SheetStatus.SIGNED_OFF,
        [SheetMarkView(m.pk, m.aspect.code, m.aspect.description, str(m.referee), m.value, m.pk in pending)
         for m in marks],
    )


@dataclass(frozen=True, slots=True)
class ObjectionView:
    id: int
    skill_id: int
    skill_name: str
    workstation_no: str
    names: Annotated[list[str] | None, Field(description="赛项解密前为 null（只显示工位号）")]
    filed_by: Annotated[str, Field(description="异议实名提出，显示提出人")]
    filed_at: datetime
    text: str
    answer: str
    answered_by: str
    answered_at: datetime | None


def objection_view(o: Objection) -> ObjectionView:
    """One objection as its filer, the chief referee and the organizer see it: the same row in every list and in
    the answer to the write that filed or answered it."""
    return ObjectionView(
        o.pk, o.entry.skill_id, str(o.entry.skill), o.entry.workstation_no,
        [str(m.person) for m in o.entry.members.all()] if o.entry.skill.decrypted_at else None,
        str(o.filed_by), o.filed_at, o.text, o.answer, str(o.answered_by or ""), o.answered_at,
    )


def _objections(qs: QuerySet[Objection]) -> list[ObjectionView]:
    rows = qs.select_related("entry__skill", "filed_by", "answered_by").prefetch_related(
        Prefetch("entry__members", queryset=EntryMember.objects.select_related("person").order_by("id"))
    ).order_by("answered_at", "filed_at", "pk")
    return [objection_view(o) for o in rows]


def skill_objections(*, chief: User, skill: Skill) -> list[ObjectionView]:
    """A skill's objections for its chief referee, who answers them; unanswered first."""
    access.require_chief(chief, skill)
    views = _objections(Objection.objects.filter(entry__skill=skill))
    return sorted(views, key=lambda v: v.answered_at is not None)


def event_objections(*, viewer: Any, event: Event) -> list[ObjectionView]:
    """Every objection of an event for its organizer (an overview; the chief referees answer), unanswered first."""
    require(viewer, Action.COMPETITION_MANAGE, event)
    views = _objections(Objection.objects.filter(entry__skill__event=event))
    return sorted(views, key=lambda v: v.answered_at is not None)


def my_objections(*, person: User) -> list[ObjectionView]:
    """The objections a person filed, with their answers."""
    return _objections(Objection.objects.filter(filed_by=person))


@dataclass(frozen=True, slots=True)
class TitleView:
    id: int
    skill_id: int
    skill_name: str
    person: str
    unit: str
    place: int
    scope: str
    scope_label: str
    proposed_at: datetime
    approved_by: str
    approved_at: datetime | None


def event_titles(*, viewer: Any, event: Event) -> list[TitleView]:
    """The 技术能手 proposals of an event's published skills, for those who record the approval (核准)."""
    require(viewer, Action.TITLE_APPROVE, event)
    rows = TitleProposal.objects.filter(entry__skill__event=event).select_related(
        "entry__skill", "entry__unit", "person", "approved_by"
    ).order_by("entry__skill_id", "place", "pk")
    return [title_view(p) for p in rows]


def title_view(p: TitleProposal) -> TitleView:
    """One 技术能手 proposal, as the list shows it and as approving it answers."""
    return TitleView(p.pk, p.entry.skill_id, str(p.entry.skill), str(p.person), p.entry.unit.name, p.place,
                     p.scope, str(p.get_scope_display()), p.proposed_at, str(p.approved_by or ""), p.approved_at)


@dataclass(frozen=True, slots=True)
class NominationView:
    id: int
    from_event: str
    from_skill: str
    to_event: str
    to_skill: str
    place: int
    names: list[str]
    unit: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class EventNominations:
    sent: Annotated[list[NominationView], Field(description="本竞赛赛项推荐至上级竞赛")]
    received: Annotated[list[NominationView], Field(description="下级竞赛推荐至本竞赛赛项")]


def event_nominations(*, viewer: Any, event: Event) -> EventNominations:
    """The nominations (选拔) an event sent and received, for its organizer. Nominations are made when the
    sending skill is published, so the people are named."""
    require(viewer, Action.COMPETITION_MANAGE, event)

    def views(qs: QuerySet[Nomination]) -> list[NominationView]:
        rows = qs.select_related("from_entry__skill__event", "from_entry__unit", "to_skill__event").prefetch_related(
            Prefetch("from_entry__members", queryset=EntryMember.objects.select_related("person").order_by("id"))
        ).order_by("to_skill_id", "from_entry__skill_id", "place", "pk")
        return [
            NominationView(n.pk, n.from_entry.skill.event.name, str(n.from_entry.skill), n.to_skill.event.name,
                           str(n.to_skill), n.place, [str(m.person) for m in n.from_entry.members.all()],
                           n.from_entry.unit.name, n.created_at)
            for n in rows
        ]

    return EventNominations(views(Nomination.objects.filter(from_entry__skill__event=event)),
                            views(Nomination.objects.filter(to_skill__event=event)))

