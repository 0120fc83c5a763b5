"""The key facts of a certificate (DESIGN.md "Certification" → "Certificates"): what its face states and what its
signature, its PDF, its verification page and its verifiable credential all carry. One frozen value, built once
from the certificate's row by the certificates selector, so the PDF, the QR signature and the credential can never
disagree about what a certificate says (issue 13).

Personal data: the ID number appears only masked (the first 4 and the last 4 characters, as
`accounts.identity.mask_id_number` masks it and as the national lookup shows it), so neither the signed payload in
the QR code nor an offline verifier ever carries a full ID number. The holder's name is carried in full: it is
printed on the certificate the QR code sits on, and a checker compares the two.

The status-list slot (`status_list_no`, `status_index`) is part of the facts because the signature must cover it
(issue 13 item 6: an offline verifier applies the downloaded status list at the slot the QR code names).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from certification.domain.ladder import SkillLevel


@dataclass(frozen=True, slots=True)
class CertificateFacts:
    """What a certificate states (module docstring)."""

    number: str  # 证书编号: 22 characters (certification.domain.numbering)
    holder_name: str  # 姓名, every character kept (rare ones outside the basic plane included)
    id_number_masked: str  # 证件号码, masked
    occupation_code: str  # 职业编码, X-XX-XX-XX
    occupation_name: str  # 职业（工种）名称
    level: SkillLevel  # 等级, 1–5 (二级/技师 is 2)
    title: str  # "" for a level certificate; 特级技师 / 首席技师 on an appointment letter (评聘)
    issuer_name: str  # 评价机构 (or the appointing enterprise on a letter)
    issued_on: date  # 发证日期, in Asia/Shanghai
    # The certificate's slot in the signed revocation status list (certification/domain/status_list.py): signed
    # with the facts, so an offline verifier reads the slot from the QR code and no one can point it at another
    # certificate's bit. None only for facts that are never signed (a preview); signing refuses them.
    status_list_no: int | None = None
    status_index: int | None = None

    @property
    def level_label(self) -> str:
        """The level as the face prints it: the title on an appointment letter, else 四级/中级工 and so on."""
        return self.title or self.level.label_zh
