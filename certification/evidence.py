"""Serving an appointment's evidence file (the page and the API alike), after the caller's access check: never from
a public media URL. The kind was read from the file's bytes when it was stored (certification.domain
.appointments), so the content type sent is the checked one, and `nosniff` (the project's setting) keeps the
browser from guessing another; it is shown inline, under the name it was uploaded with."""

from __future__ import annotations

from django.http import FileResponse
from django.utils.http import content_disposition_header

from certification.models import Appointment


def evidence_response(appointment: Appointment) -> FileResponse:
    response = FileResponse(appointment.evidence.open("rb"), content_type=appointment.evidence_type)
    response["Content-Disposition"] = content_disposition_header(False, appointment.evidence_name) or "inline"
    response["Cache-Control"] = "private, no-store"
    return response
