"""Exam batches (批次; issue 12 item 4) through the API, with the same rights as the pages (certification.access):
the body's staff plan a batch (parts, rooms, staff, the staffing check, status moves), review its registrations
one by one or many at once with a reason, and allocate seats; candidates register themselves and units register
their people (one by one, or by Excel: at most `IMPORT_BACKGROUND_ROWS` rows at once, more as a background task,
202); a candidate downloads their 准考证 and the door staff check a ticket by its QR token.

Choices where the issue is silent:
- `GET /batches` lists the batches the caller plans or oversees; `GET /batches/open` what anyone signed in may
  apply to today (the notice). `GET /batches/{id}` is the notice (what anyone may read of an announced batch);
  `GET /batches/{id}/plan` the body's full plan. A batch in planning or cancelled is invisible (404) to anyone
  outside its body, like another unit's objects.
- Planning writes answer the plan as it now stands (`BatchPlan`), so a client sees the staffing check move.
- `GET /batches/{id}/registrations` lists every registration for the body's staff and organizer staff, and only
  those of the caller's own units (and their own) for anyone else; filters `status` and `unit_id`.
- Bulk review is all or none: one registration that cannot move refuses the whole request (409), like the page.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from pydantic import StringConstraints

from accounts.auth import signed_in_user
from accounts.models import Role
from accounts.permissions import units_of
from certification import access, tickets
from certification.api.schemas import Name
from certification.domain.eligibility import Education, SchoolType
from certification.excel.batches import REGISTRATIONS
from certification.models import RegistrationStatus
from certification.photos import MAX_BYTES as MAX_PHOTO_BYTES
from certification.photos import registration_photo_bytes
from certification.selectors import batches as views
from certification.services import batches as services
from certification.services.batch_import import MAX_FILE_BYTES
from certification.services.registration_photos import registration_photo_set
from certification.tasks import registrations_import_submit
from core.errors import Conflict, ImportFailed, NotFound, RowError
from core.schemas import RowId, errors
from tasks.models import TaskProgress
from tasks.progress import TaskStarted, task_started

router = Router()

Reason = Annotated[str, StringConstraints(max_length=500, pattern=r"^[^\x00]*$")]
Token = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
PartKindIn = Annotated[str, StringConstraints(pattern=r"^(theory|practical|review)$")]
StatusIn = Annotated[str, StringConstraints(pattern=r"^(submitted|approved|rejected|seated|withdrawn)?$")]
REGISTERING_ROLES = (Role.ENTERPRISE_HR, Role.COLLEGE_STAFF, Role.EXAM_CENTER_STAFF)
PHOTO_RULES = ("证件照：JPEG 或 PNG，每边至少 150 像素，不超过 5 MB；存为去除元数据的 JPEG，用于准考证和证书；"
               "证书颁发后不能更换（409）。 JPEG or PNG, at least 150 px a side, at most 5 MB; stored as a JPEG "
               "without metadata and drawn on the admission ticket and the certificate; fixed once a certificate "
               "stands on the registration (409).")
PDF_RESPONSE = {"responses": {200: {"description": "准考证 PDF", "content": {"application/pdf": {}}}}}


class BatchIn(Schema):
    body_id: RowId = Field(description="评价机构（考核站点或自主评价企业）")
    occupation_id: RowId
    level: Annotated[int, Field(ge=1, le=5)]
    name: Name
    registration_opens: date
    registration_closes: date


class PartIn(Schema):
    starts_at: datetime
    ends_at: datetime


class RoomIn(Schema):
    name: Name
    seats: Annotated[int, Field(ge=0, le=100_000, description="1–500")]


class StaffIn(Schema):
    person_id: RowId
    room_id: RowId | None = Field(default=None, description="考场；评审组可不指定（整个科目一个评审组）")


class CancelIn(Schema):
    reason: Reason


class FactsFields(Schema):
    years_in_trade: Annotated[Decimal, Field(ge=0, le=60, max_digits=4, decimal_places=1)] = Decimal(0)
    apprenticeship_finished: bool = False
    school: SchoolType | None = None
    education: Education = Education.NONE


class RegistrationIn(FactsFields):
    candidate_id: RowId | None = Field(default=None, description="留空：为本人报名")
    unit_id: RowId | None = Field(default=None, description="报名单位：单位人员为本单位人员报名时填写")


class ReviewIn(Schema):
    registration_ids: list[RowId] = Field(min_length=1, max_length=5000)
    reason: Reason = ""


class WithdrawIn(Schema):
    reason: Reason = ""


class SeedIn(Schema):
    seed: Annotated[int, Field(ge=0, le=2**62 - 1)] | None = Field(default=None, description="留空则随机")


class RegistrationFilter(Schema):
    status: StatusIn = ""
    unit_id: RowId | None = None


class ImportIn(Schema):
    unit_id: RowId


def _facts(payload: FactsFields) -> views.FactsIn:
    return views.FactsIn(payload.years_in_trade, payload.apprenticeship_finished, payload.school,
                         payload.education)


def _plan(request: HttpRequest, batch_id: int) -> views.BatchPlan:
    return views.batch_plan(access.access_batch(signed_in_user(request), batch_id))


# --- batches ---------------------------------------------------------------------------------------------------------

@router.get("/batches", response={200: list[views.BatchSummary], **errors()},
            summary="本机构（或监管的）考核批次 The batches I plan or oversee")
def batches(request: HttpRequest) -> list[views.BatchSummary]:
    return views.batches_managed(signed_in_user(request))


@router.get("/batches/open", response={200: list[views.BatchSummary], **errors()},
            summary="今天接受报名的批次 Batches open for registration")
def batches_open(request: HttpRequest) -> list[views.BatchSummary]:
    signed_in_user(request)
    return views.batches_open(on=timezone.localdate())


@router.post("/batches", response={201: views.BatchPlan, **errors(404)}, summary="新建批次 Create a batch")
def batch_create(request: HttpRequest, payload: BatchIn) -> Status[views.BatchPlan]:
    batch = services.batch_create(actor=signed_in_user(request), data=services.BatchData(
        payload.body_id, payload.occupation_id, payload.level, payload.name, payload.registration_opens,
        payload.registration_closes))
    return Status(201, views.batch_plan(batch))


@router.get("/batches/{batch_id}", response={200: views.BatchSummary, **errors(404)},
            summary="批次公告 A batch as announced")
def batch(request: HttpRequest, batch_id: RowId) -> views.BatchSummary:
    return views.batch_summary(access.access_batch_announced(signed_in_user(request), batch_id))


@router.get("/batches/{batch_id}/plan", response={200: views.BatchPlan, **errors(404)},
            summary="批次计划：科目、考场、考务人员、报名统计 A batch's plan")
def batch_plan(request: HttpRequest, batch_id: RowId) -> views.BatchPlan:
    return _plan(request, batch_id)


@router.get("/batches/{batch_id}/staffing", response={200: views.StaffingCheck, **errors(404)},
            summary="考务人员配备核查（按计划座位数） The staffing check")
def batch_staffing(request: HttpRequest, batch_id: RowId) -> views.StaffingCheck:
    return views.staffing_check(access.access_batch(signed_in_user(request), batch_id))


@router.put("/batches/{batch_id}/parts/{kind}", response={200: views.BatchPlan, **errors(404, 409)},
            summary="设置科目时间（theory 理论 / practical 实操 / review 综合评审） Set a part's times")
def batch_part_set(request: HttpRequest, batch_id: RowId, kind: PartKindIn, payload: PartIn) -> views.BatchPlan:
    services.batch_part_set(actor=signed_in_user(request), batch_id=batch_id, kind=kind,
                            starts_at=payload.starts_at, ends_at=payload.ends_at)
    return _plan(request, batch_id)


@router.post("/batch-parts/{part_id}/rooms", response={201: views.BatchPlan, **errors(404, 409)},
             summary="为科目添加考场（考核小组、评审组） Add a room to a part")
def room_add(request: HttpRequest, part_id: RowId, payload: RoomIn) -> Status[views.BatchPlan]:
    room = services.room_add(actor=signed_in_user(request), part_id=part_id, name=payload.name, seats=payload.seats)
    return Status(201, _plan(request, room.part.batch_id))


@router.post("/batch-parts/{part_id}/staff", response={201: views.BatchPlan, **errors(404, 409)},
             summary="安排考务人员（监考员、考评员、评审专家） Assign staff to a part")
def staff_assign(request: HttpRequest, part_id: RowId, payload: StaffIn) -> Status[views.BatchPlan]:
    assignment = services.staff_assign(actor=signed_in_user(request), part_id=part_id, person_id=payload.person_id,
                                       room_id=payload.room_id)
    return Status(201, _plan(request, assignment.part.batch_id))


@router.delete("/batches/{batch_id}/staff/{assignment_id}", response={200: views.BatchPlan, **errors(404, 409)},
               summary="取消考务人员安排 Remove a staff assignment")
def staff_remove(request: HttpRequest, batch_id: RowId, assignment_id: RowId) -> views.BatchPlan:
    user = signed_in_user(request)
    batch = access.access_batch(user, batch_id, manage=True)
    if not views.assignment_in_batch(batch, assignment_id):
        raise NotFound()
    services.staff_remove(actor=user, assignment_id=assignment_id)
    return views.batch_plan(batch)


@router.post("/batches/{batch_id}/open", response={200: views.BatchSummary, **errors(404, 409)},
             summary="发布报名（科目齐全、考务人员符合比例） Open registration")
def batch_open(request: HttpRequest, batch_id: RowId) -> views.BatchSummary:
    return views.batch_summary(services.batch_open(actor=signed_in_user(request), batch_id=batch_id))


@router.post("/batches/{batch_id}/close", response={200: views.BatchSummary, **errors(404, 409)},
             summary="截止报名 Close registration")
def batch_close(request: HttpRequest, batch_id: RowId) -> views.BatchSummary:
    return views.batch_summary(services.batch_close(actor=signed_in_user(request), batch_id=batch_id))


@router.post("/batches/{batch_id}/cancel", response={200: views.BatchSummary, **errors(404, 409)},
             summary="取消批次（须说明原因） Cancel a batch")
def batch_cancel(request: HttpRequest, batch_id: RowId, payload: CancelIn) -> views.BatchSummary:
    return views.batch_summary(services.batch_cancel(actor=signed_in_user(request), batch_id=batch_id,
                                                     reason=payload.reason))


# --- registrations ---------------------------------------------------------------------------------------------------

@router.post("/batches/{batch_id}/registrations", response={201: views.RegistrationDetail, **errors(404, 409)},
             summary="报名（本人，或单位为本单位人员） Register for a batch")
def registration_submit(request: HttpRequest, batch_id: RowId, payload: RegistrationIn) -> Status[
        views.RegistrationDetail]:
    user = signed_in_user(request)
    registration = services.registration_submit(
        actor=user, batch_id=batch_id, candidate_id=payload.candidate_id or user.pk, facts=_facts(payload),
        unit_id=payload.unit_id)
    return Status(201, views.registration_detail(user, access.access_registration(user, registration.pk)))


@router.get("/batches/{batch_id}/registrations", response={200: list[views.RegistrationRow], **errors(404)},
            summary="批次的报名（评价机构：全部；报名单位：本单位的） A batch's registrations")
def registrations(request: HttpRequest, batch_id: RowId,
                  filters: Query[RegistrationFilter]) -> list[views.RegistrationRow]:
    user = signed_in_user(request)
    batch = access.access_batch_announced(user, batch_id)
    return views.registrations_listed(user, batch, status=filters.status, unit_id=filters.unit_id,
                                      unit_ids=sorted(units_of(user, REGISTERING_ROLES)))


@router.post("/batches/{batch_id}/registrations/approve", response={200: list[views.RegistrationRow],
                                                                     **errors(404, 409)},
             summary="审核通过（一条或多条，全部成功或全部不变） Approve registrations")
def registrations_approve(request: HttpRequest, batch_id: RowId, payload: ReviewIn) -> list[views.RegistrationRow]:
    user = signed_in_user(request)
    done = services.registrations_approve(actor=user, batch_id=batch_id, registration_ids=payload.registration_ids,
                                          reason=payload.reason)
    return views.registrations_by_id(user, [r.pk for r in done])


@router.post("/batches/{batch_id}/registrations/reject", response={200: list[views.RegistrationRow],
                                                                    **errors(404, 409)},
             summary="不予通过（须说明原因；一条或多条） Reject registrations")
def registrations_reject(request: HttpRequest, batch_id: RowId, payload: ReviewIn) -> list[views.RegistrationRow]:
    user = signed_in_user(request)
    done = services.registrations_reject(actor=user, batch_id=batch_id, registration_ids=payload.registration_ids,
                                         reason=payload.reason)
    return views.registrations_by_id(user, [r.pk for r in done])


@router.post("/batches/{batch_id}/registrations/import",
             response={201: list[views.RegistrationRow], 202: TaskStarted, **errors(404, 409)},
             summary="Excel 批量报名（全部成功或全部不保存；大文件在后台导入） Import registrations",
             description="At most `IMPORT_BACKGROUND_ROWS` rows (300): imported at once, 201 with the registrations. "
                         "More (up to 5,000): queued, 202 with the task to follow at `api_url` (its result: a "
                         "summary, or the error shape with every bad cell); nothing is saved unless every row is "
                         "good. The template: `GET /certification/batches/registrations-template.xlsx`.")
def registrations_import(request: HttpRequest, batch_id: RowId, payload: Form[ImportIn],
                         file: File[UploadedFile]) -> Status[list[views.RegistrationRow]] | Status[TaskStarted]:
    user = signed_in_user(request)
    # Rights and the unit before the file is read; the import asks again.
    access.access_batch_announced(user, batch_id)
    access.access_unit_for_registration(user, payload.unit_id)
    if file.size is not None and file.size > MAX_FILE_BYTES:
        raise ImportFailed([RowError(REGISTRATIONS.name, 0, "", "bank.too_large", {"max": MAX_FILE_BYTES // 2**20})])
    outcome = registrations_import_submit(actor=user, batch_id=batch_id, unit_id=payload.unit_id,
                                          data=bytes(file.read()), filename=file.name or "")
    if isinstance(outcome, TaskProgress):
        return Status(202, task_started(outcome))
    return Status(201, views.registrations_by_id(user, [r.pk for r in outcome]))


@router.get("/registrations/mine", response={200: list[views.RegistrationRow], **errors()},
            summary="我的报名 My registrations")
def my_registrations(request: HttpRequest) -> list[views.RegistrationRow]:
    return views.my_registrations(signed_in_user(request))


@router.get("/registrations/{registration_id}", response={200: views.RegistrationDetail, **errors(404)},
            summary="一条报名（含申报条件核查记录） One registration")
def registration(request: HttpRequest, registration_id: RowId) -> views.RegistrationDetail:
    user = signed_in_user(request)
    return views.registration_detail(user, access.access_registration(user, registration_id))


@router.post("/registrations/{registration_id}/photo", response={200: views.RegistrationDetail,
                                                                  **errors(404, 409, 422)},
             summary="上传或更换证件照 Upload the ID photo",
             description=PHOTO_RULES)
def registration_photo_upload(request: HttpRequest, registration_id: RowId,
                              photo: File[UploadedFile]) -> views.RegistrationDetail:
    user = signed_in_user(request)
    registration_photo_set(actor=user, registration_id=registration_id, data=bytes(photo.read(MAX_PHOTO_BYTES + 1)))
    return views.registration_detail(user, access.access_registration(user, registration_id))


@router.get("/registrations/{registration_id}/photo", response={200: None, **errors(404)},
            openapi_extra={"responses": {200: {"description": "证件照 The ID photo", "content": {"image/jpeg": {}}}}},
            summary="证件照 The ID photo")
def registration_photo(request: HttpRequest, registration_id: RowId) -> HttpResponse:
    data = registration_photo_bytes(access.access_registration(signed_in_user(request), registration_id))
    if data is None:
        raise NotFound()
    response = HttpResponse(data, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response


@router.post("/registrations/{registration_id}/withdraw", response={200: views.RegistrationDetail,
                                                                     **errors(404, 409)},
             summary="撤回报名 Withdraw a registration")
def registration_withdraw(request: HttpRequest, registration_id: RowId,
                          payload: WithdrawIn) -> views.RegistrationDetail:
    user = signed_in_user(request)
    services.registration_withdraw(actor=user, registration_id=registration_id, reason=payload.reason)
    return views.registration_detail(user, access.access_registration(user, registration_id))


# --- seats and tickets -----------------------------------------------------------------------------------------------

@router.post("/batches/{batch_id}/seats", response={201: views.AllocationView, **errors(404, 409)},
             summary="编排考场座位（报名截止后；可记录种子复现） Allocate seats")
def seats_allocate(request: HttpRequest, batch_id: RowId, payload: SeedIn) -> Status[views.AllocationView]:
    allocation = services.seats_allocate(actor=signed_in_user(request), batch_id=batch_id, seed=payload.seed)
    return Status(201, views.allocation_view(allocation))


@router.get("/registrations/{registration_id}/ticket", response={200: None, **errors(404, 409)},
            openapi_extra=PDF_RESPONSE, summary="下载准考证 PDF The admission ticket")
def ticket(request: HttpRequest, registration_id: RowId) -> HttpResponse:
    registration = access.access_registration(signed_in_user(request), registration_id)
    if registration.status != RegistrationStatus.SEATED:
        raise Conflict("registration.not_seated")
    view = views.ticket_view(registration)
    data = tickets.ticket_pdf(view, request.build_absolute_uri(view.verify_path),  # GlyphMissing: 422, named
                              registration_photo_bytes(registration))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="ticket-{view.ticket_no}.pdf"'
    return response


@router.get("/tickets/{token}", response={200: views.TicketView, **errors(404)},
            summary="准考证核验（二维码） Check a ticket by its QR token")
def ticket_check(request: HttpRequest, token: Token) -> views.TicketView:
    return views.ticket_view(access.access_ticket(signed_in_user(request), token))


__all__ = ["router"]
