"""Certificate PDFs (issue 13 item 3): a batch's zip as a background task (start it, follow it, download it) and
one certificate's PDF. Thin endpoints over certification.certificate_zips; the page is
`certification:certificates_zip`."""

from __future__ import annotations

from uuid import UUID

from django.http import FileResponse, HttpRequest, HttpResponse
from ninja import Router, Status

from accounts.auth import signed_in_user
from certification import access, certificate_zips
from certification.certificate_zips import CertificatesZipState
from core.errors import NotFound
from core.schemas import RowId, errors
from tasks.progress import TaskStarted, task_started

router = Router()


@router.post("/batches/{batch_id}/certificates-zip", response={202: TaskStarted, **errors(404, 409)},
             summary="打包批次证书 PDF（后台任务） Zip a batch's certificate PDFs",
             description="Queues the zip of the batch's valid certificates (one PDF each, named by number, and "
                         "report.txt); follow it at `api_url` or `GET …/certificates-zip/{task_id}`. A certificate "
                         "that fails is listed with its reason and the others are still generated.")
def zip_start(request: HttpRequest, batch_id: RowId) -> Status[TaskStarted]:
    progress = certificate_zips.certificates_zip_start(actor=signed_in_user(request), batch_id=batch_id)
    return Status(202, task_started(progress))


@router.get("/batches/{batch_id}/certificates-zip", response={200: CertificatesZipState, **errors(404)},
            summary="最近一次打包的进度与结果 The caller's latest zip of the batch")
def zip_latest(request: HttpRequest, batch_id: RowId) -> CertificatesZipState:
    user = signed_in_user(request)
    latest = certificate_zips.latest_zip(user, access.access_batch_for_certificates(user, batch_id, issue=True))
    if latest is None:
        raise NotFound()
    return certificate_zips.certificates_zip_state(latest)


@router.get("/batches/{batch_id}/certificates-zip/{task_id}", response={200: CertificatesZipState, **errors(404)},
            summary="一次打包的进度与结果 A zip's progress, failures and download")
def zip_state(request: HttpRequest, batch_id: RowId, task_id: UUID) -> CertificatesZipState:
    progress = certificate_zips.access_certificates_zip(signed_in_user(request), batch_id, task_id)
    return certificate_zips.certificates_zip_state(progress)


@router.get("/batches/{batch_id}/certificates-zip/{task_id}/download", response={200: None, **errors(404)},
            summary="下载证书压缩包 Download the zip")
def zip_download(request: HttpRequest, batch_id: RowId, task_id: UUID) -> FileResponse:
    progress = certificate_zips.access_certificates_zip(signed_in_user(request), batch_id, task_id)
    stored, name = certificate_zips.zip_file(progress)
    return FileResponse(stored, as_attachment=True, filename=name, content_type="application/zip")


@router.get("/certificates/{certificate_id}/pdf", response={200: None, **errors(404, 409)},
            summary="下载证书 PDF Download a certificate's PDF")
def certificate_pdf(request: HttpRequest, certificate_id: RowId) -> HttpResponse:
    certificate = access.access_certificate(signed_in_user(request), certificate_id)
    response = HttpResponse(certificate_zips.certificate_pdf_of(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.number}.pdf"'
    return response
