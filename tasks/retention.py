"""Stored task files that outlive their use (issue 8's leftover): a queued import whose worker never runs.

A large import keeps its uploaded file as a `TaskInput` row until its task ends, however it ends, and the task
deletes it (competitions/tasks.py). When no worker ever takes the task (none is running, or it crashed and the
task row was lost), the file — real-name data — would stay in the database for good. So a file older than
`TASK_INPUT_MAX_AGE` (24 hours by default) is deleted, whatever its task's state, and a task still waiting or
running is marked failed with a message that says what to do (upload again). 24 hours: long past any import's
run (2,000 rows take seconds) yet short enough that a forgotten upload does not linger over a weekend's backups.

It runs when a task worker starts and every hour inside it (a daemon thread, like the audit sealer), and on demand
with `manage.py expire_task_inputs` (for a cron line where no worker runs).
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from datetime import datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from tasks.models import TaskInput, TaskProgress, TaskStatus

logger = logging.getLogger("tasks.retention")

EXPIRED_MESSAGE = gettext_noop("上传的文件等待处理超过规定时间，已按个人信息保护要求删除；请重新上传。")
CHECK_EVERY = 3600.0


def max_age() -> timedelta:
    return timedelta(seconds=float(getattr(settings, "TASK_INPUT_MAX_AGE", 24 * 3600)))


@transaction.atomic
def expire_stale_inputs(*, now: datetime | None = None, older_than: timedelta | None = None) -> int:
    """Delete every stored task file older than the limit; fail the tasks still waiting for one. Returns how many
    files were deleted."""
    cutoff = (now or timezone.now()) - (older_than if older_than is not None else max_age())
    stale = list(TaskInput.objects.select_for_update().filter(created_at__lt=cutoff)
                 .values_list("progress_id", flat=True))
    if not stale:
        return 0
    TaskProgress.objects.filter(pk__in=stale, status__in=[TaskStatus.QUEUED, TaskStatus.RUNNING]).update(
        status=TaskStatus.FAILED, message=EXPIRED_MESSAGE, updated_at=timezone.now())
    TaskInput.objects.filter(pk__in=stale).delete()
    logger.warning("deleted %d task files older than %s", len(stale), cutoff.isoformat())
    return len(stale)


def _loop() -> None:
    while not apps.ready:  # started from AppConfig.ready(): the first query waits for every app to be loaded
        time.sleep(0.1)
    while True:
        try:
            close_old_connections()
            expire_stale_inputs()
        except Exception:  # the next run tries again; a failing clean-up must not stop the worker
            logger.exception("expiring task files failed")
            connection.close()
        time.sleep(CHECK_EVERY)


def start_if_wanted(argv: list[str] | None = None) -> threading.Thread | None:
    """Inside a long-running `manage.py db_worker` only (the audit sealer's rule, audit/runner.py)."""
    argv = sys.argv if argv is None else argv
    if not (len(argv) > 1 and argv[1] == "db_worker" and "--batch" not in argv):
        return None
    thread = threading.Thread(target=_loop, name="task-input-expiry", daemon=True)
    thread.start()
    return thread
