"""Filing the checklists (talentpool.services.checklists): rows, audit, pool version, nothing written on error,
and who may file and read (talentpool.access)."""

from __future__ import annotations

import pytest

from accounts.actors import SYSTEM
from accounts.models import Alliance, AllianceMember, Organization, OrganizationKind, Role, User
from audit.models import AuditEntry
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from talentpool import access
from talentpool.models import (
    ChecklistStatus,
    DemandChecklist,
    DemandPost,
    DemandPostSkill,
    PoolVersion,
    SupplyChecklist,
    TeacherCount,
)
from talentpool.permissions import Action
from talentpool.selectors import checklists as selectors
from talentpool.services import checklists as services
from tests.accounts.factories import OrganizationFactory, person
from tests.certification.factories import occupation
from tests.talentpool.checklist_forms import TURNER, WELDER, demand_form, supply_form

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _catalogue(db: None) -> None:
    occupation(WELDER, "焊工")
    occupation(TURNER, "车工")


@pytest.fixture
def college(db: None) -> Organization:
    return OrganizationFactory(name="乙学院", kind=OrganizationKind.COLLEGE, city="淄博市")


@pytest.fixture
def college_staff(college: Organization) -> User:
    return person(Role.COLLEGE_STAFF, college)


def test_hr_files_a_demand_checklist_with_every_row_audited(hr_of_a: User, enterprise_a: Organization) -> None:
    before = PoolVersion.objects.get(pk=1).number
    checklist = services.demand_checklist_save(actor=hr_of_a, enterprise=enterprise_a, year=2026,
                                               form=demand_form(), reason="首次填报")
    post = DemandPost.objects.get(checklist=checklist)
    assert (post.name, post.occupation_name, post.required_rung, post.headcount) == ("焊接工", "焊工", 3, 5)
    assert sorted(DemandPostSkill.objects.filter(post=post).values_list("skill_point__name", "must_have")) == [
        ("二氧化碳气体保护焊", True), ("识图", False)]
    assert checklist.created_by == hr_of_a and checklist.status == ChecklistStatus.DRAFT
    entry = AuditEntry.objects.get(action="talentpool.demand_checklist.saved", target_id=str(checklist.pk))
    assert entry.old is None and entry.new["headcount"] == 5 and entry.reason == "首次填报"
    assert PoolVersion.objects.get(pk=1).number == before + 1


def test_saved_demand_reads_back_as_the_same_form(hr_of_a: User, enterprise_a: Organization) -> None:
    form = demand_form()
    checklist = services.demand_checklist_save(actor=hr_of_a, enterprise=enterprise_a, year=2026, form=form)
    again = selectors.demand_form(checklist)
    # The occupation's name is filled from the catalogue; levels come back as their ladder labels.
    assert again.posts[0].occupation_name == "焊工"
    assert again.posts[0].skills[0].level == "四级/中级工"
    assert again.contact_phone == form.contact_phone and again.chains == form.chains


def test_saving_again_replaces_the_content_and_audits_old_and_new(hr_of_a: User, enterprise_a: Organization) -> None:
    services.demand_checklist_save(actor=hr_of_a, enterprise=enterprise_a, year=2026, form=demand_form())
    two = demand_form().posts[0].__class__(name="数控车工", occupation_code=TURNER, headcount=3, level="技师",
                                           city="jinan")
    checklist = services.demand_checklist_save(actor=hr_of_a, enterprise=enterprise_a, year=2026,
                                               form=demand_form(posts=(two,)), reason="调整岗位")
    assert list(checklist.posts.values_list("name", flat=True)) == ["数控车工"]
    assert DemandChecklist.objects.count() == 1
    entry = AuditEntry.objects.filter(action="talentpool.demand_checklist.saved").order_by("-pk").first()
    assert entry is not None and entry.old["headcount"] == 5 and entry.new["headcount"] == 3


def test_a_bad_form_writes_nothing_and_names_every_field(hr_of_a: User, enterprise_a: Organization) -> None:
    post = demand_form().posts[0].__class__(name="x", occupation_code="9-99-99-99", headcount=0, level="大师",
                                            city="jinan")
    audited = AuditEntry.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        services.demand_checklist_save(actor=hr_of_a, enterprise=enterprise_a, year=2026,
                                       form=demand_form(posts=(post,), contact_phone="110"))
    assert set(caught.value.fields()) == {"posts[0].occupation_code", "posts[0].headcount", "posts[0].level",
                                          "contact_phone"}
    assert not DemandChecklist.objects.exists() and AuditEntry.objects.count() == audited


def test_submit_then_submit_again_conflicts(hr_of_a: User, enterprise_a: Organization) -> None:
    checklist = services.demand_checklist_save(actor=hr_of_a, enterprise=enterprise_a, year=2026, form=demand_form())
    checklist = services.demand_checklist_submit(actor=hr_of_a, checklist=checklist)
    assert checklist.status == ChecklistStatus.SUBMITTED and checklist.submitted_at is not None
    assert AuditEntry.objects.filter(action="talentpool.demand_checklist.submitted").exists()
    with pytest.raises(Conflict):
        services.demand_checklist_submit(actor=hr_of_a, checklist=checklist)


def test_another_enterprises_hr_gets_404(hr_of_a: User, hr_of_b: User, enterprise_a: Organization) -> None:
    checklist = services.demand_checklist_save(actor=hr_of_a, enterprise=enterprise_a, year=2026, form=demand_form())
    with pytest.raises(NotFound):
        access.access_demand_checklist(hr_of_b, checklist.pk, Action.DEMAND_VIEW)
    with pytest.raises(NotFound):
        services.demand_checklist_save(actor=hr_of_b, enterprise=enterprise_a, year=2026, form=demand_form())
    assert selectors.demand_checklist_list(hr_of_b) == []


def test_a_college_cannot_edit_an_enterprises_checklist(hr_of_a: User, enterprise_a: Organization,
                                                        college_staff: User) -> None:
    checklist = services.demand_checklist_save(actor=hr_of_a, enterprise=enterprise_a, year=2026, form=demand_form())
    with pytest.raises(NotFound):
        access.access_demand_checklist(college_staff, checklist.pk, Action.DEMAND_MANAGE)
    with pytest.raises(NotFound):
        access.access_enterprise_for_demand(college_staff, enterprise_a.pk)


def test_organizer_reads_every_checklist_but_cannot_edit(hr_of_a: User, enterprise_a: Organization,
                                                         organizer: User) -> None:
    checklist = services.demand_checklist_save(actor=hr_of_a, enterprise=enterprise_a, year=2026, form=demand_form())
    assert access.access_demand_checklist(organizer, checklist.pk) == checklist
    with pytest.raises((NotFound, PermissionDenied)):  # the engine: organizer staff are of no enterprise
        access.access_demand_checklist(organizer, checklist.pk, Action.DEMAND_MANAGE)
    [row] = selectors.demand_checklist_list(organizer, chain="high-end-equipment", city="jinan")
    assert (row.unit_name, row.size, row.chains) == ("甲企业", 5, ["高端装备"])
    assert selectors.demand_checklist_list(organizer, city="qingdao") == []


def test_college_files_a_supply_checklist(college_staff: User, college: Organization) -> None:
    checklist = services.supply_checklist_save(actor=college_staff, college=college, year=2026, form=supply_form())
    assert TeacherCount.objects.get(checklist=checklist).senior_title == 8
    assert selectors.supply_form(checklist) == supply_form(
        majors=tuple(sorted(supply_form().majors, key=lambda m: m.code)))
    assert AuditEntry.objects.filter(action="talentpool.supply_checklist.saved").count() == 1
    services.supply_checklist_submit(actor=college_staff, checklist=checklist)
    assert SupplyChecklist.objects.get().status == ChecklistStatus.SUBMITTED


def test_an_alliance_lead_reads_its_members_supply(college_staff: User, college: Organization) -> None:
    lead = OrganizationFactory(name="牵头学院", kind=OrganizationKind.COLLEGE)
    alliance = Alliance.objects.create(name="测试联盟", lead=lead)
    AllianceMember.objects.create(alliance=alliance, organization=college)
    lead_staff = person(Role.COLLEGE_STAFF, lead)
    other = person(Role.COLLEGE_STAFF, OrganizationFactory(name="丙学院", kind=OrganizationKind.COLLEGE))
    checklist = services.supply_checklist_save(actor=college_staff, college=college, year=2026, form=supply_form())
    assert access.access_supply_checklist(lead_staff, checklist.pk) == checklist
    assert [r.id for r in selectors.supply_checklist_list(lead_staff)] == [checklist.pk]
    with pytest.raises(NotFound):
        access.access_supply_checklist(other, checklist.pk)


def test_the_system_actor_files_for_the_demo(enterprise_a: Organization) -> None:
    checklist = services.demand_checklist_save(actor=SYSTEM, enterprise=enterprise_a, year=2026, form=demand_form())
    assert checklist.created_by is None
