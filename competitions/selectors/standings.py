"""The standings snapshot and the reads served from it: the results API and page, a contestant's own results, and
the check of the snapshot against a full recomputation from the marks (DESIGN.md "Data flow of one mark":
standings are stored as the skill's standings snapshot, which pages and the API read; issue 8 item 5).

**What is stored.** One `StandingsSnapshot` row per skill: every place with its award, standardised score, title
and promotion, the tie-break values (completion time, practical, theory) and the module scores, plus names and
unit, exactly as `competitions.selectors.results.ranked_entries` derives them from the entries' cached totals
(`Entry.practical`, `total`, `module_scores`). Masking is applied when a reader gets them, never stored: the row keeps
the entry id and the names, `StandingView` drops both for a reader who may not see them.

**How it is kept current without a hot row on the mark path** (the choice): the mark transaction writes nothing
new. The per-entry part is what it already writes, the entry's cached totals; a database trigger (migration 0005)
adds one to `Entry.standings_seq` whenever a field the standings read changes on that entry's row. The snapshot
records the (count, sum) of its skill's `standings_seq` it was built from, its *watermark*, and a key of the skill's
and event's rules (tie-breaks, award rule, minimum total, level, group, theory weight, scheme freeze). A read
compares that watermark with the live (count, sum), one aggregate in the query that loads the skills anyway; a
snapshot that lags is rebuilt from the caches right there, under its row's lock, so concurrent readers of one
stale skill wait for one rebuild instead of each doing it. Marks of different entries never touch a shared row;
only readers of a stale skill wait, on each other. The sum never misses a commit: the watermark is read before the
entries in the rebuild, so whatever a rebuild includes beyond its watermark only makes the next read rebuild
again, and a transaction committing late still moves the sum. Names and units (people and units renamed) are not
watched: they are refreshed by any rebuild, and one runs at every full check (review, publication).

A published skill is not read from its snapshot: the answer serves its frozen `PublishedResults` version
(competitions.services.results), whose hash stands in the ETag for the snapshot's.

The rebuild is a cache fill of data derived by pure functions, not a person's act: no audit entry. A mismatch
found by a check is (competitions.services.standings).

**The answer of the API** is encoded once per version: its ETag is a hash of everything the body depends on (each
shown skill's snapshot content hash, its status, review deadline, whether names are shown, the event's name, the
reader's language), so a reader sending If-None-Match gets 304 for the price of the one query that loads the
event's skills with their watermarks; the encoded bytes are kept in the cache under the ETag (and in a small
per-process memo in front of it), so even a full answer is a lookup. The JSON has no spaces after separators.

**Serving while a rebuild runs** (the choice for an immediate re-ask after a change; DESIGN.md is silent): a reader
that finds a snapshot lagging takes its row with NOWAIT. Whoever gets it rebuilds, in its own request; every other
reader meanwhile gets the previous version at once, labelled with the previous version's ETag (the ETag always
names what the body holds) and the header `Standings-Stale: rebuilding` (the page shows a note), and its next
request gets the new version. Only the first snapshot of a skill is waited for, there being no previous version.
Likewise, within one process, one thread encodes a new version while the other readers of it get the previous
answer of the same family (competitions.api.common.OneEncoder). The checks at sign-off, review and publication
(competitions.services.standings) always wait for a current snapshot (`snapshot_current`).

**The full recompute** (`rows_from_marks`, the check) never pulls every mark into Python: every method scores a
complete score set from the count, sum, lowest and highest of its values (competitions.domain.standings
.AspectStats), so the database aggregates the marks per (entry, aspect) (on PostgreSQL in exact numeric, one row
per (entry, aspect), sent as arrays), and the numpy path scores them with integer half-up rounding, exactly as the
pure Decimal functions do (tests/competitions/test_domain_scoring.py, a hypothesis property). An incomplete skill
goes through `scoring.compute_results` over every mark, as before.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
from django.db import OperationalError, connection, transaction
from django.db.models import (
    BigIntegerField,
    Count,
    F,
    FloatField,
    Max,
    Min,
    Q,
    Sum,
)
from django.db.models.functions import Cast, Round
from django.utils import timezone, translation

from accounts.models import User
from competitions.adapters import domain_aspect
from competitions.domain import scoring, standings
from competitions.models import (
    Entry,
    EntryMember,
    EntryStatus,
    Event,
    Mark,
    MarkingScheme,
    PublishedResults,
    Sheet,
    SheetStatus,
    Skill,
    StandingsCheck,
    StandingsSnapshot,
    Status,
    status_index,
)
from competitions.selectors.anonymity import workstation_jury_of
from competitions.selectors.events import is_jury, my_entries
from competitions.selectors.marking import Mismatch, SheetView, StandingsCheckView, sheet_view
from competitions.selectors.results import (
    PUBLIC_STATUSES,
    EventResults,
    MarkingProgress,
    MyEntryView,
    RankedEntry,
    ResultsShown,
    SkillStandings,
    _modules,
    latest_published,
    live_standings,
    module_names_of,
    practical_standings,
    progress_standings,
    published_of,
    published_standings,
    ranked_entries,
    standing_view,
)
from core import sql
from core.errors import NotFound

Row = dict[str, Any]

# Fields of a row that come from the marks (through the caches or the full recomputation); names and unit do not.
CHECKED_FIELDS = ("place", "total", "practical", "theory", "theory_absent", "module_scores", "completion_us",
                  "award", "standardised_score", "title_scope", "promotion_level", "workstation_no")


# --- rows -----------------------------------------------------------------------------------------------------------


def _row(ranked: RankedEntry) -> Row:
    s = ranked.standing
    time = s.completion_time
    return {
        "entry": ranked.entry_id, "place": s.place, "workstation_no": s.workstation_no,
        "names": list(s.names or []), "unit": s.unit or "", "total": str(s.total), "practical": str(s.practical),
        "theory": None if s.theory is None else str(s.theory), "module_scores": [str(m) for m in s.module_scores],
        "completion_us": None if time is None else time // timedelta(microseconds=1),
        "award": s.award, "standardised_score": s.standardised_score, "title_scope": s.title_scope,
        "promotion_level": ranked.promotion_level, "theory_absent": s.theory_absent,
    }


# What `ranked_entries` reads of an entry (names and units are added from their own query, `_names_and_units`).
RANKED_FIELDS = ("pk", "skill_id", "workstation_no", "total", "practical", "theory_score", "theory_absent_reason",
                 "completion_time", "module_scores")


def _names_and_units(skill: Skill) -> tuple[dict[int, list[str]], dict[int, str]]:
    """Each entry's member names (as `str(person)`: the real name, else the username) in membership order, and its
    unit's name: two flat queries instead of a prefetch, whose per-entry querysets cost more than the rows."""
    names: dict[int, list[str]] = {}
    for entry_id, real_name, username in (
        EntryMember.objects.filter(entry__skill=skill, entry__status=EntryStatus.APPROVED)
        .order_by("id").values_list("entry_id", "person__real_name", "person__username")
    ):
        names.setdefault(entry_id, []).append(real_name or username)
    units = dict(Entry.objects.filter(skill=skill, status=EntryStatus.APPROVED).values_list("pk", "unit__name"))
    return names, units


def rows_from_caches(skill: Skill) -> tuple[list[str], list[Row]]:
    """The skill's module codes and standings rows from the entries' cached totals (what the snapshot stores):
    `ranked_entries` over the entries' ranking fields alone, then each row's names and unit."""
    module_ids, codes = _modules(skill)
    entries = list(Entry.objects.filter(skill=skill, status=EntryStatus.APPROVED).only(*RANKED_FIELDS)
                   .order_by("workstation_no", "pk"))
    names, units = _names_and_units(skill)
    rows = [_row(r) for r in ranked_entries(skill, names=False, entries=entries, module_ids=module_ids)]
    for row in rows:
        row["names"], row["unit"] = names.get(row["entry"], []), units.get(row["entry"], "")
    return codes, rows


@dataclass(frozen=True, slots=True)
class MarkStats:
    """A skill's marks aggregated per (entry, aspect) (`standings.AspectStats`), entries by pk, aspects in marking
    order (`scheme.aspects`)."""

    scheme: scoring.MarkingScheme
    entry_ids: list[int]
    theory: list[Decimal | None]
    aspect_ids: list[int]
    stats: standings.AspectStats

    @property
    def complete(self) -> bool:
        return standings.is_complete(self.scheme, self.stats)


def _stats_columns(skill: Skill, entry_ids: Sequence[int]) -> Any:
    """(entry, aspect, count, sum, lowest, highest) per (entry, aspect) with marks, the values in units, as an int64
    array (rows × 6). PostgreSQL: the aggregation in SQL (numeric, exact), each column aggregated into one array
    sent as text and parsed by numpy (120,000 tuples as Python objects cost more than the query); elsewhere the
    ORM's GROUP BY over each mark's units."""
    if connection.vendor == "postgresql":
        table = Mark._meta.db_table
        grouped = (  # the table name comes from the model, the entries are a parameter
            f"SELECT m.entry_id, m.aspect_id, count(*) AS n, (sum(m.value) * {standings.UNIT})::int8 AS s, "  # noqa: S608
            f"(min(m.value) * {standings.UNIT})::int8 AS lo, (max(m.value) * {standings.UNIT})::int8 AS hi "
            f"FROM {table} m WHERE m.entry_id = ANY(%s) GROUP BY m.entry_id, m.aspect_id"
        )
        arrays = ", ".join(f"array_agg(g.{c})::text" for c in ("entry_id", "aspect_id", "n", "s", "lo", "hi"))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {arrays} FROM ({grouped}) g", [list(entry_ids)])  # noqa: S608
            texts = cursor.fetchone()
        if texts is None or texts[0] is None:
            return np.zeros((0, 6), dtype=np.int64)
        return np.stack([np.fromstring(t[1:-1], dtype=np.int64, sep=",") for t in texts], axis=1)
    # SQLite keeps a decimal as a float: each mark is rounded to whole units before it is summed, so sums are exact.
    units = Cast(Round(Cast(F("value"), FloatField()) * standings.UNIT), BigIntegerField())
    rows = (
        Mark.objects.filter(entry__skill=skill, entry__status=EntryStatus.APPROVED).values("entry_id", "aspect_id")
        .annotate(n=Count("pk"), s=Sum(units), lo=Min(units), hi=Max(units)).order_by()
        .values_list("entry_id", "aspect_id", "n", "s", "lo", "hi")
    )
    return np.array(list(rows), dtype=np.int64).reshape(-1, 6)


def load_mark_stats(skill: Skill) -> MarkStats:
    """The skill's marks aggregated per (entry, aspect) in the database (three queries: entries, aspects, marks)."""
    entry_rows = list(Entry.objects.filter(skill=skill, status=EntryStatus.APPROVED).order_by("pk")
                      .values_list("pk", "theory_score"))
    aspects = list(skill.scheme.aspects.select_related("module")
                   .order_by("module__position", "module_id", "position", "id"))
    scheme = scoring.MarkingScheme(tuple(domain_aspect(a, a.module.code) for a in aspects),
                                   theory_weight=skill.theory_weight)
    entry_ids = np.array([pk for pk, _ in entry_rows], dtype=np.int64)
    aspect_ids = np.array([a.pk for a in aspects], dtype=np.int64)
    columns = _stats_columns(skill, entry_ids.tolist())
    aspect_order = np.argsort(aspect_ids)
    entry_at = np.searchsorted(entry_ids, columns[:, 0])
    aspect_at = np.searchsorted(aspect_ids[aspect_order], columns[:, 1])
    # Marks of an entry or aspect outside the skill's lists cannot be placed; none exist (foreign keys, the filter).
    known = (entry_at < len(entry_ids)) & (aspect_at < len(aspect_ids))
    known[known] &= (entry_ids[entry_at[known]] == columns[known, 0]) & (
        aspect_ids[aspect_order][aspect_at[known]] == columns[known, 1])
    columns, entry_at, aspect_at = columns[known], entry_at[known], aspect_order[aspect_at[known]]
    stats = standings.gather_stats(entry_at, aspect_at, columns[:, 2], columns[:, 3], columns[:, 4], columns[:, 5],
                                   (len(entry_ids), len(aspect_ids)))
    return MarkStats(scheme, entry_ids.tolist(), [t for _, t in entry_rows], aspect_ids.tolist(), stats)


def _recomputed_scores(skill: Skill, module_codes: Sequence[str],
                       entry_ids: Sequence[int]) -> dict[int, tuple[Decimal, Decimal, list[Decimal]]]:
    """Each entry's (practical, total, module scores in `module_codes` order) from its stored marks alone: from the
    marks aggregated per (entry, aspect) in the database when every score set is complete (competitions.domain
    .standings), `scoring.compute_results` over every mark otherwise."""
    loaded = load_mark_stats(skill)
    positions = {code: i for i, code in enumerate(module_codes)}
    domain_modules = loaded.scheme.modules
    out: dict[int, tuple[Decimal, Decimal, list[Decimal]]] = {}
    if loaded.complete:
        theory_units = None
        if loaded.scheme.theory_weight is not None:
            theory_units = np.array([standings.to_units(t or Decimal(0)) for t in loaded.theory], dtype=np.int64)
        result = standings.standings_from_stats(loaded.scheme, loaded.stats, theory_units)
        practical, totals, modules = (result.practical.tolist(), result.total_cents.tolist(),
                                      result.modules.tolist())
        for i, pk in enumerate(loaded.entry_ids):
            scores = [Decimal(0)] * len(module_codes)
            for m, code in enumerate(domain_modules):
                if code in positions:
                    scores[positions[code]] = standings.from_units(modules[i][m])
            out[pk] = (standings.from_units(practical[i]), standings.from_units(totals[i], 2), scores)
    else:
        codes = {pk: a.code for pk, a in zip(loaded.aspect_ids, loaded.scheme.aspects, strict=True)}
        marks = [
            scoring.MarkEntry(e, codes[a], r, v)
            for e, a, r, v in Mark.objects.filter(entry__skill=skill, entry__status=EntryStatus.APPROVED)
            .values_list("entry_id", "aspect_id", "referee_id", "value")
        ]
        theory = None
        if loaded.scheme.theory_weight is not None:
            theory = {pk: t for pk, t in zip(loaded.entry_ids, loaded.theory, strict=True) if t is not None}
        computed = scoring.compute_results(loaded.scheme, marks, theory, contestant_ids=loaded.entry_ids)
        for key, r in computed.items():  # keyed by the Entry pks given as contestant_ids
            scores = [Decimal(0)] * len(module_codes)
            for m, code in enumerate(domain_modules):
                if code in positions:
                    scores[positions[code]] = r.module_scores[m]
            out[int(str(key))] = (r.practical, r.total, scores)
    for pk in entry_ids:
        out.setdefault(pk, (Decimal(0), Decimal(0), [Decimal(0)] * len(module_codes)))
    return out


def rows_from_marks(skill: Skill) -> tuple[list[str], list[Row]]:
    """The skill's standings rows recomputed in full from the stored marks, through the same ranking, awards,
    titles and promotion functions: the check of the snapshot (and of the caches it is built from). Without names
    and units, which the check does not compare (`CHECKED_FIELDS`)."""
    module_ids, codes = _modules(skill)
    # Names and units are not checked (they do not come from the marks): the entries alone, no people.
    entries = list(Entry.objects.filter(skill=skill, status=EntryStatus.APPROVED).only(*RANKED_FIELDS)
                   .order_by("workstation_no", "pk"))
    scores = _recomputed_scores(skill, codes, [e.pk for e in entries])
    sheets: dict[int, dict[int, Decimal]] = {}
    for entry in entries:  # in memory only: these instances are never saved
        entry.practical, entry.total, modules = scores[entry.pk]
        sheets[entry.pk] = dict(zip(module_ids, modules, strict=True))
    ranked = ranked_entries(skill, names=False, entries=entries, sheets=sheets, module_ids=module_ids)
    return codes, [_row(r) for r in ranked]


def compare_rows(stored: Sequence[Row], recomputed: Sequence[Row], *, entry_ids: Iterable[int] | None = None,
                 fields: Sequence[str] = CHECKED_FIELDS) -> list[Mismatch]:
    """Every difference of the checked fields, entry by entry (an entry missing on one side is one too)."""
    mine = {r["entry"]: r for r in stored}
    theirs = {r["entry"]: r for r in recomputed}
    wanted = set(mine) | set(theirs) if entry_ids is None else set(entry_ids)
    out: list[Mismatch] = []
    for pk in sorted(wanted):
        a, b = mine.get(pk), theirs.get(pk)
        if a is None or b is None:
            present = a or b
            ws = present["workstation_no"] if present else str(pk)
            out.append(Mismatch(ws, "entry", "—" if a is None else "✓", "—" if b is None else "✓"))
            continue
        for name in fields:
            if a.get(name) != b.get(name):
                out.append(Mismatch(b["workstation_no"], name, _shown(a.get(name)), _shown(b.get(name))))
    return out


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return "—" if value is None else str(value)


# --- the snapshot ---------------------------------------------------------------------------------------------------


# The shape of a stored row: a snapshot built with another shape is rebuilt on its next read (2: theory_absent).
ROWS_FORMAT = 2


def config_key(skill: Skill) -> str:
    """The skill's and event's rules the standings depend on, besides the entries (module docstring)."""
    event = skill.event
    scheme = getattr(skill, "scheme", None)
    parts = [
        ROWS_FORMAT, skill.tie_breaks, skill.award_rule, skill.group, skill.team_size, str(skill.theory_weight),
        event.level, event.award_rule, str(event.min_total), event.excellence_basis,
        None if scheme is None else [scheme.pk, scheme.frozen_at.isoformat() if scheme.frozen_at else None],
    ]
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()


def watermark(skill_id: int) -> tuple[int, int]:
    """The live (count, sum of standings_seq) of a skill's entries."""
    found = Entry.objects.filter(skill_id=skill_id).aggregate(n=Count("pk"), s=Sum("standings_seq"))
    return int(found["n"] or 0), int(found["s"] or 0)


def _fresh(snapshot: StandingsSnapshot | None, count: int, seq: int, key: str) -> bool:
    return snapshot is not None and (snapshot.watermark_count, snapshot.watermark_seq, snapshot.config_key) == (
        count, seq, key)


def is_current(snapshot: StandingsSnapshot, skill: Skill) -> bool:
    """Whether the snapshot was built from the skill's entries as they are now (one aggregate query)."""
    return _fresh(snapshot, *watermark(skill.pk), config_key(skill))


def snapshot_refresh(skill: Skill, *, force: bool = False, wait: bool = True) -> StandingsSnapshot | None:
    """The skill's snapshot, rebuilt from the caches first if it lags its watermark (or `force`): a cache fill
    (module docstring), under the snapshot row's lock so that one rebuild serves every waiting reader. The
    version moves only when the content changes, so an ETag survives a rebuild that changed nothing.

    `wait=False` (a reader's refresh, "Serving while a rebuild runs" in the module docstring): when another
    transaction holds the row, which is a rebuild under way, None at once instead of waiting for it."""
    with transaction.atomic():
        StandingsSnapshot.objects.get_or_create(skill=skill)
        try:
            with transaction.atomic():  # a savepoint: a refused NOWAIT leaves the outer transaction usable
                snapshot = StandingsSnapshot.objects.select_for_update(nowait=not wait).get(skill=skill)
        except OperationalError:
            if wait:
                raise
            return None
        # The watermark before the entries (module docstring): a change committed in between only costs a rebuild.
        count, seq = watermark(skill.pk)
        key = config_key(skill)
        if not force and _fresh(snapshot, count, seq, key):
            return snapshot
        codes, rows = rows_from_caches(skill)
        content = content_hash(codes, rows)
        fields = ["watermark_count", "watermark_seq", "config_key", "built_at"]
        if content != snapshot.content_hash:
            snapshot.version += 1
            snapshot.content_hash, snapshot.modules, snapshot.rows = content, codes, rows
            fields += ["version", "content_hash", "modules", "rows"]
        snapshot.watermark_count, snapshot.watermark_seq, snapshot.config_key = count, seq, key
        snapshot.built_at = timezone.now()
        snapshot.save(update_fields=fields)
        return snapshot


def snapshot_current(skill: Skill) -> StandingsSnapshot:
    """`snapshot_refresh` that always answers a snapshot (waiting for a rebuild under way): for the checks."""
    snapshot = snapshot_refresh(skill)
    assert snapshot is not None  # noqa: S101 - a waiting refresh always returns one
    return snapshot


def content_hash(modules: Sequence[str], rows: Sequence[Row]) -> str:
    return hashlib.sha256(json.dumps([modules, rows], sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def skill_snapshot(skill: Skill) -> StandingsSnapshot:
    """The current snapshot of one skill: read without a lock when current, rebuilt first if it lags."""
    snapshot = StandingsSnapshot.objects.filter(skill=skill).first()
    if snapshot is not None and is_current(snapshot, skill):
        return snapshot
    return snapshot_current(skill)


# --- event results --------------------------------------------------------------------------------------------------


# Part of every ETag: raise it when the answer's shape changes, so no cached answer of the old shape is served.
ANSWER_FORMAT = 2


@dataclass(frozen=True, slots=True)
class ShownSkill:
    skill: Skill
    content_hash: str
    named: bool
    published: bool = False  # content_hash names a frozen PublishedResults version, not the snapshot
    shown: ResultsShown = ResultsShown.FULL  # results module docstring, "Before decryption"
    progress: MarkingProgress | None = None  # what a PROGRESS reader gets instead of rows


def marking_progress(skills: Sequence[Skill]) -> dict[int, MarkingProgress]:
    """Skill id → how far its marking is (`MarkingProgress`), over every entry that drew a 工位号 whatever its status
    now, so a withdrawal after the draw moves nothing (two queries for every skill)."""
    ids = [s.pk for s in skills]
    if not ids:
        return {}
    drawn = Entry.objects.filter(skill_id__in=ids).exclude(workstation_no="")
    stations = dict(drawn.values("skill_id").annotate(n=Count("pk")).order_by().values_list("skill_id", "n"))
    signed = Count("pk", filter=Q(status=SheetStatus.SIGNED_OFF))
    sheets = {
        skill_id: (total, signed_off)
        for skill_id, total, signed_off in Sheet.objects.filter(entry__skill_id__in=ids)
        .exclude(entry__workstation_no="").values("entry__skill_id").annotate(total=Count("pk"), signed=signed)
        .order_by().values_list("entry__skill_id", "total", "signed")
    }
    return {pk: MarkingProgress(stations.get(pk, 0), *sheets.get(pk, (0, 0))) for pk in ids}


@dataclass(frozen=True, slots=True)
class ResultsVersion:
    """What an event's results answer depends on, and its ETag (module docstring)."""

    event: Event
    skills: tuple[ShownSkill, ...]
    etag: str
    stale: bool = False  # a shown skill's snapshot lags: its rebuild is under way in another transaction
    # What the answer's versions have in common for this reader (the event, the skills shown, the language, jury
    # or not): an older answer of the same family may stand in while a newer one is encoded.
    family: str = ""


_VERSION_SKILL = sql.Columns(Skill, "sk")
_VERSION_EVENT = sql.Columns(Event, "ev")
_VERSION_SCHEME = sql.Columns(MarkingScheme, "ms")
# The snapshot's rows, modules and mismatches stay deferred: the version needs only its watermark and hash.
_VERSION_SNAPSHOT = sql.Columns(StandingsSnapshot, "ss", exclude=("rows", "modules", "mismatches"))


def _event_skills(event_id: int) -> list[Skill]:
    """The event's skills, each with its event, scheme and snapshot attached and annotated with its live watermark
    (`live_count`, `live_seq`) and the content hash of its newest published version (`published_hash`): one
    statement, written by hand (core/sql.py) because composing it with the ORM cost about half of a results read's
    CPU, every reader of every 304 paying it (bench/standings_recompute.py)."""
    entry, published = sql.table(Entry), sql.table(PublishedResults)
    statement = (
        f"SELECT {_VERSION_SKILL.sql()}, {_VERSION_EVENT.sql()}, {_VERSION_SCHEME.sql()}, {_VERSION_SNAPSHOT.sql()},"  # noqa: S608
        f" COALESCE(w.n, 0), COALESCE(w.s, 0),"
        f" (SELECT p.content_hash FROM {published} p WHERE p.skill_id = sk.id ORDER BY p.version DESC LIMIT 1)"
        f" FROM {sql.table(Skill)} sk JOIN {sql.table(Event)} ev ON ev.id = sk.event_id"
        f" LEFT JOIN {sql.table(MarkingScheme)} ms ON ms.skill_id = sk.id"
        f" LEFT JOIN {sql.table(StandingsSnapshot)} ss ON ss.skill_id = sk.id"
        f" LEFT JOIN (SELECT x.skill_id, COUNT(*) AS n, SUM(x.standings_seq) AS s FROM {entry} x"
        f" WHERE x.skill_id IN (SELECT y.id FROM {sql.table(Skill)} y WHERE y.event_id = %s) GROUP BY x.skill_id) w"
        f" ON w.skill_id = sk.id WHERE sk.event_id = %s ORDER BY sk.id"
    )  # table and column names from the models; the event id is a parameter
    with connection.cursor() as cursor:
        cursor.execute(statement, [event_id, event_id])
        rows = cursor.fetchall()
    skills: list[Skill] = []
    event: Event | None = None
    offset_event = _VERSION_SKILL.width
    offset_scheme = offset_event + _VERSION_EVENT.width
    offset_snapshot = offset_scheme + _VERSION_SCHEME.width
    offset_extra = offset_snapshot + _VERSION_SNAPSHOT.width
    for row in rows:
        skill = _VERSION_SKILL.load(row)
        event = event or _VERSION_EVENT.load(row, offset_event)
        skill.event = event
        scheme = _VERSION_SCHEME.load(row, offset_scheme) if row[offset_scheme] is not None else None
        snapshot = _VERSION_SNAPSHOT.load(row, offset_snapshot) if row[offset_snapshot] is not None else None
        # What select_related would have cached: a missing scheme or snapshot reads as absent, without a query.
        skill._state.fields_cache["scheme"] = scheme
        skill._state.fields_cache["standings_snapshot"] = snapshot
        if snapshot is not None:
            snapshot._state.fields_cache["skill"] = skill
        live_count, live_seq, published_hash = row[offset_extra:offset_extra + 3]
        skill.live_count, skill.live_seq = int(live_count), int(live_seq)  # type: ignore[attr-defined]
        skill.published_hash = published_hash  # type: ignore[attr-defined]
        skills.append(skill)
    return skills


def event_results_version(*, viewer: Any, event_id: int) -> ResultsVersion:
    """The skills of the event the viewer may see (results module docstring), each with a current snapshot, and
    the ETag of the answer; NotFound when there are none. One query when every snapshot is current."""
    if not 0 < event_id < 2**63:  # a foreign-key lookup hands an id past 64 bits to SQLite unchecked (a 500)
        raise NotFound()
    skills = _event_skills(event_id)
    if not skills:  # no event, or an event without skills: nothing to show either way
        raise NotFound()
    event = skills[0].event
    jury = is_jury(viewer, event)
    visible = [s for s in skills if s.status in PUBLIC_STATUSES
               or (jury and status_index(s.status) >= status_index(Status.COMPETING))]
    # Before decryption (results module docstring): the skill's own jury gets the practical part by 工位号, anyone
    # else how far marking is, and no row.
    anonymous = [s for s in visible if s.status not in PUBLIC_STATUSES and s.decrypted_at is None]
    on_jury = workstation_jury_of(viewer, anonymous)
    progress = marking_progress([s for s in anonymous if s.pk not in on_jury])
    shown: list[ShownSkill] = []
    stale = False
    for skill in visible:
        if skill.pk in progress:
            counts = progress[skill.pk]
            key = f"progress:{counts.workstations}:{counts.sheets}:{counts.signed_off}"
            shown.append(ShownSkill(skill, key, False, shown=ResultsShown.PROGRESS, progress=counts))
            continue
        frozen = skill.published_hash  # type: ignore[attr-defined]
        if skill.status in (Status.PUBLISHED, Status.ARCHIVED) and frozen:  # results module: published is frozen
            shown.append(ShownSkill(skill, frozen, True, published=True))
            continue
        snapshot = getattr(skill, "standings_snapshot", None)
        if not _fresh(snapshot, skill.live_count, skill.live_seq, config_key(skill)):  # type: ignore[attr-defined]
            # A reader waits only for the first snapshot of a skill; later it gets the previous one while another
            # reader rebuilds it (module docstring, "Serving while a rebuild runs").
            refreshed = snapshot_refresh(skill, wait=snapshot is None or not snapshot.content_hash)
            if refreshed is None:
                stale = True
            else:
                snapshot = refreshed
        assert snapshot is not None  # noqa: S101 - a waiting refresh always returns one
        named = skill.status in (Status.PUBLISHED, Status.ARCHIVED) or skill.decrypted_at is not None
        shown.append(ShownSkill(skill, snapshot.content_hash, named,
                                shown=ResultsShown.FULL if skill.pk not in on_jury else ResultsShown.PRACTICAL))
    if not shown:
        raise NotFound()
    parts = [ANSWER_FORMAT, event.pk, event.name, translation.get_language(), [
        [s.skill.pk, s.skill.name, s.skill.group, s.skill.occupation_code, s.skill.status,
         s.skill.review_until.isoformat() if s.skill.review_until else None, s.named, s.content_hash, s.shown]
        for s in shown
    ]]
    etag = hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()[:32]
    # What each skill shows is part of the family: an older answer of the jury's never stands in for the organizer.
    family = json.dumps([ANSWER_FORMAT, event.pk, translation.get_language(), jury,
                         [[s.skill.pk, s.shown] for s in shown]])
    return ResultsVersion(event, tuple(shown), etag, stale, family)


def event_results_from(version: ResultsVersion, *, strict: bool = True) -> EventResults | None:
    """The answer of `version` from the stored rows (one query). None when `strict` and a snapshot moved on in
    between, so the caller asks for the version again instead of labelling newer rows with an older ETag."""
    live = [s.skill.pk for s in version.skills if not s.published and s.shown != ResultsShown.PROGRESS]
    stored = {
        pk: (content, modules, rows)
        for pk, content, modules, rows in StandingsSnapshot.objects.filter(skill_id__in=live)
        .values_list("skill_id", "content_hash", "modules", "rows")
    } if live else {}
    frozen = published_of({s.skill.pk: s.content_hash for s in version.skills if s.published})
    names = module_names_of(live) if live else {}
    out: list[SkillStandings] = []
    for shown in version.skills:
        skill = shown.skill
        if shown.progress is not None:
            out.append(progress_standings(skill, shown.progress))
            continue
        if shown.published:
            published = frozen.get(skill.pk)
            if published is None:  # a correction's new version raced this read: read the version again
                if strict:
                    return None
                published = latest_published(skill.pk)
                assert published is not None  # noqa: S101 - versions are never deleted
            out.append(published_standings(skill, published))
            continue
        content, modules, rows = stored.get(skill.pk, ("", [], []))
        if strict and content != shown.content_hash:
            return None
        if shown.shown == ResultsShown.PRACTICAL:
            out.append(practical_standings(skill, modules=list(modules), module_names=names.get(skill.pk, {}),
                                           rows=rows))
            continue
        out.append(live_standings(skill, modules=list(modules), module_names=names.get(skill.pk, {}),
                                  rows=[standing_view(r, names=shown.named) for r in rows], named=shown.named))
    event = version.event
    return EventResults(event.pk, event.name, any(s.provisional for s in out), out)


ATTEMPTS = 5  # versions read before answering without one: each failed attempt means a rebuild raced the read


def event_results(*, viewer: Any, event_id: int) -> EventResults:
    """Every skill's standings the viewer may see, from the snapshots (results module docstring)."""
    for _attempt in range(ATTEMPTS):
        version = event_results_version(viewer=viewer, event_id=event_id)
        body = event_results_from(version)
        if body is not None:
            return body
    body = event_results_from(event_results_version(viewer=viewer, event_id=event_id), strict=False)
    assert body is not None  # noqa: S101 - never None when not strict
    return body


# --- encoded answers ------------------------------------------------------------------------------------------------


class EncodedMemo:
    """A few encoded answers by ETag in this process, in front of the shared cache (an 800 kB answer is not
    fetched from Redis for every reader)."""

    def __init__(self, size: int = 16) -> None:
        self.size = size
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: str, value: bytes) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


ENCODED = EncodedMemo()


# --- a person's own results -----------------------------------------------------------------------------------------


def my_entry_results(*, person: User) -> list[MyEntryView]:
    """The person's entries (`my_entries`), each with its result once the public may see it (from the snapshot)."""
    out = []
    rows: dict[int, dict[int, Row]] = {}
    for entry in my_entries(person=person):
        skill = entry.skill
        row = None
        if skill.status in PUBLIC_STATUSES and entry.status == EntryStatus.APPROVED:
            if skill.pk not in rows:
                published = latest_published(skill.pk) if skill.status in (Status.PUBLISHED, Status.ARCHIVED) \
                    else None  # published results are frozen (results module)
                rows[skill.pk] = {r["entry"]: r for r in (
                    published.document["rows"] if published is not None else skill_snapshot(skill).rows)}
            row = rows[skill.pk].get(entry.pk)
        standing = standing_view(row, names=False) if row else None
        out.append(MyEntryView(
            id=entry.pk, event_id=skill.event_id, event_name=skill.event.name, skill_id=skill.pk,
            skill_name=skill.name, skill_status=skill.status, status=entry.status,
            status_label=str(entry.get_status_display()), published=skill.published_at is not None,
            review_until=skill.review_until,
            may_object=entry.status == EntryStatus.APPROVED and skill.status == Status.REVIEW,
            place=standing.place if standing else None,
            total=standing.total if standing else None, award_label=standing.award_label if standing else None,
        ))
    return out


# --- the check, as the chief referee sees it -----------------------------------------------------------------------


def standings_check_view(skill: Skill) -> StandingsCheckView:
    snapshot = StandingsSnapshot.objects.filter(skill=skill).only(
        "check_status", "checked_at", "check_scope", "mismatches").first()
    if snapshot is None:
        return StandingsCheckView(StandingsCheck.UNCHECKED, str(StandingsCheck.UNCHECKED.label), None, "", [])
    return StandingsCheckView(
        snapshot.check_status, str(StandingsCheck(snapshot.check_status).label), snapshot.checked_at,
        snapshot.check_scope, [Mismatch(**m) for m in snapshot.mismatches],
    )


def signed_sheet_view(sheet: Sheet) -> SheetView:
    """A sheet just signed off, with the check of its skill's standings that the sign-off ran."""
    return replace(sheet_view(sheet), standings_check=standings_check_view(sheet.entry.skill))


@dataclass(frozen=True, slots=True)
class ResultsNotice:
    """The printable notice of an event's results (成绩公示 / 成绩公布): the skills whose results are public, each
    with its review period and how to object, as the organizer posts it (issue 10 item 5)."""

    event_id: int
    event_name: str
    organizer: str
    issued_on: date
    skills: list[SkillStandings]

    @property
    def under_review(self) -> bool:
        return any(s.under_review for s in self.skills)


def results_notice(*, viewer: Any, event_id: int) -> ResultsNotice:
    """The notice of the event's public results (under review or published) as `event_results` shows them to
    the viewer; NotFound when none is public yet (the jury's provisional standings are never posted)."""
    results = event_results(viewer=viewer, event_id=event_id)
    skills = [s for s in results.skills if s.named and (s.under_review or s.published_at is not None)]
    if not skills:
        raise NotFound()
    event = Event.objects.select_related("organizer").get(pk=event_id)
    return ResultsNotice(event.pk, results.event_name, event.organizer.name, timezone.localdate(), skills)
