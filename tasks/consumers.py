"""The websocket of a background task: its live progress, for the owner only."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from accounts.permissions import Action, can
from tasks.models import TaskProgress, TaskStatus

POLL_SECONDS = 1.0
CLOSE_NOT_ALLOWED = 4403  # application close code: not signed in, or not this person's task


def _load_sync(task_id: str, user: Any) -> dict[str, Any] | None:
    progress = TaskProgress.objects.filter(pk=task_id).first()
    if progress is None or not can(user, Action.TASK_VIEW, progress):
        return None
    return {
        "id": str(progress.pk), "status": progress.status, "done": progress.done, "total": progress.total,
        "percent": progress.percent, "message": progress.message,
    }


# channels ships no type information, so its decorator is untyped; the awaitable it makes is named here.
_load: Callable[[str, Any], Awaitable[dict[str, Any] | None]] = database_sync_to_async(_load_sync)


class TaskProgressConsumer(AsyncJsonWebsocketConsumer):  # type: ignore[misc]  # channels is untyped: base is Any
    """Sends a task's progress whenever it changes, until it ends. Reads the database, so it works the same on
    the in-memory and the Redis channel layer, whichever process the worker runs in."""

    async def connect(self) -> None:
        self.task_id = str(self.scope["url_route"]["kwargs"]["task_id"])
        snapshot = await _load(self.task_id, self.scope.get("user"))
        if snapshot is None:
            await self.close(code=CLOSE_NOT_ALLOWED)
            return
        await self.accept()
        await self.send_json(snapshot)
        self.poller = asyncio.ensure_future(self._follow(snapshot))

    async def _follow(self, last: dict[str, Any]) -> None:
        while last["status"] not in {TaskStatus.SUCCEEDED, TaskStatus.FAILED}:
            await asyncio.sleep(POLL_SECONDS)
            current = await _load(self.task_id, self.scope.get("user"))
            if current is None:
                break
            if current != last:
                await self.send_json(current)
                last = current
        await self.close()

    async def disconnect(self, code: int) -> None:
        poller = getattr(self, "poller", None)
        if poller is not None:
            poller.cancel()
