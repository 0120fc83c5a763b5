"""Reads of the competitions app shared by pages, API and exports, with the reader's masking applied here.

Who sees what:
- Events: anyone (signed in or not) sees events past the draft; drafts only those who manage the event.
- Results of a skill: public (names and units, never ID numbers) from the review period (成绩公示) on, marked as
  under review until published: 公示 means exactly that the provisional results are shown to everyone, so that
  anyone may raise a real-name objection within the period. Provisional for the jury alone (organizer staff and
  chief referees of the organizer, the platform admin) from the competition on, showing names only after
  decryption and 工位号 before; hidden (404) from everyone else before review.
- Referees see entries by 工位号 only. On a judgement aspect a referee sees the other panel members' scores for
  an entry only once their own score for it is in (private entry, DESIGN.md "Marking scheme"; issue 4 item 5).

Standings are derived on every read from the entries' cached totals and module scores by the pure ranking,
awards, titles and promotion functions. A person's current skill level is not known to the competitions app yet
(certification is another app), so promotion is computed as for someone holding no level.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
from django.db import connection
from django.db.models import F, FloatField, Prefetch, Q, QuerySet
from django.db.models.functions import Cast, Round
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import Action, can, filter_allowed, require
from competitions import access, labels
from competitions.adapters import award_rule, domain_aspect, domain_scheme, tie_breaks
from competitions.domain import awards, promotion, ranking, scoring, standings, titles
from competitions.models import (
    Aspect,
    Entry,
    EntryMember,
    EntryStatus,
    Event,
    Mark,
    RefereeAssignment,
    RefereeRole,
    Sheet,
    Skill,
    Status,
    status_index,
)
from core.errors import DomainError, NotFound, PermissionDenied

# --- events -------------------------------------------------------------------------------------------------------


def events_visible(*, viewer: Any) -> QuerySet[Event]:
    """Every event past its draft, and the drafts the viewer manages."""
    events = Event.objects.select_related("organizer").order_by("-starts_on", "name")
    managed = filter_allowed(viewer, Action.COMPETITION_MANAGE, Event.objects.all(), unit_field="organizer")
    return events.filter(~Q(status=Status.DRAFT) | Q(pk__in=managed.values("pk")))


def event_visible(*, viewer: Any, event_id: int) -> Event:
    event = events_visible(viewer=viewer).filter(pk=event_id).first()
    if event is None:
        raise NotFound()
    return event


def is_jury(viewer: Any, event: Event) -> bool:
    return can(viewer, Action.COMPETITION_JURY_VIEW, event)


# --- standings ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StandingRow:
    entry_id: int
    place: int
    workstation_no: str
    names: list[str] | None  # None while the reader may not see who it is
    unit: str | None
    total: Decimal
    practical: Decimal
    theory: Decimal | None
    module_scores: list[Decimal]
    completion_time: timedelta | None
    award: str | None
    award_label: str | None
    standardised_score: int | None
    title_scope: str | None
    promotion_level: int | None
    promotion_label: str | None


@dataclass(frozen=True, slots=True)
class SkillStandings:
    skill_id: int
    skill_name: str
    group: str
    occupation_code: str
    status: str
    provisional: bool
    named: bool
    modules: list[str]
    rows: list[StandingRow] = field(default_factory=list)
    under_review: bool = False  # 公示中: public, objections open until review_until
    review_until: datetime | None = None


def _ranked_entries(skill: Skill) -> list[Entry]:
    return list(
        Entry.objects.filter(skill=skill, status=EntryStatus.APPROVED)
        .select_related("unit")
        .prefetch_related(Prefetch("members", queryset=EntryMember.objects.select_related("person").order_by("id")))
        .order_by("workstation_no", "pk")
    )


def skill_standings(skill: Skill, *, names: bool, entries: list[Entry] | None = None,
                    sheets: dict[int, dict[int, Decimal]] | None = None, module_ids: list[int] | None = None,
                    module_codes: list[str] | None = None) -> SkillStandings:
    """The standings of one skill (DESIGN.md "Ranking", "Awards", "Titles", "Promotion"), by the pure functions
    from the cached totals; `names` says whether people and units are shown. The optional arguments let a caller
    that reads several skills pass what it loaded in bulk."""
    event = skill.event
    entries = _ranked_entries(skill) if entries is None else entries
    if module_ids is None or module_codes is None:
        modules = list(skill.scheme.modules.order_by("position", "id")) if hasattr(skill, "scheme") else []
        module_ids, module_codes = [m.pk for m in modules], [m.code for m in modules]
    if sheets is None:
        sheets = {}
        for entry_id, module_id, score in Sheet.objects.filter(entry__skill=skill).values_list(
            "entry_id", "module_id", "score"
        ):
            sheets.setdefault(entry_id, {})[module_id] = score
    by_id = {e.pk: e for e in entries}
    rank_entries = [
        ranking.RankEntry(
            contestant_id=e.pk, total=e.total, completion_time=e.completion_time, practical=e.practical,
            theory=e.theory_score,
            module_scores=tuple(sheets.get(e.pk, {}).get(mid, Decimal(0)) for mid in module_ids),
        )
        for e in entries
    ]
    placed = ranking.rank(rank_entries, tie_breaks(skill))
    given = awards.assign_awards(placed, award_rule(event, skill))
    proposed = {
        p.contestant_id: p.scope
        for p in titles.propose_titles(event.level, skill.group, skill.team_size, placed, min_total=event.min_total)  # type: ignore[arg-type]
    }
    rows = []
    for item, award in zip(placed, given, strict=True):
        entry = by_id[item.contestant_id]  # type: ignore[index]
        promoted = promotion.promotion_for(event.level, item.place, award.award, item.total,
                                           min_total=event.min_total)
        rows.append(StandingRow(
            entry_id=entry.pk,
            place=item.place,
            workstation_no=entry.workstation_no,
            names=[m.person.real_name or m.person.username for m in entry.members.all()] if names else None,
            unit=entry.unit.name if names else None,
            total=item.total,
            practical=scoring.round_total(entry.practical),
            theory=entry.theory_score,
            module_scores=[scoring.round_total(s) for s in item.entry.module_scores],  # type: ignore[arg-type]
            completion_time=entry.completion_time,
            award=award.award.value if award.award else None,
            award_label=labels.award_label(award.award),
            standardised_score=award.standardised_score,
            title_scope=proposed[entry.pk].value if entry.pk in proposed else None,
            promotion_level=int(promoted.level) if promoted else None,
            promotion_label=labels.level_label(promoted.level if promoted else None),
        ))
    published = skill.status in (Status.PUBLISHED, Status.ARCHIVED)
    return SkillStandings(
        skill_id=skill.pk, skill_name=skill.name, group=skill.group, occupation_code=skill.occupation_code,
        status=skill.status, provisional=not published, named=names, modules=module_codes, rows=rows,
        under_review=skill.status == Status.REVIEW, review_until=skill.review_until,
    )


@dataclass(frozen=True, slots=True)
class EventResults:
    event: Event
    jury: bool
    skills: list[SkillStandings]


PUBLIC_STATUSES = (Status.REVIEW, Status.PUBLISHED, Status.ARCHIVED)


def event_results(*, viewer: Any, event_id: int) -> EventResults:
    """Every skill's standings the viewer may see (module docstring); NotFound when there are none."""
    event = Event.objects.select_related("organizer").filter(pk=event_id).first()
    if event is None:
        raise NotFound()
    jury = is_jury(viewer, event)
    skills = list(
        Skill.objects.filter(event=event).select_related("event", "scheme").order_by("id")
    )
    shown = [
        s for s in skills
        if s.status in PUBLIC_STATUSES
        or (jury and status_index(s.status) >= status_index(Status.COMPETING))
    ]
    if not shown:
        raise NotFound()
    skill_ids = [s.pk for s in shown]
    all_entries = list(
        Entry.objects.filter(skill_id__in=skill_ids, status=EntryStatus.APPROVED)
        .select_related("unit")
        .prefetch_related(Prefetch("members", queryset=EntryMember.objects.select_related("person").order_by("id")))
        .order_by("workstation_no", "pk")
    )
    sheets: dict[int, dict[int, Decimal]] = {}
    for entry_id, module_id, score in Sheet.objects.filter(entry__skill_id__in=skill_ids).values_list(
        "entry_id", "module_id", "score"
    ):
        sheets.setdefault(entry_id, {})[module_id] = score
    from competitions.models import Module

    modules: dict[int, list[tuple[int, str]]] = {}
    for module_id, code, skill_id in Module.objects.filter(scheme__skill_id__in=skill_ids).order_by(
        "position", "id"
    ).values_list("pk", "code", "scheme__skill_id"):
        modules.setdefault(skill_id, []).append((module_id, code))
    out = []
    for skill in shown:
        published = skill.status in (Status.PUBLISHED, Status.ARCHIVED)
        names = published or skill.decrypted_at is not None
        skill_modules = modules.get(skill.pk, [])
        out.append(skill_standings(
            skill, names=names, entries=[e for e in all_entries if e.skill_id == skill.pk], sheets=sheets,
            module_ids=[m for m, _ in skill_modules], module_codes=[c for _, c in skill_modules],
        ))
    return EventResults(event, jury, out)


# --- full recomputation -------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MarkColumns:
    """A skill's stored marks as flat arrays, the way `competitions.domain.standings.scatter` takes them."""

    scheme: scoring.MarkingScheme
    entry_ids: list[int]
    theory: list[Decimal | None]
    aspect_ids: list[int]
    entry_index: Any
    aspect_index: Any
    units: Any

    @property
    def complete(self) -> bool:
        expected = len(self.entry_ids) * sum(a.referee_count for a in self.scheme.aspects)
        return bool(expected) and len(self.units) == expected


def load_mark_columns(skill: Skill) -> MarkColumns:
    """One values_list query for the marks (value already in units of 0.0001), mapped to array positions."""
    scheme = domain_scheme(skill.scheme, skill.theory_weight)
    entry_rows = list(
        Entry.objects.filter(skill=skill, status=EntryStatus.APPROVED).order_by("pk").values_list("pk", "theory_score")
    )
    aspect_ids = list(skill.scheme.aspects.order_by("module__position", "module_id", "position", "id")
                      .values_list("pk", flat=True))
    rows = Mark.objects.filter(entry__skill=skill, entry__status=EntryStatus.APPROVED).annotate(
        units=Round(Cast(F("value"), FloatField()) * standings.UNIT)
    ).values_list("entry_id", "aspect_id", "units")
    # 600,000 rows: the ORM's per-row iteration costs more than the query itself, so the compiled SQL is run on
    # a plain cursor and the tuples go straight into numpy.
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = np.array(cursor.fetchall(), dtype=np.int64).reshape(-1, 3)
    entry_ids = np.array([pk for pk, _ in entry_rows], dtype=np.int64)
    aspect_order = np.argsort(np.array(aspect_ids, dtype=np.int64))
    sorted_aspects = np.array(aspect_ids, dtype=np.int64)[aspect_order]
    return MarkColumns(
        scheme=scheme, entry_ids=entry_ids.tolist(), theory=[t for _, t in entry_rows], aspect_ids=aspect_ids,
        entry_index=np.searchsorted(entry_ids, columns[:, 0]),
        aspect_index=aspect_order[np.searchsorted(sorted_aspects, columns[:, 1])],
        units=columns[:, 2],
    )


def vector_standings(columns: MarkColumns) -> standings.VectorStandings:
    """The numpy full recomputation of complete score sets (competitions.domain.standings)."""
    scheme = columns.scheme
    referees = max((a.referee_count for a in scheme.aspects), default=1)
    values = standings.scatter(columns.entry_index, columns.aspect_index, columns.units,
                               (len(columns.entry_ids), len(columns.aspect_ids)), referees)
    theory = None
    if scheme.theory_weight is not None:
        theory = np.array([standings.to_units(t or Decimal(0)) for t in columns.theory], dtype=np.int64)
    return standings.vectorised_standings(scheme, values, theory)


def skill_full_recompute(skill: Skill) -> dict[int, Decimal]:
    """Every entry's ranking total recomputed from the stored marks (not the caches): the numpy path when every
    score set is complete (competitions.domain.standings), `scoring.compute_results` otherwise."""
    columns = load_mark_columns(skill)
    if columns.complete:
        result = vector_standings(columns)
        return {pk: standings.from_units(int(c), 2)
                for pk, c in zip(columns.entry_ids, result.total_cents.tolist(), strict=True)}
    codes = dict(Aspect.objects.filter(pk__in=columns.aspect_ids).values_list("pk", "code"))
    marks = [
        scoring.MarkEntry(e, codes[a], r, v)
        for e, a, r, v in Mark.objects.filter(entry__skill=skill, entry__status=EntryStatus.APPROVED).values_list(
            "entry_id", "aspect_id", "referee_id", "value"
        )
    ]
    theory_scores = None
    if columns.scheme.theory_weight is not None:
        theory_scores = {pk: t for pk, t in zip(columns.entry_ids, columns.theory, strict=True) if t is not None}
    computed = scoring.compute_results(columns.scheme, marks, theory_scores, contestant_ids=columns.entry_ids)
    return {pk: r.total for pk, r in computed.items()}  # type: ignore[misc]


# --- referees -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AssignmentView:
    skill_id: int
    skill_name: str
    event_id: int
    event_name: str
    role: str
    skill_status: str


def my_assignments(*, referee: User) -> list[AssignmentView]:
    if not (can(referee, Action.MARK_ENTER) or can(referee, Action.SHEET_SIGN_OFF)):
        return []
    return [
        AssignmentView(a.skill_id, a.skill.name, a.skill.event_id, a.skill.event.name, a.role, a.skill.status)
        for a in RefereeAssignment.objects.filter(referee=referee).select_related("skill__event").order_by("-id")
    ]


@dataclass(frozen=True, slots=True)
class CellView:
    """One aspect of one workstation as a referee sees it."""

    aspect_id: int
    aspect_code: str
    my_value: Decimal | None
    others: list[Decimal] | None  # None: hidden until my own score is in (private entry)
    may_mark: bool
    refusal: str | None


@dataclass(frozen=True, slots=True)
class WorkstationView:
    entry_id: int
    workstation_no: str
    cells: list[CellView]


@dataclass(frozen=True, slots=True)
class AspectView:
    id: int
    code: str
    module: str
    description: str
    method: str
    method_label: str
    max_mark: Decimal
    referee_count: int


@dataclass(frozen=True, slots=True)
class MarkingSheetView:
    skill_id: int
    skill_name: str
    status: str
    aspects: list[AspectView]
    workstations: list[WorkstationView]


def _cell_refusal(refusal: DomainError | None) -> str | None:
    """Why a cell of the marking page is closed. A recusal's own reason (same unit, declared relationship) would
    tell the referee which workstation holds a contestant of their unit, which the second encryption exists to
    hide, so the page only says another referee marks it; a direct attempt still gets the full reason."""
    if refusal is None:
        return None
    if refusal.code in {"mark.recused", "mark.not_assigned"}:
        return str(_("由其他裁判评判。"))
    return refusal.message


def marking_sheet(*, referee: User, skill: Skill) -> MarkingSheetView:
    """What a referee marks in a skill: workstations (工位号 only) × their assigned aspects, with their own values
    and, after their own entry, the other panel members' values (module docstring)."""
    require(referee, Action.MARK_ENTER)
    if skill.pk not in access.assigned_skill_ids(referee):
        raise NotFound()
    candidates = access.skill_candidates(skill)
    aspects = list(skill.scheme.aspects.select_related("module").order_by("module__position", "position", "id"))
    dom = {a.pk: domain_aspect(a) for a in aspects}
    entries = list(
        Entry.objects.filter(skill=skill, status=EntryStatus.APPROVED).exclude(workstation_no="")
        .select_related("skill").order_by("workstation_no")
    )
    values: dict[tuple[int, int], dict[int, Decimal]] = {}
    for entry_id, aspect_id, referee_id, value in Mark.objects.filter(entry__in=entries).values_list(
        "entry_id", "aspect_id", "referee_id", "value"
    ):
        values.setdefault((entry_id, aspect_id), {})[referee_id] = value
    members: dict[int, set[int]] = {}
    for entry_id, person_id in EntryMember.objects.filter(entry__in=entries).values_list("entry_id", "person_id"):
        members.setdefault(entry_id, set()).add(person_id)
    mine = next((c for c in candidates if c.assignment.referee_id == referee.pk), None)
    my_aspects = [a for a in aspects if mine is not None and access.covers(mine.assignment, a, None)]
    rows = []
    for entry in entries:
        member_ids = frozenset(members.get(entry.pk, ()))
        cells = []
        for aspect in my_aspects:
            scores = values.get((entry.pk, aspect.pk), {})
            refusal = access.mark_refusal(referee, entry, aspect, dom[aspect.pk].referee_count, candidates,
                                          member_ids=member_ids)
            my_value = scores.get(referee.pk)
            others = [v for r, v in scores.items() if r != referee.pk]
            cells.append(CellView(
                aspect.pk, aspect.code, my_value,
                others if (my_value is not None or not aspect.is_judgement) else None,
                refusal is None, _cell_refusal(refusal),
            ))
        rows.append(WorkstationView(entry.pk, entry.workstation_no, cells))
    return MarkingSheetView(
        skill.pk, skill.name, skill.status,
        [AspectView(a.pk, a.code, a.module.code, a.description, a.method, str(a.get_method_display()), a.max_mark,
                    dom[a.pk].referee_count) for a in my_aspects],
        rows,
    )


def aspect_scores(*, referee: User, entry: Entry, aspect: Aspect) -> list[Decimal]:
    """The panel's scores of one aspect of one entry for a referee: refused before their own (private entry)."""
    if access.mark_refusal(referee, entry, aspect, domain_aspect(aspect).referee_count) is not None:
        raise NotFound()
    scores = dict(Mark.objects.filter(entry=entry, aspect=aspect).values_list("referee_id", "value"))
    if aspect.is_judgement and referee.pk not in scores:
        raise PermissionDenied("mark.scores_hidden")
    return list(scores.values())


def my_marks(*, referee: User, skill: Skill | None = None) -> QuerySet[Mark]:
    marks = Mark.objects.filter(referee=referee).select_related("aspect", "entry").order_by("-updated_at")
    return marks.filter(entry__skill=skill) if skill is not None else marks


# --- chief referees -----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SheetView:
    sheet_id: int
    entry_id: int
    workstation_no: str
    module: str
    status: str
    score: Decimal
    incomplete: list[str]
    divergent: list[str]
    confirmed: dict[str, str]


def chief_sheets(*, chief: User, skill: Skill) -> list[SheetView]:
    """Every sheet of the skill with what blocks its sign-off (incomplete and divergent aspects)."""
    from competitions.services.marking import sheet_state

    access.require_chief(chief, skill)
    out = []
    for sheet in Sheet.objects.filter(entry__skill=skill, entry__status=EntryStatus.APPROVED).select_related(
        "entry", "module"
    ).order_by("entry__workstation_no", "module__position"):
        state = sheet_state(sheet)
        out.append(SheetView(
            sheet.pk, sheet.entry_id, sheet.entry.workstation_no, sheet.module.code, sheet.status, sheet.score,
            list(state.incomplete), list(state.divergent),
            {code: value["reason"] for code, value in sheet.confirmed_divergences.items()},
        ))
    return out


# --- contestants, coaches, units ----------------------------------------------------------------------------------


def my_entries(*, person: User) -> QuerySet[Entry]:
    """Entries where the person competes or coaches."""
    return (
        Entry.objects.filter(Q(members__person=person) | Q(coaches__person=person))
        .select_related("skill__event", "unit").distinct().order_by("-skill__event__starts_on", "pk")
    )


def entries_visible(*, viewer: Any, skill: Skill) -> QuerySet[Entry]:
    """A skill's registrations: all of them for its organizer, a unit's own for the unit's staff."""
    qs = Entry.objects.filter(skill=skill).select_related("unit").prefetch_related("members__person").order_by("pk")
    if can(viewer, Action.ENTRY_REVIEW, skill.event):
        return qs
    return filter_allowed(viewer, Action.ENTRY_VIEW, qs, unit_field="unit")


def skills_of(event: Event) -> Iterable[Skill]:
    return event.skills.select_related("event").order_by("id")


def chief_skill_ids(user: User) -> set[int]:
    if not can(user, Action.SHEET_SIGN_OFF):
        return set()
    return set(RefereeAssignment.objects.filter(referee=user, role=RefereeRole.CHIEF).values_list("skill_id",
                                                                                                 flat=True))
