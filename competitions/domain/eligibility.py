"""Registration checks of one entry for one skill (DESIGN.md, "Competitions": groups, individual or team of 2–3;
levels and skills).

Every check runs and every reason is returned, not only the first, so the registration form shows them all.

Choices where DESIGN.md leaves room (each is tested):

- Age is counted in whole years (周岁) on the competition day: the birthday has to have come that year. Someone
  born on 29 February turns a year older on 1 March in a common year.
- Age limits are inclusive; either may be absent.
- A team skill has a fixed team size (2 or 3) and an entry must have exactly that many members; an individual
  skill takes exactly one. Titles distinguish pairs and trios, so a team's size is part of the skill.
- "No double entry in one event": a person may hold one entry per event, in any skill. The caller passes each
  member's other entries in the event (leaving out the entry being edited).
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from core.errors import RuleBroken

MIN_TEAM_SIZE = 2
MAX_TEAM_SIZE = 3


class Group(StrEnum):
    """Competition group (组别)."""

    WORKER = "worker"
    STUDENT = "student"
    TEACHER = "teacher"

    @property
    def label_zh(self) -> str:
        return _GROUP_LABELS[self]


_GROUP_LABELS: dict[Group, str] = {Group.WORKER: "职工组", Group.STUDENT: "学生组", Group.TEACHER: "教师组"}


@dataclass(frozen=True, slots=True)
class SkillRequirements:
    """What a skill asks of an entry: its group, the age range (inclusive, optional) and the team size (1, 2, 3)."""

    skill_id: Hashable
    group: Group
    min_age: int | None = None
    max_age: int | None = None
    team_size: int = 1


@dataclass(frozen=True, slots=True)
class Registrant:
    """A person being registered, with the group they belong to (employee, student, teacher)."""

    person_id: Hashable
    birth_date: date
    group: Group


def age_on(birth_date: date, day: date) -> int:
    """Age in whole years (周岁) on `day` (module docstring; DESIGN.md "Competitions": age on the competition
    day)."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def registration_errors(
    skill: SkillRequirements,
    members: Sequence[Registrant],
    competition_day: date,
    existing_entries: Mapping[Hashable, Collection[Hashable]] | None = None,
) -> list[RuleBroken]:
    """Every reason the entry of `members` for `skill` is refused; empty when it may be registered (module
    docstring; DESIGN.md "Competitions": groups, team of 2–3). `existing_entries` maps a person to the skills of
    their other entries in the same event.

    Codes: registration.team_size_invalid (skill), registration.team_size, registration.duplicate_member,
    registration.too_young, registration.too_old, registration.group_mismatch, registration.already_entered.
    """
    errors: list[RuleBroken] = []
    existing_entries = existing_entries or {}
    if not (skill.team_size == 1 or MIN_TEAM_SIZE <= skill.team_size <= MAX_TEAM_SIZE):
        errors.append(
            RuleBroken(
                "registration.team_size_invalid",
                {"skill": skill.skill_id, "size": skill.team_size, "min": MIN_TEAM_SIZE, "max": MAX_TEAM_SIZE},
                "Skill {skill} has a team size of {size}; a skill is individual or a team of {min}–{max}.",
            )
        )
    if len(members) != skill.team_size:
        errors.append(
            RuleBroken(
                "registration.team_size",
                {"skill": skill.skill_id, "expected": skill.team_size, "given": len(members)},
                "Skill {skill} takes {expected} member(s) per entry, not {given}.",
            )
        )
    seen: set[Hashable] = set()
    for member in members:
        person = member.person_id
        if person in seen:
            errors.append(
                RuleBroken(
                    "registration.duplicate_member", {"person": person}, "{person} is listed twice in one entry."
                )
            )
            continue
        seen.add(person)
        age = age_on(member.birth_date, competition_day)
        if skill.min_age is not None and age < skill.min_age:
            errors.append(
                RuleBroken(
                    "registration.too_young",
                    {"person": person, "age": age, "min_age": skill.min_age, "day": competition_day},
                    "{person} is {age} on {day}; the skill's minimum age is {min_age}.",
                )
            )
        if skill.max_age is not None and age > skill.max_age:
            errors.append(
                RuleBroken(
                    "registration.too_old",
                    {"person": person, "age": age, "max_age": skill.max_age, "day": competition_day},
                    "{person} is {age} on {day}; the skill's maximum age is {max_age}.",
                )
            )
        if member.group is not skill.group:
            errors.append(
                RuleBroken(
                    "registration.group_mismatch",
                    {"person": person, "group": member.group.label_zh, "skill_group": skill.group.label_zh},
                    "{person} belongs to {group}; the skill is for {skill_group}.",
                )
            )
        other_skills = list(existing_entries.get(person, ()))
        if other_skills:
            errors.append(
                RuleBroken(
                    "registration.already_entered",
                    {"person": person, "skills": other_skills},
                    "{person} already has an entry in this event ({skills}).",
                )
            )
    return errors
