"""Steps for certificate tests: a 焊工 四级 batch of the exam center with published results (the first two
candidates pass, the third fails the practical), the body's filing codes, an organizer with filing codes."""

from __future__ import annotations

from accounts.models import Organization, User
from certification.services import certificates as services
from certification.services import results as result_services
from tests.certification.practical_steps import Sitting, score_all, seated_sitting, theory


def file_codes(admin: User, body: Organization, site: str = "000123", agency: str = "0000") -> None:
    services.body_filing_set(actor=admin, organization_id=body.pk, agency_code=agency, province_code="37",
                             site_serial=site)


def published_batch(staff: User, body: Organization, unit: Organization, settings, n: int = 3,  # type: ignore[no-untyped-def]
                    publish: bool = True) -> Sitting:
    """n seated candidates: all pass (theory 75, practical 75) except the last, who fails the practical (54)."""
    settings.CERTIFICATION_REVIEW_WORKING_DAYS = 0
    sitting = seated_sitting(staff, body, unit, n=n)
    for registration in sitting.registrations[:-1]:
        theory(staff, registration, "75")
        score_all(sitting, registration)
    theory(staff, sitting.registrations[-1], "88.5")
    score_all(sitting, sitting.registrations[-1], ("20", "20", "20"), ("34", "34", "34"))
    if publish:
        result_services.results_review_start(actor=staff, batch_id=sitting.batch.pk)
        result_services.results_publish(actor=staff, batch_id=sitting.batch.pk)
    return sitting
