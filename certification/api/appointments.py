"""Appointments (评聘 of 特级技师 and 首席技师): an enterprise's list and its members to appoint, recording (with the
evidence file, multipart), renewal and ending early by the enterprise's HR; one appointment, its evidence and a
person's appointments for those who may read them (certification.permissions)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from django.http import FileResponse, HttpRequest
from django.utils import timezone
from ninja import Field, File, Form, Router, Schema, Status, UploadedFile
from pydantic import StringConstraints

from accounts.auth import signed_in_user
from certification import access, selectors, services
from certification.api.schemas import Text
from certification.domain.appointments import EndKind, Title
from certification.evidence import evidence_response
from core.schemas import RowId, errors

router = Router()

DocumentNo = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100, pattern=r"^[^\x00]*$")]
Reason = Annotated[str, StringConstraints(max_length=500, pattern=r"^[^\x00]*$")]


class AppointmentIn(Schema):
    person_id: RowId
    occupation_id: RowId
    title: Title = Field(description="principal 特级技师 / chief 首席技师")
    term_start: date
    term_end: date = Field(description="聘期最后一天（含）")
    document_no: DocumentNo = Field(description="聘任文号")
    reason: Text = ""


class RenewIn(Schema):
    term_end: date = Field(description="新聘期最后一天（含）；新聘期自原聘期结束次日开始")
    document_no: DocumentNo
    reason: Text = ""


class EndIn(Schema):
    kind: EndKind = Field(description="resigned 本人辞去 / revoked 企业解聘")
    effective_on: date = Field(description="解除生效日期：自该日起不再持有")
    reason: Reason


@router.get("/enterprises/{unit_id}/appointments", response={200: list[selectors.AppointmentView], **errors(404)},
            summary="企业的评聘记录 An enterprise's appointments")
def enterprise_appointments(request: HttpRequest, unit_id: RowId) -> list[selectors.AppointmentView]:
    user = signed_in_user(request)
    unit = access.access_enterprise_appointments(user, unit_id)
    return selectors.enterprise_appointments(viewer=user, enterprise=unit, on=timezone.localdate())


@router.get("/enterprises/{unit_id}/appointment-candidates",
            response={200: list[selectors.AppointmentCandidate], **errors(404)},
            summary="可聘任的本企业人员（是否持有一级） Members to appoint")
def appointment_candidates(request: HttpRequest, unit_id: RowId) -> list[selectors.AppointmentCandidate]:
    user = signed_in_user(request)
    unit = access.access_enterprise_appointments(user, unit_id, manage=True)
    return selectors.appointment_candidates(viewer=user, enterprise=unit, on=timezone.localdate())


@router.post("/enterprises/{unit_id}/appointments", response={201: selectors.AppointmentView, **errors(404)},
             summary="登记评聘（附聘任文件） Record an appointment")
def appointment_record(request: HttpRequest, unit_id: RowId, payload: Form[AppointmentIn],
                       evidence: File[UploadedFile]) -> Status[selectors.AppointmentView]:
    user = signed_in_user(request)
    appointment = services.appointment_record(
        actor=user, enterprise_id=unit_id, person_id=payload.person_id, occupation_id=payload.occupation_id,
        title=payload.title, term=services.Term(payload.term_start, payload.term_end, payload.document_no,
                                                payload.reason), evidence=evidence)
    return Status(201, selectors.appointment_view(appointment, viewer=user, on=timezone.localdate()))


@router.get("/appointments/{appointment_id}", response={200: selectors.AppointmentView, **errors(404)},
            summary="一条评聘记录 One appointment")
def appointment(request: HttpRequest, appointment_id: RowId) -> selectors.AppointmentView:
    user = signed_in_user(request)
    return selectors.appointment_view(access.access_appointment(user, appointment_id), viewer=user,
                                      on=timezone.localdate())


@router.get("/appointments/{appointment_id}/evidence", response={200: None, **errors(404)},
            summary="聘任文件 The appointment's document")
def appointment_evidence(request: HttpRequest, appointment_id: RowId) -> FileResponse:
    return evidence_response(access.access_appointment(signed_in_user(request), appointment_id))


@router.post("/appointments/{appointment_id}/renew", response={201: selectors.AppointmentView, **errors(404, 409)},
             summary="续聘（新聘期，附聘任文件） Renew an appointment")
def appointment_renew(request: HttpRequest, appointment_id: RowId, payload: Form[RenewIn],
                      evidence: File[UploadedFile]) -> Status[selectors.AppointmentView]:
    user = signed_in_user(request)
    renewal = services.appointment_renew(actor=user, appointment_id=appointment_id, term_end=payload.term_end,
                                         document_no=payload.document_no, reason=payload.reason, evidence=evidence)
    return Status(201, selectors.appointment_view(renewal, viewer=user, on=timezone.localdate()))


@router.post("/appointments/{appointment_id}/end", response={200: selectors.AppointmentView, **errors(404, 409)},
             summary="提前解除评聘（辞去、解聘） End an appointment early")
def appointment_end(request: HttpRequest, appointment_id: RowId, payload: EndIn) -> selectors.AppointmentView:
    user = signed_in_user(request)
    ended = services.appointment_end(actor=user, appointment_id=appointment_id, kind=payload.kind,
                                     effective_on=payload.effective_on, reason=payload.reason)
    return selectors.appointment_view(ended, viewer=user, on=timezone.localdate())


@router.get("/people/{person_id}/appointments", response={200: list[selectors.AppointmentView], **errors(404)},
            summary="人员的评聘记录 A person's appointments")
def person_appointments(request: HttpRequest, person_id: RowId) -> list[selectors.AppointmentView]:
    user = signed_in_user(request)
    person = access.access_person_levels(user, person_id)
    return selectors.person_appointments(viewer=user, person=person, on=timezone.localdate())
