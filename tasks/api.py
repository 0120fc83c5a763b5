"""Background task progress, for the progress bars of pages and devices."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema

from accounts.permissions import Action, require
from core.lookup import get_or_404
from core.schemas import errors
from tasks.models import TaskProgress

router = Router()


class TaskProgressOut(Schema):
    id: UUID
    kind: str
    label: str
    status: str
    done: int
    total: int
    percent: int
    message: str
    result: Any | None = None
    created_at: datetime
    updated_at: datetime


@router.get("/{task_id}", response={200: TaskProgressOut, **errors(404)}, summary="后台任务进度 Task progress")
def task_progress(request: HttpRequest, task_id: UUID) -> TaskProgress:
    progress = get_or_404(TaskProgress, pk=task_id)
    require(request.user, Action.TASK_VIEW, progress)
    return progress
