"""Starting background tasks and reporting their progress (Django's tasks framework, database backend).

`task_start` records a TaskProgress row and enqueues the task only when the transaction commits, so a worker
never picks up a job whose data is not there yet. It is not durable: a service calls it inside its own
(durable) transaction, and the job then leaves with that transaction's commit, or never, when it rolls back.
The task receives the progress id (ids, never instances) and runs its body through `run_with_progress`, which
moves the row through running → succeeded/failed and hands the body a `report(done, total, message)` callable.
Several workers on PostgreSQL share the queue safely: the database backend claims each job with
SELECT … FOR UPDATE SKIP LOCKED.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar
from uuid import UUID

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from tasks.models import TaskProgress, TaskStatus

Report = Callable[..., None]
T = TypeVar("T")


class Enqueueable(Protocol):
    def enqueue(self, *args: Any, **kwargs: Any) -> Any: ...


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


def _reporter(progress_id: UUID | str) -> Report:
    def report(done: int, total: int, message: str = "") -> None:
        TaskProgress.objects.filter(pk=progress_id).update(
            done=min(done, total) if total else done, total=total, message=message, updated_at=timezone.now()
        )

    return report


def run_with_progress(progress_id: UUID | str, body: Callable[[Report], T]) -> T:
    """Run `body(report)` for the task behind `progress_id`, recording how it goes and how it ends."""
    TaskProgress.objects.filter(pk=progress_id).update(status=TaskStatus.RUNNING, updated_at=timezone.now())
    try:
        result = body(_reporter(progress_id))
    except Exception as exc:
        TaskProgress.objects.filter(pk=progress_id).update(
            status=TaskStatus.FAILED, message=str(exc)[:2000], updated_at=timezone.now()
        )
        raise
    TaskProgress.objects.filter(pk=progress_id).update(
        status=TaskStatus.SUCCEEDED, result=result, done=F("total"), updated_at=timezone.now()
    )
    return result
