"""Reads of matchmaking events (issue 14 item 8) for pages and API: the list, one event with its proposals,
invitations and outcomes, a unit's invitations, and the plain aggregates the proposal rule reads
(talentpool.domain.matchmaking). Only units, counts and reasons: no person is shown, so nothing is masked here;
the units' contact data of the checklists is never read."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from accounts.models import Alliance, AllianceMember, Organization
from accounts.permissions import can, reach
from talentpool.domain.matchmaking import (
    CollegeOffer,
    EnterpriseDemand,
    EventScope,
    MajorOffer,
    PostDemand,
    ScopeKind,
)
from talentpool.models import (
    ChecklistStatus,
    DemandChecklist,
    DemandPost,
    GraduateRecord,
    Invitation,
    InvitationStatus,
    MatchmakingEvent,
    Outcome,
    SupplyChecklist,
    SupplyMajor,
)
from talentpool.permissions import Action

GRADUATE_YEARS = 3


def latest_submitted_demand() -> QuerySet[DemandChecklist]:
    """Each enterprise's newest submitted demand checklist (the one organizers count)."""
    rows = DemandChecklist.objects.filter(status=ChecklistStatus.SUBMITTED).order_by("enterprise_id", "-year") \
        .values_list("pk", "enterprise_id")
    newest: dict[int, int] = {}
    for pk, enterprise_id in rows:
        newest.setdefault(enterprise_id, pk)
    return DemandChecklist.objects.filter(pk__in=newest.values())


def latest_submitted_supply() -> QuerySet[SupplyChecklist]:
    rows = SupplyChecklist.objects.filter(status=ChecklistStatus.SUBMITTED).order_by("college_id", "-year") \
        .values_list("pk", "college_id")
    newest: dict[int, int] = {}
    for pk, college_id in rows:
        newest.setdefault(college_id, pk)
    return SupplyChecklist.objects.filter(pk__in=newest.values())


def graduate_years(today: date | None = None) -> tuple[int, int]:
    """The last three graduation years, inclusive (this year's and the two before)."""
    year = (today or timezone.localdate()).year
    return year - GRADUATE_YEARS + 1, year


def proposal_inputs(event: MatchmakingEvent) -> tuple[EventScope, list[EnterpriseDemand], list[CollegeOffer]]:
    """The aggregates the proposal rule reads, from the newest submitted checklists (a fixed number of queries)."""
    members: frozenset[int] = frozenset()
    if event.scope == ScopeKind.ALLIANCE and event.alliance_id:
        alliance = Alliance.objects.get(pk=event.alliance_id)
        member_ids = AllianceMember.objects.filter(alliance=alliance).values_list("organization_id", flat=True)
        members = frozenset(member_ids) | {alliance.lead_id}
    scope = EventScope(ScopeKind(event.scope), event.chain_id, event.city, members)
    enterprises = [
        EnterpriseDemand(
            c.enterprise_id, c.enterprise.name, c.city, frozenset(ch.pk for ch in c.chains.all()),
            tuple(PostDemand(p.name, p.occupation_code, p.occupation_name, p.headcount) for p in c.posts.all()))
        for c in latest_submitted_demand().select_related("enterprise").prefetch_related(
            "chains", Prefetch("posts", queryset=DemandPost.objects.order_by("position")))
    ]
    first, last = graduate_years()
    colleges = []
    for c in latest_submitted_supply().select_related("college").prefetch_related(
            "chains", "courses", Prefetch("majors", queryset=SupplyMajor.objects.order_by("code").prefetch_related(
                Prefetch("graduates", queryset=GraduateRecord.objects.filter(year__gte=first, year__lte=last))))):
        majors = tuple(MajorOffer(m.name, tuple(str(code) for code in (m.occupation_codes or [])),
                                  sum(g.count for g in m.graduates.all())) for m in c.majors.all())
        colleges.append(CollegeOffer(c.college_id, c.college.name, c.city, frozenset(ch.pk for ch in c.chains.all()),
                                     majors, len(c.courses.all())))
    return scope, enterprises, colleges


@dataclass(frozen=True, slots=True)
class EventRow:
    id: int
    name: str
    scope: str
    scope_label: str
    scope_name: str
    held_on: date
    venue: str
    organizer_name: str
    invited: int
    accepted: int
    outcomes: int


@dataclass(frozen=True, slots=True)
class InvitationView:
    id: int
    organization_id: int
    organization_name: str
    organization_kind: str
    status: str
    status_label: str
    proposed: bool
    reason: str


@dataclass(frozen=True, slots=True)
class OutcomeView:
    id: int
    kind: str
    kind_label: str
    enterprise_name: str
    college_name: str
    count: int
    note: str
    recorded_at: str


@dataclass(frozen=True, slots=True)
class EventView:
    id: int
    name: str
    scope: str
    scope_label: str
    scope_name: str
    held_on: date
    venue: str
    description: str
    organizer_id: int
    organizer_name: str
    may_manage: bool
    invitations: list[InvitationView]
    outcomes: list[OutcomeView]
    outcome_totals: dict[str, int]


def _scope_name(e: MatchmakingEvent) -> str:
    if e.scope == ScopeKind.CHAIN and e.chain is not None:
        return e.chain.name
    if e.scope == ScopeKind.CITY:
        return e.get_city_display()
    return e.alliance.name if e.alliance is not None else ""


def events_for(viewer: object) -> list[EventRow]:
    """The events the viewer reads: organizer staff and the admin every one; a unit those it is invited to."""
    queryset = MatchmakingEvent.objects.select_related("organizer", "chain", "alliance")
    if not reach(viewer, Action.MATCHMAKING_VIEW).everywhere:
        units = reach(viewer, Action.MATCHMAKING_RESPOND).units
        invited = Invitation.objects.filter(organization_id__in=units).exclude(status=InvitationStatus.PROPOSED)
        queryset = queryset.filter(pk__in=invited.values("event_id"))
    events = list(queryset[:200])
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for event_id, status in Invitation.objects.filter(event__in=events).values_list("event_id", "status"):
        counts[event_id][status] += 1
    outcome_counts: dict[int, int] = defaultdict(int)
    for event_id, count in Outcome.objects.filter(event__in=events).values_list("event_id", "count"):
        outcome_counts[event_id] += count
    return [EventRow(e.pk, e.name, e.scope, e.get_scope_display(), _scope_name(e), e.held_on, e.venue,
                     e.organizer.name, counts[e.pk]["invited"] + counts[e.pk]["accepted"] + counts[e.pk]["declined"],
                     counts[e.pk]["accepted"], outcome_counts[e.pk]) for e in events]


def event_view(event: MatchmakingEvent, *, viewer: object) -> EventView:
    """One event. Its managers see the proposals and every invitation; an invited unit sees the list of units
    invited (not the proposals) and the outcomes."""
    may_manage = can(viewer, Action.MATCHMAKING_MANAGE, event)
    invitations = Invitation.objects.filter(event=event).select_related("organization").order_by(
        "organization__kind", "pk")
    if not may_manage:
        invitations = invitations.exclude(status=InvitationStatus.PROPOSED)
    outcomes = list(Outcome.objects.filter(event=event).select_related("enterprise", "college"))
    totals: dict[str, int] = defaultdict(int)
    for o in outcomes:
        totals[o.kind] += o.count
    return EventView(
        event.pk, event.name, event.scope, event.get_scope_display(), _scope_name(event), event.held_on, event.venue,
        event.description, event.organizer_id, event.organizer.name, may_manage,
        [InvitationView(i.pk, i.organization_id, i.organization.name, i.organization.kind, i.status,
                        i.get_status_display(), i.proposed, i.reason if may_manage else "") for i in invitations],
        [OutcomeView(o.pk, o.kind, o.get_kind_display(), o.enterprise.name, o.college.name if o.college else "",
                     o.count, o.note, timezone.localtime(o.recorded_at).strftime("%Y-%m-%d %H:%M"))
         for o in outcomes],
        dict(totals))


@dataclass(frozen=True, slots=True)
class MyInvitation:
    id: int
    event_id: int
    event_name: str
    held_on: date
    venue: str
    organization_name: str
    status: str
    status_label: str
    may_respond: bool


def my_invitations(viewer: object) -> list[MyInvitation]:
    """The invitations of the viewer's units (never the mere proposals)."""
    units = reach(viewer, Action.MATCHMAKING_RESPOND).units
    today = timezone.localdate()
    rows = Invitation.objects.filter(organization_id__in=units).exclude(status=InvitationStatus.PROPOSED) \
        .select_related("event", "organization").order_by("-event__held_on", "pk")
    return [MyInvitation(i.pk, i.event_id, i.event.name, i.event.held_on, i.event.venue, i.organization.name,
                         i.status, i.get_status_display(), i.event.held_on >= today) for i in rows]


def organizer_units(viewer: object) -> list[Organization]:
    """The units the viewer may create events for."""
    allowed = reach(viewer, Action.MATCHMAKING_MANAGE)
    queryset = Organization.objects.filter(kind="organizer")
    return list(queryset if allowed.everywhere else queryset.filter(pk__in=allowed.units))
