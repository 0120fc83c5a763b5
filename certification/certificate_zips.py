"""A batch's certificates as one zip of PDFs, made by a background task with a progress bar (issue 13 item 3), and
one certificate's PDF on demand.

`certificates_zip_start(actor=…, batch_id=…)` checks the right (`CERTIFICATE_ISSUE` on the batch: the body's
exam-center staff, who print and hand out the certificates), refuses a batch with no valid certificate, records
the task (tasks.progress.task_start) and audits it as queued, in one durable transaction; the job leaves with the
commit. `certificates_zip_task` runs as its owner, whose right is asked again when it runs, reads the batch's valid
certificates (revoked and superseded ones are not printed: a re-issue's successor is), and writes
`certification.certificate_pdf.certificates_zip` into a temporary file, reporting each certificate on the bar; a
certificate that fails is listed with its reason and the rest are still generated. The zip is then saved with
Django's default storage (`certificate-zips/<task id>.zip`, where the appointment evidence files also live, which
every web process and worker reaches) and the task's result names what was made, the failures and the download.

Reading: `certificates_zip_state(task)` is the one view of a job (page, fragment and API), and
`access_certificates_zip(user, batch_id, task_id)` loads a job for its owner (or the admin, tasks' rule), still
holding the right on the batch, and 404 for a job of another batch.

One certificate: `certificate_pdf_of(certificate)` draws the row's PDF with its QR payload
(`certification.keys.verification_url` over the row's facts and stored signature, the same forever, even after the
key rotated); a revoked or superseded certificate gets no PDF (its QR would verify as revoked: a fresh print of it
is of use to no one and could mislead), a Conflict naming the status.

Choices where the design is silent: a certificate of a batch result carries the registration's ID photo when the
candidate uploaded one (certification.photos; a promotion's or an appointment's certificate has none, and its PDF
is drawn without the frame); the zip is kept until a newer zip of the same batch replaces it (the previous file
is deleted when a new job of the batch succeeds), since it holds real names and masked ID numbers only as the
certificates do; the zip's file name is the batch's code.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from accounts.models import User
from accounts.permissions import Action as AccountsAction
from accounts.permissions import require
from audit.services import audit_record
from certification import access
from certification.certificate_pdf import CertificateToDraw, certificate_pdf, certificates_zip
from certification.models import Batch, Certificate, CertificateStatus
from certification.photos import registration_photo_bytes
from certification.selectors.certificates import certificate_facts, certificate_verification_url
from core.errors import Conflict, NotFound, PermissionDenied, register_messages
from core.lookup import get_or_404
from tasks.models import TaskProgress, TaskStatus
from tasks.progress import Report, run_with_progress, task_start

KIND = "certification.certificates_zip"
FOLDER = "certificate-zips"


def _valid_certificates(batch: Batch) -> Any:
    return (Certificate.objects.filter(registration__batch=batch, status=CertificateStatus.VALID)
            .select_related("registration").order_by("number"))


def _storage_name(task_id: UUID | str) -> str:
    return f"{FOLDER}/{task_id}.zip"


@task(queue_name="documents")
def certificates_zip_task(progress_id: str, batch_id: int) -> dict[str, Any]:
    task_id = UUID(progress_id)
    page = reverse("certification:certificates_zip", args=[batch_id])

    def body(report: Report) -> dict[str, Any]:
        progress = TaskProgress.objects.select_related("owner").get(pk=task_id)
        owner = progress.owner
        if owner is None or not owner.is_active:
            raise PermissionDenied()
        batch = access.access_batch_for_certificates(owner, batch_id, issue=True)
        rows = list(_valid_certificates(batch))
        total = len(rows)
        report(0, total, "")

        def items() -> Any:
            for row in rows:
                yield CertificateToDraw(certificate_facts(row), certificate_verification_url(row),
                                        registration_photo_bytes(row.registration))

        with tempfile.TemporaryFile() as spool:
            outcome = certificates_zip(items(), into=spool,
                                       progress=lambda done, number: report(done, total, number))
            spool.seek(0)
            stored = default_storage.save(_storage_name(task_id), File(spool))
        _drop_older_zips(batch_id, task_id)
        summary = gettext("已生成 %(made)s 张证书 PDF，失败 %(failed)s 张。") % {
            "made": outcome.made, "failed": outcome.failed}
        return {"summary": summary, "ok": outcome.failed == 0, "batch_id": batch_id, "made": outcome.made,
                "failures": [{"number": n, "reason": r} for n, r in outcome.failures], "file": stored,
                "next_url": page}

    language = TaskProgress.objects.filter(pk=task_id).values_list("owner__language", flat=True).first()
    with translation.override(language or settings.LANGUAGE_CODE):
        result = run_with_progress(task_id, body)
    if "code" in result:  # refused: keep the batch so the page finds the job
        result = {**result, "batch_id": batch_id, "next_url": page}
        TaskProgress.objects.filter(pk=task_id).update(result=result)
    return result


def _drop_older_zips(batch_id: int, keep: UUID) -> None:
    older = TaskProgress.objects.filter(kind=KIND, result__batch_id=batch_id).exclude(pk=keep)
    for old in older:
        name = (old.result or {}).get("file")
        if name and default_storage.exists(name):
            default_storage.delete(name)


@transaction.atomic(durable=True)
def certificates_zip_start(*, actor: User, batch_id: int) -> TaskProgress:
    """Queue the zip of a batch's valid certificates (module docstring)."""
    batch = access.access_batch_for_certificates(actor, batch_id, issue=True)
    count = _valid_certificates(batch).count()
    if count == 0:
        raise Conflict("certificate_zip.none", {"batch": batch.name}, "Batch {batch} has no valid certificate.")
    progress = task_start(owner=actor, kind=KIND, label=f"证书 PDF 打包：{batch.name}（{count} 张）",
                          task=certificates_zip_task, batch_id=batch.pk)
    progress.result = {"batch_id": batch.pk}  # how the batch's page finds the job before it ends
    progress.total = count
    progress.save(update_fields=["result", "total"])
    audit_record(actor=actor, action="certification.certificates.zip_queued", target=batch,
                 new={"certificates": count, "task": str(progress.pk)})
    return progress


@dataclass(frozen=True, slots=True)
class ZipFailure:
    number: str
    reason: str


@dataclass(frozen=True, slots=True)
class CertificatesZipState:
    """One zip job as the page and the API show it."""

    task_id: UUID
    batch_id: int
    status: str
    done: int
    total: int
    percent: int
    message: str
    finished: bool
    made: int
    failures: list[ZipFailure]
    summary: str
    download_url: str | None
    api_download_url: str | None


def certificates_zip_state(progress: TaskProgress) -> CertificatesZipState:
    result = progress.result or {}
    batch_id = int(result.get("batch_id", 0))
    finished = progress.status in {TaskStatus.SUCCEEDED, TaskStatus.FAILED}
    has_file = progress.status == TaskStatus.SUCCEEDED and bool(result.get("file"))
    return CertificatesZipState(
        task_id=progress.pk, batch_id=batch_id, status=progress.status, done=progress.done, total=progress.total,
        percent=progress.percent, message=progress.message if progress.status == TaskStatus.FAILED else "",
        finished=finished, made=int(result.get("made", 0)),
        failures=[ZipFailure(f["number"], f["reason"]) for f in result.get("failures", [])],
        summary=str(result.get("summary", "")),
        download_url=reverse("certification:certificates_zip_download", args=[batch_id, progress.pk])
        if has_file else None,
        api_download_url=f"/api/v1/certification/batches/{batch_id}/certificates-zip/{progress.pk}/download"
        if has_file else None,
    )


def valid_certificate_count(batch: Batch) -> int:
    """How many certificates of the batch a zip would hold."""
    return int(_valid_certificates(batch).count())


def latest_zip(user: Any, batch: Batch) -> TaskProgress | None:
    """The caller's newest zip job of the batch."""
    return (TaskProgress.objects.filter(kind=KIND, owner_id=user.pk, result__batch_id=batch.pk)
            .order_by("-created_at").first())


def access_certificates_zip(user: Any, batch_id: int, task_id: UUID) -> TaskProgress:
    """A zip job of the batch for its owner, who still holds the right on the batch (module docstring)."""
    access.access_batch_for_certificates(user, batch_id, issue=True)
    progress = get_or_404(TaskProgress.objects.filter(kind=KIND), pk=task_id)
    require(user, AccountsAction.TASK_VIEW, progress)
    if (progress.result or {}).get("batch_id") != batch_id:
        raise NotFound()
    return progress


def zip_file(progress: TaskProgress) -> tuple[File[Any], str]:
    """The stored zip of a finished job and the name to download it as; NotFound when there is none (failed, or
    replaced by a newer zip of the batch)."""
    name = (progress.result or {}).get("file") if progress.status == TaskStatus.SUCCEEDED else None
    if not name or not default_storage.exists(name):
        raise NotFound("certificate_zip.gone")
    batch_id = int((progress.result or {}).get("batch_id", 0))
    batch = Batch.objects.filter(pk=batch_id).values_list("code", flat=True).first()
    return default_storage.open(name, "rb"), f"certificates-{batch or progress.pk}.zip"


def certificate_pdf_of(certificate: Certificate) -> bytes:
    """The PDF of one certificate (module docstring); Conflict for one that is no longer valid."""
    if certificate.status != CertificateStatus.VALID:
        raise Conflict("certificate_pdf.not_valid", {"number": certificate.number,
                                                     "status": certificate.get_status_display()},
                       "Certificate {number} is {status}; it has no PDF.")
    return certificate_pdf(certificate_facts(certificate), qr_payload=certificate_verification_url(certificate),
                           photo=registration_photo_bytes(certificate.registration))


register_messages({
    "certificate_zip.none": _("批次“{batch}”没有有效的证书，无需打包。"),
    "certificate_zip.gone": _("这个打包文件已不存在（生成失败，或已被更新的打包替换），请重新打包。"),
    "certificate_pdf.not_valid": _("证书 {number} {status}，不提供 PDF。"),
})
