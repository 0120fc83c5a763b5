"""Certificates (issue 13): issuing to a batch's passed candidates, to a recorded competition promotion and for an
appointment letter; revocation and re-issue with a reason; a batch's and a body's certificates, one certificate
with its history, the caller's own; the Excel export in the national lookup's columns; the bodies' filing codes.
Thin endpoints: an input schema, one access or service call, the selectors' views returned as they are."""

from __future__ import annotations

from typing import Annotated

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema
from pydantic import StringConstraints

from accounts.auth import signed_in_user
from certification import access
from certification.api.schemas import CertificateNumber
from certification.domain.certificates import ReissueKind
from certification.excel.certificates import certificates_export
from certification.excel.sheets import XLSX_CONTENT_TYPE
from certification.selectors import certificates as views
from certification.services import certificates as services
from core.schemas import RowId, errors

router = Router()

Reason = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500, pattern=r"^[^\x00]*$")]
Digits = Annotated[str, StringConstraints(strip_whitespace=True, max_length=10, pattern=r"^[^\x00]*$")]


class PromotionIn(Schema):
    held_level_id: RowId = Field(description="竞赛晋级记录（持有等级）")
    body_id: RowId | None = Field(None, description="发证的主办单位；本人只在一个已备案的主办单位任职时可省略")


class AppointmentIn(Schema):
    appointment_id: RowId


class RevokeIn(Schema):
    reason: Reason = Field(description="撤销原因（必填）")


class ReissueIn(Schema):
    kind: ReissueKind = Field(description="lost 补证（遗失）/ changed 换证（信息变更）")
    reason: Reason


class FilingIn(Schema):
    agency_code: Digits = Field("0000", description="机构代码 4 位；仅在省级备案的为 0000")
    province_code: Digits = Field("37", description="省份代码 2 位，山东 37")
    site_serial: Digits = Field(description="站点序号 6 位")


def _xlsx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.post("/batches/{batch_id}/certificates", response={200: views.IssueResultView, **errors(404, 409)},
             summary="为批次合格考生发证 Issue to every candidate who passed")
def issue_batch(request: HttpRequest, batch_id: RowId) -> views.IssueResultView:
    done = services.certificate_issue_batch(actor=signed_in_user(request), batch_id=batch_id)
    return views.issue_result_view(done.issued, done.refused)


@router.get("/batches/{batch_id}/certificates", response={200: list[views.CertificateView], **errors(404)},
            summary="批次的证书 A batch's certificates")
def batch_certificates(request: HttpRequest, batch_id: RowId) -> list[views.CertificateView]:
    return views.batch_certificates(access.access_batch_for_certificates(signed_in_user(request), batch_id))


@router.get("/batches/{batch_id}/certificate-candidates", response={200: views.BatchIssuance, **errors(404)},
            summary="发证名单：合格人数、不予发证的考生及原因 Who would get a certificate")
def batch_candidates(request: HttpRequest, batch_id: RowId) -> views.BatchIssuance:
    return views.batch_issuance(access.access_batch_for_certificates(signed_in_user(request), batch_id))


@router.get("/batches/{batch_id}/certificates.xlsx", response={200: None, **errors(404)},
            summary="导出批次证书（全国查询字段） Export a batch's certificates")
def batch_export(request: HttpRequest, batch_id: RowId) -> HttpResponse:
    user = signed_in_user(request)
    batch = access.access_batch_for_certificates(user, batch_id)
    return _xlsx(certificates_export(viewer=user, certificates=views.batch_certificates(batch)),
                 f"certificates-{batch.code}.xlsx")


@router.post("/certificates/promotion", response={200: views.CertificateView, **errors(404, 409)},
             summary="为竞赛晋级发证 Issue a promotion's certificate")
def issue_promotion(request: HttpRequest, payload: PromotionIn) -> views.CertificateView:
    certificate = services.certificate_issue_promotion(actor=signed_in_user(request),
                                                       held_level_id=payload.held_level_id, body_id=payload.body_id)
    return views.certificate_view(certificate)


@router.post("/certificates/appointment", response={200: views.CertificateView, **errors(404, 409)},
             summary="发放特级技师/首席技师聘书 Issue an appointment letter")
def issue_appointment(request: HttpRequest, payload: AppointmentIn) -> views.CertificateView:
    certificate = services.certificate_issue_appointment(actor=signed_in_user(request),
                                                         appointment_id=payload.appointment_id)
    return views.certificate_view(certificate)


@router.get("/certificates/mine", response={200: list[views.CertificateView], **errors()},
            summary="我的证书 My certificates")
def mine(request: HttpRequest) -> list[views.CertificateView]:
    return views.my_certificates(signed_in_user(request))


class NumberIn(Schema):
    number: CertificateNumber


@router.post("/certificates/lookup", response={200: views.CertificateDetail, **errors(404)},
             summary="按证书编号查找（本机构的证书） Find a certificate by its number")
def lookup(request: HttpRequest, payload: NumberIn) -> views.CertificateDetail:
    return views.certificate_detail(access.access_certificate_by_number(signed_in_user(request), payload.number))


@router.get("/certificates/{certificate_id}", response={200: views.CertificateDetail, **errors(404)},
            summary="一张证书及其记录 One certificate with its history")
def certificate(request: HttpRequest, certificate_id: RowId) -> views.CertificateDetail:
    return views.certificate_detail(access.access_certificate(signed_in_user(request), certificate_id))


@router.post("/certificates/{certificate_id}/revoke", response={200: views.CertificateDetail, **errors(404, 409)},
             summary="撤销证书（须填原因） Revoke a certificate")
def revoke(request: HttpRequest, certificate_id: RowId, payload: RevokeIn) -> views.CertificateDetail:
    revoked = services.certificate_revoke(actor=signed_in_user(request), certificate_id=certificate_id,
                                          reason=payload.reason)
    return views.certificate_detail(revoked)


@router.post("/certificates/{certificate_id}/reissue", response={200: views.CertificateDetail, **errors(404, 409)},
             summary="补证或换证（新编号，原证书标记为已换发） Re-issue a certificate")
def reissue(request: HttpRequest, certificate_id: RowId, payload: ReissueIn) -> views.CertificateDetail:
    successor = services.certificate_reissue(actor=signed_in_user(request), certificate_id=certificate_id,
                                             reason=payload.reason, kind=payload.kind)
    return views.certificate_detail(successor)


@router.get("/bodies/{unit_id}/certificates", response={200: list[views.CertificateView], **errors(404)},
            summary="评价机构发出的证书 A body's certificates")
def body_certificates(request: HttpRequest, unit_id: RowId) -> list[views.CertificateView]:
    return views.body_certificates(access.access_body_certificates(signed_in_user(request), unit_id))


@router.get("/bodies/{unit_id}/certificates.xlsx", response={200: None, **errors(404)},
            summary="导出评价机构的证书（全国查询字段） Export a body's certificates")
def body_export(request: HttpRequest, unit_id: RowId) -> HttpResponse:
    user = signed_in_user(request)
    unit = access.access_body_certificates(user, unit_id)
    return _xlsx(certificates_export(viewer=user, certificates=views.body_certificates(unit)),
                 f"certificates-{unit.pk}.xlsx")


@router.get("/bodies/{unit_id}/filing", response={200: views.FilingView, **errors(404)},
            summary="评价机构备案代码 A body's filing codes")
def filing(request: HttpRequest, unit_id: RowId) -> views.FilingView:
    return views.filing_view(access.access_filing_unit(signed_in_user(request), unit_id))


@router.put("/bodies/{unit_id}/filing", response={200: views.FilingView, **errors(404, 409)},
            summary="设置评价机构备案代码（平台管理员） Set a body's filing codes")
def filing_set(request: HttpRequest, unit_id: RowId, payload: FilingIn) -> views.FilingView:
    user = signed_in_user(request)
    services.body_filing_set(actor=user, organization_id=unit_id, agency_code=payload.agency_code,
                             province_code=payload.province_code, site_serial=payload.site_serial)
    return views.filing_view(access.access_filing_unit(user, unit_id))
