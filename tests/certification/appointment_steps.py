"""Shared steps of the appointment tests: evidence files, recording an appointment, the files stored
(tests/certification/conftest.py gives each test its own store)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.actors import Actor
from accounts.models import Organization, User
from certification import services
from certification.domain.appointments import Title
from certification.models import Appointment, Occupation

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def pdf(name: str = "聘任文件.pdf", data: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in (root / "certification" / "appointments").glob("*") if p.is_file()) \
        if (root / "certification" / "appointments").exists() else []


def appoint(actor: Actor, enterprise: Organization, person: User, occupation: Occupation,
            title: Title = Title.PRINCIPAL, start: date = date(2025, 1, 1), end: date = date(2027, 12, 31),
            document_no: str = "甲企人〔2025〕1号") -> Appointment:
    return services.appointment_record(
        actor=actor, enterprise_id=enterprise.pk, person_id=person.pk, occupation_id=occupation.pk, title=title,
        term=services.Term(start, end, document_no, "经企业技能人才评价委员会评审"), evidence=pdf())
