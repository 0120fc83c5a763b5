"""The audit app's section of the one policy table (accounts.permissions); registered when imported, which
`AuditConfig.ready` does.

What is public, on purpose, and so has no action here: the signed tree heads and the consistency proofs between
them (GET /api/v1/audit/heads…, `audit_export_heads`). They are sizes, times, hashes of hashes and signatures; they
name no person and reveal no entry, and they are worth something only when people outside the platform hold copies
(Certificate Transparency publishes its heads for the same reason). An inclusion proof is about one entry, so it
needs the right to see that entry's changes (AUDIT_VIEW on its object) or the whole log (AUDIT_VERIFY); its path
holds neighbouring leaf hashes, which cannot be turned back into entries: each covers a microsecond time, a request
id and, since issue 9 item 1, a random salt (audit.chain). The salt matters for what a reader sees redacted
(audit.redaction: a 工位号 before decryption): without it, one who knows every other field could hash each value
the hidden one can take and compare. So a proof hands over the entry's salt, to recompute its leaf, only to a
reader shown the entry whole.
"""

from __future__ import annotations

from accounts.models import Role
from accounts.permissions import PolicyAction, Rule, Scope, register_policy


class Action(PolicyAction):
    AUDIT_VIEW = "audit.entry.view"
    AUDIT_VERIFY = "audit.chain.verify"


RULES: dict[Action, Rule] = {
    # The change log of an object (and an entry's inclusion proof): the admin, and the organizer staff of a unit
    # the object belongs to.
    Action.AUDIT_VIEW: Rule({Role.PLATFORM_ADMIN: Scope.ANY, Role.ORGANIZER_STAFF: Scope.OWN_UNIT}),
    # The whole log, verifying it and sealing on demand: the admin alone.
    Action.AUDIT_VERIFY: Rule({Role.PLATFORM_ADMIN: Scope.ANY}),
}
register_policy(Action, RULES)
