"""Writes of appointments (评聘 of 特级技师 and 首席技师, issue 12 item 10): an enterprise's HR records one for a member
with its term and evidence, renews it for a new term, or ends it early (resignation, revocation). The rule is
certification.domain.appointments'; the level an appointment gives is recorded and stopped through the levels
service (certification.services.levels), so `held_level`, `held_titles` and `held_rung` answer for it.

The evidence file is checked (kind from its first bytes, size) and stored before the transaction, under a name of
our own (`certification/appointments/<random>.pdf`), never the uploader's; if the transaction then refuses or
fails, the stored file is deleted again, so no file is left without its row. Files are served only through the
permission-checked evidence page and endpoint, never from a public media URL.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from accounts.actors import Actor
from accounts.models import OrganizationKind, User
from audit.services import audit_record
from certification import access
from certification.domain.appointments import (
    EndKind,
    Evidence,
    EvidenceKind,
    Period,
    Proposal,
    Title,
    check_appointment,
    check_ending,
    check_evidence,
    evidence_kind,
    last_day_held,
    renewal_start,
)
from certification.models import Appointment
from certification.selectors.levels import held_level, held_titles
from certification.services.levels import appointment_level_end, appointment_level_record
from core.errors import Conflict, FieldError, ValidationFailed

_ENDINGS = {EvidenceKind.PDF: ".pdf", EvidenceKind.PNG: ".png", EvidenceKind.JPEG: ".jpg"}


@dataclass(frozen=True, slots=True)
class StoredEvidence:
    path: str
    name: str
    kind: EvidenceKind
    size: int
    sha256: str


@dataclass(frozen=True, slots=True)
class Term:
    """What an appointment (or its renewal) says: the title's term, the document number and reason."""

    term_start: date
    term_end: date
    document_no: str
    reason: str = ""


def _evidence_of(upload: File[bytes] | None) -> Evidence | None:
    if upload is None:
        return None
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    return Evidence(name=str(upload.name or ""), size=int(upload.size or 0), head=bytes(head))


def _store(upload: File[bytes], evidence: Evidence) -> StoredEvidence:
    kind = evidence_kind(evidence)
    assert kind is not None  # noqa: S101 - checked by check_evidence before storing
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    path = default_storage.save(f"certification/appointments/{uuid.uuid4().hex}{_ENDINGS[kind]}", upload)
    return StoredEvidence(path, evidence.name.rsplit("/", 1)[-1][-200:], kind, evidence.size, digest.hexdigest())


def _snapshot(a: Appointment) -> dict[str, object]:
    return {"person": a.person_id, "occupation": a.occupation_id, "title": a.title, "enterprise": a.enterprise_id,
            "term_start": a.term_start, "term_end": a.term_end, "document_no": a.document_no,
            "evidence": {"name": a.evidence_name, "type": a.evidence_type, "size": a.evidence_size,
                         "sha256": a.evidence_sha256},
            "renews": a.renews_id}


def appointment_record(*, actor: Actor, enterprise_id: int, person_id: int, occupation_id: int, title: Title,
                       term: Term, evidence: File[bytes] | None) -> Appointment:
    """Record an enterprise's appointment of a member (module docstring; the rule: certification.domain
    .appointments), with the level it gives; audited. ValidationFailed names every field the rule refuses."""
    enterprise = access.access_enterprise_appointments(actor, enterprise_id, manage=True)  # before the file is read
    return _with_stored_evidence(evidence, lambda stored: _record(
        actor=actor, enterprise_id=enterprise.pk, person_id=person_id, occupation_id=occupation_id, title=title,
        term=term, evidence=_evidence_of(evidence), stored=stored, renews=None))


def appointment_renew(*, actor: Actor, appointment_id: int, term_end: date, document_no: str, reason: str = "",
                      evidence: File[bytes] | None) -> Appointment:
    """Renew (续聘) an appointment: a new term from the day after the current one ends, with its own document, by
    the same enterprise, under the same rule (the person must still hold 一级, and a 首席技师 still qualify).
    An appointment ended early, or already renewed, cannot be renewed: record a new one."""
    current = access.access_appointment(actor, appointment_id, manage=True)
    if current.ended_on is not None:
        raise Conflict("appointment.renew_ended")
    if Appointment.objects.filter(renews=current).exists():
        raise Conflict("appointment.already_renewed")
    term = Term(renewal_start(current.term_end), term_end, document_no, reason)
    return _with_stored_evidence(evidence, lambda stored: _record(
        actor=actor, enterprise_id=current.enterprise_id, person_id=current.person_id,
        occupation_id=current.occupation_id, title=Title(current.title), term=term, evidence=_evidence_of(evidence),
        stored=stored, renews=current.pk))


def _with_stored_evidence(upload: File[bytes] | None,
                          record: Callable[[StoredEvidence | None], Appointment]) -> Appointment:
    """Store the file (when it passes its own checks) outside the transaction, then record; delete the file again
    when recording refuses or fails."""
    evidence = _evidence_of(upload)
    stored = _store(upload, evidence) if upload is not None and evidence and not check_evidence(evidence) else None
    try:
        return record(stored)
    except BaseException:
        if stored is not None:
            default_storage.delete(stored.path)
        raise


@transaction.atomic(durable=True)
def _record(*, actor: Actor, enterprise_id: int, person_id: int, occupation_id: int, title: Title, term: Term,
            evidence: Evidence | None, stored: StoredEvidence | None, renews: int | None) -> Appointment:
    enterprise = access.access_enterprise_appointments(actor, enterprise_id, manage=True)
    person = access.access_person_for_appointment(actor, person_id)
    occupation = access.access_occupation(actor, occupation_id)
    # Two appointments of one person recorded at once could both pass the overlap check: the person's row
    # orders them.
    User.objects.select_for_update().filter(pk=person.pk).first()
    # Ended on its first day, an appointment was never held: it blocks no other term.
    same_title = [Period(a.term_start, last_day_held(a.term_end, a.ended_on))
                  for a in Appointment.objects.filter(person=person, occupation=occupation, title=title)
                  if a.ended_on is None or a.ended_on > a.term_start]
    day_before = term.term_start - timedelta(days=1)
    errors: list[FieldError] = check_appointment(Proposal(
        title=title, term_start=term.term_start, term_end=term.term_end, document_no=term.document_no,
        evidence=evidence, enterprise_is_enterprise=enterprise.kind == OrganizationKind.ENTERPRISE,
        member_of_enterprise=enterprise.pk in person.permission_unit_ids(),
        certified_on_start=held_level(person, occupation, on=term.term_start, appointments=False),
        titles_on_start=held_titles(person, occupation, on=term.term_start),
        titles_day_before=held_titles(person, occupation, on=day_before), same_title=same_title,
    ))
    if errors:
        raise ValidationFailed(errors)
    assert stored is not None  # noqa: S101 - stored whenever the evidence passed its checks
    appointment = Appointment(
        person=person, occupation=occupation, title=title.value, enterprise=enterprise, term_start=term.term_start,
        term_end=term.term_end, document_no=term.document_no.strip(), evidence_name=stored.name,
        evidence_type=stored.kind.value, evidence_size=stored.size, evidence_sha256=stored.sha256,
        reason=term.reason.strip(), renews_id=renews, recorded_by=actor if isinstance(actor, User) else None,
        recorded_at=timezone.now(),
    )
    appointment.evidence.name = stored.path
    appointment.save()
    audit_record(actor=actor, action="certification.appointment.renewed" if renews
                 else "certification.appointment.recorded", target=appointment, new=_snapshot(appointment),
                 reason=appointment.reason)
    appointment_level_record(actor=actor, appointment=appointment)
    return appointment


@transaction.atomic(durable=True)
def appointment_end(*, actor: Actor, appointment_id: int, kind: EndKind, effective_on: date,
                    reason: str) -> Appointment:
    """End an appointment early (module docstring of certification.domain.appointments): from `effective_on` the
    person no longer holds the title through it; ended on its first day, it was never held. Audited, with the
    reason."""
    appointment = access.access_appointment(actor, appointment_id, manage=True, lock=True)
    errors = check_ending(term_start=appointment.term_start, term_end=appointment.term_end,
                          ended_on=appointment.ended_on, effective_on=effective_on, reason=reason)
    if errors:
        if errors[0].code == "appointment.already_ended":
            raise Conflict("appointment.already_ended")
        raise ValidationFailed(errors)
    appointment.ended_on, appointment.end_kind, appointment.end_reason = effective_on, kind.value, reason.strip()
    appointment.ended_by = actor if isinstance(actor, User) else None
    appointment.ended_at = timezone.now()
    appointment.save(update_fields=["ended_on", "end_kind", "end_reason", "ended_by", "ended_at"])
    audit_record(actor=actor, action="certification.appointment.ended", target=appointment,
                 old={"ended_on": None}, new={"ended_on": effective_on, "end_kind": kind.value},
                 reason=appointment.end_reason)
    appointment_level_end(actor=actor, appointment=appointment, reason=appointment.end_reason)
    return appointment
