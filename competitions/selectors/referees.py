"""Reads of the referees page of a skill (裁判安排; issue 10 item 1): who is appointed, the people who may be,
found by name, the contestants a relationship can be declared to, and the relationships declared.

- The page is the organizer's (`Action.COMPETITION_MANAGE` on the skill) and, once marking starts, the skill's
  chief referee's, who alone may change the frozen panels (competitions.services.events.referee_assign).
- Candidates are the people holding the referee or chief-referee role in any unit (referees come from many
  employers), searched by name; their ID numbers are masked unless the permission module lets the reader see them
  (`accounts.permissions.can_view_pii`: the staff of the person's own unit), so an organizer tells two people of
  the same name apart by unit and the last digits only.
- Relationships shown are those of the skill's appointed referees to its contestants; the marking groups are
  another page's (branch `groups`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Prefetch, Q

from accounts.identity import shown_id_number
from accounts.models import Membership, Role, User
from accounts.permissions import can_view_pii, require
from competitions import access
from competitions.models import (
    ACTIVE_ENTRY_STATUSES,
    EntryMember,
    RefereeAssignment,
    RelationshipDeclaration,
    Skill,
    Status,
)
from competitions.permissions import Action

CANDIDATE_LIMIT = 30
REFEREE_ROLES = (Role.REFEREE, Role.CHIEF_REFEREE)


@dataclass(frozen=True, slots=True)
class RefereeCandidate:
    """A person who may be appointed: name, units and roles, the ID number as the reader may see it."""

    id: int
    name: str
    units: str
    id_number: str
    may_referee: bool
    may_chair: bool
    appointed: bool


@dataclass(frozen=True, slots=True)
class AppointedReferee:
    assignment_id: int
    person_id: int
    name: str
    unit: str
    id_number: str
    role: str
    role_label: str
    priority: int


@dataclass(frozen=True, slots=True)
class EntrantOption:
    person_id: int
    name: str
    unit: str


@dataclass(frozen=True, slots=True)
class RelationshipLine:
    referee: str
    person: str
    reason: str
    declared_at: datetime


@dataclass(frozen=True, slots=True)
class SkillReferees:
    """The referees page of one skill. `frozen`: marking has started, changes need the chief and a reason;
    `closed`: results published, nothing changes."""

    skill_id: int
    skill: str
    event_id: int
    event: str
    status_label: str
    frozen: bool
    closed: bool
    appointed: list[AppointedReferee]
    entrants: list[EntrantOption]
    relationships: list[RelationshipLine]


def require_referees_page(viewer: Any, skill: Skill) -> None:
    """The organizer of the skill, or its chief referee (module docstring); 404 to other units."""
    if not (isinstance(viewer, User) and access.is_chief_of(viewer, skill)):
        require(viewer, Action.COMPETITION_MANAGE, skill)


def _with_units() -> Prefetch[Any]:
    return Prefetch("memberships", queryset=Membership.objects.select_related("organization").order_by("pk"))


def _units(person: User) -> str:
    names = dict.fromkeys(m.organization.name for m in person.memberships.all() if m.organization is not None)
    return "、".join(names)


def skill_referees(*, viewer: Any, skill: Skill) -> SkillReferees:
    require_referees_page(viewer, skill)
    assignments = list(
        RefereeAssignment.objects.filter(skill=skill).select_related("organization")
        .prefetch_related(Prefetch("referee", queryset=User.objects.prefetch_related(_with_units())))
        .order_by("role", "priority", "pk")
    )
    appointed = [
        AppointedReferee(
            assignment_id=a.pk, person_id=a.referee_id, name=str(a.referee),
            unit=a.organization.name if a.organization else _units(a.referee),
            id_number=shown_id_number(a.referee.id_number, full=can_view_pii(viewer, a.referee)),
            role=a.role, role_label=str(a.get_role_display()), priority=a.priority,
        )
        for a in assignments
    ]
    members = (
        EntryMember.objects.filter(entry__skill=skill, entry__status__in=ACTIVE_ENTRY_STATUSES)
        .select_related("person", "entry__unit").order_by("entry__unit__name", "person__real_name", "pk")
    )
    entrants = [EntrantOption(m.person_id, str(m.person), m.entry.unit.name) for m in members]
    referee_ids = [a.referee_id for a in assignments]
    entrant_ids = [e.person_id for e in entrants]
    declared = (
        RelationshipDeclaration.objects.filter(referee_id__in=referee_ids, person_id__in=entrant_ids)
        .select_related("referee", "person").order_by("declared_at", "pk")
    )
    return SkillReferees(
        skill_id=skill.pk, skill=str(skill), event_id=skill.event_id, event=skill.event.name,
        status_label=str(skill.get_status_display()),
        frozen=skill.status in (Status.MARKING, Status.REVIEW),
        closed=skill.status in (Status.PUBLISHED, Status.ARCHIVED),
        appointed=appointed, entrants=entrants,
        relationships=[RelationshipLine(str(d.referee), str(d.person), d.reason, d.declared_at) for d in declared],
    )


def referee_candidates(
    *, viewer: Any, skill: Skill, query: str, limit: int = CANDIDATE_LIMIT
) -> list[RefereeCandidate]:
    """People holding a referee or chief-referee role whose name (or username) contains `query`, at most `limit`
    of them, in name order; nothing for an empty query (module docstring)."""
    require_referees_page(viewer, skill)
    query = query.strip()
    if not query:
        return []
    people = (
        User.objects.filter(is_active=True, memberships__role__in=REFEREE_ROLES)
        .filter(Q(real_name__icontains=query) | Q(username__icontains=query))
        .distinct().order_by("real_name", "pk").prefetch_related(_with_units())[:limit]
    )
    appointed = set(RefereeAssignment.objects.filter(skill=skill).values_list("referee_id", flat=True))
    found = []
    for person in people:
        roles = {m.role for m in person.memberships.all()}
        found.append(RefereeCandidate(
            id=person.pk, name=str(person), units=_units(person),
            id_number=shown_id_number(person.id_number, full=can_view_pii(viewer, person)),
            may_referee=Role.REFEREE in roles, may_chair=Role.CHIEF_REFEREE in roles,
            appointed=person.pk in appointed,
        ))
    return found

