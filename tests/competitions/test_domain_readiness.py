"""The "what is missing" checklist (competitions.domain.readiness): every unmet condition, never just the first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from competitions.domain.readiness import SkillFacts, event_missing, skill_missing

NOW = datetime(2026, 9, 20, 10, 0, tzinfo=UTC)


def codes(facts: SkillFacts, target: str) -> list[str]:
    return [m.code for m in skill_missing(facts, target, now=NOW)]


@pytest.mark.parametrize(("facts", "target", "expected"), [
    (SkillFacts(), "registration", []),
    (SkillFacts(submitted=2), "check_in", ["readiness.entries_unreviewed", "readiness.no_approved_entry"]),
    (SkillFacts(approved=3), "check_in", []),
    (SkillFacts(approved=3, approved_without_checkin_no=3, approved_without_workstation_no=3),
     "competing", ["readiness.checkin_draw", "readiness.workstation_draw", "readiness.workstations_short"]),
    (SkillFacts(approved=3, approved_without_checkin_no=0, approved_without_workstation_no=3, workstations=10),
     "competing", ["readiness.workstation_draw"]),
    (SkillFacts(approved=3, workstations=3), "competing", []),
    (SkillFacts(scheme_problem="没有评分标准"), "marking", ["readiness.scheme", "readiness.referees"]),
    (SkillFacts(referees=3), "marking", []),
    (SkillFacts(has_theory=True, theory_lacking=2, standings_mismatch=True), "review",
     ["readiness.no_sheets", "readiness.decrypted", "readiness.theory", "readiness.standings"]),
    (SkillFacts(sheets=8, open_sheets=1, decrypted=True), "review", ["readiness.sheets_signed_off"]),
    (SkillFacts(sheets=8, decrypted=True), "review", []),
    (SkillFacts(review_until=NOW + timedelta(days=3), unanswered_objections=1), "published",
     ["readiness.review_period", "readiness.objections"]),
    (SkillFacts(review_until=NOW - timedelta(seconds=1)), "published", []),
    (SkillFacts(), "published", ["readiness.review_not_started"]),
])
def test_every_unmet_condition_is_listed(facts: SkillFacts, target: str, expected: list[str]) -> None:
    assert codes(facts, target) == expected


def test_the_workstation_shortfall_names_both_counts() -> None:
    (_draw, short) = skill_missing(SkillFacts(approved=3, approved_without_workstation_no=3), "competing", now=NOW)
    assert short.message == "足够的工位（3 名选手，只有 0 个工位）"


def test_the_review_period_item_names_the_day_it_ends() -> None:
    until = datetime(2026, 9, 25, 16, 30, tzinfo=UTC)
    (item,) = skill_missing(SkillFacts(review_until=until), "published", now=NOW)
    assert "公示期满" in item.message and "2026-09-25 16:30" in item.message


def test_opening_registration_needs_a_skill() -> None:
    assert [m.code for m in event_missing(0, "registration")] == ["readiness.no_skill"]
    assert event_missing(1, "registration") == [] and event_missing(0, "check_in") == []
