"""The health check and the task progress page."""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.permissions import Action, require
from core.errors import NotFound
from core.health import run_checks
from core.models import TaskProgress, TaskStatus


@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database and the channel layer answer; 503 naming what is down."""
    checks = run_checks()
    down = [check.name for check in checks if not check.ok]
    body = {
        "status": "ok" if not down else "down",
        "down": down,
        "checks": {check.name: {"ok": check.ok, "detail": check.detail} for check in checks},
    }
    return JsonResponse(body, status=200 if not down else 503)


@login_required
def task_detail(request: HttpRequest, task_id: UUID) -> HttpResponse:
    """A background task's progress bar; htmx polls the fragment every second until the task ends."""
    progress = TaskProgress.objects.filter(pk=task_id).first()
    if progress is None:
        raise NotFound()
    require(request.user, Action.TASK_VIEW, progress)
    finished = progress.status in {TaskStatus.SUCCEEDED, TaskStatus.FAILED}
    template = "core/task_progress.html" if request.headers.get("HX-Request") else "core/task_detail.html"
    return render(request, template, {"task": progress, "finished": finished})
