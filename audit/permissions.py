"""The audit app's section of the one policy table (accounts.permissions); registered when imported, which
`AuditConfig.ready` does."""

from __future__ import annotations

from accounts.models import Role
from accounts.permissions import PolicyAction, Rule, Scope, register_policy


class Action(PolicyAction):
    AUDIT_VIEW = "audit.entry.view"
    AUDIT_VERIFY = "audit.chain.verify"


RULES: dict[Action, Rule] = {
    # The change log of an object: the admin, and the organizer staff of a unit the object belongs to.
    Action.AUDIT_VIEW: Rule({Role.PLATFORM_ADMIN: Scope.ANY, Role.ORGANIZER_STAFF: Scope.OWN_UNIT}),
    # The whole log and its chain: the admin alone.
    Action.AUDIT_VERIFY: Rule({Role.PLATFORM_ADMIN: Scope.ANY}),
}
register_policy(Action, RULES)
