"""Standings and results, shared by pages, API and exports, with the reader's masking applied here.

Who sees what:
- Results of a skill: public (names and units, never ID numbers) from the review period (成绩公示) on, marked as
  under review until published: 公示 means exactly that the provisional results are shown to everyone, so that
  anyone may raise a real-name objection within the period. Provisional for the jury alone (organizer staff and
  chief referees of the organizer, the platform admin) from the competition on, showing names only after
  decryption; before it, what each of them gets is below ("Before decryption"); hidden (404) from everyone else
  before review.

**Before decryption** (issue 9 item 1; the choice, where DESIGN.md says only "names before decryption removed"):
the theory score, the completion time and a withdrawal are recorded by name, on the organizer's side (the theory
page, the registrations), while standings are per 工位号. A per-workstation list whose total carries theory × w, whose
tie-break shows the completion time, or from which a withdrawn entry drops out, would tell whoever recorded them
which workstation is whose. So, as real competitions do before 解密, until the skill is decrypted:
- the skill's jury for 工位号 (its referees and chief referees, its encryption officer:
  competitions.selectors.anonymity.workstation_jury_of) gets the practical standings the sign-off needs
  (`ResultsShown.PRACTICAL`, `practical_standings`): ranked by the practical part, then by the modules in reverse
  order if the skill's tie-breaks list them, with no theory score, no completion time and no award, title or
  promotion, which follow the total;
- everyone else who may see the provisional standings, the organizer's staff and the platform admin included, gets
  how far marking is and no row per workstation (`ResultsShown.PROGRESS`, `MarkingProgress`), counted over every
  entry that drew a 工位号, so a withdrawal after the draw moves nothing they read.
From decryption (and the review period, which follows it) on, the standings are shown whole (`ResultsShown.FULL`).

Standings are derived from the entries' cached totals and module scores by the pure ranking, awards, titles and
promotion functions (`ranked_entries`), and stored as the skill's standings snapshot, which the API, the pages and a
contestant's own results read (competitions.selectors.standings: `event_results`, `my_entry_results`).
`skill_full_recompute` recomputes the totals from the stored marks instead (the check of the caches).

Published results are frozen (competitions.services.results): once a skill is published, every reader above gets
its latest `PublishedResults` document (`published_standings`, `_published_lines`), never the snapshot, so names,
units and figures stay as they were published until an approved correction stores the next version. Where totals
tie, each row carries the deciding tie-break and its values (`TieView`, competitions.domain.ties); modules come with
their names.

What readers get is `StandingView`, which has no entry id (before decryption it would say who sits at which
workstation): `skill_standings` and `event_results` for the API and the pages, and `my_entry_results` and
`official_results` built from them for a contestant and for the jury's export. The entry of each place stays
in `RankedEntry` (`ranked_entries`), for the platform's own use.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

import numpy as np
from django.db import connection
from django.db.models import BigIntegerField, F, FloatField, Prefetch
from django.db.models.functions import Cast, Round
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import Field

from accounts.identity import InvalidIdNumber, Sex, parse_id_number, shown_id_number
from accounts.models import User
from accounts.permissions import require
from certification.domain.ladder import SkillLevel
from certification.selectors.levels import held_levels
from competitions import labels
from competitions.adapters import award_rule, domain_scheme, tie_breaks
from competitions.domain import awards, eligibility, promotion, ranking, scoring, standings, ties, titles
from competitions.domain.awards import AwardCode
from competitions.models import (
    Aspect,
    Entry,
    EntryMember,
    EntryStatus,
    Event,
    Mark,
    Module,
    PublishedResults,
    Skill,
    Status,
    TitleProposal,
    status_index,
)
from competitions.permissions import Action
from competitions.selectors.events import is_jury, may_see_numbers, skills_of
from core.errors import Conflict


@dataclass(frozen=True, slots=True)
class TieView:
    """Why a tied total got its place (competitions.domain.ties): the keys compared, in the skill's order, this
    row's values of them, and the key that put it below the row above (None: first of its tie, or sharing its
    place)."""

    keys: list[str]
    values: list[str]
    decided_by: str | None
    shares_place: bool

    @property
    def pairs(self) -> list[tuple[str, str]]:
        return list(zip(self.keys, self.values, strict=True))


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
    tie: TieView | None = None
    # Recorded absent from the theory part (缺考): counts 0 and is shown as 缺考 (DESIGN.md "Marking scheme").
    theory_absent: bool = False


@dataclass(frozen=True, slots=True)
class RankedEntry:
    """A place of the standings with the entry it belongs to, for the platform's own use (title proposals,
    nominations, a contestant's own result, the official export): never handed to a reader as it is."""

    entry_id: int
    promotion_level: int | None
    standing: StandingView


@dataclass(frozen=True, slots=True)
class ResultsCorrectionView:
    """A version of published results made by an approved correction (更正), as the results say it."""

    version: int
    published_at: datetime
    reason: str


class ResultsShown(StrEnum):
    """How much of a skill's standings one reader gets (module docstring, "Before decryption")."""

    FULL = "full"  # every figure: by name once decrypted, or in review and after
    PRACTICAL = "practical"  # the skill's jury before decryption: by 工位号, the practical part alone
    PROGRESS = "progress"  # anyone else before decryption: how far marking is, no row per workstation


@dataclass(frozen=True, slots=True)
class MarkingProgress:
    """How far a skill's marking is, as its organizer sees it before decryption: counted over every entry that drew
    a 工位号, whatever became of it since (a withdrawal after the draw changes nothing here)."""

    workstations: int
    sheets: int
    signed_off: int


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
    module_names: Annotated[list[str], Field(description="模块名称，与 modules 的编号一一对应")] = field(
        default_factory=list)
    tie_breaks: Annotated[list[str], Field(description="并列区分规则，按顺序")] = field(default_factory=list)
    review_from: datetime | None = None
    published_at: datetime | None = None
    published_version: Annotated[int | None, Field(description="公布成绩的版本：1 为公布，之后每次更正加 1")] = None
    corrections: Annotated[list[ResultsCorrectionView], Field(description="公布后经审批的更正")] = field(
        default_factory=list)
    shown: Annotated[ResultsShown, Field(
        description="full：全部成绩；practical：解密前评委所见，仅实操成绩，按工位号；progress：解密前其他人所见，"
                    "仅评分进度，不列工位")] = ResultsShown.FULL
    progress: MarkingProgress | None = None

    @property
    def module_heads(self) -> list[tuple[str, str]]:
        """(code, name) of each module, for the pages."""
        names = self.module_names or [""] * len(self.modules)
        return list(zip(self.modules, names, strict=True))

    @property
    def has_ties(self) -> bool:
        return any(r.tie is not None for r in self.rows)


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
    held = members_held(skill, entries)
    rows = []
    for item, award in zip(placed, given, strict=True):
        entry = by_id[item.contestant_id]
        promoted = promotion.promotion_for(event.level, item.place, award.award, item.total,
                                           held=row_held(entry, held), min_total=event.min_total)
        rows.append(RankedEntry(entry_id=entry.pk, promotion_level=int(promoted.level) if promoted else None,
                                standing=StandingView(
            place=item.place,
            workstation_no=entry.workstation_no,
            names=[str(m.person) for m in entry.members.all()] if names else None,
            unit=entry.unit.name if names else None,
            total=item.total,
            practical=scoring.round_total(entry.practical),
            theory=entry.theory_score,
            theory_absent=bool(entry.theory_absent_reason),
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


def members_held(skill: Skill, entries: Sequence[Entry]) -> dict[int, SkillLevel]:
    """Person id → the level each contestant holds in the skill's linked occupation as it stands on the
    competition's last day (DESIGN.md "Promotion"), from certification's one selector, in one query; empty, with no
    query, when the skill is linked to no occupation. Promotions this skill's own results gave are left out: the
    level held before the competition is what promotes."""
    if skill.occupation_id is None:
        return {}
    return held_levels([m.person_id for e in entries for m in e.members.all()], skill.occupation_id,
                       on=skill.event.ends_on, excluding=list(entries))


def row_held(entry: Entry, held: dict[int, SkillLevel]) -> SkillLevel | None:
    """The held level a row's promotion is computed from: the member's for an individual; for a team, that of the
    member who holds least (None when any holds nothing), so the row shows the promotion the table gives; each
    member's own promotion is computed from their own level when it is recorded (competitions.services.results)."""
    levels = [held.get(m.person_id) for m in entry.members.all()]
    if not levels or any(level is None for level in levels):
        return None
    return max(level for level in levels if level is not None)


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
    theory_absent: bool = False  # 缺考: the export writes it instead of a score


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
        published = latest_published(s.pk) if s.status in (Status.PUBLISHED, Status.ARCHIVED) else None
        lines += _official_lines(viewer, s) if published is None else _published_lines(viewer, s, published)
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
                theory_absent=standing.theory_absent,
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


# --- tie-breaks, module names, published results (issue 9 item 3, issue 10 item 5) ---------------------------------
#
# Published results are frozen at publication (competitions.services.results): from then on the pages, the API, the
# exports and a contestant's own results read the skill's latest `PublishedResults` document, never the standings
# snapshot, which keeps following the entries (and the people's and units' names) for the platform's own checks.

TIE_KEY_LABELS: dict[ranking.TieBreak, Promise] = {
    ranking.TieBreak.COMPLETION_TIME: gettext_lazy("用时"),
    ranking.TieBreak.PRACTICAL: gettext_lazy("实操成绩"),
    ranking.TieBreak.THEORY: gettext_lazy("理论成绩"),
}
TIE_BREAK_LABELS: dict[ranking.TieBreak, Promise] = {
    ranking.TieBreak.COMPLETION_TIME: gettext_lazy("用时短者列前"),
    ranking.TieBreak.PRACTICAL: gettext_lazy("实操成绩高者列前"),
    ranking.TieBreak.THEORY: gettext_lazy("理论成绩高者列前"),
    ranking.TieBreak.MODULES_REVERSE: gettext_lazy("按模块倒序比较模块成绩"),
}

Stored = dict[str, Any]


def tie_key_label(tie_break: str, module: str | None, module_names: dict[str, str]) -> str:
    """A compared key as a reader reads it: 用时, 实操成绩, 理论成绩, or 模块 M2 焊缝外观 for a module's score."""
    if module is not None:
        return _("模块 %(code)s %(name)s") % {"code": module, "name": module_names.get(module, "")}
    return str(TIE_KEY_LABELS[ranking.TieBreak(tie_break)])


def tie_break_labels(codes: Sequence[str]) -> list[str]:
    return [str(TIE_BREAK_LABELS[ranking.TieBreak(code)]) for code in codes]


def tie_documents(rows: Sequence[StandingView], tie_break_codes: Sequence[str],
                  module_codes: Sequence[str]) -> list[Stored | None]:
    """The tie notes of rows in ranking order (competitions.domain.ties), in their stored form: keys as
    [tie-break, module code or None]."""
    placed = [
        ranking.Placed(r.place, ranking.RankEntry(
            contestant_id=i, total=r.total, completion_time=r.completion_time, practical=r.practical,
            theory=r.theory, module_scores=tuple(r.module_scores),
        ))
        for i, r in enumerate(rows)
    ]
    notes = ties.tie_notes(placed, [ranking.TieBreak(c) for c in tie_break_codes], module_codes)
    return [
        None if note is None else {
            "keys": [[k.tie_break.value, k.module] for k in note.keys], "values": list(note.values),
            "decided_by": None if note.decided_by is None else [note.decided_by.tie_break.value,
                                                                note.decided_by.module],
            "shares_place": note.shares_place,
        }
        for note in notes
    ]


def tie_view(stored: Stored | None, module_names: dict[str, str]) -> TieView | None:
    if stored is None:
        return None
    decided = stored["decided_by"]
    return TieView(
        keys=[tie_key_label(code, module, module_names) for code, module in stored["keys"]],
        values=list(stored["values"]),
        decided_by=None if decided is None else tie_key_label(decided[0], decided[1], module_names),
        shares_place=bool(stored["shares_place"]),
    )


def tie_break_codes(skill: Skill) -> list[str]:
    return [t.value for t in tie_breaks(skill)]


def module_names_of(skill_ids: Sequence[int]) -> dict[int, dict[str, str]]:
    """Skill id → module code → module name, one query for every skill."""
    names: dict[int, dict[str, str]] = {pk: {} for pk in skill_ids}
    for skill_id, code, name in Module.objects.filter(scheme__skill_id__in=list(skill_ids)).values_list(
        "scheme__skill_id", "code", "name"
    ):
        names.setdefault(skill_id, {})[code] = name
    return names


def live_standings(skill: Skill, *, modules: list[str], module_names: dict[str, str], rows: list[StandingView],
                   named: bool) -> SkillStandings:
    """A skill's standings before publication, from its snapshot rows: with the modules' names and the deciding
    tie-break of every tied total."""
    codes = tie_break_codes(skill)
    notes = tie_documents(rows, codes, modules)
    return SkillStandings(
        skill_id=skill.pk, skill_name=skill.name, group=skill.group, occupation_code=skill.occupation_code,
        status=skill.status, provisional=skill.status not in (Status.PUBLISHED, Status.ARCHIVED), named=named,
        modules=list(modules), rows=[replace(r, tie=tie_view(n, module_names)) for r, n in zip(rows, notes,
                                                                                              strict=True)],
        under_review=skill.status == Status.REVIEW, review_until=skill.review_until,
        module_names=[module_names.get(code, "") for code in modules], tie_breaks=tie_break_labels(codes),
        review_from=skill.review_from,
    )


# Before decryption the jury ranks the practical part alone: theory and completion time are recorded by name, so they
# are left out of the ranking and of its tie-breaks, and the practical tie-break would repeat the ranked score itself
# (module docstring, "Before decryption"): of the skill's list, the modules in reverse order remain.
PRACTICAL_TIE_BREAKS = frozenset({ranking.TieBreak.MODULES_REVERSE})


def practical_standings(skill: Skill, *, modules: list[str], module_names: dict[str, str],
                        rows: Sequence[dict[str, Any]]) -> SkillStandings:
    """The jury's standings of a skill before decryption, from its snapshot rows: each workstation ranked by its
    practical score (then, if the skill's list has it, its modules in reverse order), with no theory score, no
    completion time, and no award, title or promotion (which follow the total)."""
    codes = [c for c in tie_break_codes(skill) if ranking.TieBreak(c) in PRACTICAL_TIE_BREAKS]
    tie_order = [ranking.TieBreak(c) for c in codes]
    entries = [
        ranking.RankEntry(contestant_id=i, total=Decimal(r["practical"]), completion_time=None,
                          practical=Decimal(r["practical"]), theory=None,
                          module_scores=tuple(Decimal(m) for m in r["module_scores"]))
        for i, r in enumerate(rows)
    ]
    by_id: dict[Hashable, dict[str, Any]] = dict(enumerate(rows))
    placed = ranking.rank(entries, tie_order)
    views = [
        StandingView(
            place=p.place, workstation_no=by_id[p.contestant_id]["workstation_no"], names=None, unit=None,
            total=scoring.round_total(p.entry.total), practical=scoring.round_total(p.entry.total),
            theory=None, module_scores=[Decimal(m) for m in by_id[p.contestant_id]["module_scores"]],
            completion_time=None, award=None, award_label=None, standardised_score=None, title_scope=None,
            promotion_label=None,
        )
        for p in placed
    ]
    # With no tie-break left, equal scores simply share a place: no note to show for them.
    notes = tie_documents(views, codes, modules) if codes else [None] * len(views)
    return SkillStandings(
        skill_id=skill.pk, skill_name=skill.name, group=skill.group, occupation_code=skill.occupation_code,
        status=skill.status, provisional=True, named=False, modules=list(modules),
        rows=[replace(v, tie=tie_view(n, module_names)) for v, n in zip(views, notes, strict=True)],
        module_names=[module_names.get(code, "") for code in modules], tie_breaks=tie_break_labels(codes),
        shown=ResultsShown.PRACTICAL,
    )


def progress_standings(skill: Skill, progress: MarkingProgress) -> SkillStandings:
    """A skill before decryption as a reader off its jury sees it: how far marking is, and no row."""
    return SkillStandings(
        skill_id=skill.pk, skill_name=skill.name, group=skill.group, occupation_code=skill.occupation_code,
        status=skill.status, provisional=True, named=False, modules=[], rows=[], shown=ResultsShown.PROGRESS,
        progress=progress,
    )


def standing_view(row: dict[str, Any], *, names: bool) -> StandingView:
    """A stored row as a reader sees it: names and unit only when `names` (results module docstring)."""
    award, level, time = row["award"], row["promotion_level"], row["completion_us"]
    return StandingView(
        place=row["place"], workstation_no=row["workstation_no"],
        names=list(row["names"]) if names else None, unit=row["unit"] if names else None,
        total=Decimal(row["total"]), practical=Decimal(row["practical"]),
        theory=None if row["theory"] is None else Decimal(row["theory"]),
        module_scores=[Decimal(m) for m in row["module_scores"]],
        completion_time=None if time is None else timedelta(microseconds=time),
        award=award, award_label=labels.award_label(AwardCode(award) if award else None),
        standardised_score=row["standardised_score"], title_scope=row["title_scope"],
        promotion_label=labels.level_label(SkillLevel(level) if level is not None else None),
        theory_absent=bool(row.get("theory_absent", False)),  # rows stored before it was kept: not recorded
    )



def published_standings(skill: Skill, published: PublishedResults) -> SkillStandings:
    """A published skill's results as every reader sees them: the frozen document of its latest version, names
    and units as they were published (module docstring above)."""
    document = published.document
    modules = [m["code"] for m in document["modules"]]
    names = {m["code"]: m["name"] for m in document["modules"]}
    return SkillStandings(
        skill_id=skill.pk, skill_name=document["skill_name"], group=skill.group,
        occupation_code=skill.occupation_code, status=skill.status, provisional=False, named=True,
        modules=modules,
        rows=[replace(standing_view(r, names=True), tie=tie_view(r["tie"], names)) for r in document["rows"]],
        review_until=skill.review_until, module_names=[names[c] for c in modules],
        tie_breaks=tie_break_labels(document["tie_breaks"]), review_from=skill.review_from,
        published_at=datetime.fromisoformat(document["published_at"]), published_version=published.version,
        corrections=[ResultsCorrectionView(c["version"], datetime.fromisoformat(c["published_at"]), c["reason"])
                     for c in document["corrections"]],
    )


def latest_published(skill_id: int) -> PublishedResults | None:
    """The skill's latest published version (None before publication)."""
    return PublishedResults.objects.filter(skill_id=skill_id).order_by("-version").first()


def published_of(hashes: dict[int, str]) -> dict[int, PublishedResults]:
    """Skill id → its published version with that content hash, one query for every skill."""
    if not hashes:
        return {}
    found = PublishedResults.objects.filter(skill_id__in=list(hashes), content_hash__in=list(hashes.values()))
    return {p.skill_id: p for p in found if hashes.get(p.skill_id) == p.content_hash}


def _published_lines(viewer: Any, skill: Skill, published: PublishedResults) -> list[OfficialResultLine]:
    """The official results of a published skill from its frozen document: names, unit and figures as published;
    the ID number (masked for the viewer) and sex from the person, who is the same person however renamed."""
    rows = published.document["rows"]
    entries = {e.pk: e for e in Entry.objects.filter(pk__in=[r["entry"] for r in rows]).select_related("skill__event")}
    people = {u.pk: u for u in User.objects.filter(pk__in=[m["person"] for r in rows for m in r["members"]])}
    approved = set(
        TitleProposal.objects.filter(entry__skill=skill, approved_at__isnull=False).values_list("entry_id", "person_id")
    )
    skill_name = published.document["skill_name"]
    event_name = published.document["event_name"]
    lines = []
    for row in rows:
        entry = entries[row["entry"]]
        for member in row["members"]:
            person = people[member["person"]]
            lines.append(OfficialResultLine(
                place=row["place"], name=member["name"], sex=_sex(person.id_number),
                id_number=shown_id_number(person.id_number, full=may_see_numbers(viewer, entry, person)),
                unit=row["unit"], event=event_name, skill=skill_name, group=skill.group,
                theory=None if row["theory"] is None else Decimal(row["theory"]), practical=Decimal(row["practical"]),
                total=Decimal(row["total"]), award=row["award"], standardised_score=row["standardised_score"],
                title_scope=row["title_scope"], title_approved=(entry.pk, person.pk) in approved,
                promotion_level=row["promotion_level"], theory_absent=bool(row.get("theory_absent", False)),
            ))
    return lines


def events_with_results(*, viewer: Any, events: Sequence[Event]) -> set[int]:
    """The ids of the events whose results page the viewer would find something on (results module docstring):
    a skill under review or published, or for the event's jury a skill from the competition on. A list links
    only to these (issue 10 item 5)."""
    ids = [e.pk for e in events]
    statuses: dict[int, set[str]] = {}
    for event_id, status in Skill.objects.filter(event_id__in=ids).values_list("event_id", "status").distinct():
        statuses.setdefault(event_id, set()).add(status)
    jury_statuses = {s for s in Status.values if status_index(s) >= status_index(Status.COMPETING)}
    out = set()
    for event in events:
        found = statuses.get(event.pk, set())
        if found & set(PUBLIC_STATUSES) or (found & jury_statuses and is_jury(viewer, event)):
            out.add(event.pk)
    return out


@dataclass(frozen=True, slots=True)
class MyPlace:
    """Where the signed-in reader's own entry stands on an event's results page: the row to highlight."""

    skill_id: int
    skill_name: str
    workstation_no: str


def my_places(*, viewer: Any, event_id: int) -> list[MyPlace]:
    """The reader's own approved entries (as a contestant) in the event's skills whose results show names: under
    review, published, or decrypted (the row of a skill still anonymous is never singled out)."""
    if not getattr(viewer, "is_authenticated", False):
        return []
    return [
        MyPlace(skill_id, name, workstation_no)
        for skill_id, name, workstation_no, status, decrypted in Entry.objects.filter(
            members__person=viewer, skill__event_id=event_id, status=EntryStatus.APPROVED
        ).values_list("skill_id", "skill__name", "workstation_no", "skill__status", "skill__decrypted_at")
        if status in PUBLIC_STATUSES or decrypted is not None
    ]


def row_key(skill_id: int, workstation_no: str) -> str:
    """The key a results row carries (`data-row`), so the page can single out the reader's own row."""
    return f"{skill_id}:{workstation_no}"


