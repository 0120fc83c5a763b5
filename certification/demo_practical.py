"""The demo's practical assessment (issue 12 item 8): a 焊工 四级 batch of the demo exam center, registration closed
and seats allocated, three candidates (the demo `candidate` and two workers of her enterprise), a two-item sheet
and a panel of three assessors (the demo `assessor` and two more), and the sheet partly scored by `assessor`:
every item of the first candidate, the first item of the second, nothing of the third. The demo `chiefassessor`
invigilates the theory, so she is on duty for the batch and reaches its flags page.

`seed_practical_demo` is idempotent (it does nothing once the batch exists). It passes the system actor to every
write except the scores, which are the assessor's own act (a score has an assessor, never the system)."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from decimal import Decimal
from uuid import uuid4

from django.utils import timezone

from accounts import services as accounts_services
from accounts.actors import SYSTEM
from accounts.models import Membership, Organization, Role, User
from accounts.synthetic import synthetic_birth, synthetic_id_number, synthetic_mobile
from certification.models import Batch, BatchPart, Occupation, Registration
from certification.selectors.batches import FactsIn
from certification.services import batches, practical

BATCH_NAME = "2026 年焊工四级认定（演示）"
BODY = "山东省职业技能评价中心第一考核站"
WORKS = "潍坊新能源动力有限公司"
PASSWORD = "demo-2026"  # noqa: S105 - published demo password
EXTRA_ASSESSORS = [("assessor2", "邵明远", True), ("assessor3", "蒋慧敏", False)]
EXTRA_CANDIDATES = [("candidate2", "丁国强", True), ("candidate3", "许晓燕", False)]
SHEET = practical.SheetIn(items=[
    practical.SheetItemIn("A1", "焊前准备与安全文明生产", Decimal(20), tolerance=Decimal(3)),
    practical.SheetItemIn("A2", "板对接平焊焊缝外观", Decimal(40)),
    practical.SheetItemIn("A3", "焊缝内部质量（射线检测）", Decimal(40)),
])
ASSESSOR_SCORES = [("A1", "17"), ("A2", "32"), ("A3", "30")]


def _person(rng: random.Random, username: str, real_name: str, male: bool, role: Role, unit: Organization) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        born = synthetic_birth(rng, youngest=24, oldest=55, today=timezone.localdate())
        user = accounts_services.person_create(actor=SYSTEM, username=username, password=PASSWORD,
                                               data=accounts_services.PersonData(
                                                   real_name=real_name,
                                                   id_number=synthetic_id_number(rng, born=born, male=male),
                                                   mobile=synthetic_mobile(rng),
                                                   email=f"{username}@demo.jineng.example"))
    if not Membership.objects.filter(user=user, role=role, organization=unit).exists():
        accounts_services.membership_grant(actor=SYSTEM, user=user, role=role, organization=unit)
    return user


def seed_practical_demo(rng: random.Random) -> None:
    """The demo batch and its partly scored sheet (module docstring)."""
    body = Organization.objects.filter(name=BODY).first()
    works = Organization.objects.filter(name=WORKS).first()
    welder = Occupation.objects.filter(code="6-18-02-04").first()
    names = ("assessor", "chiefassessor", "examcenter", "candidate")
    people = {u.username: u for u in User.objects.filter(username__in=names)}
    if body is None or works is None or welder is None or len(people) < len(names) or \
            Batch.objects.filter(name=BATCH_NAME).exists():
        return
    panel = [people["assessor"]] + [_person(rng, u, n, m, Role.ASSESSOR, body) for u, n, m in EXTRA_ASSESSORS]
    candidates = [people["candidate"]] + [_person(rng, u, n, m, Role.CANDIDATE, works)
                                          for u, n, m in EXTRA_CANDIDATES]
    today = timezone.localdate()
    batch = batches.batch_create(actor=SYSTEM, data=batches.BatchData(
        body.pk, welder.pk, 4, BATCH_NAME, today - timedelta(days=20), today))
    day = timezone.make_aware(datetime.combine(today, time(9)))
    theory = batches.batch_part_set(actor=SYSTEM, batch_id=batch.pk, kind="theory", starts_at=day,
                                    ends_at=day + timedelta(minutes=90))
    shop = batches.batch_part_set(actor=SYSTEM, batch_id=batch.pk, kind="practical",
                                  starts_at=day + timedelta(hours=4), ends_at=day + timedelta(hours=6))
    room = batches.room_add(actor=SYSTEM, part_id=theory.pk, name="第一考场", seats=30)
    group = batches.room_add(actor=SYSTEM, part_id=shop.pk, name="焊接实训车间", seats=10)
    for invigilator in (people["examcenter"], people["chiefassessor"]):
        batches.staff_assign(actor=SYSTEM, part_id=theory.pk, room_id=room.pk, person_id=invigilator.pk)
    for assessor in panel:
        batches.staff_assign(actor=SYSTEM, part_id=shop.pk, room_id=group.pk, person_id=assessor.pk)
    batches.batch_open(actor=SYSTEM, batch_id=batch.pk)
    ids = [batches.registration_submit(actor=SYSTEM, batch_id=batch.pk, candidate_id=c.pk,
                                       facts=FactsIn(years_in_trade=Decimal(6)), unit_id=works.pk).pk
           for c in candidates]
    batches.registrations_approve(actor=SYSTEM, batch_id=batch.pk, registration_ids=ids)
    batches.batch_close(actor=SYSTEM, batch_id=batch.pk)
    batches.seats_allocate(actor=SYSTEM, batch_id=batch.pk, seed=2026)
    practical.sheet_set(actor=SYSTEM, part_id=BatchPart.objects.get(batch=batch, kind="practical").pk, data=SHEET)
    seated = list(Registration.objects.filter(batch=batch).order_by("ticket_no"))
    for registration, scored in zip(seated, (ASSESSOR_SCORES, ASSESSOR_SCORES[:1]), strict=False):
        for item, value in scored:
            practical.score_record(assessor=people["assessor"], registration_id=registration.pk,
                                   part_kind="practical", item_code=item, value=Decimal(value),
                                   idempotency_key=uuid4())
