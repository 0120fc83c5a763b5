"""Verifying certificates online (issue 13 item 5): the public page `/verify/…`, its API and the bulk API read here.
Anyone may verify; nothing here needs an account (the bulk API's caller is checked by certification.access).

What is accepted: a QR payload (the verification URL, or its token), or a certificate number typed in (spaces,
dashes and full-width characters forgiven, certification.domain.numbering). What it says:
- a payload is first checked as the offline verifier checks it (certification.verify.check_signature: a strict
  parse, a published key in its validity, the Ed25519 signature), then against the record: a payload whose
  number was never issued, or whose facts differ from the record, is invalid ("number.unknown",
  "number.mismatch"); otherwise the record's status decides: valid, revoked (with date and reason), or superseded
  by a re-issue (with the successor's number and verification URL);
- a number is looked up: never issued is invalid ("number.unknown"), else the record's status as above.

Masking (where the design is silent): a QR payload carries the holder's name, so its verdict shows it in full;
a typed number does not, and numbers are sequential, so a number lookup shows the name masked (王*明: first and
last character kept) — an employer compares it with the applicant in front of them without the platform
handing out the names behind every number. The ID number is masked everywhere (CertificateFacts).

Queries: one for a single verification, one for a bulk request of any size (`number__in`), the signatures
checked in Python; one more when a certificate checked was superseded (its successor, for all of them at once).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import get_language

from certification import keys, verify
from certification.domain import certificate_payload as cp
from certification.domain import numbering
from certification.domain.certificate_facts import CertificateFacts
from certification.domain.verdicts import VerdictStatus, level_text
from certification.domain.verdicts import message as verdict_message
from certification.models import Certificate, CertificateStatus
from certification.selectors.certificates import certificate_facts, certificate_verification_url

MAX_INPUT_CHARS = 2000  # a payload is ~450 characters; anything much longer is not ours, refused unread


@dataclass(frozen=True)
class VerifiedFacts:
    """The key facts a verification shows (personal data masked, module docstring)."""

    number: str
    holder_name: str
    id_number_masked: str
    occupation_code: str
    occupation_name: str
    level_label: str
    issuer_name: str
    issued_on: date


@dataclass(frozen=True)
class VerificationView:
    """One verification's outcome, in the reader's language (`message`)."""

    input: str  # what was checked, cut to 40 characters (the bulk answer's key)
    status: str  # valid | revoked | superseded | invalid
    reason: str  # stable code, "" when valid
    message: str
    facts: VerifiedFacts | None
    revoked_on: date | None = None
    revoked_reason: str = ""
    successor_number: str = ""
    successor_url: str = ""
    key_id: str = ""


def mask_name(name: str) -> str:
    """王*明, 王*, 欧**华: the first and (for three or more characters) the last character kept."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def certificate_url(row: Certificate) -> str:
    """The verification URL of a row (its QR payload), the same forever (certification.keys)."""
    return certificate_verification_url(row)


def _shown(facts: CertificateFacts, *, name_masked: bool, language: str) -> VerifiedFacts:
    return VerifiedFacts(
        number=facts.number, holder_name=mask_name(facts.holder_name) if name_masked else facts.holder_name,
        id_number_masked=facts.id_number_masked, occupation_code=facts.occupation_code,
        occupation_name=facts.occupation_name, level_label=level_text(facts.level, facts.title, language),
        issuer_name=facts.issuer_name, issued_on=facts.issued_on,
    )


def _view(text: str, status: VerdictStatus, reason: str = "", *, facts: VerifiedFacts | None = None,
          language: str, **extra: Any) -> VerificationView:
    return VerificationView(input=text[:40], status=str(status), reason=reason,
                            message=verdict_message(status, reason, language), facts=facts, **extra)


def _from_row(text: str, row: Certificate, successors: dict[int, Certificate], facts: VerifiedFacts, *,
              language: str, kid: str) -> VerificationView:
    if row.status == CertificateStatus.REVOKED:
        revoked_on = timezone.localdate(row.revoked_at) if row.revoked_at else None
        return _view(text, VerdictStatus.REVOKED, "status.revoked", facts=facts, language=language,
                     revoked_on=revoked_on, revoked_reason=row.revoked_reason, key_id=kid)
    if row.status == CertificateStatus.SUPERSEDED:
        successor = successors.get(row.superseded_by_id) if row.superseded_by_id else None
        return _view(text, VerdictStatus.SUPERSEDED, "status.superseded", facts=facts, language=language,
                     successor_number=successor.number if successor else "",
                     successor_url=certificate_url(successor) if successor else "", key_id=kid)
    return _view(text, VerdictStatus.VALID, facts=facts, language=language, key_id=kid)


@dataclass(frozen=True)
class _Parsed:
    text: str
    number: str = ""  # the number to look up ("" when the input is already judged)
    payload: cp.ParsedPayload | None = None
    early: VerificationView | None = None


def _is_number(token: str) -> bool:
    return unicodedata.normalize("NFKC", token[:1]).upper() in {"Y", "S"}


def _parse(text: str, key_set: verify.KeySet, language: str) -> _Parsed:
    text = text.strip()
    if not text:
        return _Parsed(text, early=_view(text, VerdictStatus.INVALID, "payload.empty", language=language))
    if len(text) > MAX_INPUT_CHARS:
        return _Parsed(text, early=_view(text, VerdictStatus.INVALID, "payload.too_long", language=language))
    token = text.rpartition(cp.VERIFY_PATH)[2] if "/" in text else text
    if _is_number(token):
        try:
            number = numbering.format_number(numbering.parse_number(token))
        except numbering.InvalidNumber:
            return _Parsed(text, early=_view(text, VerdictStatus.INVALID, "number.bad_format", language=language))
        return _Parsed(text, number=number)
    try:
        parsed = cp.parse_payload(text, key_set.prefix)
    except cp.PayloadError as exc:
        return _Parsed(text, early=_view(text, VerdictStatus.INVALID, exc.code, language=language))
    reason = verify.check_signature(parsed, key_set)
    if reason is not None:
        return _Parsed(text, early=_view(text, VerdictStatus.INVALID, reason, language=language,
                                         key_id=parsed.signed.kid))
    return _Parsed(text, number=parsed.facts.number, payload=parsed)


def _judge(item: _Parsed, rows: dict[str, Certificate], successors: dict[int, Certificate],
           language: str) -> VerificationView:
    if item.early is not None:
        return item.early
    row = rows.get(item.number)
    if row is None:
        return _view(item.text, VerdictStatus.INVALID, "number.unknown", language=language)
    if item.payload is None:
        shown = _shown(certificate_facts(row), name_masked=True, language=language)
        return _from_row(item.text, row, successors, shown, language=language, kid=row.key_id)
    if certificate_facts(row) != item.payload.facts or row.key_id != item.payload.signed.kid:
        return _view(item.text, VerdictStatus.INVALID, "number.mismatch", language=language)
    return _from_row(item.text, row, successors, _shown(item.payload.facts, name_masked=False, language=language),
                     language=language, kid=row.key_id)


# What a verdict reads of a row: the facts, the signature, the status. Fetching only these, unordered, is half the
# cost of a verification (the model's full row and its default ordering cost more to compile than to run).
_FIELDS = ("number", "holder_name", "id_number_masked", "occupation_code", "occupation_name", "level", "title",
           "issuer_name", "issued_on", "status_list_no", "status_index", "key_id", "signature", "status",
           "revoked_at", "revoked_reason", "superseded_by_id")


def _rows(numbers: Iterable[str]) -> tuple[dict[str, Certificate], dict[int, Certificate]]:
    """The rows of these numbers, and the successors of the superseded ones (a second query only when any is)."""
    wanted = sorted({n for n in numbers if n})
    if not wanted:
        return {}, {}
    rows = {row.number: row for row in Certificate.objects.filter(number__in=wanted).order_by().only(*_FIELDS)}
    successor_ids = {row.superseded_by_id for row in rows.values() if row.superseded_by_id}
    successors = ({row.pk: row for row in Certificate.objects.filter(pk__in=successor_ids).order_by().only(*_FIELDS)}
                  if successor_ids else {})
    return rows, successors


def verification_of(text: str) -> VerificationView:
    """The verdict on one payload or number, in the active language (module docstring)."""
    return verifications_of([text])[0]


def verifications_of(texts: Sequence[str]) -> list[VerificationView]:
    """One verdict per payload or number, in order, with one query for all of them."""
    language = get_language() or "zh-hans"
    key_set = keys.key_set()
    parsed = [_parse(text, key_set, language) for text in texts]
    rows, successors = _rows(item.number for item in parsed)
    return [_judge(item, rows, successors, language) for item in parsed]
