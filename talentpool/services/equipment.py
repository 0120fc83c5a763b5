"""Writes of equipment sharing (设备共享, issue 14 item 9): an enterprise's HR asks to use a college's open
equipment (`Equipment.open_to_enterprises`, of a submitted supply checklist) for a period with a purpose; the
owning college's staff approve or decline with a reply; the enterprise may withdraw a pending request. Audited
(`talentpool.equipment.*`)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from accounts.actors import Actor
from accounts.models import User
from audit.services import audit_record
from core.errors import Conflict, FieldError, ValidationFailed
from talentpool import access_matchmaking as access
from talentpool.models import EquipmentRequest, EquipmentRequestStatus
from talentpool.permissions import Action

MAX_DAYS = 366


def _person(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) else None


@transaction.atomic(durable=True)
def equipment_request_create(*, actor: Actor, equipment_id: int, enterprise_id: int, purpose: str,
                             start_on: date, end_on: date) -> EquipmentRequest:
    """Ask to use open equipment for [start_on, end_on] (at most a year, not starting in the past)."""
    enterprise = access.access_unit(actor, enterprise_id, Action.EQUIPMENT_REQUEST)
    equipment = access.access_equipment(actor, equipment_id)
    errors: list[FieldError] = []
    if not purpose.strip():
        errors.append(FieldError("purpose", "equipment.purpose_required"))
    if start_on < timezone.localdate():
        errors.append(FieldError("start_on", "equipment.start_past"))
    if end_on < start_on:
        errors.append(FieldError("end_on", "equipment.period_order"))
    elif (end_on - start_on).days >= MAX_DAYS:
        errors.append(FieldError("end_on", "equipment.period_too_long"))
    if errors:
        raise ValidationFailed(errors)
    request = EquipmentRequest.objects.create(equipment=equipment, enterprise=enterprise, purpose=purpose.strip(),
                                              start_on=start_on, end_on=end_on, requested_by=_person(actor))
    audit_record(actor=actor, action="talentpool.equipment.requested", target=request,
                 new={"equipment": equipment.pk, "enterprise": enterprise.pk, "start_on": start_on,
                      "end_on": end_on})
    return request


@transaction.atomic(durable=True)
def equipment_request_decide(*, actor: Actor, request_id: int, approve: bool, reply: str = "") -> EquipmentRequest:
    """The owning college approves or declines a pending request, with a reply (required to decline)."""
    request = access.access_equipment_request(actor, request_id, decide=True, lock=True)
    if request.status != EquipmentRequestStatus.PENDING:
        raise Conflict("equipment.not_pending")
    if not approve and not reply.strip():
        raise ValidationFailed([FieldError("reply", "equipment.reply_required")])
    request.status = EquipmentRequestStatus.APPROVED if approve else EquipmentRequestStatus.DECLINED
    request.reply = reply.strip()[:2000]
    request.decided_by = _person(actor)
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "reply", "decided_by", "decided_at"])
    audit_record(actor=actor, action="talentpool.equipment.decided", target=request,
                 old={"status": EquipmentRequestStatus.PENDING}, new={"status": request.status,
                                                                      "reply": request.reply})
    return request


@transaction.atomic(durable=True)
def equipment_request_withdraw(*, actor: Actor, request_id: int) -> EquipmentRequest:
    request = access.access_equipment_request(actor, request_id, lock=True)
    access.access_unit(actor, request.enterprise_id, Action.EQUIPMENT_REQUEST)
    if request.status != EquipmentRequestStatus.PENDING:
        raise Conflict("equipment.not_pending")
    request.status = EquipmentRequestStatus.WITHDRAWN
    request.save(update_fields=["status"])
    audit_record(actor=actor, action="talentpool.equipment.withdrawn", target=request,
                 old={"status": EquipmentRequestStatus.PENDING}, new={"status": request.status})
    return request
