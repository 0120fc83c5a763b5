"""The words of a verification (certification/domain/verdicts.py), the same online and offline."""

from __future__ import annotations

import pytest

from certification.domain.verdicts import REASONS, VerdictStatus, level_text, message


@pytest.mark.parametrize(("status", "reason", "zh", "en"), [
    (VerdictStatus.VALID, "", "证书有效", "Certificate valid"),
    (VerdictStatus.REVOKED, "status.revoked", "证书已撤销", "Certificate revoked"),
    (VerdictStatus.INVALID, "payload.bad_signature", "证书无效：此二维码已被篡改：签名与证书内容不符。",
     "Not a valid certificate: This QR code has been altered: the signature does not match the certificate."),
    (VerdictStatus.INVALID, "payload.not_digits", "证书无效：此二维码已被篡改或损坏，不是本平台签发的内容。",
     "Not a valid certificate: This QR code has been altered or damaged: it is not what the platform issued."),
])
def test_a_verdict_reads_plainly_in_both_languages(status: VerdictStatus, reason: str, zh: str, en: str) -> None:
    assert message(status, reason, "zh-hans") == zh
    assert message(status, reason, "en") == en


def test_every_reason_has_both_languages() -> None:
    assert all(zh and en and zh != en for zh, en in REASONS.values())


@pytest.mark.parametrize(("level", "title", "zh", "en"), [
    (4, "", "四级/中级工", "Level 4 / intermediate worker"),
    (5, "", "五级/初级工", "Level 5 / junior worker"),
    (1, "", "一级/高级技师", "Level 1 / senior technician"),
    (1, "首席技师", "首席技师", "Chief technician (首席技师)"),
    (1, "某新称号", "某新称号", "某新称号"),  # a title we have no English for is shown as printed
])
def test_a_level_reads_in_the_readers_language(level: int, title: str, zh: str, en: str) -> None:
    assert level_text(level, title, "zh-hans") == zh
    assert level_text(level, title, "en") == en
