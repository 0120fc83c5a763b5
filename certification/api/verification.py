"""Verifying certificates by API (issue 13 item 5): one at a time for anyone, and in bulk for employers and the
talent pool (certification.permissions.VerifyAction), both rate-limited (certification.throttle); the verdicts
are the page's (certification.selectors.verification).

Bulk: up to `BULK_LIMIT` (1,000) numbers or payloads a request, one verdict each in the order given; more is
refused before anything is checked, naming the limit (`certificate.verify_bulk_too_many`, 422).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Router, Schema
from pydantic import StringConstraints

from accounts.auth import OPTIONAL_AUTH, signed_in_user
from certification import access, throttle
from certification.selectors.verification import (
    MAX_INPUT_CHARS,
    VerificationView,
    verification_of,
    verifications_of,
)
from core.errors import RuleBroken
from core.schemas import errors

router = Router()

BULK_LIMIT = 1000
Item = Annotated[str, StringConstraints(max_length=MAX_INPUT_CHARS)]


class BulkVerifyIn(Schema):
    items: list[Item] = Field(description="证书编号或二维码内容，每次最多 1000 项 Numbers or QR payloads, up to 1,000")


@dataclass(frozen=True)
class BulkVerification:
    count: int
    results: list[VerificationView]


@router.get("/verify", auth=OPTIONAL_AUTH, response={200: VerificationView, **errors(429)},
            summary="核验证书（二维码内容或证书编号） Verify a certificate")
def verify(request: HttpRequest, payload: str = "", number: str = "") -> VerificationView:
    throttle.throttle_single(request)
    return verification_of((payload or number)[:MAX_INPUT_CHARS + 1])


@router.post("/verify/bulk", response={200: BulkVerification, **errors(429)},
             summary="批量核验证书（每次最多 1000 项） Verify certificates in bulk")
def verify_bulk(request: HttpRequest, body: BulkVerifyIn) -> BulkVerification:
    access.require_bulk_verification(signed_in_user(request))
    if len(body.items) > BULK_LIMIT:
        raise RuleBroken("certificate.verify_bulk_too_many", {"limit": BULK_LIMIT, "count": len(body.items)},
                         default="At most {limit} certificates a request ({count} given).")
    throttle.throttle_bulk(request)
    results = verifications_of(body.items)
    return BulkVerification(count=len(results), results=results)
