"""Several task workers on PostgreSQL share one queue: every job runs exactly once."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection

from audit.models import AuditEntry
from tasks.models import TaskProgress, TaskStatus
from tasks.progress import task_start
from tests.tasks.sample_tasks import record_run

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="several workers need a shared server database")
def test_two_workers_run_every_job_exactly_once() -> None:
    jobs = [task_start(owner=None, kind="tests.record", label=f"job {i}", task=record_run) for i in range(40)]
    db = connection.settings_dict
    env = {**os.environ, "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
           "DJANGO_SETTINGS_MODULE": "config.settings_test"}
    command = [sys.executable, "manage.py", "db_worker", "--batch", "--queue-name", "*", "--no-startup-delay"]
    workers = [
        subprocess.Popen(command + ["--worker-id", f"w{i}"], cwd=ROOT, env=env,  # noqa: S603 - fixed arguments
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        for i in range(2)
    ]
    for worker in workers:
        _, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err
    runs = Counter(AuditEntry.objects.filter(action="tests.task.ran").values_list("target_id", flat=True))
    assert runs == Counter({str(job.pk): 1 for job in jobs})
    assert set(TaskProgress.objects.values_list("status", flat=True)) == {TaskStatus.SUCCEEDED}
