"""The exact bytes a certificate's signature covers, and the QR payload that carries them (DESIGN.md
"Certification" → "Certificates"; issue 13 items 4 and 5). Pure: no Django, no I/O, so the offline verifier
(`certification.verify`) imports it without setting anything up.

The signed message (`facts_message`), version 1:

    b"jnsd-cert/1" 0x1F number 0x1F holder_name 0x1F id_number_masked 0x1F occupation_code 0x1F
    occupation_name 0x1F level 0x1F title 0x1F issuer_name 0x1F issued_on 0x1F status_list_no 0x1F status_index

- UTF-8; the fields in exactly this order; `level` as one decimal digit (1–5); `issued_on` as ISO `YYYY-MM-DD`;
  an empty `title` (a level certificate) is an empty field, so the field count never changes; the status-list
  slot as two decimal numbers (no leading zeros), because the signature must cover it (facts without a slot are
  refused: a certificate that cannot be revoked offline is not issued).
- The separator is U+001F (UNIT SEPARATOR), a control character. No field may contain any control character
  (Unicode category Cc): `facts_message` refuses one rather than escaping it, so the encoding is unambiguous
  without an escape rule. Real names, occupations and issuers never contain one.
- Text is signed as given, not normalised: the name is NFC (or not) as the row stores it, and the verifier checks
  the same code points it is shown. Normalising here would let two different strings share a signature.
- The version tag is inside the signed bytes, so a signature over a version-1 message can never be re-read as
  another version's.

The QR payload (`verification_url`) is the verification URL `<base>/verify/<token>`, where the token is

    "1" "." kid "." base64url(fields) "." base64url(signature)

with `fields` the message above without its tag (number first), and base64url without padding (RFC 4648 §5).
The token's characters (A–Z a–z 0–9 - _ .) need no escaping in a path, so the QR holds it byte for byte.
Carrying the facts themselves (not only the number) is what lets an offline verifier check a certificate with
no database: it recomputes the message, checks the signature, and shows what the certificate says. For a
three-character name the whole URL is about 300 characters (printed by the test), a version-13 QR code at error
correction Q: 69 modules, about 0.4 mm each on a 30 mm square, well within a phone camera's reach on paper.

Parsing (`parse_token`, `parse_payload`) is strict, so any changed character fails: base64url must be in the
alphabet and canonical (the spare bits of the last character zero; otherwise two tokens would decode alike and a
flipped character could go unnoticed), the signature exactly 64 bytes, the fields valid UTF-8 and exactly eleven,
the number 22 characters of the national format, the level a digit 1–5, the date a real date. A full URL must
begin with the issuer's published prefix exactly (`verify_prefix`), so a changed host is a failure too. Every
failure is a `PayloadError` with a stable code and the part it concerns.

Where the design is silent: the key id is inside the token but not inside the signed message (an Ed25519
signature only verifies under the key that made it, so naming another key cannot help a forger); a bare
certificate number (no dots) is not a payload but a lookup, which the online page accepts and the offline
verifier refuses (it has no database to look it up in).
"""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from certification.domain.certificate_facts import CertificateFacts
from certification.domain.ladder import SkillLevel

MESSAGE_TAG = b"jnsd-cert/1"
SEPARATOR = "\x1f"
PAYLOAD_VERSION = "1"
FIELD_COUNT = 11
MAX_STATUS_INDEX = 1 << 24  # far above a list's 131,072 entries; a bound, so a forged field stays small
SIGNATURE_BYTES = 64
SIGNATURE_CHARS = 86  # base64url of 64 bytes, unpadded
VERIFY_PATH = "/verify/"

_KEY_ID = re.compile(r"[a-z0-9]{1,16}")
_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")
# The national format (DESIGN.md "Certificate number"): Y or S, then 21 digits whose level digit is 1–5. The full
# parse with its reasons lives in certification.domain.numbering; this is the shape an offline payload must have.
_NUMBER = re.compile(r"[YS][0-9]{14}[1-5][0-9]{6}")


class PayloadError(ValueError):
    """A payload (or facts to encode) is malformed: `code` is stable (`payload.truncated` …), `part` names the
    piece concerned, `detail` says what was found. Plain ValueError, not core.errors, so this module needs no
    Django; callers with Django turn the code into a translated message."""

    def __init__(self, code: str, part: str = "", detail: str = "") -> None:
        self.code = code
        self.part = part
        self.detail = detail
        super().__init__(code, part, detail)

    def __str__(self) -> str:
        return f"{self.code} ({self.part}: {self.detail})" if self.part else self.code


@dataclass(frozen=True, slots=True)
class FactsSignature:
    """A signature over `facts_message(facts)`: the key's id and the raw 64 bytes as base64url (no padding)."""

    kid: str
    signature: str


@dataclass(frozen=True, slots=True)
class ParsedPayload:
    """A well-formed token: what it claims, before any signature check."""

    facts: CertificateFacts
    signed: FactsSignature
    signature_bytes: bytes
    message: bytes


def b64url_encode(data: bytes) -> str:
    """base64url without padding (RFC 4648 §5)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str, part: str) -> bytes:
    """Strict base64url without padding: only the alphabet, a possible length, canonical spare bits."""
    if not _BASE64URL.fullmatch(text):
        raise PayloadError("payload.bad_base64", part, "not base64url")
    if len(text) % 4 == 1:
        raise PayloadError("payload.bad_base64", part, "impossible length")
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise PayloadError("payload.bad_base64", part, str(exc)) from exc
    if b64url_encode(data) != text:
        raise PayloadError("payload.bad_base64", part, "not canonical")
    return data


def _fields(facts: CertificateFacts) -> list[str]:
    fields = [
        facts.number, facts.holder_name, facts.id_number_masked, facts.occupation_code, facts.occupation_name,
        str(int(facts.level)), facts.title, facts.issuer_name, facts.issued_on.isoformat(),
    ]
    if facts.status_list_no is None or facts.status_index is None:
        raise PayloadError("payload.no_status_slot", "facts", facts.number)
    fields += [str(facts.status_list_no), str(facts.status_index)]
    for value in fields:
        if any(unicodedata.category(ch) == "Cc" for ch in value):
            raise PayloadError("payload.control_character", "facts", repr(value))
    return fields


def facts_body(facts: CertificateFacts) -> bytes:
    """The facts as the token carries them: the fields joined by U+001F, UTF-8 (module docstring)."""
    return SEPARATOR.join(_fields(facts)).encode("utf-8")


def facts_message(facts: CertificateFacts) -> bytes:
    """The exact bytes a certificate's signature covers (module docstring, version 1)."""
    return MESSAGE_TAG + SEPARATOR.encode("ascii") + facts_body(facts)


def check_key_id(kid: str) -> str:
    """A key id: 1–16 characters of a–z and 0–9 (short, so the QR stays small)."""
    if not _KEY_ID.fullmatch(kid):
        raise PayloadError("payload.bad_key_id", "kid", kid[:20])
    return kid


def token(facts: CertificateFacts, signed: FactsSignature) -> str:
    """The path part of the verification URL (module docstring)."""
    check_key_id(signed.kid)
    return ".".join((PAYLOAD_VERSION, signed.kid, b64url_encode(facts_body(facts)), signed.signature))


def verify_prefix(base_url: str) -> str:
    """What every verification URL of an issuer begins with: its public base URL, then /verify/."""
    return base_url.rstrip("/") + VERIFY_PATH


def verification_url(base_url: str, facts: CertificateFacts, signed: FactsSignature) -> str:
    """The QR payload: `<base>/verify/<token>`."""
    return verify_prefix(base_url) + token(facts, signed)


def _facts_from_body(body: bytes) -> CertificateFacts:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PayloadError("payload.bad_utf8", "facts", str(exc)) from exc
    fields = text.split(SEPARATOR)
    if len(fields) != FIELD_COUNT:
        raise PayloadError("payload.field_count", "facts", f"{len(fields)} of {FIELD_COUNT}")
    number, name, id_masked, occ_code, occ_name, level, title, issuer, issued, list_no, index = fields
    if not _NUMBER.fullmatch(number):
        raise PayloadError("payload.bad_number", "number", number[:30])
    if level not in {"1", "2", "3", "4", "5"}:
        raise PayloadError("payload.bad_level", "level", level[:5])
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", issued):
        raise PayloadError("payload.bad_date", "issued_on", issued[:12])
    try:
        issued_on = date.fromisoformat(issued)
    except ValueError as exc:
        raise PayloadError("payload.bad_date", "issued_on", issued) from exc
    for part, value in (("status_list_no", list_no), ("status_index", index)):
        if not re.fullmatch(r"0|[1-9][0-9]{0,7}", value) or int(value) >= MAX_STATUS_INDEX:
            raise PayloadError("payload.bad_status_slot", part, value[:10])
    facts = CertificateFacts(
        number=number, holder_name=name, id_number_masked=id_masked, occupation_code=occ_code,
        occupation_name=occ_name, level=SkillLevel(int(level)), title=title, issuer_name=issuer,
        issued_on=issued_on, status_list_no=int(list_no), status_index=int(index),
    )
    if facts_body(facts) != body:  # e.g. a control character inside a field: not what we ever sign
        raise PayloadError("payload.not_canonical", "facts")
    return facts


def parse_token(text: str) -> ParsedPayload:
    """A token's parts, each checked (module docstring); `PayloadError` naming the first bad part."""
    if not text:
        raise PayloadError("payload.empty")
    parts = text.split(".")
    if parts[0] != PAYLOAD_VERSION:
        if len(parts) == 1 and _NUMBER.fullmatch(text):
            raise PayloadError("payload.number_only", "number", text)
        raise PayloadError("payload.unknown_version", "version", parts[0][:10])
    if len(parts) < 4:
        raise PayloadError("payload.truncated", "token", f"{len(parts)} of 4 parts")
    if len(parts) > 4:
        raise PayloadError("payload.too_many_parts", "token", f"{len(parts)} parts")
    _, kid, body_b64, sig_b64 = parts
    check_key_id(kid)
    body = b64url_decode(body_b64, "facts")
    if len(sig_b64) < SIGNATURE_CHARS:  # a scan or a paste that lost its end
        raise PayloadError("payload.truncated", "signature", f"{len(sig_b64)} of {SIGNATURE_CHARS} characters")
    signature = b64url_decode(sig_b64, "signature")
    if len(signature) != SIGNATURE_BYTES:
        raise PayloadError("payload.truncated", "signature", f"{len(signature)} of {SIGNATURE_BYTES} bytes")
    facts = _facts_from_body(body)
    return ParsedPayload(
        facts=facts, signed=FactsSignature(kid=kid, signature=sig_b64), signature_bytes=signature,
        message=MESSAGE_TAG + SEPARATOR.encode("ascii") + body,
    )


def parse_payload(text: str, prefix: str | None) -> ParsedPayload:
    """A QR payload: a full URL (which must begin with `prefix` exactly, when one is given) or a bare token.

    Surrounding whitespace is dropped (a scanner or a paste adds a newline); nothing else is forgiven.
    """
    text = text.strip()
    if "/" in text:
        if prefix is not None and not text.startswith(prefix):
            raise PayloadError("payload.not_ours", "url", text[:60])
        index = text.find(VERIFY_PATH)
        if index < 0:
            raise PayloadError("payload.not_ours", "url", text[:60])
        text = text[index + len(VERIFY_PATH):]
    return parse_token(text)
