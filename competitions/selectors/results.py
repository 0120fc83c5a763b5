"""Standings and results, shared by pages, API and exports, with the reader's masking applied here.

Who sees what:
- Results of a skill: public (names and units, never ID numbers) from the review period (成绩公示) on, marked as
  under review until published: 公示 means exactly that the provisional results are shown to everyone, so that
  anyone may raise a real-name objection within the period. Provisional for the jury alone (organizer staff and
  chief referees of the organizer, the platform admin) from the competition on, showing names only after
  decryption and 工位号 before; hidden (404) from everyone else before review.

Standings are derived from the entries' cached totals and module scores by the pure ranking, awards, titles and
promotion functions (`ranked_entries`), and stored as the skill's standings snapshot, which the API, the pages and a
contestant's own results read (competitions.selectors.standings: `event_results`, `my_entry_results`).
`skill_full_recompute` recomputes the totals from the stored marks instead (the check of the caches).

What readers get is `StandingView`, which has no entry id (before decryption it would say who sits at which
workstation): `skill_standings` and `event_results` for the API and the pages, and `my_entry_results` and
`official_results` built from them for a contestant and for the jury's export. The entry of each place stays
in `RankedEntry` (`ranked_entries`), for the platform's own use.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Annotated, Any

import numpy as np
from django.db import connection
from django.db.models import BigIntegerField, F, FloatField, Prefetch
from django.db.models.functions import Cast, Round
from django.utils import timezone
from pydantic import Field

from accounts.identity import InvalidIdNumber, Sex, parse_id_number, shown_id_number
from accounts.permissions import require
from competitions import labels
from competitions.adapters import award_rule, domain_scheme, tie_breaks
from competitions.domain import awards, eligibility, promotion, ranking, scoring, standings, titles
from competitions.models import (
    Aspect,
    Entry,
    EntryMember,
    EntryStatus,
    Event,
    Mark,
    Skill,
    Status,
    TitleProposal,
)
from competitions.permissions import Action
from competitions.selectors.events import may_see_numbers, skills_of
from core.errors import Conflict


@dataclass(frozen=True, slots=True)
class StandingView:
    """One place of a skill's standings as every reader sees it: by 工位号, and by name once the reader may know
    who it is. The entry itself is not here: before decryption it would tell who sits at which workstation."""

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
    promotion_label: str | None


@dataclass(frozen=True, slots=True)
class RankedEntry:
    """A place of the standings with the entry it belongs to, for the platform's own use (title proposals,
    nominations, a contestant's own result, the official export): never handed to a reader as it is."""

    entry_id: int
    promotion_level: int | None
    standing: StandingView


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
    rows: list[StandingView]
    under_review: Annotated[bool, Field(description="成绩公示中：公开，公示期内可实名提出异议")] = False
    review_until: datetime | None = None


def _ranked_entries(skill: Skill) -> list[Entry]:
    return list(
        Entry.objects.filter(skill=skill, status=EntryStatus.APPROVED)
        .select_related("unit")
        .prefetch_related(Prefetch("members", queryset=EntryMember.objects.select_related("person").order_by("id")))
        .order_by("workstation_no", "pk")
    )


def _module_scores(entry: Entry) -> dict[int, Decimal]:
    """Module id → the module's cached score (`Entry.module_scores`)."""
    return {int(module_id): Decimal(score) for module_id, score in entry.module_scores.items()}


def _modules(skill: Skill) -> tuple[list[int], list[str]]:
    modules = list(skill.scheme.modules.order_by("position", "id")) if hasattr(skill, "scheme") else []
    return [m.pk for m in modules], [m.code for m in modules]


def ranked_entries(skill: Skill, *, names: bool, entries: list[Entry] | None = None,
                   sheets: dict[int, dict[int, Decimal]] | None = None,
                   module_ids: list[int] | None = None) -> list[RankedEntry]:
    """The standings of one skill (DESIGN.md "Ranking", "Awards", "Titles", "Promotion"), by the pure functions
    from the cached totals, each place with its entry; `names` says whether people and units are shown. The
    optional arguments let a caller that reads several skills pass what it loaded in bulk."""
    event = skill.event
    entries = _ranked_entries(skill) if entries is None else entries
    if module_ids is None:
        module_ids, _codes = _modules(skill)
    if sheets is None:
        sheets = {e.pk: _module_scores(e) for e in entries}
    by_id: dict[Hashable, Entry] = {e.pk: e for e in entries}  # keyed as the domain keys a contestant
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
        for p in titles.propose_titles(event.level, eligibility.Group(skill.group), skill.team_size, placed,
                                       min_total=event.min_total)
    }
    rows = []
    for item, award in zip(placed, given, strict=True):
        entry = by_id[item.contestant_id]
        promoted = promotion.promotion_for(event.level, item.place, award.award, item.total,
                                           min_total=event.min_total)
        rows.append(RankedEntry(entry_id=entry.pk, promotion_level=int(promoted.level) if promoted else None,
                                standing=StandingView(
            place=item.place,
            workstation_no=entry.workstation_no,
            names=[str(m.person) for m in entry.members.all()] if names else None,
            unit=entry.unit.name if names else None,
            total=item.total,
            practical=scoring.round_total(entry.practical),
            theory=entry.theory_score,
            # RankEntry allows a missing module score (None); these were built above with Decimal(0) for a missing one.
            module_scores=[scoring.round_total(s) for s in item.entry.module_scores],  # type: ignore[arg-type]
            completion_time=entry.completion_time,
            award=award.award.value if award.award else None,
            award_label=labels.award_label(award.award),
            standardised_score=award.standardised_score,
            title_scope=proposed[entry.pk].value if entry.pk in proposed else None,
            promotion_label=labels.level_label(promoted.level if promoted else None),
        )))
    return rows


def skill_standings(skill: Skill, *, names: bool, entries: list[Entry] | None = None,
                    sheets: dict[int, dict[int, Decimal]] | None = None, module_ids: list[int] | None = None,
                    module_codes: list[str] | None = None) -> SkillStandings:
    """The standings of one skill as a reader sees them (`ranked_entries` without the entries)."""
    if module_ids is None or module_codes is None:
        module_ids, module_codes = _modules(skill)
    ranked = ranked_entries(skill, names=names, entries=entries, sheets=sheets, module_ids=module_ids)
    published = skill.status in (Status.PUBLISHED, Status.ARCHIVED)
    return SkillStandings(
        skill_id=skill.pk, skill_name=skill.name, group=skill.group, occupation_code=skill.occupation_code,
        status=skill.status, provisional=not published, named=names, modules=module_codes,
        rows=[r.standing for r in ranked], under_review=skill.status == Status.REVIEW,
        review_until=skill.review_until,
    )


@dataclass(frozen=True, slots=True)
class EventResults:
    event_id: int
    event_name: str
    provisional: Annotated[bool, Field(description="任一赛项为暂定成绩（评委可见）时为 true")]
    skills: list[SkillStandings]


PUBLIC_STATUSES = (Status.REVIEW, Status.PUBLISHED, Status.ARCHIVED)


@dataclass(frozen=True, slots=True)
class MyEntryView:
    """One of a person's own entries (as contestant or coach), with their place, total and award from the
    review period (公示) on, as the public sees them: what "my competitions" shows and `GET my/entries` returns.
    `may_object`: the entry is approved and its results are under review, so the person may file a real-name
    objection (DESIGN.md "Competitions", publication)."""

    id: int
    event_id: int
    event_name: str
    skill_id: int
    skill_name: str
    skill_status: str
    status: str
    status_label: str
    published: bool
    review_until: datetime | None
    may_object: bool
    place: int | None
    total: Decimal | None
    award_label: str | None


@dataclass(frozen=True, slots=True)
class OfficialResultLine:
    """One person of the official results (正式成绩) as the jury's export writes them: the ID number masked unless
    `may_see_numbers`; the sex read from the unmasked number (None when it is not a valid one)."""

    place: int
    name: str
    sex: Sex | None
    id_number: str
    unit: str
    event: str
    skill: str
    group: str
    theory: Decimal | None
    practical: Decimal
    total: Decimal
    award: str | None
    standardised_score: int | None
    title_scope: str | None
    title_approved: bool
    promotion_level: int | None


def _sex(id_number: str) -> Sex | None:
    try:
        return parse_id_number(id_number, today=timezone.localdate()).sex
    except InvalidIdNumber:
        return None


def official_results(*, viewer: Any, event: Event, skill: Skill | None = None) -> list[OfficialResultLine]:
    """The official results of one skill, or of every skill of the event whose names are known (decrypted or
    published), one line per person; for the jury of the event (organizer staff, its chief referees, the platform
    admin). Conflict when no skill's names are known yet."""
    require(viewer, Action.COMPETITION_JURY_VIEW, event)
    skills = [Skill.objects.select_related("event").get(pk=skill.pk)] if skill is not None \
        else list(skills_of(event))
    named = [s for s in skills if s.decrypted_at is not None or s.status in (Status.PUBLISHED, Status.ARCHIVED)]
    if not named:
        raise Conflict("export.not_decrypted", {"skill": "、".join(s.name for s in skills)})
    lines: list[OfficialResultLine] = []
    for s in named:
        lines += _official_lines(viewer, s)
    return lines


def _official_lines(viewer: Any, skill: Skill) -> list[OfficialResultLine]:
    entries = list(
        Entry.objects.filter(skill=skill, status=EntryStatus.APPROVED)
        .select_related("unit", "skill__event")
        .prefetch_related(Prefetch("members", queryset=EntryMember.objects.select_related("person").order_by("id")))
        .order_by("workstation_no", "pk")
    )
    by_id = {e.pk: e for e in entries}
    approved = set(
        TitleProposal.objects.filter(entry__skill=skill, approved_at__isnull=False).values_list("entry_id", "person_id")
    )
    lines = []
    for ranked in ranked_entries(skill, names=True, entries=entries):
        standing, entry = ranked.standing, by_id[ranked.entry_id]
        for member in entry.members.all():
            person = member.person
            full = may_see_numbers(viewer, entry, person)
            lines.append(OfficialResultLine(
                place=standing.place, name=str(person), sex=_sex(person.id_number),
                id_number=shown_id_number(person.id_number, full=full),
                unit=entry.unit.name, event=skill.event.name, skill=skill.name, group=skill.group,
                theory=standing.theory, practical=standing.practical, total=standing.total, award=standing.award,
                standardised_score=standing.standardised_score, title_scope=standing.title_scope,
                title_approved=(entry.pk, person.pk) in approved, promotion_level=ranked.promotion_level,
            ))
    return lines


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


def _int_columns(sql: str, params: Any, width: int) -> Any:
    """The rows of a query of `width` NOT NULL integer columns `c0`, `c1`, … as an int64 array (rows × width).
    PostgreSQL: each column aggregated into one array, sent as text and parsed by numpy (600,000 tuples as Python
    objects cost more than the query); elsewhere, the tuples."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            arrays = ", ".join(f"array_agg(q.c{i})::text" for i in range(width))
            cursor.execute(f"SELECT {arrays} FROM ({sql}) q", params)  # noqa: S608 - the ORM's own SQL
            texts = cursor.fetchone()
            if texts is None or texts[0] is None:
                return np.zeros((0, width), dtype=np.int64)
            return np.stack([np.fromstring(t[1:-1], dtype=np.int64, sep=",") for t in texts], axis=1)
        cursor.execute(sql, params)
        return np.array(cursor.fetchall(), dtype=np.int64).reshape(-1, width)


def load_mark_columns(skill: Skill) -> MarkColumns:
    """One values_list query for the marks (value already in units of 0.0001), mapped to array positions."""
    scheme = domain_scheme(skill.scheme, skill.theory_weight)
    entry_rows = list(
        Entry.objects.filter(skill=skill, status=EntryStatus.APPROVED).order_by("pk").values_list("pk", "theory_score")
    )
    aspect_ids = list(skill.scheme.aspects.order_by("module__position", "module_id", "position", "id")
                      .values_list("pk", flat=True))
    rows = Mark.objects.filter(entry__skill=skill, entry__status=EntryStatus.APPROVED).annotate(
        c0=F("entry_id"), c1=F("aspect_id"),
        c2=Cast(Round(Cast(F("value"), FloatField()) * standings.UNIT), BigIntegerField()),
    ).values_list("c0", "c1", "c2")
    # 600,000 rows: the ORM's per-row iteration costs more than the query itself, so the compiled SQL is run on
    # a plain cursor and the tuples go straight into numpy.
    sql, params = rows.query.sql_with_params()
    columns = _int_columns(sql, params, 3)
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
    # The domain keys a contestant by any Hashable; `contestant_ids=columns.entry_ids` makes them the Entry pks.
    return {pk: r.total for pk, r in computed.items()}  # type: ignore[misc]
