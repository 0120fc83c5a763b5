"""Eligibility defaults (DESIGN.md "Eligibility defaults"), table-driven, and the property that more years, a higher
level, more education, a finished apprenticeship or a school never make an eligible candidate ineligible."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certification.domain.eligibility import (
    DEFAULT_RULES,
    Candidate,
    Education,
    SchoolType,
    default_rule,
    explain,
    rule_from_data,
    rule_to_data,
)
from certification.domain.ladder import SkillLevel
from core.errors import RuleBroken

L, S, E = SkillLevel, SchoolType, Education


def C(held: SkillLevel | None = None, years: str = "0", apprentice: bool = False, school: SchoolType | None = None,
      education: Education = E.NONE) -> Candidate:
    return Candidate(held=held, years_in_trade=Decimal(years), apprenticeship_finished=apprentice, school=school,
                     education=education)


# (level, candidate, eligible, the paths met by index)
TABLE = [
    (L.FIVE, C(years="1"), True, [0]),
    (L.FIVE, C(years="0.5"), False, []),
    (L.FIVE, C(apprentice=True), True, [1]),
    (L.FOUR, C(held=L.FIVE, years="4"), True, [0]),
    (L.FOUR, C(held=L.FIVE, years="3"), False, []),
    (L.FOUR, C(years="6"), True, [1]),
    (L.FOUR, C(school=S.TECHNICAL_SCHOOL), True, [2]),
    (L.FOUR, C(school=S.TECHNICIAN_COLLEGE), True, [2]),
    (L.FOUR, C(school=S.HIGHER_VOCATIONAL), False, []),
    (L.THREE, C(held=L.FOUR, years="5"), True, [0]),
    (L.THREE, C(held=L.FOUR, school=S.SENIOR_TECHNICAL_SCHOOL), True, [1]),
    (L.THREE, C(held=L.FOUR, school=S.HIGHER_VOCATIONAL), True, [1]),
    (L.THREE, C(held=L.FOUR, school=S.TECHNICAL_SCHOOL, years="4"), False, []),
    (L.THREE, C(held=L.FOUR, education=E.COLLEGE, years="2"), True, [2]),
    (L.THREE, C(held=L.FOUR, education=E.BACHELOR, years="2"), True, [2]),
    (L.THREE, C(held=L.FIVE, education=E.COLLEGE, years="9"), False, []),
    (L.TWO, C(held=L.THREE, years="4"), True, [0]),
    (L.TWO, C(held=L.THREE, years="3", school=S.TECHNICIAN_COLLEGE), True, [1]),
    (L.TWO, C(held=L.THREE, years="3"), False, []),
    (L.ONE, C(held=L.TWO, years="4"), True, [0]),
    (L.ONE, C(held=L.ONE, years="4"), True, [0]),  # holding higher counts as holding the level required
    (L.ONE, C(held=L.THREE, years="20"), False, []),
]


@pytest.mark.parametrize(("level", "candidate", "eligible", "met"), TABLE)
def test_the_default_rules(level: SkillLevel, candidate: Candidate, eligible: bool, met: list[int]) -> None:
    verdict = explain(default_rule(level), candidate)
    assert verdict.eligible is eligible
    assert [i for i, p in enumerate(verdict.paths) if p.met] == met


def test_every_path_and_every_failing_condition_is_named() -> None:
    verdict = explain(default_rule(L.THREE), C(held=L.FIVE, years="1", education=E.SECONDARY))
    assert not verdict.eligible and len(verdict.paths) == 3
    assert [[c.code for c in p.failing] for p in verdict.paths] == [
        ["eligibility.holds_level.unmet", "eligibility.years.unmet"],
        ["eligibility.holds_level.unmet", "eligibility.graduate_of.unmet"],
        ["eligibility.education.unmet", "eligibility.holds_level.unmet", "eligibility.years.unmet"],
    ]
    years = verdict.paths[0].conditions[1]
    assert "5" in years.message and "1" in years.message
    assert "四级" in verdict.paths[0].conditions[0].message and "五级" in verdict.paths[0].conditions[0].message


def test_met_conditions_say_why_too() -> None:
    verdict = explain(default_rule(L.FOUR), C(held=L.FIVE, years="4"))
    assert [c.code for c in verdict.paths[0].conditions] == ["eligibility.holds_level.met", "eligibility.years.met"]


@pytest.mark.parametrize("level", list(SkillLevel))
def test_a_rule_survives_its_stored_form(level: SkillLevel) -> None:
    assert rule_from_data(level, rule_to_data(DEFAULT_RULES[level])) == DEFAULT_RULES[level]


@pytest.mark.parametrize("data", [[], [[]], [[{"kind": "nope"}]], [[{"kind": "years", "years": "-1"}]],
                                  [[{"kind": "holds_level", "level": 9}]], [[{"kind": "graduate_of", "schools": []}]]])
def test_a_bad_stored_rule_is_refused(data: list[list[dict[str, object]]]) -> None:
    with pytest.raises(RuleBroken) as refused:
        rule_from_data(L.FOUR, data)
    assert refused.value.code == "eligibility.bad_rule"


levels = st.sampled_from([None, *SkillLevel])
candidates = st.builds(
    Candidate, held=levels, years_in_trade=st.decimals(min_value=0, max_value=40, places=1),
    apprenticeship_finished=st.booleans(), school=st.sampled_from([None, *SchoolType]),
    education=st.sampled_from(list(Education)),
)


def _higher(level: SkillLevel | None, steps: int) -> SkillLevel | None:
    if steps == 0:
        return level
    start = 6 if level is None else int(level)
    return SkillLevel(max(1, start - steps))


@given(candidates, st.sampled_from(list(SkillLevel)), st.decimals(min_value=0, max_value=10, places=1),
       st.integers(min_value=0, max_value=5), st.integers(min_value=0, max_value=4), st.booleans())
def test_more_never_makes_an_eligible_candidate_ineligible(candidate: Candidate, level: SkillLevel, more_years: Decimal,
                                                           up: int, more_education: int, apprentice: bool) -> None:
    rule = default_rule(level)
    if not explain(rule, candidate).eligible:
        return
    better = Candidate(
        held=_higher(candidate.held, up), years_in_trade=candidate.years_in_trade + more_years,
        apprenticeship_finished=candidate.apprenticeship_finished or apprentice, school=candidate.school,
        education=Education(min(4, int(candidate.education) + more_education)),
    )
    assert explain(rule, better).eligible
