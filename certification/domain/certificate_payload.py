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

The QR payload (`verification_url`) is the verification URL `<base>/verify/<token>`. The token is all decimal
digits, because a QR code holds digits at 3⅓ bits each (numeric mode) against 8 bits a character in byte mode:
the same bytes as base64url would need two or three QR versions more. `qrcode` switches from byte mode (the
URL's prefix) to numeric mode (the token) by itself. The token is

    "1" (version) · the length of the rest, 3 digits · the rest: the decimal value of
    0x01 · kid (5 bytes: the 8 base32 characters) · header (1 byte: level × 16 + 1 for a `Y` number) ·
    the number's 21 digits (9 bytes) · issued_on (2 bytes: days since 2000-01-01) · status_list_no (2 bytes) ·
    status_index (3 bytes) · holder_name 0x1F id_number_masked 0x1F occupation_code 0x1F occupation_name 0x1F
    title 0x1F issuer_name (UTF-8) · the Ed25519 signature (64 bytes)

(integers big-endian; the leading 0x01 byte keeps the decimal value free of leading zeros, so every blob has one
decimal form). Carrying the facts themselves, not only the number, is what lets an offline verifier check a
certificate with no database: it rebuilds the facts, recomputes the signed message and checks the signature.
For a three-character name and a 11-character issuer the whole URL is about 450 characters, a version-13 QR
code at error correction Q (69 modules: 0.43 mm each on a 30 mm square, easy for a phone on paper); the test
prints the figures.

Parsing (`parse_token`, `parse_payload`) is strict, so any changed character fails, each with its reason: only
digits; the declared length exactly met (fewer digits: `payload.truncated`; more: `payload.too_long`); the
decimal form canonical; the parts in range (level 1–5, a real number of the national format, the text valid
UTF-8 and exactly six fields without control characters); and re-encoding the facts gives back the very same
digits. A full URL must begin with the issuer's published prefix exactly (`verify_prefix`), so a changed host
is a failure too. Every failure is a `PayloadError` with a stable code and the part it concerns.

Where the design is silent: the key id is inside the token but not inside the signed message (an Ed25519
signature only verifies under the key that made it, so naming another key cannot help a forger); key ids are
exactly 8 base32 characters (40 bits), so they pack into 5 bytes; a bare certificate number (it starts with
Y or S) is not a payload but a lookup, which the online page accepts and the offline verifier refuses (it has
no database to look it up in). The base64url helpers stay: a certificate row stores its signature as base64url.
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
MAX_STATUS_INDEX = 1 << 24  # far above a list's 131,072 entries; a bound, so a forged field stays small
SIGNATURE_BYTES = 64
VERIFY_PATH = "/verify/"

_KEY_ID = re.compile(r"[a-z2-7]{8}")
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
    """A key id: exactly 8 characters of base32 (a–z, 2–7), 40 random bits that pack into 5 bytes."""
    if not _KEY_ID.fullmatch(kid):
        raise PayloadError("payload.bad_key_id", "kid", kid[:20])
    return kid


_TEXT_FIELDS = 6
_EPOCH_DAY = date(2000, 1, 1).toordinal()
_FIXED = 1 + 5 + 1 + 9 + 2 + 2 + 3  # guard, kid, header, number, date, list, index
_MIN_BLOB = _FIXED + (_TEXT_FIELDS - 1) + SIGNATURE_BYTES


def _blob(facts: CertificateFacts, kid: str, signature: bytes) -> bytes:
    _fields(facts)  # the same refusals as the signed message (control characters, no slot)
    assert facts.status_list_no is not None and facts.status_index is not None  # checked by _fields
    if not _NUMBER.fullmatch(facts.number):
        raise PayloadError("payload.bad_number", "number", facts.number[:30])
    if not 0 <= facts.status_list_no < 1 << 16 or not 0 <= facts.status_index < MAX_STATUS_INDEX:
        raise PayloadError("payload.bad_status_slot", "facts", f"{facts.status_list_no}/{facts.status_index}")
    days = facts.issued_on.toordinal() - _EPOCH_DAY
    if not 0 <= days < 1 << 16:
        raise PayloadError("payload.bad_date", "issued_on", facts.issued_on.isoformat())
    header = int(facts.level) * 16 + (1 if facts.number[0] == "Y" else 0)
    texts = SEPARATOR.join((facts.holder_name, facts.id_number_masked, facts.occupation_code,
                            facts.occupation_name, facts.title, facts.issuer_name)).encode("utf-8")
    return (b"\x01" + base64.b32decode(check_key_id(kid).upper()) + bytes([header])
            + int(facts.number[1:]).to_bytes(9, "big") + days.to_bytes(2, "big")
            + facts.status_list_no.to_bytes(2, "big") + facts.status_index.to_bytes(3, "big")
            + texts + signature)


def token(facts: CertificateFacts, signed: FactsSignature) -> str:
    """The path part of the verification URL (module docstring)."""
    signature = b64url_decode(signed.signature, "signature")
    if len(signature) != SIGNATURE_BYTES:
        raise PayloadError("payload.truncated", "signature", f"{len(signature)} of {SIGNATURE_BYTES} bytes")
    rest = str(int.from_bytes(_blob(facts, signed.kid, signature), "big"))
    return PAYLOAD_VERSION + f"{len(rest):03d}" + rest


def verify_prefix(base_url: str) -> str:
    """What every verification URL of an issuer begins with: its public base URL, then /verify/."""
    return base_url.rstrip("/") + VERIFY_PATH


def verification_url(base_url: str, facts: CertificateFacts, signed: FactsSignature) -> str:
    """The QR payload: `<base>/verify/<token>`."""
    return verify_prefix(base_url) + token(facts, signed)


def _facts_from_blob(blob: bytes) -> tuple[CertificateFacts, str, bytes]:
    if len(blob) < _MIN_BLOB or blob[0] != 1:
        raise PayloadError("payload.not_canonical", "token", f"{len(blob)} bytes")
    kid = base64.b32encode(blob[1:6]).decode("ascii").lower()
    header = blob[6]
    level, prefix_bit = divmod(header, 16)
    if prefix_bit > 1 or level not in {1, 2, 3, 4, 5}:
        raise PayloadError("payload.bad_level", "header", str(header))
    number = ("Y" if prefix_bit else "S") + f"{int.from_bytes(blob[7:16], 'big'):021d}"
    if not _NUMBER.fullmatch(number):
        raise PayloadError("payload.bad_number", "number", number[:30])
    issued_on = date.fromordinal(_EPOCH_DAY + int.from_bytes(blob[16:18], "big"))
    list_no = int.from_bytes(blob[18:20], "big")
    index = int.from_bytes(blob[20:23], "big")
    signature = blob[-SIGNATURE_BYTES:]
    try:
        texts = blob[_FIXED:-SIGNATURE_BYTES].decode("utf-8").split(SEPARATOR)
    except UnicodeDecodeError as exc:
        raise PayloadError("payload.bad_utf8", "facts", str(exc)) from exc
    if len(texts) != _TEXT_FIELDS:
        raise PayloadError("payload.field_count", "facts", f"{len(texts)} of {_TEXT_FIELDS}")
    name, id_masked, occ_code, occ_name, title, issuer = texts
    facts = CertificateFacts(
        number=number, holder_name=name, id_number_masked=id_masked, occupation_code=occ_code,
        occupation_name=occ_name, level=SkillLevel(level), title=title, issuer_name=issuer,
        issued_on=issued_on, status_list_no=list_no, status_index=index,
    )
    return facts, kid, signature


def parse_token(text: str) -> ParsedPayload:
    """A token's parts, each checked (module docstring); `PayloadError` naming the first bad part."""
    if not text:
        raise PayloadError("payload.empty")
    if text[0] in "YS":
        raise PayloadError("payload.number_only", "number", text[:30])
    if not text.isascii() or not text.isdigit():
        bad = next((ch for ch in text if not ("0" <= ch <= "9")), "")
        raise PayloadError("payload.not_digits", "token", bad)
    if text[0] != PAYLOAD_VERSION:
        raise PayloadError("payload.unknown_version", "version", text[0])
    if len(text) < 4:
        raise PayloadError("payload.truncated", "token", f"{len(text)} digits")
    declared, rest = int(text[1:4]), text[4:]
    if len(rest) < declared:
        raise PayloadError("payload.truncated", "token", f"{len(rest)} of {declared} digits")
    if len(rest) > declared:
        raise PayloadError("payload.too_long", "token", f"{len(rest)} of {declared} digits")
    if rest.startswith("0"):
        raise PayloadError("payload.not_canonical", "token", "leading zero")
    value = int(rest)
    blob = value.to_bytes((value.bit_length() + 7) // 8, "big")
    facts, kid, signature = _facts_from_blob(blob)
    signed = FactsSignature(kid=kid, signature=b64url_encode(signature))
    try:
        again = token(facts, signed)
    except PayloadError as exc:
        raise PayloadError(exc.code, exc.part, exc.detail) from exc
    if again != text:  # e.g. a control character inside a text field: not what we ever sign
        raise PayloadError("payload.not_canonical", "token")
    return ParsedPayload(facts=facts, signed=signed, signature_bytes=signature, message=facts_message(facts))


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
