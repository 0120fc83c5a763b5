"""`task_start` inside a service's transaction: the job leaves with the commit, and never after a rollback; and
`run_with_progress`: progress seen while a transaction is open (PostgreSQL), a domain refusal as the answer."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.db import connection, transaction
from django_tasks_db.models import DBTaskResult

import core.excel  # noqa: F401 - registers the excel.* messages the refusal below uses
from core.errors import ImportFailed, RowError
from tasks.models import TaskProgress, TaskStatus
from tasks.progress import REPORT_INTERVAL, run_with_progress, task_start
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


def _read_elsewhere(progress_id: object) -> tuple[int, int, str]:
    """The progress row as another connection (the page's) sees it now."""
    from django.db import DEFAULT_DB_ALIAS, connections

    main = connections[DEFAULT_DB_ALIAS]
    other = type(main)(main.settings_dict.copy(), main.alias)
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT done, total, message FROM tasks_taskprogress WHERE id = %s", [progress_id])
            done, total, message = cursor.fetchone()
    finally:
        other.close()
    return done, total, message


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a second writer needs a server database")
def test_progress_reported_inside_a_transaction_is_seen_at_once_on_postgresql() -> None:
    progress = TaskProgress.objects.create(kind="tests.progress", label="big import")
    seen = []

    def body(report: Any) -> dict[str, Any]:
        with transaction.atomic(durable=True):
            report(3, 10, "正在保存")
            seen.append(_read_elsewhere(progress.pk))
        return {"ok": True}

    run_with_progress(progress.pk, body)
    assert seen == [(3, 10, "正在保存")]
    progress.refresh_from_db()
    assert progress.status == TaskStatus.SUCCEEDED and progress.percent == 100


@pytest.mark.django_db(transaction=True)
def test_progress_outside_a_transaction_is_written_and_inside_one_on_sqlite_never_waits_for_a_lock() -> None:
    progress = TaskProgress.objects.create(kind="tests.progress", label="big import")

    def body(report: Any) -> dict[str, Any]:
        report(1, 4, "读取")
        assert TaskProgress.objects.values_list("done", "total", "message").get(pk=progress.pk) == (1, 4, "读取")
        with transaction.atomic(durable=True):
            time.sleep(REPORT_INTERVAL)
            report(2, 4, "保存")  # PostgreSQL: written aside; SQLite: skipped (the import holds the write lock)
        return {"ok": True}

    assert run_with_progress(progress.pk, body) == {"ok": True}
    progress.refresh_from_db()
    assert progress.status == TaskStatus.SUCCEEDED and progress.done == progress.total == 4


@pytest.mark.django_db(transaction=True)
def test_a_domain_refusal_is_the_task_s_answer_and_a_crash_propagates() -> None:
    refused = TaskProgress.objects.create(kind="tests.progress", label="refused")

    def bad_file(report: Any) -> dict[str, Any]:
        raise ImportFailed([RowError("报名表", 7, "身份证号", "excel.cell_required")])

    answer = run_with_progress(refused.pk, bad_file)
    refused.refresh_from_db()
    assert refused.status == TaskStatus.FAILED and refused.result == answer
    assert answer == {"code": "import_failed", "message": "文件中有 1 处错误，未保存任何内容。",
                      "rows": [{"sheet": "报名表", "row": 7, "column": "身份证号", "message": "“身份证号”不能为空。"}]}

    crashed = TaskProgress.objects.create(kind="tests.progress", label="crashed")

    def bug(report: Any) -> dict[str, Any]:
        raise ZeroDivisionError("division by zero")

    with pytest.raises(ZeroDivisionError):
        run_with_progress(crashed.pk, bug)
    crashed.refresh_from_db()
    assert crashed.status == TaskStatus.FAILED and crashed.result is None and "division" in crashed.message
