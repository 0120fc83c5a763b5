"""The two checklists as pages, the API and exports read them: the whole form (`demand_form` / `supply_form`,
the same dataclasses the services take, so export → import is the identity), the checklist's header, and the
lists of checklists a reader may see (filtered by chain, city, status).

Contact data (the unit's contact person, phone, e-mail) is shown to everyone who may read the checklist: the unit
itself, organizer staff, the admin, and for a supply checklist its alliance's lead college; all of them are
entitled to it by the policy table (talentpool.permissions). The public face of a college's supply
(`SUPPLY_BROWSE`) never goes through these selectors.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from accounts.permissions import reach
from certification.models import Occupation
from talentpool.domain import checklists as d
from talentpool.models import (
    ChecklistStatus,
    DemandChecklist,
    DemandPost,
    DemandPostSkill,
    Education,
    IndustryChain,
    SupplyChecklist,
)
from talentpool.models.pool import City
from talentpool.permissions import Action


def vocabulary() -> d.Vocabulary:
    """The catalogue's occupation codes and the chains' codes: two queries."""
    return d.Vocabulary(occupations=frozenset(Occupation.objects.values_list("code", flat=True)),
                        chains=frozenset(IndustryChain.objects.values_list("code", flat=True)))


def occupation_names(codes: set[str] | None = None) -> dict[str, str]:
    queryset = Occupation.objects.all()
    if codes is not None:
        queryset = queryset.filter(code__in=codes)
    return dict(queryset.values_list("code", "name"))


def chain_choices() -> list[tuple[str, str]]:
    return list(IndustryChain.objects.order_by("position", "pk").values_list("code", "name"))


def occupation_choices() -> list[tuple[str, str]]:
    return [(code, f"{code} {name}") for code, name in Occupation.objects.order_by("code").values_list("code", "name")]


def _chains(checklist: DemandChecklist | SupplyChecklist) -> tuple[str, ...]:
    return tuple(sorted(c.code for c in checklist.chains.all()))


def demand_form(checklist: DemandChecklist) -> d.DemandForm:
    """The checklist as the form it was filed with: four queries whatever its size."""
    posts = list(checklist.posts.order_by("position").prefetch_related(
        Prefetch("skills", queryset=DemandPostSkill.objects.select_related("skill_point").order_by("pk"))))
    return d.DemandForm(
        enterprise_name=checklist.enterprise_name, nature=checklist.nature, city=checklist.city,
        contact_person=checklist.contact_person, contact_phone=checklist.contact_phone, chains=_chains(checklist),
        credit_code=checklist.credit_code, address=checklist.address, employees=checklist.employees,
        main_business=checklist.main_business, contact_title=checklist.contact_title,
        contact_email=checklist.contact_email,
        posts=tuple(d.PostForm(
            name=p.name, occupation_code=p.occupation_code, headcount=p.headcount,
            level=d.level_label(p.required_rung), city=p.city, occupation_name=p.occupation_name,
            education=p.education, years_experience=p.years_experience, salary=p.salary,
            description=p.description,
            skills=tuple(d.PostSkillForm(name=s.skill_point.name,
                                         level=d.level_label(s.required_rung) if s.required_rung else "",
                                         must_have=s.must_have) for s in p.skills.all()),
        ) for p in posts),
        training_needs=tuple(d.TrainingNeedForm(content=t.content, trainees=t.trainees, size=t.size,
                                                period=t.period, mode=t.mode)
                             for t in checklist.training_needs.order_by("position")),
        collaboration_needs=tuple(d.CollaborationNeedForm(problem=c.problem, goal=c.goal, form=c.form,
                                                          resources_wanted=c.resources_wanted)
                                  for c in checklist.collaboration_needs.order_by("position")),
    )


def supply_form(checklist: SupplyChecklist) -> d.SupplyForm:
    majors = list(checklist.majors.order_by("code"))
    code_of = {m.pk: m.code for m in majors}
    return d.SupplyForm(
        college_name=checklist.college_name, city=checklist.city, contact_person=checklist.contact_person,
        contact_phone=checklist.contact_phone, chains=_chains(checklist), contact_title=checklist.contact_title,
        contact_email=checklist.contact_email,
        majors=tuple(d.MajorForm(code=m.code, name=m.name, occupation_codes=tuple(m.occupation_codes or ()))
                     for m in majors),
        students=tuple(d.StudentForm(major_code=code_of[s.major_id], grade=s.grade, count=s.count)
                       for s in checklist.students.order_by("major__code", "grade")),
        graduates=tuple(d.GraduateForm(major_code=code_of[g.major_id], year=g.year, count=g.count,
                                       employed_in_province=g.employed_in_province,
                                       employer_types=g.employer_types, posts=g.posts)
                        for g in checklist.graduates.order_by("major__code", "year")),
        teachers=tuple(d.TeacherForm(major_code=code_of[t.major_id], full_time=t.full_time,
                                     senior_title=t.senior_title, part_time_industry=t.part_time_industry)
                       for t in checklist.teachers.order_by("major__code")),
        equipment=tuple(d.EquipmentForm(name=e.name, count=e.count, function=e.function,
                                        open_to_enterprises=e.open_to_enterprises, paid=e.paid,
                                        open_hours=e.open_hours)
                        for e in checklist.equipment.order_by("position")),
        research=tuple(d.ResearchForm(name=r.name, level=r.level, kind=r.kind, year=r.year, client=r.client,
                                      amount=r.amount, finished=r.finished)
                       for r in checklist.research.order_by("position")),
        ip=tuple(d.IpForm(kind=i.kind, name=i.name, number=i.number, year=i.year)
                 for i in checklist.ip.order_by("position")),
        courses=tuple(d.CourseForm(name=c.name, content=c.content, yearly_capacity=c.yearly_capacity, mode=c.mode,
                                   occupation_code=c.occupation_code)
                      for c in checklist.courses.order_by("position")),
        cases=tuple(d.CaseForm(title=c.title, description=c.description, partner=c.partner)
                    for c in checklist.cases.order_by("position")),
    )


@dataclass(frozen=True, slots=True)
class ChecklistRow:
    """One checklist in a list: its unit, year, status, city and chains, and its size."""

    id: int
    kind: str  # "demand" or "supply"
    unit_id: int
    unit_name: str
    year: int
    status: str
    status_label: str
    city: str
    city_label: str
    chains: list[str]
    size: int  # posts' head-count (demand) or majors (supply)
    updated_at: datetime
    submitted_at: datetime | None


@dataclass(frozen=True, slots=True)
class PostRow:
    id: int
    position: int
    name: str
    occupation_code: str
    occupation_name: str
    headcount: int
    level: str
    education: str
    years_experience: int
    city: str
    salary: str
    description: str
    skills: list[tuple[str, str, bool]]  # name, level label ("" when none), must-have
    matches_url: str


@dataclass(frozen=True, slots=True)
class ChecklistHeader:
    id: int
    unit_id: int
    year: int
    status: str
    status_label: str
    city_label: str
    chain_names: list[str]
    updated_at: datetime
    submitted_at: datetime | None


def _status_label(status: str) -> str:
    return str(ChecklistStatus(status).label)


def _city_label(city: str) -> str:
    return str(City(city).label) if city in City.values else city


def _filtered(queryset: QuerySet[Any], *, chain: str = "", city: str = "", status: str = "",
              year: int | None = None) -> QuerySet[Any]:
    if chain:
        queryset = queryset.filter(chains__code=chain)
    if city:
        queryset = queryset.filter(city=city)
    if status:
        queryset = queryset.filter(status=status)
    if year:
        queryset = queryset.filter(year=year)
    return queryset


def demand_checklist_list(user: Any, *, chain: str = "", city: str = "", status: str = "",
                          year: int | None = None, unit_id: int | None = None) -> list[ChecklistRow]:
    """The demand checklists `user` may read, newest year first: three queries."""
    allowed = reach(user, Action.DEMAND_VIEW)
    queryset = DemandChecklist.objects.all()
    if not allowed.everywhere:
        queryset = queryset.filter(enterprise_id__in=allowed.units)
    if unit_id is not None:
        queryset = queryset.filter(enterprise_id=unit_id)
    queryset = _filtered(queryset, chain=chain, city=city, status=status, year=year).distinct()
    rows = list(queryset.annotate(size=Sum("posts__headcount")).order_by("-year", "enterprise_name")[:500])
    chains = _chains_of(DemandChecklist.chains.through, "demandchecklist_id", [r.pk for r in rows])
    return [ChecklistRow(id=r.pk, kind="demand", unit_id=r.enterprise_id, unit_name=r.enterprise_name, year=r.year,
                         status=r.status, status_label=_status_label(r.status), city=r.city,
                         city_label=_city_label(r.city), chains=chains.get(r.pk, []), size=r.size or 0,
                         updated_at=r.updated_at, submitted_at=r.submitted_at) for r in rows]


def supply_checklist_list(user: Any, *, chain: str = "", city: str = "", status: str = "",
                          year: int | None = None, unit_id: int | None = None) -> list[ChecklistRow]:
    """The supply checklists `user` may read (an alliance's lead college: its members'), newest year first."""
    allowed = reach(user, Action.SUPPLY_VIEW)
    queryset = SupplyChecklist.objects.all()
    if not allowed.everywhere:
        queryset = queryset.filter(college_id__in=allowed.units)
    if unit_id is not None:
        queryset = queryset.filter(college_id=unit_id)
    queryset = _filtered(queryset, chain=chain, city=city, status=status, year=year).distinct()
    rows = list(queryset.annotate(size=Count("majors", distinct=True)).order_by("-year", "college_name")[:500])
    chains = _chains_of(SupplyChecklist.chains.through, "supplychecklist_id", [r.pk for r in rows])
    return [ChecklistRow(id=r.pk, kind="supply", unit_id=r.college_id, unit_name=r.college_name, year=r.year,
                         status=r.status, status_label=_status_label(r.status), city=r.city,
                         city_label=_city_label(r.city), chains=chains.get(r.pk, []), size=r.size or 0,
                         updated_at=r.updated_at, submitted_at=r.submitted_at) for r in rows]


def _chains_of(through: Any, column: str, ids: list[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = defaultdict(list)
    if not ids:
        return out
    for owner, name in (through.objects.filter(Q(**{f"{column}__in": ids}))
                        .order_by("industrychain__position").values_list(column, "industrychain__name")):
        out[owner].append(name)
    return out


def demand_header(checklist: DemandChecklist) -> ChecklistHeader:
    return ChecklistHeader(id=checklist.pk, unit_id=checklist.enterprise_id, year=checklist.year,
                           status=checklist.status, status_label=_status_label(checklist.status),
                           city_label=_city_label(checklist.city),
                           chain_names=[c.name for c in checklist.chains.order_by("position")],
                           updated_at=checklist.updated_at, submitted_at=checklist.submitted_at)


def supply_header(checklist: SupplyChecklist) -> ChecklistHeader:
    return ChecklistHeader(id=checklist.pk, unit_id=checklist.college_id, year=checklist.year,
                           status=checklist.status, status_label=_status_label(checklist.status),
                           city_label=_city_label(checklist.city),
                           chain_names=[c.name for c in checklist.chains.order_by("position")],
                           updated_at=checklist.updated_at, submitted_at=checklist.submitted_at)


def demand_post_rows(checklist: DemandChecklist) -> list[PostRow]:
    """The posts with their skill points (two queries), each linking to its matches page."""
    posts = checklist.posts.order_by("position").prefetch_related(
        Prefetch("skills", queryset=DemandPostSkill.objects.select_related("skill_point").order_by("pk")))
    return [PostRow(id=p.pk, position=p.position, name=p.name, occupation_code=p.occupation_code,
                    occupation_name=p.occupation_name, headcount=p.headcount, level=d.level_label(p.required_rung),
                    education=str(Education(p.education).label), years_experience=p.years_experience,
                    city=_city_label(p.city), salary=p.salary, description=p.description,
                    skills=[(s.skill_point.name, d.level_label(s.required_rung) if s.required_rung else "",
                             s.must_have) for s in p.skills.all()],
                    matches_url=f"/talentpool/posts/{p.pk}/matches/") for p in posts]


def demand_post_count(checklist: DemandChecklist) -> int:
    return DemandPost.objects.filter(checklist=checklist).count()


def chain_names() -> dict[str, str]:
    return dict(IndustryChain.objects.values_list("code", "name"))


def chains_by_name() -> dict[str, str]:
    """Chain names (and codes) → codes, for a workbook's 所属产业链 cell."""
    pairs = list(IndustryChain.objects.values_list("code", "name"))
    return {name: code for code, name in pairs} | {code: code for code, _ in pairs}


@dataclass(frozen=True, slots=True)
class DemandChecklistDetail:
    """A demand checklist as the API answers it: its header and the whole form (the PUT body's shape)."""

    id: int
    enterprise_id: int
    year: int
    status: str
    updated_at: datetime
    submitted_at: datetime | None
    post_ids: list[int]  # the posts' ids in form order (their matches: /api/v1/talentpool/posts/{post_id}/matches)
    form: d.DemandForm


@dataclass(frozen=True, slots=True)
class SupplyChecklistDetail:
    id: int
    college_id: int
    year: int
    status: str
    updated_at: datetime
    submitted_at: datetime | None
    form: d.SupplyForm


def demand_detail(checklist: DemandChecklist) -> DemandChecklistDetail:
    return DemandChecklistDetail(
        id=checklist.pk, enterprise_id=checklist.enterprise_id, year=checklist.year, status=checklist.status,
        updated_at=checklist.updated_at, submitted_at=checklist.submitted_at,
        post_ids=list(checklist.posts.order_by("position").values_list("pk", flat=True)),
        form=demand_form(checklist))


def supply_detail(checklist: SupplyChecklist) -> SupplyChecklistDetail:
    return SupplyChecklistDetail(id=checklist.pk, college_id=checklist.college_id, year=checklist.year,
                                 status=checklist.status, updated_at=checklist.updated_at,
                                 submitted_at=checklist.submitted_at, form=supply_form(checklist))
