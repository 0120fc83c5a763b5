"""Background checklist imports (DESIGN.md "People and files": more than a few hundred rows run as a task with a
progress bar), as certification's registration import does it (certification/tasks.py): a workbook of at most
`settings.IMPORT_BACKGROUND_ROWS` detail rows is imported in the request; a bigger one is checked for the rights
first, stored as a `tasks.TaskInput`, audited as queued, and run by `checklist_import_task` as its owner, whose
rights are asked again when it runs. The stored file is deleted when the job ends."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django_tasks import task

from accounts.models import Organization, User
from audit.services import audit_record
from core.errors import PermissionDenied
from core.excel import Sheet, count_rows
from talentpool import access
from talentpool.excel import checklists as excel
from talentpool.models import DemandChecklist, SupplyChecklist
from talentpool.services import checklists as services
from tasks.models import TaskInput, TaskProgress
from tasks.progress import Report, run_with_progress, task_start


def detail_rows(data: bytes, kind: str) -> int:
    """How many detail rows the workbook holds (all its detail sheets), counted quickly."""
    layout = excel.DEMAND if kind == "demand" else excel.SUPPLY
    return sum(count_rows(data, Sheet(detail.name, [])) for detail in layout.details)


def _import(*, actor: User, kind: str, unit: Organization, data: bytes) -> DemandChecklist | SupplyChecklist:
    if kind == "demand":
        return services.demand_checklist_import(actor=actor, enterprise=unit, data=data)
    return services.supply_checklist_import(actor=actor, college=unit, data=data)


@task(queue_name="imports")
def checklist_import_task(progress_id: str, checklist_kind: str, unit_id: int) -> dict[str, Any]:
    task_id = UUID(progress_id)
    kind = checklist_kind

    def body(report: Report) -> dict[str, Any]:
        progress = TaskProgress.objects.select_related("owner").get(pk=task_id)
        owner = progress.owner
        if owner is None or not owner.is_active:
            raise PermissionDenied()
        unit = (access.access_enterprise_for_demand(owner, unit_id) if kind == "demand"
                else access.access_college_for_supply(owner, unit_id))
        report(0, 2, gettext("正在检查清单"))
        stored = TaskInput.objects.get(progress_id=task_id)
        checklist = _import(actor=owner, kind=kind, unit=unit, data=bytes(stored.data))
        report(2, 2, gettext("清单已导入"))
        name = "talentpool:demand_checklist" if kind == "demand" else "talentpool:supply_checklist"
        return {"summary": gettext("清单已导入。"), "checklist_id": checklist.pk,
                "next_url": reverse(name, args=[checklist.pk])}

    language = TaskProgress.objects.filter(pk=task_id).values_list("owner__language", flat=True).first()
    back = reverse("talentpool:demand_excel" if kind == "demand" else "talentpool:supply_excel")
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
def _import_start(*, actor: User, kind: str, unit: Organization, data: bytes, filename: str,
                  rows: int) -> TaskProgress:
    title = "企业需求清单" if kind == "demand" else "院校供给清单"
    progress = task_start(owner=actor, kind=f"talentpool.{kind}_checklist_import",
                          label=f"导入{title}：{unit.name}（{rows} 行）", task=checklist_import_task,
                          checklist_kind=kind, unit_id=unit.pk)
    TaskInput.objects.create(progress=progress, filename=filename[:255], data=data)
    audit_record(actor=actor, action=f"talentpool.{kind}_checklist.import_queued", target=unit,
                 new={"rows": rows, "task": str(progress.pk), "filename": filename[:255]})
    return progress


def checklist_import_submit(*, actor: User, kind: str, unit: Organization, data: bytes,
                            filename: str = "") -> DemandChecklist | SupplyChecklist | TaskProgress:
    """Import now (the checklist) or, above `IMPORT_BACKGROUND_ROWS` detail rows, queue it (the task)."""
    rows = detail_rows(data, kind)
    if rows <= settings.IMPORT_BACKGROUND_ROWS:
        return _import(actor=actor, kind=kind, unit=unit, data=data)
    return _import_start(actor=actor, kind=kind, unit=unit, data=data, filename=filename, rows=rows)
