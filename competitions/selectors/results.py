"""Standings and results, shared by pages, API and exports, with the reader's masking applied here.

Who sees what:
- Results of a skill: public (names and units, never ID numbers) from the review period (成绩公示) on, marked as
  under review until published: 公示 means exactly that the provisional results are shown to everyone, so that
  anyone may raise a real-name objection within the period. Provisional for the jury alone (organizer staff and
  chief referees of the organizer, the platform admin) from the competition on, showing names only after
  decryption and 工位号 before; hidden (404) from everyone else before review.

Standings are derived from the entries' cached totals and module scores by the pure ranking, awards, titles and
promotion functions. `skill_full_recompute` recomputes them from the stored marks instead (the check of the caches).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
from django.db import connection
from django.db.models import F, FloatField, Prefetch
from django.db.models.functions import Cast, Round

from competitions import labels
from competitions.adapters import award_rule, domain_scheme, tie_breaks
from competitions.domain import awards, promotion, ranking, scoring, standings, titles
from competitions.models import (
    Aspect,
    Entry,
    EntryMember,
    EntryStatus,
    Event,
    Mark,
    Sheet,
    Skill,
    Status,
    status_index,
)
from competitions.selectors.events import is_jury
from core.errors import NotFound


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
