"""The progress page of a background task."""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.permissions import Action, require
from core.lookup import get_or_404
from tasks.models import TaskProgress, TaskStatus


@login_required
def task_detail(request: HttpRequest, task_id: UUID) -> HttpResponse:
    """A background task's progress bar; htmx polls the fragment every second until the task ends."""
    progress = get_or_404(TaskProgress, pk=task_id)
    require(request.user, Action.TASK_VIEW, progress)
    finished = progress.status in {TaskStatus.SUCCEEDED, TaskStatus.FAILED}
    template = "tasks/task_progress.html" if request.headers.get("HX-Request") else "tasks/task_detail.html"
    return render(request, template, {"task": progress, "finished": finished})
