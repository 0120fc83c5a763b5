"""Who a service acts for: a signed-in person (a `User`), or the platform itself (`SYSTEM`).

Services always take an actor and always ask accounts.permissions; there is no "no actor, no check". Scripts
(demo data, management commands, data migrations) pass `SYSTEM`. The policy table says what it may do (a rule
with `system=True`: what scripts need, nothing more), and the audit log records it as "system".

`SYSTEM` is a sentinel object, not a user row, because
- nothing a request carries can be it: `request.user` is a User or an AnonymousUser and the API's auth classes
  return a User, while the engine and the audit log recognise the system actor by identity (`actor is SYSTEM`),
  so no object passes for it by looking like it;
- it cannot sign in, be given a password or a membership, be deactivated, or show up in lists of people;
- it needs no migration and no row that every database must have before the first script runs.
The price is that foreign keys to a person (`Entry.submitted_by`, `TitleProposal.approved_by`) stay empty for what
the system did, as they did before; the audit entry is where "system" is written.
"""

from __future__ import annotations

from typing import TypeAlias

from accounts.models import User
from core.actors import SYSTEM, SystemActor

# What a service's `actor` is: never None.
Actor: TypeAlias = User | SystemActor

__all__ = ["SYSTEM", "Actor", "SystemActor"]
