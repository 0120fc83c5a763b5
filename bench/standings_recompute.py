"""Full recomputation of one large skill's standings, and one incremental update (DESIGN.md "Scale to design for";
"Data flow of one mark": standings are derived from marks by the pure scoring and ranking functions).

Scenario: 2,000 contestants × 60 aspects × 5 referees = 600,000 marks (40 panel aspects, 20 plain-mean aspects,
6 modules, theory weight 0.3), built in memory from a fixed random seed; a second, mixed scenario also uses
WorldSkills (3 referees), tolerance and full-or-zero aspects. Full standings = aspect marks by method, module sums,
practical and ranking totals, ranking with the default tie-breaks, awards (places rule).

Target: full recompute < 1 s (loading included). The in-memory scenarios time the computation from flat columns;
`--db PATH` builds (once) a SQLite file with one skill of 2,000 entries × 60 aspects × 5 referees = 600,000 Mark
rows through the real models and times what the app does: `competitions.selectors.load_mark_columns` (one
values_list query), the numpy recomputation, ranking and awards.

The fast path is vectorised with numpy over an int64 array of shape (contestants, aspects, referees) in units of
0.0001 mark, with integer half-up rounding, so it gives exactly the results of `competitions.domain.scoring` (the
functions the services use); `tests/competitions/test_domain_scoring.py` compares the two on random cases.
For reference the script also times the pure-Decimal `compute_results` and a `SkillTally` load on the same marks.

Run from the repository root: `python bench/standings_recompute.py` (optionally `--skip-pure`), and
`python bench/standings_recompute.py --db var/bench_standings.sqlite3` for the database variant.

`--postgres URL` (issue 8): one skill under review on PostgreSQL, 2,000 named entrants × 60 aspects × 5 referees.
It times the full recompute from the database (`rows_from_marks`: marks aggregated per (entry, aspect) in SQL,
scored, ranked, awarded; target < 1 s), with the CPU seconds of this process and of the database backend beside the
wall time (a shared machine's neighbours lengthen the wall time only), and the results API under 50 concurrent
readers on one daphne process (target p95 < 50 ms): revalidating (304), gzip, uncompressed, and right after a
change (a completion time moved every few tenths of a second; answers carrying `Standings-Stale` are counted apart).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Hashable, Sequence
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from competitions.domain.awards import AwardResult, assign_awards  # noqa: E402 - needs the path above
from competitions.domain.ranking import Placed, RankEntry, rank  # noqa: E402
from competitions.domain.scoring import (  # noqa: E402
    Aspect,
    MarkEntry,
    MarkingMethod,
    MarkingScheme,
    SkillTally,
    ToleranceBand,
    compute_results,
)
from competitions.domain.standings import (  # noqa: E402
    UNIT,
    Int64Array,
    VectorStandings,
    from_units,
    rank_entries,
    to_units,
    vectorised_standings,
)

SEED = 20_250_101


def heavy_scheme() -> MarkingScheme:
    """60 judgement aspects with 5 referees each: 40 panel × 1.5 + 20 mean × 2 = 100, six modules of ten."""
    aspects = [
        Aspect(
            f"A{i + 1:02d}",
            Decimal("1.5") if i % 3 else Decimal(2),
            MarkingMethod.PANEL if i % 3 else MarkingMethod.MEAN,
            module=f"M{i // 10 + 1}",
            referees=5,
        )
        for i in range(60)
    ]
    return MarkingScheme(tuple(aspects), theory_weight=Decimal("0.3"))


def mixed_scheme() -> MarkingScheme:
    """60 aspects of every method: 30 panel (5), 10 mean (5), 10 WorldSkills (3), 5 tolerance, 5 full-or-zero."""
    bands = (ToleranceBand(Decimal("0.02"), Decimal(0)), ToleranceBand(Decimal("0.05"), Decimal("0.5")))
    methods = [MarkingMethod.PANEL] * 30 + [MarkingMethod.MEAN] * 10 + [MarkingMethod.WORLDSKILLS] * 10
    methods += [MarkingMethod.TOLERANCE] * 5 + [MarkingMethod.FULL_OR_ZERO] * 5
    aspects = []
    for i, method in enumerate(methods):
        referees = {MarkingMethod.PANEL: 5, MarkingMethod.MEAN: 5}.get(method)
        tolerance = method is MarkingMethod.TOLERANCE
        aspects.append(
            Aspect(
                f"A{i + 1:02d}", Decimal("1.5") if i % 3 else Decimal(2), method, module=f"M{i // 10 + 1}",
                referees=referees, nominal=Decimal(25) if tolerance else None, bands=bands if tolerance else (),
            )
        )
    return MarkingScheme(tuple(aspects), theory_weight=Decimal("0.3"))


def random_values(scheme: MarkingScheme, contestants: int, rng: np.random.Generator) -> Int64Array:
    """Plausible marks: each contestant has an ability; referees agree within noise; 2-decimal marks."""
    referees = max(a.referee_count for a in scheme.aspects)
    values = np.zeros((contestants, len(scheme.aspects), referees), dtype=np.int64)
    ability = rng.uniform(0.35, 0.98, size=(contestants, 1))
    for index, aspect in enumerate(scheme.aspects):
        count = aspect.referee_count
        max_units = to_units(aspect.max_mark)
        if aspect.method is MarkingMethod.WORLDSKILLS:
            base = np.rint(ability * 3)
            scores = np.clip(base + rng.integers(-1, 2, size=(contestants, count)), 0, 3)
            values[:, index, :count] = scores.astype(np.int64) * UNIT
        elif aspect.method is MarkingMethod.FULL_OR_ZERO:
            values[:, index, 0] = np.where(rng.random(contestants) < ability[:, 0], max_units, 0)
        elif aspect.method is MarkingMethod.TOLERANCE:
            assert aspect.nominal is not None  # noqa: S101 - a tolerance aspect always has one
            error = rng.normal(0, 0.04 * (1.2 - ability[:, 0]))
            values[:, index, 0] = to_units(aspect.nominal) + np.rint(error * UNIT).astype(np.int64)
        else:
            top = float(aspect.max_mark)
            noisy = ability * top + rng.normal(0, 0.08 * top, (contestants, count))
            cents = np.clip(np.rint(noisy * 100), 0, max_units // 100).astype(np.int64)
            values[:, index, :count] = cents * 100
    return values


def mark_entries(scheme: MarkingScheme, ids: Sequence[Hashable], values: Int64Array) -> list[MarkEntry]:
    """The same marks as stored rows (what a service would load), for the pure-Decimal path."""
    rows = values.tolist()
    entries = []
    for c, contestant in enumerate(ids):
        for a, aspect in enumerate(scheme.aspects):
            for r in range(aspect.referee_count):
                entries.append(MarkEntry(contestant, aspect.code, f"R{r + 1}", from_units(rows[c][a][r])))
    return entries


def full_standings(
    scheme: MarkingScheme,
    ids: Sequence[Hashable],
    values: Int64Array,
    theory_units: Int64Array,
    completion_seconds: Int64Array,
) -> tuple[VectorStandings, list[Placed], list[AwardResult]]:
    standings = vectorised_standings(scheme, values, theory_units)
    placed = rank(rank_entries(ids, standings, theory_units, completion_seconds))
    return standings, placed, assign_awards(placed)


def _scenario(name: str, scheme: MarkingScheme, contestants: int, skip_pure: bool) -> None:
    rng = np.random.default_rng(SEED)
    ids = [f"C{i:04d}" for i in range(contestants)]
    values = random_values(scheme, contestants, rng)
    theory_units = (rng.integers(4000, 10001, size=contestants) * 100).astype(np.int64)
    completion_seconds = rng.integers(3 * 3600, 4 * 3600, size=contestants).astype(np.int64)
    mark_count = contestants * sum(a.referee_count for a in scheme.aspects)
    print(f"\n[{name}] {contestants:,} contestants × {len(scheme.aspects)} aspects = {mark_count:,} marks")

    # Loading stand-in: stored rows arrive as flat columns (contestant, aspect, referee, value) and are scattered
    # into the array; the database variant will fill these columns from one query.
    c_idx, a_idx, r_idx = np.nonzero(np.ones_like(values, dtype=np.bool_))
    keep = r_idx < np.array([a.referee_count for a in scheme.aspects])[a_idx]
    c_idx, a_idx, r_idx = c_idx[keep], a_idx[keep], r_idx[keep]
    flat = values[c_idx, a_idx, r_idx]
    started = time.perf_counter()
    loaded = np.zeros_like(values)
    loaded[c_idx, a_idx, r_idx] = flat
    standings, placed, awards = full_standings(scheme, ids, loaded, theory_units, completion_seconds)
    elapsed = time.perf_counter() - started
    print(f"full recompute: {elapsed:.2f} s (target < 1 s)  [array fill + marks + totals + ranking + awards]")
    medals = sum(1 for a in awards if a.award is not None)
    print(f"  leader {placed[0].contestant_id} {placed[0].total}; {medals} awards; last place {placed[-1].place}")

    if skip_pure:
        return
    entries = mark_entries(scheme, ids, values)
    theory = {ids[i]: from_units(int(t)) for i, t in enumerate(theory_units.tolist())}
    started = time.perf_counter()
    pure = compute_results(scheme, entries, theory)
    elapsed = time.perf_counter() - started
    same = all(pure[ids[i]].total == from_units(int(standings.total_cents[i]), 2) for i in range(contestants))
    print(f"pure-Decimal compute_results: {elapsed:.2f} s (reference; totals identical to vectorised: {same})")

    started = time.perf_counter()
    tally = SkillTally.from_marks(scheme, entries, theory)
    print(f"SkillTally load, one record per mark: {time.perf_counter() - started:.2f} s (reference)")
    rank_cache = {p.contestant_id: p.entry for p in placed}
    seconds = {ids[i]: int(s) for i, s in enumerate(completion_seconds.tolist())}
    target, aspect = ids[contestants // 2], scheme.aspects[0]
    new_value = aspect.max_mark if aspect.method is not MarkingMethod.WORLDSKILLS else Decimal(3)
    started = time.perf_counter()
    tally.record(target, aspect.code, "R1", new_value)
    updated = tally.result(target)
    mark_elapsed = time.perf_counter() - started
    rank_cache[target] = RankEntry(
        target, updated.total, timedelta(seconds=seconds[target]), updated.practical, updated.theory,
        updated.module_scores,
    )
    placed_again = rank(rank_cache.values())
    total_elapsed = time.perf_counter() - started
    print(
        f"incremental update: {mark_elapsed * 1000:.3f} ms for one mark (aspect + totals + result), "
        f"{total_elapsed * 1000:.1f} ms including re-ranking {len(placed_again):,} entries"
    )


def _django(path: str) -> None:
    import os

    os.environ["DATABASE_URL"] = f"sqlite:///{Path(path).resolve()}"
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def _build_database(contestants: int) -> int:
    """One skill with every mark of the heavy scheme, written once through the models; returns the skill id."""
    import uuid
    from datetime import date

    from django.core.management import call_command
    from django.db import connection, transaction

    from accounts.models import Organization, OrganizationKind, User
    from competitions.models import (
        Aspect,
        Entry,
        EntryStatus,
        Event,
        Mark,
        MarkingScheme,
        Module,
        Skill,
        Status,
    )

    call_command("migrate", verbosity=0)
    existing = Skill.objects.filter(name="bench").first()
    if existing is not None and Mark.objects.filter(entry__skill=existing).exists():
        return existing.pk
    scheme = heavy_scheme()
    started = time.perf_counter()
    with transaction.atomic():
        unit = Organization.objects.create(name=f"bench unit {uuid.uuid4()}", kind=OrganizationKind.ORGANIZER,
                                           city="济南市")
        event = Event.objects.create(name="bench", level="provincial_1", organizer=unit, starts_on=date(2026, 1, 1),
                                     ends_on=date(2026, 1, 2), status=Status.MARKING)
        skill = Skill.objects.create(event=event, name="bench", occupation_code="6-18-02-04", group="worker",
                                     theory_weight=scheme.theory_weight, status=Status.MARKING)
        stored = MarkingScheme.objects.create(skill=skill)
        modules = {code: Module.objects.create(scheme=stored, code=code, name=code, position=i)
                   for i, code in enumerate(scheme.modules)}
        aspects = Aspect.objects.bulk_create([
            Aspect(module=modules[a.module], scheme=stored, code=a.code, method=a.method, max_mark=a.max_mark,
                   referee_count=a.referees, divergence_threshold=a.divergence_threshold, position=i)
            for i, a in enumerate(scheme.aspects)
        ])
        referees = [User.objects.create(username=f"bench_ref_{uuid.uuid4().hex[:10]}") for _ in range(5)]
        rng = np.random.default_rng(SEED)
        values = random_values(scheme, contestants, rng)
        theory = rng.integers(40, 101, size=contestants)
        entries = Entry.objects.bulk_create([
            Entry(skill=skill, unit=unit, status=EntryStatus.APPROVED, workstation_no=f"{i:04d}",
                  theory_score=Decimal(int(theory[i]))) for i in range(contestants)
        ])
        table = Mark._meta.db_table
        # The table name comes from the model, not from input.
        sql = (f"INSERT INTO {table} (entry_id, aspect_id, referee_id, value, idempotency_key, created_at, "  # noqa: S608
               "updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s)")
        now = "2026-01-01 09:00:00"
        rows = values.tolist()
        with connection.cursor() as cursor:
            for c, entry in enumerate(entries):
                batch = [
                    (entry.pk, aspect.pk, referees[r].pk, str(from_units(rows[c][a][r])), uuid.uuid4().hex, now, now)
                    for a, aspect in enumerate(aspects) for r in range(5)
                ]
                cursor.executemany(sql, batch)
    print(f"built the database once: {Mark.objects.count():,} marks in {time.perf_counter() - started:.1f} s")
    return skill.pk


def _database_scenario(path: str, contestants: int) -> None:
    _django(path)
    from competitions.domain.awards import assign_awards as awards_for
    from competitions.models import Skill
    from competitions.selectors import load_mark_columns, vector_standings

    skill_id = _build_database(contestants)
    skill = Skill.objects.select_related("event", "scheme").get(pk=skill_id)
    for attempt in (1, 2):
        started = time.perf_counter()
        columns = load_mark_columns(skill)
        loaded = time.perf_counter()
        standings = vector_standings(columns)
        seconds = np.zeros(len(columns.entry_ids), dtype=np.int64)
        theory_units = np.array([to_units(t or Decimal(0)) for t in columns.theory], dtype=np.int64)
        placed = rank(rank_entries(columns.entry_ids, standings, theory_units, seconds))
        given = awards_for(placed)
        elapsed = time.perf_counter() - started
        print(
            f"[database, run {attempt}] {len(columns.units):,} marks of {len(columns.entry_ids):,} entries: "
            f"{elapsed:.2f} s (target < 1 s, loading included) = load {loaded - started:.2f} s + compute, rank, "
            f"awards {elapsed - (loaded - started):.2f} s; leader {placed[0].total}, "
            f"{sum(1 for a in given if a.award)} awards"
        )


# --- PostgreSQL: the full recompute from the database, and the results API under a crowd of readers ---------------


def _django_url(url: str, settings_module: str = "config.settings") -> None:
    import os

    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 40)
    os.environ.setdefault("SECURE_HTTPS", "false")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    import django

    django.setup()


def _copy_rows(table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """COPY on PostgreSQL (600,000 marks in seconds), executemany elsewhere; table and columns are constants."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)  # noqa: S608


def _build_review_skill(contestants: int) -> int:
    """One skill under review (公示): decrypted, every sheet signed off, 2,000 named entrants × 60 aspects × 5
    referees, cached totals consistent with the marks; written once (COPY for the marks); returns the skill id."""
    import uuid
    from datetime import date

    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import Organization, OrganizationKind, User
    from competitions.models import (
        Aspect,
        Entry,
        EntryMember,
        EntryStatus,
        Event,
        Mark,
        MarkingScheme,
        Module,
        Sheet,
        SheetStatus,
        Skill,
        Status,
    )

    call_command("migrate", verbosity=0)
    name = f"bench-review-{contestants}"
    existing = Skill.objects.filter(name=name).first()
    if existing is not None and Mark.objects.filter(entry__skill=existing).exists():
        return existing.pk
    scheme = heavy_scheme()
    started = time.perf_counter()
    rng = np.random.default_rng(SEED)
    values = random_values(scheme, contestants, rng)
    theory = rng.integers(40, 101, size=contestants)
    seconds = rng.integers(3 * 3600, 4 * 3600, size=contestants)
    vector = vectorised_standings(scheme, values, (theory * UNIT).astype(np.int64))
    now = timezone.now()
    with transaction.atomic():
        tag = uuid.uuid4().hex[:8]
        organizer = Organization.objects.create(name=f"bench organizer {tag}", kind=OrganizationKind.ORGANIZER,
                                                city="济南市")
        units = [Organization.objects.create(name=f"第{i + 1}技师学院 {tag}", kind=OrganizationKind.COLLEGE,
                                             city="济南市") for i in range(40)]
        event = Event.objects.create(name=f"bench 公示 {tag}", level="provincial_1", organizer=organizer,
                                     starts_on=date(2026, 9, 1), ends_on=date(2026, 9, 2), status=Status.REVIEW)
        skill = Skill.objects.create(event=event, name=name, occupation_code="6-18-02-04", group="worker",
                                     theory_weight=scheme.theory_weight, status=Status.REVIEW, decrypted_at=now,
                                     review_until=now + timedelta(days=7))
        stored = MarkingScheme.objects.create(skill=skill, frozen_at=now)
        modules = {code: Module.objects.create(scheme=stored, code=code, name=code, position=i)
                   for i, code in enumerate(scheme.modules)}
        aspects = Aspect.objects.bulk_create([
            Aspect(module=modules[a.module], scheme=stored, code=a.code, method=a.method, max_mark=a.max_mark,
                   referee_count=a.referees, divergence_threshold=a.divergence_threshold, position=i)
            for i, a in enumerate(scheme.aspects)
        ])
        referees = [User.objects.create(username=f"bench_ref_{uuid.uuid4().hex[:10]}") for _ in range(5)]
        people = User.objects.bulk_create([User(username=f"bench_c_{tag}_{i}", real_name=f"选手{i + 1:04d}")
                                           for i in range(contestants)])
        practical, totals, module_units = (vector.practical.tolist(), vector.total_cents.tolist(),
                                           vector.modules.tolist())
        module_list = list(modules.values())
        entries = Entry.objects.bulk_create([
            Entry(skill=skill, unit=units[i % len(units)], status=EntryStatus.APPROVED, workstation_no=f"{i + 1:04d}",
                  checkin_no=i + 1, theory_score=Decimal(int(theory[i])), completion_time=timedelta(seconds=int(
                      seconds[i])), practical=from_units(practical[i]), total=from_units(totals[i], 2),
                  module_scores={str(m.pk): str(from_units(module_units[i][j])) for j, m in enumerate(module_list)})
            for i in range(contestants)
        ])
        EntryMember.objects.bulk_create([EntryMember(entry=e, person=p, event=event, group="worker")
                                         for e, p in zip(entries, people, strict=True)])
        Sheet.objects.bulk_create([
            Sheet(entry=e, module=m, status=SheetStatus.SIGNED_OFF, signed_at=now, signed_by=referees[0])
            for e in entries for m in module_list
        ], batch_size=2000)
        rows = values.tolist()
        stamp = now.isoformat()
        _copy_rows(Mark._meta.db_table,
                   ("entry_id", "aspect_id", "referee_id", "value", "idempotency_key", "created_at", "updated_at"),
                   [(entry.pk, aspect.pk, referees[r].pk, str(from_units(rows[c][a][r])), str(uuid.uuid4()), stamp,
                     stamp)
                    for c, entry in enumerate(entries) for a, aspect in enumerate(aspects) for r in range(5)])
    print(f"built the review skill once: {Mark.objects.filter(entry__skill=skill).count():,} marks, "
          f"{contestants:,} named entrants, in {time.perf_counter() - started:.1f} s")
    return skill.pk


def _percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def _reader_process(port: int, path: str, headers: dict[str, str], threads: int, seconds: float, think: float,
                    out: object) -> None:
    """`threads` readers, each a keep-alive connection asking again `think` seconds after its answer (0: at once),
    each starting at a random moment of its first interval so that paced readers do not arrive in step."""
    import http.client
    import random
    import threading

    latencies: list[float] = []
    statuses: dict[str, int] = {}
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def reader() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine: list[float] = []
        codes: dict[str, int] = {}
        time.sleep(random.random() * think)  # noqa: S311 - spreading start times, not a secret
        while time.perf_counter() < stop_at:
            started = time.perf_counter()
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            mine.append(time.perf_counter() - started)
            code = f"{response.status} stale" if response.getheader("Standings-Stale") else str(response.status)
            codes[code] = codes.get(code, 0) + 1
            if think:
                time.sleep(think)
        conn.close()
        with lock:
            latencies.extend(mine)
            for code, n in codes.items():
                statuses[code] = statuses.get(code, 0) + n

    workers = [threading.Thread(target=reader) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    out.put((latencies, statuses))  # type: ignore[attr-defined]


def _crowd(port: int, path: str, headers: dict[str, str], readers: int, seconds: float, think: float = 0) -> tuple[
        list[float], dict[str, int]]:
    """`readers` concurrent readers in client processes of 10 threads each (not the server's process)."""
    import multiprocessing

    queue: multiprocessing.Queue[tuple[list[float], dict[str, int]]] = multiprocessing.Queue()
    sizes = [10] * (readers // 10) + ([readers % 10] if readers % 10 else [])
    processes = [multiprocessing.Process(target=_reader_process, args=(port, path, headers, n, seconds, think, queue))
                 for n in sizes]
    for process in processes:
        process.start()
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    for _ in processes:
        part, codes = queue.get()
        latencies += part
        for code, n in codes.items():
            statuses[code] = statuses.get(code, 0) + n
    for process in processes:
        process.join()
    return latencies, statuses


def _report(label: str, latencies: Sequence[float], statuses: dict[str, int], seconds: float,
            target_ms: float | None, reference_p95: float | None) -> float:
    p50, p95, p99 = (_percentile(latencies, q) * 1000 for q in (0.5, 0.95, 0.99))
    target = f" (target p95 < {target_ms:.0f} ms: {'met' if p95 < target_ms else 'NOT met'})" if target_ms else ""
    ratio = f"; {p95 / reference_p95:.2f}× the reference's p95" if reference_p95 else ""
    print(f"  {label}: {len(latencies) / seconds:,.0f} req/s, p50 {p50:.1f} ms, p95 {p95:.1f} ms, "
          f"p99 {p99:.1f} ms, statuses {dict(sorted(statuses.items()))}{target}{ratio}")
    return p95


def _start_daphne(port: int, database_url: str, redis_url: str | None) -> object:
    import os
    import subprocess
    import urllib.request

    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "false", "SECRET_KEY": "bench-only-" + "x" * 40,
           "SECURE_HTTPS": "false", "ALLOWED_HOSTS": "127.0.0.1,localhost",
           "DJANGO_SETTINGS_MODULE": "config.settings", "PYTHONPATH": str(root)}
    if redis_url:
        env["REDIS_URL"] = redis_url
    else:
        env.pop("REDIS_URL", None)
    daphne = Path(sys.executable).with_name("daphne")
    log = (root / "var").joinpath(f"bench_daphne_{port}.log")
    log.parent.mkdir(exist_ok=True)
    process = subprocess.Popen(  # noqa: S603 - our own daphne, fixed arguments
        [str(daphne), "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"],
        cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=log.open("wb"), start_new_session=True)
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/competitions/events", timeout=5):  # noqa: S310
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"daphne did not start on port {port}: see {log}")


def _cpu_meter() -> Any:
    """CPU seconds (this process, the database backend of its connection) so far: on a shared machine the wall
    time also counts the neighbours' load, the CPU time only this work. The backend's is read from /proc when the
    server runs on this machine (else 0)."""
    import os

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    tick = os.sysconf("SC_CLK_TCK")

    def read() -> tuple[float, float]:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            server = (int(fields[11]) + int(fields[12])) / tick
        except OSError:
            server = 0.0
        return time.process_time(), server

    return read


def _current_etag(port: int, path: str) -> str:
    """The ETag of the current version, once no rebuild is under way (a stale answer names the previous one)."""
    import urllib.request

    for _ in range(100):
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60) as answer:  # noqa: S310
            answer.read()
            if not answer.headers.get("Standings-Stale"):
                return str(answer.headers["ETag"])
        time.sleep(0.1)
    raise RuntimeError("the results stayed stale for 10 s")


def _changer(skill_id: int, every: float, stop: Any) -> None:
    """A change of the standings every `every` seconds until `stop` is set: one entry's completion time moved by a
    second (the database trigger moves its standings_seq, so the snapshot lags until a reader rebuilds it)."""
    from django.db import connections
    from django.db.models import F

    from competitions.models import Entry

    try:
        entry = Entry.objects.filter(skill_id=skill_id).order_by("pk").first()
        assert entry is not None  # noqa: S101 - the bench skill has entries
        sign = 1
        while not stop.wait(every):
            Entry.objects.filter(pk=entry.pk).update(completion_time=F("completion_time") + timedelta(seconds=sign))
            sign = -sign
    finally:
        connections.close_all()


def _postgres_scenario(url: str, contestants: int, readers: int, seconds: float, port: int,
                       redis_url: str | None, pace: float, rounds: int = 5) -> None:
    _django_url(url)
    import urllib.request

    from ninja.responses import NinjaJSONEncoder
    from pydantic import TypeAdapter

    from competitions.models import Skill
    from competitions.selectors import load_mark_columns, skill_standings
    from competitions.selectors.results import SkillStandings
    from competitions.selectors.standings import compare_rows, rows_from_marks, snapshot_refresh

    skill_id = _build_review_skill(contestants)
    skill = Skill.objects.select_related("event", "scheme").get(pk=skill_id)
    print(f"\n[PostgreSQL] skill {skill.name}: {contestants:,} entrants × 60 aspects × 5 referees, under review")
    cpu = _cpu_meter()
    for attempt in (1, 2, 3):
        started = time.perf_counter()
        load_mark_columns(skill)
        load = time.perf_counter() - started
        started, spent = time.perf_counter(), cpu()
        _codes, recomputed = rows_from_marks(skill)
        full = time.perf_counter() - started
        client, server = (b - a for a, b in zip(spent, cpu(), strict=True))
        print(f"  full recompute from the database, run {attempt}: {full:.2f} s (target < 1 s: "
              f"{'met' if full < 1 else 'NOT met'}; CPU {client:.2f} s here + {server:.2f} s in PostgreSQL) = every "
              f"mark aggregated per (entry, aspect) in SQL, scored, ranked, awarded; reference: loading the 600,000 "
              f"marks alone as before {load:.2f} s (ratio {full / load:.2f}×)")
    started = time.perf_counter()
    snapshot = snapshot_refresh(skill, force=True)
    rebuild = time.perf_counter() - started
    assert snapshot is not None  # noqa: S101 - a waiting refresh always returns one
    print(f"  snapshot rebuild from the cached totals: {rebuild * 1000:.0f} ms; it agrees with the full recompute: "
          f"{not compare_rows(snapshot.rows, recomputed)}")
    adapter = TypeAdapter(SkillStandings)
    old = []
    for _ in range(3):  # main's answer before the snapshot: rank every entry from the caches, then encode
        started = time.perf_counter()
        json.dumps(adapter.dump_python(skill_standings(skill, names=True)), cls=NinjaJSONEncoder, ensure_ascii=False)
        old.append(time.perf_counter() - started)
    old_ms = min(old) * 1000
    print(f"  reference, one answer computed per request as before the snapshot (in process, no HTTP): "
          f"{old_ms:.0f} ms")

    process = _start_daphne(port, url, redis_url)
    from django.conf import settings

    connections = f"the platform's connection pool (at most {settings.DATABASE_POOL['max_size']} connections)"
    try:
        base = f"/api/v1/competitions/events/{skill.event_id}"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{base}/results", timeout=60) as answer:  # noqa: S310
            etag = answer.headers["ETag"]
            size = len(answer.read())
        print(f"  results answer: {size / 1000:,.0f} kB of JSON, ETag {etag}; one daphne process on port {port} "
              f"with {connections}; {seconds:.0f} s per row")
        change_every = min(2.0, seconds / rounds / 4)
        change = f"results right after a change (one every {change_every:g} s), gzip"
        rows = [
            ("reference: the event's detail (a small API read)", base, {}),
            ("results, revalidating (If-None-Match → 304)", f"{base}/results", {"If-None-Match": etag}),
            ("results, full answer gzip (Accept-Encoding: gzip)", f"{base}/results", {"Accept-Encoding": "gzip"}),
            ("results, full answer uncompressed", f"{base}/results", {}),
            (change, f"{base}/results", {"Accept-Encoding": "gzip"}),
        ]
        import threading

        for think, mode in ((pace, f"{readers} readers each reloading every {pace:g} s"),
                            (0.0, f"{readers} readers each asking again at once (saturation)")):
            # The rows take turns in short slices, so that a neighbour's load on this shared machine falls on all
            # of them alike; each row's figures are over all its slices.
            print(f"  {mode} ({rounds} slices of {seconds / rounds:g} s per row, in turn):")
            gathered: dict[str, tuple[list[float], dict[str, int]]] = {label: ([], {}) for label, _, _ in rows}
            for _round in range(rounds):
                for label, path, headers in rows:
                    stop = threading.Event()
                    changer = threading.Thread(target=_changer, args=(skill.pk, change_every, stop)) \
                        if label == change else None
                    if "If-None-Match" in headers:  # the current version's ETag, whatever a change row left
                        headers = {"If-None-Match": _current_etag(port, f"{base}/results")}
                    if changer is not None:
                        changer.start()
                    try:
                        latencies, statuses = _crowd(port, path, headers, readers, seconds / rounds, think)
                    finally:
                        stop.set()
                        if changer is not None:
                            changer.join()
                            _current_etag(port, f"{base}/results")  # the last change's rebuild, before the next row
                    gathered[label][0].extend(latencies)
                    for code, n in statuses.items():
                        gathered[label][1][code] = gathered[label][1].get(code, 0) + n
            reference = None
            for label, _path, _headers in rows:
                latencies, statuses = gathered[label]
                if reference is None:
                    reference = _report(label, latencies, statuses, seconds, None, None)
                    continue
                p95 = _report(label, latencies, statuses, seconds, 50, reference)
                print(f"    = {old_ms / p95:.1f}× the speed, at p95, of one answer computed per request before "
                      f"({old_ms:.0f} ms in process, before any HTTP or queueing)")
    finally:
        import os
        import signal

        os.killpg(process.pid, signal.SIGTERM)  # type: ignore[attr-defined]
        process.wait(10)  # type: ignore[attr-defined]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--skip-pure", action="store_true", help="skip the pure-Decimal reference timings")
    parser.add_argument("--contestants", type=int, default=2000)
    parser.add_argument("--db", metavar="PATH", help="also run the database variant on this SQLite file")
    parser.add_argument("--postgres", metavar="URL", help="run the PostgreSQL variant: full recompute from the "
                        "database and the results API under concurrent readers (daphne on --port)")
    parser.add_argument("--redis", metavar="URL", help="REDIS_URL for the daphne process (cache and channel layer)")
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--port", type=int, default=8130)
    parser.add_argument("--pace", type=float, default=1.0, help="seconds between a paced reader's reloads")
    args = parser.parse_args(argv)
    if args.postgres:
        _postgres_scenario(args.postgres, args.contestants, args.readers, args.seconds, args.port, args.redis,
                           args.pace)
        return
    _scenario("5 referees on every aspect", heavy_scheme(), args.contestants, args.skip_pure)
    _scenario("mixed methods", mixed_scheme(), args.contestants, args.skip_pure)
    if args.db:
        _database_scenario(args.db, args.contestants)


if __name__ == "__main__":
    main()
