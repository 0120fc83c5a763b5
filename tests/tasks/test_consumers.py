"""The task-progress websocket asks the permission module: the owner follows the task, anyone else is closed."""

from __future__ import annotations

from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator

from tasks.consumers import CLOSE_NOT_ALLOWED, TaskProgressConsumer
from tasks.models import TaskProgress, TaskStatus
from tests.accounts.factories import person


async def _connect(task: TaskProgress, user: Any) -> tuple[bool, Any, WebsocketCommunicator]:
    communicator = WebsocketCommunicator(TaskProgressConsumer.as_asgi(), f"/ws/tasks/{task.pk}/")
    communicator.scope["user"] = user
    communicator.scope["url_route"] = {"kwargs": {"task_id": task.pk}}
    connected, code = await communicator.connect()
    return connected, code, communicator


@pytest.mark.django_db(transaction=True)
def test_owner_gets_the_snapshot_and_a_stranger_is_refused() -> None:
    owner = person(None, None, username="owner")
    stranger = person(None, None, username="stranger")
    task = TaskProgress.objects.create(owner=owner, kind="x", label="导入", status=TaskStatus.SUCCEEDED,
                                       done=3, total=3)

    async def scenario() -> tuple[Any, Any]:
        connected, _, communicator = await _connect(task, owner)
        assert connected
        snapshot = await communicator.receive_json_from()
        await communicator.disconnect()
        refused, code, _ = await _connect(task, stranger)
        return snapshot, (refused, code)

    snapshot, (refused, code) = async_to_sync(scenario)()
    assert snapshot["status"] == "succeeded" and snapshot["percent"] == 100
    assert refused is False and code == CLOSE_NOT_ALLOWED
