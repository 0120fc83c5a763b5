"""Reads of certificates (issue 13), shared by the pages, the API, the Excel export and the other issue-13 modules
(signature, PDF, verification, credential all take `certificate_facts(row)`); the caller has loaded and checked
the batch, the certificate or the person (certification.access).

Masking: the views carry the ID number masked, always (the snapshot frozen at issuance, as the certificate's face
and the national lookup show it); only the Excel export for the body's report upward writes it whole, and only to
a reader who may see it (accounts.permissions `can_view_pii`), reading it from the holder's record.

`batch_issuance` is the one judgement of who gets a certificate in a batch (certification.domain.certificates):
the page shows it before the click, and `certificate_issue_batch` issues to exactly the candidates it clears.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.identity import mask_id_number
from accounts.models import Organization, User
from certification.domain import certificates as dom
from certification.domain.certificate_facts import CertificateFacts
from certification.domain.certificate_payload import FactsSignature
from certification.domain.ladder import SkillLevel
from certification.models import (
    Batch,
    BodyFiling,
    Certificate,
    CertificateEvent,
    CertificateSource,
    CertificateStatus,
    Registration,
    ReissueKind,
    ResultsState,
)
from certification.selectors.results import batch_outcomes, batch_results_row
from core.errors import DomainError
from core.pdf_fonts import GlyphMissing, check_covered

ID_TYPE = _("居民身份证")


def certificate_facts(certificate: Certificate) -> CertificateFacts:
    """The key facts a certificate states (certification.domain.certificate_facts), from its row."""
    return CertificateFacts(
        number=certificate.number, holder_name=certificate.holder_name,
        id_number_masked=certificate.id_number_masked, occupation_code=certificate.occupation_code,
        occupation_name=certificate.occupation_name, level=SkillLevel(certificate.level), title=certificate.title,
        issuer_name=certificate.issuer_name, issued_on=certificate.issued_on,
        status_list_no=certificate.status_list_no, status_index=certificate.status_index,
    )


def certificate_signature(certificate: Certificate) -> FactsSignature:
    return FactsSignature(kid=certificate.key_id, signature=certificate.signature)


def certificate_verification_url(certificate: Certificate) -> str:
    """The QR payload of the row (certcrypto's `verification_url`), the same forever."""
    from certification import keys  # the key store is read lazily: listing certificates needs no private key

    return keys.verification_url(certificate_facts(certificate), certificate_signature(certificate))


@dataclass(frozen=True, slots=True)
class CertificateView:
    """One certificate as a list shows it."""

    id: int
    number: str
    holder_id: int
    holder_name: str
    id_type: str
    id_number: str  # masked
    occupation_code: str
    occupation_name: str
    level: int
    level_label: str
    title: str
    issuer_id: int
    issuer_name: str
    issued_on: date
    status: str
    status_label: str
    revoked_at: datetime | None
    revoked_reason: str
    source: str
    source_label: str
    batch_id: int | None
    superseded_by_id: int | None
    superseded_by_number: str
    supersedes_id: int | None
    supersedes_number: str
    reissue_kind: str
    reissue_kind_label: str
    verification_url: str


@dataclass(frozen=True, slots=True)
class CertificateEventView:
    kind: str
    kind_label: str
    at: datetime
    actor_name: str
    reason: str
    detail: dict[str, Any]


@dataclass(frozen=True, slots=True)
class CertificateDetail:
    certificate: CertificateView
    events: list[CertificateEventView]


def _with_relations(queryset: QuerySet[Certificate]) -> QuerySet[Certificate]:
    return queryset.select_related("superseded_by", "supersedes", "registration")


def certificate_view(c: Certificate) -> CertificateView:
    facts = certificate_facts(c)
    successor = c.superseded_by
    predecessor = getattr(c, "supersedes", None) if _has_predecessor(c) else None
    return CertificateView(
        id=c.pk, number=c.number, holder_id=c.holder_id, holder_name=c.holder_name, id_type=str(ID_TYPE),
        id_number=c.id_number_masked, occupation_code=c.occupation_code, occupation_name=c.occupation_name,
        level=c.level, level_label=facts.level_label, title=c.title, issuer_id=c.body_id, issuer_name=c.issuer_name,
        issued_on=c.issued_on, status=c.status, status_label=str(CertificateStatus(c.status).label),
        revoked_at=c.revoked_at, revoked_reason=c.revoked_reason, source=c.source,
        source_label=str(CertificateSource(c.source).label),
        batch_id=c.registration.batch_id if c.registration_id and c.registration else None,
        superseded_by_id=c.superseded_by_id, superseded_by_number=successor.number if successor else "",
        supersedes_id=predecessor.pk if predecessor else None,
        supersedes_number=predecessor.number if predecessor else "", reissue_kind=c.reissue_kind,
        reissue_kind_label=str(ReissueKind(c.reissue_kind).label) if c.reissue_kind else "",
        verification_url=certificate_verification_url(c),
    )


def _has_predecessor(c: Certificate) -> bool:
    try:
        return c.supersedes is not None
    except Certificate.DoesNotExist:
        return False


def certificate_detail(certificate: Certificate) -> CertificateDetail:
    """A certificate with its history (the caller asked `access_certificate`)."""
    row = _with_relations(Certificate.objects.filter(pk=certificate.pk)).get()
    events = CertificateEvent.objects.filter(certificate=row).select_related("actor").order_by("at", "pk")
    return CertificateDetail(certificate_view(row), [
        CertificateEventView(e.kind, str(e.get_kind_display()), e.at, str(e.actor) if e.actor else str(_("系统")),
                             e.reason, dict(e.detail)) for e in events])


def batch_certificates(batch: Batch) -> list[CertificateView]:
    """Every certificate issued from the batch's results, re-issues included, newest first."""
    return [certificate_view(c) for c in _with_relations(
        Certificate.objects.filter(registration__batch=batch)).order_by("-issued_at", "-pk")]


def body_certificates(body: Organization) -> list[CertificateView]:
    """Every certificate the body issued, newest first."""
    return [certificate_view(c) for c in _with_relations(
        Certificate.objects.filter(body=body)).order_by("-issued_at", "-pk")]


def my_certificates(holder: User) -> list[CertificateView]:
    """The holder's certificates (valid first, then by issue), each with its verification link."""
    rows = [certificate_view(c) for c in _with_relations(
        Certificate.objects.filter(holder=holder)).order_by("-issued_at", "-pk")]
    return sorted(rows, key=lambda v: v.status != CertificateStatus.VALID)


# --- who gets a certificate in a batch ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IssuanceCandidate:
    """A seated candidate of the batch: passed or not, and why no certificate would be issued (empty: it would)."""

    registration_id: int
    candidate_id: int
    name: str
    id_number: str  # masked
    ticket_no: str
    passed: bool | None
    refusal_code: str
    refusal: str
    certificate_number: str  # the certificate already issued, if any


@dataclass(frozen=True, slots=True)
class BatchIssuance:
    batch_id: int
    batch_name: str
    results_published: bool
    passed: int
    to_issue: int
    candidates: list[IssuanceCandidate]


def holder_name(person: User) -> str:
    return person.real_name.strip()


def name_refusal(name: str) -> DomainError | None:
    """A certificate needs the real name, every character of it drawable by the PDF font (core.pdf_fonts)."""
    if not name:
        return dom.no_real_name()
    try:
        check_covered([name])
    except GlyphMissing as missing:
        return missing
    return None


def batch_issuance(batch: Batch) -> BatchIssuance:
    """Each seated candidate of the batch with the refusal that keeps them from a certificate, if any (module
    docstring). Reads: the outcomes (three queries), the results row, the certificates already issued."""
    outcomes = batch_outcomes(batch)
    row = batch_results_row(batch)
    published = row is not None and row.state == ResultsState.PUBLISHED
    issued = dict(Certificate.objects.filter(registration__batch=batch)
                  .order_by("issued_at", "pk").values_list("registration_id", "number"))
    found = []
    for registration, outcome in outcomes:
        refusal: DomainError | None = dom.batch_refusal(
            results_published=published, passed=outcome.passed,
            failed_parts=tuple(p.message for p in outcome.reasons), issued_number=issued.get(registration.pk))
        if refusal is None:
            refusal = name_refusal(holder_name(registration.candidate))
        found.append(_candidate(registration, outcome.passed, refusal, issued.get(registration.pk, "")))
    return BatchIssuance(batch.pk, batch.name, published, sum(1 for c in found if c.passed),
                         sum(1 for c in found if not c.refusal_code), found)


def _candidate(r: Registration, passed: bool | None, refusal: DomainError | None, number: str) -> IssuanceCandidate:
    return IssuanceCandidate(r.pk, r.candidate_id, str(r.candidate), mask_id_number(r.candidate.id_number),
                             r.ticket_no or "", passed, refusal.code if refusal else "",
                             refusal.message if refusal else "", number)


@dataclass(frozen=True, slots=True)
class RefusedCandidate:
    registration_id: int
    name: str
    code: str
    reason: str


@dataclass(frozen=True, slots=True)
class IssueResultView:
    """What issuing to a batch did: the certificates issued now, and the candidates refused with why."""

    issued: list[CertificateView]
    refused: list[RefusedCandidate]


def issue_result_view(issued: list[Certificate], refused: list[RefusedCandidate]) -> IssueResultView:
    rows = _with_relations(Certificate.objects.filter(pk__in=[c.pk for c in issued])).order_by("serial_counter",
                                                                                               "serial")
    return IssueResultView([certificate_view(c) for c in rows], refused)


# --- filing codes ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FilingView:
    organization_id: int
    organization_name: str
    filed: bool
    agency_code: str
    province_code: str
    site_serial: str
    updated_at: datetime | None


def filing_view(unit: Organization) -> FilingView:
    """The body's filing codes; `filed` False (and the defaults) before the admin set them."""
    filing = BodyFiling.objects.filter(organization=unit).first()
    if filing is None:
        return FilingView(unit.pk, unit.name, False, "0000", "37", "", None)
    return FilingView(unit.pk, unit.name, True, filing.agency_code, filing.province_code, filing.site_serial,
                      filing.updated_at)
