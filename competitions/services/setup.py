"""Setting an event up after it is announced: editing the event and its skills, and its venues' workstations
(one by one, as ranges such as H01–H40, or from Excel) (issue 10 item 1).

Choices where DESIGN.md is silent (each is tested in tests/competitions/test_setup.py):

- **When an event or a skill may be edited**: while it is in 筹备 or 报名, the window in which skills may be added
  (competitions.services.events.skill_create). From check-in on, the entries, draws and marks depend on what was
  announced, so a change then would change the rules under the contestants' feet.
- **What registrations freeze**: once a skill has an entry in play (submitted or approved), its group, team size
  and age limits, which the entries were checked against, can no longer change; the rest (name, tie-breaks, theory
  weight, award rule) still may until check-in. Its theory weight also follows the scheme's rule: not once a theory
  score is recorded.
- **Workstations** may be added to a skill until its 工位号 draw has been made (a skill at 比赛 or later, or one
  whose entries already hold 工位号, keeps the numbers the draw used). A number a skill already has is refused
  naming it, never silently skipped: the organizer typed it for a reason.
- **Workstations from Excel** (`venues_import`): one row per venue and skill (or per workstation); a venue named
  for the first time is created, an existing one is reused (its address is not changed). Every bad cell is named
  by sheet, row and column in one pass, with the database checks (unknown skill, numbers already there, numbers
  repeated in the file); nothing is saved unless every row is good.

Every write is audited with its old and new values; every one asks `Action.COMPETITION_MANAGE` on the event.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from django.db import transaction

from accounts.actors import Actor
from accounts.permissions import require
from audit.services import audit_record
from competitions.domain.workstations import Expanded, expand_workstation_numbers
from competitions.excel.sheets import VENUES
from competitions.models import ACTIVE_ENTRY_STATUSES, Entry, Event, Skill, Status, Venue, Workstation, status_index
from competitions.permissions import Action
from competitions.services.events import (
    _EVENT_FIELDS,
    _SKILL_FIELDS,
    EventData,
    SkillData,
    _skill_errors,
    _snapshot,
    labelled,
)
from core.errors import Conflict, FieldError, ImportFailed, RowError, ValidationFailed
from core.excel import read_rows

EDITABLE = (Status.DRAFT, Status.REGISTRATION)


def _label(status: str) -> str:
    return str(Status(status).label)


def _editable(status: str) -> None:
    if status not in EDITABLE:
        raise Conflict("event.wrong_stage", {"status": _label(status), "needed": "、".join(map(_label, EDITABLE))})


def _changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    changed = [k for k in after if before.get(k) != after[k]]
    return {k: before.get(k) for k in changed}, {k: after[k] for k in changed}


@transaction.atomic(durable=True)
def event_update(*, actor: Actor, event: Event, data: EventData, reason: str = "") -> Event:
    """Change an announced event's name, level, series, dates, award rule and minimum total (module docstring:
    while in 筹备 or 报名); every bad field is named."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    require(actor, Action.COMPETITION_MANAGE, event)
    _editable(event.status)
    errors = []
    name = data.name.strip()
    if not name:
        errors.append(FieldError("name", "field.required", label="名称"))
    elif Event.objects.filter(organizer_id=event.organizer_id, name=name).exclude(pk=event.pk).exists():
        errors.append(FieldError("name", "event.name_taken", {"name": name}))
    if data.ends_on < data.starts_on:
        errors.append(FieldError("ends_on", "event.dates_reversed"))
    if not (0 <= data.min_total <= 100):
        errors.append(FieldError("min_total", "event.min_total_range"))
    if not (0 <= data.review_days <= 30):
        errors.append(FieldError("review_days", "event.review_days_range"))
    if errors:
        raise ValidationFailed(labelled(errors))
    before = _snapshot(event, _EVENT_FIELDS)
    for f in fields(EventData):
        setattr(event, f.name, getattr(data, f.name))
    event.name = name
    event.save()
    old, new = _changes(before, _snapshot(event, _EVENT_FIELDS))
    if new:
        audit_record(actor=actor, action="competitions.event.updated", target=event, old=old, new=new,
                     reason=reason)
    return event


# Fields the entries were checked against: frozen once a skill has an entry in play (module docstring).
_FROZEN_BY_ENTRIES = {"group": "组别", "team_size": "每队人数", "min_age": "最小年龄", "max_age": "最大年龄"}


@transaction.atomic(durable=True)
def skill_update(*, actor: Actor, skill: Skill, data: SkillData, reason: str = "") -> Skill:
    """Change a skill (module docstring: while its event is in 筹备 or 报名; group, team size and age limits only
    while it has no entry in play; the theory weight only while no theory score is recorded)."""
    skill = Skill.objects.select_for_update(of=("self",)).select_related("event").get(pk=skill.pk)
    require(actor, Action.COMPETITION_MANAGE, skill)
    _editable(skill.event.status)
    errors = _skill_errors(data)
    name = data.name.strip()
    if Skill.objects.filter(event_id=skill.event_id, name=name, group=data.group).exclude(pk=skill.pk).exists():
        errors.append(FieldError("name", "skill.name_taken", {"name": name}))
    entries = Entry.objects.filter(skill=skill)
    if entries.filter(status__in=ACTIVE_ENTRY_STATUSES).exists():
        for field_name, label in _FROZEN_BY_ENTRIES.items():
            if getattr(data, field_name) != getattr(skill, field_name):
                errors.append(FieldError(field_name, "skill.frozen_by_entries", {"field": label}))
    if data.theory_weight != skill.theory_weight and entries.filter(theory_score__isnull=False).exists():
        errors.append(FieldError("theory_weight", "skill.theory_scores_recorded"))
    if errors:
        raise ValidationFailed(labelled(errors))
    before = _snapshot(skill, _SKILL_FIELDS)
    skill.name = name
    for field_name in ("occupation_code", "occupation_id", "group", "team_size", "min_age", "max_age", "theory_weight",
                       "award_rule", "nominates_to", "nominate_top"):
        setattr(skill, field_name, getattr(data, field_name))
    skill.tie_breaks = list(data.tie_breaks)
    skill.save()
    old, new = _changes(before, _snapshot(skill, _SKILL_FIELDS))
    if new:
        audit_record(actor=actor, action="competitions.skill.updated", target=skill, old=old, new=new, reason=reason)
    return skill


def _stations_closed(skill: Skill) -> bool:
    """The skill's 工位号 draw is made (or it is past it): its workstations are what the draw used."""
    if status_index(skill.status) >= status_index(Status.COMPETING):
        return True
    return Entry.objects.filter(skill=skill).exclude(workstation_no="").exists()


@dataclass(frozen=True, slots=True)
class VenueData:
    name: str
    address: str = ""


@transaction.atomic(durable=True)
def venue_add(*, actor: Actor, event: Event, data: VenueData) -> Venue:
    """A venue (赛场) of the event, without workstations yet; its name is unique in the event."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    require(actor, Action.COMPETITION_MANAGE, event)
    name = data.name.strip()
    if not name:
        raise ValidationFailed([FieldError("name", "field.required", label="赛场名称")])
    if Venue.objects.filter(event=event, name=name).exists():
        raise ValidationFailed([FieldError("name", "venue.name_taken", {"name": name})])
    venue = Venue.objects.create(event=event, name=name, address=data.address.strip())
    audit_record(actor=actor, action="competitions.venue.created", target=venue,
                 new={"name": venue.name, "address": venue.address, "workstations": {}})
    return venue


def _stations_change(
    actor: Actor, venue: Venue, skill: Skill, numbers: str
) -> tuple[Skill, Expanded, list[FieldError]]:
    """What adding and removing workstations share: the skill locked (one change of its stations at a time), the
    caller's right, the venue of the skill's event, the draw not yet made, and the typed numbers read, with each
    problem of the text as a field error."""
    skill = Skill.objects.select_for_update(of=("self",)).select_related("event").get(pk=skill.pk)
    require(actor, Action.COMPETITION_MANAGE, skill)
    if skill.event_id != venue.event_id:
        raise ValidationFailed([FieldError("skill", "field.invalid", label="赛项")])
    if _stations_closed(skill):
        raise Conflict("workstations.drawn", {"skill": str(skill)})
    expanded = expand_workstation_numbers(numbers)
    return skill, expanded, [FieldError("numbers", p.code, p.params) for p in expanded.problems]


@transaction.atomic(durable=True)
def workstations_add(*, actor: Actor, venue: Venue, skill: Skill, numbers: str) -> list[Workstation]:
    """Add the workstations `numbers` names (one number, or ranges: competitions.domain.workstations) to the venue
    for the skill; every problem of the text is named, and numbers the skill already has are refused by name."""
    skill, expanded, errors = _stations_change(actor, venue, skill, numbers)
    if not errors:
        taken = sorted(Workstation.objects.filter(skill=skill, number__in=expanded.numbers)
                       .values_list("number", flat=True))
        if taken:
            errors.append(FieldError("numbers", "workstations.taken",
                                     {"skill": str(skill), "numbers": "、".join(taken[:10])}))
    if errors:
        raise ValidationFailed(errors)
    rows = Workstation.objects.bulk_create(
        [Workstation(venue=venue, skill=skill, number=n) for n in expanded.numbers])
    audit_record(actor=actor, action="competitions.workstations.added", target=venue,
                 new={"skill": skill.pk, "numbers": list(expanded.numbers)})
    return rows


@transaction.atomic(durable=True)
def workstations_remove(*, actor: Actor, venue: Venue, skill: Skill, numbers: str, reason: str = "") -> int:
    """Remove workstations typed by mistake (one number or ranges, as `workstations_add` reads them), until the
    skill's 工位号 draw is made (module docstring); a number the venue does not have for the skill is named."""
    skill, expanded, errors = _stations_change(actor, venue, skill, numbers)
    rows = Workstation.objects.filter(venue=venue, skill=skill, number__in=expanded.numbers)
    if not errors:
        unknown = sorted(set(expanded.numbers) - set(rows.values_list("number", flat=True)))
        if unknown:
            errors.append(FieldError("numbers", "workstations.unknown",
                                     {"venue": venue.name, "numbers": "、".join(unknown[:10])}))
    if errors:
        raise ValidationFailed(errors)
    count, _deleted = rows.delete()
    audit_record(actor=actor, action="competitions.workstations.removed", target=venue,
                 old={"skill": skill.pk, "numbers": list(expanded.numbers)}, reason=reason)
    return count


def _skill_by_label(event: Event) -> dict[str, Skill]:
    """A skill as a file names it: 焊工（职工组）always, and 焊工 alone when only one group has that name."""
    skills = list(Skill.objects.filter(event=event).select_related("event"))
    names: dict[str, list[Skill]] = defaultdict(list)
    for skill in skills:
        names[skill.name].append(skill)
    found = {str(s): s for s in skills}
    found.update({name: group[0] for name, group in names.items() if len(group) == 1})
    found.update({f"{s.name}({s.get_group_display()})": s for s in skills})  # half-width brackets too
    return found


@transaction.atomic(durable=True)
def venues_import(*, actor: Actor, event: Event, data: bytes) -> list[Workstation]:
    """Venues and workstations from an Excel file (module docstring): all or nothing, every bad cell named."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    require(actor, Action.COMPETITION_MANAGE, event)
    rows, errors = read_rows(data, VENUES, max_rows=2_000)
    skills = _skill_by_label(event)
    venues = {v.name: v for v in Venue.objects.filter(event=event)}
    planned: dict[tuple[int, str], int] = {}
    wanted: list[tuple[str, str, Skill, tuple[str, ...]]] = []
    closed: dict[int, bool] = {}  # asked once per skill, however many rows name it
    for row in rows:
        line = row["_row"]
        skill = skills.get(row["skill"])
        if skill is None:
            errors.append(RowError(VENUES.name, line, "赛项", "import.unknown_skill", {"value": row["skill"]}))
        else:
            if skill.pk not in closed:
                closed[skill.pk] = _stations_closed(skill)
            if closed[skill.pk]:
                errors.append(RowError(VENUES.name, line, "赛项", "workstations.drawn", {"skill": str(skill)}))
        expanded = expand_workstation_numbers(row["numbers"])
        errors.extend(RowError(VENUES.name, line, "工位号", p.code, p.params) for p in expanded.problems)
        if skill is None or expanded.problems:
            continue
        for number in expanded.numbers:
            other = planned.setdefault((skill.pk, number), line)
            if other != line:
                errors.append(RowError(VENUES.name, line, "工位号", "import.workstation_repeated",
                                       {"value": number, "other": other}))
        wanted.append((row["venue"], row["address"] or "", skill, expanded.numbers))
    taken = set(Workstation.objects.filter(skill__event=event).values_list("skill_id", "number"))
    for (skill_id, number), line in planned.items():
        if (skill_id, number) in taken:
            errors.append(RowError(VENUES.name, line, "工位号", "import.workstation_taken", {"value": number}))
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: (e.row, e.column)))
    made: list[Workstation] = []
    added: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for venue_name, address, skill, numbers in wanted:
        venue = venues.get(venue_name)
        if venue is None:
            venue = venues[venue_name] = Venue.objects.create(event=event, name=venue_name, address=address)
            audit_record(actor=actor, action="competitions.venue.created", target=venue,
                         new={"name": venue.name, "address": venue.address, "workstations": {}})
        made.extend(Workstation.objects.bulk_create(
            [Workstation(venue=venue, skill=skill, number=n) for n in numbers]))
        added[venue_name][skill.pk].extend(numbers)
    for venue_name, by_skill in added.items():
        for skill_id, added_numbers in by_skill.items():
            audit_record(actor=actor, action="competitions.workstations.added", target=venues[venue_name],
                         new={"skill": skill_id, "numbers": added_numbers}, reason="Excel")
    return made
