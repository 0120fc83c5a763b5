"""Steps of the matchmaking, challenge, equipment and dashboard tests: submitted checklists written as rows
(the checklist services are another part's, tested there), colleges and their staff."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from accounts.models import Organization, OrganizationKind, Role, User
from talentpool.models import (
    CaseStudy,
    ChecklistStatus,
    City,
    CollaborationForm,
    CollaborationNeed,
    DemandChecklist,
    DemandPost,
    EnterpriseNature,
    Equipment,
    GraduateRecord,
    IndustryChain,
    ResearchLevel,
    ResearchProject,
    SupplyChecklist,
    SupplyMajor,
    TrainingCourse,
    TrainingMode,
)
from tests.accounts.factories import OrganizationFactory, UserFactory, person

WELDER = ("6-18-02-04", "焊工")
FITTER = ("6-20-01-01", "装配钳工")


def chain(code: str = "high-end-equipment") -> IndustryChain:
    return IndustryChain.objects.get(code=code)


def college(name: str, city: str = "淄博市") -> Organization:
    return OrganizationFactory(name=name, kind=OrganizationKind.COLLEGE, city=city)


def staff_of(unit: Organization, username: str) -> User:
    return person(Role.COLLEGE_STAFF, unit, username=username)


def demand(enterprise: Organization, *, posts: list[tuple[tuple[str, str], int, str]],
           chains: list[IndustryChain] | None = None, city: str = City.JINAN, year: int | None = None,
           submitted: bool = True) -> DemandChecklist:
    """A demand checklist with posts given as ((code, name), head-count, city)."""
    checklist = DemandChecklist.objects.create(
        enterprise=enterprise, year=year or timezone.localdate().year,
        status=ChecklistStatus.SUBMITTED if submitted else ChecklistStatus.DRAFT, enterprise_name=enterprise.name,
        nature=EnterpriseNature.CHAIN_LEADER, city=city, contact_person="王经理", contact_phone="13800000000",
        created_by=UserFactory())
    checklist.chains.set(chains if chains is not None else [chain()])
    for position, ((code, name), headcount, post_city) in enumerate(posts, start=1):
        DemandPost.objects.create(checklist=checklist, position=position, name=name, occupation_code=code,
                                  occupation_name=name, headcount=headcount, required_rung=3, city=post_city)
    return checklist


def need(checklist: DemandChecklist, problem: str = "大型结构件焊接变形控制") -> CollaborationNeed:
    return CollaborationNeed.objects.create(checklist=checklist, position=1, problem=problem, goal="变形小于 2mm",
                                            form=CollaborationForm.JOINT_PROJECT)


def supply(unit: Organization, *, majors: list[tuple[str, str, list[str], dict[int, int]]],
           chains: list[IndustryChain] | None = None, city: str = City.ZIBO, submitted: bool = True,
           equipment: list[tuple[str, str, bool, bool]] = (), research: list[str] = (),  # type: ignore[assignment]
           cases: list[str] = (), courses: int = 0) -> SupplyChecklist:  # type: ignore[assignment]
    """A supply checklist: majors as (code, name, occupation codes, {graduation year: graduates}); equipment as
    (name, function, open to enterprises, paid)."""
    checklist = SupplyChecklist.objects.create(
        college=unit, year=timezone.localdate().year,
        status=ChecklistStatus.SUBMITTED if submitted else ChecklistStatus.DRAFT, college_name=unit.name,
        city=city, contact_person="李老师", contact_phone="13900000000", created_by=UserFactory())
    checklist.chains.set(chains if chains is not None else [chain()])
    for code, name, codes, graduates in majors:
        major = SupplyMajor.objects.create(checklist=checklist, code=code, name=name, occupation_codes=codes)
        for year, count in graduates.items():
            GraduateRecord.objects.create(checklist=checklist, major=major, year=year, count=count)
    for position, (name, function, open_, paid) in enumerate(equipment, start=1):
        Equipment.objects.create(checklist=checklist, position=position, name=name, count=1, function=function,
                                 open_to_enterprises=open_, paid=paid, open_hours="工作日")
    for position, name in enumerate(research, start=1):
        ResearchProject.objects.create(checklist=checklist, position=position, name=name, kind="横向",
                                       level=ResearchLevel.choices[0][0], year=timezone.localdate().year)
    for position, title in enumerate(cases, start=1):
        CaseStudy.objects.create(checklist=checklist, position=position, title=title, description=title)
    for position in range(1, courses + 1):
        TrainingCourse.objects.create(checklist=checklist, position=position, name=f"课程{position}", content="-",
                                      yearly_capacity=50, mode=TrainingMode.OFFLINE)
    return checklist


def this_year() -> int:
    return timezone.localdate().year


def in_days(n: int) -> date:
    return timezone.localdate() + timedelta(days=n)
