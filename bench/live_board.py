"""The live board under a venue's audience (issue 11, "Performance"; DESIGN.md "Live scoring", README "Live stream").

What it runs: a PostgreSQL database of its own (`--db`, dropped and re-created), migrated and seeded with the demo
as bench/mark_path.py does; the demo's 电工 (20 workstations × 4 measurement aspects, mid-marking) is re-grouped into
five marking groups of one referee each, so all five referees mark and every (工位号, aspect) has exactly one
referee. Daphne on PostgreSQL + Redis (one process, or two behind nginx). `--viewers` public websocket viewers in
`--viewer-processes` separate asyncio processes (hundreds of connections each); once all are connected, referees
mark through the HTTP API at `--rate` marks/s for `--seconds` (`manage.py simulate_marking --skill 电工 --log`).

Measured:
- submit-to-viewer latency p50/p95/p99: from the moment the referee's request was sent to the arrival of the frame
  carrying its delta at each viewer (every viewer, every delta). A delta names its (工位号, aspect); each cell has
  one referee sending one request at a time, so the k-th delta of a cell (in seq order, read from the stream's
  table after the run) is the k-th confirmed mark of that cell (in send order, from the submitter's log).
  Times are `time.monotonic()`, one clock for all processes of the machine;
- marks confirmed; deltas lost (a seq a viewer never got, up to the stream's last) and duplicated (a seq again),
  per viewer, and snapshots received mid-stream (none expected);
- the server processes' CPU seconds and peak RSS over the marking window (/proc), and frames delivered per
  CPU-second (all viewers' frames ÷ the servers' CPU seconds).

Beside it, in the same run, the physical reference (bench/ws_reference.py): a broadcast server written with the
`websockets` library alone, under the same viewer load, fed one message per mark by a submitter at the same rate
and broadcasting every 100 ms (our sequencer's tick), or at our frame rate when ours was higher. Printed: our p99 ÷
its p99 and our frames per CPU-second ÷ its (goal ≥ 0.7). Targets: p99 < 250 ms, none lost, none duplicated.

`--find-limit`: the largest viewer count (of `--limit-steps`, each run `--limit-seconds`) whose p99 stays under 1 s
with none lost, on one process and on two behind nginx (a generated config in a temp dir, nginx as a child
process; the configuration is the one README "Running in production" recommends).

Run from the repository root with PostgreSQL at 127.0.0.1:5432 and Redis at 127.0.0.1:6379, the `websockets`
package importable: `python bench/live_board.py` (1,000 viewers, 100 marks/s, 60 s); ports 8241–8244 by default.
Choice: the client processes share the machine with the server; on a small machine they take CPU from it, which
the printed CPU figures let one see.

Measured 2026-12-04, `python bench/live_board.py --db h_live_bench` (1,000 viewers, 2 cores): the submitter
reached 46.2 marks/s of the 100 asked (6,001 confirmed; the machine was saturated), viewers p50 256 ms, p95
384 ms, p99 436 ms, 0 lost, 0 duplicated, one daphne 112.7 CPU-s over 131 s, RSS 278 MB, 9,273 frames/CPU-s;
reference p99 238 ms, 19,625 frames/CPU-s (ours 0.47 of it). Targets p99 < 250 ms and ≥ 0.7 NOT met.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from array import array
from collections import defaultdict
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from demo_database import prepare_demo, psql, server_env, wait_http  # bench/demo_database.py, beside this script

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
DAPHNE = str(Path(PY).with_name("daphne"))
BINS = 60_000  # latency histogram: 1 ms bins up to 60 s (the last bin holds everything slower)
TICKS = os.sysconf("SC_CLK_TCK")


# --- the database and the servers ---------------------------------------------------------------------------------

def prepare(db_url: str, admin_url: str, db: str, redis_url: str) -> dict[str, int]:
    plan: dict[str, int] = prepare_demo(admin_url, db, server_env(db_url, redis_url), __file__, "--regroup")
    return plan


def regroup() -> None:
    """Inside Django: 电工 in five one-referee marking groups (the chief re-forms them, with a reason)."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from accounts.models import User
    from competitions import access, services
    from competitions.models import Skill, Status

    skill = Skill.objects.get(name="电工", status=Status.MARKING)
    referees = [c.referee_id for c in access.skill_candidates(skill)]
    services.marking_groups_form(actor=User.objects.get(username="chief"), skill=skill, reason="压力测试：每组一名裁判",
                                 groups=[services.GroupData((r,), f"第{n}组") for n, r in enumerate(referees, 1)])
    print(json.dumps({"event": skill.event_id, "skill": skill.pk}))


def daphne(port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    command = [DAPHNE, "--proxy-headers", "-e", f"tcp:port={port}:interface=127.0.0.1:backlog=4096",
               "config.asgi:application"]
    proc = subprocess.Popen(command,  # noqa: S603 - the venv's daphne, arguments from this script
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    wait_http(port, proc)
    return proc


NGINX_CONF = """worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
worker_rlimit_nofile 20000;
events {{ worker_connections 16384; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy; fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
{site}
}}
"""

# What README "Running in production" recommends (TLS left out here: the bench runs on loopback).
NGINX_SITE = """    map $http_upgrade $connection_upgrade {{ default upgrade; "" close; }}
    upstream jineng {{
{servers}
        keepalive 32;
    }}
    server {{
        listen 127.0.0.1:{port} backlog=4096;
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $remote_addr;      # replaces whatever the client sent
        proxy_set_header X-Forwarded-Proto $scheme;
        location /ws/ {{
            proxy_pass http://jineng;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_read_timeout 1h;                          # heartbeats every 15 s keep a quiet board open
            proxy_send_timeout 1h;
            proxy_buffering off;
        }}
        location / {{
            proxy_pass http://jineng;
            proxy_set_header Connection "";
            proxy_read_timeout 60s;
        }}
    }}"""


def nginx(port: int, upstreams: list[int], tmp: Path) -> subprocess.Popen[bytes]:
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    servers = "\n".join(f"        server 127.0.0.1:{p};" for p in upstreams)
    (tmp / "nginx.conf").write_text(NGINX_CONF.format(tmp=tmp, site=NGINX_SITE.format(servers=servers, port=port)))
    proc = subprocess.Popen([binary, "-p", str(tmp), "-c", str(tmp / "nginx.conf")],  # noqa: S603
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    wait_http(port, proc)
    return proc


def stop(proc: subprocess.Popen[bytes]) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(5)


@dataclass
class Usage:
    cpu: float
    rss_mb: float


class Sampler:
    """The servers' CPU seconds and RSS every 0.2 s, so a window's usage is read between any two moments."""

    def __init__(self, pids: list[int]) -> None:
        import threading

        self.pids, self.samples = pids, [(time.monotonic(), usage(pids))]
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stopping.wait(0.2):
            self.samples.append((time.monotonic(), usage(self.pids)))

    def between(self, start: float, end: float) -> Usage:
        self.stopping.set()
        self.thread.join()
        inside = [u for t, u in self.samples if start - 0.2 <= t <= end + 0.2] or [self.samples[-1][1]]
        return Usage(inside[-1].cpu - inside[0].cpu, max(u.rss_mb for u in inside))


def usage(pids: list[int]) -> Usage:
    cpu, rss = 0.0, 0.0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        cpu += (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss += int(line.split()[1]) / 1024
    return Usage(cpu, rss)


# --- viewers (in their own processes) -----------------------------------------------------------------------------

class Viewer:
    def __init__(self) -> None:
        self.base = -1  # the snapshot's seq
        self.last = -1
        self.arrivals = array("d")
        self.lost = self.duplicated = self.frames = self.snapshots = 0

    def apply(self, frame: dict[str, Any], now: float) -> None:
        if frame["type"] == "snapshot":
            if self.base < 0:
                self.base = self.last = int(frame["seq"])
            else:
                self.snapshots += 1
            return
        if frame["type"] != "delta":
            return
        self.frames += 1
        for delta in frame["deltas"]:
            seq = int(delta["seq"])
            if seq <= self.last:
                self.duplicated += 1
                continue
            self.lost += seq - self.last - 1
            while len(self.arrivals) < seq - self.base:
                self.arrivals.append(0.0)
            self.arrivals[seq - self.base - 1] = now
            self.last = seq


async def _watch(url: str, origin: str, viewer: Viewer, connected: asyncio.Event, failures: list[str]) -> None:
    from websockets.asyncio.client import connect

    first = True
    try:
        async with connect(url, origin=origin, max_size=None, open_timeout=60, ping_interval=None) as ws:  # type: ignore[arg-type]
            async for message in ws:
                viewer.apply(json.loads(message), time.monotonic())
                if first:
                    first = False
                    connected.set()
            # the server closed the socket cleanly: a failure too, named by its close code
            failures.append(f"{'connect' if first else 'mid-stream'}: closed by the server ({ws.close_code})")
    except Exception as exc:  # a failed viewer is counted, not fatal; the reason is printed
        failures.append(f"{'connect' if first else 'mid-stream'}: {type(exc).__name__}: {str(exc)[:80]}")
    connected.set()


def _reasons(failures: list[str]) -> dict[str, int]:
    counted: dict[str, int] = defaultdict(int)
    for reason in failures:
        counted[reason] += 1
    return dict(counted)


def viewer_process(url: str, origin: str, count: int, pipe: Connection) -> None:
    async def run() -> None:
        viewers = [Viewer() for _ in range(count)]
        failures: list[str] = []
        tasks = []
        for start in range(0, count, 50):  # connect in batches: a burst of 1,000 handshakes overflows nothing
            events = [asyncio.Event() for _ in viewers[start:start + 50]]
            for viewer, event in zip(viewers[start:start + 50], events, strict=True):
                tasks.append(asyncio.ensure_future(_watch(url, origin, viewer, event, failures)))
            await asyncio.gather(*(e.wait() for e in events))
        pipe.send(("connected", count - len(failures), _reasons(failures)))
        loop = asyncio.get_running_loop()
        last_seq, wait = await loop.run_in_executor(None, pipe.recv)  # the stream's last seq: drain up to it
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and any(0 <= v.last < last_seq for v in viewers):
            await asyncio.sleep(0.1)
        pipe.send(time.monotonic())
        await loop.run_in_executor(None, pipe.recv)  # "stop"
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        sent, last_seq = pipe.recv()  # {seq: send time}, the stream's last seq
        hist = [0] * (BINS + 1)
        lost = duplicated = frames = snapshots = 0
        for viewer in viewers:
            if viewer.base < 0:
                continue
            lost += max(last_seq - viewer.last, 0) + viewer.lost
            duplicated += viewer.duplicated
            frames += viewer.frames
            snapshots += viewer.snapshots
            for i, arrived in enumerate(viewer.arrivals):
                at = sent.get(viewer.base + i + 1)
                if arrived and at is not None:
                    hist[min(int((arrived - at) * 1000), BINS)] += 1
        pipe.send({"hist": hist, "lost": lost, "duplicated": duplicated, "frames": frames, "snapshots": snapshots,
                   "failures": _reasons(failures)})

    asyncio.run(run())


class Audience:
    """`viewers` viewers spread over `processes` processes."""

    def __init__(self, url: str, origin: str, viewers: int, processes: int) -> None:
        ctx = mp.get_context("spawn")
        shares = [viewers // processes + (1 if i < viewers % processes else 0) for i in range(processes)]
        self.pipes, self.procs = [], []
        for share in (s for s in shares if s):
            parent, child = ctx.Pipe()
            proc = ctx.Process(target=viewer_process, args=(url, origin, share, child), daemon=True)
            proc.start()
            self.pipes.append(parent)
            self.procs.append(proc)

    def connected(self) -> tuple[int, dict[str, int]]:
        answers = [pipe.recv() for pipe in self.pipes]
        return sum(a[1] for a in answers), _merged([a[2] for a in answers])

    def drain(self, last_seq: int, wait: float = 30.0) -> float:
        """Wait until every viewer got `last_seq` (at most `wait` seconds); when the last of them had it."""
        for pipe in self.pipes:
            pipe.send((last_seq, wait))
        return max(float(pipe.recv()) for pipe in self.pipes)

    def finish(self, sent: dict[int, float], last_seq: int) -> dict[str, Any]:
        for pipe in self.pipes:
            pipe.send("stop")
        for pipe in self.pipes:
            pipe.send((sent, last_seq))
        parts = [pipe.recv() for pipe in self.pipes]
        for proc in self.procs:
            proc.join(30)
        total: dict[str, Any] = {k: sum(p[k] for p in parts) for k in ("lost", "duplicated", "frames", "snapshots")}
        total["failures"] = _merged([p["failures"] for p in parts])
        total["hist"] = [sum(col) for col in zip(*(p["hist"] for p in parts), strict=True)]
        return total


def _merged(parts: list[dict[str, int]]) -> dict[str, int]:
    merged: dict[str, int] = defaultdict(int)
    for part in parts:
        for reason, n in part.items():
            merged[reason] += n
    return dict(merged)


def quantiles(hist: list[int]) -> dict[str, float]:
    n = sum(hist)
    out = {"n": float(n)}
    for name, q in (("p50", 0.50), ("p95", 0.95), ("p99", 0.99)):
        if n == 0:
            out[name] = float("nan")
            continue
        rank, seen = q * n, 0
        for ms, count in enumerate(hist):
            seen += count
            if seen >= rank:
                out[name] = float(ms) + 0.5
                break
    return out


# --- one run against our server, one against the reference --------------------------------------------------------

def our_run(plan: dict[str, int], db_url: str, env: dict[str, str], base: str, pids: list[int], viewers: int,
            processes: int, rate: float, seconds: float) -> dict[str, Any]:
    host = base.split("//", 1)[1]
    event = plan["event"]
    audience = Audience(f"ws://{host}/ws/competitions/events/{event}/board/?audience=public", f"http://{host}",
                        viewers, processes)
    ok, failures = audience.connected()
    start_seq = int(psql(db_url, f"SELECT coalesce(max(seq), 0) FROM competitions_streamdelta "  # noqa: S608
                                  f"WHERE event_id = {event}")[0][0])
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "marks.jsonl"
        sampler = Sampler(pids)
        out = subprocess.run([PY, "manage.py", "simulate_marking", str(event), "--skill", str(plan["skill"]),  # noqa: S603
                              "--referees", "10", "--rate", str(rate), "--duration", str(seconds), "--url", base,
                              "--log", str(log)], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
        marks = [json.loads(line) for line in log.read_text().splitlines()]
    rows = psql(db_url, f"SELECT seq, payload->>'workstation_no', payload->>'aspect' FROM "  # noqa: S608
                         f"competitions_streamdelta WHERE event_id = {event} AND seq > {start_seq} "
                         f"AND kind = 'mark' ORDER BY seq")
    last_seq = int(psql(db_url, f"SELECT coalesce(max(seq), 0) FROM competitions_streamdelta "  # noqa: S608
                                 f"WHERE event_id = {event}")[0][0])
    began = min((m["sent"] for m in marks), default=time.monotonic())
    drained = audience.drain(last_seq)
    used, window = sampler.between(began, drained), max(drained - began, 1e-9)
    by_cell: dict[tuple[str, str], list[float]] = defaultdict(list)
    for m in sorted((m for m in marks if m["status"] in (200, 201)), key=lambda m: m["sent"]):
        by_cell[(m["workstation_no"], m["aspect"])].append(m["sent"])
    sent: dict[int, float] = {}
    taken: dict[tuple[str, str], int] = defaultdict(int)
    for seq, station, aspect in rows:
        times = by_cell.get((station, aspect), [])
        k = taken[(station, aspect)]
        if k < len(times):
            sent[int(seq)] = times[k]
        taken[(station, aspect)] = k + 1
    result = audience.finish(sent, last_seq)
    result.update(quantiles(result["hist"]), connected=ok, connect_failures=failures, cpu=used.cpu,
                  rss_mb=used.rss_mb, window=window, confirmed=sum(m["status"] in (200, 201) for m in marks),
                  sent_marks=len(marks), deltas=last_seq - start_seq, submitter=out.stdout.strip().splitlines()[-2:])
    return result


def reference_run(port: int, tick: float, viewers: int, processes: int, rate: float,
                  seconds: float) -> dict[str, Any]:
    server = subprocess.Popen([PY, str(ROOT / "bench" / "ws_reference.py"), "--port", str(port),  # noqa: S603
                               "--tick", f"{tick:.4f}"], cwd=ROOT, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                with __import__("socket").create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.1)
        audience = Audience(f"ws://127.0.0.1:{port}/board", f"http://127.0.0.1:{port}", viewers, processes)
        ok, failures = audience.connected()
        sampler = Sampler([server.pid])
        sent_times = asyncio.run(_reference_submit(port, rate, seconds))
        drained = audience.drain(len(sent_times))
        used, window = sampler.between(sent_times[0], drained), max(drained - sent_times[0], 1e-9)
        result = audience.finish({i + 1: t for i, t in enumerate(sent_times)}, len(sent_times))
    finally:
        stop(server)
    result.update(quantiles(result["hist"]), connected=ok, connect_failures=failures, cpu=used.cpu,
                  rss_mb=used.rss_mb, window=window, confirmed=len(sent_times), deltas=len(sent_times))
    return result


async def _reference_submit(port: int, rate: float, seconds: float) -> list[float]:
    """One message per mark, at `rate`, shaped like a mark's public delta; the server numbers them in order."""
    from websockets.asyncio.client import connect

    sent: list[float] = []
    async with connect(f"ws://127.0.0.1:{port}/marks") as ws:
        start = time.monotonic()
        k = 0
        while (due := start + k / rate) < start + seconds:
            await asyncio.sleep(max(due - time.monotonic(), 0))
            sent.append(time.monotonic())
            await ws.send(json.dumps({"skill": 2, "workstation_no": f"D{k % 20 + 1:02d}", "aspect": "E3",
                                      "module": "M2", "module_scores": {"M1": "50.0000", "M2": "37.5000"},
                                      "practical": "87.5000", "aspect_mark": "12.5000", "complete": True,
                                      "divergent": False, "judgement": False, "signed_off": False,
                                      "decrypted": False, "scores": [{"value": "24.1300"}]}))
            k += 1
    return sent


# --- printing -----------------------------------------------------------------------------------------------------

def line(name: str, r: dict[str, Any], viewers: int) -> str:
    frames_per_cpu = r["frames"] / r["cpu"] if r["cpu"] > 0 else float("inf")
    return (f"{name}: {r['connected']}/{viewers} viewers  marks {r['confirmed']} confirmed, deltas {r['deltas']}  "
            f"latency p50 {r['p50']:.0f} ms  p95 {r['p95']:.0f} ms  p99 {r['p99']:.0f} ms  "
            f"lost {r['lost']}  duplicated {r['duplicated']}  snapshots mid-stream {r['snapshots']}  "
            f"frames {r['frames']} ({r['frames'] / max(viewers, 1) / r['window']:.1f}/s per viewer)  "
            f"CPU {r['cpu']:.1f} s over {r['window']:.0f} s, RSS {r['rss_mb']:.0f} MB  "
            f"frames/CPU-s {frames_per_cpu:,.0f}" + _failure_text(r))


def _failure_text(r: dict[str, Any]) -> str:
    """The viewers that failed, by reason (at connect, and in all up to the end of the run)."""
    failed = r.get("failures") or {}
    if not failed:
        return ""
    reasons = "; ".join(f"{n} × {reason}" for reason, n in sorted(failed.items(), key=lambda item: -item[1]))
    return f"\n    viewers failed: {reasons}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--regroup", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server URL")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--db", default="bench_live_board", help="database to (re)create for the run")
    parser.add_argument("--viewers", type=int, default=1000)
    parser.add_argument("--viewer-processes", type=int, default=4)
    parser.add_argument("--rate", type=float, default=100.0, help="marks per second")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--port", type=int, default=8241, help="first of four ports: daphne ×2, reference, nginx")
    parser.add_argument("--no-reference", action="store_true")
    parser.add_argument("--find-limit", action="store_true")
    parser.add_argument("--limit-steps", type=int, nargs="+", default=[250, 500, 1000, 2000, 4000])
    parser.add_argument("--limit-seconds", type=float, default=15.0)
    args = parser.parse_args()
    if args.regroup:
        regroup()
        return
    db_url = f"{args.pg}/{args.db}"
    plan = prepare(db_url, f"{args.pg}/postgres", args.db, args.redis)
    env = server_env(db_url, args.redis)
    print(f"demo 电工 (skill {plan['skill']}, event {plan['event']}): 20 workstations × 4 aspects, five referees; "
          f"{args.viewers} viewers in {args.viewer_processes} processes, {args.rate:g} marks/s for {args.seconds:g} s",
          flush=True)
    base = f"http://127.0.0.1:{args.port}"
    server = daphne(args.port, env)
    try:
        ours = our_run(plan, db_url, env, base, [server.pid], args.viewers, args.viewer_processes, args.rate,
                       args.seconds)
    finally:
        stop(server)
    print("  submitter: " + " | ".join(ours["submitter"]))
    print(line("our server (one daphne)", ours, args.viewers), flush=True)
    if not args.no_reference:
        # Our frames follow the sequencer's ticks (STREAM_SEQUENCE_INTERVAL, 0.1 s) when the server keeps up; a
        # saturated server sends fewer, which must not slow the reference down with it.
        frame_rate = ours["frames"] / max(ours["connected"], 1) / ours["window"]
        tick = min(1 / frame_rate, 0.1) if frame_rate > 0 else 0.1
        ref = reference_run(args.port + 2, tick, args.viewers, args.viewer_processes, args.rate, args.seconds)
        print(line(f"reference (websockets alone, tick {tick * 1000:.0f} ms)", ref, args.viewers), flush=True)
    print("targets:")
    print(f"  p99 < 250 ms: {ours['p99']:.0f} ms → {'met' if ours['p99'] < 250 else 'NOT met'}")
    print(f"  none lost: {ours['lost']} → {'met' if ours['lost'] == 0 else 'NOT met'}")
    print(f"  none duplicated: {ours['duplicated']} → {'met' if ours['duplicated'] == 0 else 'NOT met'}")
    if not args.no_reference:
        ours_fpc = ours["frames"] / ours["cpu"] if ours["cpu"] else 0.0
        ref_fpc = ref["frames"] / ref["cpu"] if ref["cpu"] else float("inf")
        print(f"  against the reference: p99 {ours['p99']:.0f} ms vs {ref['p99']:.0f} ms "
              f"(ours ÷ its = {ours['p99'] / max(ref['p99'], 1e-9):.2f}); frames per CPU-second {ours_fpc:,.0f} vs "
              f"{ref_fpc:,.0f} (ours ÷ its = {ours_fpc / ref_fpc:.3f}; goal ≥ 0.7 → "
              f"{'met' if ours_fpc / ref_fpc >= 0.7 else 'NOT met'})")
    if args.find_limit:
        find_limit(args, plan, db_url, env)


def find_limit(args: argparse.Namespace, plan: dict[str, int], db_url: str, env: dict[str, str]) -> None:
    print(f"find-limit ({args.limit_seconds:g} s a step, {args.rate:g} marks/s; p99 < 1 s and none lost):", flush=True)
    for setup in ("one daphne", "two daphne behind nginx"):
        servers = [daphne(args.port, env)]
        front: subprocess.Popen[bytes] | None = None
        tmp = Path(tempfile.mkdtemp(prefix="live-board-nginx-"))
        base = f"http://127.0.0.1:{args.port}"
        try:
            if setup != "one daphne":
                servers.append(daphne(args.port + 1, env))
                tmp.chmod(0o777)
                front = nginx(args.port + 3, [args.port, args.port + 1], tmp)
                base = f"http://127.0.0.1:{args.port + 3}"
            held = 0
            for viewers in args.limit_steps:
                r = our_run(plan, db_url, env, base, [s.pid for s in servers], viewers, args.viewer_processes,
                            args.rate, args.limit_seconds)
                good = r["p99"] < 1000 and r["lost"] == 0 and r["connected"] == viewers
                print("  " + line(f"{setup}, {viewers} viewers", r, viewers) + f" → {'holds' if good else 'fails'}",
                      flush=True)
                if not good:
                    break
                held = viewers
            print(f"  limit, {setup}: {held} viewers" + (" (or more: every step held)" if held == max(
                args.limit_steps) else ""), flush=True)
        finally:
            if front is not None:
                stop(front)
            for s in servers:
                stop(s)
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
