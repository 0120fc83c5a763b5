"""Background work of the audit app: re-computing the whole chain, and starting it.

`audit_verify_start` lives here rather than in services.py: it enqueues `audit_verify_task`, whose body calls
`services.audit_verify`, so services.py importing this module would close an import circle; and services.py is
the writer every app (accounts included) imports, which must not pull in the tasks app.
"""

from __future__ import annotations

from typing import Any

from django_tasks import task

from accounts.models import User
from accounts.permissions import require
from audit.permissions import Action
from audit.services import audit_verify
from tasks.models import TaskProgress
from tasks.progress import Report, run_with_progress, task_start


@task(queue_name="default")
def audit_verify_task(progress_id: str) -> dict[str, Any]:
    """Re-compute the whole hash chain, reporting progress; the result names the first broken link, if any."""

    def body(report: Report) -> dict[str, Any]:
        result = audit_verify(progress=lambda done, total: report(done, total, ""))
        broken = result.broken
        return {
            "checked": result.checked,
            "ok": broken is None,
            "broken_seq": broken.seq if broken else None,
            "reason": broken.reason if broken else "",
        }

    return run_with_progress(progress_id, body)


def audit_verify_start(*, actor: User) -> TaskProgress:
    """Start verifying the whole chain in the background, as `actor` (who must hold AUDIT_VERIFY: the platform
    admin) and owned by them, so only they follow its progress."""
    require(actor, Action.AUDIT_VERIFY)
    return task_start(owner=actor, kind="audit.verify", label="校验审计链", task=audit_verify_task)
