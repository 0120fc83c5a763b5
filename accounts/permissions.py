"""The one permission module: every API view, websocket consumer, page and export asks here.

A rule says which roles may take an action and how far their reach goes:
- ANY: over every unit (the platform admin; organizer staff for what the province oversees);
- OWN_UNIT: over objects that belong to a unit the person holds that role in;
and whether anyone signed in may take it on what they own (their own account, tokens, tasks).

Objects name their units with `permission_unit_ids()` and, where a person owns them, `permission_owner_id()`.
Visibility follows the same rules: `require` answers NotFound, not PermissionDenied, when the caller holds no
role at all in any of the object's units, so objects of another unit are invisible rather than read-only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol, TypeVar

from django.db.models import Model, Q, QuerySet

from accounts.models import Role
from core.errors import NotFound, PermissionDenied

M = TypeVar("M", bound=Model)


class Scope(StrEnum):
    ANY = "any"
    OWN_UNIT = "own_unit"


@dataclass(frozen=True, slots=True)
class Rule:
    """Roles with their reach, and whether anyone signed in may do it to what they own (`own`)."""

    roles: Mapping[Role, Scope]
    own: bool = False


class Action(StrEnum):
    PROFILE_VIEW = "accounts.profile.view"
    PROFILE_VIEW_PII = "accounts.profile.view_pii"
    PROFILE_EDIT = "accounts.profile.edit"
    ORGANIZATION_VIEW = "accounts.organization.view"
    ORGANIZATION_MANAGE = "accounts.organization.manage"
    MEMBERSHIP_MANAGE = "accounts.membership.manage"
    TOKEN_MANAGE = "accounts.token.manage"  # noqa: S105 - an action name, not a secret
    AUDIT_VIEW = "audit.entry.view"
    AUDIT_VERIFY = "audit.chain.verify"
    TASK_VIEW = "tasks.task.view"
    ADMIN_SITE = "shell.admin_site.use"
    COMPETITION_MANAGE = "competitions.event.manage"
    COMPETITION_JURY_VIEW = "competitions.results.view_provisional"
    ENTRY_SUBMIT = "competitions.entry.submit"
    ENTRY_VIEW = "competitions.entry.view"
    ENTRY_REVIEW = "competitions.entry.review"
    DRAW_RUN = "competitions.draw.run"
    DECRYPT = "competitions.draw.decrypt"
    SCHEME_MANAGE = "competitions.scheme.manage"
    MARK_ENTER = "competitions.mark.enter"
    SHEET_SIGN_OFF = "competitions.sheet.sign_off"
    CORRECTION_APPROVE = "competitions.correction.approve"
    OBJECTION_FILE = "competitions.objection.file"
    OBJECTION_ANSWER = "competitions.objection.answer"
    TITLE_APPROVE = "competitions.title.approve"


A, U = Scope.ANY, Scope.OWN_UNIT
R = Role
_UNIT_STAFF = {R.ORGANIZER_STAFF: U, R.EXAM_CENTER_STAFF: U, R.ENTERPRISE_HR: U, R.COLLEGE_STAFF: U}

POLICY: dict[Action, Rule] = {
    # Seeing a person's record at all: themselves, and anyone of a unit they belong to (a colleague directory).
    Action.PROFILE_VIEW: Rule({**{role: U for role in Role}, R.PLATFORM_ADMIN: A}, own=True),
    # Unmasked ID and mobile numbers: the person, and staff who must contact or verify them (never referees).
    Action.PROFILE_VIEW_PII: Rule({R.PLATFORM_ADMIN: A, **_UNIT_STAFF}, own=True),
    # Correcting real-name data: the person, their unit's staff, the admin; every change is audited.
    Action.PROFILE_EDIT: Rule({R.PLATFORM_ADMIN: A, **_UNIT_STAFF}, own=True),
    # Organizer staff see every unit: they review nominations and results from all of them.
    Action.ORGANIZATION_VIEW: Rule({**{role: U for role in Role}, R.PLATFORM_ADMIN: A, R.ORGANIZER_STAFF: A}),
    Action.ORGANIZATION_MANAGE: Rule({R.PLATFORM_ADMIN: A}),
    Action.MEMBERSHIP_MANAGE: Rule({R.PLATFORM_ADMIN: A, **_UNIT_STAFF}),
    Action.TOKEN_MANAGE: Rule({R.PLATFORM_ADMIN: A}, own=True),
    # The change log of an object: the admin, and the organizer staff of a unit the object belongs to.
    Action.AUDIT_VIEW: Rule({R.PLATFORM_ADMIN: A, R.ORGANIZER_STAFF: U}),
    Action.AUDIT_VERIFY: Rule({R.PLATFORM_ADMIN: A}),
    Action.TASK_VIEW: Rule({R.PLATFORM_ADMIN: A}, own=True),
    Action.ADMIN_SITE: Rule({R.PLATFORM_ADMIN: A}),
    # Competitions. An event belongs to its organizer; an entry to the organizer and the nominating unit.
    Action.COMPETITION_MANAGE: Rule({R.PLATFORM_ADMIN: A, R.ORGANIZER_STAFF: U}),
    # Provisional standings, with names once decrypted: the organizer and the jury of the organizer's unit.
    Action.COMPETITION_JURY_VIEW: Rule({R.PLATFORM_ADMIN: A, R.ORGANIZER_STAFF: U, R.CHIEF_REFEREE: U}),
    # Units nominate their own people (a city's 人社局 nominates for the city); asked on the nominating unit.
    Action.ENTRY_SUBMIT: Rule({R.PLATFORM_ADMIN: A, **_UNIT_STAFF}),
    Action.ENTRY_VIEW: Rule({R.PLATFORM_ADMIN: A, **_UNIT_STAFF}),
    # Asked on the event, so a nominating unit's own staff never review their own nominations.
    Action.ENTRY_REVIEW: Rule({R.PLATFORM_ADMIN: A, R.ORGANIZER_STAFF: U}),
    # 二次加密 and 解密: the encryption officer (加密裁判) of the organizer alone, not even the platform admin.
    Action.DRAW_RUN: Rule({R.ENCRYPTION_OFFICER: U}),
    Action.DECRYPT: Rule({R.ENCRYPTION_OFFICER: U}),
    Action.SCHEME_MANAGE: Rule({R.PLATFORM_ADMIN: A, R.ORGANIZER_STAFF: U, R.CHIEF_REFEREE: U}),
    # Referees come from many employers: the role opens the door, and competitions.access decides per skill,
    # entry and aspect (assignment, panel, recusal).
    Action.MARK_ENTER: Rule({R.REFEREE: A, R.CHIEF_REFEREE: A}),
    Action.SHEET_SIGN_OFF: Rule({R.CHIEF_REFEREE: A}),
    Action.CORRECTION_APPROVE: Rule({R.CHIEF_REFEREE: A}),
    # A real-name objection may come from anyone signed in; the service checks the real name.
    Action.OBJECTION_FILE: Rule({}, own=True),
    Action.OBJECTION_ANSWER: Rule({R.CHIEF_REFEREE: A}),
    Action.TITLE_APPROVE: Rule({R.PLATFORM_ADMIN: A, R.ORGANIZER_STAFF: U}),
}


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


def forget_grants(user: Any) -> None:
    """Drop the cached roles (after a membership change in the same request)."""
    if hasattr(user, "_permission_grants"):
        del user._permission_grants


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
        return getter()
    return getattr(obj, "user_id", None)


def _signed_in(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def can(user: Any, action: Action, obj: Any = None) -> bool:
    """May `user` take `action` (on `obj`, when given)? Without an object: on at least something."""
    if not _signed_in(user):
        return False
    rule = POLICY[action]
    if rule.own and (obj is None or _object_owner(obj) == user.pk):
        return True
    for role, unit in _grants(user):
        scope = rule.roles.get(Role(role))
        if scope is None:
            continue
        if obj is None or scope is Scope.ANY:
            return True
        if unit is not None and unit in _object_units(obj):
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


def require(user: Any, action: Action, obj: Any = None) -> None:
    """Raise NotFound when the object is in another unit, PermissionDenied when it is seen but not allowed."""
    if can(user, action, obj):
        return
    if obj is not None and not _sees(user, obj):
        raise NotFound()
    raise PermissionDenied()


@dataclass(frozen=True, slots=True)
class Reach:
    """Where an action is allowed, as list filters need it."""

    everywhere: bool
    units: frozenset[int]
    own: bool


def reach(user: Any, action: Action) -> Reach:
    if not _signed_in(user):
        return Reach(False, frozenset(), False)
    rule = POLICY[action]
    everywhere, units = False, set()
    for role, unit in _grants(user):
        scope = rule.roles.get(Role(role))
        if scope is Scope.ANY:
            everywhere = True
        elif scope is Scope.OWN_UNIT and unit is not None:
            units.add(unit)
    return Reach(everywhere, frozenset(units), rule.own)


def filter_allowed(
    user: Any, action: Action, queryset: QuerySet[M], *, unit_field: str | None, owner_field: str | None = None
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
