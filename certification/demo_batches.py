"""The demo's exam batch (issue 12 item 4), called by certification.demo.seed: the first exam center
(山东省职业技能评价中心第一考核站, a social evaluation body) runs 焊工 四级/中级工, 2026 年第一批, with its theory part
(one room of 30 seats, two invigilators: the demo `invigilator` and a colleague) and its practical part (two
assessment groups of 15 stations, three assessors each: the demo `chiefassessor`, `assessor` and four colleagues),
staffed to DESIGN.md's ratios. Thirty candidates registered: twelve welders of 鲁中重型机械 registered by its HR
(the demo `enterprise`), the others on their own (the demo `candidate` 陈雪 among them), each declaring six years
in the trade (eligible by the 6-year path); all approved by the demo `examcenter`, registration closed and seats
allocated from the recorded seed 2026, so 陈雪 holds a 准考证.

The exam is under way when the demo is seeded (issue 12 item 11): the practical part was the day before and its
scoring sheet is partly scored by the demo `assessor` (certification.demo_practical); the theory part began ten
minutes before seeding, eight candidates have submitted graded papers and 陈雪's exam is running
(certification.demo_exam). Registration ran for the two weeks up to seeding day.

Every write is the act of the demo person who would make it (the exam center's staff plan, review and seat; the
HR and the candidates register), through the services, so it has its audit trail. The other candidates and staff
have no password (they are not demo logins). Safe to run twice: a batch of that name at that body is kept as it
is (only the running exam's time is topped up, certification.demo_exam.refresh). Its own random generator, so
seeding it leaves the synthetic data of the seeders after it unchanged."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts import services as accounts
from accounts.actors import SYSTEM
from accounts.models import Organization, Role, User
from accounts.synthetic import synthetic_birth, synthetic_id_number, synthetic_mobile, synthetic_name
from certification import demo_exam, demo_practical
from certification.models import Batch, Occupation, Registration
from certification.selectors.batches import FactsIn
from certification.services import batches as services

BODY = "山东省职业技能评价中心第一考核站"
BATCH_NAME = "2026 年第一批焊工四级/中级工"
WELDER = "6-18-02-04"
SEED = 2026
SIX_YEARS = FactsIn(years_in_trade=Decimal(6))
# (unit, how many synthetic candidates, registered by the unit's HR)
CANDIDATES = [("鲁中重型机械股份有限公司", 12, True), ("胶东海工装备有限公司", 9, False),
              ("潍坊新能源动力有限公司", 8, False)]


def _people(rng: random.Random, unit: Organization, role: Role, prefix: str, n: int) -> list[User]:
    today = timezone.localdate()
    made = []
    for i in range(1, n + 1):
        username = f"{prefix}{i:02d}"
        user = User.objects.filter(username=username).first()
        if user is None:
            male = rng.random() < 0.7
            user = accounts.person_create(actor=SYSTEM, username=username, password=None, data=accounts.PersonData(
                real_name=synthetic_name(rng), mobile=synthetic_mobile(rng),
                id_number=synthetic_id_number(rng, born=synthetic_birth(rng, youngest=25, oldest=50, today=today),
                                              male=male)))
            accounts.membership_grant(actor=SYSTEM, user=user, role=role, organization=unit)
        made.append(user)
    return made


def _at(day: object, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))  # type: ignore[arg-type]


def seed() -> Batch | None:
    body = Organization.objects.filter(name=BODY).first()
    staff = User.objects.filter(username="examcenter").first()
    welder = Occupation.objects.filter(code=WELDER).first()
    if body is None or staff is None or welder is None:
        return None
    found = Batch.objects.filter(body=body, name=BATCH_NAME).first()
    if found is not None:
        demo_exam.refresh(found)
        return found
    rng = random.Random(SEED)  # noqa: S311 - synthetic demo people, not secrets
    today = timezone.localdate()
    batch = services.batch_create(actor=staff, data=services.BatchData(
        body.pk, welder.pk, 4, BATCH_NAME, today - timedelta(days=14), today))
    starts = (timezone.now() - demo_exam.STARTED_BEFORE_SEEDING).replace(second=0, microsecond=0)
    theory = services.batch_part_set(actor=staff, batch_id=batch.pk, kind="theory", starts_at=starts,
                                     ends_at=starts + demo_exam.DURATION + demo_exam.STARTED_BEFORE_SEEDING)
    yesterday = today - timedelta(days=1)
    practical = services.batch_part_set(actor=staff, batch_id=batch.pk, kind="practical",
                                        starts_at=_at(yesterday, 13, 30), ends_at=_at(yesterday, 16, 30))
    room = services.room_add(actor=staff, part_id=theory.pk, name="第一考场（理论）", seats=30)
    groups = [services.room_add(actor=staff, part_id=practical.pk, name=f"焊接实训车间 第{n}组", seats=15)
              for n in ("一", "二")]
    invigilators = [*User.objects.filter(username="invigilator"), *_people(rng, body, Role.ASSESSOR, "demo_invig", 1)]
    panel = [*User.objects.filter(username__in=["chiefassessor", "assessor"]).order_by("username"),
             *_people(rng, body, Role.ASSESSOR, "demo_assessor", 4)]
    for person in invigilators[:2]:
        services.staff_assign(actor=staff, part_id=theory.pk, room_id=room.pk, person_id=person.pk)
    for i, person in enumerate(panel[:6]):
        services.staff_assign(actor=staff, part_id=practical.pk, room_id=groups[i % 2].pk, person_id=person.pk)
    services.batch_open(actor=staff, batch_id=batch.pk)

    for n, (unit_name, count, by_unit) in enumerate(CANDIDATES):
        unit = Organization.objects.get(name=unit_name)
        hr = User.objects.filter(username="enterprise").first() if by_unit else None
        for person in _people(rng, unit, Role.CANDIDATE, f"demo_welder{n + 1}_", count):
            services.registration_submit(actor=hr or person, batch_id=batch.pk, candidate_id=person.pk,
                                         facts=SIX_YEARS, unit_id=unit.pk if hr else None)
    candidate = User.objects.filter(username="candidate").first()
    if candidate is not None:
        services.registration_submit(actor=candidate, batch_id=batch.pk, candidate_id=candidate.pk, facts=SIX_YEARS)
    services.registrations_approve(actor=staff, batch_id=batch.pk, registration_ids=list(
        Registration.objects.filter(batch=batch).values_list("pk", flat=True)))
    services.batch_close(actor=staff, batch_id=batch.pk)
    services.seats_allocate(actor=staff, batch_id=batch.pk, seed=SEED)
    demo_practical.seed(batch, staff)
    demo_exam.seed(batch, staff, rng)
    return batch
