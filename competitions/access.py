"""Object-level rights of referees, on top of `accounts.permissions` (DESIGN.md "Data flow of one mark",
"Recusal (回避)").

`accounts.permissions` answers whether a person's role may mark, sign off or approve corrections at all; a
referee's reach is then decided per skill, entry and aspect, here, and nowhere else:

- a referee marks an (entry, aspect) when assigned to the skill, the aspect and the entry's 工位号 (an empty list
  of aspects or workstations in the assignment means all of them), and when on that entry's panel;
- the panel of an (entry, aspect) is filled by `competitions.domain.recusal.assign_panel`: the first `referee_count`
  assigned referees in priority order who may mark the entry. A referee of the entry's nominating unit (any unit
  the referee holds a role in, or the unit recorded on the assignment) or one who declared a relationship to a
  member is skipped, and the next eligible referee takes the place. With too few eligible referees the panel is
  whoever is eligible; the aspect then stays incomplete and blocks sign-off, which the chief referee sees;
- the chief referee of a skill is the person assigned to it as chief, with the chief-referee role.

A referee who is recused is refused naming the reason; one who is simply not on the panel is refused as not
assigned.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from accounts.models import User
from accounts.permissions import can, require
from competitions.domain import recusal
from competitions.models import Aspect, Entry, RefereeAssignment, RefereeRole, RelationshipDeclaration, Skill
from competitions.permissions import Action
from core.errors import DomainError, PermissionDenied, render_message


@dataclass(frozen=True, slots=True)
class Candidate:
    """An assigned referee as panel filling sees them."""

    assignment: RefereeAssignment
    units: frozenset[int]
    related_person_ids: frozenset[int]


def skill_candidates(skill: Skill) -> list[Candidate]:
    """The referees (not the chief) assigned to a skill, in priority order, with their units and relations."""
    assignments = list(
        RefereeAssignment.objects.filter(skill=skill, role=RefereeRole.REFEREE)
        .select_related("referee")
        .prefetch_related("aspects", "referee__memberships")
        .order_by("priority", "id")
    )
    referee_ids = [a.referee_id for a in assignments]
    related: dict[int, set[int]] = {}
    for referee_id, person_id in RelationshipDeclaration.objects.filter(referee_id__in=referee_ids).values_list(
        "referee_id", "person_id"
    ):
        related.setdefault(referee_id, set()).add(person_id)
    candidates = []
    for assignment in assignments:
        units = {m.organization_id for m in assignment.referee.memberships.all() if m.organization_id is not None}
        if assignment.organization_id is not None:
            units.add(assignment.organization_id)
        candidates.append(Candidate(assignment, frozenset(units), frozenset(related.get(assignment.referee_id, ()))))
    return candidates


def covers(assignment: RefereeAssignment, aspect: Aspect, workstation_no: str | None) -> bool:
    """Is the aspect (and the workstation, unless None) within the assignment? Empty lists mean all."""
    aspect_ids = {a.pk for a in assignment.aspects.all()}
    if aspect_ids and aspect.pk not in aspect_ids:
        return False
    return workstation_no is None or not assignment.workstation_nos or workstation_no in assignment.workstation_nos


def _profiles(candidates: Iterable[Candidate], entry: Entry, member_ids: frozenset[int]) -> list[
    recusal.RefereeProfile
]:
    # Recusal compares one organization per side: a referee counts as "of the entry's unit" when any of their
    # units is the entry's; a declaration about any member counts against the whole entry (recusal docstring).
    return [
        recusal.RefereeProfile(
            referee_id=c.assignment.referee_id,
            organization_id=entry.unit_id if entry.unit_id in c.units else None,
            declared_contestant_ids=frozenset({entry.pk}) if c.related_person_ids & member_ids else frozenset(),
        )
        for c in candidates
    ]


def recusal_check(candidate: Candidate, entry: Entry, member_ids: frozenset[int]) -> recusal.RecusalCheck:
    (profile,) = _profiles([candidate], entry, member_ids)
    return recusal.check_referee(profile, recusal.ContestantProfile(entry.pk, entry.unit_id))


def panel(
    candidates: list[Candidate], entry: Entry, aspect: Aspect, member_ids: frozenset[int], needed: int
) -> list[Hashable]:
    """The referee ids on the panel of this (entry, aspect), in priority order (module docstring)."""
    covering = [c for c in candidates if covers(c.assignment, aspect, entry.workstation_no)]
    profiles = _profiles(covering, entry, member_ids)
    contestant = recusal.ContestantProfile(entry.pk, entry.unit_id)
    try:
        return recusal.assign_panel(needed, profiles, contestant)
    except DomainError as exc:
        if exc.code != "recusal.not_enough_referees":
            raise
        return [p.referee_id for p in profiles if recusal.check_referee(p, contestant)]


def member_ids_of(entry: Entry) -> frozenset[int]:
    return frozenset(entry.members.values_list("person_id", flat=True))


def mark_refusal(
    user: User, entry: Entry, aspect: Aspect, needed: int, candidates: list[Candidate] | None = None,
    *, member_ids: frozenset[int] | None = None,
) -> DomainError | None:
    """Why `user` may not mark this aspect of this entry, or None (module docstring). Callers checking many
    entries pass the skill's candidates and each entry's member ids, loaded once."""
    if not can(user, Action.MARK_ENTER):
        return PermissionDenied()
    candidates = skill_candidates(entry.skill) if candidates is None else candidates
    mine = next((c for c in candidates if c.assignment.referee_id == user.pk), None)
    if mine is None or not covers(mine.assignment, aspect, entry.workstation_no):
        return PermissionDenied("mark.not_assigned")
    members = member_ids_of(entry) if member_ids is None else member_ids
    check = recusal_check(mine, entry, members)
    if not check:
        # A referee knows contestants by 工位号 only, so the reason names the workstation, not a person's id.
        reasons = [render_message(r.code, {**r.params, "contestant": f"{entry.workstation_no}"}, r.default)
                   for r in check.reasons]
        return PermissionDenied("mark.recused", {"reason": "；".join(reasons)})
    if user.pk not in panel(candidates, entry, aspect, members, needed):
        return PermissionDenied("mark.not_assigned")
    return None


def is_chief_of(user: User, skill: Skill) -> bool:
    """The chief referee of the skill: the role, and the assignment as chief."""
    if not can(user, Action.SHEET_SIGN_OFF):
        return False
    return RefereeAssignment.objects.filter(skill=skill, referee=user, role=RefereeRole.CHIEF).exists()


def require_chief(user: User, skill: Skill) -> None:
    """The chief referee of the skill, or a refusal: 403 to those who know the skill (its referees, the platform
    admin, whoever holds a role in its organizer's unit), 404 to anyone else, as `accounts.permissions.require`
    hides another unit's objects."""
    if is_chief_of(user, skill):
        return
    if skill.pk not in assigned_skill_ids(user):
        require(user, Action.COMPETITION_JURY_VIEW, skill)
    raise PermissionDenied()


def assigned_skill_ids(user: User) -> set[int]:
    """Skills the user referees or chairs (for menus and 'my assignments')."""
    if not (can(user, Action.MARK_ENTER) or can(user, Action.SHEET_SIGN_OFF)):
        return set()
    return set(RefereeAssignment.objects.filter(referee=user).values_list("skill_id", flat=True))


__all__ = [
    "Candidate",
    "assigned_skill_ids",
    "covers",
    "is_chief_of",
    "mark_refusal",
    "member_ids_of",
    "panel",
    "recusal_check",
    "require_chief",
    "skill_candidates",
]
