"""The one permission engine: every API view, websocket consumer, page and export asks here.

Each app declares its own section of the one policy table in `<app>/permissions.py`: an `Action` enum (a
`PolicyAction`, values `<app>.<object>.<verb>`) and a rule for every action, registered with `register_policy`
when the module is imported (the app's `AppConfig.ready` imports it, as it registers the app's navigation). A
Django system check (`check_policy`) refuses to start when a declared action has no rule, a rule names an action
its section does not declare, or two sections declare the same action. This module holds the engine and the
accounts app's own section.

A rule says which roles may take an action and how far their reach goes (`Scope`):
- ANY: over every unit (the platform admin; organizer staff for what the province oversees);
- OWN_UNIT: over objects that belong to a unit the person holds that role in;
- ALLIANCE: as OWN_UNIT, and over objects of the member units of every alliance such a unit leads (牵头单位): the
  lead college of a 技工教育联盟 reaches its members' objects, while a member reaches no other member's (joining an
  alliance shares nothing by itself), for the apps that work across an alliance (certification, talent pool).
It also says whether anyone signed in may take the action on what they own (`own`: their account, tokens, tasks),
and whether scripts may take it as the system actor (`system`, accounts.actors: demo data, management commands,
data migrations), on anything. The system actor may do nothing its rules do not say, and None nothing at all:
services always pass an actor, and `require` refuses None with a TypeError (the old "no actor, no check" is a
programming error, not a refusal to show). An anonymous visitor is refused like anyone without the right.

Objects name their units with `permission_unit_ids()` and, where a person owns them, `permission_owner_id()`.
Visibility follows the same rules: `require` answers NotFound, not PermissionDenied, when the caller holds no
role at all in any of the object's units, so objects of another unit are invisible rather than read-only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol, TypeVar

from django.core import checks
from django.db import connection
from django.db.models import Aggregate, CharField, Model, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat

from accounts.actors import SYSTEM
from accounts.models import Membership, Role
from core.errors import NotFound, PermissionDenied

M = TypeVar("M", bound=Model)


class Scope(StrEnum):
    ANY = "any"
    OWN_UNIT = "own_unit"
    # The unit the role is held in, and every member unit of an alliance (技工教育联盟/集团) that unit leads.
    ALLIANCE = "alliance"


@dataclass(frozen=True, slots=True)
class Rule:
    """Roles with their reach, whether anyone signed in may do it to what they own (`own`), and whether scripts
    acting as the system actor may do it (`system`)."""

    roles: Mapping[Role, Scope]
    own: bool = False
    system: bool = False


class PolicyAction(StrEnum):
    """What every app's `Action` enum derives from; the engine takes any registered member."""


@dataclass(frozen=True, slots=True)
class Section:
    """One app's part of the policy table: the actions it declares and their rules."""

    actions: type[PolicyAction]
    rules: Mapping[PolicyAction, Rule]

    @property
    def name(self) -> str:
        return f"{self.actions.__module__}.{self.actions.__qualname__}"


_SECTIONS: dict[str, Section] = {}
_RULES: dict[str, Rule] = {}


def register_policy(actions: type[PolicyAction], rules: Mapping[Any, Rule]) -> None:
    """Add (or replace) an app's section; `check_policy` judges it at start-up."""
    section = Section(actions, dict(rules))
    _SECTIONS[section.name] = section
    _RULES.update({str(action): rule for action, rule in section.rules.items()})


def policy_sections() -> list[Section]:
    """Every registered section, in the order the apps registered them."""
    return list(_SECTIONS.values())


def rule_of(action: PolicyAction) -> Rule:
    try:
        return _RULES[action]
    except KeyError:
        raise LookupError(f"no rule for the action {action!r}: is its app's permissions module registered?") from None


def policy_problems(sections: Iterable[Section]) -> list[checks.CheckMessage]:
    """What is wrong with these sections of the policy table (the body of the start-up check)."""
    problems: list[checks.CheckMessage] = []
    declared_by: dict[str, str] = {}
    for section in sections:
        for action in section.actions:
            if action not in section.rules:
                problems.append(checks.Error(
                    f"The action {action.value!r} ({section.name}.{action.name}) has no rule.",
                    hint="Give it a Rule in the rules its app registers with accounts.permissions.register_policy.",
                    obj=section.name, id="accounts.E001",
                ))
            other = declared_by.setdefault(action.value, section.name)
            if other != section.name:
                problems.append(checks.Error(
                    f"The action {action.value!r} is declared by both {other} and {section.name}.",
                    obj=section.name, id="accounts.E002",
                ))
        for ruled in section.rules:
            if not isinstance(ruled, section.actions):
                problems.append(checks.Error(
                    f"{section.name} has a rule for {ruled!r}, which it does not declare.",
                    obj=section.name, id="accounts.E003",
                ))
    return problems


@checks.register(checks.Tags.security)
def check_policy(app_configs: Any = None, *, sections: Iterable[Section] | None = None,
                 **kwargs: Any) -> list[checks.CheckMessage]:
    """Every declared action has a rule (Django system check; `sections` defaults to every registered one)."""
    return policy_problems(policy_sections() if sections is None else sections)


# --- the accounts app's section -----------------------------------------------------------------------------------


class Action(PolicyAction):
    PROFILE_VIEW = "accounts.profile.view"
    PROFILE_VIEW_PII = "accounts.profile.view_pii"
    PROFILE_EDIT = "accounts.profile.edit"
    ORGANIZATION_VIEW = "accounts.organization.view"
    ORGANIZATION_MANAGE = "accounts.organization.manage"
    MEMBERSHIP_MANAGE = "accounts.membership.manage"
    PERSON_CREATE = "accounts.person.create"
    PERSON_DEACTIVATE = "accounts.person.deactivate"
    PLATFORM_ADMIN_GRANT = "accounts.platform_admin.grant"
    TOKEN_MANAGE = "accounts.token.manage"  # noqa: S105 - an action name, not a secret
    DEVICE_TOKENS = "accounts.token.devices"  # noqa: S105 - an action name, not a secret
    # The platform's own, declared here until the tasks room and the page shell declare their sections.
    TASK_VIEW = "tasks.task.view"
    ADMIN_SITE = "shell.admin_site.use"


A, U = Scope.ANY, Scope.OWN_UNIT
R = Role
# The staff of a unit (a city's 人社局, an exam center, an enterprise's HR, a college's office), for other sections.
UNIT_STAFF: Mapping[Role, Scope] = {R.ORGANIZER_STAFF: U, R.EXAM_CENTER_STAFF: U, R.ENTERPRISE_HR: U,
                                    R.COLLEGE_STAFF: U}

RULES: dict[Action, Rule] = {
    # Seeing a person's record at all: themselves, and anyone of a unit they belong to (a colleague directory).
    Action.PROFILE_VIEW: Rule({**{role: U for role in Role}, R.PLATFORM_ADMIN: A}, own=True),
    # Unmasked ID and mobile numbers: the person, and staff who must contact or verify them (never referees).
    Action.PROFILE_VIEW_PII: Rule({R.PLATFORM_ADMIN: A, **UNIT_STAFF}, own=True),
    # Correcting real-name data: the person, their unit's staff, the admin; every change is audited.
    Action.PROFILE_EDIT: Rule({R.PLATFORM_ADMIN: A, **UNIT_STAFF}, own=True),
    # Organizer staff see every unit: they review nominations and results from all of them.
    Action.ORGANIZATION_VIEW: Rule({**{role: U for role in Role}, R.PLATFORM_ADMIN: A, R.ORGANIZER_STAFF: A}),
    # Units and alliances; the demo's units are made by the system actor.
    Action.ORGANIZATION_MANAGE: Rule({R.PLATFORM_ADMIN: A}, system=True),
    Action.MEMBERSHIP_MANAGE: Rule({R.PLATFORM_ADMIN: A, **UNIT_STAFF}, system=True),
    # Creating an account on its own (a roster import creates people under its right to enter them).
    Action.PERSON_CREATE: Rule({R.PLATFORM_ADMIN: A}, system=True),
    # Closing an account reaches across every unit the person belongs to: the platform admin (or a script).
    Action.PERSON_DEACTIVATE: Rule({R.PLATFORM_ADMIN: A}, system=True),
    # The platform admin role and the admin site: only an admin makes another (or a script, the demo's admin).
    Action.PLATFORM_ADMIN_GRANT: Rule({R.PLATFORM_ADMIN: A}, system=True),
    # `manage.py create_token` issues a token as the system actor.
    Action.TOKEN_MANAGE: Rule({R.PLATFORM_ADMIN: A}, own=True, system=True),
    # Whose work runs on a device or an integration that signs in with an API token, so "API 令牌" is in their
    # menu: venue tablets (referees, chief referees), exam rooms (exam center staff, chief assessors, assessors),
    # an enterprise's HR system checking certificates in bulk, and the admin. Anyone may still open their own
    # tokens page (`TOKEN_MANAGE`, own) — the home page links to it when a token is about to expire.
    Action.DEVICE_TOKENS: Rule({R.PLATFORM_ADMIN: A, R.REFEREE: U, R.CHIEF_REFEREE: U, R.EXAM_CENTER_STAFF: U,
                                R.CHIEF_ASSESSOR: U, R.ASSESSOR: U, R.ENTERPRISE_HR: U}),
    Action.TASK_VIEW: Rule({R.PLATFORM_ADMIN: A}, own=True),
    Action.ADMIN_SITE: Rule({R.PLATFORM_ADMIN: A}),
}
register_policy(Action, RULES)


class Owned(Protocol):
    def permission_unit_ids(self) -> frozenset[int]: ...


def _grants(user: Any) -> list[tuple[str, int | None]]:
    """(role, unit id) pairs of the user, read once per user object."""
    if not _signed_in(user):
        return []
    cached: list[tuple[str, int | None]] | None = getattr(user, "_permission_grants", None)
    if cached is None:
        cached = list(user.memberships.values_list("role", "organization_id"))
        user._permission_grants = cached
    return cached


class _GrantList(Aggregate):
    """A user's grants as one string, "role:unit" joined by commas (unit empty for a platform-wide role):
    GROUP_CONCAT on SQLite, STRING_AGG on PostgreSQL (Django 5.2 has no database-neutral string aggregate)."""

    function = "GROUP_CONCAT"
    output_field = CharField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, function="STRING_AGG", template="%(function)s(%(expressions)s, ',')",
                           **extra)


def grants_subquery(user_ref: str) -> Subquery:
    """The grants of the user at `user_ref` (an outer field naming a user id), to annotate onto the query that
    loads a signed-in user (`accounts.auth`), so that the first permission check of a request costs no query of
    its own. `prime_grants` reads the annotation."""
    unit = Coalesce(Cast("organization_id", CharField()), Value(""))
    return Subquery(
        Membership.objects.filter(user_id=OuterRef(user_ref)).values("user_id")
        .annotate(grants=_GrantList(Concat("role", Value(":"), unit, output_field=CharField()))).values("grants")
    )


def grants_sql(user_id_column: str) -> str:
    """`grants_subquery` in hand-written SQL (core.sql: the hot paths that load the signed-in user), correlated
    with `user_id_column` (an outer column naming a user id, e.g. `t."user_id"`); the same string, read by
    `prime_grants`."""
    aggregate = "STRING_AGG" if connection.vendor == "postgresql" else "GROUP_CONCAT"
    membership = connection.ops.quote_name(Membership._meta.db_table)
    return (
        f"(SELECT {aggregate}(gm.role || ':' || COALESCE(CAST(gm.organization_id AS TEXT), ''), ',') "  # noqa: S608
        f"FROM {membership} gm WHERE gm.user_id = {user_id_column})"
    )


def prime_grants(user: Any, grants: str | None) -> None:
    """Cache the grants read by `grants_subquery` on the user object, as `_grants` would have read them."""
    parsed: list[tuple[str, int | None]] = []
    for item in (grants or "").split(","):
        if item:
            role, _sep, unit = item.partition(":")
            parsed.append((role, int(unit) if unit else None))
    user._permission_grants = parsed


def forget_grants(user: Any) -> None:
    """Drop the cached roles (after a membership change in the same request)."""
    for cache in ("_permission_grants", "_permission_alliances"):
        if hasattr(user, cache):
            delattr(user, cache)


def _alliance_members(user: Any) -> dict[int, frozenset[int]]:
    """Lead unit -> the member units of the alliances it leads, for the user's units; read once per user object,
    and only when an ALLIANCE rule is asked about a role the user holds."""
    cached: dict[int, frozenset[int]] | None = getattr(user, "_permission_alliances", None)
    if cached is None:
        from accounts.models import AllianceMember

        members: dict[int, set[int]] = {}
        led = units_of(user)
        if led:
            for lead, member in AllianceMember.objects.filter(alliance__lead_id__in=led).values_list(
                "alliance__lead_id", "organization_id"
            ):
                members.setdefault(lead, set()).add(member)
        cached = {lead: frozenset(units) for lead, units in members.items()}
        user._permission_alliances = cached
    return cached


def _reached_units(user: Any, scope: Scope, unit: int | None) -> frozenset[int]:
    """The units a role held in `unit` reaches with `scope` (not ANY, which reaches everywhere)."""
    if unit is None:
        return frozenset()
    if scope is Scope.ALLIANCE:
        return frozenset({unit}) | _alliance_members(user).get(unit, frozenset())
    return frozenset({unit})


def roles_of(user: Any) -> set[Role]:
    return {Role(role) for role, _ in _grants(user)}


def units_of(user: Any, roles: Iterable[Role] | None = None) -> frozenset[int]:
    wanted = None if roles is None else set(roles)
    return frozenset(
        unit for role, unit in _grants(user) if unit is not None and (wanted is None or role in wanted)
    )


def _object_units(obj: Any) -> frozenset[int]:
    if obj is None:
        return frozenset()
    getter = getattr(obj, "permission_unit_ids", None)
    return getter() if getter is not None else frozenset()


def _object_owner(obj: Any) -> int | None:
    from accounts.models import User

    if isinstance(obj, User):
        return obj.pk
    getter = getattr(obj, "permission_owner_id", None)
    if getter is not None:
        owner: int | None = getter()
        return owner
    user_id: int | None = getattr(obj, "user_id", None)
    return user_id


def _signed_in(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def can(user: Any, action: PolicyAction, obj: Any = None) -> bool:
    """May `user` take `action` (on `obj`, when given)? Without an object: on at least something."""
    if user is SYSTEM:
        return rule_of(action).system
    if not _signed_in(user):
        return False
    rule = rule_of(action)
    if rule.own and (obj is None or _object_owner(obj) == user.pk):
        return True
    for role, unit in _grants(user):
        scope = rule.roles.get(Role(role))
        if scope is None:
            continue
        if obj is None or scope is Scope.ANY:
            return True
        if _reached_units(user, scope, unit) & _object_units(obj):
            return True
    return False


def _sees(user: Any, obj: Any) -> bool:
    """Does the caller hold any role in any of the object's units (or own it, or reach everywhere)?"""
    if not _signed_in(user):
        return False
    if any(role == Role.PLATFORM_ADMIN for role, _ in _grants(user)):
        return True
    if _object_owner(obj) == getattr(user, "pk", object()):
        return True
    return bool(units_of(user) & _object_units(obj))


def require(user: Any, action: PolicyAction, obj: Any = None) -> None:
    """Raise NotFound when the object is in another unit, PermissionDenied when it is seen but not allowed.

    The system actor sees everything, so it is refused with PermissionDenied; None is no actor at all (module
    docstring) and raises TypeError."""
    if user is None:
        raise TypeError(f"no actor for {action}: pass the signed-in User, or accounts.actors.SYSTEM in scripts")
    if can(user, action, obj):
        return
    if obj is not None and user is not SYSTEM and not _sees(user, obj):
        raise NotFound()
    raise PermissionDenied()


@dataclass(frozen=True, slots=True)
class Reach:
    """Where an action is allowed, as list filters need it."""

    everywhere: bool
    units: frozenset[int]
    own: bool


def reach(user: Any, action: PolicyAction) -> Reach:
    if user is SYSTEM:
        return Reach(rule_of(action).system, frozenset(), False)
    if not _signed_in(user):
        return Reach(False, frozenset(), False)
    rule = rule_of(action)
    everywhere, units = False, set[int]()
    for role, unit in _grants(user):
        scope = rule.roles.get(Role(role))
        if scope is Scope.ANY:
            everywhere = True
        elif scope is not None:
            units |= _reached_units(user, scope, unit)
    return Reach(everywhere, frozenset(units), rule.own)


def filter_allowed(
    user: Any, action: PolicyAction, queryset: QuerySet[M], *, unit_field: str | None, owner_field: str | None = None
) -> QuerySet[M]:
    """Narrow a list to the objects `action` is allowed on; `unit_field`/`owner_field` are ORM lookups."""
    allowed = reach(user, action)
    if allowed.everywhere:
        return queryset
    condition = Q(pk__in=[])
    if allowed.units and unit_field is not None:
        condition |= Q(**{f"{unit_field}__in": allowed.units})
    if allowed.own and owner_field is not None:
        condition |= Q(**{owner_field: user.pk})
    # A many-valued unit lookup can match one object through several units.
    return queryset.filter(condition).distinct()


def can_view_pii(viewer: Any, subject: Any) -> bool:
    """Unmasked ID and mobile numbers of `subject` for `viewer`? Decided here for pages, API and exports alike."""
    return can(viewer, Action.PROFILE_VIEW_PII, subject)
