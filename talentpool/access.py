"""Access to the talent pool's objects: each function loads one object, checks the caller's right through
`accounts.permissions` (talentpool.permissions), and locks it when asked (DESIGN.md "Layout": access.py). Pages,
the API and the services call these.

- `access_demand_checklist(user, checklist_id, action, *, lock=False)` → the demand checklist: 404 when missing or
  of an enterprise the caller does not see; 403 when seen but `action` (DEMAND_VIEW or DEMAND_MANAGE) is not
  allowed; `lock` locks its row inside the caller's transaction.
- `access_supply_checklist(user, checklist_id, action, *, lock=False)` → the supply checklist, likewise
  (SUPPLY_VIEW: the college, its alliance's lead, organizer staff, the admin; SUPPLY_MANAGE: the college's staff).
- `access_enterprise_for_demand(user, unit_id)` → the enterprise whose checklist the caller files (DEMAND_MANAGE);
  404 for an unknown unit, one the caller does not see, or a unit that is not an enterprise.
- `access_college_for_supply(user, unit_id)` → the college whose checklist the caller files (SUPPLY_MANAGE).
- `demand_units(user)` / `supply_units(user)` → the units the caller may file a checklist for (the pages' choice).
- `access_post_for_matching(user, post_id)` → a demand post whose matches the caller reads (`MATCH_VIEW`: the
  post's enterprise, organizer staff, the admin): 404 when missing or of an enterprise the caller does not see.
- `access_checklist_for_matching(user, checklist_id)` → a demand checklist whose needs the caller reads matched to
  colleges' offers (`MATCH_VIEW` on the checklist, the same readers).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from accounts.models import Organization, OrganizationKind
from accounts.permissions import filter_allowed, require
from core.errors import NotFound
from core.lookup import get_or_404
from talentpool.models import DemandChecklist, DemandPost, SupplyChecklist
from talentpool.permissions import Action


def access_demand_checklist(user: Any, checklist_id: int, action: Action = Action.DEMAND_VIEW, *,
                            lock: bool = False) -> DemandChecklist:
    queryset = DemandChecklist.objects.select_related("enterprise")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    checklist = get_or_404(queryset, pk=checklist_id)
    require(user, action, checklist)
    return checklist


def access_supply_checklist(user: Any, checklist_id: int, action: Action = Action.SUPPLY_VIEW, *,
                            lock: bool = False) -> SupplyChecklist:
    queryset = SupplyChecklist.objects.select_related("college")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    checklist = get_or_404(queryset, pk=checklist_id)
    require(user, action, checklist)
    return checklist


def _unit(user: Any, unit_id: int, action: Action, kind: OrganizationKind) -> Organization:
    unit = get_or_404(Organization, pk=unit_id)
    require(user, action, unit)
    if unit.kind != kind:
        raise NotFound()
    return unit


def access_enterprise_for_demand(user: Any, unit_id: int) -> Organization:
    return _unit(user, unit_id, Action.DEMAND_MANAGE, OrganizationKind.ENTERPRISE)


def access_college_for_supply(user: Any, unit_id: int) -> Organization:
    return _unit(user, unit_id, Action.SUPPLY_MANAGE, OrganizationKind.COLLEGE)


def demand_units(user: Any) -> QuerySet[Organization]:
    units = Organization.objects.filter(kind=OrganizationKind.ENTERPRISE)
    return filter_allowed(user, Action.DEMAND_MANAGE, units, unit_field="pk").order_by("name")


def supply_units(user: Any) -> QuerySet[Organization]:
    units = Organization.objects.filter(kind=OrganizationKind.COLLEGE)
    return filter_allowed(user, Action.SUPPLY_MANAGE, units, unit_field="pk").order_by("name")


def access_post_for_matching(user: Any, post_id: int) -> DemandPost:
    post = get_or_404(DemandPost.objects.select_related("checklist"), pk=post_id)
    require(user, Action.MATCH_VIEW, post)
    return post


def access_checklist_for_matching(user: Any, checklist_id: int) -> DemandChecklist:
    checklist = get_or_404(DemandChecklist, pk=checklist_id)
    require(user, Action.MATCH_VIEW, checklist)
    return checklist
