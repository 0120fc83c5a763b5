"""Marking groups by blocks of workstations (裁判分组; DESIGN.md "Recusal without a leak", "Competitions" →
"Recusal (回避)").

Rule: the chief referee splits the skill's referees into groups, each marking a block of workstations; the platform
places every workstation in the block of a group none of whose referees has a conflict (same organization, declared
relationship: `competitions.domain.recusal.can_mark`) with the contestant at that workstation. So a recused
workstation always goes into a block of another group, a referee's page lists only their group's block, and no
cell on it is ever closed: nothing on the page differs between "my unit's contestant" and "another group's
workstation". Each group must be able to fill every judgement panel on its own (3 referees for WorldSkills, 5 for
the Chinese method, the aspect's own count where the scheme sets one), from the referees of the group who are
assigned that aspect.

Who learns what (the choices this module and its service make; each is tested):

- The chief referee (or the organizer) forms the groups: which referees, and optionally how many workstations each
  block holds (blank: the workstations are shared out as evenly as the fixed sizes leave them). The chief knows the
  referees' units, and may know the entrants' units; what they must not learn is which 工位号 holds which unit. So
  the chief sees only that the placement succeeded, and the block sizes; never which workstations a block holds.
- The platform places the workstations, after the 工位号 draw, with a random source nobody records (unlike a
  draw, a placement is not meant to be re-run by anyone: its seed would tell which blocks are possible, i.e. which
  workstations conflict with whom). The search starts from a random order and is then randomised further by random
  swaps that keep every constraint, so which workstations share a block says as little as possible beyond what the
  constraints force; in particular blocks are not runs of consecutive numbers "repaired" around recused
  workstations, which would point at them.
- When no placement exists, the chief is told what is missing without naming a workstation: how many workstations
  could not be placed, or which group cannot fill which panel, or that the skill has too few referees for two
  groups (`skill_too_small`, shown before marking starts).
- A referee sees their own group's block, the only workstations they mark. That a referee's own unit is in some
  other block is what grouping cannot hide (it is the rule); with two or more other groups, not which one.
- One group holding every referee is allowed: it is placed only when no referee conflicts with any contestant.
"""

from __future__ import annotations

import random
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

from competitions.domain import recusal
from core.errors import RuleBroken

# Random swaps tried after the first placement, per workstation: enough to mix blocks of a few hundred workstations.
MIX_ROUNDS_PER_WORKSTATION = 20


@dataclass(frozen=True, slots=True)
class GroupReferee:
    """A referee as grouping sees them: every organization they belong to, the contestants they declared a
    relationship to, and the aspects they are assigned (empty: every aspect)."""

    referee_id: Hashable
    organization_ids: frozenset[Hashable] = frozenset()
    declared_contestant_ids: frozenset[Hashable] = frozenset()
    aspect_codes: frozenset[str] = frozenset()

    def marks_aspect(self, code: str) -> bool:
        return not self.aspect_codes or code in self.aspect_codes


@dataclass(frozen=True, slots=True)
class Station:
    """A workstation (工位号) with the contestant (entry) the draw put there and that contestant's unit."""

    number: str
    contestant_id: Hashable
    organization_id: Hashable | None


@dataclass(frozen=True, slots=True)
class GroupPlan:
    """One group as the chief referee forms it: a name, its referees, and the size of its block (None: shared out)."""

    name: str
    referees: tuple[GroupReferee, ...]
    block_size: int | None = None


@dataclass(frozen=True, slots=True)
class PanelNeed:
    """An aspect and how many referees mark each contestant on it (1 for measurement)."""

    aspect_code: str
    referees: int


@dataclass(frozen=True, slots=True)
class Placement:
    """The result: each group's block (by group name, 工位号 sorted) when `problems` is empty, else no blocks."""

    blocks: Mapping[str, tuple[str, ...]]
    problems: tuple[RuleBroken, ...] = ()

    @property
    def placed(self) -> bool:
        return not self.problems


def conflicts(referee: GroupReferee, station: Station) -> bool:
    """Must this referee recuse from the contestant at this workstation? (`recusal.can_mark` for every one of the
    referee's organizations.)"""
    organizations: Sequence[Hashable | None] = sorted(referee.organization_ids, key=repr) or [None]
    return any(
        not recusal.can_mark(org, referee.declared_contestant_ids, station.organization_id, station.contestant_id)
        for org in organizations
    )


def group_size_needed(needs: Sequence[PanelNeed]) -> int:
    """The fewest referees a group can have: the largest panel of the scheme (at least 1)."""
    return max((n.referees for n in needs), default=1)


def skill_too_small(referee_count: int, needs: Sequence[PanelNeed]) -> RuleBroken | None:
    """The "too small" message (DESIGN.md "Recusal without a leak"): two groups need twice the largest panel."""
    per_group = group_size_needed(needs)
    if referee_count >= 2 * per_group:
        return None
    return RuleBroken(
        "groups.skill_too_small", {"referees": referee_count, "needed": 2 * per_group, "panel": per_group},
        "The skill has {referees} referees; two marking groups need at least {needed} ({panel} per group).",
    )


def plan_problems(groups: Sequence[GroupPlan], needs: Sequence[PanelNeed], station_count: int) -> list[RuleBroken]:
    """Every reason the groups as formed cannot be placed, before looking at any workstation: no group, an empty
    group, a referee in two groups, a panel a group cannot fill, block sizes that are not whole or do not add up."""
    problems: list[RuleBroken] = []
    if not groups:
        problems.append(RuleBroken("groups.none", {}, "Form at least one marking group."))
    seen: dict[Hashable, str] = {}
    for group in groups:
        if not group.referees:
            problems.append(RuleBroken("groups.empty", {"group": group.name}, "Group {group} has no referee."))
        for referee in group.referees:
            if referee.referee_id in seen:
                params = {"referee": referee.referee_id, "group": group.name, "other": seen[referee.referee_id]}
                problems.append(RuleBroken("groups.referee_twice", params,
                                           "Referee {referee} is in {other} and in {group}."))
            seen.setdefault(referee.referee_id, group.name)
        for need in needs:
            has = sum(1 for r in group.referees if r.marks_aspect(need.aspect_code))
            if group.referees and has < need.referees:
                problems.append(RuleBroken(
                    "groups.panel_unfillable",
                    {"group": group.name, "aspect": need.aspect_code, "needed": need.referees, "has": has},
                    "Group {group} has {has} referees for aspect {aspect}; its panel needs {needed}.",
                ))
        if group.block_size is not None and group.block_size < 1:
            problems.append(RuleBroken("groups.block_size_invalid", {"group": group.name, "size": group.block_size},
                                       "The block of group {group} must hold at least one workstation."))
    fixed = [g.block_size for g in groups if g.block_size is not None]
    free = len(groups) - len(fixed)
    total = sum(fixed)
    if groups and ((free == 0 and total != station_count) or (free and total + free > station_count)):
        problems.append(RuleBroken(
            "groups.block_sizes_sum", {"total": total, "stations": station_count},
            "The blocks hold {total} workstations; the skill has {stations}.",
        ))
    return problems


def block_sizes(groups: Sequence[GroupPlan], station_count: int) -> list[int]:
    """Each group's block size: its own when given; the rest shared out evenly, earlier groups taking the
    remainder (sizes are checked by `plan_problems` first)."""
    fixed = sum(g.block_size for g in groups if g.block_size is not None)
    free = [i for i, g in enumerate(groups) if g.block_size is None]
    sizes = [g.block_size or 0 for g in groups]
    if free:
        share, extra = divmod(station_count - fixed, len(free))
        for rank, index in enumerate(free):
            sizes[index] = share + (1 if rank < extra else 0)
    return sizes


def place_blocks(
    groups: Sequence[GroupPlan], stations: Sequence[Station], needs: Sequence[PanelNeed], rng: random.Random,
) -> Placement:
    """Place every workstation in exactly one group's block so that no referee of the group conflicts with the
    contestant at any workstation of its block, each block holding its size (module docstring). A maximum
    bipartite b-matching (augmenting paths) from a random order, then random constraint-keeping swaps. No
    placement: the problems say what is missing, naming no workstation."""
    problems = plan_problems(groups, needs, len(stations))
    numbers = [s.number for s in stations]
    if len(set(numbers)) != len(numbers):
        problems.append(RuleBroken("groups.duplicate_workstation", {}, "A workstation number is listed twice."))
    if problems:
        return Placement({}, tuple(problems))
    sizes = block_sizes(groups, len(stations))
    allowed = [[not any(conflicts(r, s) for r in g.referees) for g in groups] for s in stations]
    order = list(range(len(stations)))
    rng.shuffle(order)
    choices = {s: rng.sample(range(len(groups)), len(groups)) for s in order}
    owner: dict[int, int] = {}
    members: list[set[int]] = [set() for _ in groups]

    def augment(s: int, visited: set[int]) -> bool:
        for g in choices[s]:
            if not allowed[s][g] or g in visited:
                continue
            visited.add(g)
            if len(members[g]) < sizes[g] or any(augment(t, visited) for t in sorted(members[g] - {s})):
                _move(s, g)
                return True
        return False

    def _move(s: int, g: int) -> None:
        if s in owner:
            members[owner[s]].discard(s)
        owner[s] = g
        members[g].add(s)

    for s in order:
        augment(s, set())
    unplaced = len(stations) - len(owner)
    if unplaced:
        found = [RuleBroken(
            "groups.no_placement", {"unplaced": unplaced, "stations": len(stations)},
            "{unplaced} of {stations} workstations fit no group's block: in every group with room a referee must "
            "recuse from the contestant there. Add a group or referees without conflicts, or change the block sizes.",
        )]
        too_small = skill_too_small(sum(len(g.referees) for g in groups), needs)
        return Placement({}, tuple([*found, *([too_small] if too_small else [])]))
    if len(stations) > 1 and len(groups) > 1:
        for _ in range(MIX_ROUNDS_PER_WORKSTATION * len(stations)):
            a, b = rng.randrange(len(stations)), rng.randrange(len(stations))
            ga, gb = owner[a], owner[b]
            if ga != gb and allowed[a][gb] and allowed[b][ga]:
                _move(a, gb)
                _move(b, ga)
    blocks = {g.name: tuple(sorted(stations[s].number for s in members[i])) for i, g in enumerate(groups)}
    return Placement(blocks)


__all__ = [
    "GroupPlan",
    "GroupReferee",
    "PanelNeed",
    "Placement",
    "Station",
    "block_sizes",
    "conflicts",
    "group_size_needed",
    "place_blocks",
    "plan_problems",
    "skill_too_small",
]
