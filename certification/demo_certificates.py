"""The demo's certificates (issue 13 item 10), run by `seed_demo` after the competitions' demo (settings
DEMO_SEEDERS), so the demo competition's promotions are recorded:

- the filing codes of the demo exam center (0000 37 000123) and of the organizer (0000 37 000001), set by the
  system actor as the platform admin would;
- certificates issued to the passed candidates of the demo's finished batch (certification.demo_published:
  焊工五级, six of eight passed, the demo `candidate` among them), and the one of `welder02` revoked with a
  reason;
- a certificate for every standing competition promotion, issued by the organizer;
- the verification URL of the demo candidate's valid certificate, printed.

With no signing key (DEBUG off and none generated) it says so and issues nothing.

Idempotent: nothing is written once the batch's certificates exist (the URL is printed again). Every write passes
the system actor.
"""

from __future__ import annotations

import random
import sys

from accounts.actors import SYSTEM
from accounts.models import Organization, User
from certification.demo_published import BATCH_NAME, BODY
from certification.models import (
    Batch,
    BodyFiling,
    Certificate,
    HeldLevel,
    SourceKind,
)
from certification.selectors.certificates import certificate_verification_url
from certification.services import certificates as services
from core.errors import DomainError

ORGANIZER = "山东省人力资源和社会保障厅"
REVOKED_HOLDER = "welder02"
REVOKED_REASON = "演示：复核发现报名材料不实，撤销证书"


def _filing(unit: Organization | None, site: str) -> None:
    if unit is not None and not BodyFiling.objects.filter(organization=unit).exists():
        services.body_filing_set(actor=SYSTEM, organization_id=unit.pk, agency_code="0000", province_code="37",
                                 site_serial=site)


def seed(rng: random.Random) -> list[object]:
    """The demo certificates (module docstring); returns no logins."""
    from certification import keys

    try:  # certification.demo (DEMO_SEEDERS runs it first) makes the demo's key with DEBUG on
        keys.active_key_id()
    except keys.NoSigningKey:  # without DEBUG no key is made behind anyone's back: say so, issue nothing
        sys.stdout.write("No certificate signing key (manage.py certificate_keys generate): no demo certificates.\n")
        return []
    body = Organization.objects.filter(name=BODY).first()
    batch = Batch.objects.filter(name=BATCH_NAME).first()
    candidate = User.objects.filter(username="candidate").first()
    if body is None or batch is None or candidate is None:
        return []
    if not Certificate.objects.filter(registration__batch=batch).exists():
        _seed(body, batch)
    valid = Certificate.objects.filter(holder=candidate, status="valid").first()
    if valid is not None:
        sys.stdout.write(f"Demo certificate {valid.number} (candidate): {certificate_verification_url(valid)}\n")
    return []


def _seed(body: Organization, batch: Batch) -> None:
    organizer = Organization.objects.filter(name=ORGANIZER).first()
    _filing(body, "000123")
    _filing(organizer, "000001")
    done = services.certificate_issue_batch(actor=SYSTEM, batch_id=batch.pk)
    for certificate in done.issued:
        if certificate.holder.username == REVOKED_HOLDER:
            services.certificate_revoke(actor=SYSTEM, certificate_id=certificate.pk, reason=REVOKED_REASON)
    if organizer is not None:
        for held in HeldLevel.objects.filter(source_kind=SourceKind.PROMOTION, withdrawn_at__isnull=True,
                                             promotion_certificates__isnull=True).order_by("pk"):
            try:
                services.certificate_issue_promotion(actor=SYSTEM, held_level_id=held.pk, body_id=organizer.pk)
            except DomainError as refused:  # e.g. a winner without a real name: said, not hidden
                sys.stdout.write(f"No certificate for promotion {held.pk}: {refused.default_message}\n")
