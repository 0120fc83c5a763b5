"""Marking groups (裁判分组; DESIGN.md "Recusal without a leak"; issue 9 item 5): the chief referee, or the
organizer, forms the groups of a skill's referees; the platform places the workstations into the groups' blocks
by the recusal constraints (competitions.domain.groups, whose docstring says who learns what).

- When: after the 工位号 draw (the blocks are sets of 工位号), while the skill is at check-in or competing; once
  marking has started, a change needs a reason (the panels are frozen, as for `referee_assign`); after marking,
  never. A new 工位号 draw drops the groups (`marking_groups_drop`), since their blocks name the old numbers; the
  chief forms them again.
- What is placed: the workstations of the skill's approved entries; the panels to fill are the scheme's aspects
  with their referee counts; a referee's conflicts are their units (the assignment's and every unit they hold a
  role in) and their declared relationships to the entries' members, as the mark path counts them
  (competitions.access).
- A referee of the skill left out of every group marks nothing while the skill has groups (a reserve).
- A failed placement writes nothing and answers every problem (what is missing, never which workstation).
- The audit entry names the groups, their referees and block sizes, and the reason; never the blocks: the audit
  log is read by the organizer, and a block says which workstations a unit's referees may not mark. The random
  source of the placement is the operating system's, not recorded (domain docstring).

**After the groups are formed** (issue 9 item 1, the recusal hole; the choice): a conflict that appears later, a
relationship recorded by the organizer or declared by the referee, or a grouped referee appointed anew (another
unit), would otherwise leave the related contestant's workstation in that referee's block. So each of those writes
calls `marking_groups_follow_recusal` in its own transaction: the workstation is swapped with one of another
group's block (block sizes stay; neither workstation marked yet, both groups clear of the two contestants; the
partner chosen at random), audited as `competitions.groups.recusal_applied` with the groups as they now stand,
never the blocks, and the number of workstations moved, which is hidden with the 工位号 from non-jury readers
(competitions.selectors.anonymity); the entry is written for every such write to a grouped skill, moved or not, so
its presence says nothing. When marking has started on the workstation, or no partner exists, the write is refused
with `groups.re_form_needed`, which tells the chief referee to re-form the groups first (e.g. with that referee out
of every group), without naming a workstation. What the refusal cannot hide from whoever recorded it: that the
person sits in that referee's group's block. Whatever happens to the groups, the mark path refuses the related
referee's mark on that workstation (competitions.access, neutral `mark.not_assigned`).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.actors import Actor
from accounts.models import Membership
from audit.services import audit_record
from competitions import access
from competitions.adapters import domain_aspect
from competitions.domain import groups as grouping
from competitions.models import (
    Entry,
    EntryMember,
    EntryStatus,
    Mark,
    MarkingGroup,
    RefereeAssignment,
    RefereeRole,
    RelationshipDeclaration,
    Skill,
    Status,
)
from core.errors import Conflict, FieldError, ValidationFailed


@dataclass(frozen=True, slots=True)
class GroupData:
    """One group as the chief forms it: a name (blank: 第 n 组), its referees (user ids), and optionally how many
    workstations its block holds."""

    referee_ids: tuple[int, ...]
    name: str = ""
    block_size: int | None = None


def group_name(position: int, name: str = "") -> str:
    return name.strip() or f"第{position + 1}组"


def _snapshot(skill: Skill) -> list[dict[str, object]]:
    members: dict[int, list[int]] = {}
    for group_id, referee_id in RefereeAssignment.objects.filter(skill=skill, group__isnull=False).order_by(
        "priority", "id"
    ).values_list("group_id", "referee_id"):
        members.setdefault(group_id, []).append(referee_id)
    return [{"name": g.name, "referees": members.get(g.pk, []), "block_size": g.block_size}
            for g in MarkingGroup.objects.filter(skill=skill).order_by("position")]


def _stage_check(skill: Skill, reason: str) -> None:
    if skill.status in (Status.REVIEW, Status.PUBLISHED, Status.ARCHIVED):
        raise Conflict("groups.too_late")
    if skill.status in (Status.DRAFT, Status.REGISTRATION) or not Entry.objects.filter(
        skill=skill, status=EntryStatus.APPROVED
    ).exclude(workstation_no="").exists():
        raise Conflict("groups.not_drawn")
    if skill.status == Status.MARKING and not reason.strip():
        raise ValidationFailed([FieldError("reason", "groups.reason_required")])


def placement_inputs(skill: Skill) -> tuple[dict[int, grouping.GroupReferee], list[grouping.Station],
                                            list[grouping.PanelNeed]]:
    """The skill's referees (by user id) as grouping sees them, its workstations with their contestants, and the
    panels of its scheme: five reads however large the skill."""
    assignments = list(RefereeAssignment.objects.filter(skill=skill, role=RefereeRole.REFEREE)
                       .prefetch_related("aspects").order_by("priority", "id"))
    referee_ids = [a.referee_id for a in assignments]
    units: dict[int, set[int]] = {}
    for user_id, unit_id in Membership.objects.filter(user_id__in=referee_ids, organization__isnull=False
                                                      ).values_list("user_id", "organization_id"):
        units.setdefault(user_id, set()).add(unit_id)
    entries = list(Entry.objects.filter(skill=skill, status=EntryStatus.APPROVED).exclude(workstation_no="")
                   .order_by("workstation_no").values_list("pk", "unit_id", "workstation_no"))
    entries_of_person: dict[int, set[int]] = {}
    for entry_id, person_id in EntryMember.objects.filter(entry_id__in=[e[0] for e in entries]).values_list(
        "entry_id", "person_id"
    ):
        entries_of_person.setdefault(person_id, set()).add(entry_id)
    related: dict[int, set[int]] = {}
    for referee_id, person_id in RelationshipDeclaration.objects.filter(referee_id__in=referee_ids).values_list(
        "referee_id", "person_id"
    ):
        related.setdefault(referee_id, set()).update(entries_of_person.get(person_id, ()))
    referees = {
        a.referee_id: grouping.GroupReferee(
            a.referee_id,
            frozenset(units.get(a.referee_id, set()) | ({a.organization_id} if a.organization_id else set())),
            frozenset(related.get(a.referee_id, ())),
            frozenset(aspect.code for aspect in a.aspects.all()),
        )
        for a in assignments
    }
    stations = [grouping.Station(str(number), entry_id, unit_id) for entry_id, unit_id, number in entries]
    scheme = getattr(skill, "scheme", None)
    needs = [grouping.PanelNeed(a.code, domain_aspect(a).referee_count)
             for a in (scheme.aspects.select_related("module").all() if scheme is not None else [])]
    return referees, stations, needs


@transaction.atomic(durable=True)
def marking_groups_form(
    *, actor: Actor, skill: Skill, groups: Sequence[GroupData], reason: str = ""
) -> list[MarkingGroup]:
    """Form the skill's marking groups and let the platform place the workstations into their blocks (module
    docstring; competitions.domain.groups.place_blocks). Refused with every problem, nothing written, when the
    groups cannot be placed."""
    skill = Skill.objects.select_for_update(of=("self",)).select_related("event").get(pk=skill.pk)
    access.require_group_former(actor, skill)
    _stage_check(skill, reason)
    referees, stations, needs = placement_inputs(skill)
    unknown = sorted({r for g in groups for r in g.referee_ids} - referees.keys())
    if unknown:
        raise ValidationFailed([FieldError("groups", "groups.unknown_referee", {"referees": unknown})])
    plans = [grouping.GroupPlan(group_name(i, g.name), tuple(referees[r] for r in g.referee_ids), g.block_size)
             for i, g in enumerate(groups)]
    if len({p.name for p in plans}) != len(plans):
        raise ValidationFailed([FieldError("groups", "field.invalid")])
    placement = grouping.place_blocks(plans, stations, needs, random.SystemRandom())
    if not placement.placed:
        raise ValidationFailed([FieldError("groups", p.code, p.params, p.default) for p in placement.problems])
    old = _snapshot(skill)
    RefereeAssignment.objects.filter(skill=skill).update(group=None)
    MarkingGroup.objects.filter(skill=skill).delete()
    now = timezone.now()
    made = []
    for position, (plan, data) in enumerate(zip(plans, groups, strict=True)):
        block = placement.blocks[plan.name]
        group = MarkingGroup.objects.create(skill=skill, position=position, name=plan.name, block_size=len(block),
                                            workstation_nos=list(block), placed_at=now)
        RefereeAssignment.objects.filter(skill=skill, referee_id__in=data.referee_ids).update(group=group)
        made.append(group)
    # The blocks stay out of the entry (module docstring): names, referees and sizes only.
    audit_record(actor=actor, action="competitions.groups.formed", target=skill, old=old or None,
                 new=_snapshot(skill), reason=reason.strip())
    return made


# The reason of the audit entry of a re-placement: a fixed text (the write that caused it has its own entry).
RECUSAL_REASON = "回避关系变更后按回避调整分组"


def marking_groups_follow_recusal(*, actor: Actor, skill: Skill, reason: str) -> int:
    """Keep the skill's blocks free of conflicts after a conflict appeared (a relationship recorded or declared, a
    referee appointed anew), inside the caller's transaction (module docstring, "After the groups are formed"):
    each workstation now in the block of a group with a conflicting referee is swapped with a workstation of
    another group's block that none of the two groups conflicts with, neither of them marked yet; when no such swap
    exists, or marking has started on it, `groups.re_form_needed` (and the caller's write rolls back). The number
    of workstations moved; audited whenever the skill has groups, the count hidden like a 工位号."""
    skill = Skill.objects.select_for_update(of=("self",)).get(pk=skill.pk)
    stored = list(MarkingGroup.objects.filter(skill=skill).order_by("position"))
    if not stored or skill.status in (Status.REVIEW, Status.PUBLISHED, Status.ARCHIVED):
        return 0  # no groups, or marking is over: the mark path's refusal stands (competitions.access)
    referees, stations, _needs = placement_inputs(skill)
    members: dict[int, list[grouping.GroupReferee]] = {g.pk: [] for g in stored}
    for referee_id, group_id in RefereeAssignment.objects.filter(skill=skill, group__isnull=False).values_list(
        "referee_id", "group_id"
    ):
        if referee_id in referees:
            members[group_id].append(referees[referee_id])
    by_number = {s.number: s for s in stations}
    blocks = {g.pk: [n for n in g.workstation_nos if n in by_number] for g in stored}

    def clear(group_id: int, number: str) -> bool:
        return not any(grouping.conflicts(r, by_number[number]) for r in members[group_id])

    marked = set(Mark.objects.filter(entry__skill=skill).values_list("entry__workstation_no", flat=True).distinct())
    rng = random.SystemRandom()
    moved = 0
    for group in stored:
        for number in [n for n in blocks[group.pk] if not clear(group.pk, n)]:
            swaps = [(other, t) for other in stored if other.pk != group.pk and clear(other.pk, number)
                     for t in blocks[other.pk] if t not in marked and clear(group.pk, t)]
            if number in marked or not swaps:
                raise Conflict("groups.re_form_needed")
            other, partner = rng.choice(swaps)
            blocks[group.pk] = [partner if n == number else n for n in blocks[group.pk]]
            blocks[other.pk] = [number if n == partner else n for n in blocks[other.pk]]
            moved += 2
    for group in stored:
        if sorted(blocks[group.pk]) != sorted(group.workstation_nos):
            group.workstation_nos = sorted(blocks[group.pk])
            group.save(update_fields=["workstation_nos"])
    audit_record(actor=actor, action="competitions.groups.recusal_applied", target=skill,
                 new={"groups": _snapshot(skill), "moved": moved}, reason=reason.strip())
    return moved


def marking_groups_drop(*, actor: Actor, skill: Skill, reason: str) -> int:
    """Drop the skill's groups inside the caller's transaction (a new 工位号 draw: the blocks name old numbers);
    the number of groups dropped, audited when there were any."""
    old = _snapshot(skill)
    if not old:
        return 0
    RefereeAssignment.objects.filter(skill=skill).update(group=None)
    MarkingGroup.objects.filter(skill=skill).delete()
    audit_record(actor=actor, action="competitions.groups.dropped", target=skill, old=old, new=None, reason=reason)
    return len(old)


__all__ = ["RECUSAL_REASON", "GroupData", "group_name", "marking_groups_drop", "marking_groups_follow_recusal",
           "marking_groups_form", "placement_inputs"]
