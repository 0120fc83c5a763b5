"""Model rows → the plain data of the pure domain modules (scoring, eligibility, awards).

No rule lives here: each function only copies fields, so the rules stay in the domain modules and their tests.
"""

from __future__ import annotations

from decimal import Decimal

from competitions.domain import awards, eligibility, ranking, scoring
from competitions.models import Aspect, Event, MarkingScheme, Skill


def domain_aspect(aspect: Aspect, module_code: str | None = None) -> scoring.Aspect:
    return scoring.Aspect(
        code=aspect.code,
        max_mark=Decimal(aspect.max_mark).normalize(),
        method=scoring.MarkingMethod(aspect.method),
        module=module_code if module_code is not None else aspect.module.code,
        referees=aspect.referee_count,
        nominal=aspect.nominal,
        bands=tuple(scoring.ToleranceBand(Decimal(str(t)), Decimal(str(d))) for t, d in aspect.bands),
        divergence_threshold=aspect.divergence_threshold,
    )


def domain_scheme(scheme: MarkingScheme, theory_weight: Decimal | None) -> scoring.MarkingScheme:
    """The scheme with its aspects in marking order (module position, then aspect position)."""
    aspects = scheme.aspects.select_related("module").order_by("module__position", "module_id", "position", "id")
    return scoring.MarkingScheme(
        tuple(domain_aspect(a, a.module.code) for a in aspects), theory_weight=theory_weight
    )


def requirements(skill: Skill) -> eligibility.SkillRequirements:
    return eligibility.SkillRequirements(
        skill_id=skill.name, group=eligibility.Group(skill.group), min_age=skill.min_age, max_age=skill.max_age,
        team_size=skill.team_size,
    )


def tie_breaks(skill: Skill) -> tuple[ranking.TieBreak, ...]:
    return tuple(ranking.TieBreak(code) for code in skill.tie_breaks) or ranking.DEFAULT_TIE_BREAKS


def award_rule(event: Event, skill: Skill) -> awards.AwardRule:
    return awards.AwardRule(
        kind=awards.AwardRuleKind(skill.award_rule or event.award_rule),
        min_total=event.min_total,
        excellence_basis=awards.ExcellenceBasis(event.excellence_basis),
    )
