"""Filing the two checklists: save (create or replace the whole content) and submit (报送).

`demand_checklist_save` / `supply_checklist_save` validate the form against the catalogue and the chains
(talentpool.domain.checklists: every problem, each naming its field), then write the parent and every child row
in one transaction, audit the change with a summary old → new and the reason, and bump the pool version so the
matching index knows it is stale. Any error refuses the whole form (`ValidationFailed`) and writes nothing. A
submitted checklist may still be corrected: it stays submitted, the correction audited.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.actors import Actor
from accounts.models import Organization, OrganizationKind, User
from accounts.permissions import require
from audit.services import audit_record
from core.errors import Conflict, FieldError, ImportFailed, NotFound, ValidationFailed
from talentpool.domain import checklists as d
from talentpool.excel import checklists as excel
from talentpool.models import (
    CaseStudy,
    ChecklistStatus,
    CollaborationNeed,
    DemandChecklist,
    DemandPost,
    DemandPostSkill,
    Equipment,
    GraduateRecord,
    IndustryChain,
    IntellectualProperty,
    PoolVersion,
    ResearchProject,
    SkillPoint,
    StudentCount,
    SupplyChecklist,
    SupplyMajor,
    TeacherCount,
    TrainingCourse,
    TrainingNeed,
)
from talentpool.permissions import Action
from talentpool.selectors import checklists as selectors


def _user(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) else None


def _check_unit(unit: Organization, kind: OrganizationKind) -> None:
    if unit.kind != kind:
        raise NotFound("checklist.unit_kind")


def _refuse(errors: list[FieldError]) -> None:
    if errors:
        raise ValidationFailed(errors)


def skill_points_for(names: set[str]) -> dict[str, SkillPoint]:
    """The skill points of these names (normalised, `skill_key`), made where missing: three queries at most."""
    keys = {d.skill_key(n) for n in names if d.skill_key(n)}
    found = {p.name: p for p in SkillPoint.objects.filter(name__in=keys)}
    missing = keys - found.keys()
    if missing:
        SkillPoint.objects.bulk_create([SkillPoint(name=k) for k in sorted(missing)], ignore_conflicts=True)
        found |= {p.name: p for p in SkillPoint.objects.filter(name__in=missing)}
    return found


@transaction.atomic(durable=True)
def demand_checklist_save(*, actor: Actor, enterprise: Organization, year: int, form: d.DemandForm,
                          reason: str = "") -> DemandChecklist:
    """Create or replace the enterprise's demand checklist of `year` with `form`."""
    require(actor, Action.DEMAND_MANAGE, enterprise)
    _check_unit(enterprise, OrganizationKind.ENTERPRISE)
    _refuse(d.validate_demand(form, year=year, this_year=timezone.localdate().year,
                              vocabulary=selectors.vocabulary()))
    return _write_demand(actor=actor, enterprise=enterprise, year=year, form=form, reason=reason)


def _write_demand(*, actor: Actor, enterprise: Organization, year: int, form: d.DemandForm,
                  reason: str) -> DemandChecklist:
    """The writing half of the save, inside the caller's transaction, for an already validated form."""
    now = timezone.now()
    checklist = DemandChecklist.objects.select_for_update().filter(enterprise=enterprise, year=year).first()
    old: dict[str, Any] | None = None
    facts = {"enterprise_name": form.enterprise_name.strip(), "credit_code": form.credit_code, "nature": form.nature,
             "city": form.city, "address": form.address, "employees": form.employees,
             "main_business": form.main_business, "contact_person": form.contact_person.strip(),
             "contact_title": form.contact_title, "contact_phone": form.contact_phone.strip(),
             "contact_email": form.contact_email.strip(), "updated_at": now}
    if checklist is None:
        checklist = DemandChecklist.objects.create(enterprise=enterprise, year=year, created_by=_user(actor),
                                                   created_at=now, **facts)
    else:
        old = d.demand_summary(selectors.demand_form(checklist))
        for name, value in facts.items():
            setattr(checklist, name, value)
        checklist.save()
        checklist.posts.all().delete()
        checklist.training_needs.all().delete()
        checklist.collaboration_needs.all().delete()
    checklist.chains.set(IndustryChain.objects.filter(code__in=form.chains))
    names = selectors.occupation_names({p.occupation_code for p in form.posts})
    posts = DemandPost.objects.bulk_create([
        DemandPost(checklist=checklist, position=i + 1, name=p.name.strip(), occupation_code=p.occupation_code,
                   occupation_name=p.occupation_name.strip() or names.get(p.occupation_code, ""),
                   headcount=p.headcount, required_rung=d.rung_of(p.level) or 1, education=p.education,
                   years_experience=p.years_experience, city=p.city, salary=p.salary, description=p.description)
        for i, p in enumerate(form.posts)])
    points = skill_points_for({s.name for p in form.posts for s in p.skills})
    DemandPostSkill.objects.bulk_create([
        DemandPostSkill(post=post, skill_point=points[d.skill_key(s.name)], required_rung=d.rung_of(s.level),
                        must_have=s.must_have)
        for post, p in zip(posts, form.posts, strict=True) for s in p.skills], batch_size=2000)
    TrainingNeed.objects.bulk_create([
        TrainingNeed(checklist=checklist, position=i + 1, content=t.content, trainees=t.trainees, size=t.size,
                     period=t.period, mode=t.mode) for i, t in enumerate(form.training_needs)])
    CollaborationNeed.objects.bulk_create([
        CollaborationNeed(checklist=checklist, position=i + 1, problem=c.problem, goal=c.goal,
                          resources_wanted=c.resources_wanted, form=c.form)
        for i, c in enumerate(form.collaboration_needs)])
    audit_record(actor=actor, action="talentpool.demand_checklist.saved", target=checklist, old=old,
                 new=d.demand_summary(form), reason=reason)
    PoolVersion.bump()
    return checklist


@transaction.atomic(durable=True)
def demand_checklist_submit(*, actor: Actor, checklist: DemandChecklist, reason: str = "") -> DemandChecklist:
    """报送: the draft becomes what organizers count and matching reads."""
    require(actor, Action.DEMAND_MANAGE, checklist)
    checklist = DemandChecklist.objects.select_for_update().get(pk=checklist.pk)
    if checklist.status == ChecklistStatus.SUBMITTED:
        raise Conflict("checklist.submitted_already")
    if not checklist.posts.exists():
        raise ValidationFailed([FieldError("posts", "demand.no_post", label=d.label_of("posts"))])
    checklist.status, checklist.submitted_at = ChecklistStatus.SUBMITTED, timezone.now()
    checklist.save(update_fields=["status", "submitted_at"])
    audit_record(actor=actor, action="talentpool.demand_checklist.submitted", target=checklist,
                 old={"status": ChecklistStatus.DRAFT}, new={"status": ChecklistStatus.SUBMITTED}, reason=reason)
    PoolVersion.bump()
    return checklist


@transaction.atomic(durable=True)
def supply_checklist_save(*, actor: Actor, college: Organization, year: int, form: d.SupplyForm,
                          reason: str = "") -> SupplyChecklist:
    """Create or replace the college's supply checklist of `year` with `form`."""
    require(actor, Action.SUPPLY_MANAGE, college)
    _check_unit(college, OrganizationKind.COLLEGE)
    _refuse(d.validate_supply(form, year=year, this_year=timezone.localdate().year,
                              vocabulary=selectors.vocabulary()))
    return _write_supply(actor=actor, college=college, year=year, form=form, reason=reason)


def _write_supply(*, actor: Actor, college: Organization, year: int, form: d.SupplyForm,
                  reason: str) -> SupplyChecklist:
    now = timezone.now()
    checklist = SupplyChecklist.objects.select_for_update().filter(college=college, year=year).first()
    old: dict[str, Any] | None = None
    facts = {"college_name": form.college_name.strip(), "city": form.city,
             "contact_person": form.contact_person.strip(), "contact_title": form.contact_title,
             "contact_phone": form.contact_phone.strip(), "contact_email": form.contact_email.strip(),
             "updated_at": now}
    if checklist is None:
        checklist = SupplyChecklist.objects.create(college=college, year=year, created_by=_user(actor),
                                                   created_at=now, **facts)
    else:
        old = d.supply_summary(selectors.supply_form(checklist))
        for name, value in facts.items():
            setattr(checklist, name, value)
        checklist.save()
        for related in (checklist.students, checklist.graduates, checklist.teachers, checklist.majors,
                        checklist.equipment, checklist.research, checklist.ip, checklist.courses, checklist.cases):
            related.all().delete()
    checklist.chains.set(IndustryChain.objects.filter(code__in=form.chains))
    majors = SupplyMajor.objects.bulk_create([
        SupplyMajor(checklist=checklist, code=m.code.strip(), name=m.name.strip(),
                    occupation_codes=list(m.occupation_codes)) for m in form.majors])
    major = {m.code: m for m in majors}
    StudentCount.objects.bulk_create([
        StudentCount(checklist=checklist, major=major[s.major_code], grade=s.grade, count=s.count)
        for s in form.students])
    GraduateRecord.objects.bulk_create([
        GraduateRecord(checklist=checklist, major=major[g.major_code], year=g.year, count=g.count,
                       employed_in_province=g.employed_in_province, employer_types=g.employer_types, posts=g.posts)
        for g in form.graduates])
    TeacherCount.objects.bulk_create([
        TeacherCount(checklist=checklist, major=major[t.major_code], full_time=t.full_time,
                     senior_title=t.senior_title, part_time_industry=t.part_time_industry) for t in form.teachers])
    Equipment.objects.bulk_create([
        Equipment(checklist=checklist, position=i + 1, name=e.name, count=e.count, function=e.function,
                  open_to_enterprises=e.open_to_enterprises, paid=e.paid, open_hours=e.open_hours)
        for i, e in enumerate(form.equipment)])
    ResearchProject.objects.bulk_create([
        ResearchProject(checklist=checklist, position=i + 1, name=r.name, level=r.level, kind=r.kind,
                        client=r.client, amount=r.amount, year=r.year, finished=r.finished)
        for i, r in enumerate(form.research)])
    IntellectualProperty.objects.bulk_create([
        IntellectualProperty(checklist=checklist, position=i + 1, kind=x.kind, name=x.name, number=x.number,
                             year=x.year) for i, x in enumerate(form.ip)])
    TrainingCourse.objects.bulk_create([
        TrainingCourse(checklist=checklist, position=i + 1, name=c.name, content=c.content,
                       occupation_code=c.occupation_code, yearly_capacity=c.yearly_capacity, mode=c.mode)
        for i, c in enumerate(form.courses)])
    CaseStudy.objects.bulk_create([
        CaseStudy(checklist=checklist, position=i + 1, title=c.title, partner=c.partner, description=c.description)
        for i, c in enumerate(form.cases)])
    audit_record(actor=actor, action="talentpool.supply_checklist.saved", target=checklist, old=old,
                 new=d.supply_summary(form), reason=reason)
    PoolVersion.bump()
    return checklist


@transaction.atomic(durable=True)
def supply_checklist_submit(*, actor: Actor, checklist: SupplyChecklist, reason: str = "") -> SupplyChecklist:
    require(actor, Action.SUPPLY_MANAGE, checklist)
    checklist = SupplyChecklist.objects.select_for_update().get(pk=checklist.pk)
    if checklist.status == ChecklistStatus.SUBMITTED:
        raise Conflict("checklist.submitted_already")
    checklist.status, checklist.submitted_at = ChecklistStatus.SUBMITTED, timezone.now()
    checklist.save(update_fields=["status", "submitted_at"])
    audit_record(actor=actor, action="talentpool.supply_checklist.submitted", target=checklist,
                 old={"status": ChecklistStatus.DRAFT}, new={"status": ChecklistStatus.SUBMITTED}, reason=reason)
    PoolVersion.bump()
    return checklist


def demand_checklist_problems(*, year: int, form: d.DemandForm) -> list[FieldError]:
    """What the save would refuse, without writing (pages and imports report these with their own errors)."""
    return d.validate_demand(form, year=year, this_year=timezone.localdate().year, vocabulary=selectors.vocabulary())


def supply_checklist_problems(*, year: int, form: d.SupplyForm) -> list[FieldError]:
    return d.validate_supply(form, year=year, this_year=timezone.localdate().year, vocabulary=selectors.vocabulary())


def demand_checklist_import(*, actor: Actor, enterprise: Organization, data: bytes,
                            reason: str = "") -> DemandChecklist:
    """A filled demand workbook saved as the enterprise's checklist of the year it states; ImportFailed naming
    every bad cell (format, rules, catalogue, chains) and nothing saved otherwise."""
    require(actor, Action.DEMAND_MANAGE, enterprise)
    _check_unit(enterprise, OrganizationKind.ENTERPRISE)
    imported = excel.read_demand(data, selectors.chains_by_name())
    problems = demand_checklist_problems(year=imported.year, form=imported.form)
    errors = excel.cell_errors(imported, problems)
    if errors:
        raise ImportFailed(errors)
    return demand_checklist_save(actor=actor, enterprise=enterprise, year=imported.year, form=imported.form,
                                 reason=reason or "Excel 导入")


def supply_checklist_import(*, actor: Actor, college: Organization, data: bytes, reason: str = "") -> SupplyChecklist:
    require(actor, Action.SUPPLY_MANAGE, college)
    _check_unit(college, OrganizationKind.COLLEGE)
    imported = excel.read_supply(data, selectors.chains_by_name())
    problems = supply_checklist_problems(year=imported.year, form=imported.form)
    errors = excel.cell_errors(imported, problems)
    if errors:
        raise ImportFailed(errors)
    return supply_checklist_save(actor=actor, college=college, year=imported.year, form=imported.form,
                                 reason=reason or "Excel 导入")
