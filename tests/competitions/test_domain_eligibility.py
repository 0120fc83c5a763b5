"""Registration checks (DESIGN.md "Competitions": groups, individual or team of 2–3)."""

# pytest asserts; pyproject ignores S101 for tests, this keeps the narrower `--select … S` command clean too.
# ruff: noqa: S101

from __future__ import annotations

from datetime import date

import pytest

from competitions.domain.eligibility import Group, Registrant, SkillRequirements, age_on, registration_errors

DAY = date(2025, 6, 15)


def person(pid: str, birth: date, group: Group = Group.WORKER) -> Registrant:
    return Registrant(pid, birth, group)


@pytest.mark.parametrize(
    ("birth", "day", "age"),
    [
        (date(2000, 6, 15), date(2025, 6, 15), 25),  # birthday today
        (date(2000, 6, 16), date(2025, 6, 15), 24),  # birthday tomorrow
        (date(2000, 2, 29), date(2025, 2, 28), 24),  # leap-day birthday in a common year: not yet
        (date(2000, 2, 29), date(2025, 3, 1), 25),
        (date(2000, 2, 29), date(2024, 2, 29), 24),
        (date(2000, 12, 31), date(2001, 1, 1), 0),
    ],
)
def test_age_is_whole_years_on_the_day(birth: date, day: date, age: int) -> None:
    assert age_on(birth, day) == age


@pytest.mark.parametrize(
    ("birth", "codes"),
    [
        (date(2007, 6, 15), []),  # exactly 18: the minimum is inclusive
        (date(2007, 6, 16), ["registration.too_young"]),  # 17 until tomorrow
        (date(1970, 6, 16), []),  # 54: the maximum is inclusive
        (date(1970, 6, 15), ["registration.too_old"]),  # 55 today
    ],
)
def test_age_limits_are_inclusive_on_the_competition_day(birth: date, codes: list[str]) -> None:
    skill = SkillRequirements("welding", Group.WORKER, min_age=18, max_age=54)
    assert [e.code for e in registration_errors(skill, [person("p1", birth)], DAY)] == codes


def test_age_limits_are_optional() -> None:
    skill = SkillRequirements("welding", Group.WORKER, max_age=30)
    assert registration_errors(skill, [person("p1", date(2020, 1, 1))], DAY) == []
    skill = SkillRequirements("welding", Group.WORKER)
    assert registration_errors(skill, [person("p1", date(1940, 1, 1))], DAY) == []


def test_too_young_reason_carries_its_parameters() -> None:
    skill = SkillRequirements("welding", Group.WORKER, min_age=18)
    [error] = registration_errors(skill, [person("p1", date(2010, 1, 1))], DAY)
    assert error.code == "registration.too_young"
    assert error.params == {"person": "p1", "age": 15, "min_age": 18, "day": DAY}


@pytest.mark.parametrize("group", [Group.STUDENT, Group.TEACHER])
def test_group_must_match_the_skill(group: Group) -> None:
    skill = SkillRequirements("cnc", Group.WORKER)
    [error] = registration_errors(skill, [person("p1", date(1990, 1, 1), group)], DAY)
    assert error.code == "registration.group_mismatch"
    assert error.params["skill_group"] == "职工组"


def test_group_labels() -> None:
    assert [g.label_zh for g in Group] == ["职工组", "学生组", "教师组"]


def test_no_double_entry_in_one_event() -> None:
    skill = SkillRequirements("cnc", Group.WORKER)
    errors = registration_errors(skill, [person("p1", date(1990, 1, 1))], DAY, {"p1": ["welding"], "p2": ["cnc"]})
    assert [(e.code, e.params) for e in errors] == [
        ("registration.already_entered", {"person": "p1", "skills": ["welding"]})
    ]
    assert registration_errors(skill, [person("p1", date(1990, 1, 1))], DAY, {"p1": []}) == []


@pytest.mark.parametrize(("team_size", "members", "ok"), [(1, 1, True), (1, 2, False), (2, 2, True), (2, 3, False),
                                                          (3, 3, True), (3, 2, False), (2, 1, False)])
def test_entries_have_the_skill_team_size(team_size: int, members: int, ok: bool) -> None:
    skill = SkillRequirements("robotics", Group.STUDENT, team_size=team_size)
    team = [person(f"p{i}", date(2005, 1, 1), Group.STUDENT) for i in range(members)]
    codes = [e.code for e in registration_errors(skill, team, DAY)]
    assert codes == ([] if ok else ["registration.team_size"])


@pytest.mark.parametrize("team_size", [0, 4])
def test_a_skill_team_size_outside_one_to_three_is_refused(team_size: int) -> None:
    skill = SkillRequirements("robotics", Group.STUDENT, team_size=team_size)
    team = [person(f"p{i}", date(2005, 1, 1), Group.STUDENT) for i in range(team_size)]
    assert [e.code for e in registration_errors(skill, team, DAY)] == ["registration.team_size_invalid"]


def test_every_reason_is_returned_not_only_the_first() -> None:
    skill = SkillRequirements("robotics", Group.STUDENT, min_age=16, max_age=22, team_size=2)
    team = [
        person("p1", date(2012, 1, 1), Group.WORKER),  # too young, wrong group, already entered
        person("p2", date(1990, 1, 1), Group.STUDENT),  # too old
        person("p1", date(2012, 1, 1), Group.WORKER),  # listed twice
    ]
    errors = registration_errors(skill, team, DAY, {"p1": ["cnc"]})
    assert [e.code for e in errors] == [
        "registration.team_size",
        "registration.too_young",
        "registration.group_mismatch",
        "registration.already_entered",
        "registration.too_old",
        "registration.duplicate_member",
    ]
    assert all(e.message and "{" not in e.message for e in errors)
