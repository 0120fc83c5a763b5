"""Writes of 揭榜挂帅 challenges (issue 14 item 9): an enterprise's HR publishes a challenge (problem, goal, budget
in 万元, deadline, chain), optionally from one of its collaboration needs; a college's staff apply for their college
with a proposal and team (one standing application per college: a withdrawn one may be replaced); after the
deadline, or once the challenge is awarded or closed, no application is taken; the enterprise picks one (挂帅: the
others become not_selected, the challenge awarded) or closes it. Each write audited (`talentpool.challenge.*`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.actors import Actor
from accounts.models import OrganizationKind, User
from audit.services import audit_record
from core.errors import Conflict, FieldError, ValidationFailed
from talentpool import access_matchmaking as access
from talentpool.models import (
    ApplicationStatus,
    Challenge,
    ChallengeApplication,
    ChallengeStatus,
    CollaborationNeed,
    IndustryChain,
)
from talentpool.permissions import Action

MAX_BUDGET = Decimal("99999999.99")


def _person(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) else None


@dataclass(frozen=True, slots=True)
class ChallengeDraft:
    title: str
    problem: str
    goal: str
    budget: Decimal
    deadline: date
    chain_id: int | None = None
    need_id: int | None = None


def _snapshot(c: Challenge) -> dict[str, object]:
    return {"title": c.title, "budget": str(c.budget), "deadline": c.deadline, "chain": c.chain_id,
            "need": c.need_id, "status": c.status}


@transaction.atomic(durable=True)
def challenge_publish(*, actor: Actor, enterprise_id: int, draft: ChallengeDraft) -> Challenge:
    """Publish a challenge for the enterprise; a linked need must be one of the enterprise's own (its problem and
    goal fill those left blank); the deadline today or later; the budget not negative."""
    enterprise = access.access_unit(actor, enterprise_id, Action.CHALLENGE_PUBLISH)
    errors: list[FieldError] = []
    if enterprise.kind != OrganizationKind.ENTERPRISE:
        errors.append(FieldError("enterprise_id", "challenge.not_an_enterprise"))
    need = CollaborationNeed.objects.filter(pk=draft.need_id, checklist__enterprise=enterprise).first() \
        if draft.need_id else None
    if draft.need_id and need is None:
        errors.append(FieldError("need_id", "challenge.not_own_need"))
    # Published from a need, its problem and goal are the challenge's unless the enterprise rewrites them.
    problem = draft.problem.strip() or (need.problem if need else "")
    goal = draft.goal.strip() or (need.goal if need else "")
    for name, value in (("title", draft.title), ("problem", problem), ("goal", goal)):
        if not value.strip():
            errors.append(FieldError(name, "challenge.required"))
    if draft.budget < 0 or draft.budget > MAX_BUDGET:
        errors.append(FieldError("budget", "challenge.bad_budget"))
    if draft.deadline < timezone.localdate():
        errors.append(FieldError("deadline", "challenge.deadline_past"))
    chain = IndustryChain.objects.filter(pk=draft.chain_id).first() if draft.chain_id else None
    if draft.chain_id and chain is None:
        errors.append(FieldError("chain_id", "challenge.unknown_chain"))
    if errors:
        raise ValidationFailed(errors)
    challenge = Challenge.objects.create(
        enterprise=enterprise, need=need, title=draft.title.strip(), problem=problem[:4000], goal=goal[:4000],
        budget=draft.budget, deadline=draft.deadline, chain=chain,
        published_by=_person(actor))
    audit_record(actor=actor, action="talentpool.challenge.published", target=challenge, new=_snapshot(challenge))
    return challenge


@transaction.atomic(durable=True)
def challenge_apply(*, actor: Actor, challenge_id: int, college_id: int, proposal: str,
                    team: str = "") -> ChallengeApplication:
    """A college applies (揭榜) with its proposal and team: only while the challenge is open and before its
    deadline passes; one standing application per college (Conflict for a second)."""
    college = access.access_unit(actor, college_id, Action.CHALLENGE_APPLY)
    challenge = access.access_challenge(actor, challenge_id, lock=True)
    if college.kind != OrganizationKind.COLLEGE:
        raise ValidationFailed([FieldError("college_id", "challenge.not_a_college")])
    if challenge.status != ChallengeStatus.OPEN:
        raise Conflict("challenge.not_open")
    if challenge.deadline < timezone.localdate():
        raise Conflict("challenge.deadline_passed")
    if not proposal.strip():
        raise ValidationFailed([FieldError("proposal", "challenge.required")])
    if ChallengeApplication.objects.filter(challenge=challenge, college=college).exclude(
            status=ApplicationStatus.WITHDRAWN).exists():
        raise Conflict("challenge.already_applied")
    try:
        with transaction.atomic():
            application = ChallengeApplication.objects.create(
                challenge=challenge, college=college, proposal=proposal.strip(), team=team.strip()[:500],
                applied_by=_person(actor))
    except IntegrityError:  # the race the lock on the challenge already closes; kept for a direct insert
        raise Conflict("challenge.already_applied") from None
    audit_record(actor=actor, action="talentpool.challenge.applied", target=application,
                 new={"challenge": challenge.pk, "college": college.pk, "team": application.team})
    return application


@transaction.atomic(durable=True)
def challenge_application_withdraw(*, actor: Actor, application_id: int) -> ChallengeApplication:
    """The college withdraws its standing application while the challenge is open."""
    application = access.access_application(actor, application_id, lock=True)
    access.access_unit(actor, application.college_id, Action.CHALLENGE_APPLY)
    if application.status != ApplicationStatus.SUBMITTED or application.challenge.status != ChallengeStatus.OPEN:
        raise Conflict("challenge.not_withdrawable")
    application.status = ApplicationStatus.WITHDRAWN
    application.save(update_fields=["status"])
    audit_record(actor=actor, action="talentpool.challenge.withdrawn", target=application,
                 old={"status": ApplicationStatus.SUBMITTED}, new={"status": application.status})
    return application


@transaction.atomic(durable=True)
def challenge_pick(*, actor: Actor, application_id: int) -> Challenge:
    """The enterprise picks one application (挂帅): it becomes selected, the challenge's other standing
    applications not_selected, and the challenge awarded. Only on an open challenge."""
    application = access.access_application(actor, application_id)
    challenge = access.access_challenge(actor, application.challenge_id, manage=True, lock=True)
    application = ChallengeApplication.objects.select_for_update().get(pk=application.pk)
    if challenge.status != ChallengeStatus.OPEN:
        raise Conflict("challenge.not_open")
    if application.status != ApplicationStatus.SUBMITTED:
        raise Conflict("challenge.application_not_standing")
    others = ChallengeApplication.objects.filter(challenge=challenge, status=ApplicationStatus.SUBMITTED).exclude(
        pk=application.pk)
    not_selected = list(others.values_list("pk", flat=True))
    others.update(status=ApplicationStatus.NOT_SELECTED)
    application.status = ApplicationStatus.SELECTED
    application.save(update_fields=["status"])
    challenge.status = ChallengeStatus.AWARDED
    challenge.awarded_at = timezone.now()
    challenge.save(update_fields=["status", "awarded_at"])
    audit_record(actor=actor, action="talentpool.challenge.awarded", target=challenge,
                 old={"status": ChallengeStatus.OPEN},
                 new={"status": challenge.status, "selected": application.pk, "not_selected": not_selected})
    return challenge


@transaction.atomic(durable=True)
def challenge_close(*, actor: Actor, challenge_id: int, reason: str = "") -> Challenge:
    """The enterprise closes an open challenge without picking; standing applications become not_selected."""
    challenge = access.access_challenge(actor, challenge_id, manage=True, lock=True)
    if challenge.status != ChallengeStatus.OPEN:
        raise Conflict("challenge.not_open")
    ChallengeApplication.objects.filter(challenge=challenge, status=ApplicationStatus.SUBMITTED).update(
        status=ApplicationStatus.NOT_SELECTED)
    challenge.status = ChallengeStatus.CLOSED
    challenge.save(update_fields=["status"])
    audit_record(actor=actor, action="talentpool.challenge.closed", target=challenge,
                 old={"status": ChallengeStatus.OPEN}, new={"status": challenge.status}, reason=reason.strip())
    return challenge
