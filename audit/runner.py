"""The sealer's every-second run (DESIGN.md "Audit at scale"): a daemon thread inside each `manage.py db_worker`.

The task worker is the platform's one background process (`make demo` and production start it beside daphne), so
starting the sealer with it needs no extra process and no extra command; a queued task re-enqueuing itself every
second would instead fill the task table with 86,400 rows a day. Several workers each run a sealer; they take
turns on the sealer's row lock, so one seals and the others find nothing left. `AUDIT_SEAL_INTERVAL=0` turns it
off (then run `manage.py audit_seal` from cron). A worker started with --batch (tests, one-off runs) gets none.
Each run logs the entries it sealed and the lag (the oldest one's age when its head was signed).
"""

from __future__ import annotations

import logging
import sys
import threading
import time

from django.conf import settings
from django.db import close_old_connections, connection

logger = logging.getLogger("audit.sealer")


def wanted(argv: list[str]) -> bool:
    """Does this process run the task worker, in its long-running form, with the sealer switched on?"""
    return len(argv) > 1 and argv[1] == "db_worker" and "--batch" not in argv and settings.AUDIT_SEAL_INTERVAL > 0


def _loop(interval: float) -> None:
    from audit.sealing import audit_seal

    next_run = time.monotonic() + interval
    while True:
        time.sleep(max(0.0, next_run - time.monotonic()))  # a steady cadence: a slow seal does not add its time
        next_run = max(next_run + interval, time.monotonic())
        try:
            close_old_connections()
            report = audit_seal()
            if report.sealed:
                logger.info("sealed %d entries, tree size %d, lag %d ms", report.sealed, report.tree_size,
                            report.lag_ms)
        except Exception:  # the next run tries again; a failing sealer must not stop the worker
            logger.exception("audit sealer run failed")
            connection.close()


def start_if_wanted() -> threading.Thread | None:
    if not wanted(sys.argv):
        return None
    thread = threading.Thread(target=_loop, args=(settings.AUDIT_SEAL_INTERVAL,), name="audit-sealer", daemon=True)
    thread.start()
    return thread
