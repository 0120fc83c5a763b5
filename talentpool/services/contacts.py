"""Contact requests and consent (issue 14 item 2–3): an enterprise's HR asks a talent for their contact data
(optionally for a post, with a message); the person accepts (the consent) or declines; the person may revoke an
acceptance at any time, which masks the data again at once everywhere (talentpool.selectors.profiles decides on
every read); the enterprise may withdraw a pending request. Moves are checked against `CONTACT_MOVES`; one open
(pending or accepted) request per enterprise and talent (also a partial unique constraint). Every move is
audited (`talentpool.contact.*`) with who, when and why."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from audit.services import audit_record
from core.errors import Conflict, FieldError, NotFound, ValidationFailed
from talentpool import access_pool
from talentpool.models import ContactRequest, ContactStatus, DemandPost, TalentStatus
from talentpool.models.pool import CONTACT_MOVES
from talentpool.permissions import Action


def _move(request: ContactRequest, target: ContactStatus) -> None:
    if target not in CONTACT_MOVES[ContactStatus(request.status)]:
        raise Conflict("talentpool.contact.bad_move", {"status": str(ContactStatus(request.status).label)},
                       "This request cannot move from its status.")


@transaction.atomic(durable=True)
def contact_request_create(*, actor: User, talent_id: int, enterprise_id: int | None = None,
                           post_id: int | None = None, message: str = "") -> ContactRequest:
    """Ask for the talent's contact data for the enterprise (the actor's one HR enterprise when None)."""
    enterprise = access_pool.access_enterprise(actor, enterprise_id, Action.CONTACT_REQUEST)
    talent = access_pool.access_talent(actor, talent_id, lock=True)
    if talent.status != TalentStatus.IN_POOL:
        raise NotFound("talentpool.not_in_pool")
    if talent.person_id == actor.pk:
        raise Conflict("talentpool.contact.own")
    errors = []
    if len(message) > 1000:
        errors.append(FieldError("message", "talentpool.contact.message_long"))
    post = None
    if post_id is not None:
        post = DemandPost.objects.filter(pk=post_id, checklist__enterprise=enterprise).first()
        if post is None:
            errors.append(FieldError("post_id", "talentpool.contact.post_not_yours"))
    if errors:
        raise ValidationFailed(errors)
    if ContactRequest.objects.filter(enterprise=enterprise, talent=talent,
                                     status__in=[ContactStatus.PENDING, ContactStatus.ACCEPTED]).exists():
        raise Conflict("talentpool.contact.open_exists")
    try:
        with transaction.atomic():
            request = ContactRequest.objects.create(enterprise=enterprise, talent=talent, post=post,
                                                    message=message.strip(), requested_by=actor,
                                                    requested_at=timezone.now())
    except IntegrityError:
        raise Conflict("talentpool.contact.open_exists") from None
    audit_record(actor=actor, action="talentpool.contact.requested", target=request,
                 new={"enterprise": enterprise.pk, "talent": talent.pk, "post": post_id, "message": request.message})
    return request


def _decide(actor: User, request_id: int, target: ContactStatus, reason: str, *, as_person: bool,
            action: str) -> ContactRequest:
    request = access_pool.access_contact_request(actor, request_id, as_person=as_person, lock=True)
    _move(request, target)
    if len(reason) > 1000:
        raise ValidationFailed([FieldError("reason", "talentpool.contact.reason_long")])
    old = {"status": request.status}
    now = timezone.now()
    request.status = target
    if target in (ContactStatus.ACCEPTED, ContactStatus.DECLINED):
        request.decided_at = now
    else:
        request.revoked_at = now
    request.reason = reason.strip()
    request.save(update_fields=["status", "decided_at", "revoked_at", "reason"])
    audit_record(actor=actor, action=action, target=request, old=old,
                 new={"status": request.status, "at": now}, reason=request.reason)
    return request


@transaction.atomic(durable=True)
def contact_request_accept(*, actor: User, request_id: int, reason: str = "") -> ContactRequest:
    """The person consents: the enterprise sees their contact data from now until they revoke."""
    return _decide(actor, request_id, ContactStatus.ACCEPTED, reason, as_person=True,
                   action="talentpool.contact.accepted")


@transaction.atomic(durable=True)
def contact_request_decline(*, actor: User, request_id: int, reason: str = "") -> ContactRequest:
    return _decide(actor, request_id, ContactStatus.DECLINED, reason, as_person=True,
                   action="talentpool.contact.declined")


@transaction.atomic(durable=True)
def contact_consent_revoke(*, actor: User, request_id: int, reason: str = "") -> ContactRequest:
    """The person takes the consent back, at any time: masked again at once everywhere."""
    return _decide(actor, request_id, ContactStatus.REVOKED, reason, as_person=True,
                   action="talentpool.contact.revoked")


@transaction.atomic(durable=True)
def contact_request_withdraw(*, actor: User, request_id: int, reason: str = "") -> ContactRequest:
    """The enterprise withdraws its pending request."""
    return _decide(actor, request_id, ContactStatus.WITHDRAWN, reason, as_person=False,
                   action="talentpool.contact.withdrawn")
