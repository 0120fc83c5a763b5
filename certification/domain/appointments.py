"""Appointments (评聘) of 特级技师 and 首席技师 (DESIGN.md "Certification" → "The ladder": "特级技师 and 首席技师 are
appointed (评聘) by enterprises from holders of 一级; appointments are recorded with their term"; issue 12 item 10).

`check_appointment` is the rule an appointment must meet to be recorded; it returns every failure, each naming
its field, never only the first. Choices where DESIGN.md is silent (each tested in
tests/certification/test_domain_appointments.py):

- **Prerequisite.** Every appointee must hold 一级/高级技师 in the occupation on the term start, from a certificate
  or a competition promotion (an appointment's own level does not count towards the next appointment, or a
  renewal would rest on the term it renews). 首席技师 sits above 特级技师 on the ladder and, as the national
  opinion on the 新八级工 system has it, is appointed from 特级技师 (certification.domain.ladder
  `requires_for_appointment`): a 首席技师 appointee must also hold 特级技师 in the occupation on the term start,
  or already be 首席技师 on the day before it (a renewal, or a 首席技师 moving on without a gap), since a 首席技师
  whose 特级技师 term ran out is still the chief technician being renewed.
- **Term.** Both days are inclusive: a term 2025-01-01 – 2027-12-31 is held on its last day and lapses the day
  after. The end must come after the start. A start in the past (an appointment made before the platform) or in
  the future (a renewal recorded ahead of time) are both allowed; nothing else caps the term, since enterprises
  set it (three to five years are usual).
- **One at a time.** A person has at most one appointment of a title in an occupation on any day, across every
  enterprise: a new term may not overlap any existing term of the same title (as ended early, if it was). A
  renewal is a new term beginning after the current one ends. 特级技师 and 首席技师 may overlap each other (a 首席技师
  normally is a 特级技师 too).
- **The enterprise.** The appointing unit must be an enterprise (企业) and the person one of its members, as they
  are when the appointment is recorded (memberships carry no dates).
- **Evidence.** The appointment document's number (文号) and the document itself, a PDF or an image (PNG, JPEG)
  of at most `MAX_EVIDENCE_BYTES`; its kind is read from its first bytes and must agree with its name's ending,
  so a renamed file is refused (`evidence_kind`).
- **Ending early** (`check_ending`): a resignation (辞去) or a revocation (解聘/撤销), with a reason, effective on
  a day within the term; from that day the title is no longer held. Ending on the term's first day means it was
  never held. A day in the past is allowed (a revocation recorded late), a day after the term is not (the term
  has lapsed by itself), and an appointment is ended once only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from certification.domain.ladder import Rung, SkillLevel
from core.errors import FieldError

MAX_EVIDENCE_BYTES = 10 * 2**20


class Title(StrEnum):
    """An appointed title (评聘的等级) above 一级."""

    PRINCIPAL = "principal"  # 特级技师
    CHIEF = "chief"  # 首席技师

    @property
    def rung(self) -> Rung:
        return Rung.PRINCIPAL if self is Title.PRINCIPAL else Rung.CHIEF

    @property
    def label_zh(self) -> str:
        return self.rung.label_zh


class EndKind(StrEnum):
    RESIGNED = "resigned"  # 本人辞去
    REVOKED = "revoked"  # 企业解聘/撤销


class EvidenceKind(StrEnum):
    PDF = "application/pdf"
    PNG = "image/png"
    JPEG = "image/jpeg"


_SIGNATURES: tuple[tuple[bytes, EvidenceKind], ...] = (
    (b"%PDF-", EvidenceKind.PDF),
    (b"\x89PNG\r\n\x1a\n", EvidenceKind.PNG),
    (b"\xff\xd8\xff", EvidenceKind.JPEG),
)
_ENDINGS: dict[EvidenceKind, tuple[str, ...]] = {
    EvidenceKind.PDF: (".pdf",),
    EvidenceKind.PNG: (".png",),
    EvidenceKind.JPEG: (".jpg", ".jpeg"),
}


@dataclass(frozen=True, slots=True)
class Evidence:
    """The uploaded document as the rule sees it: its name, size and first bytes."""

    name: str
    size: int
    head: bytes


def evidence_kind(evidence: Evidence) -> EvidenceKind | None:
    """The document's kind read from its first bytes, when its name's ending agrees; None otherwise."""
    for signature, kind in _SIGNATURES:
        if evidence.head.startswith(signature):
            return kind if evidence.name.lower().endswith(_ENDINGS[kind]) else None
    return None


def check_evidence(evidence: Evidence | None, field: str = "evidence") -> list[FieldError]:
    if evidence is None or evidence.size == 0:
        return [FieldError(field, "appointment.evidence_required")]
    errors = []
    if evidence.size > MAX_EVIDENCE_BYTES:
        errors.append(FieldError(field, "appointment.evidence_too_large", {"max": MAX_EVIDENCE_BYTES // 2**20}))
    if evidence_kind(evidence) is None:
        errors.append(FieldError(field, "appointment.evidence_type"))
    return errors


@dataclass(frozen=True, slots=True)
class Period:
    """An existing appointment's days (both inclusive; `last` is the day before it was ended early, if it was)."""

    first: date
    last: date

    def overlaps(self, first: date, last: date) -> bool:
        return self.first <= last and first <= self.last


@dataclass(frozen=True, slots=True)
class Proposal:
    """An appointment to be recorded, with the facts the rule looks at.

    `certified_on_start`: the highest level the person holds in the occupation on the term start from
    certificates and promotions; `titles_on_start` / `titles_day_before`: the titles they hold there on the term
    start and on the day before it; `same_title`: the periods of their other appointments of this title in this
    occupation, at any enterprise."""

    title: Title
    term_start: date
    term_end: date
    document_no: str
    evidence: Evidence | None
    enterprise_is_enterprise: bool
    member_of_enterprise: bool
    certified_on_start: SkillLevel | None
    titles_on_start: frozenset[Title]
    titles_day_before: frozenset[Title]
    same_title: Sequence[Period] = ()


def check_appointment(p: Proposal) -> list[FieldError]:
    """Every rule the proposal breaks (module docstring), each naming its field; empty when it may be recorded."""
    errors: list[FieldError] = []
    if not p.enterprise_is_enterprise:
        errors.append(FieldError("enterprise", "appointment.not_an_enterprise"))
    elif not p.member_of_enterprise:
        errors.append(FieldError("person", "appointment.not_a_member"))
    if p.certified_on_start is None or not p.certified_on_start.at_least(SkillLevel.ONE):
        errors.append(FieldError("person", "appointment.needs_level_one", {
            "title": p.title.label_zh, "on": p.term_start.isoformat(),
            "held": p.certified_on_start.label_zh if p.certified_on_start else "无"}))
    if p.title is Title.CHIEF and Title.PRINCIPAL not in p.titles_on_start \
            and Title.CHIEF not in p.titles_day_before:
        errors.append(FieldError("title", "appointment.chief_needs_principal", {"on": p.term_start.isoformat()}))
    if p.term_end <= p.term_start:
        errors.append(FieldError("term_end", "appointment.term_end_before_start"))
    else:
        for period in p.same_title:
            if period.overlaps(p.term_start, p.term_end):
                errors.append(FieldError("term_start", "appointment.overlaps", {
                    "title": p.title.label_zh, "first": period.first.isoformat(), "last": period.last.isoformat()}))
                break
    if not p.document_no.strip():
        errors.append(FieldError("document_no", "appointment.document_no_required"))
    errors.extend(check_evidence(p.evidence))
    return errors


def last_day_held(term_end: date, ended_on: date | None) -> date:
    """The last day an appointment is held: its term's end, or the day before it was ended early."""
    if ended_on is None:
        return term_end
    return min(term_end, date.fromordinal(ended_on.toordinal() - 1))


def renewal_start(term_end: date) -> date:
    """A renewal's term begins the day after the term it renews ends."""
    return date.fromordinal(term_end.toordinal() + 1)


def check_ending(*, term_start: date, term_end: date, ended_on: date | None, effective_on: date,
                 reason: str) -> list[FieldError]:
    """Why an appointment cannot be ended early on `effective_on` (module docstring); empty when it can."""
    if ended_on is not None:
        return [FieldError("appointment", "appointment.already_ended")]
    errors = []
    if not term_start <= effective_on <= term_end:
        errors.append(FieldError("effective_on", "appointment.end_outside_term", {
            "first": term_start.isoformat(), "last": term_end.isoformat()}))
    if not reason.strip():
        errors.append(FieldError("reason", "appointment.end_reason_required"))
    return errors


class Status(StrEnum):
    """Where an appointment stands on a day."""

    UPCOMING = "upcoming"  # 未开始
    ACTIVE = "active"  # 在聘
    EXPIRED = "expired"  # 已期满
    ENDED = "ended"  # 已解除（辞去或解聘）


def status_on(*, term_start: date, term_end: date, ended_on: date | None, on: date) -> Status:
    if ended_on is not None and ended_on <= on:
        return Status.ENDED
    if on < term_start:
        return Status.UPCOMING
    return Status.ACTIVE if on <= term_end else Status.EXPIRED
