"""Access to the objects of the marking stage: each function loads one object, checks the caller's right through
`accounts.permissions` and the referee rules below, and locks it when asked (DESIGN.md "Layout": access.py; "Data
flow of one mark"; "Recusal (回避)"). The API, the pages and the services call these; nobody else looks a marking
object up and checks rights by hand.

`accounts.permissions` answers whether a person's role may mark, sign off or approve corrections at all; a
referee's reach is then decided per skill, entry and aspect, here, and nowhere else:

- a referee marks an (entry, aspect) when assigned to the skill, the aspect and the entry's 工位号 (an empty list
  of aspects or workstations in the assignment means all of them), and when on that entry's panel;
- the panel of an (entry, aspect) is filled by `competitions.domain.recusal.assign_panel`: the first `referee_count`
  assigned referees in priority order who may mark the entry. A referee of the entry's nominating unit (any unit
  the referee holds a role in, or the unit recorded on the assignment) or one who declared a relationship to a
  member is skipped, and the next eligible referee takes the place. With too few eligible referees the panel is
  whoever is eligible; the aspect then stays incomplete and blocks sign-off, which the chief referee sees;
- once the skill has marking groups (裁判分组: any of its referee assignments belongs to a group,
  `competitions.domain.groups`), a referee covers only the workstations of their own group's block, and a referee
  without a group covers none; by the placement, no referee of a group has a conflict in its block, so recusal
  never closes a cell there;
- the chief referee of a skill is the person assigned to it as chief, with the chief-referee role.

A referee refused a mark is told one neutral thing whatever the reason (`mark.not_assigned`, 403: recused, another
group's workstation, an aspect not theirs, not on the panel), so a direct attempt cannot find which workstations
hold their unit (DESIGN.md "Recusal without a leak"); the refusal (`MarkRefused`) carries the reason for the audit
entry `services.mark_record` writes, never for the answer.

The functions, what each loads, checks and locks, in that order:

- `access_entry_for_marking(user, skill_id, workstation_no, aspect_code, *, lock=False, aspect=None)` →
  `MarkingTarget`, called by `services.mark_record` inside its transaction with `lock=True` (the API and the
  marking page both call that service): the aspect (with its module) by code, unless the caller passes it; the
  entry by 工位号 (rejected entries left out) together with its sheet of the aspect's module, in one statement
  that with `lock` locks exactly those two rows (`of=("self", "entry")`, never the skill or event it reads);
  404 when either is missing, 404 without the role to mark or sign off; then one query for the caller's own
  assignment in the skill and the referee assignments covering this aspect, each with whether the referee is of
  the entry's unit or related to one of its members, and with the referee's mark of this aspect (the panel's
  marks, which the delta starts from): 404 when the caller holds no assignment in the skill (as chief or
  referee), 403 without the role to mark, `mark.not_assigned` (403) when the assignment does not cover the
  aspect and 工位号 (and, in a grouped skill, their group's block), when recused, and when not on the panel.
  Three queries (the referee's roles come with the signed-in user, `accounts.auth`).
  `locate_for_marking(...)` is the mark path's first statement: the aspect, the idempotency check and the entry
  with its sheet (locked) in one query, handed to `access_entry_for_marking(..., located=…)`, which then costs
  one query (the seats); it checks no right itself.
- `access_event_board(user, event_id, wanted)` → (event, audience) for a live board (websocket, feed): 404 for an
  unknown event or one in preparation the caller does not manage; the jury audience for `may_see_jury_board`,
  refused 401/403 when asked for without it; the public one otherwise.
- `access_event_for_board_freeze(user, event_id)` → the event whose public board the caller freezes, reveals or
  thaws (封榜, 揭榜; competitions.services.freeze): 404 when missing; `require_board_freezer`: the organizer's staff
  of the event's unit and the platform admin (`Action.BOARD_FREEZE`: 404 to another unit's staff, 403 to those
  who see the event without the right, 401 without a sign-in on the API).
- `access_skill_for_marking(user, skill_id)` → the skill, for the marking page and `GET …/marking`: 404 when
  missing, 403 without the role to mark, 404 when not assigned to it.
- `access_skill_for_groups(user, skill_id)` → the skill whose marking groups the caller reads or forms: 404 when
  missing; its chief referee, or whoever manages the event (`require`: 404 to another unit).
- `access_skill_for_scheme(user, skill_id)` → the skill, for reading its scheme: 404 when missing; its referees
  and chief read it, and whoever may manage the scheme (`accounts.permissions.require`: 404 to another unit).
- `access_skill_for_roster_import(user, skill)` → None, or 404 for a skill of an event in preparation the caller
  does not manage (`require_skill_visible`), then 403 for someone who nominates for no unit: asked before the
  import tells the event's stage or reads the file.
- `access_sheet_for_sign_off(user, sheet_id, *, lock=False)` → the sheet with its entry, skill, event and module:
  404 when missing, then `require_chief`; `lock=True` locks the sheet's row (inside the caller's transaction).
- `access_mark_for_correction(user, mark_id)` → the mark with its entry, skill, aspect and module: 404 when
  missing; 403 unless the caller is the mark's referee or the skill's chief referee (DESIGN.md "Corrections").
- `access_correction_for_decision(user, correction_id, *, lock=False)` → the correction with its mark, entry,
  skill, event, aspect and module: 404 when missing, then `require_chief`; `lock=True` locks the correction's row.

Locks: only the rows a writer changes or must keep still, each with `of=(...)` so that a join read alongside locks
nothing, in one order everywhere, so two writers never wait on each other in a circle:

1. a correction (`access_correction_for_decision(lock=True)`: approving or rejecting it);
2. a sheet and its entry, in one statement (a mark, a correction's approval), or the sheet alone (a sign-off,
   which changes only the sheet and reads the marks once it holds the sheet).

So marks of different entries never wait for each other (not even in one skill: nothing per skill or event is
locked), two referees marking one entry queue on its row, and a sign-off racing a mark on its sheet either sees
the mark or makes the mark refused (`mark.sheet_locked`), never a deadlock
(tests/competitions/test_mark_concurrency.py, on PostgreSQL).
"""

from __future__ import annotations

import json
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, cast

from django.db import connection
from django.db.models import Field, Model
from django.utils import timezone

from accounts.models import Membership, User
from accounts.permissions import can, require
from competitions.adapters import domain_aspect
from competitions.domain import corrections, objections, recusal, scoring
from competitions.domain.stream import Audience
from competitions.models import (
    Aspect,
    Entry,
    EntryCoach,
    EntryMember,
    EntryStatus,
    Event,
    Mark,
    MarkCorrection,
    MarkingGroup,
    MarkingScheme,
    MarkRevision,
    Module,
    RefereeAssignment,
    RefereeRole,
    RelationshipDeclaration,
    Sheet,
    Skill,
    Status,
)
from competitions.permissions import Action
from core import sql
from core.errors import DomainError, NotAuthenticated, NotFound, PermissionDenied
from core.errors import DomainError as CoreDomainError
from core.lookup import get_or_404


class MarkRefused(PermissionDenied):
    """A referee may not mark this (entry, aspect): answered as `mark.not_assigned`, always the same words;
    `reason` (a code: `recusal.same_organization`, `recusal.declared_relationship`, `mark.other_group`,
    `mark.not_covered`, `mark.not_on_panel`) is for the audit entry only and never part of the answer."""

    def __init__(self, reason: str = "mark.not_covered", code: str = "mark.not_assigned",
                 params: Mapping[str, Any] | None = None) -> None:
        super().__init__(code, params)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Seat:
    """One assigned referee as the panel of one (entry, aspect) sees them."""

    referee_id: int
    role: str
    covers: bool  # the aspect and the entry's 工位号 are within the assignment (and the group's block)
    same_unit: bool  # one of the referee's units is the entry's nominating unit
    related: bool  # the referee declared a relationship to a member of the entry
    in_block: bool = True  # the entry's 工位号 is in the referee's group's block (True in an ungrouped skill)


def _profile(seat: Seat, entry: Entry) -> recusal.RefereeProfile:
    # Recusal compares one organization per side: a referee counts as "of the entry's unit" when any of their
    # units is the entry's; a declaration about any member counts against the whole entry (recusal docstring).
    return recusal.RefereeProfile(
        referee_id=seat.referee_id,
        organization_id=entry.unit_id if seat.same_unit else None,
        declared_contestant_ids=frozenset({entry.pk}) if seat.related else frozenset(),
    )


def _panel(seats: Iterable[Seat], entry: Entry, needed: int) -> list[Hashable]:
    """The referee ids on the panel of this (entry, aspect), in priority order (module docstring)."""
    profiles = [_profile(s, entry) for s in seats if s.role == RefereeRole.REFEREE and s.covers]
    contestant = recusal.ContestantProfile(entry.pk, entry.unit_id)
    try:
        return recusal.assign_panel(needed, profiles, contestant)
    except DomainError as exc:
        if exc.code != "recusal.not_enough_referees":
            raise
        return [p.referee_id for p in profiles if recusal.check_referee(p, contestant)]


def _refusal(user: User, entry: Entry, needed: int, seats: Sequence[Seat]) -> CoreDomainError | None:
    """Why `user` may not mark this aspect of this entry, or None; `seats` in priority order (module docstring)."""
    if not can(user, Action.MARK_ENTER):
        return PermissionDenied()
    mine = next((s for s in seats if s.referee_id == user.pk), None)
    if mine is None or mine.role != RefereeRole.REFEREE:
        return MarkRefused("mark.not_covered")
    check = recusal.check_referee(_profile(mine, entry), recusal.ContestantProfile(entry.pk, entry.unit_id))
    if not check:
        # The reason goes to the audit entry only: told to the referee, it would say which workstation holds a
        # contestant of their unit (module docstring). Checked first, so the audit names the recusal even where
        # the workstation is in another group's block anyway.
        return MarkRefused(",".join(r.code for r in check.reasons))
    if not mine.in_block:
        return MarkRefused("mark.other_group")
    if not mine.covers:
        return MarkRefused("mark.not_covered")
    if user.pk not in _panel(seats, entry, needed):
        return MarkRefused("mark.not_on_panel")
    return None


# --- one mark -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MarkingTarget:
    """What a referee may mark, as `access_entry_for_marking` found it: `services.mark_record` checks the rights
    no more. `entry.skill` and `aspect.module` are loaded; `sheet` is the entry's sheet of the aspect's module
    (None before marking opens); `scoring_aspect` is the aspect as the scoring rules see it (method, bounds,
    panel size); `marks` what the panel has marked so far."""

    referee: User
    entry: Entry
    aspect: Aspect
    sheet: Sheet | None
    scoring_aspect: scoring.Aspect
    marks: dict[int, Mark]  # every mark of this (entry, aspect), by referee; read under the lock with `lock=True`


def _seat_of(entry: Entry, row: Sequence[Any], block: Sequence[str] | None) -> Seat:
    """`block`: the referee's group's block, [] for a referee without a group in a grouped skill, None when the
    skill has no groups."""
    referee_id, role, organization_id, workstation_nos, limited, listed, of_unit, related = row
    in_block = block is None or entry.workstation_no in block
    return Seat(referee_id, role,
                covers=(not limited or listed) and (not workstation_nos or entry.workstation_no in workstation_nos)
                and in_block,
                same_unit=of_unit or organization_id == entry.unit_id, related=related, in_block=in_block)


def _seats(user: User, entry: Entry, aspect: Aspect) -> list[Seat]:
    """The seats of the panel of this (entry, aspect): the caller's own assignment in the skill and the referee
    assignments covering this aspect, in priority order, each as seen from this entry (`_seats_and_marks`, the
    one statement that says who sits on a panel)."""
    return _seats_and_marks(user, entry, aspect)[0]


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _seats_and_marks_sql() -> str:
    """The statement of `_seats_and_marks`: the caller's own assignment in the skill and the referee assignments
    covering this aspect (the referee role, and no list of aspects or this aspect in it), in priority order, each
    with whether the referee is of the entry's unit or related to one of its members, each seat's mark of the
    aspect joined on, and the number of marks of the aspect; then the block of the seat's marking group and whether
    the skill has groups at all; written once in SQL both databases run, because this is the costliest statement
    of the mark path to compose with the ORM on every mark (a third of its CPU)."""
    # Only table names (quoted, from the models) are put into the text; every value is a parameter.
    through = _table(RefereeAssignment.aspects.through)
    limited = f"EXISTS (SELECT 1 FROM {through} t WHERE t.refereeassignment_id = ra.id)"  # noqa: S608
    listed = f"EXISTS (SELECT 1 FROM {through} t WHERE t.refereeassignment_id = ra.id AND t.aspect_id = %(aspect)s)"  # noqa: S608,E501
    return f"""
        SELECT ra.referee_id, ra.role, ra.organization_id, ra.workstation_nos, {limited}, {listed},
            EXISTS (SELECT 1 FROM {_table(Membership)} ms
                    WHERE ms.user_id = ra.referee_id AND ms.organization_id = %(unit)s),
            EXISTS (SELECT 1 FROM {_table(RelationshipDeclaration)} rd
                    WHERE rd.referee_id = ra.referee_id AND rd.person_id IN (
                        SELECT em.person_id FROM {_table(EntryMember)} em WHERE em.entry_id = %(entry)s)),
            mk.id, mk.value, mk.idempotency_key, mk.created_at, mk.updated_at,
            (SELECT COUNT(*) FROM {_table(Mark)} m2 WHERE m2.entry_id = %(entry)s AND m2.aspect_id = %(aspect)s),
            mg.workstation_nos,
            EXISTS (SELECT 1 FROM {_table(RefereeAssignment)} rg
                    WHERE rg.skill_id = %(skill)s AND rg.group_id IS NOT NULL)
        FROM {_table(RefereeAssignment)} ra
        LEFT JOIN {_table(Mark)} mk
            ON mk.entry_id = %(entry)s AND mk.aspect_id = %(aspect)s AND mk.referee_id = ra.referee_id
        LEFT JOIN {_table(MarkingGroup)} mg ON mg.id = ra.group_id
        WHERE ra.skill_id = %(skill)s
            AND (ra.referee_id = %(user)s OR (ra.role = %(referee)s AND (NOT {limited} OR {listed})))
        ORDER BY ra.priority, ra.id
    """  # noqa: S608


_MARK_FIELDS: dict[str, Field[Any, Any]] = {
    name: cast("Field[Any, Any]", Mark._meta.get_field(name))
    for name in ("value", "idempotency_key", "created_at", "updated_at")
}


def _python(name: str, raw: Any) -> Any:
    """A column of Mark as the ORM would hand it back (SQLite gives text and floats where PostgreSQL gives types)."""
    field = _MARK_FIELDS[name]
    if name == "value":
        return Decimal(str(raw)).quantize(scoring.MARK_QUANTUM)
    value = field.to_python(raw)
    if isinstance(value, datetime) and timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value


def _seats_and_marks(user: User, entry: Entry, aspect: Aspect) -> tuple[list[Seat], dict[int, Mark]]:
    """The seats (as `_seats`), and every mark of this (entry, aspect) by referee, in one statement when (as
    always but after an assignment was withdrawn from a referee who had marked) each mark's referee holds a seat:
    each seat carries its referee's mark, and every row the number of marks of the aspect, so a mark without a
    seat is noticed and the marks are then read on their own. Called under the entry's lock, so these are the
    marks a delta starts from."""
    params: dict[str, int | str | None] = {"aspect": aspect.pk, "unit": entry.unit_id, "entry": entry.pk,
                                           "skill": entry.skill_id, "user": user.pk,
                                           "referee": RefereeRole.REFEREE.value}
    with connection.cursor() as cursor:
        cursor.execute(_seats_and_marks_sql(), params)
        rows = cursor.fetchall()
    seats: list[Seat] = []
    panel: dict[int, Mark] = {}
    expected = 0
    for row in rows:
        referee_id, role, organization_id, workstation_nos = row[0], row[1], row[2], row[3]
        if isinstance(workstation_nos, str):
            workstation_nos = json.loads(workstation_nos)
        block = row[14]
        if isinstance(block, str):
            block = json.loads(block)
        if not row[15]:
            block = None  # the skill has no marking groups
        elif block is None:
            block = []  # grouped skill, referee without a group: no workstation
        seat = _seat_of(entry, (referee_id, role, organization_id, workstation_nos, bool(row[4]), bool(row[5]),
                                bool(row[6]), bool(row[7])), block)
        seats.append(seat)
        mark_id, expected = row[8], row[13] or 0
        if mark_id is not None:
            panel[seat.referee_id] = Mark(
                pk=mark_id, entry_id=entry.pk, aspect_id=aspect.pk, referee_id=seat.referee_id,
                value=_python("value", row[9]), idempotency_key=_python("idempotency_key", row[10]),
                created_at=_python("created_at", row[11]), updated_at=_python("updated_at", row[12]),
            )
    if len(panel) != expected:
        panel = {m.referee_id: m for m in Mark.objects.filter(entry_id=entry.pk, aspect_id=aspect.pk)}
    return seats, panel


def marking_aspect(skill_id: int, aspect_code: str) -> Aspect | None:
    """The aspect of the skill's scheme with this code, its module loaded."""
    return Aspect.objects.select_related("module").filter(scheme__skill_id=skill_id, code=aspect_code).first()


_SHEET_COLUMNS = sql.Columns(Sheet, "s")
_SHEET_ENTRY_COLUMNS = sql.Columns(Entry, "e")
_SHEET_SKILL_COLUMNS = sql.Columns(Skill, "sk")


def _entry_and_sheet_sql(*, lock: bool) -> str:
    """The statement of `_entry_and_sheet`, written once (core.sql: composed with the ORM it cost the mark path
    more CPU than the database took to run it); with `lock`, `FOR UPDATE OF` the sheet and the entry only, where
    the database has row locks (SQLite's write transaction locks the whole file instead)."""
    locking = " FOR UPDATE OF s, e" if lock and connection.features.has_select_for_update_of else ""
    return (
        f"SELECT {_SHEET_COLUMNS.sql()}, {_SHEET_ENTRY_COLUMNS.sql()}, {_SHEET_SKILL_COLUMNS.sql()} "  # noqa: S608
        f"FROM {sql.table(Sheet)} s INNER JOIN {sql.table(Entry)} e ON e.id = s.entry_id "
        f"INNER JOIN {sql.table(Skill)} sk ON sk.id = e.skill_id "
        "WHERE e.skill_id = %(skill)s AND e.workstation_no = %(workstation_no)s AND s.module_id = %(module)s "
        f"AND e.status <> %(rejected)s ORDER BY s.id LIMIT 1{locking}"
    )


def _entry_and_sheet(skill_id: int, workstation_no: str, module_id: int, *, lock: bool) -> tuple[
    Entry | None, Sheet | None
]:
    """The entry at this 工位号 (rejected entries left out) with its sheet of the module: one query, which with
    `lock` locks the sheet's and the entry's rows and nothing else (not the skill or event joined for reading).
    Before marking opens there is no sheet: then the entry alone (one more query, on that path only)."""
    params: dict[str, int | str] = {"skill": skill_id, "workstation_no": workstation_no, "module": module_id,
                                    "rejected": EntryStatus.REJECTED.value}
    with connection.cursor() as cursor:
        cursor.execute(_entry_and_sheet_sql(lock=lock), params)
        row = cursor.fetchone()
    if row is not None:
        sheet = _SHEET_COLUMNS.load(row)
        sheet.entry = _SHEET_ENTRY_COLUMNS.load(row, _SHEET_COLUMNS.width)
        sheet.entry.skill = _SHEET_SKILL_COLUMNS.load(row, _SHEET_COLUMNS.width + _SHEET_ENTRY_COLUMNS.width)
        return sheet.entry, sheet
    entries = (
        Entry.objects.select_related("skill").filter(skill_id=skill_id, workstation_no=workstation_no)
        .exclude(status=EntryStatus.REJECTED)
    )
    if lock:
        entries = entries.select_for_update(of=("self",))
    return entries.first(), None


_LOCATED_ASPECT_COLUMNS = sql.Columns(Aspect, "a")
_LOCATED_MODULE_COLUMNS = sql.Columns(Module, "md")


def _located_sql(*, lock: bool) -> str:
    """The statement of `locate_for_marking`: `_entry_and_sheet`'s, with the aspect (by code), its module and
    whether the idempotency key was used joined on; the lock is the sheet's and the entry's rows only."""
    locking = " FOR UPDATE OF s, e" if lock and connection.features.has_select_for_update_of else ""
    return (
        f"SELECT {_LOCATED_ASPECT_COLUMNS.sql()}, {_LOCATED_MODULE_COLUMNS.sql()}, "  # noqa: S608
        f"{_SHEET_COLUMNS.sql()}, {_SHEET_ENTRY_COLUMNS.sql()}, {_SHEET_SKILL_COLUMNS.sql()}, "
        f"EXISTS (SELECT 1 FROM {sql.table(MarkRevision)} r WHERE r.idempotency_key = %(key)s) "
        f"FROM {sql.table(Aspect)} a INNER JOIN {sql.table(Module)} md ON md.id = a.module_id "
        f"INNER JOIN {sql.table(MarkingScheme)} sc ON sc.id = a.scheme_id "
        f"INNER JOIN {sql.table(Entry)} e ON e.skill_id = sc.skill_id "
        f"INNER JOIN {sql.table(Sheet)} s ON s.entry_id = e.id AND s.module_id = a.module_id "
        f"INNER JOIN {sql.table(Skill)} sk ON sk.id = e.skill_id "
        "WHERE sc.skill_id = %(skill)s AND a.code = %(code)s AND e.workstation_no = %(workstation_no)s "
        f"AND e.status <> %(rejected)s ORDER BY s.id LIMIT 1{locking}"
    )


@dataclass(frozen=True, slots=True)
class Located:
    """What `locate_for_marking` found in one statement: the aspect (its module loaded), whether the mark's
    idempotency key was used already, and the entry (its skill loaded) with its sheet of the aspect's module."""

    aspect: Aspect
    key_used: bool
    entry: Entry
    sheet: Sheet


def locate_for_marking(skill_id: int, workstation_no: str, aspect_code: str, idempotency_key: Any, *,
                       lock: bool) -> Located | None:
    """The first statement of a mark (services.mark_record): the aspect and the idempotency check of
    `selectors.marking.aspect_for_mark` and the entry with its sheet of `_entry_and_sheet`, in one query, which
    with `lock` locks the sheet's and the entry's rows (and nothing else). None when any of them is missing (no
    such aspect, 工位号 or sheet yet): the caller then takes the two-step way, which says which. Merged so that the
    mark's delta row (competitions.services.stream) fits the mark path's budget of 10 queries. Rights are not
    checked here: `access_entry_for_marking(..., located=…)` checks them."""
    params = {"skill": skill_id, "code": aspect_code, "workstation_no": workstation_no,
              "rejected": EntryStatus.REJECTED.value,
              "key": sql.value_of(MarkRevision, "idempotency_key", idempotency_key)}
    with connection.cursor() as cursor:
        cursor.execute(_located_sql(lock=lock), params)
        row = cursor.fetchone()
    if row is None:
        return None
    aspect = _LOCATED_ASPECT_COLUMNS.load(row)
    at = _LOCATED_ASPECT_COLUMNS.width
    aspect.module = _LOCATED_MODULE_COLUMNS.load(row, at)
    at += _LOCATED_MODULE_COLUMNS.width
    sheet = _SHEET_COLUMNS.load(row, at)
    at += _SHEET_COLUMNS.width
    sheet.entry = _SHEET_ENTRY_COLUMNS.load(row, at)
    at += _SHEET_ENTRY_COLUMNS.width
    sheet.entry.skill = _SHEET_SKILL_COLUMNS.load(row, at)
    return Located(aspect, bool(row[-1]), sheet.entry, sheet)


def access_entry_for_marking(
    user: User, skill_id: int, workstation_no: str, aspect_code: str, *, lock: bool = False,
    aspect: Aspect | None = None, located: Located | None = None,
) -> MarkingTarget:
    """The (entry, aspect) a referee marks, addressed by 工位号 and aspect code, or the refusal (module
    docstring: what is loaded, checked and locked, in order). `aspect`: the aspect already loaded by the caller
    (`services.mark_record` reads it together with its idempotency check); `located`: the aspect, entry and
    sheet already loaded (and locked, with `lock`) by `locate_for_marking`."""
    if located is not None:
        aspect = located.aspect
    if aspect is None:
        aspect = marking_aspect(skill_id, aspect_code)
    if aspect is None or not workstation_no:
        raise NotFound()
    entry: Entry | None
    sheet: Sheet | None
    if located is not None:
        entry, sheet = located.entry, located.sheet
    else:
        entry, sheet = _entry_and_sheet(skill_id, workstation_no, aspect.module_id, lock=lock)
    if entry is None or not (can(user, Action.MARK_ENTER) or can(user, Action.SHEET_SIGN_OFF)):
        raise NotFound()
    seats, panel = _seats_and_marks(user, entry, aspect)
    if not any(s.referee_id == user.pk for s in seats):
        raise NotFound()
    rule = domain_aspect(aspect)
    refusal = _refusal(user, entry, rule.referee_count, seats)
    if refusal is not None:
        raise refusal
    return MarkingTarget(user, entry, aspect, sheet, rule, panel)


def marking_refusal(user: User, entry: Entry, aspect: Aspect) -> CoreDomainError | None:
    """Why `user` may not mark this aspect of this entry, or None: the rule of `access_entry_for_marking` for one
    entry already at hand (one query, besides the caller's roles)."""
    return _refusal(user, entry, domain_aspect(aspect).referee_count, _seats(user, entry, aspect))


# --- many entries at once (the marking page, the demo) ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Candidate:
    """An assigned referee (not the chief) as panel filling sees them, for every entry of the skill at once."""

    referee_id: int
    aspect_ids: frozenset[int]  # empty: every aspect
    workstation_nos: frozenset[str]  # empty: every workstation
    units: frozenset[int]
    related_person_ids: frozenset[int]
    # The referee's group's block in a skill with marking groups (empty without a group: no workstation); None
    # when the skill has no groups.
    block: frozenset[str] | None = None

    def in_block(self, workstation_no: str) -> bool:
        return self.block is None or workstation_no in self.block

    def covers(self, aspect: Aspect, workstation_no: str | None) -> bool:
        """Is the aspect (and the workstation, unless None) within the assignment and the group's block?"""
        if self.aspect_ids and aspect.pk not in self.aspect_ids:
            return False
        if workstation_no is None:
            return True
        return (not self.workstation_nos or workstation_no in self.workstation_nos) and self.in_block(workstation_no)


def skill_candidates(skill: Skill) -> list[Candidate]:
    """The referees (not the chief) assigned to a skill, in priority order, with their units and relations: for
    reads that decide every (entry, aspect) of the skill at once, in four queries (each referee's marking group
    and its block come with the assignments)."""
    rows = list(
        RefereeAssignment.objects.filter(skill=skill, role=RefereeRole.REFEREE).order_by("priority", "id")
        .values_list("pk", "referee_id", "organization_id", "workstation_nos", "group_id", "group__workstation_nos")
    )
    grouped = any(row[4] is not None for row in rows)
    blocks = {row[0]: frozenset(str(n) for n in row[5] or ()) if grouped else None for row in rows}
    assignments = [row[:4] for row in rows]
    aspect_ids: dict[int, set[int]] = {}
    for assignment_id, aspect_id in RefereeAssignment.aspects.through.objects.filter(
        refereeassignment_id__in=[a[0] for a in assignments]
    ).values_list("refereeassignment_id", "aspect_id"):
        aspect_ids.setdefault(assignment_id, set()).add(aspect_id)
    referee_ids = [a[1] for a in assignments]
    units: dict[int, set[int]] = {}
    for user_id, unit_id in Membership.objects.filter(user_id__in=referee_ids, organization__isnull=False).values_list(
        "user_id", "organization_id"
    ):
        units.setdefault(user_id, set()).add(unit_id)
    related: dict[int, set[int]] = {}
    for referee_id, person_id in RelationshipDeclaration.objects.filter(referee_id__in=referee_ids).values_list(
        "referee_id", "person_id"
    ):
        related.setdefault(referee_id, set()).add(person_id)
    return [
        Candidate(
            referee_id, frozenset(aspect_ids.get(pk, ())), frozenset(str(n) for n in workstation_nos or ()),
            frozenset(units.get(referee_id, set()) | ({organization_id} if organization_id is not None else set())),
            frozenset(related.get(referee_id, ())), blocks[pk],
        )
        for pk, referee_id, organization_id, workstation_nos in assignments
    ]


def _seat(candidate: Candidate, entry: Entry, aspect: Aspect, member_ids: frozenset[int]) -> Seat:
    return Seat(candidate.referee_id, RefereeRole.REFEREE, candidate.covers(aspect, entry.workstation_no),
                entry.unit_id in candidate.units, bool(candidate.related_person_ids & member_ids),
                candidate.in_block(entry.workstation_no))


def member_ids_of(entry: Entry) -> frozenset[int]:
    return frozenset(entry.members.values_list("person_id", flat=True))


def panel(
    candidates: Sequence[Candidate], entry: Entry, aspect: Aspect, member_ids: frozenset[int], needed: int
) -> list[Hashable]:
    """The referee ids on the panel of this (entry, aspect), in priority order (module docstring)."""
    return _panel([_seat(c, entry, aspect, member_ids) for c in candidates], entry, needed)


def mark_refusal(
    user: User, entry: Entry, aspect: Aspect, needed: int, candidates: Sequence[Candidate],
    *, member_ids: frozenset[int],
) -> CoreDomainError | None:
    """`marking_refusal` for reads that decide many entries: the skill's candidates and each entry's member ids
    loaded once by the caller, so deciding a cell costs no query."""
    return _refusal(user, entry, needed, [_seat(c, entry, aspect, member_ids) for c in candidates])


# --- the skill, its scheme, sheets and corrections ----------------------------------------------------------------


def assigned_skill_ids(user: User) -> set[int]:
    """Skills the user referees or chairs (for menus and 'my assignments')."""
    if not (can(user, Action.MARK_ENTER) or can(user, Action.SHEET_SIGN_OFF)):
        return set()
    return set(RefereeAssignment.objects.filter(referee=user).values_list("skill_id", flat=True))


def _is_assigned(user: User, skill: Skill) -> bool:
    if not (can(user, Action.MARK_ENTER) or can(user, Action.SHEET_SIGN_OFF)):
        return False
    return RefereeAssignment.objects.filter(referee=user, skill=skill).exists()


def _skill(skill_id: int) -> Skill:
    return get_or_404(Skill.objects.select_related("event"), pk=skill_id)


def require_skill_visible(user: Any, skill: Skill) -> None:
    """A skill of an event still in preparation (筹备) exists only for those who manage the event, as
    `selectors.events_visible` lists events: anyone else gets 404, before any answer that would tell the event's
    stage (issue 9 item 15: the roster import said "registration is not open (筹备)" to every caller)."""
    if skill.event.status == Status.DRAFT and not can(user, Action.COMPETITION_MANAGE, skill.event):
        raise NotFound()


def access_skill_for_roster_import(user: Any, skill: Skill) -> None:
    """May `user` import a roster into `skill` at all? Asked before the event's stage is told or a file read: a
    skill they cannot see is 404, someone who nominates for no unit 403 (each row's unit is checked with the
    rows). Only then may the caller learn that registration is closed."""
    require_skill_visible(user, skill)
    require(user, Action.ENTRY_SUBMIT)


def access_skill_for_marking(user: User, skill_id: int) -> Skill:
    """The skill whose marking sheet a referee reads (module docstring)."""
    skill = _skill(skill_id)
    require(user, Action.MARK_ENTER)
    if not _is_assigned(user, skill):
        raise NotFound()
    return skill


def may_read_scheme(user: User, skill: Skill) -> bool:
    """The rule of `access_skill_for_scheme` as a yes/no, for a page deciding what to offer."""
    return _is_assigned(user, skill) or can(user, Action.SCHEME_MANAGE, skill)


def access_skill_for_scheme(user: User, skill_id: int) -> Skill:
    """The skill whose marking scheme the caller reads: its referees and chief, and whoever manages schemes there."""
    skill = _skill(skill_id)
    if not _is_assigned(user, skill):
        require(user, Action.SCHEME_MANAGE, skill)
    return skill


def require_theory_recorder(user: Any, skill: Skill) -> None:
    """Who reads and records a skill's theory scores and completion times, by name: whoever manages its scheme,
    except, before decryption, anyone on its jury (assigned to it as referee or chief referee): the theory page
    lists the entrants by name, and the jury must not be able to set a withdrawal seen there beside the workstation
    that left its practical standings (competitions.selectors.results, "Before decryption"). 403 to the jury."""
    require(user, Action.SCHEME_MANAGE, skill)
    if skill.decrypted_at is None and getattr(user, "is_authenticated", False) and RefereeAssignment.objects.filter(
        skill=skill, referee_id=user.pk
    ).exists():
        raise PermissionDenied("theory.jury")


def is_chief_of(user: User, skill: Skill) -> bool:
    """The chief referee of the skill: the role, and the assignment as chief."""
    if not can(user, Action.SHEET_SIGN_OFF):
        return False
    return RefereeAssignment.objects.filter(skill=skill, referee=user, role=RefereeRole.CHIEF).exists()


def require_chief(user: User, skill: Skill) -> None:
    """The chief referee of the skill, or a refusal: 403 to those who know the skill (its referees, the platform
    admin, whoever holds a role in its organizer's unit), 404 to anyone else, as `accounts.permissions.require`
    hides another unit's objects."""
    if is_chief_of(user, skill):
        return
    if not _is_assigned(user, skill):
        require(user, Action.COMPETITION_JURY_VIEW, skill)
    raise PermissionDenied()


def access_skill_for_sign_off(user: User, skill_id: int) -> Skill:
    """The skill whose sheets the chief referee signs off together: 404 when missing, `require_chief` otherwise."""
    skill = Skill.objects.select_related("event").filter(pk=skill_id).first()
    if skill is None:
        raise NotFound()
    require_chief(user, skill)
    return skill


def require_group_former(user: Any, skill: Skill) -> None:
    """Who forms a skill's marking groups (裁判分组): its chief referee, or whoever manages the event
    (`accounts.permissions.require`: 404 to another unit; 403 to the skill's other referees)."""
    if isinstance(user, User) and is_chief_of(user, skill):
        return
    if isinstance(user, User) and _is_assigned(user, skill) and not can(user, Action.COMPETITION_MANAGE, skill):
        raise PermissionDenied()  # a referee of the skill knows it: refused, as `require_chief` refuses them
    require(user, Action.COMPETITION_MANAGE, skill)


def access_skill_for_groups(user: User, skill_id: int) -> Skill:
    """The skill whose marking groups the caller reads or forms (`require_group_former`)."""
    skill = _skill(skill_id)
    require_group_former(user, skill)
    return skill


def access_sheet_for_sign_off(user: User, sheet_id: int, *, lock: bool = False) -> Sheet:
    """The sheet the chief referee signs off (module docstring)."""
    sheets = Sheet.objects.select_related("entry__skill__event", "module")
    if lock:
        # Marks lock the sheet too: no value changes between the sign-off's check and its lock.
        sheets = sheets.select_for_update(of=("self",))
    sheet = sheets.filter(pk=sheet_id).first()
    if sheet is None:
        raise NotFound()
    require_chief(user, sheet.entry.skill)
    return sheet


def objector(user: User, entry: Entry) -> objections.Objector:
    """How the entry concerns `user`: a member, a coach, or staff of the unit that nominated it."""
    return objections.Objector(
        member=EntryMember.objects.filter(entry=entry, person=user).exists(),
        coach=EntryCoach.objects.filter(entry=entry, person=user).exists(),
        unit_staff=can(user, Action.OBJECTION_FILE, entry.unit),
    )


def access_entry_for_objection(user: User, entry_id: int) -> Entry:
    """The entry whose result `user` objects to (404 when missing); who may object, and when, is
    `competitions.domain.objections` and the service."""
    entry = Entry.objects.select_related("skill__event", "unit").filter(pk=entry_id).first()
    if entry is None:
        raise NotFound()
    return entry


def chief_ids_of(skill: Skill) -> frozenset[int]:
    """The people assigned to the skill as its chief referees."""
    return frozenset(RefereeAssignment.objects.filter(skill=skill, role=RefereeRole.CHIEF)
                     .values_list("referee_id", flat=True))


def may_supervise(user: User, skill: Skill) -> bool:
    """A supervisor (监督) of the skill's organizer: decides what the skill's only chief referee asked to correct."""
    return can(user, Action.CORRECTION_SUPERVISE, skill)


def require_correction_decider(user: User, skill: Skill) -> None:
    """A chief referee of the skill or the organizer's supervisor, or the refusal of `require_chief`."""
    if not may_supervise(user, skill):
        require_chief(user, skill)


def access_mark_for_correction(user: User, mark_id: int) -> Mark:
    """The mark whose correction the caller asks for: its referee, or a chief referee on their behalf
    (competitions.domain.corrections)."""
    mark = Mark.objects.select_related("entry__skill", "aspect__module").filter(pk=mark_id).first()
    if mark is None:
        raise NotFound()
    chiefs = {user.pk} if is_chief_of(user, mark.entry.skill) else set()
    if corrections.request_refusal(user.pk, mark.referee_id, chiefs) is not None:
        raise PermissionDenied("correction.not_requester")
    return mark


def access_correction_for_decision(user: User, correction_id: int, *, lock: bool = False) -> MarkCorrection:
    """The correction a chief referee of its skill, or the organizer's supervisor, approves or rejects (module
    docstring); who of them may decide this one is `competitions.domain.corrections.decision_refusal`."""
    corrections_ = MarkCorrection.objects.select_related("mark__entry__skill__event", "mark__aspect__module")
    if lock:
        # Two decisions on one correction: the second waits, then finds it decided.
        corrections_ = corrections_.select_for_update(of=("self",))
    correction = corrections_.filter(pk=correction_id).first()
    if correction is None:
        raise NotFound()
    require_correction_decider(user, correction.mark.entry.skill)
    return correction


__all__ = [
    "Candidate",
    "Located",
    "MarkRefused",
    "MarkingTarget",
    "Seat",
    "access_correction_for_decision",
    "chief_ids_of",
    "access_entry_for_marking",
    "access_event_board",
    "access_event_for_board_freeze",
    "access_entry_for_objection",
    "access_mark_for_correction",
    "access_sheet_for_sign_off",
    "access_skill_for_groups",
    "access_skill_for_marking",
    "access_skill_for_scheme",
    "assigned_skill_ids",
    "is_chief_of",
    "locate_for_marking",
    "mark_refusal",
    "objector",
    "marking_refusal",
    "may_read_scheme",
    "may_supervise",
    "member_ids_of",
    "panel",
    "require_chief",
    "require_board_freezer",
    "require_correction_decider",
    "require_group_former",
    "skill_candidates",
]


# --- registrations --------------------------------------------------------------------------------------------------


def may_nominate(user: Any, event: Any, unit: Any) -> bool:
    """May `user` enter contestants for `unit` in `event`? A unit's staff nominate their own people
    (`Action.ENTRY_SUBMIT`, asked on the unit), and whoever reviews the event's registrations may enter people for
    any unit of it (`Action.ENTRY_REVIEW`, asked on the event): in practice the organizer keys in or imports the
    paper forms of units without an account (issue 10 item 1, "roster import for any unit of the event")."""
    return can(user, Action.ENTRY_SUBMIT, unit) or can(user, Action.ENTRY_REVIEW, event)


def require_nominate(user: Any, event: Any, unit: Any) -> None:
    """`may_nominate`, or the refusal `accounts.permissions.require` gives on the unit (404 across units)."""
    if not may_nominate(user, event, unit):
        require(user, Action.ENTRY_SUBMIT, unit)


# --- live boards ----------------------------------------------------------------------------------------------------


def may_see_jury_board(user: Any, event: Event) -> bool:
    """The jury board of an event (competitions.domain.stream): whoever reads its provisional standings
    (`COMPETITION_JURY_VIEW`: the organizer's staff and chief referees, the platform admin), and a chief referee
    assigned to one of its skills."""
    if can(user, Action.COMPETITION_JURY_VIEW, event):
        return True
    return bool(can(user, Action.SHEET_SIGN_OFF) and RefereeAssignment.objects.filter(
        skill__event=event, referee=user, role=RefereeRole.CHIEF).exists())


def access_event_board(user: Any, event_id: int, wanted: str | None) -> tuple[Event, Audience]:
    """The event whose live board the caller follows, and the audience they get: `wanted` "jury" needs a signed-in
    caller (401) with `may_see_jury_board` (403); "public" is the public board for anyone; none (or "") picks the
    jury board for those who may see it, else the public one. An event in preparation exists only for those who
    manage it (404, as `require_skill_visible`); an unknown audience is 404 too."""
    event = Event.objects.filter(pk=event_id).first()
    if event is None or (event.status == Status.DRAFT and not can(user, Action.COMPETITION_MANAGE, event)):
        raise NotFound()
    if wanted not in (None, "", Audience.JURY.value, Audience.PUBLIC.value):
        raise NotFound()
    if wanted == Audience.PUBLIC.value:
        return event, Audience.PUBLIC
    jury = getattr(user, "is_authenticated", False) and may_see_jury_board(user, event)
    if wanted == Audience.JURY.value and not jury:
        if not getattr(user, "is_authenticated", False):
            raise NotAuthenticated("not_authenticated", {}, "Please sign in first.")
        raise PermissionDenied()
    return event, Audience.JURY if jury else Audience.PUBLIC


def require_board_freezer(user: Any, event: Event) -> None:
    """May `user` freeze, reveal and thaw the event's public board? (`Action.BOARD_FREEZE`; module docstring)."""
    require(user, Action.BOARD_FREEZE, event)


def access_event_for_board_freeze(user: Any, event_id: int) -> Event:
    """The event whose public board `user` freezes or thaws (module docstring)."""
    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        raise NotFound()
    require_board_freezer(user, event)
    return event
