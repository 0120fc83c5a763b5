"""Marks through real HTTP under a venue's load (issue 8, "Performance"; DESIGN.md "Data flow of one mark").

What it runs: a PostgreSQL database of its own (`--db`, dropped and re-created), migrated and seeded with the demo
(its 电工 skill is being marked: 20 entries, 5 referees, every sheet open); one or two daphne processes serving it;
clients in separate processes (each with several threads on keep-alive connections) that send `POST
/api/v1/competitions/skills/{id}/marks` with bearer tokens, each request a new idempotency key and a valid value
for an (entry, aspect) the referee sits on the panel of, so every request records or changes a mark with its
revision, totals and audit entry. Each row runs for `--seconds`.

Beside it, in the same run and at the same concurrency, the reference: a plain INSERT of a row of the same shape
(into a table like competitions_mark, no constraints but the key) through psycopg, one autocommit statement per
row, from the same number of client threads in separate processes. Printed: marks/s, p50/p99 latency, how many
5xx and other failures, inserts/s, and the ratio marks/s ÷ inserts/s; then the targets (16 clients: ≥ 200 marks/s
with p99 < 100 ms; 64 clients: no 5xx; two daphne processes ≥ 1.7× one).

Run from the repository root with PostgreSQL at 127.0.0.1:5432:
`python bench/mark_path.py` (defaults: clients 1 4 16 64, 10 s each, one and two daphne processes).

Measured 2026-12-04, 2 cores shared by the clients, daphne and PostgreSQL, otherwise quiet, `python
bench/mark_path.py --db h_mark_bench --clients 16 64 --processes 1 2`: one daphne, 16 clients 175.2 marks/s, p50
88.6 ms, p99 165.6 ms, daphne CPU 4.73 ms/mark (INSERT 8,995.6/s, ratio 0.019); 64 clients 171.1/s, p99 567.3 ms,
0 5xx; two daphne, 64 clients 223.1/s (1.30× one). Targets 200/s with p99 < 100 ms and 1.7× NOT met: at 175/s
the one daphne process uses 0.83 of a core and PostgreSQL and the clients the rest of the two.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from demo_database import prepare_demo, psql, server_env, wait_http  # bench/demo_database.py, beside this script

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
DAPHNE = str(Path(PY).with_name("daphne"))


@dataclass(frozen=True)
class Work:
    token: str
    workstation_no: str
    aspect_code: str
    values: tuple[str, ...]


def _env(db_url: str) -> dict[str, str]:
    return server_env(db_url, None)


def prepare(db_url: str, admin_url: str, db: str) -> dict[str, Any]:
    """A fresh database with the demo, and what the clients send: tokens and allowed (工位号, aspect) pairs."""
    plan_: dict[str, Any] = prepare_demo(admin_url, db, _env(db_url), __file__, "--plan")
    return plan_


def plan() -> None:
    """Inside Django (a subprocess with the bench database): the tokens and the work, printed as JSON."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from accounts import services as accounts_services
    from accounts.actors import SYSTEM
    from accounts.models import User
    from competitions import access
    from competitions.adapters import domain_aspect
    from competitions.demo import _value
    from competitions.models import Entry, EntryStatus, Skill, Status

    skill = Skill.objects.get(name="电工", status=Status.MARKING)
    candidates = access.skill_candidates(skill)
    aspects = list(skill.scheme.aspects.select_related("module").order_by("module__position", "position"))
    tokens: dict[int, str] = {}
    rng = random.Random(7)
    work: list[dict[str, Any]] = []
    for entry in Entry.objects.filter(skill=skill, status=EntryStatus.APPROVED).order_by("workstation_no"):
        members = access.member_ids_of(entry)
        for aspect in aspects:
            for referee_id in access.panel(candidates, entry, aspect, members, domain_aspect(aspect).referee_count):
                rid = int(referee_id)  # type: ignore[call-overload]
                if rid not in tokens:
                    user = User.objects.get(pk=rid)
                    tokens[rid] = accounts_services.token_create(actor=SYSTEM, user=user, name="bench").plaintext
                values = tuple(str(_value(rng, aspect, rng.uniform(0.5, 0.97), 2)) for _ in range(8))
                work.append({"token": tokens[rid], "workstation_no": entry.workstation_no,
                             "aspect_code": aspect.code, "values": values})
    print(json.dumps({"skill": skill.pk, "work": work}))


def _daphne(port: int, db_url: str, extra: list[str]) -> subprocess.Popen[bytes]:
    command = [DAPHNE, "-b", "127.0.0.1", "-p", str(port), *extra, "config.asgi:application"]
    proc = subprocess.Popen(command,  # noqa: S603 - the venv's daphne, arguments from this script
                            cwd=ROOT, env=_env(db_url), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    wait_http(port, proc)
    return proc


def _http_client(args: tuple[list[int], int, list[dict[str, Any]], int, float, int]) -> dict[str, Any]:
    ports, skill, work, threads, seconds, seed = args
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors = 0
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def run(n: int) -> None:
        nonlocal errors
        rng = random.Random(seed * 1000 + n)
        port = ports[n % len(ports)]
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        codes: dict[int, int] = {}
        failed = 0
        while time.perf_counter() < stop_at:
            item = rng.choice(work)
            body = json.dumps({"workstation_no": item["workstation_no"], "aspect_code": item["aspect_code"],
                               "value": rng.choice(item["values"]), "idempotency_key": str(uuid.uuid4())})
            start = time.perf_counter()
            try:
                conn.request("POST", f"/api/v1/competitions/skills/{skill}/marks", body=body,
                             headers={"Authorization": f"Bearer {item['token']}",
                                      "Content-Type": "application/json"})
                response = conn.getresponse()
                response.read()
                codes[response.status] = codes.get(response.status, 0) + 1
                mine.append(time.perf_counter() - start)
            except (OSError, http.client.HTTPException):
                failed += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        with lock:
            latencies.extend(mine)
            for code, count in codes.items():
                statuses[code] = statuses.get(code, 0) + count
            errors += failed

    pool = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return {"latencies": latencies, "statuses": statuses, "errors": errors}


def _insert_client(args: tuple[str, int, float, int]) -> int:
    import psycopg

    db_url, threads, seconds, seed = args
    stop_at = time.perf_counter() + seconds
    counts = [0] * threads

    def run(n: int) -> None:
        rng = random.Random(seed * 1000 + n)
        with psycopg.connect(db_url, autocommit=True) as conn:
            while time.perf_counter() < stop_at:
                conn.execute(
                    "INSERT INTO bench_plain_mark (entry_id, aspect_id, referee_id, value, idempotency_key, "
                    "created_at, updated_at) VALUES (%s, %s, %s, %s, %s, now(), now())",
                    (rng.randint(1, 20), rng.randint(1, 40), rng.randint(1, 6), rng.randint(0, 100), uuid.uuid4()),
                )
                counts[n] += 1

    pool = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return sum(counts)


def _split(clients: int, processes: int) -> list[int]:
    processes = min(processes, clients)
    return [clients // processes + (1 if i < clients % processes else 0) for i in range(processes)]


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time the processes have used so far (Linux /proc), in seconds."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of proc(5))
    return total / ticks


def run_marks(ports: list[int], plan_: dict[str, Any], clients: int, seconds: float,
              servers: list[int] | None = None) -> dict[str, Any]:
    shares = _split(clients, 4)
    with mp.get_context("spawn").Pool(len(shares)) as pool:
        cpu_before = cpu_seconds(servers or [])
        parts = pool.map(_http_client, [(ports, plan_["skill"], plan_["work"], n, seconds, i)
                                        for i, n in enumerate(shares)])
        server_cpu = cpu_seconds(servers or []) - cpu_before
    latencies = sorted(x for p in parts for x in p["latencies"])
    statuses: dict[int, int] = {}
    for p in parts:
        for code, count in p["statuses"].items():
            statuses[int(code)] = statuses.get(int(code), 0) + count
    ok = statuses.get(201, 0) + statuses.get(200, 0)
    q = statistics.quantiles(latencies, n=100) if len(latencies) >= 2 else [0.0] * 99
    return {"per_s": ok / seconds, "p50": q[49] * 1000, "p99": q[98] * 1000,
            "5xx": sum(c for s, c in statuses.items() if s >= 500),
            "other": sum(c for s, c in statuses.items() if s not in (200, 201) and s < 500),
            "errors": sum(p["errors"] for p in parts), "statuses": statuses,
            "cpu_ms": server_cpu * 1000 / max(ok, 1)}


def run_inserts(db_url: str, clients: int, seconds: float) -> float:
    psql(db_url, "DROP TABLE IF EXISTS bench_plain_mark")
    psql(db_url, "CREATE TABLE bench_plain_mark (id bigserial PRIMARY KEY, entry_id bigint, aspect_id bigint, "
                  "referee_id bigint, value numeric(9, 4), idempotency_key uuid UNIQUE, created_at timestamptz, "
                  "updated_at timestamptz)")
    shares = _split(clients, 4)
    with mp.get_context("spawn").Pool(len(shares)) as pool:
        total = sum(pool.map(_insert_client, [(db_url, n, seconds, i) for i, n in enumerate(shares)]))
    return total / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--plan", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server URL")
    parser.add_argument("--db", default="bench_mark_path", help="database to (re)create for the run")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 4, 16, 64])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--port", type=int, default=8105)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2], help="daphne processes to compare")
    parser.add_argument("--daphne-arg", action="append", default=[], help="extra daphne argument (repeatable)")
    parser.add_argument("--reuse", action="store_true",
                        help="keep the database and work of the last run on --db (marks it recorded stay)")
    args = parser.parse_args()
    if args.plan:
        plan()
        return
    db_url = f"{args.pg}/{args.db}"
    saved = ROOT / "var" / f"{args.db}-plan.json"
    if args.reuse and saved.exists():
        plan_ = json.loads(saved.read_text())
    else:
        plan_ = prepare(db_url, f"{args.pg}/postgres", args.db)
        saved.parent.mkdir(exist_ok=True)
        saved.write_text(json.dumps(plan_))
    print(f"demo 电工 skill {plan_['skill']}: {len(plan_['work'])} (工位号, aspect, referee) cells to mark")
    results: dict[tuple[int, int], dict[str, Any]] = {}
    for processes in args.processes:
        servers = [_daphne(args.port + i, db_url, args.daphne_arg) for i in range(processes)]
        try:
            for clients in args.clients:
                marks = run_marks([args.port + i for i in range(processes)], plan_, clients, args.seconds,
                                   [server.pid for server in servers])
                inserts = run_inserts(db_url, clients, args.seconds)
                results[(processes, clients)] = marks
                print(f"daphne ×{processes}  clients {clients:>3}: {marks['per_s']:7.1f} marks/s  "
                      f"p50 {marks['p50']:6.1f} ms  p99 {marks['p99']:7.1f} ms  5xx {marks['5xx']}  "
                      f"other {marks['other']}  conn errors {marks['errors']}  "
                      f"daphne CPU {marks['cpu_ms']:.2f} ms/mark  | plain INSERT {inserts:8.1f}/s  "
                      f"ratio {marks['per_s'] / inserts:.3f}", flush=True)
        finally:
            for server in servers:
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(10)
    print("targets:")
    if (1, 16) in results:
        r = results[(1, 16)]
        print(f"  16 clients, one daphne: ≥ 200 marks/s with p99 < 100 ms: {r['per_s']:.1f}/s, p99 {r['p99']:.1f} ms"
              f" → {'met' if r['per_s'] >= 200 and r['p99'] < 100 else 'NOT met'}")
    if (1, 64) in results:
        r = results[(1, 64)]
        print(f"  64 clients: no 5xx: {r['5xx']} → {'met' if r['5xx'] == 0 else 'NOT met'}")
    biggest = max(args.clients)
    if (1, biggest) in results and (2, biggest) in results:
        ratio = results[(2, biggest)]["per_s"] / max(results[(1, biggest)]["per_s"], 1e-9)
        print(f"  two daphne processes ≥ 1.7× one (at {biggest} clients): {ratio:.2f}× → "
              f"{'met' if ratio >= 1.7 else 'NOT met'}")


if __name__ == "__main__":
    main()
