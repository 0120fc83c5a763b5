"""Issued certificates as an evaluation body reports them upward (issue 13 item 8), in the national lookup's
columns: 姓名, 证件类型, 证件号码, 证书编号, 职业（工种）及代码, 等级, 发证日期, 评价机构; plus 状态, so a revoked or
superseded certificate is never reported as standing. One row per certificate (re-issues included), from the shared
selector's views; per batch or per body.

The ID number is whole only for a reader who may see it (accounts.permissions `can_view_pii`, the accounts
masking rule: the holder's units' staff, the admin); otherwise the masked form the certificate carries. The core
writer writes every text literally (a name beginning with `=` stays text: no formula injection), and the ID and
number columns as text so no spreadsheet turns them into numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from accounts.models import User
from accounts.permissions import can_view_pii
from certification.selectors.certificates import CertificateView
from core.excel import Column, Sheet, write_workbook

CERTIFICATES = Sheet("证书", [
    Column("姓名", "name"),
    Column("证件类型", "id_type"),
    Column("证件号码", "id_number", text=True),
    Column("证书编号", "number", text=True),
    Column("职业（工种）及代码", "occupation"),
    Column("等级", "level"),
    Column("发证日期", "issued_on"),
    Column("评价机构", "issuer"),
    Column("状态", "status"),
])


def certificates_export(*, viewer: Any, certificates: Iterable[CertificateView]) -> bytes:
    """The workbook of `certificates` (the caller loaded them through an access-checked selector)."""
    rows = list(certificates)
    holders = {u.pk: u for u in User.objects.filter(pk__in={c.holder_id for c in rows})
               .prefetch_related("memberships")}
    return write_workbook([(CERTIFICATES, [{
        "name": c.holder_name, "id_type": c.id_type,
        "id_number": holders[c.holder_id].id_number if can_view_pii(viewer, holders[c.holder_id]) else c.id_number,
        "number": c.number, "occupation": f"{c.occupation_name}（{c.occupation_code}）", "level": c.level_label,
        "issued_on": c.issued_on.isoformat(), "issuer": c.issuer_name, "status": c.status_label,
    } for c in rows])])
