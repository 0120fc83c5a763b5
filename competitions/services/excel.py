"""Roster and marking-scheme imports from Excel (issue 4 items 2 and 4, "Bad input"; sheets in competitions.excel).

All or nothing: the file is read and every cell parsed first (outside the transaction: it is slow work, and
STYLE.md keeps slow work out of transactions); then ONE durable transaction checks every row against the
database (units, people, eligibility, the scheme's rules), raises `ImportFailed` naming each bad cell's sheet,
row and column if any row is wrong, and only then writes, so every object gets the audit entry it always gets,
plus one import entry naming the file's row count. Anything refused while writing (a race with another
registration) still rolls the whole file back.

One pass (issue 9 item 10; DESIGN.md "People and files"): a row with a bad cell is still checked against the
database on its other cells (`core.excel.read_rows(partial=True)`), so a file's every problem is named at once,
the cell errors and the database's together: an unknown unit beside a wrong phone number, a duplicate ID number
beside an ineligible one, a person already entered in the event. Only what cannot be judged without the bad
cell is left out (a member whose ID number did not parse is not checked for eligibility, and their team's size
then is not judged either).

Rights first (issue 9 item 15): the roster import asks whether the caller may see the skill and nominate at all
(`access.access_skill_for_roster_import`: 404, 403) before it tells the event's stage or reads a row.

Thousands of rows (issue 8 item 6: 2,000 in under 15 s). The roster asks the database once per kind of thing,
never once per row: units, people by ID number, their other entries of the event (`entered_elsewhere`), each in
batches of `core.lookup.IN_BATCH` values, so no `IN` list outgrows a backend's limit; the importer's right is
asked once per unit. It writes in slices of `WRITE_BATCH` rows through the batch halves of the single-object
services (`accounts.services._people_create` and `_memberships_grant`, `registration._entries_submit`: the
same rules, bulk inserts, one audit entry per object), reporting its progress after each slice to a background
import (`competitions.tasks`). The scheme writes through `_scheme_save`, as the single-object service does.
"""

from __future__ import annotations

import secrets
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from accounts.excel import same_real_name
from accounts.identity import parse_id_number
from accounts.models import Organization, Role, User
from accounts.permissions import require
from accounts.services import Grant, NewPerson, PersonData, _memberships_grant, _people_create
from audit.services import audit_record
from competitions import access
from competitions.excel.sheets import MAX_FILE_BYTES, METHOD_LABELS, NO_THRESHOLD, ROSTER, SCHEME, THEORY
from competitions.models import Entry, EntryStatus, Group, MarkingMethod, MarkingScheme, Skill, Status
from competitions.permissions import Action
from competitions.services.marking import AspectData, ModuleData, _scheme_save, scheme_data_problems
from competitions.services.registration import (
    AlreadyEntered,
    MemberData,
    TeamData,
    _entries_submit,
    entered_elsewhere,
    registration_reasons,
)
from core.errors import Conflict, DomainError, ImportFailed, RowError, ValidationFailed
from core.excel import Sheet, check_unique, parse_texts, read_rows
from core.lookup import batched, filter_in

Row = Mapping[str, Any]


def _check_size(data: bytes, sheet: str) -> None:
    if len(data) > MAX_FILE_BYTES:
        raise ImportFailed([RowError(sheet, 0, "", "import.too_large", {"max": MAX_FILE_BYTES // (1024 * 1024)})])


def _header(sheet: Sheet, key: str) -> str:
    return next(c.header for c in sheet.columns if c.key == key)


def _from_domain(sheet: str, row: int, column: str, exc: DomainError) -> RowError:
    return RowError(sheet, row, column, exc.code, exc.params, exc.default)


# Where each column stands in its sheet, so a row's errors read left to right, cell errors and database checks mixed.
_COLUMN_ORDER = {(spec.name, c.header): i for spec in (ROSTER, SCHEME, THEORY) for i, c in enumerate(spec.columns)}


def _sorted(errors: list[RowError]) -> list[RowError]:
    """By sheet, row, and column as the sheet lays them out (a row's errors in the order one reads its cells)."""
    return sorted(errors, key=lambda e: (e.sheet, e.row, _COLUMN_ORDER.get((e.sheet, e.column), -1)))


# --- roster -------------------------------------------------------------------------------------------------------

# Which column an eligibility reason is about (the rest concern the person: their birth date, their other entries).
_REASON_COLUMN = {
    "registration.group_mismatch": "组别",
    "registration.team_size": "队伍编号",
    "registration.team_size_invalid": "队伍编号",
}


# The roster column of a person's field, for a refusal of `accounts.services._people_create`.
_PERSON_COLUMN = {"id_number": "身份证号", "real_name": "姓名", "mobile": "手机号"}


@dataclass
class _Team:
    rows: list[Row] = field(default_factory=list)
    unit: Organization | None = None


class Progress(Protocol):
    """How an import reports how far it got (`tasks.progress.run_with_progress` hands one to a background
    import): `done` of `total` steps, and what it is doing."""

    def __call__(self, done: int, total: int, message: str = "") -> None: ...


def _silent(done: int, total: int, message: str = "") -> None:
    """The progress of an import answered in the request: nobody watches it."""


# People, memberships and entries are written in slices of this many rows: each slice asks the database once per
# kind of check and inserts in bulk, and a background import reports its progress after each.
WRITE_BATCH = 250


def roster_import(*, actor: User, skill: Skill, data: bytes, progress: Progress = _silent) -> list[Entry]:
    """Enter every contestant of an Excel roster (competitions.excel, "Roster") for a skill during
    registration, or nothing: each bad cell is reported with its sheet, row and column (issue 4 "Bad input"),
    all of them in one pass (module docstring). The caller's right is asked before anything else, the file
    read, or the event's stage told (`access.access_skill_for_roster_import`, issue 9 item 15).
    `progress` hears how many rows are saved: none while reading and checking, then after each slice."""
    access.access_skill_for_roster_import(actor, Skill.objects.select_related("event").get(pk=skill.pk))
    _check_size(data, ROSTER.name)
    rows, cell_errors = read_rows(data, ROSTER, partial=True)
    progress(0, len(rows), gettext("已读取 %(count)s 行，正在检查……") % {"count": len(rows)})
    return _roster_write(actor=actor, skill=skill, rows=rows, cell_errors=cell_errors, progress=progress)


def _good(row: Row, *keys: str) -> bool:
    """Did these cells of the row parse (and hold a value)? A row with a bad cell is still checked on the rest."""
    return all(row[key] is not None and key not in row["_bad"] for key in keys)


@transaction.atomic(durable=True)
def _roster_write(
    *, actor: User, skill: Skill, rows: list[dict[str, Any]], cell_errors: list[RowError], progress: Progress
) -> list[Entry]:
    skill = Skill.objects.select_related("event").get(pk=skill.pk)
    _roster_open(actor, skill)
    errors = [*cell_errors, *check_unique(rows, ROSTER, "id_number")]
    units = _units_by_name({r["unit"] for r in rows if _good(r, "unit")})
    # The unit's own staff, or whoever reviews the event's registrations (competitions.access.may_nominate).
    allowed = {unit.pk: access.may_nominate(actor, skill.event, unit) for unit in units.values()}
    ids = {r["id_number"] for r in rows if _good(r, "id_number")} | {r["coach_id"] for r in rows
                                                                      if _good(r, "coach_id")}
    people = {u.id_number: u for u in filter_in(User.objects.all(), "id_number", ids)}
    existing = entered_elsewhere(skill, [u.pk for u in people.values()])
    teams: dict[str, _Team] = {}
    for row in rows:
        errors += _roster_row_errors(row, units, allowed, people)
        if skill.team_size > 1 and not row["team"]:
            if "team" not in row["_bad"]:
                errors.append(RowError(ROSTER.name, row["_row"], "队伍编号", "excel.cell_required"))
            continue
        team = teams.setdefault(row["team"] if skill.team_size > 1 else f"#{row['_row']}", _Team())
        team.rows.append(row)
    for key, team in teams.items():
        named = [r for r in team.rows if _good(r, "unit")]
        first = named[0] if named else team.rows[0]
        team.unit = units.get(first["unit"]) if named else None
        for other in named[1:]:
            if other["unit"] != first["unit"]:
                errors.append(RowError(ROSTER.name, other["_row"], "推荐单位", "import.team_unit_mismatch",
                                       {"team": key, "other": first["_row"], "unit": first["unit"]}))
        errors += _eligibility_errors(skill, team, people, existing)
    if errors:
        raise ImportFailed(_sorted(_distinct(errors)))
    assert all(not row["_bad"] for row in rows)  # every bad cell is an error above

    done = 0
    progress(done, len(rows), gettext("正在保存……"))
    entries: list[Entry] = []
    created = 0
    for batch in batched(teams.values(), WRITE_BATCH):
        created += _roster_people_create(actor, batch, people)
        try:
            entries += _entries_submit(actor=actor, skill=skill, teams=[
                TeamData(
                    unit=_unit(team),
                    members=[MemberData(people[r["id_number"]], r["group"]) for r in team.rows],
                    coaches=list({people[r["coach_id"]].pk: people[r["coach_id"]]
                                  for r in team.rows if r["coach_id"]}.values()),
                )
                for team in batch
            ])
        except AlreadyEntered as exc:
            # Only a race gets here (another registration of the same people committed meanwhile); the whole
            # file rolls back with the exception.
            raise ImportFailed(_raced_rows(exc, batch, people)) from None
        done += sum(len(team.rows) for team in batch)
        progress(done, len(rows), gettext("已保存 %(done)s / %(count)s 行……") % {"done": done, "count": len(rows)})
    audit_record(actor=actor, action="competitions.roster.imported", target=skill,
                 new={"rows": len(rows), "entries": [e.pk for e in entries], "people_created": created})
    return entries


def _distinct(errors: list[RowError]) -> list[RowError]:
    """One error per cell and problem: a person twice in one team is both a duplicate row and a duplicate member."""
    seen: set[tuple[str, int, str, str]] = set()
    kept = []
    for error in errors:
        key = (error.sheet, error.row, error.column, error.code)
        if key not in seen:
            seen.add(key)
            kept.append(error)
    return kept


def roster_import_check(*, actor: User, skill: Skill) -> None:
    """Refuse now what `roster_import` would refuse before reading a row: someone who nominates for no unit,
    an event not in registration. A background import asks it before queueing the file; the import asks it
    again when it runs."""
    _roster_open(actor, Skill.objects.select_related("event").get(pk=skill.pk))


def _roster_open(actor: User, skill: Skill) -> None:
    # Rights first (404 for a skill the caller cannot see, 403 for someone who nominates for no unit), and only
    # then the event's stage; each row's unit is checked with the rows.
    access.access_skill_for_roster_import(actor, skill)
    if skill.event.status != Status.REGISTRATION:
        raise Conflict("event.not_open_for_registration", {"status": skill.event.get_status_display()})


def _unit(team: _Team) -> Organization:
    assert team.unit is not None  # every row's unit was found, or the import stopped before writing
    return team.unit


def _roster_people_create(actor: User, teams: Sequence[_Team], people: dict[str, User]) -> int:
    """Create the people of these teams who are not on the platform yet, each with the contestant role in the
    team's unit (no password); `people` learns them. Returns how many were created."""
    new = [(team, row) for team in teams for row in team.rows if row["id_number"] not in people]
    try:
        created = _people_create(actor=actor, people=[
            NewPerson(f"c{secrets.token_hex(6)}", PersonData(real_name=row["name"], id_number=row["id_number"],
                                                             mobile=row["mobile"] or ""))
            for _team, row in new
        ])
    except ValidationFailed as exc:
        # A race again (someone registered one of these ID numbers meanwhile), named at its row.
        raise ImportFailed([
            RowError(ROSTER.name, new[int(e.field.split("[")[1].split("]")[0])][1]["_row"],
                     _PERSON_COLUMN.get(e.field.rsplit(".", 1)[-1], "身份证号"), e.code, e.params, e.default)
            for e in exc.field_errors
        ]) from None
    _memberships_grant(actor=actor, grants=[Grant(user, Role.CONTESTANT, _unit(team))
                                            for user, (team, _row) in zip(created, new, strict=True)])
    people.update({user.id_number: user for user in created})
    return len(created)


def _raced_rows(exc: AlreadyEntered, teams: Sequence[_Team], people: Mapping[str, User]) -> list[RowError]:
    raced = set(exc.person_ids)
    skills = exc.field_errors[0].params.get("skills", "") if exc.field_errors else ""
    rows = [(row, people[row["id_number"]]) for team in teams for row in team.rows]
    named = [RowError(ROSTER.name, row["_row"], "身份证号", "registration.already_entered",
                      {"person": str(person), "skills": skills}) for row, person in rows if person.pk in raced]
    return named or [RowError(ROSTER.name, teams[0].rows[0]["_row"], "身份证号", e.code, e.params, e.default)
                     for e in exc.field_errors]


def _units_by_name(names: set[str]) -> dict[str, Organization]:
    """Units by full name, or by short name where that is unambiguous."""
    found = list({o.pk: o for batch in batched(sorted(names)) for o in Organization.objects.filter(
        Q(name__in=batch) | Q(short_name__in=batch))}.values())
    by_name = {o.name: o for o in found}
    shorts: dict[str, list[Organization]] = {}
    for org in found:
        if org.short_name:
            shorts.setdefault(org.short_name, []).append(org)
    return {n: by_name.get(n) or shorts[n][0] for n in names if n in by_name or len(shorts.get(n, [])) == 1}


def _roster_row_errors(row: Row, units: Mapping[str, Organization], allowed: Mapping[int, bool],
                       people: Mapping[str, User]) -> list[RowError]:
    """The row's own problems against the database, for each cell that parsed: its unit unknown or not one the
    importer may nominate for (`allowed`, asked once per unit), a known person under another name (or under no
    name at all: `same_real_name`), a coach not on the platform."""
    errors = []
    number = row["_row"]
    unit = units.get(row["unit"]) if _good(row, "unit") else None
    if _good(row, "unit") and unit is None:
        errors.append(RowError(ROSTER.name, number, "推荐单位", "import.unknown_unit", {"value": row["unit"]}))
    elif unit is not None and not allowed[unit.pk]:
        errors.append(RowError(ROSTER.name, number, "推荐单位", "import.unit_not_allowed", {"value": row["unit"]}))
    if _mismatched(row, people):
        # Named at the 姓名 cell, saying only that the two columns disagree: never the registered name, nor
        # whether there is one (the importer may be the one who typed a wrong number).
        errors.append(RowError(ROSTER.name, number, "姓名", "import.name_mismatch",
                               {"value": row["id_number"], "name": row["name"]}))
    if _good(row, "coach_id") and row["coach_id"] not in people:
        errors.append(RowError(ROSTER.name, number, "教练身份证号", "import.unknown_person",
                               {"value": row["coach_id"]}))
    return errors


def _mismatched(row: Row, people: Mapping[str, User]) -> bool:
    """A person on the platform with the row's ID number whose registered name is not the row's (or is empty)."""
    if not _good(row, "id_number", "name"):
        return False
    person = people.get(row["id_number"])
    return person is not None and not same_real_name(person.real_name, row["name"])


def _eligibility_errors(skill: Skill, team: _Team, people: Mapping[str, User],
                        existing: Mapping[Hashable, list[str]]) -> list[RowError]:
    """The registration rules (competitions.services.registration) for one team, each named at its member's row;
    `existing` holds the other entries of the file's known people (`entered_elsewhere`, read once per file).
    People not on the platform yet are checked as unsaved records carrying what the file says; their negative
    placeholder keys match no stored entry, which is right: someone new has no other entry. A member whose ID
    number did not parse, or whose name disagrees with the person of that number, is left out (their cell error
    says why; the rules of someone else's record must not speak of them), and the team's size is then not judged:
    the missing member is one of them. A member whose 组别 did not parse is judged in the skill's group, so
    their age and their other entries are still named."""
    members: list[MemberData] = []
    row_of: dict[int, int] = {}
    first_row: int = team.rows[0]["_row"]
    left_out = False
    no_group: set[int] = set()
    for row in team.rows:
        if not _good(row, "id_number") or _mismatched(row, people):
            left_out = True
            continue
        person = people.get(row["id_number"])
        if person is None:
            person = User(real_name=row["name"] or "", id_number=row["id_number"],
                          birth_date=parse_id_number(row["id_number"], today=timezone.localdate()).birth_date)
            person.pk = -row["_row"]
        row_of[person.pk] = row["_row"]
        if not _good(row, "group"):
            no_group.add(person.pk)  # judged in the skill's own group: its age limits, its other entries
        members.append(MemberData(person, row["group"] if _good(row, "group") else Group(skill.group)))
    if not members:
        return []
    errors = []
    for person_pk, problem in registration_reasons(skill, members, existing):
        if left_out and problem.code == "registration.team_size":
            continue
        if problem.code == "registration.group_mismatch" and person_pk in no_group:
            continue  # the 组别 cell's own error says what is wrong with it
        number = row_of.get(person_pk, first_row) if person_pk is not None else first_row
        errors.append(RowError(ROSTER.name, number, _REASON_COLUMN.get(problem.code, "身份证号"), problem.code,
                               problem.params, problem.default))
    return errors


# --- marking scheme -----------------------------------------------------------------------------------------------

# Which column a scheme rule is about (competitions.domain.scoring codes).
_SCHEME_COLUMN = {
    "scheme.max_mark_invalid": "满分",
    "scheme.referee_count_invalid": "裁判人数",
    "scheme.tolerance_table_invalid": "公差扣分表",
    "scheme.divergence_threshold_invalid": "分歧阈值",
    "scheme.duplicate_aspect": "评分项编号",
    "scheme.practical_max_not_100": "满分",
}


def scheme_import(*, actor: User, skill: Skill, data: bytes, progress: Progress = _silent) -> MarkingScheme:
    """Replace a skill's marking scheme (and, when the file has the 理论部分 sheet, its theory weight) from Excel
    (competitions.excel, "Scheme"), or nothing; refused once the scheme is frozen (DESIGN.md "Marking scheme":
    frozen when marking starts). `progress` hears when the file is read (the rest is one short transaction)."""
    _check_size(data, SCHEME.name)
    rows, cell_errors = read_rows(data, SCHEME, partial=True)
    progress(0, len(rows), gettext("已读取 %(count)s 行，正在检查并保存……") % {"count": len(rows)})
    theory: Row | None = None  # None: the file has no theory sheet (or an empty one), the weight stays
    try:
        theory_rows, theory_errors = read_rows(data, THEORY)
    except ImportFailed as exc:
        if [e.code for e in exc.row_errors] != ["excel.sheet_missing"]:
            raise
    else:
        cell_errors += theory_errors
        theory = theory_rows[0] if theory_rows else None
    return _scheme_write(actor=actor, skill=skill, rows=rows, theory=theory, cell_errors=cell_errors)


def scheme_table_save(*, actor: User, skill: Skill, rows: Sequence[Mapping[str, str]]) -> MarkingScheme:
    """Replace a skill's marking scheme from the rows of the scheme page's table (issue 10 item 1), one per
    aspect, keyed like the import's columns (competitions.excel.SCHEME) and judged by the import's rules exactly:
    every bad cell named by its row (numbered from 1 as the page shows them) and column, nothing saved unless all
    are good. The theory weight is the skill's, edited on the skill's page."""
    parsed, cell_errors = parse_texts(enumerate(rows, start=1), SCHEME, partial=True)
    if not parsed and not cell_errors:
        raise ImportFailed([RowError(SCHEME.name, 1, "", "excel.no_rows")])
    return _scheme_write(actor=actor, skill=skill, rows=parsed, theory=None, cell_errors=cell_errors,
                         action="competitions.scheme.edited")


@transaction.atomic(durable=True)
def _scheme_write(
    *, actor: User, skill: Skill, rows: list[dict[str, Any]], theory: Row | None, cell_errors: list[RowError],
    action: str = "competitions.scheme.imported",
) -> MarkingScheme:
    skill = Skill.objects.select_for_update(of=("self",)).select_related("event").get(pk=skill.pk)
    _scheme_open(actor, skill)
    weight = skill.theory_weight
    errors: list[RowError] = [*cell_errors, *check_unique(rows, SCHEME, "aspect_code")]
    if theory is not None and theory["theory_weight"] != skill.theory_weight:
        weight = theory["theory_weight"]
        recorded = Entry.objects.filter(skill=skill, theory_score__isnull=False).exclude(
            status__in=[EntryStatus.REJECTED, EntryStatus.WITHDRAWN]).count()
        if recorded:
            errors.append(RowError(THEORY.name, theory["_row"], "理论成绩权重", "import.theory_scores_recorded",
                                   {"count": recorded, "weight": skill.theory_weight or "无"}))
    modules, row_of = _scheme_modules(rows, errors)
    partial = bool(errors)
    for problem in scheme_data_problems(modules, weight):
        # With rows left out or wrong, the total says nothing yet; each aspect's own rules still do.
        if partial and problem.code in ("scheme.practical_max_not_100", "scheme.duplicate_aspect"):
            continue
        errors.append(_scheme_problem(problem, row_of, theory))
    if errors:
        raise ImportFailed(_sorted(errors))

    if weight != skill.theory_weight:
        old = skill.theory_weight
        skill.theory_weight = weight
        skill.save(update_fields=["theory_weight"])
        audit_record(actor=actor, action="competitions.skill.theory_weight_set", target=skill,
                     old={"theory_weight": old}, new={"theory_weight": weight})
    saved = _scheme_save(actor=actor, skill=skill, modules=modules)
    audit_record(actor=actor, action=action, target=saved,
                 new={"rows": len(rows), "modules": len(modules), "theory_weight": weight})
    return saved


def scheme_import_check(*, actor: User, skill: Skill) -> None:
    """Refuse now what `scheme_import` would refuse before reading a row (no right to manage the scheme, the
    scheme frozen); asked before a background import is queued, and again when it runs."""
    _scheme_open(actor, Skill.objects.select_related("event").get(pk=skill.pk))


def _scheme_open(actor: User, skill: Skill) -> None:
    require(actor, Action.SCHEME_MANAGE, skill)
    scheme = MarkingScheme.objects.filter(skill=skill).first()
    if scheme is not None and scheme.frozen_at is not None:
        # Refused before any row is judged, with scheme_save's refusal: no row could make it acceptable.
        raise Conflict("scheme.frozen", {"frozen_at": timezone.localtime(scheme.frozen_at).strftime("%Y-%m-%d %H:%M")})


def _scheme_modules(rows: Sequence[Row], errors: list[RowError]) -> tuple[list[ModuleData], dict[str, int]]:
    """Modules in the order they first appear, each with its aspects; per-row errors appended to `errors`. A row
    with a bad cell (`read_rows(partial=True)`) is still checked on its good cells (its module's name, the fields
    its method does not take) and left out of the modules."""
    names: dict[str, tuple[str, int]] = {}
    aspects: dict[str, list[AspectData]] = {}
    row_of: dict[str, int] = {}
    for row in rows:
        number = row["_row"]
        module = row["module_code"]
        if _good(row, "module_code", "module_name"):
            if module in names and names[module][0] != row["module_name"]:
                errors.append(RowError(SCHEME.name, number, "模块名称", "import.module_name_mismatch",
                                       {"module": module, "other": names[module][1]}))
            names.setdefault(module, (row["module_name"], number))
        if _good(row, "method") and MarkingMethod(row["method"]) != MarkingMethod.TOLERANCE:
            for key in ("nominal", "bands"):
                if row[key] is not None:
                    errors.append(RowError(SCHEME.name, number, _header(SCHEME, key), "import.field_not_for_method",
                                           {"method": METHOD_LABELS[MarkingMethod.TOLERANCE]}))
        if row["_bad"]:
            continue
        method = MarkingMethod(row["method"])
        threshold = row["divergence_threshold"]
        aspects.setdefault(module, []).append(AspectData(
            code=row["aspect_code"], max_mark=row["max_mark"], method=method, description=row["description"] or "",
            nominal=row["nominal"], bands=row["bands"] or (), referee_count=row["referee_count"],
            divergence_threshold=(None if threshold is NO_THRESHOLD
                                  else Decimal("0.20") if threshold is None else threshold),
        ))
        row_of.setdefault(row["aspect_code"], number)
    # A module all of whose rows are bad is left out with them (their errors say why).
    modules = [ModuleData(code, name, tuple(aspects[code])) for code, (name, _row) in names.items() if code in aspects]
    return modules, row_of


def _scheme_problem(problem: DomainError, row_of: Mapping[str, int], theory: Row | None) -> RowError:
    if problem.code == "scheme.theory_weight_invalid":
        row = theory["_row"] if theory is not None else 0
        return _from_domain(THEORY.name, row, "理论成绩权重", problem)
    aspect = problem.params.get("aspect")
    # A rule about the whole scheme (the total of 100) is named at the header of the column it sums.
    row = row_of.get(aspect, 1) if aspect is not None else 1
    return _from_domain(SCHEME.name, row, _SCHEME_COLUMN.get(problem.code, ""), problem)


__all__ = ["Progress", "roster_import", "roster_import_check", "scheme_import", "scheme_import_check",
           "scheme_table_save"]
