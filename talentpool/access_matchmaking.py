"""Access to matchmaking events, invitations, challenges, their applications and equipment requests (issue 14
items 8–9): each function loads one object, checks the caller's right through `accounts.permissions`
(talentpool.permissions), and locks it when asked (DESIGN.md "Layout": access.py). Kept beside the matching
engineer's talentpool/access.py, by subject, so the two parts merge as a union.

- `access_unit(user, unit_id, action)` → the Organization the caller acts for (organizer of an event, enterprise
  publishing or requesting, college applying, unit responding): 404 when missing or unseen, 403 when seen.
- `access_event(user, event_id, *, manage=False, lock=False)` → an event: its organizer's staff manage; every
  organizer staff and the admin read; an invited unit (one with an invitation that is not merely proposed) reads.
- `access_invitation(user, invitation_id, *, respond=False, lock=False)` → an invitation: the event's managers, or
  (with `respond`) the invited unit's HR/staff.
- `access_challenge(user, challenge_id, *, manage=False, lock=False)` → a challenge: its enterprise's HR manage;
  readers by `CHALLENGE_VIEW` (colleges read every one; enterprises only their own).
- `access_application(user, application_id, *, lock=False)` → an application: the challenge's enterprise, the
  applying college, organizer staff and the admin; another college gets 404.
- `access_equipment(user, equipment_id)` → open equipment of a submitted checklist (`SUPPLY_BROWSE`).
- `access_equipment_request(user, request_id, *, decide=False, lock=False)` → a request: the asking enterprise or
  the owning college (with `decide`, the college's staff).
"""

from __future__ import annotations

from typing import Any

from accounts.models import Organization
from accounts.permissions import can, reach, require
from core.errors import NotFound
from core.lookup import get_or_404
from talentpool.models import (
    Challenge,
    ChallengeApplication,
    ChecklistStatus,
    Equipment,
    EquipmentRequest,
    Invitation,
    InvitationStatus,
    MatchmakingEvent,
)
from talentpool.permissions import Action


def access_unit(user: Any, unit_id: int, action: Action) -> Organization:
    unit = get_or_404(Organization, pk=unit_id)
    require(user, action, unit)
    return unit


def reads_everything(user: Any) -> bool:
    """Organizer staff and the admin (and scripts): they read every event, challenge, application and request
    (talentpool.permissions: `MATCHMAKING_VIEW` everywhere)."""
    allowed = reach(user, Action.MATCHMAKING_VIEW)
    return allowed.everywhere


def _invited(user: Any, event: MatchmakingEvent) -> bool:
    units = [i.organization for i in Invitation.objects.filter(event=event).exclude(
        status=InvitationStatus.PROPOSED).select_related("organization")]
    return any(can(user, Action.MATCHMAKING_RESPOND, unit) for unit in units)


def access_event(user: Any, event_id: int, *, manage: bool = False, lock: bool = False) -> MatchmakingEvent:
    queryset = MatchmakingEvent.objects.select_for_update() if lock else MatchmakingEvent.objects.all()
    event = get_or_404(queryset.select_related("organizer", "chain", "alliance") if not lock else queryset,
                       pk=event_id)
    if manage:
        require(user, Action.MATCHMAKING_MANAGE, event)
        return event
    if can(user, Action.MATCHMAKING_MANAGE, event) or can(user, Action.MATCHMAKING_VIEW, event) \
            or _invited(user, event):
        return event
    raise NotFound()


def access_invitation(user: Any, invitation_id: int, *, respond: bool = False, lock: bool = False) -> Invitation:
    queryset = Invitation.objects.select_for_update() if lock else Invitation.objects.all()
    invitation = get_or_404(queryset, pk=invitation_id)
    if respond:
        if invitation.status == InvitationStatus.PROPOSED:
            raise NotFound()  # a mere proposal is not shown to the unit
        require(user, Action.MATCHMAKING_RESPOND, invitation.organization)
    else:
        require(user, Action.MATCHMAKING_MANAGE, invitation.event)
    return invitation


def access_challenge(user: Any, challenge_id: int, *, manage: bool = False, lock: bool = False) -> Challenge:
    queryset = Challenge.objects.select_for_update() if lock else Challenge.objects.select_related(
        "enterprise", "chain", "need")
    challenge = get_or_404(queryset, pk=challenge_id)
    require(user, Action.CHALLENGE_PUBLISH if manage else Action.CHALLENGE_VIEW, challenge)
    return challenge


def access_application(user: Any, application_id: int, *, lock: bool = False) -> ChallengeApplication:
    queryset = ChallengeApplication.objects.select_for_update() if lock else ChallengeApplication.objects.all()
    application = get_or_404(queryset.select_related("challenge") if not lock else queryset, pk=application_id)
    challenge = application.challenge
    if can(user, Action.CHALLENGE_PUBLISH, challenge) or can(user, Action.CHALLENGE_APPLY, application.college) \
            or reads_everything(user):
        return application
    raise NotFound()


def access_equipment(user: Any, equipment_id: int) -> Equipment:
    equipment = get_or_404(Equipment.objects.select_related("checklist", "checklist__college"), pk=equipment_id,
                           open_to_enterprises=True, checklist__status=ChecklistStatus.SUBMITTED)
    require(user, Action.SUPPLY_BROWSE)
    return equipment


def access_equipment_request(user: Any, request_id: int, *, decide: bool = False,
                             lock: bool = False) -> EquipmentRequest:
    queryset = EquipmentRequest.objects.select_for_update() if lock else EquipmentRequest.objects.all()
    request = get_or_404(queryset, pk=request_id)
    college = request.equipment.checklist.college
    if decide:
        require(user, Action.EQUIPMENT_DECIDE, college)
        return request
    if can(user, Action.EQUIPMENT_DECIDE, college) or can(user, Action.EQUIPMENT_REQUEST, request.enterprise) \
            or reads_everything(user):
        return request
    raise NotFound()
