"""`task_start` inside a service's transaction: the job leaves with the commit, and never after a rollback."""

from __future__ import annotations

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from tasks.models import TaskProgress, TaskStatus
from tasks.progress import task_start
from tests.tasks.sample_tasks import record_run


class RolledBack(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_a_job_started_inside_a_durable_transaction_is_enqueued_only_when_it_commits() -> None:
    with transaction.atomic(durable=True):
        progress = task_start(owner=None, kind="tests.record", label="inside", task=record_run)
        assert TaskProgress.objects.filter(pk=progress.pk).exists()
        assert not DBTaskResult.objects.exists()  # not yet: the service's transaction is still open
    (job,) = DBTaskResult.objects.all()
    progress.refresh_from_db()
    assert progress.task_result_id == str(job.pk) and progress.status == TaskStatus.QUEUED
    assert job.args_kwargs["kwargs"] == {"progress_id": str(progress.pk)}


@pytest.mark.django_db(transaction=True)
def test_a_job_started_inside_a_transaction_that_rolls_back_is_never_enqueued() -> None:
    with pytest.raises(RolledBack), transaction.atomic(durable=True):
        task_start(owner=None, kind="tests.record", label="rolled back", task=record_run)
        raise RolledBack
    assert not DBTaskResult.objects.exists()
    assert not TaskProgress.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_job_started_outside_any_transaction_is_enqueued_at_once() -> None:
    progress = task_start(owner=None, kind="tests.record", label="alone", task=record_run)
    progress.refresh_from_db()
    assert DBTaskResult.objects.filter(pk=progress.task_result_id).exists()
