"""Setting a candidate's ID photo (证件照) on a registration (certification.photos says what is accepted and how it
is stored).

Who: whoever may register the candidate (`REGISTRATION_SUBMIT`: the candidate, the staff of the candidate's unit,
the evaluation body's staff, who take the photo at the on-site confirmation 现场确认 where that is the practice, and
the admin). When: at
any time until a valid certificate stands on the registration; from then on the photo is part of what was issued
(the certificate's PDF draws it), so changing it is refused: a new photo on a certificate is a re-issue (换证),
which keeps the old certificate's record. The photo is checked and normalised, then stored under a name of our own
outside the transaction; if the transaction refuses or fails, the stored file is deleted again, and the file it
replaced is deleted only after the commit, so a registration never points at a missing file. The audit entry
records the SHA-256 of the old and the new stored photo, not the pixels.
"""

from __future__ import annotations

import hashlib
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.actors import Actor
from audit.services import audit_record
from certification import access
from certification.certificate_pdf import PhotoInvalid
from certification.models import Batch, Certificate, CertificateStatus, Registration
from certification.photos import normalised_photo
from core.errors import Conflict, FieldError, ValidationFailed

FOLDER = "certification/photos"


def registration_photo_set(*, actor: Actor, registration_id: int, data: bytes | None) -> Registration:
    """Check, normalise and store the photo, then set it on the registration (module docstring); audited as
    `certification.registration.photo_set`. ValidationFailed on `photo` for a missing or refused file."""
    access.access_registration_for_photo(actor, registration_id)  # before the bytes are looked at
    if not data:
        raise ValidationFailed([FieldError("photo", "photo.missing", label=_("证件照"))])
    try:
        stored = normalised_photo(data)
    except PhotoInvalid as exc:
        raise ValidationFailed([FieldError("photo", exc.code, exc.params, exc.default, label=_("证件照"))]) from exc
    path = default_storage.save(f"{FOLDER}/{uuid.uuid4().hex}.jpg", ContentFile(stored))
    try:
        return _set(actor=actor, registration_id=registration_id, path=path,
                    digest=hashlib.sha256(stored).hexdigest())
    except BaseException:
        default_storage.delete(path)
        raise


@transaction.atomic(durable=True)
def _set(*, actor: Actor, registration_id: int, path: str, digest: str) -> Registration:
    batch_id = access.access_registration_for_photo(actor, registration_id).batch_id
    # The race it prevents: a certificate issued to the registration while its photo changes. Issuance locks the
    # batch row for its whole transaction, so the batch is locked here first (the same order), then the row.
    Batch.objects.select_for_update().filter(pk=batch_id).first()
    registration = access.access_registration_for_photo(actor, registration_id, lock=True)
    if Certificate.objects.filter(registration=registration, status=CertificateStatus.VALID).exists():
        raise Conflict("photo.certificate_issued", {"ticket": registration.ticket_no or registration.pk})
    old_path, old_digest = registration.photo.name, registration.photo_sha256
    registration.photo.name = path
    registration.photo_sha256 = digest
    registration.photo_uploaded_at = timezone.now()
    registration.save(update_fields=["photo", "photo_sha256", "photo_uploaded_at"])
    audit_record(actor=actor, action="certification.registration.photo_set", target=registration,
                 old={"photo_sha256": old_digest or None}, new={"photo_sha256": digest})
    if old_path:
        transaction.on_commit(lambda: default_storage.delete(old_path))
    return registration

