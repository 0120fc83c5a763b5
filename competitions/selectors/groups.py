"""The marking groups of a skill (裁判分组) as the chief referee and the organizer see them: the groups, their
referees and block sizes, whether the placement is in force, the referees left out, and the "too small" warning
before marking starts (competitions.domain.groups). Never the blocks themselves: which workstations a group marks is
read only by the mark path and by that group's referees (`selectors.marking_sheet`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from competitions.adapters import domain_aspect
from competitions.domain import groups as grouping
from competitions.models import Entry, EntryStatus, MarkingGroup, RefereeAssignment, RefereeRole, Skill, Status


@dataclass(frozen=True, slots=True)
class GroupReferee:
    """A referee of the skill, by user id and name, with their group's position (None: in no group)."""

    referee_id: int
    name: str
    group: int | None


@dataclass(frozen=True, slots=True)
class MarkingGroupView:
    """One group: its name, referees, and how many workstations its block holds (never which)."""

    position: int
    name: str
    block_size: int
    referees: list[GroupReferee]


@dataclass(frozen=True, slots=True)
class MarkingGroupsView:
    """A skill's marking groups (裁判分组) for the chief referee and the organizer (module docstring).

    `placed`: groups are in force, each block placed by the platform without a conflict; `warning`: why groups
    cannot be formed as the skill stands (too few referees for two groups), shown before marking starts;
    `may_form`: the skill's stage allows forming them now (`reason_required` once marking started)."""

    skill_id: int
    skill_name: str
    status: str
    placed: bool
    placed_at: datetime | None
    workstations: int
    panel_size: int
    groups: list[MarkingGroupView]
    referees: list[GroupReferee]
    warning: str | None
    may_form: bool
    reason_required: bool


def panel_needs(skill: Skill) -> list[grouping.PanelNeed]:
    """The panels a group must fill on its own: each aspect of the skill's scheme with its referee count."""
    scheme = getattr(skill, "scheme", None)
    if scheme is None:
        return []
    return [grouping.PanelNeed(a.code, domain_aspect(a).referee_count) for a in scheme.aspects.all()]


def marking_groups(*, skill: Skill) -> MarkingGroupsView:
    """The skill's groups as `access.access_skill_for_groups` let the reader in (module docstring)."""
    rows = list(RefereeAssignment.objects.filter(skill=skill, role=RefereeRole.REFEREE)
                .select_related("referee", "group").order_by("priority", "id"))
    referees = [GroupReferee(a.referee_id, str(a.referee), a.group.position if a.group else None) for a in rows]
    stored = list(MarkingGroup.objects.filter(skill=skill).order_by("position"))
    groups = [MarkingGroupView(g.position, g.name, g.block_size, [r for r in referees if r.group == g.position])
              for g in stored]
    needs = panel_needs(skill)
    placed_at = max((g.placed_at for g in stored), default=None)
    workstations = Entry.objects.filter(skill=skill, status=EntryStatus.APPROVED).exclude(workstation_no="").count()
    warning: str | None = None
    too_small = grouping.skill_too_small(len(referees), needs)
    if skill.status in (Status.REVIEW, Status.PUBLISHED, Status.ARCHIVED):
        pass  # marking is over: nothing left to warn about
    elif not groups and too_small is not None:
        warning = too_small.message
    elif not groups and not workstations:
        warning = str(_("须先完成工位号抽签，才能分组。"))
    stage_open = skill.status in (Status.CHECK_IN, Status.COMPETING, Status.MARKING) and workstations > 0
    return MarkingGroupsView(
        skill.pk, skill.name, skill.status, bool(groups), placed_at, workstations, grouping.group_size_needed(needs),
        groups, referees, warning, stage_open, skill.status == Status.MARKING,
    )


__all__ = ["GroupReferee", "MarkingGroupView", "MarkingGroupsView", "marking_groups", "panel_needs"]
