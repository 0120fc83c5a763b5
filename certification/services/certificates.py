"""Writes of certificates (issue 13 items 1, 2 and 7): issuance from a batch's published results, from a recorded
competition promotion and from an appointment; revocation; re-issue (补证/换证); the bodies' filing codes. Each
takes an actor, checks its right through certification.access, runs certification.domain.certificates and
.numbering, saves in one transaction and writes its audit entries.

Rules and the choices where the design is silent (each tested in tests/certification/test_services_certificates.py):
- **Who issues, under which codes**: a batch's certificates by its body, under the body's `BodyFiling` (no filing:
  refused, naming the body); kind `Y` for an enterprise's own evaluation, `S` otherwise. A promotion's by the
  organizer unit that issues it (`body_id`, or the caller's one organizer unit with a filing), kind `S`. An
  appointment letter by the appointing enterprise under its filing, kind `Y`, level 1, the title on its face.
- **The number** (certification.domain.numbering): the year is the issue day's in Asia/Shanghai; the serial is
  the next of the `CertificateSerial` row of (prefix, year, level), locked with select_for_update for the whole
  transaction, so two workers or two bodies issuing at the same moment queue on it and get consecutive serials;
  the row's `last` and the certificates are written in the same transaction. Any failure after a number is taken
  (a signature refused, a constraint, the database) rolls the whole transaction back, the counter included: a
  number exists only on a committed certificate, so there are no gaps and no duplicates (a unique constraint on
  (counter, serial) makes a duplicate impossible, not merely unlikely).
- **Before any number**: every refusal is decided first: results published and passed (or promotion standing,
  appointment held), not issued before, the holder's real name present and every character of it drawable by the
  PDF font (`core.pdf_fonts.check_covered`; certpdf widens the font's coverage). So a PDF that could not be drawn
  never burns a number. The PDF itself is drawn later, outside the transaction (certpdf).
- **A whole batch in one go**: `certificate_issue_batch` issues to every candidate `selectors.batch_issuance`
  clears and reports the others with their reasons; one transaction, one lock of the counter.
- **Levels**: a batch result's certificate records the level it gives (a `HeldLevel` of source certificate,
  through services.levels); a promotion's rests on the promotion's level and an appointment's on the
  appointment's: neither adds a second one. Revocation withdraws the level the certificate gave (a promotion's and
  an appointment's levels move only with their sources). A re-issue passes the level on to its successor.
- **Status-list slot**: a random free index (secrets) in the current `CertificateStatusList` (131,072 entries),
  whose row is locked while indexes are taken; a new list is opened once the current one is half full (domain
  STATUS_LIST_FILL), so random candidates find free indexes in about one try each and an index tells nothing of
  the issue order. Locks are always taken counter first, then status list: no deadlock between issuers.
- **Re-issue** (补证 lost / 换证 changed): the old certificate becomes superseded and points to its successor; the
  successor gets a new number (of its issue year), the holder's current real name (换证 is how a corrected name
  reaches a certificate), the original's occupation and level, today's date; both keep their history. Only a valid
  certificate is re-issued or revoked (domain STATUS_MOVES); both need a reason.
- **Audit**: `certification.certificate.issued` (one per certificate), `.revoked`, `.superseded`;
  `certification.filing.set`. History rows (`CertificateEvent`) beside them, for the certificate's own page.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.actors import Actor
from accounts.identity import mask_id_number
from accounts.models import Organization, Role, User
from accounts.permissions import units_of
from audit.services import audit_record
from certification import access
from certification.domain import certificates as dom
from certification.domain import numbering
from certification.domain.ladder import SkillLevel
from certification.models import (
    AppointedTitle,
    Appointment,
    Batch,
    BodyFiling,
    Certificate,
    CertificateEvent,
    CertificateEventKind,
    CertificateSerial,
    CertificateSource,
    CertificateStatus,
    CertificateStatusList,
    HeldLevel,
    Occupation,
    Registration,
    SourceKind,
)
from certification.permissions import Action
from certification.selectors import certificates as views
from certification.services.levels import certificate_level_record, certificate_level_withdraw
from certification.signals import certificates_changed_on_commit
from core.errors import Conflict, FieldError, ValidationFailed
from core.lookup import get_or_404

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _user(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) else None


def _snapshot(c: Certificate) -> dict[str, object]:
    return {"number": c.number, "holder": c.holder_id, "holder_name": c.holder_name, "occupation": c.occupation_code,
            "level": c.level, "title": c.title, "body": c.body_id, "issued_on": c.issued_on, "source": c.source,
            "key_id": c.key_id, "status": c.status, "status_list": [c.status_list_no, c.status_index]}


@dataclass(frozen=True, slots=True)
class Holder:
    """One certificate to issue: who, for what, from which source (plain data gathered before any number)."""

    person: User
    occupation: Occupation
    level: SkillLevel
    title: str
    source: CertificateSource
    registration: Registration | None = None
    promotion: HeldLevel | None = None
    appointment: Appointment | None = None


@dataclass(frozen=True, slots=True)
class BatchIssued:
    """What `certificate_issue_batch` did: the certificates issued now and the candidates refused, with why."""

    issued: list[Certificate]
    refused: list[views.RefusedCandidate]


# --- the number and the slot ----------------------------------------------------------------------------------------


def _filing(body: Organization) -> BodyFiling:
    filing = BodyFiling.objects.filter(organization=body).first()
    if filing is None:
        raise Conflict("certificate.no_filing", {"body": body.name},
                       "{body} has no filing codes yet: the platform admin sets them.")
    return filing


def _counter(prefix: str, year: int, level: int) -> CertificateSerial:
    # Locked for the rest of the transaction: two issuers of one site, year and level would otherwise read the same
    # `last` and issue the same serial (or, with the unique constraint, one would fail). They queue here instead.
    CertificateSerial.objects.get_or_create(prefix=prefix, year=year, level=level)
    return CertificateSerial.objects.select_for_update().get(prefix=prefix, year=year, level=level)


def _status_list() -> CertificateStatusList:
    """The current status list, locked (always after the counter); a new one once it is half full."""
    CertificateStatusList.objects.get_or_create(list_no=1)
    while True:
        # Locked: two issuers would otherwise count the same free indexes and open the same next list.
        current = CertificateStatusList.objects.select_for_update().order_by("-list_no").first()
        assert current is not None  # noqa: S101 - list 1 exists
        if not dom.list_full(current.used):
            return current
        CertificateStatusList.objects.get_or_create(list_no=current.list_no + 1)


def _free_indexes(status_list: CertificateStatusList, count: int) -> list[int]:
    """`count` distinct random indexes free in the list (it is less than half full: each pick is free at ≥ 1/2)."""
    chosen: list[int] = []
    while len(chosen) < count:
        wanted = {secrets.randbelow(status_list.size) for _ in range(2 * (count - len(chosen)) + 4)} - set(chosen)
        taken = set(Certificate.objects.filter(status_list_no=status_list.list_no, status_index__in=wanted)
                    .values_list("status_index", flat=True))
        chosen += [i for i in wanted if i not in taken][: count - len(chosen)]
    return chosen


def _refuse_name(person: User) -> None:
    refusal = views.name_refusal(views.holder_name(person))
    if refusal is not None:
        raise refusal


def _issue(*, actor: Actor, body: Organization, kind: numbering.NumberKind, holders: list[Holder],
           now: datetime, granted: dict[int, HeldLevel] | None = None,
           reason: str = "", detail: dict[str, object] | None = None) -> list[Certificate]:
    """Number, sign and save the certificates of `holders` (all of one level), cleared of every refusal before.
    Runs inside the caller's transaction; takes the counter's and the status list's locks."""
    from certification import keys

    if not holders:
        return []
    filing = _filing(body)
    issued_on = timezone.localtime(now, SHANGHAI).date()
    level = int(holders[0].level)
    assert all(int(h.level) == level for h in holders)  # noqa: S101 - one counter per call
    prefix = f"{kind.value}{filing.agency_code}{filing.province_code}{filing.site_serial}"
    counter = _counter(prefix, issued_on.year, level)
    status_list = _status_list()
    indexes = _free_indexes(status_list, len(holders))
    made = []
    for holder, index in zip(holders, indexes, strict=True):
        serial = numbering.next_serial(counter.last)
        counter.last = serial
        number = numbering.format_number(numbering.NumberParts(
            kind, filing.agency_code, filing.province_code, filing.site_serial, issued_on.year % 100, level, serial))
        certificate = Certificate(
            number=number, serial_counter=counter, serial=serial, holder_name=views.holder_name(holder.person),
            id_number_masked=mask_id_number(holder.person.id_number), occupation_code=holder.occupation.code,
            occupation_name=holder.occupation.name, level=level, title=holder.title, issuer_name=body.name,
            issued_on=issued_on, holder=holder.person, occupation=holder.occupation, body=body,
            source=holder.source, registration=holder.registration, promotion=holder.promotion,
            appointment=holder.appointment, issued_at=now, issued_by=_user(actor), status=CertificateStatus.VALID,
            status_list_no=status_list.list_no, status_index=index,
        )
        signed = keys.sign_facts(views.certificate_facts(certificate))
        certificate.key_id, certificate.signature = signed.kid, signed.signature
        certificate.save(force_insert=True)
        if granted is not None:  # a re-issue: the level passes on, none recorded again
            certificate.granted_level = granted.get(holder.person.pk)
        elif holder.source == CertificateSource.REGISTRATION:
            certificate.granted_level = certificate_level_record(
                actor=actor, certificate=certificate, person_id=holder.person.pk, occupation_id=holder.occupation.pk,
                level=SkillLevel(level), obtained_on=issued_on, label=f"{body.name} {number}")
        if certificate.granted_level_id is not None:
            certificate.save(update_fields=["granted_level"])
        CertificateEvent.objects.create(certificate=certificate, kind=CertificateEventKind.ISSUED, at=now,
                                        actor=_user(actor), reason=reason, detail=detail or {})
        audit_record(actor=actor, action="certification.certificate.issued", target=certificate,
                     new=_snapshot(certificate), reason=reason)
        made.append(certificate)
    counter.save(update_fields=["last"])
    status_list.used += len(made)
    status_list.save(update_fields=["used"])
    return made


# --- issuance -------------------------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def certificate_issue_batch(*, actor: Actor, batch_id: int) -> BatchIssued:
    """Issue a certificate to every candidate of the batch whose published result passed and who has none yet, in
    one transaction (module docstring); the others are reported with their reasons. Refused as a whole while the
    results are not published (nothing to issue), or when the body has no filing codes."""
    batch: Batch = access.access_batch_for_certificates(actor, batch_id, issue=True, lock=True)
    issuance = views.batch_issuance(batch)
    if not issuance.results_published:
        raise Conflict("certificate.results_not_published", {}, "The batch's results are not published.")
    _filing(batch.body)
    cleared = {c.registration_id for c in issuance.candidates if not c.refusal_code}
    registrations = {r.pk: r for r in Registration.objects.filter(pk__in=cleared)
                     .select_related("candidate").order_by("ticket_no", "pk")}
    holders = [Holder(r.candidate, batch.occupation, SkillLevel(batch.level), "", CertificateSource.REGISTRATION,
                      registration=r) for r in registrations.values()]
    issued = _issue(actor=actor, body=batch.body, kind=dom.number_kind(batch.evaluation_kind), holders=holders,
                    now=timezone.now())
    refused = [views.RefusedCandidate(c.registration_id, c.name, c.refusal_code, c.refusal) for c in issuance.candidates
               if c.refusal_code]
    return BatchIssued(issued, refused)


def _issued_number(**source: object) -> str | None:
    return Certificate.objects.filter(**source).order_by("pk").values_list("number", flat=True).first()


def _promotion_issuer(actor: Actor, body_id: int | None) -> Organization:
    if body_id is None:
        units = [u for u in sorted(units_of(actor, [Role.ORGANIZER_STAFF]))
                 if BodyFiling.objects.filter(organization_id=u).exists()] if isinstance(actor, User) else []
        if len(units) != 1:
            raise ValidationFailed([FieldError("body_id", "certificate.issuer_required")])
        body_id = units[0]
    return access.access_issuer(actor, Action.CERTIFICATE_ISSUE_PROMOTION, body_id)


@transaction.atomic(durable=True)
def certificate_issue_promotion(*, actor: Actor, held_level_id: int, body_id: int | None = None) -> Certificate:
    """The certificate of a recorded 竞赛晋级 (a standing HeldLevel of source competition_promotion), issued by the
    organizer unit `body_id` (or the caller's one organizer unit with filing codes); no second level recorded."""
    body = _promotion_issuer(actor, body_id)
    held = get_or_404(HeldLevel.objects.select_for_update(of=("self",)).select_related("person", "occupation"),
                      pk=held_level_id)
    refusal = dom.promotion_refusal(is_promotion=held.source_kind == SourceKind.PROMOTION,
                                    withdrawn=held.withdrawn_at is not None,
                                    issued_number=_issued_number(promotion=held))
    if refusal is not None:
        raise refusal
    _refuse_name(held.person)
    [certificate] = _issue(actor=actor, body=body, kind=numbering.NumberKind.SOCIAL, now=timezone.now(), holders=[
        Holder(held.person, held.occupation, SkillLevel(held.level), "", CertificateSource.PROMOTION,
               promotion=held)])
    certificates_changed_on_commit([certificate.holder_id])
    return certificate


@transaction.atomic(durable=True)
def certificate_issue_appointment(*, actor: Actor, appointment_id: int) -> Certificate:
    """The letter (聘书) of an appointment as 特级技师/首席技师: level 1 with the title, issued by the appointing
    enterprise under its filing codes (kind Y); the level is the appointment's own, none added."""
    appointment = get_or_404(Appointment.objects.select_for_update(of=("self",))
                             .select_related("person", "occupation", "enterprise"), pk=appointment_id)
    access.access_issuer(actor, Action.CERTIFICATE_ISSUE_APPOINTMENT, appointment.enterprise_id)
    refusal = dom.appointment_refusal(
        never_held=appointment.ended_on is not None and appointment.ended_on <= appointment.term_start,
        issued_number=_issued_number(appointment=appointment))
    if refusal is not None:
        raise refusal
    _refuse_name(appointment.person)
    [certificate] = _issue(actor=actor, body=appointment.enterprise, kind=numbering.NumberKind.ENTERPRISE,
                           now=timezone.now(), holders=[Holder(
                               appointment.person, appointment.occupation, SkillLevel.ONE,
                               str(AppointedTitle(appointment.title).label), CertificateSource.APPOINTMENT,
                               appointment=appointment)])
    certificates_changed_on_commit([certificate.holder_id])
    return certificate


# --- revocation and re-issue ----------------------------------------------------------------------------------------


def _reason(reason: str) -> str:
    refusal = dom.reason_refusal(reason)
    if refusal is not None:
        raise ValidationFailed([FieldError("reason", refusal.code)])
    return reason.strip()


@transaction.atomic(durable=True)
def certificate_revoke(*, actor: Actor, certificate_id: int, reason: str) -> Certificate:
    """Revoke a valid certificate with a reason (it verifies as revoked from now on); withdraws the level it gave."""
    certificate = access.access_certificate(actor, certificate_id, manage=True, lock=True)
    certificate.status = dom.move(dom.Status(certificate.status), dom.Move.REVOKE).value
    reason = _reason(reason)
    now = timezone.now()
    certificate.revoked_at, certificate.revoked_reason = now, reason
    certificate.save(update_fields=["status", "revoked_at", "revoked_reason"])
    if certificate.granted_level_id is not None:
        certificate_level_withdraw(actor=actor, held_id=certificate.granted_level_id,
                                   reason=f"证书 {certificate.number} 已撤销：{reason}")
    CertificateEvent.objects.create(certificate=certificate, kind=CertificateEventKind.REVOKED, at=now,
                                    actor=_user(actor), reason=reason)
    audit_record(actor=actor, action="certification.certificate.revoked", target=certificate,
                 old={"status": "valid"}, new={"status": "revoked", "revoked_at": now}, reason=reason)
    certificates_changed_on_commit([certificate.holder_id])
    return certificate


@transaction.atomic(durable=True)
def certificate_reissue(*, actor: Actor, certificate_id: int, reason: str, kind: dom.ReissueKind) -> Certificate:
    """Re-issue a valid certificate (补证 lost / 换证 changed facts): a new number, the old one superseded and
    pointing to it, both histories kept (module docstring). Returns the successor."""
    old = access.access_certificate(actor, certificate_id, manage=True, lock=True)
    old.status = dom.move(dom.Status(old.status), dom.Move.SUPERSEDE).value
    reason = _reason(reason)
    kind = dom.ReissueKind(kind)
    holder = User.objects.get(pk=old.holder_id)
    _refuse_name(holder)  # before the number: the successor's face must be drawable
    now = timezone.now()
    old.save(update_fields=["status"])  # no longer valid, so its successor may be (per-source unique constraints)
    occupation = Occupation.objects.get(pk=old.occupation_id)
    granted = {holder.pk: HeldLevel.objects.get(pk=old.granted_level_id)} if old.granted_level_id else {}
    [new] = _issue(actor=actor, body=old.body, kind=numbering.NumberKind(old.number[0]), now=now, granted=granted,
                   reason=reason, detail={"replaces": old.number, "reissue_kind": kind.value}, holders=[Holder(
                       holder, occupation, SkillLevel(old.level), old.title, CertificateSource(old.source),
                       registration=old.registration, promotion=old.promotion, appointment=old.appointment)])
    new.reissue_kind = kind.value
    new.save(update_fields=["reissue_kind"])
    old.superseded_by = new
    old.save(update_fields=["superseded_by"])
    CertificateEvent.objects.create(certificate=old, kind=CertificateEventKind.SUPERSEDED, at=now,
                                    actor=_user(actor), reason=reason,
                                    detail={"successor": new.number, "reissue_kind": kind.value})
    audit_record(actor=actor, action="certification.certificate.superseded", target=old,
                 old={"status": "valid"}, new={"status": "superseded", "successor": new.number,
                                               "reissue_kind": kind.value}, reason=reason)
    certificates_changed_on_commit([new.holder_id])
    return new


# --- filing codes ---------------------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def body_filing_set(*, actor: Actor, organization_id: int, agency_code: str, province_code: str,
                    site_serial: str) -> BodyFiling:
    """Set an evaluation body's filing codes (the platform admin). Certificates already issued keep their numbers;
    the next ones use the new codes (a new prefix starts its own serials). Two bodies never share the codes."""
    unit = access.access_filing_unit(actor, organization_id, manage=True)
    codes = {"agency_code": agency_code.strip(), "province_code": province_code.strip(),
             "site_serial": site_serial.strip()}
    bad = numbering.part_problems(**codes)
    if bad:
        raise ValidationFailed([FieldError(name, f"filing.bad_{name}") for name in bad])
    clash = BodyFiling.objects.filter(**codes).exclude(organization=unit).select_related("organization").first()
    if clash is not None:
        raise Conflict("filing.codes_taken", {"body": clash.organization.name},
                       "These codes are already filed for {body}.")
    filing = BodyFiling.objects.select_for_update().filter(organization=unit).first()
    old = None if filing is None else {k: getattr(filing, k) for k in codes}
    if filing is None:
        filing = BodyFiling(organization=unit)
    for name, value in codes.items():
        setattr(filing, name, value)
    filing.updated_by, filing.updated_at = _user(actor), timezone.now()
    try:
        with transaction.atomic():
            filing.save()
    except IntegrityError:  # a concurrent filing took the codes between the check and the save
        raise Conflict("filing.codes_taken", {"body": "—"}, "These codes are already filed for {body}.") from None
    audit_record(actor=actor, action="certification.filing.set", target=filing, old=old, new=codes)
    return filing

