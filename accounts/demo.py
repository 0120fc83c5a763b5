"""Demo province for `manage.py seed_demo`: units, an alliance, and one person per role (password demo-2026).

Every write goes through the services, so the demo data has its audit trail like real data. Safe to run twice:
what exists (by unit name, alliance name, username) is kept as it is.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.utils import timezone

from accounts import services
from accounts.actors import SYSTEM
from accounts.models import Alliance, AllianceKind, Membership, Organization, OrganizationKind, Role, User
from accounts.synthetic import synthetic_birth, synthetic_id_number, synthetic_mobile

DEMO_PASSWORD = "demo-2026"  # noqa: S105 - published demo password, printed by seed_demo

K = OrganizationKind
UNITS: list[tuple[str, str, OrganizationKind, str]] = [
    ("山东省人力资源和社会保障厅", "省人社厅", K.ORGANIZER, "济南市"),
    ("济南市人力资源和社会保障局", "济南市人社局", K.ORGANIZER, "济南市"),
    ("鲁中重型机械股份有限公司", "鲁中重机", K.ENTERPRISE, "济南市"),
    ("胶东海工装备有限公司", "胶东海工", K.ENTERPRISE, "青岛市"),
    ("潍坊新能源动力有限公司", "潍坊新能源", K.ENTERPRISE, "潍坊市"),
    ("山东工业技师学院", "工业技师学院", K.COLLEGE, "淄博市"),
    ("青岛海洋职业技术学院", "海洋职院", K.COLLEGE, "青岛市"),
    ("山东省职业技能评价中心第一考核站", "第一考核站", K.EXAM_CENTER, "济南市"),
    ("烟台市职业技能评价中心", "烟台评价中心", K.EXAM_CENTER, "烟台市"),
]
ALLIANCE = ("山东省技工教育联盟", AllianceKind.ALLIANCE, "山东工业技师学院")
ALLIANCE_MEMBERS = ["青岛海洋职业技术学院", "鲁中重型机械股份有限公司", "胶东海工装备有限公司"]

# username, real name, role, unit (None for the platform admin), male
PEOPLE: list[tuple[str, str, Role, str | None, bool]] = [
    ("admin", "管理员", Role.PLATFORM_ADMIN, None, True),
    ("organizer", "孙振华", Role.ORGANIZER_STAFF, "山东省人力资源和社会保障厅", True),
    ("encryptor", "林晓梅", Role.ENCRYPTION_OFFICER, "山东省人力资源和社会保障厅", False),
    ("chief", "高建国", Role.CHIEF_REFEREE, "山东省人力资源和社会保障厅", True),
    ("supervisor", "韩立平", Role.SUPERVISOR, "山东省人力资源和社会保障厅", True),
    ("referee", "郑海波", Role.REFEREE, "鲁中重型机械股份有限公司", True),
    ("contestant", "王志强", Role.CONTESTANT, "胶东海工装备有限公司", True),
    ("coach", "刘德明", Role.COACH, "胶东海工装备有限公司", True),
    ("examcenter", "赵静", Role.EXAM_CENTER_STAFF, "山东省职业技能评价中心第一考核站", False),
    ("chiefassessor", "周立新", Role.CHIEF_ASSESSOR, "山东省职业技能评价中心第一考核站", True),
    ("assessor", "吴文涛", Role.ASSESSOR, "山东省职业技能评价中心第一考核站", True),
    ("candidate", "陈雪", Role.CANDIDATE, "潍坊新能源动力有限公司", False),
    ("enterprise", "杨丽娟", Role.ENTERPRISE_HR, "鲁中重型机械股份有限公司", False),
    ("college", "马玉兰", Role.COLLEGE_STAFF, "山东工业技师学院", False),
    # Last, so the people above keep their synthetic data: a second chief referee and a second referee.
    ("chief2", "孟庆华", Role.CHIEF_REFEREE, "山东省人力资源和社会保障厅", False),
    ("referee2", "李春燕", Role.REFEREE, "烟台市职业技能评价中心", False),
    # An invigilator (监考员) of the exam center's batches: qualified as an assessor, which also lets them check
    # admission tickets at the door (certification.permissions TICKET_VERIFY).
    ("invigilator", "钱晓燕", Role.ASSESSOR, "山东省职业技能评价中心第一考核站", False),
]


@dataclass(frozen=True, slots=True)
class DemoLogin:
    username: str
    role: str
    unit: str


def _unit(name: str) -> Organization:
    return Organization.objects.get(name=name)


def seed(rng: random.Random) -> list[DemoLogin]:
    for name, short, kind, city in UNITS:
        if not Organization.objects.filter(name=name).exists():
            services.organization_create(actor=SYSTEM, name=name, kind=kind, city=city, short_name=short)
    alliance_name, alliance_kind, lead = ALLIANCE
    alliance = Alliance.objects.filter(name=alliance_name).first()
    if alliance is None:
        alliance = services.alliance_create(actor=SYSTEM, name=alliance_name, kind=alliance_kind, lead=_unit(lead))
    for member in ALLIANCE_MEMBERS:
        services.alliance_member_add(actor=SYSTEM, alliance=alliance, organization=_unit(member))

    today = timezone.localdate()
    logins = []
    for username, real_name, role, unit_name, male in PEOPLE:
        user = User.objects.filter(username=username).first()
        if user is None:
            born = synthetic_birth(rng, youngest=24, oldest=55, today=today)
            user = services.person_create(
                actor=SYSTEM, username=username, password=DEMO_PASSWORD,
                data=services.PersonData(
                    real_name=real_name, id_number=synthetic_id_number(rng, born=born, male=male),
                    mobile=synthetic_mobile(rng), email=f"{username}@demo.jineng.example",
                ),
            )
            if role == Role.PLATFORM_ADMIN:
                services.person_make_superuser(actor=SYSTEM, user=user)
        unit = _unit(unit_name) if unit_name else None
        if not Membership.objects.filter(user=user, role=role, organization=unit).exists():
            services.membership_grant(actor=SYSTEM, user=user, role=role, organization=unit)
        logins.append(DemoLogin(username, str(role.label), unit_name or "—"))
    return logins
