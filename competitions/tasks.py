"""Background work of competitions: Excel imports too big to answer in the request (issue 8 item 6; DESIGN.md
"People and files": more than a few hundred rows run as a background task with a progress bar).

`roster_import_submit` and `scheme_import_submit` are what the API and the page call: a file of at most
`settings.IMPORT_BACKGROUND_ROWS` rows is imported at once (the service's answer), a bigger one is queued and the
caller gets its TaskProgress to follow. Queueing asks the rights and states the import itself asks first (the
importer may enter people / manage the scheme, registration open / scheme not frozen), so a file that could never
be imported is refused at once; it then stores the file as a `tasks.TaskInput` row (the database, so that a
worker on any machine reads it) and writes an audit entry saying who queued what, all in one transaction whose
commit enqueues the job.

The job (`excel_import_task`, queue "imports") loads the owner afresh and runs the same service, so every right
is asked again as it runs: a person whose role was revoked or who was deactivated meanwhile imports nothing.
The service still writes everything in one transaction or nothing; its result is a summary (what was imported)
or the API's error shape with every bad cell by sheet, row and column. The stored file is deleted when the job
ends. Like audit/tasks.py, this lives outside services/: it imports the services, which must not import it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django_tasks import task

from accounts.models import User
from audit.services import audit_record
from competitions import services
from competitions.excel import ROSTER, SCHEME
from competitions.models import Entry, MarkingScheme, Skill
from core.errors import PermissionDenied
from core.excel import Sheet, count_rows
from core.lookup import get_or_404
from tasks.models import TaskInput, TaskProgress
from tasks.progress import Report, run_with_progress, task_start


@dataclass(frozen=True, slots=True)
class _Kind:
    """One kind of import: its sheet, its label, the checks before queueing, the import, and its summary."""

    sheet: Sheet
    label: str
    check: Callable[[User, Skill], None]
    run: Callable[[User, Skill, bytes, Report], Any]
    summary: Callable[[Any], dict[str, Any]]


def _roster_summary(entries: list[Entry]) -> dict[str, Any]:
    return {"summary": gettext("已导入 %(count)s 条报名。") % {"count": len(entries)}, "entries": len(entries)}


def _scheme_summary(scheme: MarkingScheme) -> dict[str, Any]:
    count = scheme.aspects.count()
    return {"summary": gettext("评分标准已导入：%(count)s 个评分项。") % {"count": count}, "aspects": count}


KINDS: dict[str, _Kind] = {
    "roster": _Kind(
        ROSTER, "导入报名表",
        lambda actor, skill: services.roster_import_check(actor=actor, skill=skill),
        lambda actor, skill, data, report: services.roster_import(actor=actor, skill=skill, data=data,
                                                                  progress=report),
        _roster_summary,
    ),
    "scheme": _Kind(
        SCHEME, "导入评分标准",
        lambda actor, skill: services.scheme_import_check(actor=actor, skill=skill),
        lambda actor, skill, data, report: services.scheme_import(actor=actor, skill=skill, data=data,
                                                                  progress=report),
        _scheme_summary,
    ),
}


@task(queue_name="imports")
def excel_import_task(progress_id: str, import_kind: str, skill_id: int) -> dict[str, Any]:
    """Run one queued import as its owner, whose rights are asked again now; the stored file is then deleted."""

    task_id = UUID(progress_id)
    back = reverse("competitions:excel", args=[skill_id])

    def body(report: Report) -> dict[str, Any]:
        progress = TaskProgress.objects.select_related("owner").get(pk=task_id)
        owner = progress.owner
        if owner is None or not owner.is_active:
            raise PermissionDenied()
        stored = TaskInput.objects.get(progress_id=task_id)
        skill = get_or_404(Skill.objects.select_related("event"), pk=skill_id)
        spec = KINDS[import_kind]
        return {**spec.summary(spec.run(owner, skill, bytes(stored.data), report)), "next_url": back}

    # Messages (progress, summary, every bad cell) in the owner's language, as the page would show them.
    language = TaskProgress.objects.filter(pk=task_id).values_list("owner__language", flat=True).first()
    try:
        with translation.override(language or settings.LANGUAGE_CODE):
            result = run_with_progress(task_id, body)
        if "code" in result:  # refused: the error shape, which names no page; the person goes back to the form
            result = {**result, "next_url": back}
            TaskProgress.objects.filter(pk=task_id).update(result=result)
        return result
    finally:
        TaskInput.objects.filter(progress_id=task_id).delete()


@transaction.atomic(durable=True)
def _import_start(*, actor: User, skill: Skill, kind: str, data: bytes, filename: str, rows: int) -> TaskProgress:
    spec = KINDS[kind]
    spec.check(actor, skill)
    progress = task_start(owner=actor, kind=f"competitions.{kind}_import",
                          label=f"{spec.label}：{skill.name}（{rows} 行）", task=excel_import_task,
                          import_kind=kind, skill_id=skill.pk)
    TaskInput.objects.create(progress=progress, filename=filename[:255], data=data)
    audit_record(actor=actor, action=f"competitions.{kind}.import_queued", target=skill,
                 new={"rows": rows, "task": str(progress.pk), "filename": filename[:255]})
    return progress


def _submit(kind: str, actor: User, skill: Skill, data: bytes, filename: str) -> Any:
    spec = KINDS[kind]
    rows = count_rows(data, spec.sheet)
    if rows <= settings.IMPORT_BACKGROUND_ROWS:
        return spec.run(actor, skill, data, lambda done, total, message="": None)
    return _import_start(actor=actor, skill=skill, kind=kind, data=data, filename=filename, rows=rows)


def roster_import_submit(*, actor: User, skill: Skill, data: bytes, filename: str = "") -> list[Entry] | TaskProgress:
    """Import a roster now (`services.roster_import`: the entries made) or, above `IMPORT_BACKGROUND_ROWS` rows,
    queue it (the task to follow); see the module docstring."""
    result: list[Entry] | TaskProgress = _submit("roster", actor, skill, data, filename)
    return result


def scheme_import_submit(*, actor: User, skill: Skill, data: bytes,
                         filename: str = "") -> MarkingScheme | TaskProgress:
    """Import a marking scheme now (`services.scheme_import`) or, above `IMPORT_BACKGROUND_ROWS` rows, queue it."""
    result: MarkingScheme | TaskProgress = _submit("scheme", actor, skill, data, filename)
    return result
