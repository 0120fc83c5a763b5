"""技术能手 title proposals from a skill's ranking (DESIGN.md, "Competitions" → "Titles").

Defaults (data, `DEFAULT_TITLE_RULES`, replaceable by the caller):

- Provincial events (省级一类 and 省级二类): places 1–3 of the 职工组 and 教师组; the 学生组 gets no title.
- National events (国赛): places 1–5 of individual skills, 1–3 of pairs (team size 2), 1–2 of trios (size 3).

A proposal is only a proposal: the title takes effect when the organizer records the approval (核准), which is a
service's job. Places compare inclusively, so contestants sharing the last proposed place are all proposed.
Like every award, nobody below the minimum total (default 60) is proposed. For a team skill the proposal names
the team's entry; the service proposes each member.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from competitions.domain.awards import DEFAULT_MIN_TOTAL
from competitions.domain.eligibility import Group
from competitions.domain.promotion import CompetitionLevel
from competitions.domain.ranking import Placed


class TitleScope(StrEnum):
    """Which 技术能手 title (授予层级)."""

    NATIONAL = "national"
    PROVINCIAL = "provincial"

    @property
    def label_zh(self) -> str:
        return {TitleScope.NATIONAL: "全国技术能手", TitleScope.PROVINCIAL: "省技术能手"}[self]


@dataclass(frozen=True, slots=True)
class TitleRule:
    """Top places proposed per team size (1 = individual), for the listed groups (None: every group)."""

    scope: TitleScope
    top_places: Mapping[int, int]
    groups: frozenset[Group] | None = None


_PROVINCIAL = TitleRule(
    TitleScope.PROVINCIAL, {1: 3, 2: 3, 3: 3}, frozenset({Group.WORKER, Group.TEACHER})
)

DEFAULT_TITLE_RULES: Mapping[str, TitleRule] = {
    CompetitionLevel.NATIONAL: TitleRule(TitleScope.NATIONAL, {1: 5, 2: 3, 3: 2}),
    CompetitionLevel.PROVINCIAL_1: _PROVINCIAL,
    CompetitionLevel.PROVINCIAL_2: _PROVINCIAL,
}


@dataclass(frozen=True, slots=True)
class TitleProposal:
    """A proposed 技术能手 title for one entry, pending the organizer's approval."""

    contestant_id: Hashable
    place: int
    scope: TitleScope


def propose_titles(
    competition_level: str,
    group: Group,
    team_size: int,
    placed: Sequence[Placed],
    rules: Mapping[str, TitleRule] = DEFAULT_TITLE_RULES,
    min_total: Decimal = DEFAULT_MIN_TOTAL,
) -> list[TitleProposal]:
    """The entries of one ranked skill proposed for 技术能手 (module docstring; DESIGN.md "Titles"), in ranking
    order; empty when the level, group or team size earns none."""
    rule = rules.get(competition_level)
    if rule is None or (rule.groups is not None and group not in rule.groups):
        return []
    top = rule.top_places.get(team_size, 0)
    return [
        TitleProposal(item.contestant_id, item.place, rule.scope)
        for item in placed
        if item.place <= top and item.total >= min_total
    ]
