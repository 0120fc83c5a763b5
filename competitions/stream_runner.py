"""The live stream's sequencer loop (competitions.services.stream): a daemon thread in each daphne process.

Every `STREAM_SEQUENCE_INTERVAL` seconds (0.1), and at once when woken (a mark's commit in this process sets
`services.stream.SEQUENCER_WOKEN`), it numbers the committed deltas of every event (`stream_sequence_all`).
The same pattern as the audit sealer (audit.runner): a steady cadence, a failing run logged and retried, several
processes taking turns on each stream's row lock. Started by config/asgi.py only when the process is daphne
(`wanted`), so tests, management commands and the task worker run none; `STREAM_SEQUENCE_INTERVAL=0` turns it
off.

Wake-ups are merged: a run starts no sooner than `MIN_GAP` (100 ms, the stream's tick) after the previous one
began. A mark after a quiet spell is numbered at once; under a venue's load one run numbers the deltas of every
mark of the last tick instead of each mark paying for a run of its own. Measured with py-spy on one daphne process
under 4 clients (about 90 marks/s, PostgreSQL): with 30 ms the sequencer took a fifth of the process's CPU, most of
it the fixed cost of a run (find the events, lock the stream, number, save, wake), so fewer runs is the lever.
A board sees a mark at most 100 ms later for it, which is the coalescing tick boards are sent on anyway.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time

from django.conf import settings
from django.db import close_old_connections, connection

from competitions.services.stream import SEQUENCER_WOKEN

logger = logging.getLogger("competitions.sequencer")

MIN_GAP = 0.1  # seconds between the starts of two runs (module docstring)

_thread: threading.Thread | None = None
_stopping = threading.Event()


def wanted(argv: list[str]) -> bool:
    return bool(argv) and os.path.basename(argv[0]).startswith("daphne") and settings.STREAM_SEQUENCE_INTERVAL > 0


def run_once() -> int:
    """One run; returns how many deltas were numbered."""
    from competitions.services.stream import stream_sequence_all

    close_old_connections()
    return sum(report.numbered for report in stream_sequence_all())


def _loop(interval: float) -> None:
    while not _stopping.is_set():
        SEQUENCER_WOKEN.wait(interval)
        SEQUENCER_WOKEN.clear()
        if _stopping.is_set():
            break
        started = time.monotonic()
        try:
            run_once()
        except Exception:  # the next tick tries again; a failing run must not stop the server
            logger.exception("stream sequencer run failed")
            connection.close()
        rest = MIN_GAP - (time.monotonic() - started)
        if rest > 0:
            _stopping.wait(rest)  # marks committed meanwhile set SEQUENCER_WOKEN: the next run takes them all


def stop() -> None:
    """End the loop after its current run (a test that started one; a server simply exits)."""
    global _thread
    _stopping.set()
    SEQUENCER_WOKEN.set()
    if _thread is not None:
        _thread.join(10)
    _thread = None
    _stopping.clear()
    SEQUENCER_WOKEN.clear()


def start_if_wanted() -> threading.Thread | None:
    global _thread
    if not wanted(sys.argv) or (_thread is not None and _thread.is_alive()):
        return None
    _thread = threading.Thread(target=_loop, args=(settings.STREAM_SEQUENCE_INTERVAL,), name="stream-sequencer",
                               daemon=True)
    _thread.start()
    return _thread
