"""Recusal (回避) of referees and the filling of judgement panels (DESIGN.md, "Competitions" → "Recusal").

Rule: a referee from the same organization as a contestant, or with a declared relationship to the contestant,
cannot mark that contestant; judgement panels are filled by the next eligible referee in priority order.

Choices where DESIGN.md leaves room (each is tested):

- A referee or contestant without an organization (None: an independent expert, an individual entrant) has no
  organizational conflict; declared relationships still apply.
- A team entry is registered by one unit, so its `organization_id` is that unit; relationships are declared
  against the entry's id (the service expands a declaration about a team member to the member's entry).
- A referee listed twice in the priority list counts once.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Sequence
from dataclasses import dataclass

from core.errors import RuleBroken


@dataclass(frozen=True, slots=True)
class RefereeProfile:
    """A referee as recusal sees them: their organization and the contestants they declared a relation to."""

    referee_id: Hashable
    organization_id: Hashable | None
    declared_contestant_ids: frozenset[Hashable] = frozenset()


@dataclass(frozen=True, slots=True)
class ContestantProfile:
    """A contestant (or team entry) as recusal sees it."""

    contestant_id: Hashable
    organization_id: Hashable | None


@dataclass(frozen=True, slots=True)
class RecusalCheck:
    """Whether a referee may mark a contestant, with every reason against; truthy when allowed."""

    allowed: bool
    reasons: tuple[RuleBroken, ...] = ()

    def __bool__(self) -> bool:
        return self.allowed


def can_mark(
    referee_org_id: Hashable | None,
    declared_contestant_ids: Collection[Hashable],
    contestant_org_id: Hashable | None,
    contestant_id: Hashable,
) -> RecusalCheck:
    """May this referee mark this contestant? Not when both belong to the same organization, nor when the referee
    declared a relationship to the contestant (module docstring; DESIGN.md "Recusal (回避)"). Codes:
    recusal.same_organization, recusal.declared_relationship."""
    reasons: list[RuleBroken] = []
    if referee_org_id is not None and referee_org_id == contestant_org_id:
        reasons.append(
            RuleBroken(
                "recusal.same_organization",
                {"contestant": contestant_id, "organization": contestant_org_id},
                "The referee belongs to {organization}, the organization of {contestant}.",
            )
        )
    if contestant_id in declared_contestant_ids:
        reasons.append(
            RuleBroken(
                "recusal.declared_relationship",
                {"contestant": contestant_id},
                "The referee declared a relationship to {contestant}.",
            )
        )
    return RecusalCheck(not reasons, tuple(reasons))


def check_referee(referee: RefereeProfile, contestant: ContestantProfile) -> RecusalCheck:
    """`can_mark` for profiles."""
    return can_mark(
        referee.organization_id, referee.declared_contestant_ids, contestant.organization_id, contestant.contestant_id
    )


def assign_panel(
    aspect_needs_n: int, referees_in_priority_order: Sequence[RefereeProfile], contestant: ContestantProfile
) -> list[Hashable]:
    """The ids of the first `aspect_needs_n` referees, in priority order, who may mark `contestant`: a recused
    referee is replaced by the next eligible one (DESIGN.md "Recusal (回避)"). Too few eligible referees is
    refused (recusal.not_enough_referees)."""
    if aspect_needs_n < 1:
        raise RuleBroken(
            "recusal.panel_size_invalid", {"needed": aspect_needs_n}, "A panel needs at least one referee."
        )
    panel: list[Hashable] = []
    for referee in referees_in_priority_order:
        if referee.referee_id in panel or not check_referee(referee, contestant):
            continue
        panel.append(referee.referee_id)
        if len(panel) == aspect_needs_n:
            return panel
    raise RuleBroken(
        "recusal.not_enough_referees",
        {"contestant": contestant.contestant_id, "needed": aspect_needs_n, "eligible": len(panel)},
        "Only {eligible} eligible referees for {contestant}; the panel needs {needed}.",
    )
