"""Loading the pool's objects with the caller's right checked (DESIGN.md "Layout" → access.py), for the intake,
profile, consent and enterprise-pool parts of the talent pool: pages, API and services call these and never look
objects up and check rights by hand."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from accounts.actors import SYSTEM
from accounts.models import Organization, OrganizationKind, Role
from accounts.permissions import require, units_of
from core.errors import NotFound, PermissionDenied
from core.lookup import get_or_404
from talentpool.models import ContactRequest, SavedSearch, ShortlistItem, Talent, TalentStatus
from talentpool.permissions import Action


def hr_enterprises(user: Any) -> list[int]:
    """The enterprises the user is HR of, in id order (their pool tools act for the first unless one is named)."""
    return sorted(units_of(user, [Role.ENTERPRISE_HR]))


def access_enterprise(user: Any, enterprise_id: int | None, action: Action = Action.SHORTLIST_MANAGE) -> Organization:
    """The enterprise the user acts for: `enterprise_id`, or their one HR enterprise when None."""
    if enterprise_id is None:
        units = hr_enterprises(user)
        if not units:
            raise PermissionDenied()
        enterprise_id = units[0]
    enterprise = get_or_404(Organization.objects.filter(kind=OrganizationKind.ENTERPRISE), pk=enterprise_id)
    require(user, action, enterprise)
    return enterprise


def _talents() -> QuerySet[Talent]:
    return Talent.objects.select_related("person")


def access_talent(user: Any, talent_id: int, *, lock: bool = False) -> Talent:
    """A talent the user may read: in the pool (an out talent is only its person's), and the section's rule."""
    queryset = _talents().select_for_update(of=("self",)) if lock else _talents()
    talent = get_or_404(queryset, pk=talent_id)
    if talent.status != TalentStatus.IN_POOL and talent.person_id != getattr(user, "pk", None):
        raise NotFound()
    require(user, Action.TALENT_VIEW, talent)
    return talent


def access_own_talent(user: Any, *, lock: bool = False, person_id: int | None = None) -> Talent:
    """The signed-in person's own talent profile; NotFound ("talentpool.not_in_pool") when they have none.
    `person_id` names the person for the system actor (the demo fills profiles in); for anyone else it must be
    their own id or None."""
    queryset = _talents().select_for_update(of=("self",)) if lock else _talents()
    own = getattr(user, "pk", None)
    if person_id is not None and person_id != own and user is not SYSTEM:
        raise NotFound("talentpool.not_in_pool")
    talent = queryset.filter(person_id=person_id if person_id is not None else own).first()
    if talent is None:
        raise NotFound("talentpool.not_in_pool")
    require(user, Action.PROFILE_EDIT, talent)
    return talent


def access_contact_request(user: Any, request_id: int, *, as_person: bool, lock: bool = False) -> ContactRequest:
    """A contact request, for its talent (`as_person`: decide, revoke) or for its enterprise's HR (withdraw)."""
    queryset = ContactRequest.objects.select_related("talent__person", "enterprise", "post")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    found = get_or_404(queryset, pk=request_id)
    if as_person:
        if found.talent.person_id != getattr(user, "pk", None):
            raise NotFound()
        require(user, Action.CONTACT_DECIDE, found)
    else:
        require(user, Action.CONTACT_REQUEST, found.enterprise)
    return found


def access_saved_search(user: Any, search_id: int) -> SavedSearch:
    found = get_or_404(SavedSearch.objects.select_related("organization"), pk=search_id)
    if found.owner_id != getattr(user, "pk", None):
        raise NotFound()
    require(user, Action.SHORTLIST_MANAGE, found.organization)
    return found


def access_shortlist_item(user: Any, item_id: int) -> ShortlistItem:
    found = get_or_404(ShortlistItem.objects.select_related("organization"), pk=item_id)
    require(user, Action.SHORTLIST_MANAGE, found.organization)
    return found
