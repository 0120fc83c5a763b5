"""Reads of 揭榜挂帅 challenges and equipment sharing (issue 14 item 9) for pages and API.

- `challenges_for(viewer)`: an enterprise's HR its own challenges; organizer staff and the admin every one;
  a college's staff the open ones, ranked by how well the college's research projects, equipment and cases match
  the challenge's text (talentpool.domain.text_similarity.rank_offers over the college's newest submitted supply
  checklist), each with the best matching item as the reason.
- `challenge_view(challenge, viewer)`: one challenge with the applications the viewer may read (the enterprise and
  organizers: all; a college: its own only, never another college's).
- `open_equipment(filters)`: open equipment of every college's newest submitted checklist, filtered by text (name
  or function), city, chain, free/paid.
- `equipment_requests_for(viewer)`: the requests of the viewer's enterprises and of its colleges' equipment.
Units' contact data of the checklists is never read here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from accounts.models import Organization
from accounts.permissions import can, reach
from talentpool.access_matchmaking import reads_everything
from talentpool.domain.text_similarity import rank_offers
from talentpool.models import (
    ApplicationStatus,
    Challenge,
    ChallengeApplication,
    ChallengeStatus,
    City,
    CollaborationNeed,
    Equipment,
    EquipmentRequest,
)
from talentpool.permissions import Action
from talentpool.selectors.matchmaking import latest_submitted_supply


@dataclass(frozen=True, slots=True)
class ChallengeRow:
    id: int
    title: str
    enterprise_name: str
    budget: Decimal
    deadline: date
    chain_name: str
    status: str
    status_label: str
    applications: int
    match_score: float | None  # for a college: the best similarity of its offers to the challenge
    match_reason: str


def _challenge_text(c: Challenge) -> str:
    return f"{c.title} {c.problem} {c.goal}"


def college_offers(college_id: int) -> list[tuple[str, str]]:
    """A college's offers for challenges, as (label, text): research projects, open or not equipment, cases."""
    checklist = latest_submitted_supply().filter(college_id=college_id).first()
    if checklist is None:
        return []
    offers: list[tuple[str, str]] = []
    offers += [(f"科研项目：{r.name}", f"{r.name} {r.kind} {r.client}") for r in checklist.research.all()]
    offers += [(f"设备：{e.name}", f"{e.name} {e.function}") for e in checklist.equipment.all()]
    offers += [(f"案例：{c.title}", f"{c.title} {c.description}") for c in checklist.cases.all()]
    return offers


def _college_of(viewer: object) -> int | None:
    units = sorted(reach(viewer, Action.CHALLENGE_APPLY).units)
    return units[0] if units else None


def challenges_for(viewer: object, *, college_id: int | None = None) -> list[ChallengeRow]:
    queryset = Challenge.objects.select_related("enterprise", "chain")
    college = college_id if college_id is not None else _college_of(viewer)
    everything = reads_everything(viewer)
    if not everything:
        own = reach(viewer, Action.CHALLENGE_PUBLISH).units
        condition = Q(enterprise_id__in=own)
        if college is not None:
            condition |= Q(status=ChallengeStatus.OPEN, deadline__gte=timezone.localdate())
        queryset = queryset.filter(condition)
    challenges = list(queryset[:500])
    counts: dict[int, int] = {}
    for challenge_id in ChallengeApplication.objects.filter(challenge__in=challenges).exclude(
            status=ApplicationStatus.WITHDRAWN).values_list("challenge_id", flat=True):
        counts[challenge_id] = counts.get(challenge_id, 0) + 1
    scores: dict[int, tuple[float, str]] = {}
    if college is not None:
        offers = college_offers(college)
        open_ones = [c for c in challenges if c.status == ChallengeStatus.OPEN]
        if offers and open_ones:
            ranked = rank_offers([_challenge_text(c) for c in open_ones], [text for _label, text in offers], k=1)
            for c, best in zip(open_ones, ranked, strict=True):
                if best:
                    index, similarity = best[0]
                    scores[c.pk] = (round(similarity, 3), offers[index][0])
    rows = [ChallengeRow(c.pk, c.title, c.enterprise.name, c.budget, c.deadline, c.chain.name if c.chain else "",
                         c.status, c.get_status_display(), counts.get(c.pk, 0),
                         scores[c.pk][0] if c.pk in scores else (0.0 if college is not None else None),
                         scores[c.pk][1] if c.pk in scores else "") for c in challenges]
    if college is not None:
        rows.sort(key=lambda r: (r.status != ChallengeStatus.OPEN, -(r.match_score or 0.0), r.deadline, r.id))
    return rows


@dataclass(frozen=True, slots=True)
class ApplicationView:
    id: int
    college_id: int
    college_name: str
    proposal: str
    team: str
    status: str
    status_label: str
    applied_at: str


@dataclass(frozen=True, slots=True)
class ChallengeView:
    id: int
    title: str
    enterprise_id: int
    enterprise_name: str
    problem: str
    goal: str
    budget: Decimal
    deadline: date
    chain_name: str
    need_id: int | None
    status: str
    status_label: str
    open_for_applications: bool
    may_manage: bool
    apply_as: int | None  # the college the viewer may apply for, when it has no standing application
    applications: list[ApplicationView]


def challenge_view(challenge: Challenge, *, viewer: object) -> ChallengeView:
    may_manage = can(viewer, Action.CHALLENGE_PUBLISH, challenge)
    applications = ChallengeApplication.objects.filter(challenge=challenge).select_related("college")
    colleges = reach(viewer, Action.CHALLENGE_APPLY).units
    if not (may_manage or reads_everything(viewer)):
        applications = applications.filter(college_id__in=colleges)  # a college sees only its own
    rows = list(applications)
    open_now = challenge.status == ChallengeStatus.OPEN and challenge.deadline >= timezone.localdate()
    standing = {a.college_id for a in rows if a.status != ApplicationStatus.WITHDRAWN}
    apply_as = next((c for c in sorted(colleges) if c not in standing), None) if open_now else None
    if apply_as is not None and not Organization.objects.filter(pk=apply_as, kind="college").exists():
        apply_as = None
    return ChallengeView(
        challenge.pk, challenge.title, challenge.enterprise_id, challenge.enterprise.name, challenge.problem,
        challenge.goal, challenge.budget, challenge.deadline, challenge.chain.name if challenge.chain else "",
        challenge.need_id, challenge.status, challenge.get_status_display(), open_now, may_manage, apply_as,
        [ApplicationView(a.pk, a.college_id, a.college.name, a.proposal, a.team, a.status, a.get_status_display(),
                         timezone.localtime(a.applied_at).strftime("%Y-%m-%d %H:%M")) for a in rows])


@dataclass(frozen=True, slots=True)
class NeedChoice:
    id: int
    label: str


def enterprise_needs(enterprise_id: int) -> list[NeedChoice]:
    """The enterprise's collaboration needs, to publish one as a challenge."""
    return [NeedChoice(n.pk, f"{n.checklist.year} · {n.problem[:60]}") for n in CollaborationNeed.objects.filter(
        checklist__enterprise_id=enterprise_id).select_related("checklist").order_by("-checklist__year", "position")]


# --- equipment ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class EquipmentFilters:
    text: str = ""
    city: str = ""
    chain_id: int | None = None
    paid: bool | None = None  # None: either


@dataclass(frozen=True, slots=True)
class EquipmentRow:
    id: int
    name: str
    count: int
    function: str
    paid: bool
    open_hours: str
    college_id: int
    college_name: str
    city: str
    city_label: str


def open_equipment(filters: EquipmentFilters, *, limit: int = 200) -> list[EquipmentRow]:
    queryset = Equipment.objects.filter(open_to_enterprises=True, checklist__in=latest_submitted_supply()) \
        .select_related("checklist", "checklist__college").order_by("checklist__college_name", "position")
    text = filters.text.strip()
    if text:
        queryset = queryset.filter(Q(name__icontains=text) | Q(function__icontains=text))
    if filters.city:
        queryset = queryset.filter(checklist__city=filters.city)
    if filters.chain_id:
        queryset = queryset.filter(checklist__chains__id=filters.chain_id).distinct()
    if filters.paid is not None:
        queryset = queryset.filter(paid=filters.paid)
    labels = dict(City.choices)
    return [EquipmentRow(e.pk, e.name, e.count, e.function, e.paid, e.open_hours, e.checklist.college_id,
                         e.checklist.college_name, e.checklist.city, str(labels.get(e.checklist.city, "")))
            for e in queryset[:limit]]


def equipment_row(equipment: Equipment) -> EquipmentRow:
    return EquipmentRow(equipment.pk, equipment.name, equipment.count, equipment.function, equipment.paid,
                        equipment.open_hours, equipment.checklist.college_id, equipment.checklist.college_name,
                        equipment.checklist.city, str(dict(City.choices).get(equipment.checklist.city, "")))


@dataclass(frozen=True, slots=True)
class EquipmentRequestView:
    id: int
    equipment_id: int
    equipment_name: str
    college_name: str
    enterprise_name: str
    purpose: str
    start_on: date
    end_on: date
    status: str
    status_label: str
    reply: str
    may_decide: bool
    may_withdraw: bool


def equipment_request_view(r: EquipmentRequest, *, viewer: object) -> EquipmentRequestView:
    pending = r.status == "pending"
    return EquipmentRequestView(
        r.pk, r.equipment_id, r.equipment.name, r.equipment.checklist.college_name, r.enterprise.name, r.purpose,
        r.start_on, r.end_on, r.status, r.get_status_display(), r.reply,
        pending and can(viewer, Action.EQUIPMENT_DECIDE, r.equipment.checklist.college),
        pending and can(viewer, Action.EQUIPMENT_REQUEST, r.enterprise))


def equipment_requests_for(viewer: object) -> list[EquipmentRequestView]:
    queryset = EquipmentRequest.objects.select_related("equipment", "equipment__checklist",
                                                       "equipment__checklist__college", "enterprise")
    if not reads_everything(viewer):
        queryset = queryset.filter(Q(enterprise_id__in=reach(viewer, Action.EQUIPMENT_REQUEST).units)
                                   | Q(equipment__checklist__college_id__in=reach(viewer,
                                                                                   Action.EQUIPMENT_DECIDE).units))
    return [equipment_request_view(r, viewer=viewer) for r in queryset[:500]]
