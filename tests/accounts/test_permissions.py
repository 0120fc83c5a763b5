"""The permission matrix: role × action × object of the own unit / of another unit.

The expectations are written out here, independently of the rules each app registers (accounts.permissions and
every `<app>/permissions.py`), so a wrong change to the policy table fails this test instead of silently agreeing
with it.
"""

from __future__ import annotations

import pytest
from django.core import checks
from django.core.management import call_command

from accounts.models import Alliance, AllianceMember, Organization, OrganizationKind, Role, User
from accounts.permissions import (
    Action,
    PolicyAction,
    Rule,
    Scope,
    Section,
    can,
    check_policy,
    filter_allowed,
    policy_sections,
    reach,
    register_policy,
    require,
)
from audit.permissions import Action as AuditAction
from competitions.permissions import Action as CompetitionsAction
from core.errors import NotFound, PermissionDenied
from tests.accounts.factories import OrganizationFactory, person

OWN, OTHER = "own", "other"
ALL_ROLES = list(Role)
STAFF = {Role.ORGANIZER_STAFF, Role.EXAM_CENTER_STAFF, Role.ENTERPRISE_HR, Role.COLLEGE_STAFF}

# action -> (roles allowed on an object of their own unit, roles allowed on an object of another unit)
EXPECTED: dict[PolicyAction, tuple[set[Role], set[Role]]] = {
    Action.PROFILE_VIEW: (set(ALL_ROLES), {Role.PLATFORM_ADMIN}),
    Action.PROFILE_VIEW_PII: (STAFF | {Role.PLATFORM_ADMIN}, {Role.PLATFORM_ADMIN}),
    Action.PROFILE_EDIT: (STAFF | {Role.PLATFORM_ADMIN}, {Role.PLATFORM_ADMIN}),
    Action.ORGANIZATION_VIEW: (set(ALL_ROLES), {Role.PLATFORM_ADMIN, Role.ORGANIZER_STAFF}),
    Action.ORGANIZATION_MANAGE: ({Role.PLATFORM_ADMIN}, {Role.PLATFORM_ADMIN}),
    Action.MEMBERSHIP_MANAGE: (STAFF | {Role.PLATFORM_ADMIN}, {Role.PLATFORM_ADMIN}),
    Action.PERSON_CREATE: ({Role.PLATFORM_ADMIN}, {Role.PLATFORM_ADMIN}),
    Action.PLATFORM_ADMIN_GRANT: ({Role.PLATFORM_ADMIN}, {Role.PLATFORM_ADMIN}),
    AuditAction.AUDIT_VIEW: ({Role.PLATFORM_ADMIN, Role.ORGANIZER_STAFF}, {Role.PLATFORM_ADMIN}),
    AuditAction.AUDIT_VERIFY: ({Role.PLATFORM_ADMIN}, {Role.PLATFORM_ADMIN}),
    Action.ADMIN_SITE: ({Role.PLATFORM_ADMIN}, {Role.PLATFORM_ADMIN}),
}


@pytest.fixture
def units(db: None) -> tuple[Organization, Organization]:
    return (
        OrganizationFactory(name="本单位", kind=OrganizationKind.ENTERPRISE),
        OrganizationFactory(name="外单位", kind=OrganizationKind.COLLEGE),
    )


def _target(action: PolicyAction, unit: Organization) -> object:
    """The object an action is about: a person of the unit for profile actions, else the unit itself."""
    if action in {Action.PROFILE_VIEW, Action.PROFILE_VIEW_PII, Action.PROFILE_EDIT}:
        return person(Role.CANDIDATE, unit)
    return unit


@pytest.mark.parametrize("action", list(EXPECTED))
@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("where", [OWN, OTHER])
def test_permission_matrix(
    units: tuple[Organization, Organization], action: PolicyAction, role: Role, where: str
) -> None:
    own_unit, other_unit = units
    actor = person(role, own_unit)
    target = _target(action, own_unit if where == OWN else other_unit)
    allowed_own, allowed_other = EXPECTED[action]
    expected = role in (allowed_own if where == OWN else allowed_other)
    assert can(actor, action, target) is expected


def test_outsider_can_do_nothing_to_anyone_else(outsider: User, worker_of_a: User, enterprise_a: Organization) -> None:
    for action in EXPECTED:
        assert not can(outsider, action, _target(action, enterprise_a))
    with pytest.raises(NotFound):
        require(outsider, Action.PROFILE_VIEW, worker_of_a)


def test_everyone_sees_and_manages_their_own_account(referee_of_a: User, outsider: User) -> None:
    for user in (referee_of_a, outsider):
        assert can(user, Action.PROFILE_VIEW, user)
        assert can(user, Action.PROFILE_VIEW_PII, user)
        assert can(user, Action.TOKEN_MANAGE, user)


def test_object_of_another_unit_is_invisible_not_forbidden(hr_of_b: User, worker_of_a: User) -> None:
    with pytest.raises(NotFound):
        require(hr_of_b, Action.PROFILE_VIEW, worker_of_a)


def test_object_of_own_unit_without_the_right_is_forbidden(referee_of_a: User, worker_of_a: User) -> None:
    # The referee works in the same unit, so the person exists for them, but unmasked numbers are not theirs.
    with pytest.raises(PermissionDenied):
        require(referee_of_a, Action.PROFILE_VIEW_PII, worker_of_a)


def test_inactive_user_can_do_nothing(hr_of_a: User, worker_of_a: User) -> None:
    hr_of_a.is_active = False
    assert not can(hr_of_a, Action.PROFILE_VIEW, worker_of_a)


def test_list_filter_shows_own_unit_only(hr_of_a: User, worker_of_a: User, hr_of_b: User) -> None:
    visible = filter_allowed(hr_of_a, Action.PROFILE_VIEW, User.objects.all(),
                             unit_field="memberships__organization", owner_field="pk")
    assert set(visible) == {hr_of_a, worker_of_a}
    assert hr_of_b not in visible


def test_list_filter_gives_admin_everyone(platform_admin: User, worker_of_a: User, hr_of_b: User) -> None:
    visible = filter_allowed(platform_admin, Action.PROFILE_VIEW, User.objects.all(),
                             unit_field="memberships__organization", owner_field="pk")
    assert {worker_of_a, hr_of_b, platform_admin} <= set(visible)


# --- the policy table: one section per app, judged at start-up ------------------------------------------------------


class Draft(PolicyAction):
    """A section as an app might write it, with one action forgotten."""

    RULED = "tests.draft.ruled"
    FORGOTTEN = "tests.draft.forgotten"


def test_the_start_up_check_names_an_action_without_a_rule() -> None:
    problems = check_policy(sections=[Section(Draft, {Draft.RULED: Rule({Role.PLATFORM_ADMIN: Scope.ANY})})])
    assert [(p.id, p.level) for p in problems] == [("accounts.E001", checks.ERROR)]
    assert "'tests.draft.forgotten'" in problems[0].msg and "Draft.FORGOTTEN" in problems[0].msg


def test_the_start_up_check_refuses_an_action_declared_twice_or_a_rule_for_an_undeclared_one() -> None:
    class Copy(PolicyAction):
        RULED = "tests.draft.ruled"

    everything = {Draft.RULED: Rule({}), Draft.FORGOTTEN: Rule({})}
    problems = check_policy(sections=[
        Section(Draft, everything), Section(Copy, {Copy.RULED: Rule({}), Action.PROFILE_VIEW: Rule({})}),
    ])
    assert [p.id for p in problems] == ["accounts.E002", "accounts.E003"]


def test_every_app_registers_its_section_and_the_project_passes_the_check() -> None:
    assert check_policy in checks.registry.registry.get_checks()
    assert check_policy() == []
    registered = {section.actions for section in policy_sections()}
    assert {Action, AuditAction, CompetitionsAction} <= registered
    call_command("check", "--fail-level", "ERROR")  # raises SystemCheckError on any error, ours included


# --- the alliance scope ---------------------------------------------------------------------------------------------


class Pool(PolicyAction):
    """A section as the talent pool might declare it: college supply checklists seen across an alliance."""

    SUPPLY_VIEW = "tests.pool.supply_view"


register_policy(Pool, {
    Pool.SUPPLY_VIEW: Rule({Role.COLLEGE_STAFF: Scope.ALLIANCE, Role.ENTERPRISE_HR: Scope.ALLIANCE}),
})


def test_the_alliance_scope_reaches_the_member_units_of_an_alliance_the_unit_leads(
    db: None, django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    lead = OrganizationFactory(name="牵头技师学院", kind=OrganizationKind.COLLEGE)
    member, other_member, outside = (OrganizationFactory(name=n) for n in ("成员企业一", "成员企业二", "联盟外企业"))
    alliance = Alliance.objects.create(name="测试技工教育联盟", lead=lead)
    AllianceMember.objects.bulk_create([AllianceMember(alliance=alliance, organization=o)
                                        for o in (lead, member, other_member)])
    lead_staff, member_hr = person(Role.COLLEGE_STAFF, lead), person(Role.ENTERPRISE_HR, member)

    assert [can(lead_staff, Pool.SUPPLY_VIEW, unit) for unit in (lead, member, other_member, outside)] == [
        True, True, True, False,
    ]
    with django_assert_num_queries(0):  # the alliance's members are read once per person
        assert can(lead_staff, Pool.SUPPLY_VIEW, other_member) and not can(lead_staff, Pool.SUPPLY_VIEW, outside)
    assert can(lead_staff, Pool.SUPPLY_VIEW, person(Role.CANDIDATE, other_member))
    # A member reaches its own unit only: joining an alliance shares nothing with the other members.
    assert [can(member_hr, Pool.SUPPLY_VIEW, unit) for unit in (lead, member, other_member)] == [False, True, False]
    # Rules without the scope are unchanged: college staff manage memberships of their own unit alone.
    assert not can(lead_staff, Action.MEMBERSHIP_MANAGE, member)
    assert reach(lead_staff, Pool.SUPPLY_VIEW).units == {lead.pk, member.pk, other_member.pk}
    listed = filter_allowed(lead_staff, Pool.SUPPLY_VIEW, Organization.objects.all(), unit_field="pk")
    assert set(listed) == {lead, member, other_member}
