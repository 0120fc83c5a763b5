"""Review period (公示), objections, titles and nominations (DESIGN.md "Titles", "Publication"; issue 4 item 6).

Standings are never typed in: `competitions.selectors.skill_standings` derives them from the marks' cached totals
with the pure ranking, awards, titles and promotion functions, and the skill's standings snapshot stores what they
derive (competitions.selectors.standings; checked against the marks by competitions.services.standings). What is
stored besides is what needs a person's act: an objection and its answer, a title proposal and its approval
(核准), a nomination (选拔).

When a skill is published (`publish_side_effects`, inside the transition's transaction) the 技术能手 proposals of
its ranking are recorded, one per team member, and when the skill is linked to a higher-level skill its top N
places (ties at the boundary included) are nominated there.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from accounts.actors import Actor
from accounts.models import User
from accounts.permissions import require
from audit.services import audit_record
from competitions import access
from competitions.domain import objections
from competitions.models import EntryMember, Nomination, Objection, Skill, Status, TitleProposal
from competitions.permissions import Action
from competitions.selectors.results import ranked_entries
from core.errors import Conflict, FieldError, ValidationFailed


def publish_side_effects(*, skill: Skill, actor: Actor, now: datetime) -> None:
    """Record title proposals and nominations of a skill being published (module docstring)."""
    ranked = ranked_entries(skill, names=True)
    members: dict[int, list[int]] = {}
    for entry_id, person_id in EntryMember.objects.filter(entry__skill=skill).values_list("entry_id", "person_id"):
        members.setdefault(entry_id, []).append(person_id)
    for ranked_entry in ranked:
        row = ranked_entry.standing
        if row.title_scope is None:
            continue
        for person_id in members.get(ranked_entry.entry_id, []):
            proposal, created = TitleProposal.objects.get_or_create(
                entry_id=ranked_entry.entry_id, person_id=person_id,
                defaults={"scope": row.title_scope, "place": row.place, "proposed_at": now},
            )
            if created:
                audit_record(actor=actor, action="competitions.title.proposed", target=proposal,
                             new={"entry": ranked_entry.entry_id, "person": person_id, "scope": row.title_scope,
                                  "place": row.place})
    if skill.nominates_to_id is not None and skill.nominate_top:
        # A nomination names a person: the one who published, or for the system actor the decrypting officer.
        creator = actor if isinstance(actor, User) else (
            User.objects.filter(pk=skill.decrypted_by_id).first() if skill.decrypted_by_id is not None else None
        )
        for ranked_entry in ranked:
            place = ranked_entry.standing.place
            if place > skill.nominate_top or creator is None:
                continue
            nomination, created = Nomination.objects.get_or_create(
                from_entry_id=ranked_entry.entry_id, to_skill_id=skill.nominates_to_id,
                defaults={"place": place, "created_by": creator, "created_at": now},
            )
            if created:
                audit_record(actor=actor, action="competitions.nomination.recorded", target=nomination,
                             new={"entry": ranked_entry.entry_id, "to_skill": skill.nominates_to_id, "place": place})


@transaction.atomic(durable=True)
def objection_file(*, person: User, entry_id: int, text: str) -> Objection:
    """A real-name objection to a result during the review period (公示期), from someone the entry concerns, one
    open objection per person and entry, a few within minutes (competitions.domain.objections)."""
    entry = access.access_entry_for_objection(person, entry_id)
    # One person's objections are filed one after another, so the count of recent ones is exact.
    User.objects.select_for_update(of=("self",)).filter(pk=person.pk).first()
    now = timezone.now()
    mine = Objection.objects.filter(filed_by=person)
    refusal = objections.objection_refusal(
        access.objector(person, entry), has_open=mine.filter(entry=entry, answered_at__isnull=True).exists(),
        filed_at=mine.filter(filed_at__gte=now - objections.WINDOW).values_list("filed_at", flat=True), now=now,
    )
    if refusal is not None:
        raise refusal
    if not (person.real_name and person.id_number):
        raise ValidationFailed([FieldError("filed_by", "objection.real_name_required")])
    if not text.strip():
        raise ValidationFailed([FieldError("text", "field.required")])
    if entry.skill.status != Status.REVIEW:
        raise Conflict("objection.not_in_review")
    objection = Objection.objects.create(entry=entry, filed_by=person, text=text.strip(), filed_at=now)
    audit_record(actor=person, action="competitions.objection.filed", target=objection,
                 new={"entry": entry.pk, "text": objection.text})
    return objection


@transaction.atomic(durable=True)
def objection_answer(*, chief: User, objection: Objection, answer: str) -> Objection:
    """The chief referee answers an objection with a reason; publication waits for every answer."""
    objection = Objection.objects.select_for_update(of=("self",)).select_related("entry__skill").get(pk=objection.pk)
    access.require_chief(chief, objection.entry.skill)
    if objection.answered_at is not None:
        raise Conflict("objection.already_answered")
    if not answer.strip():
        raise ValidationFailed([FieldError("answer", "objection.answer_required")])
    objection.answer, objection.answered_by, objection.answered_at = answer.strip(), chief, timezone.now()
    objection.save(update_fields=["answer", "answered_by", "answered_at"])
    audit_record(actor=chief, action="competitions.objection.answered", target=objection,
                 new={"answer": objection.answer})
    return objection


@transaction.atomic(durable=True)
def title_approve(*, actor: Actor, proposal: TitleProposal) -> TitleProposal:
    """The organizer records the approval (核准) of a 技术能手 proposal; from then on the title is effective."""
    proposal = (TitleProposal.objects.select_for_update(of=("self",)).select_related("entry__skill__event")
                .get(pk=proposal.pk))
    require(actor, Action.TITLE_APPROVE, proposal.entry.skill.event)
    if proposal.approved_at is not None:
        raise Conflict("title.already_approved")
    proposal.approved_by = actor if isinstance(actor, User) else None
    proposal.approved_at = timezone.now()
    proposal.save(update_fields=["approved_by", "approved_at"])
    audit_record(actor=actor, action="competitions.title.approved", target=proposal,
                 old={"approved_at": None}, new={"approved_at": proposal.approved_at})
    return proposal
