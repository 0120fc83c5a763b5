"""Background work of the audit app."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from audit.services import audit_verify
from tasks.progress import run_with_progress


@task(queue_name="default")
def audit_verify_task(progress_id: str) -> dict[str, Any]:
    """Re-compute the whole hash chain, reporting progress; the result names the first broken link, if any."""

    def body(report: Any) -> dict[str, Any]:
        result = audit_verify(progress=lambda done, total: report(done, total, ""))
        broken = result.broken
        return {
            "checked": result.checked,
            "ok": broken is None,
            "broken_seq": broken.seq if broken else None,
            "reason": broken.reason if broken else "",
        }

    return run_with_progress(progress_id, body)
