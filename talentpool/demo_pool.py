"""The demo's talent pool (issue 14 item 11): 500 pool entries brought in through real intake, run by `seed_demo`
after the certificates' demo (settings DEMO_SEEDERS).

- 500 synthetic people (`pool0001` … `pool0500`, no password: they are data, not logins), each with one or two
  hand-recorded held levels of 二级/技师 or 一级/高级技师 in occupations of the demo catalogue, with the evidence
  "职业技能等级证书（演示）" (`held_level_record`, as an admin records certificates issued before the platform);
- then `talent_intake_run` over everyone, which also brings in the demo persons who qualify from the demo's
  published competition, its certificates and appointments;
- the synthetic talents' profiles (`talent_profile_update` as the system actor): spread over the 16 cities and the
  chains, some with skill points and years, education, most open to offers, their mobile as contact phone.

The intake receivers are disconnected while seeding (one intake run at the end does what 500 queued tasks
would). Idempotent: people, levels and profiles that exist are left alone; intake records nothing new.
"""

from __future__ import annotations

import random
import time
from datetime import timedelta

from django.utils import timezone

from accounts import services as accounts
from accounts.actors import SYSTEM
from accounts.models import User
from accounts.synthetic import synthetic_birth, synthetic_id_number, synthetic_mobile, synthetic_name
from certification.domain.ladder import SkillLevel
from certification.models import HeldLevel, Occupation
from certification.services.levels import held_level_record
from certification.signals import certificates_changed
from competitions.signals import results_published
from talentpool.models import City, Education, IndustryChain, Talent
from talentpool.models.pool import FLAGSHIP_CHAINS
from talentpool.services.intake import chain_create, talent_intake_run
from talentpool.services.profiles import ProfileData, SkillEntry, talent_profile_update
from talentpool.tasks import on_upstream_change

COUNT = 500
PREFIX = "pool"
EVIDENCE = "职业技能等级证书（演示）"
SKILLS: dict[str, list[str]] = {
    # the points the demo's demand posts ask (talentpool.demo_checklists) among others, so its matches are real
    "焊工": ["氩弧焊", "二氧化碳气体保护焊", "厚板多层多道焊", "埋弧焊", "焊接工艺评定", "焊接缺陷分析",
             "焊接机器人操作", "焊接图识读", "船舶分段全位置焊", "船级社焊工证", "压力容器焊接", "焊缝无损检测"],
    "电工": ["高低压配电", "PLC 编程与调试", "低压电工作业", "变频器调试", "电气控制线路", "继电保护"],
    "汽车维修工": ["新能源汽车电池检修", "发动机故障诊断", "汽车电控系统", "底盘维修"],
    "车工": ["数控车床编程", "FANUC 系统操作", "精密测量", "精密零件加工", "螺纹加工", "CAD/CAM"],
    "铣工": ["数控铣削", "五轴加工", "模具加工", "CAD/CAM"],
}
CITY_WEIGHTS = {City.JINAN: 8, City.QINGDAO: 8, City.ZIBO: 5, City.YANTAI: 5, City.WEIFANG: 6, City.JINING: 4}


def _people(rng: random.Random) -> list[User]:
    existing = {u.username: u for u in User.objects.filter(username__startswith=PREFIX)}
    today = timezone.localdate()
    made = []
    for i in range(1, COUNT + 1):
        username = f"{PREFIX}{i:04d}"
        user = existing.get(username)
        if user is None:
            born = synthetic_birth(rng, youngest=26, oldest=58, today=today)
            user = accounts.person_create(actor=SYSTEM, username=username, password=None, data=accounts.PersonData(
                real_name=synthetic_name(rng), mobile=synthetic_mobile(rng),
                id_number=synthetic_id_number(rng, born=born, male=rng.random() < 0.75)))
        made.append(user)
    return made


def _levels(rng: random.Random, people: list[User], occupations: list[Occupation]) -> None:
    recorded = set(HeldLevel.objects.filter(person__in=people, evidence__startswith=EVIDENCE)
                   .values_list("person_id", flat=True))
    today = timezone.localdate()
    for user in people:
        if user.pk in recorded:
            continue
        picks = rng.sample(occupations, k=1 if rng.random() < 0.8 else 2)
        for occupation in picks:
            level = SkillLevel.ONE if rng.random() < 0.3 else SkillLevel.TWO
            held_level_record(actor=SYSTEM, person_id=user.pk, occupation_id=occupation.pk, level=level,
                              obtained_on=today - timedelta(days=rng.randrange(200, 4000)),
                              evidence=f"{EVIDENCE} 编号 S{rng.randrange(10**12):012d}")


def _profiles(rng: random.Random, people: list[User]) -> None:
    chains = list(IndustryChain.objects.order_by("position").values_list("pk", flat=True))
    cities = list(City.values)
    weights = [CITY_WEIGHTS.get(City(c), 2) for c in cities]
    talents = {t.person_id: t for t in Talent.objects.filter(person__in=people).prefetch_related("holdings")}
    for user in people:
        talent = talents.get(user.pk)
        if talent is None or talent.city:  # filled in already (the demo ran before)
            continue
        names = [h.occupation_name for h in talent.holdings.all()]
        skills = []
        if rng.random() < 0.7:
            pool = [s for name in names for s in SKILLS.get(name, [])]
            for skill in rng.sample(pool, k=min(len(pool), rng.randrange(2, 7))):
                skills.append(SkillEntry(skill, rng.choice([None, 4, 5, 6])))
        talent_profile_update(actor=SYSTEM, person_id=user.pk, data=ProfileData(
            city=rng.choices(cities, weights)[0],
            education=rng.choices([Education.SECONDARY, Education.COLLEGE, Education.BACHELOR], [5, 4, 1])[0],
            years_experience=rng.randrange(3, 31), open_to_offers=rng.random() < 0.8,
            chain_ids=tuple(rng.sample(chains, k=rng.choice((1, 1, 2)))) if chains else (),
            summary=f"从事{'、'.join(names)}工作，熟悉现场生产与质量要求。" if rng.random() < 0.5 else "",
            contact_phone=user.mobile, contact_email=f"{user.username}@demo.jineng.example", skills=tuple(skills)))


def seed(rng: random.Random) -> list[object]:
    """The demo's pool (module docstring); returns no logins."""
    rng = random.Random(rng.random())  # noqa: S311 - demo data; our own stream, the others do not depend on it
    started = time.monotonic()
    for code, name in FLAGSHIP_CHAINS:  # a flushed test database has lost migration 0002's rows
        if not IndustryChain.objects.filter(code=code).exists():
            chain_create(actor=SYSTEM, code=code, name=name)
    occupations = list(Occupation.objects.order_by("code"))
    if not occupations:
        print("人才库演示：职业目录为空，跳过。")
        return []
    certificates_changed.disconnect(dispatch_uid="talentpool.intake.certificates")
    results_published.disconnect(dispatch_uid="talentpool.intake.results")
    try:
        people = _people(rng)
        _levels(rng, people, occupations)
        report = talent_intake_run(actor=SYSTEM)
        _profiles(rng, people)
    finally:
        certificates_changed.connect(on_upstream_change, dispatch_uid="talentpool.intake.certificates")
        results_published.connect(on_upstream_change, dispatch_uid="talentpool.intake.results")
    print(f"人才库演示：在库 {Talent.objects.filter(status='in_pool').count()} 人"
          f"（本次新入库 {len(report.entered)} 人），用时 {time.monotonic() - started:.1f} 秒。")
    return []


__all__ = ["seed"]
