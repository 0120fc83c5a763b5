"""The demo's certificates (issue 13 item 10), run by `seed_demo` after the competitions' demo (settings
DEMO_SEEDERS), so the demo competition's promotions are recorded:

- the filing codes of the demo exam center (0000 37 000123) and of the organizer (0000 37 000001), set by the
  system actor as the platform admin would;
- a second 焊工 四级 batch of the demo exam center, fully scored (the demo `candidate` and `candidate2` pass with
  theory 82 and practical 79; `candidate3` fails the practical with 45), its results reviewed and published. The
  review period of the demo is zero working days (`override_settings` around the two moves only): a demo cannot
  wait a week; every other rule holds;
- certificates issued to the passed candidates, and the one of `candidate2` revoked with a reason;
- a certificate for every standing competition promotion, issued by the organizer;
- the verification URL of the demo candidate's valid certificate, printed.

With no signing key (DEBUG off and none generated) it says so and issues nothing.

Idempotent: nothing is written once the batch exists (the URL is printed again). Scores are the assessors' own
acts (as in demo_practical); every other write passes the system actor.
"""

from __future__ import annotations

import random
import sys
from datetime import datetime, time, timedelta
from decimal import Decimal
from uuid import uuid4

from django.test.utils import override_settings
from django.utils import timezone

from accounts.actors import SYSTEM
from accounts.models import Organization, User
from certification.demo_practical import BODY, SHEET
from certification.models import (
    Batch,
    BatchPart,
    BodyFiling,
    Certificate,
    HeldLevel,
    Occupation,
    Registration,
    SourceKind,
)
from certification.selectors.batches import FactsIn
from certification.selectors.certificates import certificate_verification_url
from certification.services import batches, practical, results
from certification.services import certificates as services
from core.errors import DomainError

BATCH_NAME = "2026 年焊工四级认定（第二批·已发证，演示）"
ORGANIZER = "山东省人力资源和社会保障厅"
PASSED_SCORES = [("A1", "17"), ("A2", "32"), ("A3", "30")]  # 79
FAILED_SCORES = [("A1", "10"), ("A2", "20"), ("A3", "15")]  # 45
REVOKED_REASON = "演示：复核发现报名材料不实，撤销证书"


def _filing(unit: Organization | None, site: str) -> None:
    if unit is not None and not BodyFiling.objects.filter(organization=unit).exists():
        services.body_filing_set(actor=SYSTEM, organization_id=unit.pk, agency_code="0000", province_code="37",
                                 site_serial=site)


def _batch(body: Organization, welder: Occupation, people: dict[str, User]) -> Batch:
    today = timezone.localdate()
    batch = batches.batch_create(actor=SYSTEM, data=batches.BatchData(
        body.pk, welder.pk, 4, BATCH_NAME, today - timedelta(days=20), today))
    day = timezone.make_aware(datetime.combine(today, time(9)))
    theory = batches.batch_part_set(actor=SYSTEM, batch_id=batch.pk, kind="theory", starts_at=day,
                                    ends_at=day + timedelta(minutes=90))
    shop = batches.batch_part_set(actor=SYSTEM, batch_id=batch.pk, kind="practical",
                                  starts_at=day + timedelta(hours=4), ends_at=day + timedelta(hours=6))
    room = batches.room_add(actor=SYSTEM, part_id=theory.pk, name="第二考场", seats=30)
    group = batches.room_add(actor=SYSTEM, part_id=shop.pk, name="焊接实训车间二", seats=10)
    for name in ("examcenter", "chiefassessor"):
        batches.staff_assign(actor=SYSTEM, part_id=theory.pk, room_id=room.pk, person_id=people[name].pk)
    for name in ("assessor", "assessor2", "assessor3"):
        batches.staff_assign(actor=SYSTEM, part_id=shop.pk, room_id=group.pk, person_id=people[name].pk)
    batches.batch_open(actor=SYSTEM, batch_id=batch.pk)
    works = Registration.objects.filter(candidate=people["candidate"]).values_list("unit_id", flat=True).first()
    ids = [batches.registration_submit(actor=SYSTEM, batch_id=batch.pk, candidate_id=people[name].pk,
                                       facts=FactsIn(years_in_trade=Decimal(6)), unit_id=works).pk
           for name in ("candidate", "candidate2", "candidate3")]
    batches.registrations_approve(actor=SYSTEM, batch_id=batch.pk, registration_ids=ids)
    batches.batch_close(actor=SYSTEM, batch_id=batch.pk)
    batches.seats_allocate(actor=SYSTEM, batch_id=batch.pk, seed=2027)
    practical.sheet_set(actor=SYSTEM, part_id=BatchPart.objects.get(batch=batch, kind="practical").pk, data=SHEET)
    for registration in Registration.objects.filter(batch=batch).select_related("candidate"):
        scores = FAILED_SCORES if registration.candidate.username == "candidate3" else PASSED_SCORES
        for name in ("assessor", "assessor2", "assessor3"):
            for item, value in scores:
                practical.score_record(assessor=people[name], registration_id=registration.pk,
                                       part_kind="practical", item_code=item, value=Decimal(value),
                                       idempotency_key=uuid4())
        results.part_result_record(actor=SYSTEM, registration_id=registration.pk,
                                   data=results.PartResultIn("theory", Decimal("82")))
    with override_settings(CERTIFICATION_REVIEW_WORKING_DAYS=0):  # the demo's only shortcut (module docstring)
        results.results_review_start(actor=SYSTEM, batch_id=batch.pk)
        results.results_publish(actor=SYSTEM, batch_id=batch.pk)
    return batch


def seed(rng: random.Random) -> list[object]:
    """The demo certificates (module docstring); returns no logins."""
    from certification import keys

    try:  # certification.demo (DEMO_SEEDERS runs it first) makes the demo's key with DEBUG on
        keys.active_key_id()
    except keys.NoSigningKey:  # without DEBUG no key is made behind anyone's back: say so, issue nothing
        sys.stdout.write("No certificate signing key (manage.py certificate_keys generate): no demo certificates.\n")
        return []
    body = Organization.objects.filter(name=BODY).first()
    welder = Occupation.objects.filter(code="6-18-02-04").first()
    names = ("candidate", "candidate2", "candidate3", "assessor", "assessor2", "assessor3", "examcenter",
             "chiefassessor")
    people = {u.username: u for u in User.objects.filter(username__in=names)}
    if body is None or welder is None or len(people) < len(names):
        return []
    if not Batch.objects.filter(name=BATCH_NAME).exists():
        _seed(body, welder, people)
    valid = Certificate.objects.filter(holder=people["candidate"], status="valid").first()
    if valid is not None:
        sys.stdout.write(f"Demo certificate {valid.number} (candidate): {certificate_verification_url(valid)}\n")
    return []


def _seed(body: Organization, welder: Occupation, people: dict[str, User]) -> None:
    organizer = Organization.objects.filter(name=ORGANIZER).first()
    _filing(body, "000123")
    _filing(organizer, "000001")
    batch = _batch(body, welder, people)
    done = services.certificate_issue_batch(actor=SYSTEM, batch_id=batch.pk)
    for certificate in done.issued:
        if certificate.holder_id == people["candidate2"].pk:
            services.certificate_revoke(actor=SYSTEM, certificate_id=certificate.pk, reason=REVOKED_REASON)
    if organizer is not None:
        for held in HeldLevel.objects.filter(source_kind=SourceKind.PROMOTION, withdrawn_at__isnull=True,
                                             promotion_certificates__isnull=True).order_by("pk"):
            try:
                services.certificate_issue_promotion(actor=SYSTEM, held_level_id=held.pk, body_id=organizer.pk)
            except DomainError as refused:  # e.g. a winner without a real name: said, not hidden
                sys.stdout.write(f"No certificate for promotion {held.pk}: {refused.default_message}\n")
