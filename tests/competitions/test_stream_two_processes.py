"""Two real daphne processes share one event's live stream through PostgreSQL and Redis (issue 11 item 5; DESIGN.md
"Embedded default and scale-out", "Live scoring"; README "Live stream (protocol)").

Each process runs its own sequencer (competitions.stream_runner starts in daphne). Marks go in through the HTTP API
of one process; websocket viewers (the `websockets` client library, public audience) are connected to the other.
What must hold, seen through the protocol only:
- a mark entered on A reaches a viewer on B, in order and exactly once: the viewer's sequence numbers are
  consecutive from its snapshot's, and every mark's delta arrives once;
- a viewer moved from A to B mid-stream (it disconnects from A and reconnects to B with its epoch and seq)
  recovers without a gap: its first frame on B is a `delta` with `recovered: true` carrying exactly the deltas
  it missed, and it goes on receiving live ones after them.

Each mark in the test goes to its own (工位号, aspect), so a delta names the mark it carries. The database is the
test's (committed: `transaction=True`), passed to the subprocesses by name, as tests/tasks/test_workers.py does;
their ports are picked free at run time.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from accounts.actors import SYSTEM
from accounts.services import token_create
from competitions.management.commands.simulate_marking import open_cells, value_for
from tests.competitions.steps import Scenario

ROOT = Path(__file__).resolve().parents[2]
DAPHNE = str(Path(sys.executable).with_name("daphne"))

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"),
                       reason="two processes share a stream through PostgreSQL and Redis: set DATABASE_URL to "
                              "PostgreSQL and REDIS_URL"),
]


@dataclass(frozen=True)
class Planned:
    """One mark to send: through whose token, to which skill, (工位号, aspect), with which value."""

    token: str
    skill: int
    workstation_no: str
    aspect: str
    value: str


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def two_servers() -> Iterator[tuple[int, int]]:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    env = {**os.environ, "DATABASE_URL": f"postgres://{auth}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
           "DJANGO_SETTINGS_MODULE": "config.settings_test", "STREAM_SEQUENCE_INTERVAL": "0.1"}
    ports = (_free_port(), _free_port())
    servers = [subprocess.Popen([DAPHNE, "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"],  # noqa: S603
                                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
               for port in ports]
    try:
        for port, server in zip(ports, servers, strict=True):
            deadline = time.monotonic() + 60
            while True:
                assert server.poll() is None, server.communicate()[1]
                try:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                    conn.request("GET", "/healthz")
                    if conn.getresponse().status == 200:
                        break
                except OSError:
                    pass
                assert time.monotonic() < deadline, f"daphne on {port} did not start"
                time.sleep(0.2)
        yield ports
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(15)
            except subprocess.TimeoutExpired:
                server.kill()


def _plan(s: Scenario) -> list[Planned]:
    """One mark per distinct (工位号, aspect) open to a referee, each with that referee's token."""
    rng = random.Random(11)  # noqa: S311 - test values
    planned, seen = [], set()
    for referee in open_cells(s.event):
        token = token_create(actor=SYSTEM, user=referee.user, name="two processes", days=1).plaintext
        for cell in referee.cells:
            if (cell.skill_id, cell.workstation_no, cell.aspect.code) not in seen:
                seen.add((cell.skill_id, cell.workstation_no, cell.aspect.code))
                planned.append(Planned(token, cell.skill_id, cell.workstation_no, cell.aspect.code,
                                       str(value_for(cell.aspect, rng))))
    return planned


def _post(port: int, mark: Planned) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    body = json.dumps({"workstation_no": mark.workstation_no, "aspect_code": mark.aspect, "value": mark.value,
                       "idempotency_key": str(uuid.uuid4())})
    conn.request("POST", f"/api/v1/competitions/skills/{mark.skill}/marks", body=body,
                 headers={"Authorization": f"Bearer {mark.token}", "Content-Type": "application/json"})
    response = conn.getresponse()
    response.read()
    return response.status


class Viewer:
    """A public board client: it applies frames as the protocol says and keeps every delta it received."""

    def __init__(self, ws: Any) -> None:
        self.ws, self.epoch, self.seq = ws, "", 0
        self.deltas: list[dict[str, Any]] = []
        self.frames: list[dict[str, Any]] = []

    @classmethod
    async def connect(cls, port: int, event_id: int, query: str = "") -> Viewer:
        from websockets.asyncio.client import connect

        url = f"ws://127.0.0.1:{port}/ws/competitions/events/{event_id}/board/?audience=public{query}"
        return cls(await connect(url, origin=f"http://127.0.0.1:{port}"))  # type: ignore[arg-type]

    async def frame(self, timeout: float = 20) -> dict[str, Any]:
        frame: dict[str, Any] = json.loads(await asyncio.wait_for(self.ws.recv(), timeout))
        self.frames.append(frame)
        if frame["type"] in ("snapshot", "delta"):
            self.epoch = frame["epoch"]
            if frame["type"] == "delta":
                self.deltas.extend(frame["deltas"])
            self.seq = frame["seq"]
        return frame

    async def until(self, marks: int, timeout: float = 30) -> None:
        """Read frames until `marks` mark deltas arrived in all (or fail after `timeout` seconds)."""
        deadline = time.monotonic() + timeout
        while sum(d["kind"] == "mark" for d in self.deltas) < marks:
            await self.frame(max(deadline - time.monotonic(), 0.01))


def _names(deltas: list[dict[str, Any]]) -> list[tuple[int, str, str]]:
    return [(d["skill"], d["workstation_no"], d["aspect"]) for d in deltas if d["kind"] == "mark"]


def _cells(marks: list[Planned]) -> list[tuple[int, str, str]]:
    return [(m.skill, m.workstation_no, m.aspect) for m in marks]


def _consecutive(deltas: list[dict[str, Any]], after: int) -> bool:
    return [d["seq"] for d in deltas] == list(range(after + 1, after + 1 + len(deltas)))


def test_a_mark_on_one_process_reaches_a_viewer_of_the_other_and_a_moved_viewer_recovers(
    scenario: Scenario, two_servers: tuple[int, int]
) -> None:
    a, b = two_servers
    planned = _plan(scenario)
    assert len(planned) >= 12
    first, second, third = planned[:6], planned[6:10], planned[10:12]
    event_id = scenario.event.pk

    async def run() -> None:
        on_b = await Viewer.connect(b, event_id)
        moving = await Viewer.connect(a, event_id)
        for viewer in (on_b, moving):
            assert (await viewer.frame())["type"] == "snapshot"
        start = on_b.seq
        for mark in first:  # one at a time, so their deltas follow the order they were sent
            assert await asyncio.to_thread(_post, a, mark) == 201
        await on_b.until(len(first))
        await moving.until(len(first))
        assert _consecutive(on_b.deltas, start) and _names(on_b.deltas) == _cells(first)
        assert _consecutive(moving.deltas, start) and _names(moving.deltas) == _cells(first)

        # The moving viewer leaves A; marks go on (through B); it comes back on B with its position.
        await moving.ws.close()
        left_at, epoch = moving.seq, moving.epoch
        for mark in second:
            assert await asyncio.to_thread(_post, b, mark) == 201
        await on_b.until(len(first) + len(second))
        moved = await Viewer.connect(b, event_id, f"&epoch={epoch}&seq={left_at}")
        frame = await moved.frame()
        assert frame["type"] == "delta" and frame["recovered"] is True and frame["epoch"] == epoch
        assert _consecutive(moved.deltas, left_at) and _names(moved.deltas) == _cells(second)
        assert moved.seq == on_b.seq

        for mark in third:  # and it goes on live, after what it recovered
            assert await asyncio.to_thread(_post, a, mark) == 201
        await moved.until(len(second) + len(third))
        await on_b.until(len(planned[:12]))
        assert _consecutive(moved.deltas, left_at) and _names(moved.deltas) == _cells(second + third)
        assert _consecutive(on_b.deltas, start) and _names(on_b.deltas) == _cells(planned[:12])
        # nothing refused, and no snapshot but the first viewer's first frame: every step above was a delta
        assert [f["type"] for f in on_b.frames if f["type"] not in ("delta", "heartbeat")] == ["snapshot"]
        assert {f["type"] for f in moved.frames} - {"heartbeat"} == {"delta"}
        for viewer in (on_b, moved):
            await viewer.ws.close()

    pytest.importorskip("websockets", reason="the websocket clients are the websockets library's")
    asyncio.run(run())
