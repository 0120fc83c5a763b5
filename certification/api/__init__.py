"""Certification API, mounted at /api/v1/certification/: one Router per subject (catalogue, levels, eligibility, bank,
appointments, batches, practical, results, exam, certificates), thin endpoints over the services and selectors;
schemas.py holds the input shapes."""

from __future__ import annotations

from ninja import Router

from certification.api import (
    appointments,
    bank,
    batches,
    catalogue,
    certificate_pdfs,
    certificates,
    credentials,
    eligibility,
    exam,
    levels,
    practical,
    results,
)
from certification.api import verification as verification_api

router = Router()
for subject in (catalogue, levels, eligibility, bank, appointments, batches, practical, results, exam,
                certificates, credentials):
    router.add_router("", subject.router)
router.add_router("", verification_api.router)
router.add_router("", certificate_pdfs.router)

__all__ = ["router"]
