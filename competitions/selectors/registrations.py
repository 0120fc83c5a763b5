"""Reads of the registration pages (报名; issue 10 items 1 and 2).

- The organizer's list of an event's registrations (`event_registrations`): every entry of the event for whoever
  reviews it (`Action.ENTRY_REVIEW` on the event; 404 to other units), filtered by status, unit and skill, in
  pages of `PAGE_SIZE` with the page count shown (never silently capped).
- A unit's page (`unit_registrations`): the events open for registration with their skills, and the unit's own
  entries of every event with each one's status and the reviewer's reason. The units are those the reader
  nominates for as its own staff (`accounts.permissions.reach` of `Action.ENTRY_SUBMIT`, own-unit part only: the
  platform admin, who may nominate anywhere, has no unit page of their own, as on the home page).
- Entering people one by one (`registration_form`): the unit's people on the platform (any role in the unit),
  searched by name, with ID numbers as the permission module lets the reader see them. People not on the
  platform yet are entered by the Excel roster, which creates them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from accounts.identity import shown_id_number
from accounts.models import Membership, Organization, User
from accounts.permissions import can_view_pii, reach, require
from competitions.models import (
    ACTIVE_ENTRY_STATUSES,
    ENTRY_MOVES,
    Entry,
    EntryMember,
    EntryStatus,
    Event,
    Group,
    Skill,
    Status,
)
from competitions.permissions import Action
from competitions.selectors.events import EventView, event_view

PAGE_SIZE = 100
PEOPLE_LIMIT = 50


@dataclass(frozen=True, slots=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True, slots=True)
class RegistrationRow:
    """One registration as the organizer's list shows it: the people by name, never their numbers."""

    id: int
    skill_id: int
    skill: str
    unit_id: int
    unit: str
    members: str
    status: str
    status_label: str
    review_reason: str
    submitted_at: datetime
    decidable: bool  # still waiting for review: approve or reject offered


@dataclass(frozen=True, slots=True)
class RegistrationList:
    event: EventView
    rows: list[RegistrationRow]
    statuses: list[Choice]
    units: list[Choice]
    skills: list[Choice]
    status: str
    unit: str
    skill: str
    waiting: int  # of the filtered list, how many wait for review
    total: int  # of the filtered list
    page: int
    pages: int
    open_for_registration: bool  # roster import offered for any unit


def _members(entries: QuerySet[Entry]) -> QuerySet[Entry]:
    return entries.prefetch_related(
        Prefetch("members", queryset=EntryMember.objects.select_related("person").order_by("pk"))
    )


def _names(entry: Entry) -> str:
    return "、".join(str(m.person) for m in entry.members.all())


def event_registrations(*, viewer: Any, event: Event, status: str = "", unit: str = "", skill: str = "",
                        page: int = 1) -> RegistrationList:
    require(viewer, Action.ENTRY_REVIEW, event)
    entries = Entry.objects.filter(skill__event=event)
    units = [Choice(str(pk), name) for pk, name in (
        Organization.objects.filter(competition_entries__skill__event=event).distinct().order_by("name")
        .values_list("pk", "name"))]
    skills = [Choice(str(s.pk), str(s)) for s in Skill.objects.filter(event=event).order_by("pk")]
    status = status if status in EntryStatus.values else ""
    unit = unit if unit in {c.value for c in units} else ""
    skill = skill if skill in {c.value for c in skills} else ""
    if status:
        entries = entries.filter(status=status)
    if unit:
        entries = entries.filter(unit_id=int(unit))
    if skill:
        entries = entries.filter(skill_id=int(skill))
    counts = entries.aggregate(total=Count("pk"), waiting=Count("pk", filter=Q(status=EntryStatus.SUBMITTED)))
    total = counts["total"]
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    shown = _members(entries.select_related("skill", "unit").order_by("skill_id", "unit__name", "pk"))
    rows = [
        RegistrationRow(
            id=e.pk, skill_id=e.skill_id, skill=str(e.skill), unit_id=e.unit_id, unit=e.unit.name,
            members=_names(e), status=e.status, status_label=str(e.get_status_display()),
            review_reason=e.review_reason, submitted_at=e.submitted_at,
            decidable=EntryStatus.APPROVED in ENTRY_MOVES.get(e.status, frozenset()),
        )
        for e in shown[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    ]
    return RegistrationList(
        event=event_view(event), rows=rows, statuses=[Choice(v, str(label)) for v, label in EntryStatus.choices],
        units=units, skills=skills, status=status, unit=unit, skill=skill, waiting=counts["waiting"], total=total,
        page=page, pages=pages, open_for_registration=event.status == Status.REGISTRATION,
    )


# --- a unit's page ------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OpenSkill:
    id: int
    name: str  # with its group
    team_size: int
    entered: int  # the reader's units' entries still in play


@dataclass(frozen=True, slots=True)
class OpenEvent:
    id: int
    name: str
    level_label: str
    organizer: str
    starts_on: date
    ends_on: date
    skills: list[OpenSkill]


@dataclass(frozen=True, slots=True)
class UnitEntry:
    """One of the unit's registrations, with the reviewer's reason (驳回原因, 退赛原因) where there is one."""

    id: int
    event_id: int
    event: str
    skill_id: int
    skill: str
    unit: str
    members: str
    status: str
    status_label: str
    review_reason: str
    submitted_at: datetime
    withdrawable: bool


@dataclass(frozen=True, slots=True)
class UnitRegistrations:
    units: list[Choice]
    open_events: list[OpenEvent]
    entries: list[UnitEntry]


def nominating_units(viewer: Any) -> frozenset[int]:
    """The units the reader nominates for as their own staff (module docstring)."""
    return reach(viewer, Action.ENTRY_SUBMIT).units


def unit_registrations(*, viewer: Any) -> UnitRegistrations:
    units = nominating_units(viewer)
    if not units:
        require(viewer, Action.ENTRY_SUBMIT)  # 403 to who nominates for nobody
    entered = dict(
        Entry.objects.filter(unit_id__in=units, status__in=ACTIVE_ENTRY_STATUSES,
                             skill__event__status=Status.REGISTRATION).order_by().values_list("skill_id").annotate(Count("pk"))
    )
    events = (
        Event.objects.filter(status=Status.REGISTRATION).select_related("organizer")
        .prefetch_related(Prefetch("skills", queryset=Skill.objects.order_by("pk"))).order_by("starts_on", "pk")
    )
    open_events = [
        OpenEvent(e.pk, e.name, str(e.get_level_display()), e.organizer.name, e.starts_on, e.ends_on, [
            OpenSkill(s.pk, str(s), s.team_size, entered.get(s.pk, 0)) for s in e.skills.all()
        ])
        for e in events
    ]
    entries = _members(
        Entry.objects.filter(unit_id__in=units).select_related("skill__event", "unit")
        .order_by("-skill__event__starts_on", "skill_id", "-pk")
    )
    rows = [
        UnitEntry(
            id=e.pk, event_id=e.skill.event_id, event=e.skill.event.name, skill_id=e.skill_id, skill=str(e.skill),
            unit=e.unit.name, members=_names(e), status=e.status, status_label=str(e.get_status_display()),
            review_reason=e.review_reason, submitted_at=e.submitted_at,
            withdrawable=EntryStatus.WITHDRAWN in ENTRY_MOVES.get(e.status, frozenset())
            and e.skill.status not in (Status.PUBLISHED, Status.ARCHIVED),
        )
        for e in entries
    ]
    choices = [Choice(str(pk), name) for pk, name in
               Organization.objects.filter(pk__in=units).order_by("name").values_list("pk", "name")]
    return UnitRegistrations(units=choices, open_events=open_events, entries=rows)


# --- entering people one by one -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PersonOption:
    id: int
    name: str
    id_number: str
    birth_date_known: bool
    entered: str  # the skill of this event the person is entered in already, or ""


@dataclass(frozen=True, slots=True)
class RegistrationForm:
    """The page entering one registration for a skill: the units the reader nominates for, the chosen unit's
    people (searched by name), the groups, and whether registration is open."""

    skill_id: int
    skill: str
    event_id: int
    event: str
    team_size: int
    group: str
    open: bool
    units: list[Choice]
    unit: str
    people: list[PersonOption]
    query: str
    groups: list[Choice]


def registration_form(*, viewer: Any, skill: Skill, unit: str = "", query: str = "") -> RegistrationForm:
    units = nominating_units(viewer)
    if not units:
        require(viewer, Action.ENTRY_SUBMIT)
    choices = [Choice(str(pk), name) for pk, name in
               Organization.objects.filter(pk__in=units).order_by("name").values_list("pk", "name")]
    unit = unit if unit in {c.value for c in choices} else (choices[0].value if choices else "")
    people: list[PersonOption] = []
    if unit:
        found = (
            User.objects.filter(is_active=True, memberships__organization_id=int(unit)).distinct()
            .prefetch_related(Prefetch("memberships", queryset=Membership.objects.order_by("pk")))
            .order_by("real_name", "pk")
        )
        if query.strip():
            found = found.filter(real_name__icontains=query.strip())
        shown = list(found[:PEOPLE_LIMIT])
        entered = dict(EntryMember.objects.filter(event_id=skill.event_id, active=True,
                                                  person_id__in=[p.pk for p in shown])
                       .values_list("person_id", "entry__skill__name"))
        people = [
            PersonOption(p.pk, str(p), shown_id_number(p.id_number, full=can_view_pii(viewer, p)),
                         p.birth_date is not None, entered.get(p.pk, ""))
            for p in shown
        ]
    return RegistrationForm(
        skill_id=skill.pk, skill=str(skill), event_id=skill.event_id, event=skill.event.name,
        team_size=skill.team_size, group=skill.group, open=skill.event.status == Status.REGISTRATION,
        units=choices, unit=unit, people=people, query=query.strip(),
        groups=[Choice(v, str(label)) for v, label in Group.choices],
    )

