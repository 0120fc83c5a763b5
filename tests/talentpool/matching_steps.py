"""Steps of the matching read tests: talents, a demand post and a college's supply, written as rows directly
(the services that file them are tested on their own), each write bumping the pool version as the services do."""

from __future__ import annotations

from django.utils import timezone

from accounts.models import Organization, OrganizationKind, User
from talentpool.models import (
    AwardKind,
    CaseStudy,
    ChecklistStatus,
    City,
    CollaborationForm,
    CollaborationNeed,
    DemandChecklist,
    DemandPost,
    DemandPostSkill,
    EnterpriseNature,
    Equipment,
    GraduateRecord,
    PoolVersion,
    ResearchLevel,
    ResearchProject,
    SkillPoint,
    SupplyChecklist,
    SupplyMajor,
    Talent,
    TalentHolding,
    TalentSkill,
    TrainingCourse,
    TrainingMode,
    TrainingNeed,
)
from tests.accounts.factories import OrganizationFactory, UserFactory

WELDER, WELDER_NAME = "6-18-02-04", "焊工"


def skill(name: str) -> SkillPoint:
    return SkillPoint.objects.get_or_create(name=name, defaults={"occupation_code": WELDER})[0]


def talent(name: str, *, rung: int, award: AwardKind = AwardKind.NONE, city: str = City.JINAN,
           occupation: tuple[str, str] = (WELDER, WELDER_NAME), skills: tuple[str, ...] = (), years: int | None = 5,
           open_to_offers: bool = True, phone: str = "13912345678", email: str = "") -> Talent:
    person = UserFactory(real_name=name)
    t = Talent.objects.create(person=person, city=city, years_experience=years, open_to_offers=open_to_offers,
                              best_award=award, contact_phone=phone,
                              contact_email=email or f"{person.username}@example.com")
    TalentHolding.objects.create(talent=t, occupation_code=occupation[0], occupation_name=occupation[1], rung=rung)
    for s in skills:
        TalentSkill.objects.create(talent=t, skill_point=skill(s))
    PoolVersion.bump()
    return t


def welders() -> list[Talent]:
    """Five welders of 济南 for a 二级/技师 welder post (rung 5): they differ by level and award only; the fifth,
    a 三级 welder with a city medal, would be third one level higher (tests/talentpool/test_matching.py)."""
    return [
        talent("王大力", rung=5, award=AwardKind.NATIONAL_MEDAL),
        talent("李焊花", rung=5, award=AwardKind.PROVINCIAL_MEDAL),
        talent("张铁", rung=5),
        talent("赵钢", rung=4, award=AwardKind.TITLE),
        talent("孙小焊", rung=4, award=AwardKind.CITY_MEDAL),
    ]


def demand_post(enterprise: Organization, by: User, *, skills: tuple[tuple[str, bool], ...] = (),
                required_rung: int = 5, city: str = City.JINAN, weights: dict[str, float] | None = None) -> DemandPost:
    checklist, _ = DemandChecklist.objects.get_or_create(
        enterprise=enterprise, year=2026, defaults=dict(
            enterprise_name=enterprise.name, nature=EnterpriseNature.SPECIALISED, city=city,
            contact_person="刘经理", contact_phone="0531-88886666", created_by=by))
    post = DemandPost.objects.create(
        checklist=checklist, position=checklist.posts.count() + 1, name="焊接机器人操作工", occupation_code=WELDER,
        occupation_name=WELDER_NAME, headcount=3, required_rung=required_rung, city=city, weights=weights)
    for name, must in skills:
        DemandPostSkill.objects.create(post=post, skill_point=skill(name), must_have=must)
    PoolVersion.bump()
    return post


def college_supply(name: str, *, occupations: list[str], graduates: int, posts: str,
                   status: ChecklistStatus = ChecklistStatus.SUBMITTED, by: User | None = None) -> SupplyChecklist:
    college = OrganizationFactory(name=name, kind=OrganizationKind.COLLEGE)
    checklist = SupplyChecklist.objects.create(
        college=college, year=2026, status=status, college_name=name, city=City.JINAN, contact_person="陈老师",
        contact_phone="0531-66668888", created_by=by or UserFactory())
    major = SupplyMajor.objects.create(checklist=checklist, code="660104", name="智能焊接技术",
                                       occupation_codes=occupations)
    GraduateRecord.objects.create(checklist=checklist, major=major, year=timezone.localdate().year - 1, count=graduates,
                                  posts=posts)
    PoolVersion.bump()
    return checklist


def needs(checklist: DemandChecklist) -> None:
    """Two training needs and two collaboration needs, as an enterprise writes them."""
    TrainingNeed.objects.create(checklist=checklist, position=1, content="焊接机械手示教编程，调焊接电流电压",
                                trainees="焊工", size=20, period="两周", mode=TrainingMode.OFFLINE)
    TrainingNeed.objects.create(checklist=checklist, position=2, content="西门子1200 PLC编程和博途调试",
                                trainees="车间电工", size=10, period="一周", mode=TrainingMode.MIXED)
    CollaborationNeed.objects.create(checklist=checklist, position=1, problem="厚板焊完变形大，矫正很费工",
                                     goal="预测和控制焊接变形", form=CollaborationForm.JOINT_PROJECT)
    CollaborationNeed.objects.create(checklist=checklist, position=2, problem="要做涂层耐腐蚀的盐雾试验",
                                     goal="厂里没有试验箱，想借用", form=CollaborationForm.OTHER)
    PoolVersion.bump()


def offers(checklist: SupplyChecklist) -> None:
    """A college's courses, research, equipment (one open, one not) and a case."""
    TrainingCourse.objects.create(checklist=checklist, position=1, name="焊接机器人操作与编程",
                                  content="示教器操作、焊接程序编写、焊接参数优化", yearly_capacity=200,
                                  mode=TrainingMode.OFFLINE)
    TrainingCourse.objects.create(checklist=checklist, position=2, name="可编程控制器应用",
                                  content="西门子S7-1200 PLC编程、TIA Portal博途", yearly_capacity=100,
                                  mode=TrainingMode.OFFLINE)
    ResearchProject.objects.create(checklist=checklist, position=1, name="中厚板焊接残余变形数值模拟与控制方法研究",
                                   level=ResearchLevel.PROVINCIAL, kind="应用研究", year=2025)
    Equipment.objects.create(checklist=checklist, position=1, name="中性盐雾腐蚀试验箱", count=2,
                             function="涂镀层耐蚀性能测试", open_to_enterprises=True)
    Equipment.objects.create(checklist=checklist, position=2, name="盐雾试验箱（教学专用）", count=1,
                             function="涂层耐腐蚀盐雾试验教学", open_to_enterprises=False)
    CaseStudy.objects.create(checklist=checklist, position=1, title="车间设备联网与MES建设",
                             description="协助机械加工企业建设设备联网、数据采集与MES系统")
    PoolVersion.bump()
