"""What the tasks app puts on a person's home page: their background tasks still running."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from shell.navigation import WaitingItem, register_waiting
from tasks.models import TaskProgress, TaskStatus


def waiting_items(user: Any) -> list[WaitingItem]:
    running = TaskProgress.objects.filter(owner=user, status__in=[TaskStatus.QUEUED, TaskStatus.RUNNING])
    return [
        WaitingItem(task.label, _("进度 %(percent)d%%") % {"percent": task.percent},
                    reverse("task_detail", args=[task.pk]), code="tasks.running")
        for task in running[:5]
    ]


def register() -> None:
    register_waiting(waiting_items)
