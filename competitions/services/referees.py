"""Relationships recorded by the organizer on the referees page (回避申报; issue 10 item 1).

A referee declares a relationship (亲属、师徒 …) to a contestant, and the platform recuses them from that person
anywhere (`relationship_declare`, the referee's own declaration; DESIGN.md "Recusal"). In practice referees sign
their 回避承诺书 on paper at the appointment, and the organizer keys the declarations in; so the organizer of a
skill may record a declaration for a referee appointed to it, against a contestant entered in it, with the
relationship as its reason. The declaration is the referee's all the same (the same row, recusal everywhere); the
audit entry names who recorded it and for which skill. After publication nothing changes any more. When the skill's
marking groups are formed already, the blocks follow the declaration or it is refused
(competitions.services.groups, "After the groups are formed").
"""

from __future__ import annotations

from django.db import transaction

from accounts.actors import Actor
from accounts.models import User
from accounts.permissions import require
from audit.services import audit_record
from competitions.models import (
    ACTIVE_ENTRY_STATUSES,
    EntryMember,
    RefereeAssignment,
    RelationshipDeclaration,
    Skill,
    Status,
)
from competitions.permissions import Action
from competitions.services.groups import RECUSAL_REASON, marking_groups_follow_recusal
from core.errors import Conflict, FieldError, ValidationFailed


@transaction.atomic(durable=True)
def relationship_record(
    *, actor: Actor, skill: Skill, referee: User, person: User, reason: str
) -> RelationshipDeclaration:
    """The organizer records a relationship a referee of `skill` declared to a contestant of it (module docstring);
    every problem of the form is named at once."""
    skill = Skill.objects.select_related("event").get(pk=skill.pk)
    require(actor, Action.COMPETITION_MANAGE, skill)
    if skill.status in (Status.PUBLISHED, Status.ARCHIVED):
        raise Conflict("assignment.results_published")
    errors = []
    if not RefereeAssignment.objects.filter(skill=skill, referee=referee).exists():
        errors.append(FieldError("referee", "relationship.not_appointed", {"person": str(referee)}))
    if not EntryMember.objects.filter(entry__skill=skill, person=person,
                                      entry__status__in=ACTIVE_ENTRY_STATUSES).exists():
        errors.append(FieldError("person", "relationship.not_entrant", {"person": str(person)}))
    elif referee.pk == person.pk:
        errors.append(FieldError("person", "field.invalid"))
    if not reason.strip():
        errors.append(FieldError("reason", "relationship.reason_required"))
    if errors:
        raise ValidationFailed(errors)
    before = RelationshipDeclaration.objects.filter(referee=referee, person=person).values("reason").first()
    declaration, _created = RelationshipDeclaration.objects.update_or_create(
        referee=referee, person=person, defaults={"reason": reason.strip()}
    )
    audit_record(actor=actor, action="competitions.relationship.recorded", target=declaration, old=before,
                 new={"referee": referee.pk, "person": person.pk, "reason": declaration.reason, "skill": skill.pk},
                 reason=reason.strip())
    # Groups formed before this declaration: its workstation leaves the referee's block, or the write is refused
    # (competitions.services.groups, "After the groups are formed").
    marking_groups_follow_recusal(actor=actor, skill=skill, reason=RECUSAL_REASON)
    return declaration
