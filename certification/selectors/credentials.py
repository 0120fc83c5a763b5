"""A certificate's verifiable credential for download, the platform's controller document, and the check of an
uploaded credential with the certificate's current status (issue 13 items 8 and 9; certification/credentials.py
states the document and the proof).

Choices where the design is silent:
- A credential is made and signed when it is downloaded, not stored: its content comes from the certificate's
  facts, frozen in the row at issuance, so every download states the same facts; only the proof's `created` and,
  after a key rotation, the key differ. Nothing about a credential needs to be kept or migrated.
- It is signed with the active certificate key (certification.keys.sign_bytes), the same key store as the QR
  signature; its verification method is `<issuer id>#<kid>` in our controller document, which lists every key
  ever used (certification.keys.public_keys) as a Multikey.
- A key signs no credential whose proof is dated after the key's `valid_until` (the rule certification.keys
  applies to certificates): a proof created after it is refused as made with an expired key.
- The holder is identified by name only (no `credentialSubject.id`): the platform gives people no DID, and a
  stable URL of ours for a person would let every party a holder shows a credential to link them.
- The uploaded-credential check answers the verdict and, when the proof is good, the certificate's status as the
  verification page shows it (valid; revoked with date and reason; superseded with the successor's number); a
  good proof over a number that has no row cannot happen unless our key leaked, and is reported as
  `credential.not_issued`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from certification import credentials, keys
from certification.models import Certificate, CertificateStatus
from certification.selectors.certificates import certificate_facts
from core.errors import register_messages, render_message

PLATFORM_NAME = "技能山东"

register_messages({
    "credential.key_expired": _("凭证的证明日期晚于签名密钥“{kid}”的有效期。"),
    "credential.not_issued": _("签名有效，但本平台没有签发编号为 {number} 的证书。"),
})


def platform_issuer() -> credentials.IssuerInfo:
    """The credentials' issuer: the platform at settings.PUBLIC_BASE_URL."""
    base = settings.PUBLIC_BASE_URL.rstrip("/")
    return credentials.IssuerInfo(id=credentials.issuer_id_for(base), name=PLATFORM_NAME, url=base)


def status_list_url(list_no: int) -> str:
    """Status list N's absolute URL (certcrypto's signed list; its path is `/certification/status/<N>.json`)."""
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}/certification/status/{list_no}.json"


def issuer_controller_document() -> dict[str, object]:
    """What the issuer id serves: every key ever used as a Multikey for assertionMethod."""
    return credentials.controller_document(
        platform_issuer().id, [(k.kid, k.public_key_multibase) for k in keys.public_keys()])


def certificate_credential(certificate: Certificate) -> dict[str, object]:
    """The certificate's signed Open Badges 3.0 credential (module docstring)."""
    issuer = platform_issuer()
    facts = certificate_facts(certificate)
    assert facts.status_list_no is not None and facts.status_index is not None  # every row has a slot
    doc = credentials.credential_document(
        facts, issuer=issuer, subject_id=None,
        status=credentials.StatusEntry(status_list_url(facts.status_list_no), facts.status_index),
    )
    kid = keys.active_key_id()

    def sign(message: bytes) -> bytes:
        used, signature = keys.sign_bytes(message)
        if used != kid:  # a rotation between the two calls: the proof would name the wrong key
            raise RuntimeError("the certificate key rotated while a credential was being signed; try again")
        return signature

    return credentials.sign_credential(doc, sign=sign, verification_method=credentials.verification_method_for(
        issuer.id, kid))


@dataclass(frozen=True, slots=True)
class CredentialCheck:
    """The verdict on an uploaded credential and, for a good one, the certificate's current status."""

    valid: bool
    reason: str
    message: str
    certificate_number: str | None
    verification_method: str | None
    status: str | None = None  # CertificateStatus value, when the proof is good
    status_label: str | None = None
    revoked_at: datetime | None = None
    revoked_reason: str | None = None
    superseded_by: str | None = None  # the successor's number


def credential_check(raw: bytes | str) -> CredentialCheck:
    """Verify an uploaded credential (certification.credentials.verify_credential, which refuses one that is not
    ours before canonicalising it) and look up the certificate it names."""
    try:
        doc = credentials.parse_credential(raw)
    except credentials.CredentialRefused as refused:
        return _check(refused.verdict)
    issuer_id = platform_issuer().id
    infos = {credentials.verification_method_for(issuer_id, k.kid): k for k in keys.public_keys()}

    def public_key_for(method: str) -> bytes | None:
        info = infos.get(method)
        return None if info is None else credentials.multikey_decode(info.public_key_multibase)

    verdict = credentials.verify_credential(doc, public_key_for=public_key_for, issuer_id=issuer_id)
    if not verdict.valid:
        return _check(verdict)
    info = infos[str(verdict.verification_method)]
    created = _created(doc)
    if info.valid_until is not None and (created is None or created > info.valid_until):
        return _check(verdict, valid=False, reason="credential.key_expired", params={"kid": info.kid})
    row = (Certificate.objects.select_related("superseded_by")
           .filter(number=verdict.certificate_number or "").first())
    if row is None:
        return _check(verdict, valid=False, reason="credential.not_issued",
                      params={"number": verdict.certificate_number})
    return _check(
        verdict,
        status=row.status,
        status_label=str(CertificateStatus(row.status).label),
        revoked_at=row.revoked_at,
        revoked_reason=row.revoked_reason or None,
        superseded_by=row.superseded_by.number if row.superseded_by is not None else None,
    )


def _created(doc: dict[str, object]) -> datetime | None:
    proof = doc.get("proof")
    value = proof.get("created") if isinstance(proof, dict) else None
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def _check(verdict: credentials.Verdict, *, valid: bool | None = None, reason: str | None = None,
           params: dict[str, object] | None = None, **status: object) -> CredentialCheck:
    code = reason or verdict.reason
    return CredentialCheck(
        valid=verdict.valid if valid is None else valid,
        reason=code,
        message=verdict.message if reason is None else render_message(code, params or {}),
        certificate_number=verdict.certificate_number,
        verification_method=verdict.verification_method,
        **status,  # type: ignore[arg-type]
    )
