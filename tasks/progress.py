"""Starting background tasks and reporting their progress (Django's tasks framework, database backend).

`task_start` records a TaskProgress row and enqueues the task only when the transaction commits, so a worker
never picks up a job whose data is not there yet. It is not durable: a service calls it inside its own
(durable) transaction, and the job then leaves with that transaction's commit, or never, when it rolls back.
The task receives the progress id (ids, never instances) and runs its body through `run_with_progress`, which
moves the row through running → succeeded/failed and hands the body a `report(done, total, message)` callable.
Several workers on PostgreSQL share the queue safely: the database backend claims each job with
SELECT … FOR UPDATE SKIP LOCKED.

Progress from inside a transaction. A big import checks and writes every row in one durable transaction (all or
nothing), and an UPDATE of the progress row made inside it would stay invisible until the commit, when the bar
would jump from nothing to done. So `report` writes through a connection of its own, in autocommit, whenever
it is called inside a transaction on PostgreSQL (from the pool, when one is configured); on SQLite, where a
second writer would wait for the import's write lock, the steps inside a transaction are skipped and the bar
moves at the transaction's boundaries only. Reports are throttled to a few a second.

A body that raises a `core.errors.DomainError` (an import refused with its bad cells, a right lost since the
task was queued) has given its answer, not crashed: the row is marked failed with the error's message, its
result holds the API's error shape (`core.errors.error_body`), and the job itself ends normally. Any other
exception marks the row failed and propagates, so the worker logs it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar
from uuid import UUID

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError, error_body
from tasks.models import TaskProgress, TaskStatus

Report = Callable[..., None]
T = TypeVar("T")

# The least time between two progress writes of one task (the page polls once a second).
REPORT_INTERVAL = 0.25


class Enqueueable(Protocol):
    def enqueue(self, *args: Any, **kwargs: Any) -> Any: ...


@dataclass(frozen=True, slots=True)
class TaskStarted:
    """A background task just queued, as the API answers it (202): where to follow it, on a page or by API."""

    task_id: UUID
    status: str
    progress_url: str
    api_url: str


def task_started(progress: TaskProgress) -> TaskStarted:
    return TaskStarted(
        task_id=progress.pk, status=progress.status, progress_url=reverse("task_detail", args=[progress.pk]),
        api_url=f"/api/v1/tasks/{progress.pk}",
    )


@transaction.atomic
def task_start(*, owner: Any, kind: str, label: str, task: Enqueueable, **kwargs: Any) -> TaskProgress:
    """Record the job's progress row and enqueue `task(progress_id=…, **kwargs)` when the outermost transaction
    commits (at once, when called outside any). Ids only in `kwargs`, never model instances (STYLE.md)."""
    progress = TaskProgress.objects.create(owner=owner if owner and owner.is_authenticated else None, kind=kind,
                                           label=label)

    def enqueue() -> None:
        result = task.enqueue(progress_id=str(progress.pk), **kwargs)
        TaskProgress.objects.filter(pk=progress.pk).update(task_result_id=str(result.id))

    transaction.on_commit(enqueue)
    return progress


class _Reporter:
    """`report(done, total, message)` for one task: see the module docstring ("Progress from inside a
    transaction")."""

    def __init__(self, progress_id: UUID | str) -> None:
        self.progress_id = progress_id
        self.last = 0.0
        self.side: BaseDatabaseWrapper | None = None

    def __call__(self, done: int, total: int, message: str = "") -> None:
        now = time.monotonic()
        if now - self.last < REPORT_INTERVAL:
            return
        self.last = now
        done = min(done, total) if total else done
        if not connection.in_atomic_block:
            TaskProgress.objects.filter(pk=self.progress_id).update(
                done=done, total=total, message=message, updated_at=timezone.now()
            )
        elif connection.vendor == "postgresql":
            self._write_aside(done, total, message)

    def _write_aside(self, done: int, total: int, message: str) -> None:
        if self.side is None:
            # Same settings, own connection (the pool's, when configured), autocommit: seen at once by the page.
            main = connections[DEFAULT_DB_ALIAS]
            self.side = type(main)(main.settings_dict.copy(), main.alias)
        table = connection.ops.quote_name(TaskProgress._meta.db_table)
        with self.side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET done = %s, total = %s, message = %s, updated_at = %s WHERE id = %s",  # noqa: S608 - the table name is the model's
                [done, total, message, timezone.now(), UUID(str(self.progress_id))],
            )

    def close(self) -> None:
        if self.side is not None:
            self.side.close()
            self.side = None


def run_with_progress(progress_id: UUID | str, body: Callable[[Report], T]) -> T | dict[str, Any]:
    """Run `body(report)` for the task behind `progress_id`, recording how it goes and how it ends; a
    `DomainError` is the task's answer (module docstring), returned as the API's error shape."""
    TaskProgress.objects.filter(pk=progress_id).update(status=TaskStatus.RUNNING, updated_at=timezone.now())
    report = _Reporter(progress_id)
    try:
        result = body(report)
    except DomainError as exc:
        refusal = error_body(exc)
        TaskProgress.objects.filter(pk=progress_id).update(
            status=TaskStatus.FAILED, message=exc.message[:2000], result=refusal, updated_at=timezone.now()
        )
        return refusal
    except Exception as exc:
        TaskProgress.objects.filter(pk=progress_id).update(
            status=TaskStatus.FAILED, message=str(exc)[:2000], updated_at=timezone.now()
        )
        raise
    finally:
        report.close()
    TaskProgress.objects.filter(pk=progress_id).update(
        status=TaskStatus.SUCCEEDED, result=result, done=F("total"), updated_at=timezone.now()
    )
    return result
