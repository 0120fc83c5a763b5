"""Background work of the audit app: sealing the log on demand, and verifying it.

These live here rather than in services.py: the tasks import the tasks app, and services.py is the writer every
app (accounts included) imports, which must not pull it in. The sealer's every-second run is not a queued task
but a loop inside each task worker (audit.runner), so an idle platform does not fill the task table.
"""

from __future__ import annotations

from typing import Any

from django_tasks import task

from accounts.models import User
from accounts.permissions import require
from audit.permissions import Action
from audit.sealing import audit_seal_all, audit_verify
from tasks.models import TaskProgress
from tasks.progress import Report, run_with_progress, task_start


@task(queue_name="default")
def audit_verify_task(progress_id: str) -> dict[str, Any]:
    """Seal what is committed, then rebuild the whole tree, reporting progress; the result names the first bad
    position, if any."""

    def body(report: Report) -> dict[str, Any]:
        audit_seal_all()
        result = audit_verify(progress=lambda done, total: report(done, total, ""))
        problem = result.problem
        return {
            "checked": result.checked,
            "heads": result.heads,
            "ok": problem is None,
            "bad_position": problem.position if problem else None,
            "reason": problem.reason if problem else "",
        }

    return run_with_progress(progress_id, body)


def audit_verify_start(*, actor: User) -> TaskProgress:
    """Start verifying the whole log in the background, as `actor` (who must hold AUDIT_VERIFY: the platform
    admin) and owned by them, so only they follow its progress."""
    require(actor, Action.AUDIT_VERIFY)
    return task_start(owner=actor, kind="audit.verify", label="校验审计日志", task=audit_verify_task)


@task(queue_name="default")
def audit_seal_task(progress_id: str) -> dict[str, Any]:
    """Seal every committed entry not sealed yet, now (the on-demand twin of the worker's every-second run)."""

    def body(report: Report) -> dict[str, Any]:
        reports = audit_seal_all()
        report(1, 1, "")
        return {"sealed": sum(r.sealed for r in reports), "tree_size": reports[-1].tree_size,
                "lag_ms": max(r.lag_ms for r in reports)}

    return run_with_progress(progress_id, body)


def audit_seal_start(*, actor: User) -> TaskProgress:
    """Seal on demand in the background (the platform admin)."""
    require(actor, Action.AUDIT_VERIFY)
    return task_start(owner=actor, kind="audit.seal", label="封存审计日志", task=audit_seal_task)
