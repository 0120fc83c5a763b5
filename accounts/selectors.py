"""Reads shared by pages, API and exports, with masking already applied for the reader. The views are what the
accounts API returns as they are and what the pages render."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime, timedelta
from typing import Annotated

from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from pydantic import Field

from accounts.identity import (
    InvalidMobile,
    mask_id_number,
    normalise_id_number,
    normalise_mobile,
    shown_id_number,
    shown_mobile,
)
from accounts.models import ApiToken, Membership, Organization, User
from accounts.permissions import Action, PolicyAction, can_view_pii, filter_allowed, require


@dataclass(frozen=True, slots=True)
class OrganizationView:
    id: int
    name: str
    kind: str
    kind_label: str
    city: str


@dataclass(frozen=True, slots=True)
class MembershipView:
    role: str
    role_label: str
    organization: OrganizationView | None


@dataclass(frozen=True, slots=True)
class PersonView:
    """A person as the caller may see them; `masked` says whether the numbers are masked."""

    id: int
    username: str
    real_name: str
    id_number: str
    mobile: str
    email: str
    birth_date: date | None
    language: str
    masked: bool
    memberships: list[MembershipView]


@dataclass(frozen=True, slots=True)
class MeView(PersonView):
    """The caller, with their roles and units gathered from the memberships."""

    roles: list[str]
    organizations: list[OrganizationView]


@dataclass(frozen=True, slots=True)
class TokenView:
    """An API token as its owner sees it: never the token itself, which only its creation shows."""

    id: int
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


@dataclass(frozen=True, slots=True)
class IssuedTokenView(TokenView):
    token: Annotated[str, Field(description="令牌明文，仅此一次显示 The token itself, shown this once")]


def organization_view(org: Organization) -> OrganizationView:
    return OrganizationView(org.pk, org.name, org.kind, str(org.get_kind_display()), org.city)


def person_view(*, viewer: User, subject: User) -> PersonView:
    """A person as `viewer` may see them: NotFound across units, numbers masked unless the role needs them.
    Memberships prefetched by `people_page` (ordered, with their units) are used as they are."""
    require(viewer, Action.PROFILE_VIEW, subject)
    full = can_view_pii(viewer, subject)
    if "memberships" in getattr(subject, "_prefetched_objects_cache", {}):
        held = list(subject.memberships.all())
    else:
        held = list(subject.memberships.select_related("organization").order_by("role", "organization__name"))
    memberships = [
        MembershipView(m.role, str(m.get_role_display()), organization_view(m.organization) if m.organization else None)
        for m in held
    ]
    return PersonView(
        id=subject.pk,
        username=subject.username,
        real_name=subject.real_name,
        id_number=shown_id_number(subject.id_number, full=full),
        mobile=shown_mobile(subject.mobile, full=full),
        email=subject.email if full else "",
        birth_date=subject.birth_date if full else None,
        language=subject.language,
        masked=not full,
        memberships=memberships,
    )


def me_view(user: User) -> MeView:
    """The caller as they see themselves (`person_view`), with their roles and their units, each once."""
    view = person_view(viewer=user, subject=user)
    organizations = {m.organization.id: m.organization for m in view.memberships if m.organization is not None}
    person = {f.name: getattr(view, f.name) for f in fields(PersonView)}
    return MeView(**person, roles=sorted({m.role for m in view.memberships}),
                  organizations=list(organizations.values()))


def people_visible(*, viewer: User) -> QuerySet[User]:
    qs = User.objects.filter(is_active=True).order_by("username")
    return filter_allowed(viewer, Action.PROFILE_VIEW, qs, unit_field="memberships__organization", owner_field="pk")


PEOPLE_PER_PAGE = 50


@dataclass(frozen=True, slots=True)
class PeoplePage:
    """One page of the people list: the rows, the search that chose them, where the page is among how many."""

    rows: list[PersonView]
    query: str
    number: int
    pages: int
    total: int


def _people_matching(query: str) -> Q:
    """Name or username containing the words; a whole ID or mobile number (normalised as stored) matching exactly.
    Numbers match only whole, so a masked list cannot be searched digit by digit to unmask a number."""
    condition = Q()
    for word in query.split():
        condition &= Q(real_name__icontains=word) | Q(username__icontains=word)
    whole = query.strip()
    if whole:
        condition |= Q(id_number=normalise_id_number(whole))
        try:
            condition |= Q(mobile=normalise_mobile(whole))
        except InvalidMobile:
            pass
    return condition


def people_page(*, viewer: User, query: str = "", page: int | str = 1) -> PeoplePage:
    """The people the viewer may see (`people_visible`), searched by `query`, `PEOPLE_PER_PAGE` at a time, each as
    `person_view` masks them. Out-of-range or malformed page numbers give the nearest page, never an error."""
    query = query.strip()[:100]
    people = people_visible(viewer=viewer).filter(_people_matching(query)).prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("organization")
                 .order_by("role", "organization__name")))
    paginator = Paginator(people, PEOPLE_PER_PAGE)
    current = paginator.get_page(page)
    rows = [person_view(viewer=viewer, subject=person) for person in current.object_list]
    return PeoplePage(rows=rows, query=query, number=current.number, pages=paginator.num_pages,
                      total=paginator.count)


def organizations_visible(*, viewer: User) -> QuerySet[Organization]:
    return filter_allowed(viewer, Action.ORGANIZATION_VIEW, Organization.objects.order_by("name"), unit_field="pk")


def organization_list(*, viewer: User) -> list[OrganizationView]:
    return [organization_view(org) for org in organizations_visible(viewer=viewer)]


def token_view(token: ApiToken) -> TokenView:
    return TokenView(id=token.pk, name=token.name, prefix=token.prefix, created_at=token.created_at,
                     expires_at=token.expires_at, revoked_at=token.revoked_at, last_used_at=token.last_used_at)


def issued_token_view(token: ApiToken, plaintext: str) -> IssuedTokenView:
    """A token just created, with its plaintext: the one answer that carries it."""
    return IssuedTokenView(**asdict(token_view(token)), token=plaintext)


def tokens_of(*, viewer: User, owner: User) -> list[TokenView]:
    require(viewer, Action.TOKEN_MANAGE, owner)
    return [token_view(t) for t in ApiToken.objects.filter(user=owner).order_by("-created_at")]


def memberships_of(user: User) -> QuerySet[Membership]:
    return user.memberships.select_related("organization").order_by("role")


def real_name_missing(user: User) -> bool:
    """Does the person still lack the name or ID number that registration, certification and certificates need?"""
    return not user.real_name or not user.id_number


def tokens_expiring_count(*, owner: User, within: timedelta) -> int:
    """How many of the person's live API tokens expire within `within` from now."""
    now = timezone.now()
    return ApiToken.objects.filter(
        user=owner, revoked_at__isnull=True, expires_at__gt=now, expires_at__lte=now + within
    ).count()


# --- finding people and units by name, for another app's right (the audit pages: audit.targets) ------------------

# The last four characters of an ID number, alone or in the masked form the pages show ("3701**********123X"):
# exactly what the mask shows already, so searching by them unmasks nothing (a longer suffix would, digit by digit).
_ID_SUFFIX = re.compile(r"^(?:[0-9]{4}\*+)?([0-9]{3}[0-9X])$")


def people_named(*, viewer: User, action: PolicyAction, query: str, limit: int) -> list[tuple[int, str]]:
    """(id, "王志强（contestant，3701**********1234）") of at most `limit` people `viewer` may take `action` on,
    whose real name or username contains every word of `query`, or whose ID number ends in the four characters
    its mask shows (`_ID_SUFFIX`)."""
    query = query.strip()[:100]
    condition = Q()
    for word in query.split():
        condition &= Q(real_name__icontains=word) | Q(username__icontains=word)
    suffix = _ID_SUFFIX.match(query.upper())
    if suffix:
        condition |= Q(id_number__endswith=suffix.group(1))
    people = filter_allowed(viewer, action, User.objects.filter(condition).order_by("real_name", "pk"),
                            unit_field="memberships__organization")
    return [(pk, f"{name or username}（{username}，{mask_id_number(number) or '—'}）")
            for pk, name, username, number in people.values_list("pk", "real_name", "username", "id_number")[:limit]]


def units_named(*, viewer: User, action: PolicyAction, query: str, limit: int) -> list[tuple[int, str]]:
    """(id, name) of at most `limit` units `viewer` may take `action` on, whose name or short name contains
    `query`."""
    query = query.strip()[:100]
    units = filter_allowed(viewer, action, Organization.objects.filter(
        Q(name__icontains=query) | Q(short_name__icontains=query)).order_by("name"), unit_field="pk")
    return list(units.values_list("pk", "name")[:limit])
