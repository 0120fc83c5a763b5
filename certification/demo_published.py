"""The demo's finished batch (issue 13 item 10 stands on it): 2026 年第一期焊工五级认定 at the demo exam center,
held in the hours before `seed_demo` ran, its results published. Eight candidates: the demo `candidate` (who now
holds 五级 and has applied for 四级 in the current batch, as a welder's path goes) and seven workers of her
enterprise. Theory scores entered by the exam center's staff, the practical scored by a panel of three assessors
(the demo `assessor` and two more) on a two-item sheet; six pass, one fails the theory (52), one the practical.
Each registration carries a drawn stand-in for an ID photo (`silhouette`), which the tickets and certificates show.

Registration is open only on the days of its window and no service moves a closed batch's dates, so the window is
the last 30 days up to today and the exam the seven hours before seeding: the one way through the services to a
batch that is over.

The review period (公示) of five working days cannot pass while `seed_demo` runs, so the demo opens the review and
publishes with the period set to zero days (`CERTIFICATION_REVIEW_WORKING_DAYS`, which a deployment or a test may
set the same way): the review's start and end are both today in the data, and the page says so. Everything else
goes through the services with the system actor, except the assessors' scores, which are their own act.

`seed_published_demo` is idempotent: it does nothing once the batch exists, or when the demo's people or the
exam center are missing.
"""

from __future__ import annotations

import io
import random
from datetime import timedelta
from decimal import Decimal
from uuid import uuid4

from django.test.utils import override_settings
from django.utils import timezone
from PIL import Image, ImageDraw

from accounts import services as accounts_services
from accounts.actors import SYSTEM
from accounts.models import Membership, Organization, Role, User
from accounts.synthetic import synthetic_birth, synthetic_id_number, synthetic_mobile
from certification.models import Batch, BatchPart, Occupation, Registration
from certification.selectors.batches import FactsIn
from certification.services import batches, practical, results
from certification.services.registration_photos import registration_photo_set

BATCH_NAME = "2026 年第一期焊工五级认定"
BODY = "山东省职业技能评价中心第一考核站"
WORKS = "潍坊新能源动力有限公司"
PASSWORD = "demo-2026"  # noqa: S105 - published demo password
PANEL = [("assessor2", "邵明远", True), ("assessor3", "蒋慧敏", False)]
WORKERS = [("welder01", "孙立新", True), ("welder02", "高秀英", False), ("welder03", "马俊杰", True),
           ("welder04", "胡晓丽", False), ("welder05", "朱文博", True), ("welder06", "郭春燕", False),
           ("welder07", "何志强", True)]
SHEET = practical.SheetIn(items=[
    practical.SheetItemIn("A1", "焊前准备与安全文明生产", Decimal(30), tolerance=Decimal(4)),
    practical.SheetItemIn("A2", "板对接平焊焊缝质量", Decimal(70)),
])
# Per candidate in ticket order: the theory score, then each assessor's (A1, A2). The 7th fails the theory, the
# 8th the practical (18 + 35 = 53 on average).
OUTCOMES = [("86", ("26", "60")), ("78.5", ("24", "55")), ("91", ("27", "62")), ("73", ("22", "50")),
            ("69", ("23", "48")), ("81", ("25", "57")), ("52", ("24", "52")), ("75", ("18", "35"))]


def _person(rng: random.Random, username: str, real_name: str, male: bool, role: Role, unit: Organization) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        born = synthetic_birth(rng, youngest=22, oldest=50, today=timezone.localdate())
        user = accounts_services.person_create(actor=SYSTEM, username=username, password=PASSWORD,
                                               data=accounts_services.PersonData(
                                                   real_name=real_name,
                                                   id_number=synthetic_id_number(rng, born=born, male=male),
                                                   mobile=synthetic_mobile(rng),
                                                   email=f"{username}@demo.jineng.example"))
    if not Membership.objects.filter(user=user, role=role, organization=unit).exists():
        accounts_services.membership_grant(actor=SYSTEM, user=user, role=role, organization=unit)
    return user


def silhouette(male: bool) -> bytes:
    """A drawn stand-in for an ID photo (a head and shoulders on the blue of 证件照), never a real face."""
    image = Image.new("RGB", (450, 600), (67, 142, 219))
    draw = ImageDraw.Draw(image)
    tone = (70, 70, 80) if male else (95, 70, 85)
    draw.ellipse((150, 110, 300, 290), fill=(236, 205, 180))
    draw.pieslice((125, 80, 325, 260), 180, 360, fill=tone)  # hair
    draw.rounded_rectangle((60, 330, 390, 640), radius=120, fill=tone)  # shoulders
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def seed_published_demo(rng: random.Random) -> Batch | None:
    """The finished batch with published results (module docstring); None when it cannot be made."""
    body = Organization.objects.filter(name=BODY).first()
    works = Organization.objects.filter(name=WORKS).first()
    welder = Occupation.objects.filter(code="6-18-02-04").first()
    names = ("assessor", "chiefassessor", "examcenter", "candidate")
    people = {u.username: u for u in User.objects.filter(username__in=names)}
    if body is None or works is None or welder is None or len(people) < len(names) or \
            Batch.objects.filter(name=BATCH_NAME).exists():
        return None
    panel = [people["assessor"]] + [_person(rng, u, n, m, Role.ASSESSOR, body) for u, n, m in PANEL]
    candidates = [people["candidate"]] + [_person(rng, u, n, m, Role.CANDIDATE, works) for u, n, m in WORKERS]
    today = timezone.localdate()
    batch = batches.batch_create(actor=SYSTEM, data=batches.BatchData(
        body.pk, welder.pk, 5, BATCH_NAME, today - timedelta(days=30), today))
    start = timezone.now().replace(minute=0, second=0, microsecond=0) - timedelta(hours=7)
    theory = batches.batch_part_set(actor=SYSTEM, batch_id=batch.pk, kind="theory", starts_at=start,
                                    ends_at=start + timedelta(minutes=90))
    shop = batches.batch_part_set(actor=SYSTEM, batch_id=batch.pk, kind="practical",
                                  starts_at=start + timedelta(hours=3), ends_at=start + timedelta(hours=5))
    room = batches.room_add(actor=SYSTEM, part_id=theory.pk, name="第二考场", seats=30)
    group = batches.room_add(actor=SYSTEM, part_id=shop.pk, name="焊接实训车间", seats=10)
    for invigilator in (people["examcenter"], people["chiefassessor"]):
        batches.staff_assign(actor=SYSTEM, part_id=theory.pk, room_id=room.pk, person_id=invigilator.pk)
    for assessor in panel:
        batches.staff_assign(actor=SYSTEM, part_id=shop.pk, room_id=group.pk, person_id=assessor.pk)
    batches.batch_open(actor=SYSTEM, batch_id=batch.pk)
    ids = [batches.registration_submit(actor=SYSTEM, batch_id=batch.pk, candidate_id=c.pk,
                                       facts=FactsIn(years_in_trade=Decimal(2)), unit_id=works.pk).pk
           for c in candidates]
    batches.registrations_approve(actor=SYSTEM, batch_id=batch.pk, registration_ids=ids)
    for registration_id, (_, _, male) in zip(ids, [("", "", False), *WORKERS], strict=True):
        registration_photo_set(actor=SYSTEM, registration_id=registration_id, data=silhouette(male))
    batches.batch_close(actor=SYSTEM, batch_id=batch.pk)
    batches.seats_allocate(actor=SYSTEM, batch_id=batch.pk, seed=2025)
    practical.sheet_set(actor=SYSTEM, part_id=BatchPart.objects.get(batch=batch, kind="practical").pk, data=SHEET)
    seated = list(Registration.objects.filter(batch=batch).order_by("ticket_no"))
    for registration, (theory_score, (a1, a2)) in zip(seated, OUTCOMES, strict=True):
        results.part_result_record(actor=SYSTEM, registration_id=registration.pk,
                                   data=results.PartResultIn("theory", Decimal(theory_score)))
        for assessor in panel:
            for item, value in (("A1", a1), ("A2", a2)):
                practical.score_record(assessor=assessor, registration_id=registration.pk, part_kind="practical",
                                       item_code=item, value=Decimal(value), idempotency_key=uuid4())
    with override_settings(CERTIFICATION_REVIEW_WORKING_DAYS=0):
        results.results_review_start(actor=SYSTEM, batch_id=batch.pk)
        results.results_publish(actor=SYSTEM, batch_id=batch.pk)
    return batch
