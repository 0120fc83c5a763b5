"""Writes of matchmaking events (对接会, issue 14 item 8): an organizer creates an event for a chain, a city or an
alliance; the platform proposes units to invite (talentpool.domain.matchmaking; recorded as `Invitation` rows with
`proposed=True` and the reason, idempotent); the organizer invites or uninvites; an invited unit accepts or
declines; the organizer records outcomes (interviews, hires, training contracts, agreements 签约) with counts.
Each write audited (`talentpool.matchmaking.*`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from accounts.actors import Actor
from accounts.models import Alliance, Organization, OrganizationKind, User
from audit.services import audit_record
from core.errors import Conflict, FieldError, ValidationFailed
from core.lookup import get_or_404
from talentpool import access_matchmaking as access
from talentpool.domain.matchmaking import propose_invitations
from talentpool.models import (
    City,
    IndustryChain,
    Invitation,
    InvitationStatus,
    MatchmakingEvent,
    MatchmakingScope,
    Outcome,
    OutcomeKind,
)
from talentpool.permissions import Action
from talentpool.selectors.matchmaking import proposal_inputs


@dataclass(frozen=True, slots=True)
class EventDraft:
    """What an organizer says of a new event; exactly the scope's field is read (chain, city or alliance)."""

    name: str
    scope: MatchmakingScope
    held_on: date
    chain_id: int | None = None
    city: str = ""
    alliance_id: int | None = None
    venue: str = ""
    description: str = ""


def _event_snapshot(e: MatchmakingEvent) -> dict[str, object]:
    return {"name": e.name, "scope": e.scope, "chain": e.chain_id, "city": e.city, "alliance": e.alliance_id,
            "held_on": e.held_on, "venue": e.venue, "organizer": e.organizer_id}


@transaction.atomic(durable=True)
def matchmaking_event_create(*, actor: Actor, organizer_id: int, draft: EventDraft) -> MatchmakingEvent:
    """Create an event for the organizer's unit; the scope must name its chain, city or alliance."""
    organizer = access.access_unit(actor, organizer_id, Action.MATCHMAKING_MANAGE)
    errors: list[FieldError] = []
    if not draft.name.strip():
        errors.append(FieldError("name", "matchmaking.name_required"))
    chain = alliance = None
    city = ""
    if draft.scope == MatchmakingScope.CHAIN:
        chain = IndustryChain.objects.filter(pk=draft.chain_id).first() if draft.chain_id else None
        if chain is None:
            errors.append(FieldError("chain_id", "matchmaking.scope_missing"))
    elif draft.scope == MatchmakingScope.CITY:
        city = draft.city if draft.city in City.values else ""
        if not city:
            errors.append(FieldError("city", "matchmaking.scope_missing"))
    else:
        alliance = Alliance.objects.filter(pk=draft.alliance_id).first() if draft.alliance_id else None
        if alliance is None:
            errors.append(FieldError("alliance_id", "matchmaking.scope_missing"))
    if errors:
        raise ValidationFailed(errors)
    event = MatchmakingEvent.objects.create(
        organizer=organizer, name=draft.name.strip(), scope=draft.scope, chain=chain, city=city, alliance=alliance,
        held_on=draft.held_on, venue=draft.venue.strip(), description=draft.description.strip(),
        created_by=_person(actor))
    audit_record(actor=actor, action="talentpool.matchmaking.created", target=event, new=_event_snapshot(event))
    return event


def _person(actor: Actor) -> User | None:
    """The person behind the actor, for the `…_by` columns (None for the system actor, which the audit names)."""
    return actor if isinstance(actor, User) else None


@transaction.atomic(durable=True)
def matchmaking_propose(*, actor: Actor, event_id: int) -> list[Invitation]:
    """Record the platform's proposals for the event (talentpool.domain.matchmaking) as `proposed` invitations
    with their reasons. Idempotent: a unit already on the list (proposed, invited or answered) is left as it is,
    so running it twice records nothing new; returns the invitations it added."""
    event = access.access_event(actor, event_id, manage=True, lock=True)
    scope, enterprises, colleges = proposal_inputs(event)
    proposals = propose_invitations(scope, enterprises, colleges)
    present = set(Invitation.objects.filter(event=event).values_list("organization_id", flat=True))
    added = []
    for proposal in proposals:
        if proposal.organization_id in present:
            continue
        invitation = Invitation.objects.create(event=event, organization_id=proposal.organization_id,
                                               status=InvitationStatus.PROPOSED, proposed=True,
                                               reason=proposal.reason)
        added.append(invitation)
    if added:
        audit_record(actor=actor, action="talentpool.matchmaking.proposed", target=event,
                     new={"proposed": [(i.organization_id, i.reason) for i in added]})
    return added


@transaction.atomic(durable=True)
def matchmaking_invite(*, actor: Actor, event_id: int, organization_id: int) -> Invitation:
    """Invite a unit (enterprise or college): a proposed one moves to invited; another unit is added as invited;
    one that declined may be invited again. An accepted invitation stays as it is (Conflict)."""
    event = access.access_event(actor, event_id, manage=True, lock=True)
    unit = get_or_404(Organization, pk=organization_id)
    if unit.kind not in (OrganizationKind.ENTERPRISE, OrganizationKind.COLLEGE):
        raise ValidationFailed([FieldError("organization_id", "matchmaking.not_a_unit_to_invite")])
    invitation = Invitation.objects.select_for_update().filter(event=event, organization=unit).first()
    old = invitation.status if invitation else None
    if invitation is None:
        invitation = Invitation.objects.create(event=event, organization=unit, status=InvitationStatus.INVITED)
    elif invitation.status in (InvitationStatus.INVITED, InvitationStatus.ACCEPTED):
        raise Conflict("matchmaking.already_invited")
    else:
        invitation.status = InvitationStatus.INVITED
        invitation.updated_at = timezone.now()
        invitation.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="talentpool.matchmaking.invited", target=invitation,
                 old={"status": old}, new={"status": invitation.status, "organization": unit.pk})
    return invitation


@transaction.atomic(durable=True)
def matchmaking_uninvite(*, actor: Actor, invitation_id: int) -> Invitation | None:
    """Take an invitation back: a proposed unit returns to the proposals; one added by hand is removed (None)."""
    invitation = access.access_invitation(actor, invitation_id, lock=True)
    if invitation.status == InvitationStatus.PROPOSED:
        raise Conflict("matchmaking.not_invited")
    old = {"status": invitation.status, "organization": invitation.organization_id}
    if invitation.proposed:
        invitation.status = InvitationStatus.PROPOSED
        invitation.updated_at = timezone.now()
        invitation.save(update_fields=["status", "updated_at"])
        audit_record(actor=actor, action="talentpool.matchmaking.uninvited", target=invitation, old=old,
                     new={"status": invitation.status})
        return invitation
    audit_record(actor=actor, action="talentpool.matchmaking.uninvited", target=invitation, old=old, new=None)
    invitation.delete()
    return None


@transaction.atomic(durable=True)
def matchmaking_respond(*, actor: Actor, invitation_id: int, accept: bool) -> Invitation:
    """The invited unit accepts (确认参会) or declines; it may change its answer until the event's day."""
    invitation = access.access_invitation(actor, invitation_id, respond=True, lock=True)
    if invitation.event.held_on < timezone.localdate():
        raise Conflict("matchmaking.event_past")
    old = invitation.status
    invitation.status = InvitationStatus.ACCEPTED if accept else InvitationStatus.DECLINED
    invitation.updated_at = timezone.now()
    invitation.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="talentpool.matchmaking.responded", target=invitation, old={"status": old},
                 new={"status": invitation.status})
    return invitation


@dataclass(frozen=True, slots=True)
class OutcomeDraft:
    kind: OutcomeKind
    enterprise_id: int
    count: int = 1
    college_id: int | None = None
    note: str = ""


@transaction.atomic(durable=True)
def matchmaking_outcome_record(*, actor: Actor, event_id: int, draft: OutcomeDraft) -> Outcome:
    """Record an outcome of the event (成效): its kind and count between an enterprise and, optionally, a college,
    both of them on the event's list (invited or accepted), so the dashboard counts only what the event made."""
    event = access.access_event(actor, event_id, manage=True, lock=True)
    on_list = set(Invitation.objects.filter(event=event, status__in=[
        InvitationStatus.INVITED, InvitationStatus.ACCEPTED]).values_list("organization_id", "organization__kind"))
    enterprises = {oid for oid, kind in on_list if kind == OrganizationKind.ENTERPRISE}
    colleges = {oid for oid, kind in on_list if kind == OrganizationKind.COLLEGE}
    errors: list[FieldError] = []
    if draft.kind not in OutcomeKind.values:
        errors.append(FieldError("kind", "matchmaking.bad_outcome_kind"))
    if draft.enterprise_id not in enterprises:
        errors.append(FieldError("enterprise_id", "matchmaking.outcome_not_invited"))
    if draft.college_id is not None and draft.college_id not in colleges:
        errors.append(FieldError("college_id", "matchmaking.outcome_not_invited"))
    if draft.count < 1:
        errors.append(FieldError("count", "matchmaking.count_positive"))
    if errors:
        raise ValidationFailed(errors)
    outcome = Outcome.objects.create(event=event, kind=draft.kind, enterprise_id=draft.enterprise_id,
                                     college_id=draft.college_id, count=draft.count, note=draft.note.strip()[:300],
                                     recorded_by=_person(actor))
    audit_record(actor=actor, action="talentpool.matchmaking.outcome_recorded", target=outcome,
                 new={"kind": outcome.kind, "enterprise": outcome.enterprise_id, "college": outcome.college_id,
                      "count": outcome.count, "note": outcome.note})
    return outcome
