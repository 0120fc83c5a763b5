"""The signed revocation status lists (issue 13 item 6): list N as a W3C `BitstringStatusListCredential`, its bits
from the certificates' `status_list_no` / `status_index` / status (certification.domain.status_list), signed with
an `eddsa-jcs-2022` Data Integrity proof by the active certificate key (certification.data_integrity; why JCS:
there). Served at `/certification/status/<n>.json`, downloadable for `python -m certification.verify --status`.

Choices where the design is silent:
- A bit is set for every certificate that no longer stands: revoked, and superseded by a re-issue (the page
  tells the two apart). Nothing else about a certificate is in the list.
- The document is deterministic for one state of the list: `validFrom` (and the proof's `created`) is the time
  of the list's latest revocation or supersession, or of its first issue when none; Ed25519 signatures are
  deterministic too. So every process serves the same bytes for the same state, and the ETag (computed from the
  state without signing: the list, its set bits' count and latest change, the signing key) lets a client's
  If-None-Match answer 304 with no signature made. No `validUntil`: an offline verifier decides how old a list
  it accepts; it sees `validFrom`.
- The issuer is the credentials' issuer id (`<PUBLIC_BASE_URL>/certification/credentials/issuer`, the
  controller document certvc serves, listing every key); the verification method is `<issuer>#<kid>`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db.models import Max, Min, Q

from certification import data_integrity, keys
from certification.domain import status_list as sl
from certification.models import Certificate, CertificateEvent, CertificateStatus, CertificateStatusList
from core.errors import NotFound

STANDING = CertificateStatus.VALID


def issuer_id() -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + "/certification/credentials/issuer"


def status_list_url(list_no: int) -> str:
    """The absolute URL of list N (the credentials' `statusListCredential`)."""
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}/certification/status/{list_no}.json"


@dataclass(frozen=True)
class StatusListState:
    """What list N's document depends on: enough for the ETag without building it."""

    list_no: int
    size: int
    set_count: int
    changed_at: datetime
    kid: str

    @property
    def etag(self) -> str:
        key = f"{self.list_no}:{self.size}:{self.set_count}:{self.changed_at.isoformat()}:{self.kid}"
        return '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def status_list_state(list_no: int) -> StatusListState:
    """List N's state; NotFound for a list no certificate was ever put in. Two queries."""
    size = CertificateStatusList.objects.filter(list_no=list_no).values_list("size", flat=True).first()
    if size is None:
        raise NotFound("certificate.status_list_unknown", {"list_no": list_no})
    in_list = Q(certificate__status_list_no=list_no)
    events = CertificateEvent.objects.filter(in_list).aggregate(changed=Max("at", filter=~Q(kind="issued")),
                                                                 first=Min("at"))
    set_count = Certificate.objects.filter(status_list_no=list_no).exclude(status=STANDING).count()
    changed = events["changed"] or events["first"] or datetime(1970, 1, 1, tzinfo=UTC)
    return StatusListState(list_no=list_no, size=size, set_count=set_count, changed_at=changed,
                           kid=keys.active_key_id())


def status_list_credential(state: StatusListState) -> dict[str, Any]:
    """List N's signed BitstringStatusListCredential (module docstring)."""
    indexes = Certificate.objects.filter(status_list_no=state.list_no).exclude(status=STANDING).values_list(
        "status_index", flat=True)
    url = status_list_url(state.list_no)
    document: dict[str, Any] = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id(),
        "validFrom": _iso(state.changed_at),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": sl.encoded_list(indexes, state.size),
        },
    }

    signed_by: list[str] = []

    def sign(message: bytes) -> bytes:
        kid, signature = keys.sign_bytes(message)
        signed_by.append(kid)
        return signature

    signed = data_integrity.add_proof(document, verification_method=f"{issuer_id()}#{state.kid}",
                                      created=_iso(state.changed_at), sign=sign)
    if signed_by != [state.kid]:  # the key rotated between the state and the signature: name the signer
        signed = data_integrity.add_proof(document, verification_method=f"{issuer_id()}#{signed_by[-1]}",
                                          created=_iso(state.changed_at), sign=sign)
    return signed
