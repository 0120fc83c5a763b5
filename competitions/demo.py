"""Demo competition for `manage.py seed_demo` (issue 4 item 8): a 省级一类 event of the 技能兴鲁 series with two
skills, 焊工 (6-18-02-04; measurement and judgement aspects) finished and published, and 电工 (6-31-01-03;
measurement only) in the middle of marking.

Everything goes through the services, so the demo has its audit trail, draws with recorded seeds, sign-offs and a
decryption like a real event. The event took place a month ago: the status moves are recorded at those past
moments, so 焊工's five-working-day review period is over. The demo people play their roles: `organizer` runs the
event, `encryptor` draws and decrypts, `chief` is chief referee of both skills, `referee` (郑海波 of 鲁中重机) is
first on every panel and is recused from 鲁中重机's contestants, whose panels the next referee fills; `contestant`
(王志强) competes in 焊工 and `coach` coaches him. 电工 is marked in two marking groups (裁判分组), formed by the
chief before marking: 第一组 (`referee` and the first exam station's referee) and 第二组 (the other three, two of
them of colleges with contestants), so `referee`'s page lists only his group's ten workstations, none of them
鲁中重机's.
焊工's five referees are too few for two groups of its WorldSkills panel of three (it was marked before groups
existed, every referee marking every workstation). The other 39 contestants and 4 referees are synthetic people
without a usable password. Safe to run twice: an existing event of the same name is left as it is.

Two smaller skills (issue 10 item 10: every state has something to show) are run by `chief` with `chief2` as the
second chief referee, and marked by `referee2` (李春燕, of an exam centre without contestants, so on every panel)
and the synthetic referees: 汽车维修工 (4-12-01-01) is marked, signed off and decrypted, and under review (公示) from
the moment the demo is seeded, with two real-name objections: `coach` objects to his contestant's result (open,
for the chief to answer) and another contestant's objection the chief has answered; 数控车工 (6-18-01-01) is in
marking with one workstation's judgement panel diverging (scores 1, 1, 3: max − min > 1) for the chief to confirm
on the sign-off page, a few sheets signed off, and the last workstations' judgement still to mark. Choice: their
review and marking happen now, not a month ago like the event's own moves, because an objection can only be filed
while the review period is running.

Every skill is linked to its occupation in the certification demo's catalogue (certification.demo), so publishing
焊工 records its promotions (竞赛晋级) as held levels there, by the level each contestant held (the demo
`contestant` holds 三级 焊工 by a certificate from before the platform).
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal
from typing import cast
from uuid import UUID

from django.utils import timezone

from accounts import services as accounts_services
from accounts.actors import SYSTEM
from accounts.demo import DemoLogin
from accounts.models import Membership, Organization, Role, User
from accounts.synthetic import synthetic_birth, synthetic_id_number, synthetic_mobile, synthetic_name
from certification import demo as certification_demo
from certification.selectors import occupations_all
from competitions import access, services
from competitions.adapters import domain_aspect
from competitions.models import (
    Aspect,
    CompetitionLevel,
    Entry,
    EntryStatus,
    Event,
    Group,
    MarkingMethod,
    RefereeRole,
    Sheet,
    Skill,
    Status,
)

EVENT_NAME = "第二届“技能兴鲁”职业技能大赛（演示）"
ORGANIZER = "山东省人力资源和社会保障厅"
UNITS = ["鲁中重型机械股份有限公司", "胶东海工装备有限公司", "潍坊新能源动力有限公司", "山东工业技师学院",
         "青岛海洋职业技术学院"]
REFEREE_UNITS = ["山东省职业技能评价中心第一考核站", "烟台市职业技能评价中心", "青岛海洋职业技术学院",
                 "山东工业技师学院"]
PER_SKILL = 20
SMALL_SKILL = 8  # entrants of each of the two smaller skills
REVIEW_SKILL = "汽车维修工"
DIVERGENT_SKILL = "数控车工"
DIVERGENT_SCORES = (Decimal(1), Decimal(1), Decimal(3))  # max − min = 2 > 1: flagged (DESIGN.md "Marking scheme")


def _welding_scheme() -> list[services.ModuleData]:
    m = MarkingMethod
    return [
        services.ModuleData("M1", "焊缝尺寸与坡口（测量）", (
            services.AspectData("A1", Decimal(20), m.FULL_OR_ZERO, "焊缝余高 0–3 mm"),
            services.AspectData(
                "A2", Decimal(30), m.TOLERANCE, "坡口角度 60°", nominal=Decimal(60),
                bands=((Decimal("0.5"), Decimal(0)), (Decimal(1), Decimal(10)), (Decimal(2), Decimal(20))),
            ),
        )),
        services.ModuleData("M2", "外观与工艺（评价）", (
            services.AspectData("J1", Decimal(30), m.WORLDSKILLS, "焊缝外观成形"),
            services.AspectData("J2", Decimal(20), m.MEAN, "操作规范与安全文明生产", referee_count=3),
        )),
    ]


def _electrician_scheme() -> list[services.ModuleData]:
    m = MarkingMethod
    bands = ((Decimal("0.2"), Decimal(0)), (Decimal("0.5"), Decimal(5)), (Decimal(1), Decimal(15)))
    return [
        services.ModuleData("M1", "电气安装（测量）", (
            services.AspectData("E1", Decimal(25), m.FULL_OR_ZERO, "主电路接线正确"),
            services.AspectData("E2", Decimal(25), m.FULL_OR_ZERO, "控制电路功能实现"),
        )),
        services.ModuleData("M2", "调试与测量（测量）", (
            services.AspectData("E3", Decimal(25), m.TOLERANCE, "输出电压 24 V", nominal=Decimal(24), bands=bands),
            services.AspectData("E4", Decimal(25), m.TOLERANCE, "绝缘电阻 5 MΩ", nominal=Decimal(5), bands=bands),
        )),
    ]


def _small_scheme(measured: str, judged: str) -> list[services.ModuleData]:
    m = MarkingMethod
    return [
        services.ModuleData("M1", f"{measured}（测量）", (
            services.AspectData("A1", Decimal(30), m.FULL_OR_ZERO, "故障诊断结论正确"),
            services.AspectData("A2", Decimal(30), m.FULL_OR_ZERO, "检测数据记录完整"),
        )),
        services.ModuleData("M2", f"{judged}（评价）", (
            services.AspectData("J1", Decimal(40), m.WORLDSKILLS, "作业规范与工艺质量"),
        )),
    ]


def _person(rng: random.Random, username: str, role: Role, unit: Organization) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        male = rng.random() < 0.8
        born = synthetic_birth(rng, youngest=21, oldest=45, today=timezone.localdate())
        user = accounts_services.person_create(
            actor=SYSTEM, username=username, password=None,
            data=accounts_services.PersonData(
                real_name=synthetic_name(rng), id_number=synthetic_id_number(rng, born=born, male=male),
                mobile=synthetic_mobile(rng),
            ),
        )
    if not Membership.objects.filter(user=user, role=role, organization=unit).exists():
        accounts_services.membership_grant(actor=SYSTEM, user=user, role=role, organization=unit)
    return user


def _value(rng: random.Random, aspect: Aspect, ability: float, base_score: int) -> Decimal:
    """A plausible value for one referee: measurement by ability, judgement near the panel's common view."""
    dom = domain_aspect(aspect)
    if aspect.method == MarkingMethod.FULL_OR_ZERO:
        return dom.max_mark if rng.random() < ability else Decimal(0)
    if aspect.method == MarkingMethod.TOLERANCE:
        assert dom.nominal is not None
        error = Decimal(str(round(rng.gauss(0, 1.4 * (1.05 - ability)), 2)))
        return dom.nominal + error
    if aspect.method == MarkingMethod.WORLDSKILLS:
        return Decimal(min(3, base_score + rng.choice((0, 0, 1))))
    spread = dom.max_mark * Decimal("0.08")
    centre = dom.max_mark * Decimal(str(round(ability, 2)))
    return max(Decimal(0), min(dom.max_mark, (centre + spread * Decimal(rng.uniform(-1, 1))).quantize(Decimal("0.1"))))


def _mark(rng: random.Random, skill: Skill, entries: list[Entry], abilities: dict[int, float],
          aspect_filter: set[str] | None = None) -> None:
    candidates = access.skill_candidates(skill)
    aspects = list(skill.scheme.aspects.select_related("module", "scheme").order_by("module__position", "position"))
    for entry in entries:
        members = access.member_ids_of(entry)
        ability = abilities[entry.pk]
        base = min(3, max(0, round(ability * 3) - 1))
        for aspect in aspects:
            if aspect_filter is not None and aspect.code not in aspect_filter:
                continue
            needed = domain_aspect(aspect).referee_count
            for referee_id in access.panel(candidates, entry, aspect, members, needed):
                referee = User.objects.get(pk=cast(int, referee_id))
                services.mark_record(referee=referee, skill_id=skill.pk, workstation_no=entry.workstation_no,
                                     aspect_code=aspect.code, value=_value(rng, aspect, ability, base),
                                     idempotency_key=UUID(int=rng.getrandbits(128), version=4))


def _entries(skill: Skill) -> list[Entry]:
    return list(Entry.objects.filter(skill=skill, status=EntryStatus.APPROVED).order_by("workstation_no"))


def _small_skills(rng: random.Random, repair: Skill, turning: Skill, abilities: dict[int, float], *, chief: User,
                  encryptor: User, organizer: User, coach: User) -> None:
    """汽车维修工 to review with two objections, 数控车工 mid-marking with one divergent panel (module docstring)."""
    entries = _entries(repair)
    for entry in entries:
        services.entry_completion_time_record(actor=organizer, entry=entry,
                                              completion_time=timedelta(minutes=rng.randint(120, 180)))
    _mark(rng, repair, entries, abilities)
    for sheet in Sheet.objects.filter(entry__skill=repair).order_by("pk"):
        services.sheet_sign_off(chief=chief, sheet_id=sheet.pk, confirmations={"J1": "复核后维持"})
    services.skill_decrypt(officer=encryptor, skill=repair)
    services.skill_transition(actor=organizer, skill=repair, target=Status.REVIEW)
    coached = next(e for e in entries if e.coaches.filter(person=coach).exists())
    services.objection_file(person=coach, entry_id=coached.pk,
                            text="我方选手的故障诊断结论与评分记录不一致，请复核 M1 模块的评分。")
    other = next(e for e in entries if e.pk != coached.pk)
    member = other.members.select_related("person").get().person
    answered = services.objection_file(person=member, entry_id=other.pk, text="请核对本人的完成用时记录。")
    services.objection_answer(chief=chief, objection=answered,
                              answer="经核对计时记录与监控录像，完成用时记录无误，维持原成绩。")

    entries = _entries(turning)
    _mark(rng, turning, entries, abilities, {"A1", "A2"})
    judged, divergent = entries[:-2], entries[2]
    _mark(rng, turning, [e for e in judged if e != divergent], abilities, {"J1"})
    aspect = turning.scheme.aspects.get(code="J1")
    panel = access.panel(access.skill_candidates(turning), divergent, aspect, access.member_ids_of(divergent), 3)
    for referee_id, value in zip(panel, DIVERGENT_SCORES, strict=True):
        services.mark_record(referee=User.objects.get(pk=cast(int, referee_id)), skill_id=turning.pk,
                             workstation_no=divergent.workstation_no, aspect_code="J1", value=value,
                             idempotency_key=UUID(int=rng.getrandbits(128), version=4))
    for sheet in Sheet.objects.filter(entry__in=entries[:3], module__code="M1").order_by("pk"):
        services.sheet_sign_off(chief=chief, sheet_id=sheet.pk)


def seed(rng: random.Random) -> list[DemoLogin]:
    if Event.objects.filter(name=EVENT_NAME).exists():
        return []
    organizer_unit = Organization.objects.get(name=ORGANIZER)
    organizer, encryptor, chief = (User.objects.get(username=n) for n in ("organizer", "encryptor", "chief"))
    referee, star, coach = (User.objects.get(username=n) for n in ("referee", "contestant", "coach"))
    certification_demo.catalogue_seed()  # the skills link to the catalogue's occupations
    linked = {o.code: o.id for o in occupations_all()}
    start = timezone.localdate() - timedelta(days=30)
    moment = timezone.now() - timedelta(days=30)

    event = services.event_create(actor=organizer, organizer=organizer_unit, data=services.EventData(
        name=EVENT_NAME, level=CompetitionLevel.PROVINCIAL_1, series="技能兴鲁", starts_on=start,
        ends_on=start + timedelta(days=2),
    ))
    welding = services.skill_create(actor=organizer, event=event, data=services.SkillData(
        name="焊工", occupation_code="6-18-02-04", group=Group.WORKER, min_age=18, max_age=55,
        occupation_id=linked["6-18-02-04"],
    ))
    electrician = services.skill_create(actor=organizer, event=event, data=services.SkillData(
        name="电工", occupation_code="6-31-01-03", group=Group.WORKER, min_age=18, max_age=55,
        occupation_id=linked["6-31-01-03"],
    ))
    repair = services.skill_create(actor=organizer, event=event, data=services.SkillData(
        name=REVIEW_SKILL, occupation_code="4-12-01-01", group=Group.WORKER, min_age=18, max_age=55,
        occupation_id=linked["4-12-01-01"],
    ))
    turning = services.skill_create(actor=organizer, event=event, data=services.SkillData(
        name=DIVERGENT_SKILL, occupation_code="6-18-01-01", group=Group.WORKER, min_age=18, max_age=55,
        occupation_id=linked["6-18-01-01"],
    ))
    services.scheme_save(actor=organizer, skill=welding, modules=_welding_scheme())
    services.scheme_save(actor=organizer, skill=electrician, modules=_electrician_scheme())
    services.scheme_save(actor=organizer, skill=repair, modules=_small_scheme("故障检测", "维修作业"))
    services.scheme_save(actor=organizer, skill=turning, modules=_small_scheme("零件尺寸", "加工工艺"))
    services.event_transition(actor=organizer, event=event, target=Status.REGISTRATION, now=moment - timedelta(30))

    units = [Organization.objects.get(name=n) for n in UNITS]
    abilities: dict[int, float] = {}
    for skill, prefix in ((welding, "weld"), (electrician, "elec")):
        for n in range(PER_SKILL):
            unit = units[n % len(units)]
            if skill == welding and n == 0:
                person, unit = star, Organization.objects.get(name="胶东海工装备有限公司")
            else:
                person = _person(rng, f"demo_{prefix}_{n:02d}", Role.CONTESTANT, unit)
            entry = services.entry_submit(
                actor=SYSTEM, skill=skill, unit=unit, members=[services.MemberData(person, Group.WORKER)],
                coaches=[coach] if person == star else [],
            )
            services.entry_approve(actor=organizer, entry=entry, reason="材料齐全")
            abilities[entry.pk] = rng.uniform(0.55, 0.97)
    # Their own random stream, derived from the state but not drawn from it, so 焊工 and 电工 stay as they were.
    small = random.Random(f"{rng.getstate()}-small")  # noqa: S311 - synthetic demo data
    for skill, prefix in ((repair, "car"), (turning, "cnc")):
        for n in range(SMALL_SKILL):
            unit = units[n % len(units)]
            person = _person(small, f"demo_{prefix}_{n:02d}", Role.CONTESTANT, unit)
            entry = services.entry_submit(
                actor=SYSTEM, skill=skill, unit=unit, members=[services.MemberData(person, Group.WORKER)],
                coaches=[coach] if skill == repair and unit.name == "胶东海工装备有限公司" else [],
            )
            services.entry_approve(actor=organizer, entry=entry, reason="材料齐全")
            abilities[entry.pk] = small.uniform(0.55, 0.97)

    services.event_transition(actor=organizer, event=event, target=Status.CHECK_IN, now=moment - timedelta(2))
    services.venue_create(actor=organizer, event=event, name="山东省公共实训基地", address="济南市历城区",
                          workstations={welding: [f"H{n:02d}" for n in range(1, 25)],
                                        electrician: [f"D{n:02d}" for n in range(1, 25)],
                                        repair: [f"Q{n:02d}" for n in range(1, 11)],
                                        turning: [f"C{n:02d}" for n in range(1, 11)]})
    referees = [referee] + [_person(rng, f"demo_referee_{n}", Role.REFEREE, Organization.objects.get(name=u))
                            for n, u in enumerate(REFEREE_UNITS, start=1)]
    for skill in (welding, electrician):
        services.draw_checkin(officer=encryptor, skill=skill, seed=f"{rng.getrandbits(64):016x}")
        services.draw_workstations(officer=encryptor, skill=skill, seed=f"{rng.getrandbits(64):016x}")
        services.referee_assign(actor=organizer, skill=skill, referee=chief, role=RefereeRole.CHIEF)
        for priority, person in enumerate(referees, start=1):
            services.referee_assign(actor=organizer, skill=skill, referee=person, priority=priority)
    chief2, referee2 = (User.objects.get(username=n) for n in ("chief2", "referee2"))
    for skill in (repair, turning):
        services.draw_checkin(officer=encryptor, skill=skill, seed=f"{small.getrandbits(64):016x}")
        services.draw_workstations(officer=encryptor, skill=skill, seed=f"{small.getrandbits(64):016x}")
        services.referee_assign(actor=organizer, skill=skill, referee=chief, role=RefereeRole.CHIEF)
        services.referee_assign(actor=organizer, skill=skill, referee=chief2, role=RefereeRole.CHIEF)
        for priority, person in enumerate([referee2, *referees[1:]], start=1):
            services.referee_assign(actor=organizer, skill=skill, referee=person, priority=priority)
    # 电工's measurement aspects need one referee each: two groups fit, and the platform places their blocks.
    services.marking_groups_form(actor=chief, skill=electrician, groups=[
        services.GroupData((referees[0].pk, referees[1].pk), "第一组"),
        services.GroupData(tuple(r.pk for r in referees[2:]), "第二组"),
    ])
    services.event_transition(actor=organizer, event=event, target=Status.COMPETING, now=moment)
    services.event_transition(actor=organizer, event=event, target=Status.MARKING, now=moment + timedelta(hours=5))

    welding_entries = list(Entry.objects.filter(skill=welding, status=EntryStatus.APPROVED).order_by("workstation_no"))
    for entry in welding_entries:
        services.entry_completion_time_record(actor=organizer, entry=entry,
                                              completion_time=timedelta(minutes=rng.randint(150, 240)))
    _mark(rng, welding, welding_entries, abilities)
    for sheet in Sheet.objects.filter(entry__skill=welding).order_by("pk"):
        services.sheet_sign_off(chief=chief, sheet_id=sheet.pk, confirmations={"J1": "复核后维持", "J2": "复核后维持"})
    services.skill_decrypt(officer=encryptor, skill=welding)
    review_start = moment + timedelta(days=1)
    services.skill_transition(actor=organizer, skill=welding, target=Status.REVIEW, now=review_start)
    services.skill_transition(actor=organizer, skill=welding, target=Status.PUBLISHED,
                              now=review_start + timedelta(days=8))

    electrician_entries = list(
        Entry.objects.filter(skill=electrician, status=EntryStatus.APPROVED).order_by("workstation_no")
    )
    _mark(rng, electrician, electrician_entries[: PER_SKILL // 2], abilities, {"E1", "E2"})
    _small_skills(small, repair, turning, abilities, chief=chief, encryptor=encryptor, organizer=organizer,
                  coach=coach)

    return [
        DemoLogin("organizer", "主办单位：竞赛管理、公布成绩", ORGANIZER),
        DemoLogin("encryptor", "加密裁判：抽签、解密", ORGANIZER),
        DemoLogin("chief", "裁判长：签字确认、更正", ORGANIZER),
        DemoLogin("chief2", "第二裁判长：汽车维修工、数控车工", ORGANIZER),
        DemoLogin("referee", "裁判员：电工评分中", "鲁中重型机械股份有限公司"),
        DemoLogin("referee2", "裁判员：数控车工评分中", "烟台市职业技能评价中心"),
        DemoLogin("contestant", "选手：焊工成绩已公布", "胶东海工装备有限公司"),
    ]
