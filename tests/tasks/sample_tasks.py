"""A task for the worker tests: it leaves one audit entry per run, so a job run twice would show."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django_tasks import task

from accounts.actors import SYSTEM
from audit.services import audit_record
from tasks.progress import run_with_progress


@task(queue_name="default")
def record_run(progress_id: str) -> dict[str, Any]:
    def body(report: Any) -> dict[str, Any]:
        with transaction.atomic():
            audit_record(actor=SYSTEM, action="tests.task.ran", target=("tasks.taskprogress", progress_id))
        report(1, 1)
        return {"ran": progress_id}

    return run_with_progress(progress_id, body)
