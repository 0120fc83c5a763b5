"""Audited writes per second without a global lock, and the sealer's lag (DESIGN.md "Audit at scale"; issue 8).

Scenario, on PostgreSQL: N writers (1, 4, 16, 64), each with its own database connection, spread over up to 8
processes (threads inside each beyond that), each committing short transactions as fast as it can. One transaction
of the audited run = a small real write (one row into a bench table) + `audit.services.audit_record` (one INSERT,
no lock). The reference, measured in the same run with the same writers: the same small write + a plain INSERT of
a similar row (same columns) into a copy of the entries table without triggers. The ratio is audited / plain.
For comparison the old design is measured too ("locked"): the plain write plus an UPDATE of one shared head row.
A sealer process runs `audit_seal` every second throughout each row (as each task worker does); its lag is each
entry's age when the head that first covers it was signed, and the p99 is printed per row. Each row alternates
the modes every few seconds with the same writers and prints each mode's median, since the load of a shared
machine changes by the minute.

Targets (issue 8): at least 1,000 audited writes/s at 16 writers; sealer lag p99 under 2 s.

Run from the repository root with a PostgreSQL database you may fill (it is migrated first):
`DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME python bench/audit_append.py [--seconds 10]`.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-key-" + "b" * 50)
os.environ.setdefault("SECURE_HTTPS", "false")

WRITERS = [1, 4, 16, 64]
TARGET_AT_16 = 1000.0
TARGET_LAG_P99_S = 2.0


def _setup() -> None:
    import django

    django.setup()


def _prepare() -> None:
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_audit_thing (id bigserial PRIMARY KEY, writer int, n int, "
                       "at timestamptz NOT NULL DEFAULT now())")
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_plain_entry (LIKE audit_auditentry INCLUDING DEFAULTS "
                       "INCLUDING INDEXES)")
        cursor.execute("CREATE SEQUENCE IF NOT EXISTS bench_plain_entry_id_seq")
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_head (id int PRIMARY KEY, n bigint NOT NULL)")
        cursor.execute("INSERT INTO bench_head VALUES (1, 0) ON CONFLICT DO NOTHING")
        cursor.execute("ALTER TABLE bench_plain_entry ALTER COLUMN id SET DEFAULT nextval('bench_plain_entry_id_seq')")


MODES = ("plain", "audited", "locked")
WAIT, STOP = -1, -2


def _writer_loop(writer: int, ready: Any, phase: Any, counts: list[int]) -> None:
    """Commit transactions in the mode of the current phase (plain, audited, locked in turn), counting each phase's
    commits, until told to stop."""
    import json

    from django.db import connection, transaction
    from django.utils import timezone

    from accounts.actors import SYSTEM
    from audit.services import audit_record

    n = 0
    try:
        connection.ensure_connection()
    except Exception as exc:  # e.g. "too many clients": say so instead of leaving the run waiting
        ready.put(f"writer {writer} could not connect: {exc}")
        return
    ready.put(None)
    with connection.cursor() as cursor:
        while (current := phase.value) != STOP:
            if current == WAIT:
                time.sleep(0.005)
                continue
            with transaction.atomic():
                cursor.execute("INSERT INTO bench_audit_thing (writer, n) VALUES (%s, %s)", [writer, n])
                mode = MODES[current % len(MODES)]
                if mode == "locked":  # the old design: every audited write waits for the one head row
                    cursor.execute("UPDATE bench_head SET n = n + 1 WHERE id = 1")
                if mode == "audited":
                    audit_record(actor=SYSTEM, action="bench.thing.written", target=("bench.thing", n),
                                 old={"n": n - 1}, new={"n": n, "writer": writer}, reason="bench")
                else:
                    cursor.execute(
                        "INSERT INTO bench_plain_entry (created_at, actor_id, actor_label, action, target_type, "
                        "target_id, old, new, reason, request_id, txid) "
                        "VALUES (%s, NULL, 'system', 'bench.thing.written', 'bench.thing', %s, %s, %s, 'bench', '', "
                        "pg_current_xact_id())",
                        [timezone.now(), str(n), json.dumps({"n": n - 1}), json.dumps({"n": n, "writer": writer})])
            counts[current] += 1
            n += 1
    connection.close()


def _process(first_writer: int, threads: int, phases: int, ready: Any, phase: Any, out: Any) -> None:
    _setup()
    per_thread = [[0] * phases for _ in range(threads)]
    workers = [threading.Thread(target=_writer_loop, args=(first_writer + i, ready, phase, per_thread[i]))
               for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    out.put([sum(column) for column in zip(*per_thread, strict=True)])


def _sealer(ready: Any, stop: Any, interval: float) -> None:
    _setup()
    from django.db import connection

    from audit.sealing import audit_seal

    audit_seal()
    ready.set()  # started and warm before the writers start, as a worker's sealer is

    next_run = time.monotonic() + interval
    while not stop.is_set():  # the same cadence as audit/runner.py
        time.sleep(max(0.0, next_run - time.monotonic()))
        next_run = max(next_run + interval, time.monotonic())
        audit_seal()
    audit_seal()
    connection.close()


def run(writers: int, rounds: int, seconds: float) -> dict[str, list[float]]:
    """Rates (commits/s) of each phase, by mode: the same writers switch mode together every `seconds`, so a
    change of the machine's load falls on every mode alike."""
    ctx = mp.get_context("spawn")
    processes = min(writers, 8)
    per = [writers // processes + (1 if i < writers % processes else 0) for i in range(processes)]
    phases = len(MODES) * rounds
    out, ready = ctx.Queue(), ctx.Queue()
    phase = ctx.Value("i", WAIT, lock=False)
    procs, first = [], 0
    for threads in per:
        procs.append(ctx.Process(target=_process, args=(first, threads, phases, ready, phase, out), daemon=True))
        first += threads
    for p in procs:
        p.start()
    for _ in range(writers):  # every writer has started Django and opened its connection
        problem = ready.get(timeout=600)
        if problem:
            phase.value = STOP
            sys.exit(problem)
    durations = []
    for k in range(phases):
        began = time.monotonic()
        phase.value = k
        time.sleep(seconds)
        durations.append(time.monotonic() - began)
    phase.value = STOP
    totals = [0] * phases
    for _ in procs:
        for k, count in enumerate(out.get(timeout=600)):
            totals[k] += count
    for p in procs:
        p.join()
    rates = [count / duration for count, duration in zip(totals, durations, strict=True)]
    return {mode: rates[i::len(MODES)] for i, mode in enumerate(MODES)}


def lag_p99(from_index: int) -> tuple[float, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM h.timestamp - e.created_at)),
                   count(*)
            FROM audit_auditleaf l
            JOIN audit_auditentry e ON e.id = l.entry_id
            JOIN LATERAL (SELECT timestamp FROM audit_audittreehead h WHERE h.tree_size > l.index
                          ORDER BY tree_size LIMIT 1) h ON true
            WHERE l.index >= %s
            """,
            [from_index],
        )
        p99, count = cursor.fetchone()
    return float(p99 or 0.0), int(count)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=2.0, help="per phase (default 2)")
    parser.add_argument("--rounds", type=int, default=6, help="phases of each mode per row, alternating (default 6)")
    parser.add_argument("--writers", type=int, nargs="*", default=WRITERS)
    parser.add_argument("--no-sealer", action="store_true", help="run the audited writers without the sealer")
    args = parser.parse_args()
    _setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("bench/audit_append.py needs PostgreSQL: set DATABASE_URL=postgres://…")
    _prepare()
    from audit.models import AuditLeaf
    from audit.sealing import audit_seal_all

    audit_seal_all()
    connection.close()
    print(f"audited writes/s (small write + audit_record) beside plain writes/s (small write + INSERT of a similar "
          f"row) and locked writes/s (the old design: plain + one head row updated by every write), medians of "
          f"{args.rounds} phases of {args.seconds:g} s per mode in turn, the sealer running every second "
          f"throughout; PostgreSQL, {os.cpu_count()} cores")
    print(f"{'writers':>7} | {'audited/s':>10} | {'plain/s':>10} | {'ratio':>6} | {'locked/s':>9} | {'lag p99 s':>9} | "
          f"{'sealed':>7} | targets")
    for writers in args.writers:
        start_index = AuditLeaf.objects.count()
        connection.close()
        ctx = mp.get_context("spawn")
        stop, sealer_ready = ctx.Event(), ctx.Event()
        sealer = ctx.Process(target=_sealer, args=(sealer_ready, stop, 1.0), daemon=True)
        if not args.no_sealer:
            sealer.start()
            sealer_ready.wait(600)
        # alternate the two modes and take each one's median: the load of a shared machine changes by the minute
        rates = run(writers, args.rounds, args.seconds)
        stop.set()
        if not args.no_sealer:
            sealer.join()
        plain, audited, locked = (statistics.median(rates[mode]) for mode in MODES)
        p99, sealed = lag_p99(start_index)
        connection.close()
        target = f"≥ {TARGET_AT_16:,.0f}/s at 16" if writers == 16 else ""
        verdict = ("ok" if audited >= TARGET_AT_16 else "MISSED") if writers == 16 else ""
        lag_verdict = "ok" if p99 < TARGET_LAG_P99_S else "MISSED"
        print(f"{writers:>7} | {audited:>10,.0f} | {plain:>10,.0f} | {audited / plain:>6.2f} | {locked:>9,.0f} | "
              f"{p99:>9.2f} | "
              f"{sealed:>7,} | {target} {verdict}; lag p99 < {TARGET_LAG_P99_S:g} s {lag_verdict}", flush=True)


if __name__ == "__main__":
    main()
