"""What a skill lacks to move to a status (the organizer's "what is missing" checklist; issue 10 item 1).

One pure function, `skill_missing`, answers from plain facts (`SkillFacts`, gathered by
competitions.selectors.events in a few queries for all of an event's skills), and returns every unmet condition,
never just the first, so the page can show the checklist before the click and the service refuses the move with
the same list (competitions.services.events documents the moves; this module is their one statement):

- 报名 (registration): nothing of a skill (the event needs at least one skill: `event_missing`);
- 检录 (check_in): every entry reviewed, and at least one approved;
- 比赛 (competing): both draws done (检录号, then 工位号), and, while the 工位号 draw is still to do, at least as
  many workstations as approved entries (else the draw would fail with "3 名选手无法安排到 0 个工位");
- 评分 (marking): a complete marking scheme (practical part 100) and at least one referee;
- 公示 (review): every sheet signed off, the skill decrypted, every theory score recorded (or 缺考), and the
  standings snapshot agreeing with a recomputation;
- 公布 (published): the review period over (the item names the day and time it ends: issue 10 item 9), every
  objection answered, and the snapshot agreeing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from core.errors import render_message


@dataclass(frozen=True, slots=True)
class Missing:
    """One unmet condition: a code (tests and scripts find it) and the words people read."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return render_message(self.code, self.params)

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True, slots=True)
class SkillFacts:
    """What the readiness rules look at, counted for one skill. `review_until` is in the province's time zone."""

    submitted: int = 0
    approved: int = 0
    approved_without_checkin_no: int = 0
    approved_without_workstation_no: int = 0
    workstations: int = 0
    scheme_problem: str | None = None
    referees: int = 0
    sheets: int = 0
    open_sheets: int = 0
    decrypted: bool = False
    has_theory: bool = False
    theory_lacking: int = 0
    standings_mismatch: bool = False
    review_until: datetime | None = None
    unanswered_objections: int = 0


def skill_missing(facts: SkillFacts, target: str, *, now: datetime) -> list[Missing]:
    """Every condition `target` needs of the skill that `facts` do not meet (module docstring); empty: it may move.

    `target` is a status value (competitions.models.Status), spelt out here so this module stays pure."""
    missing: list[Missing] = []
    if target == "check_in":
        if facts.submitted:
            missing.append(Missing("readiness.entries_unreviewed", {"count": facts.submitted}))
        if not facts.approved:
            missing.append(Missing("readiness.no_approved_entry"))
    elif target == "competing":
        if not facts.approved or facts.approved_without_checkin_no:
            missing.append(Missing("readiness.checkin_draw"))
        if not facts.approved or facts.approved_without_workstation_no:
            missing.append(Missing("readiness.workstation_draw"))
            if facts.workstations < facts.approved:
                missing.append(Missing("readiness.workstations_short",
                                       {"contestants": facts.approved, "workstations": facts.workstations}))
    elif target == "marking":
        if facts.scheme_problem is not None:
            missing.append(Missing("readiness.scheme", {"reason": facts.scheme_problem}))
        if not facts.referees:
            missing.append(Missing("readiness.referees"))
    elif target == "review":
        if not facts.sheets:
            missing.append(Missing("readiness.no_sheets"))
        elif facts.open_sheets:
            missing.append(Missing("readiness.sheets_signed_off", {"open": facts.open_sheets}))
        if not facts.decrypted:
            missing.append(Missing("readiness.decrypted"))
        if facts.has_theory and facts.theory_lacking:
            missing.append(Missing("readiness.theory", {"count": facts.theory_lacking}))
        if facts.standings_mismatch:
            missing.append(Missing("readiness.standings"))
    elif target == "published":
        if facts.review_until is None:
            missing.append(Missing("readiness.review_not_started"))
        elif now < facts.review_until:
            missing.append(Missing("readiness.review_period",
                                   {"until": facts.review_until.strftime("%Y-%m-%d %H:%M")}))
        if facts.unanswered_objections:
            missing.append(Missing("readiness.objections", {"count": facts.unanswered_objections}))
        if facts.standings_mismatch:
            missing.append(Missing("readiness.standings"))
    return missing


def event_missing(skill_count: int, target: str) -> list[Missing]:
    """What the event itself (not its skills) lacks for `target`: opening registration needs a skill."""
    if target == "registration" and skill_count == 0:
        return [Missing("readiness.no_skill")]
    return []
