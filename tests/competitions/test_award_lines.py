"""competitions.selectors.awards: the award lines of the newest published version, per person; and the talent pool
following a publication through the `results_published` signal and its background intake (issue 14 item 1)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from competitions.selectors.awards import award_lines
from talentpool.models import AwardKind, SourceKind, Talent, TalentStatus
from tests.competitions.steps import Scenario, bring_to_review_with_a_tie, publish

pytestmark = pytest.mark.django_db


def test_nothing_before_publication_then_one_line_per_awarded_member(scenario: Scenario) -> None:
    bring_to_review_with_a_tie(scenario)
    assert award_lines() == []
    publish(scenario)
    lines = award_lines()
    assert lines and all(line.skill_id == scenario.skill.pk for line in lines)
    assert {line.competition_level for line in lines} == {scenario.event.level}
    best = min(lines, key=lambda line: line.place)
    assert best.place == 1 and best.award_code == "gold"
    people = {m.person_id for e in scenario.entries for m in e.members.all()}
    assert {line.person_id for line in lines} <= people
    assert award_lines([best.person_id]) == [line for line in lines if line.person_id == best.person_id]
    assert award_lines([-1]) == []


def _run_worker() -> None:
    call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", verbosity=0)


# Committed for real: the worker runs the task on its own connection (PostgreSQL refuses one in the test's atomic).
@pytest.mark.django_db(transaction=True)
def test_a_published_result_brings_its_medallists_in(scenario: Scenario) -> None:
    bring_to_review_with_a_tie(scenario)
    publish(scenario)
    assert not Talent.objects.exists()  # not before the worker ran
    _run_worker()
    talents = list(Talent.objects.all())
    assert talents, "the medallists came in"
    gold = Talent.objects.get(sources__label__contains="金牌")
    assert gold.best_award == AwardKind.PROVINCIAL_MEDAL and gold.status == TalentStatus.IN_POOL
    assert gold.sources.filter(kind=SourceKind.COMPETITION, source_ref__startswith="published:").exists()
