"""Stored task files of tasks nobody ran are deleted after the limit, and their tasks say so (tasks/retention.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tasks.models import TaskInput, TaskProgress, TaskStatus
from tasks.retention import EXPIRED_MESSAGE, expire_stale_inputs, start_if_wanted

pytestmark = pytest.mark.django_db


def _stored(age: timedelta, status: str = TaskStatus.QUEUED) -> TaskProgress:
    progress = TaskProgress.objects.create(kind="competitions.roster_import", label="名单导入", status=status)
    TaskInput.objects.create(progress=progress, filename="名单.xlsx", data=b"PK\x03\x04 real names",
                             created_at=timezone.now() - age)
    return progress


def test_a_file_older_than_the_limit_is_deleted_and_its_waiting_task_failed_with_what_to_do() -> None:
    old, fresh = _stored(timedelta(hours=25)), _stored(timedelta(hours=1))
    assert expire_stale_inputs() == 1
    assert list(TaskInput.objects.values_list("progress_id", flat=True)) == [fresh.pk]
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.status == TaskStatus.FAILED and old.message == EXPIRED_MESSAGE and "重新上传" in old.message
    assert fresh.status == TaskStatus.QUEUED
    assert expire_stale_inputs() == 0  # nothing left to do: running it again changes nothing


def test_a_finished_task_keeps_its_state_when_a_leftover_file_is_deleted() -> None:
    done = _stored(timedelta(days=3), status=TaskStatus.SUCCEEDED)
    assert expire_stale_inputs() == 1
    done.refresh_from_db()
    assert done.status == TaskStatus.SUCCEEDED and done.message == ""
    assert not TaskInput.objects.exists()


def test_the_limit_comes_from_settings(settings) -> None:  # type: ignore[no-untyped-def]
    settings.TASK_INPUT_MAX_AGE = 600
    _stored(timedelta(minutes=11))
    assert expire_stale_inputs() == 1


def test_the_command_deletes_by_its_own_limit_and_refuses_a_limit_of_zero(capsys: pytest.CaptureFixture[str]) -> None:
    _stored(timedelta(hours=3))
    call_command("expire_task_inputs", "--hours", "4")
    assert TaskInput.objects.count() == 1
    call_command("expire_task_inputs", "--hours", "2")
    assert TaskInput.objects.count() == 0
    assert "deleted 1 task files" in capsys.readouterr().out
    with pytest.raises(CommandError, match="--hours"):
        call_command("expire_task_inputs", "--hours", "0")


def test_the_clean_up_thread_runs_only_inside_a_long_running_worker() -> None:
    assert start_if_wanted(["manage.py", "runserver"]) is None
    assert start_if_wanted(["manage.py", "db_worker", "--batch"]) is None
