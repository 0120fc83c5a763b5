"""Background registration imports (DESIGN.md "People and files": more than a few hundred rows run as a task with a
progress bar), as competitions' roster import does it (competitions/tasks.py): a file of at most
`settings.IMPORT_BACKGROUND_ROWS` rows is imported at once; a bigger one is checked for the rights and the batch's
state first, stored as a `tasks.TaskInput`, audited as queued, and run by `registrations_import_task` as its owner,
whose rights are asked again when it runs. The stored file is deleted when the job ends."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_tasks import task

from accounts.models import User
from audit.services import audit_record
from certification import access
from certification.excel.batches import REGISTRATIONS
from certification.models import Registration
from certification.services.batch_import import registrations_import
from certification.services.batches import _check_open
from core.errors import PermissionDenied
from core.excel import count_rows
from tasks.models import TaskInput, TaskProgress
from tasks.progress import Report, run_with_progress, task_start


@task(queue_name="imports")
def registrations_import_task(progress_id: str, batch_id: int, unit_id: int) -> dict[str, Any]:
    task_id = UUID(progress_id)
    back = reverse("certification:batch_register", args=[batch_id])

    def body(report: Report) -> dict[str, Any]:
        progress = TaskProgress.objects.select_related("owner").get(pk=task_id)
        owner = progress.owner
        if owner is None or not owner.is_active:
            raise PermissionDenied()
        stored = TaskInput.objects.get(progress_id=task_id)
        made = registrations_import(actor=owner, batch_id=batch_id, unit_id=unit_id, data=bytes(stored.data),
                                    progress=report)
        return {"summary": gettext("已导入 %(count)s 条报名。") % {"count": len(made)}, "registrations": len(made),
                "next_url": back}

    language = TaskProgress.objects.filter(pk=task_id).values_list("owner__language", flat=True).first()
    try:
        with translation.override(language or settings.LANGUAGE_CODE):
            result = run_with_progress(task_id, body)
        if "code" in result:
            result = {**result, "next_url": back}
            TaskProgress.objects.filter(pk=task_id).update(result=result)
        return result
    finally:
        TaskInput.objects.filter(progress_id=task_id).delete()


@transaction.atomic(durable=True)
def _import_start(*, actor: User, batch_id: int, unit_id: int, data: bytes, filename: str,
                  rows: int) -> TaskProgress:
    batch = access.access_batch_announced(actor, batch_id)
    access.access_unit_for_registration(actor, unit_id)
    _check_open(batch, timezone.localdate())
    progress = task_start(owner=actor, kind="certification.registrations_import",
                          label=f"导入报名表：{batch.name}（{rows} 行）", task=registrations_import_task,
                          batch_id=batch.pk, unit_id=unit_id)
    TaskInput.objects.create(progress=progress, filename=filename[:255], data=data)
    audit_record(actor=actor, action="certification.registrations.import_queued", target=batch,
                 new={"rows": rows, "task": str(progress.pk), "unit": unit_id, "filename": filename[:255]})
    return progress


def registrations_import_submit(*, actor: User, batch_id: int, unit_id: int, data: bytes,
                                filename: str = "") -> list[Registration] | TaskProgress:
    """Import now (the registrations made) or, above `IMPORT_BACKGROUND_ROWS` rows, queue it (the task)."""
    rows = count_rows(data, REGISTRATIONS)
    if rows <= settings.IMPORT_BACKGROUND_ROWS:
        return registrations_import(actor=actor, batch_id=batch_id, unit_id=unit_id, data=data)
    return _import_start(actor=actor, batch_id=batch_id, unit_id=unit_id, data=data, filename=filename, rows=rows)
