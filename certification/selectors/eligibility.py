"""The eligibility explanation (申报条件核查) that the page and the API share: the rule stored for the occupation
and level, the person's held level from `held_level` on the day, the facts the caller entered, and the pure
`certification.domain.eligibility.explain`, as words in the reader's language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from certification.domain import eligibility
from certification.domain.ladder import SkillLevel
from certification.models import Occupation, OccupationLevel
from certification.selectors.catalogue import level_label
from certification.selectors.levels import held_level
from core.errors import RuleBroken, render_message


@dataclass(frozen=True, slots=True)
class Facts:
    """What the staff member enters about the candidate besides the levels on record."""

    years_in_trade: Decimal = Decimal(0)
    apprenticeship_finished: bool = False
    school: eligibility.SchoolType | None = None
    education: eligibility.Education = eligibility.Education.NONE


@dataclass(frozen=True, slots=True)
class ConditionResult:
    kind: str
    met: bool
    text: str


@dataclass(frozen=True, slots=True)
class PathResult:
    met: bool
    conditions: list[ConditionResult]


@dataclass(frozen=True, slots=True)
class EligibilityView:
    """Whether the person may apply for the level, and why: every path with every condition, met or not."""

    person_id: int
    person_name: str
    occupation_code: str
    occupation_name: str
    level: int
    level_label: str
    on: date
    held: int | None
    held_label: str
    eligible: bool
    summary: str
    paths: list[PathResult]


def eligibility_explanation(*, person: Any, occupation: Occupation, level: SkillLevel, facts: Facts,
                            on: date) -> EligibilityView:
    """The explanation (module docstring); RuleBroken `eligibility.level_not_offered` when the occupation is not
    certified at that level."""
    stored = OccupationLevel.objects.filter(occupation=occupation, level=int(level)).first()
    if stored is None:
        raise RuleBroken("eligibility.level_not_offered", {"occupation": occupation.name,
                                                            "level": level_label(level)})
    rule = eligibility.rule_from_data(level, stored.eligibility)
    held = held_level(person, occupation, on=on)
    candidate = eligibility.Candidate(held=held, years_in_trade=facts.years_in_trade,
                                      apprenticeship_finished=facts.apprenticeship_finished, school=facts.school,
                                      education=facts.education)
    verdict = eligibility.explain(rule, candidate)
    return EligibilityView(
        person_id=person.pk, person_name=str(person), occupation_code=occupation.code,
        occupation_name=occupation.name, level=int(level), level_label=level_label(level), on=on,
        held=None if held is None else int(held),
        held_label=level_label(held) if held is not None else render_message("eligibility.no_level", {}),
        eligible=verdict.eligible,
        summary=render_message("eligibility.eligible" if verdict.eligible else "eligibility.not_eligible",
                               {"level": level_label(level), "occupation": occupation.name}),
        paths=[PathResult(p.met, [ConditionResult(c.condition.kind.value, c.met, c.message) for c in p.conditions])
               for p in verdict.paths],
    )
