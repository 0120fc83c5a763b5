"""`manage.py simulate_marking EVENT_ID --referees N --rate MARKS_PER_S --duration S [--url URL]`: play referees
marking through the real HTTP API of a running server (issue 11 item 4; DESIGN.md "Data flow of one mark").

What it reads and writes itself: it opens the database the settings name (the one the server at `--url` serves:
the same `DATABASE_URL`) to find the event's skills in marking, their referees and what each may mark, and it
creates an API token for each referee it plays (system actor, audited, expiring in a day; revoked when the run
ends). Everything else goes through HTTP: `POST /api/v1/competitions/skills/{id}/marks` with the referee's bearer
token, a new idempotency key per mark, and a value inside the aspect's range. It needs nothing beyond the running
server and its database (`make demo`: 电工 is mid-marking, so the demo board moves).

Choices where DESIGN.md is silent:
- What a referee marks is what their marking page lists (`competitions.selectors.marking.marking_sheet`, the same
  assignment, group-block, recusal and panel rules as the pages): the open cells (`may_mark`), never a signed-off
  or closed one, nor one whose panel other referees' marks already fill (marking groups re-formed after marking
  began: the page lists it, the service refuses it), so every mark sent should be confirmed. The referees played
  are those with the most open cells, N at most.
- Values follow the aspect's method: one of `choices` (full or zero, WorldSkills 0–3), a measured value near the
  nominal (tolerance: nominal ± a normal error, two decimals, sometimes out of tolerance), or a mark 0…max with
  two decimals (panel, mean).
- The rate is the total over all referees; each referee is one thread with one keep-alive connection (one tablet)
  sending on a fixed schedule of rate ÷ N per second (open loop: a slow answer delays that referee's next mark,
  which then goes out at once; the run prints the rate achieved). A referee walks their open cells in a shuffled
  order and starts over, so a cell is marked again only after all the others.
- A connection error (no answer) is retried once on a new connection with the same idempotency key, as a tablet
  would; the server answers a retry of a mark it recorded with 200 and the stored mark (`replayed`). Counted:
  confirmed (201, or 200 replayed), refused (4xx, by the error `code` of the answer), failed (5xx, or no answer
  after the retry). Latency is from the first send to the answer, over every answered request.
- `--log FILE` writes one JSON line per mark (`key`, `skill`, `workstation_no`, `aspect`, `value`, `sent`,
  `answered`, `status`, `code`); `sent`/`answered` are `time.monotonic()` seconds, which on Linux are one clock for
  every process of the machine (bench/live_board.py matches them with the viewers' arrival times).
"""

from __future__ import annotations

import http.client
import json
import random
import statistics
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any
from urllib.parse import urlsplit

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.actors import SYSTEM
from accounts.models import ApiToken, User
from accounts.services import token_create, token_revoke
from competitions import access
from competitions.models import Event, MarkingMethod, Skill, Status
from competitions.selectors.marking import AspectView, marking_sheet

RUN_LABEL = "simulate_marking"  # the tokens' name, so a run's tokens are recognisable


@dataclass(frozen=True, slots=True)
class Cell:
    """One open cell of a referee's marking page: a 工位号 and an aspect, with what the aspect takes."""

    skill_id: int
    workstation_no: str
    aspect: AspectView


@dataclass(slots=True)
class Referee:
    user: User
    cells: list[Cell]
    token: str = ""
    token_id: int | None = None


@dataclass(slots=True)
class Tally:
    """What one referee's thread saw; merged at the end."""

    sent: int = 0
    confirmed: int = 0
    refused: Counter[str] = field(default_factory=Counter)
    failed: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)


def value_for(aspect: AspectView, rng: random.Random) -> Decimal:
    """A value inside the aspect's range (module docstring)."""
    if aspect.choices:
        return rng.choice(aspect.choices).value
    if aspect.method == MarkingMethod.TOLERANCE and aspect.nominal is not None:
        widest = max((row.tolerance for row in aspect.tolerance_rows if row.tolerance is not None),
                     default=Decimal(1))
        error = Decimal(str(round(rng.gauss(0, float(widest) / 2), 2)))
        return (aspect.nominal + error).quantize(Decimal("0.01"))
    return (aspect.max_mark * Decimal(str(rng.uniform(0.3, 1.0)))).quantize(Decimal("0.01")).min(aspect.max_mark)


def open_cells(event: Event, skill_ids: list[int] | None = None) -> list[Referee]:
    """Every referee of the event's skills in marking (those of `skill_ids` only, when given) with the cells their
    marking page lets them mark."""
    referees: dict[int, Referee] = {}
    skills = Skill.objects.filter(event=event, status=Status.MARKING).order_by("pk")
    for skill in skills.filter(pk__in=skill_ids) if skill_ids else skills:
        for candidate in access.skill_candidates(skill):
            user = User.objects.get(pk=candidate.referee_id)
            sheet = marking_sheet(referee=user, skill=skill)
            aspects = {a.id: a for a in sheet.aspects}
            # A panel already full of other referees' marks (groups re-formed after marking began) refuses a
            # newcomer (mark.too_many_referees), though the page lists the cell: left out.
            cells = [Cell(skill.pk, w.workstation_no, aspects[c.aspect_id])
                     for w in sheet.workstations for c in w.cells
                     if c.may_mark and len(c.others or ()) < aspects[c.aspect_id].referee_count]
            if cells:
                referees.setdefault(user.pk, Referee(user, [])).cells.extend(cells)
    return sorted(referees.values(), key=lambda r: (-len(r.cells), r.user.pk))


class Player:
    """The HTTP side: one thread per referee (module docstring)."""

    def __init__(self, url: str, referees: list[Referee], rate: float, duration: float, seed: int,
                 log: IO[str] | None) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise CommandError(f"--url must be http(s)://host[:port], not {url!r}")
        self.https = parts.scheme == "https"
        self.host = parts.hostname
        self.port = parts.port or (443 if self.https else 80)
        self.prefix = parts.path.rstrip("/")
        self.referees, self.rate, self.duration, self.seed = referees, rate, duration, seed
        self.log, self.log_lock = log, threading.Lock()

    def _connection(self) -> http.client.HTTPConnection:
        kind = http.client.HTTPSConnection if self.https else http.client.HTTPConnection
        return kind(self.host, self.port, timeout=30)

    def _post(self, conn: http.client.HTTPConnection, token: str, cell: Cell, body: bytes) -> tuple[int, bytes]:
        conn.request("POST", f"{self.prefix}/api/v1/competitions/skills/{cell.skill_id}/marks", body=body,
                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        response = conn.getresponse()
        return response.status, response.read()

    def _referee(self, n: int, referee: Referee, start: float, tally: Tally) -> None:
        rng = random.Random(self.seed * 7919 + n)  # noqa: S311 - simulated marks, not secrets
        interval = len(self.referees) / self.rate
        cells = list(referee.cells)
        rng.shuffle(cells)
        conn = self._connection()
        k = 0
        due = start + interval * n / len(self.referees)  # referees spread over one interval
        while due < start + self.duration:
            pause = due - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            cell = cells[k % len(cells)]
            k += 1
            value, key = value_for(cell.aspect, rng), str(uuid.uuid4())
            body = json.dumps({"workstation_no": cell.workstation_no, "aspect_code": cell.aspect.code,
                               "value": str(value), "idempotency_key": key}).encode()
            sent = time.monotonic()
            status, code = 0, ""
            for attempt in (1, 2):
                try:
                    status, content = self._post(conn, referee.token, cell, body)
                    break
                except (OSError, http.client.HTTPException) as exc:
                    conn.close()
                    conn = self._connection()
                    code = type(exc).__name__
                    if attempt == 2:
                        status = 0
            answered = time.monotonic()
            tally.sent += 1
            if status in (200, 201):
                tally.confirmed += 1
            elif status == 0:
                tally.failed[f"no answer ({code})"] += 1
            else:
                try:
                    code = str(json.loads(content).get("code", status))
                except (ValueError, AttributeError):
                    code = str(status)
                (tally.failed if status >= 500 else tally.refused)[code] += 1
            if status:
                tally.latencies.append(answered - sent)
            if self.log is not None:
                line = json.dumps({"key": key, "skill": cell.skill_id, "workstation_no": cell.workstation_no,
                                   "aspect": cell.aspect.code, "value": str(value), "sent": sent,
                                   "answered": answered, "status": status, "code": code})
                with self.log_lock:
                    self.log.write(line + "\n")
            due += interval
        conn.close()

    def run(self) -> tuple[Tally, float]:
        tallies = [Tally() for _ in self.referees]
        start = time.monotonic() + 0.2
        threads = [threading.Thread(target=self._referee, args=(n, r, start, t), daemon=True)
                   for n, (r, t) in enumerate(zip(self.referees, tallies, strict=True))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = max(time.monotonic() - start, 1e-9)
        total = Tally()
        for t in tallies:
            total.sent += t.sent
            total.confirmed += t.confirmed
            total.refused.update(t.refused)
            total.failed.update(t.failed)
            total.latencies.extend(t.latencies)
        return total, elapsed


def _quantiles_ms(latencies: list[float]) -> str:
    if len(latencies) < 2:
        return "p50/p95/p99 n/a (fewer than two answers)"
    q = statistics.quantiles(latencies, n=100, method="inclusive")
    return f"p50 {q[49] * 1000:.1f} ms  p95 {q[94] * 1000:.1f} ms  p99 {q[98] * 1000:.1f} ms"


class Command(BaseCommand):
    help = ("Play referees marking an event through the HTTP API of a running server, at a given total rate, and "
            "print what was sent, confirmed, refused (by error code) and failed, with the latency p50/p95/p99. "
            "Reads this database (the server's: same DATABASE_URL) to find the event's skills in marking, their "
            "referees and open cells, and creates an API token per referee it plays (system actor, expiring in a "
            "day, revoked at the end).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("event_id", type=int)
        parser.add_argument("--referees", type=int, default=5, help="referees to play, at most (default 5)")
        parser.add_argument("--rate", type=float, default=5.0, help="marks per second, all referees (default 5)")
        parser.add_argument("--duration", type=float, default=10.0, help="seconds to run (default 10)")
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="the server (default %(default)s)")
        parser.add_argument("--seed", type=int, default=1, help="seed of the values and cell order (default 1)")
        parser.add_argument("--skill", type=int, action="append", default=[],
                            help="mark this skill only (repeatable; default: every skill of the event in marking)")
        parser.add_argument("--log", default="", help="write one JSON line per mark to this file")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["referees"] < 1 or options["rate"] <= 0 or options["duration"] <= 0:
            raise CommandError("--referees, --rate and --duration must be positive")
        event = Event.objects.filter(pk=options["event_id"]).first()
        if event is None:
            raise CommandError(f"No event {options['event_id']}.")
        referees = open_cells(event, options["skill"])[: options["referees"]]
        if not referees:
            raise CommandError(f"Event {event.pk} has no skill in marking with an open cell for any referee.")
        for referee in referees:
            issued = token_create(actor=SYSTEM, user=referee.user, name=RUN_LABEL, days=1)
            referee.token, referee.token_id = issued.plaintext, issued.token.pk
        cells = sum(len(r.cells) for r in referees)
        self.stdout.write(f"event {event.pk} {event.name}: {len(referees)} referees, {cells} open cells; "
                          f"{options['rate']:g} marks/s for {options['duration']:g} s against {options['url']}")
        log = open(options["log"], "w", encoding="utf-8") if options["log"] else None  # noqa: SIM115
        try:
            player = Player(options["url"], referees, options["rate"], options["duration"], options["seed"], log)
            tally, elapsed = player.run()
        finally:
            if log is not None:
                log.close()
            for token in ApiToken.objects.filter(pk__in=[r.token_id for r in referees], revoked_at__isnull=True):
                token_revoke(actor=SYSTEM, token=token, reason="simulate_marking run ended")
        refused = ", ".join(f"{code} {n}" for code, n in tally.refused.most_common()) or "none"
        failed = ", ".join(f"{code} {n}" for code, n in tally.failed.most_common()) or "none"
        self.stdout.write(f"sent {tally.sent} ({tally.sent / elapsed:.1f}/s)  confirmed {tally.confirmed}  "
                          f"refused {sum(tally.refused.values())} ({refused})  "
                          f"failed {sum(tally.failed.values())} ({failed})")
        self.stdout.write(f"latency {_quantiles_ms(tally.latencies)}")
