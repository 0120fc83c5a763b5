"""What a verification says (issue 13 item 5): one status and, when it is not valid, one plain reason, in Chinese
and English. Pure, so the online page, the APIs and the offline verifier (`certification.verify`, which has no
Django and so no gettext) say exactly the same words.

Where the design is silent: the reasons are kept here as (Chinese, English) pairs rather than in the gettext
catalogue, because the offline verifier must print them without Django; the page picks the pair's half by the
reader's language. Every malformed part of a payload that cannot come from a damaged scan is reported as
tampering ("此二维码已被篡改"): to a reader the difference between a bad digit and a bad field count is noise;
the code (`reason`) keeps the detail for logs and the API.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from certification.domain.certificate_facts import CertificateFacts


class VerdictStatus(StrEnum):
    VALID = "valid"  # 有效
    REVOKED = "revoked"  # 已撤销
    SUPERSEDED = "superseded"  # 已换发 (补证/换证): the successor stands instead
    INVALID = "invalid"  # 无效: forged, damaged, unknown key, never issued …


STATUS_TEXT: dict[VerdictStatus, tuple[str, str]] = {
    VerdictStatus.VALID: ("证书有效", "Certificate valid"),
    VerdictStatus.REVOKED: ("证书已撤销", "Certificate revoked"),
    VerdictStatus.SUPERSEDED: ("证书已换发，以新证书为准", "Certificate superseded by a re-issue"),
    VerdictStatus.INVALID: ("证书无效", "Not a valid certificate"),
}

_TAMPERED = ("此二维码已被篡改或损坏，不是本平台签发的内容。",
             "This QR code has been altered or damaged: it is not what the platform issued.")

REASONS: dict[str, tuple[str, str]] = {
    "payload.empty": ("没有要核验的内容：请扫描证书二维码或输入证书编号。",
                      "Nothing to verify: scan the certificate's QR code or type its number."),
    "payload.number_only": ("这是证书编号，不是二维码内容：离线核验须扫描二维码，按编号查询须联网。",
                            "This is a certificate number, not a QR payload: offline checks need the QR code; "
                            "look numbers up online."),
    "payload.unknown_version": ("此二维码不是本平台的证书二维码（格式版本未知）。",
                                "This QR code is not one of the platform's certificates (unknown version)."),
    "payload.truncated": ("此二维码内容不完整（被截断），请重新扫描。",
                          "This QR code's content is incomplete (truncated): scan it again."),
    "payload.not_ours": ("此链接不是本平台的证书核验地址。", "This link is not the platform's verification address."),
    "payload.unknown_key": ("签名密钥未知：此证书不是本平台签发的。",
                            "Unknown signing key: this certificate was not issued by the platform."),
    "payload.key_expired": ("签名无效：签名密钥在证书的发证日期之前已停用。",
                            "Invalid signature: the signing key was retired before the certificate's issue date."),
    "payload.bad_signature": ("此二维码已被篡改：签名与证书内容不符。",
                              "This QR code has been altered: the signature does not match the certificate."),
    "number.bad_format": ("证书编号格式不正确：应为 22 位（Y 或 S 开头，后接 21 位数字）。",
                          "Not a certificate number: 22 characters, Y or S and then 21 digits."),
    "number.unknown": ("没有这个编号的证书：该编号从未签发。", "No certificate has this number: it was never issued."),
    "number.mismatch": ("二维码中的证书内容与平台记录不符。",
                        "The certificate in this QR code differs from the platform's record."),
    "status.revoked": ("证书已撤销。", "The certificate has been revoked."),
    "status.superseded": ("证书已换发：原证书不再有效，请以新证书为准。",
                          "The certificate was re-issued: this one no longer stands, its successor does."),
    "status.list_missing": ("未提供该证书所在的状态列表，无法确认是否已撤销。",
                            "The status list of this certificate was not given: revocation cannot be checked."),
    "status.list_invalid": ("状态列表无效（签名不符或格式错误），无法确认是否已撤销。",
                            "The status list is not valid (bad signature or format): revocation cannot be checked."),
}


# The level as a verification states it, in both languages (the certificate's face prints the Chinese): the five
# certified levels by their digit, the two appointed titles (评聘) by name; the same words as the gettext catalogue's
# ladder labels, kept here too because the offline verifier has no gettext.
LEVEL_TEXT: dict[int, tuple[str, str]] = {
    1: ("一级/高级技师", "Level 1 / senior technician"),
    2: ("二级/技师", "Level 2 / technician"),
    3: ("三级/高级工", "Level 3 / senior worker"),
    4: ("四级/中级工", "Level 4 / intermediate worker"),
    5: ("五级/初级工", "Level 5 / junior worker"),
}
TITLE_TEXT: dict[str, tuple[str, str]] = {
    "特级技师": ("特级技师", "Principal technician (特级技师)"),
    "首席技师": ("首席技师", "Chief technician (首席技师)"),
}


def level_text(level: int, title: str, language: str) -> str:
    """The level a certificate states, in the reader's language: the title on an appointment letter, else the
    certified level (四级/中级工 → "Level 4 / intermediate worker"). A title we have no English for is shown as
    printed, rather than guessed."""
    english = language.lower().startswith("en")
    if title:
        pair = TITLE_TEXT.get(title)
        return title if pair is None else pair[1 if english else 0]
    pair = LEVEL_TEXT.get(int(level))
    return str(level) if pair is None else pair[1 if english else 0]


SELF_EXPLAINED = {"status.revoked", "status.superseded"}  # the status says it: the message adds no reason


def message(status: VerdictStatus, reason: str, language: str) -> str:
    """The one line a reader sees: the status, then the reason when it adds something."""
    head = status_text(status, language)
    if not reason or reason in SELF_EXPLAINED:
        return head
    return head + (": " if language.lower().startswith("en") else "：") + reason_text(reason, language)


def reason_text(reason: str, language: str) -> str:
    """The reason in the reader's language (`en…` English, anything else Chinese); malformed parts read as
    tampering (module docstring)."""
    pair = REASONS.get(reason, _TAMPERED)
    return pair[1] if language.lower().startswith("en") else pair[0]


def status_text(status: VerdictStatus, language: str) -> str:
    pair = STATUS_TEXT[status]
    return pair[1] if language.lower().startswith("en") else pair[0]


@dataclass(frozen=True)
class Verdict:
    """The outcome of one verification. `facts` is what the QR code (or the record) states, None when nothing
    could be read; `reason` is a stable code, "" when valid."""

    status: VerdictStatus
    reason: str = ""
    facts: CertificateFacts | None = None
    kid: str = ""
    revoked_on: date | None = None

    @property
    def valid(self) -> bool:
        return self.status is VerdictStatus.VALID

    @property
    def message_zh(self) -> str:
        return self._message("zh")

    @property
    def message_en(self) -> str:
        return self._message("en")

    def _message(self, language: str) -> str:
        return message(self.status, self.reason, language)
