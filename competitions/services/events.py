"""Setting up an event and moving it, and its skills, through their statuses (DESIGN.md "Competitions";
issue 4 item 1).

One table of moves (`ALLOWED_MOVES`) serves the event and its skills: each status has exactly one next status.
A move that skips a step is refused naming the skipped steps; a move whose preconditions are not met is refused
naming every missing piece, per skill. The event's move takes each skill that is behind it along (with that
skill's checks); a skill may run ahead of its event from check-in on (models docstring).

What each target needs of a skill is stated once, in competitions.domain.readiness (`skill_missing`, a pure
function of counted facts that the event page also shows before the click as "what is missing"); in short:
- 检录 (check_in): every entry reviewed, and at least one approved;
- 比赛 (competing): both draws done (检录号, then 工位号);
- 评分 (marking): a complete marking scheme (practical part 100) and at least one referee; on the move the scheme
  is frozen and the score sheets (entry × module) are created, in the order of the 工位号 draw (workstation by
  workstation, each one's modules in scheme order), not of the entries: sheet ids are shown to the chief referee
  beside their 工位号 and appear in the audit log, so ids handed out in registration order would let anyone who
  knows the registrations (the organizer's entries list) read off who sits at which workstation (issue 9 item 1);
- 公示 (review): every sheet signed off and the skill decrypted; on the move the review period starts, lasting
  the event's `review_days` working days (Monday–Friday; public holidays are not known to the platform, so an
  organizer who needs them counts them into `review_days`);
- 公布 (published): the review period over and every objection answered; on the move titles are proposed and
  nominations to a linked higher-level skill are recorded (competitions.services.results).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.actors import Actor
from accounts.models import Organization, Role, User
from accounts.permissions import require, roles_of
from audit.services import audit_record
from competitions import access
from competitions.domain import calendar, draws, ranking, readiness
from competitions.live import publish_on_commit
from competitions.models import (
    ALLOWED_MOVES,
    STATUS_ORDER,
    AwardRuleKind,
    CompetitionLevel,
    Entry,
    EntryStatus,
    Event,
    ExcellenceBasis,
    Group,
    RefereeAssignment,
    RefereeRole,
    RelationshipDeclaration,
    Sheet,
    Skill,
    Status,
    Venue,
    Workstation,
    status_index,
)
from competitions.permissions import Action
from competitions.selectors.events import skill_missing
from competitions.services.groups import RECUSAL_REASON, marking_groups_follow_recusal
from core.errors import Conflict, FieldError, ValidationFailed


def _label(status: str) -> str:
    return str(Status(status).label)


def _check_move(current: str, target: str) -> None:
    """One step forward only; a skipped step is refused naming it, a backward move naming the current state."""
    if ALLOWED_MOVES.get(current) == target:
        return
    if target in STATUS_ORDER and status_index(target) > status_index(current):
        skipped = STATUS_ORDER[status_index(current) + 1: status_index(target)]
        missing = "、".join(_label(s) for s in skipped)
    else:
        missing = _label(ALLOWED_MOVES.get(current, current))
    raise Conflict(
        "event.transition_not_allowed",
        {"current": _label(current), "target": _label(target) if target in STATUS_ORDER else target,
         "missing": missing},
        "Cannot move from {current} to {target}: {missing} is missing.",
    )


def _enter(skill: Skill, target: str, *, actor: Actor, now: datetime) -> None:
    """Side effects of a skill entering `target` (module docstring); runs in the caller's transaction."""
    from competitions.services.results import publish_side_effects
    from competitions.services.standings import standings_check_or_refuse

    if target == Status.MARKING:
        scheme = skill.scheme
        if scheme.frozen_at is None:
            scheme.frozen_at = now
            scheme.save(update_fields=["frozen_at"])
            audit_record(actor=actor, action="competitions.scheme.frozen", target=scheme,
                         new={"frozen_at": now})
        modules = list(scheme.modules.order_by("position", "id"))
        # In the 工位号 draw's order, never the entries' (registration) order: a sheet's id then says which
        # workstation it is, as its page does, and nothing about whose entry it is (module docstring).
        entries = sorted(Entry.objects.filter(skill=skill, status=EntryStatus.APPROVED),
                         key=lambda e: draws.workstation_sort_key(e.workstation_no))
        Sheet.objects.bulk_create(
            [Sheet(entry=e, module=m) for e in entries for m in modules], ignore_conflicts=True
        )
    elif target == Status.REVIEW:
        standings_check_or_refuse(actor=actor, skill=skill, scope=target)
        skill.review_from = now
        skill.review_until = calendar.add_working_days(timezone.localtime(now), skill.event.review_days)
    elif target == Status.PUBLISHED:
        standings_check_or_refuse(actor=actor, skill=skill, scope=target)
        skill.published_at = now
        publish_side_effects(skill=skill, actor=actor, now=now)


def _move_skill(skill: Skill, target: str, *, actor: Actor, reason: str, now: datetime) -> None:
    old = skill.status
    skill.status = target
    _enter(skill, target, actor=actor, now=now)
    skill.save()
    audit_record(
        actor=actor, action="competitions.skill.status_changed", target=skill,
        old={"status": old}, new={"status": target, "review_until": skill.review_until}, reason=reason,
    )
    publish_on_commit(skill.event_id, {"kind": "skill.status", "skill": skill.pk, "status": target})


def _blocked(problems: list[tuple[Skill, list[str]]], target: str) -> Conflict:
    reason = "；".join(f"{skill}：{'、'.join(missing)}" for skill, missing in problems)
    return Conflict("event.transition_blocked", {"target": _label(target), "reason": reason},
                    "Cannot move to {target}: {reason}")


@transaction.atomic(durable=True)
def event_transition(
    *, actor: Actor, event: Event, target: Status, reason: str = "", now: datetime | None = None
) -> Event:
    """Move an event one step (module docstring), taking along every skill that is behind it.

    `now` is the moment of the move, for recording a past event (the demo, imports); it defaults to now.
    """
    now = now or timezone.now()
    event = Event.objects.select_for_update().get(pk=event.pk)
    require(actor, Action.COMPETITION_MANAGE, event)
    _check_move(event.status, target)
    skills = list(Skill.objects.select_related("event").filter(event=event).order_by("id"))
    lacking = readiness.event_missing(len(skills), target)
    if lacking:
        raise Conflict(
            "event.transition_not_allowed",
            {"current": _label(event.status), "target": _label(target), "missing": "、".join(map(str, lacking))},
        )
    behind = [s for s in skills if status_index(s.status) < status_index(target)]
    problems = [(s, m) for s in behind if (m := skill_missing(s, target, now=now))]
    if problems:
        raise _blocked(problems, target)
    for skill in behind:
        _move_skill(skill, target, actor=actor, reason=reason, now=now)
    old = event.status
    event.status = target
    event.save(update_fields=["status"])
    audit_record(actor=actor, action="competitions.event.status_changed", target=event, old={"status": old},
                 new={"status": target}, reason=reason)
    publish_on_commit(event.pk, {"kind": "event.status", "status": target})
    return event


@transaction.atomic(durable=True)
def skill_transition(
    *, actor: Actor, skill: Skill, target: Status, reason: str = "", now: datetime | None = None
) -> Skill:
    """Move one skill one step ahead of its event, from check-in on (module docstring)."""
    now = now or timezone.now()
    skill = Skill.objects.select_for_update(of=("self",)).select_related("event").get(pk=skill.pk)
    require(actor, Action.COMPETITION_MANAGE, skill)
    _check_move(skill.status, target)
    if status_index(skill.event.status) < status_index(Status.CHECK_IN):
        # Say which move comes first: the event's own next one (issue 10 item 9).
        raise Conflict("skill.event_first", {"status": _label(skill.event.status), "needed": _label(Status.CHECK_IN),
                                             "next": _label(ALLOWED_MOVES[skill.event.status])})
    missing = skill_missing(skill, target, now=now)
    if missing:
        raise _blocked([(skill, missing)], target)
    _move_skill(skill, target, actor=actor, reason=reason, now=now)
    return skill


# --- setting up ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EventData:
    name: str
    level: CompetitionLevel
    starts_on: date
    ends_on: date
    series: str = ""
    award_rule: AwardRuleKind = AwardRuleKind.PLACES
    excellence_basis: ExcellenceBasis = ExcellenceBasis.HALF_OF_ENTRANTS
    min_total: Decimal = Decimal(60)
    review_days: int = 5


# What people call each field of an event or a skill, named in the messages of a refused form.
FIELD_LABELS = {
    "name": _("名称"), "level": _("级别"), "series": _("系列"), "starts_on": _("比赛开始日期"),
    "ends_on": _("比赛结束日期"), "award_rule": _("奖项规则"), "excellence_basis": _("优胜奖依据"),
    "min_total": _("获奖最低总分"), "review_days": _("公示期（工作日）"), "occupation_code": _("职业编码"),
    "occupation_id": _("职业目录中的职业"),
    "group": _("组别"), "team_size": _("每队人数"), "min_age": _("最小年龄"), "max_age": _("最大年龄"),
    "theory_weight": _("理论成绩权重"), "tie_breaks": _("并列区分规则"), "nominate_top": _("选拔前 N 名"),
}


def labelled(errors: Sequence[FieldError]) -> list[FieldError]:
    """The errors with the field's name people use (FIELD_LABELS), for the message of a page's form."""
    return [e if e.label is not None or e.field not in FIELD_LABELS else replace(e, label=FIELD_LABELS[e.field])
            for e in errors]


def _snapshot(obj: models.Model, fields: Sequence[str]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in fields}


_EVENT_FIELDS = ("name", "level", "series", "organizer_id", "starts_on", "ends_on", "award_rule",
                 "excellence_basis", "min_total", "review_days", "status")


@transaction.atomic(durable=True)
def event_create(*, actor: Actor, organizer: Organization, data: EventData) -> Event:
    """Announce an event in draft; organizer staff of the organizing unit (or the platform admin) only."""
    require(actor, Action.COMPETITION_MANAGE, organizer)
    errors = []
    if not data.name.strip():
        errors.append(FieldError("name", "field.required"))
    elif Event.objects.filter(organizer=organizer, name=data.name.strip()).exists():
        errors.append(FieldError("name", "field.invalid"))
    if data.ends_on < data.starts_on:
        errors.append(FieldError("ends_on", "field.invalid"))
    if not (Decimal(0) <= data.min_total <= Decimal(100)):
        errors.append(FieldError("min_total", "field.invalid"))
    if errors:
        raise ValidationFailed(labelled(errors))
    event = Event.objects.create(
        name=data.name.strip(), level=data.level, series=data.series, organizer=organizer, starts_on=data.starts_on,
        ends_on=data.ends_on, award_rule=data.award_rule, excellence_basis=data.excellence_basis,
        min_total=data.min_total, review_days=data.review_days,
    )
    audit_record(actor=actor, action="competitions.event.created", target=event, new=_snapshot(event, _EVENT_FIELDS))
    return event


@dataclass(frozen=True, slots=True)
class SkillData:
    name: str
    occupation_code: str
    group: Group
    team_size: int = 1
    min_age: int | None = None
    max_age: int | None = None
    theory_weight: Decimal | None = None
    tie_breaks: tuple[str, ...] = ()
    award_rule: str = ""
    nominates_to: Skill | None = None
    nominate_top: int | None = None
    # The catalogue's occupation (certification), by id: its code must be the skill's occupation code.
    occupation_id: int | None = None


_SKILL_FIELDS = ("name", "occupation_code", "occupation_id", "group", "team_size", "min_age", "max_age",
                 "theory_weight", "tie_breaks", "award_rule", "nominates_to_id", "nominate_top", "status")


def _skill_errors(data: SkillData) -> list[FieldError]:
    from competitions.models import occupation_code_validator

    errors = []
    if not data.name.strip():
        errors.append(FieldError("name", "field.required"))
    try:
        occupation_code_validator(data.occupation_code)
    except Exception:  # noqa: BLE001 - Django's ValidationError; the field is named below
        errors.append(FieldError("occupation_code", "field.invalid"))
    if data.team_size not in (1, 2, 3):
        errors.append(FieldError("team_size", "field.invalid"))
    if data.min_age is not None and data.max_age is not None and data.max_age < data.min_age:
        errors.append(FieldError("max_age", "field.invalid"))
    if data.theory_weight is not None and not (Decimal(0) < data.theory_weight < Decimal(1)):
        errors.append(FieldError("theory_weight", "field.invalid"))
    for code in data.tie_breaks:
        if code not in ranking.TieBreak.__members__.values():
            errors.append(FieldError("tie_breaks", "field.invalid"))
    if data.award_rule and data.award_rule not in AwardRuleKind.values:
        errors.append(FieldError("award_rule", "field.invalid"))
    if (data.nominates_to is None) != (data.nominate_top is None) or (data.nominate_top or 1) < 1:
        errors.append(FieldError("nominate_top", "field.invalid"))
    if data.occupation_id is not None:
        from certification.selectors.catalogue import occupation_by_id

        linked = occupation_by_id(data.occupation_id)
        if linked is None:
            errors.append(FieldError("occupation_id", "field.invalid"))
        elif linked.code != data.occupation_code:
            errors.append(FieldError("occupation_id", "skill.occupation_code_mismatch",
                                     {"code": linked.code, "name": linked.name}))
    return errors


@transaction.atomic(durable=True)
def skill_create(*, actor: Actor, event: Event, data: SkillData) -> Skill:
    """Add a skill (赛项) to an event before registration closes."""
    require(actor, Action.COMPETITION_MANAGE, event)
    if status_index(event.status) > status_index(Status.REGISTRATION):
        raise Conflict("event.wrong_stage", {"status": _label(event.status), "needed": _label(Status.REGISTRATION)})
    errors = _skill_errors(data)
    if Skill.objects.filter(event=event, name=data.name.strip(), group=data.group).exists():
        errors.append(FieldError("name", "field.invalid"))
    if errors:
        raise ValidationFailed(labelled(errors))
    skill = Skill.objects.create(
        event=event, name=data.name.strip(), occupation_code=data.occupation_code, group=data.group,
        team_size=data.team_size, min_age=data.min_age, max_age=data.max_age, theory_weight=data.theory_weight,
        tie_breaks=list(data.tie_breaks), award_rule=data.award_rule, nominates_to=data.nominates_to,
        nominate_top=data.nominate_top, status=event.status, occupation_id=data.occupation_id,
    )
    audit_record(actor=actor, action="competitions.skill.created", target=skill, new=_snapshot(skill, _SKILL_FIELDS))
    return skill


@transaction.atomic(durable=True)
def venue_create(
    *, actor: Actor, event: Event, name: str, address: str = "", workstations: dict[Skill, Sequence[str]]
) -> Venue:
    """A venue (赛场) with the workstations (工位) each skill uses there."""
    require(actor, Action.COMPETITION_MANAGE, event)
    if not name.strip():
        raise ValidationFailed([FieldError("name", "field.required")])
    venue = Venue.objects.create(event=event, name=name.strip(), address=address)
    rows: list[Workstation] = []
    for skill, numbers in workstations.items():
        if skill.event_id != event.pk:
            raise ValidationFailed([FieldError("workstations", "field.invalid")])
        rows.extend(Workstation(venue=venue, skill=skill, number=str(n)) for n in numbers)
    taken = set(Workstation.objects.filter(skill__in=list(workstations)).values_list("skill_id", "number"))
    if any((w.skill.pk, w.number) in taken for w in rows) or len({(w.skill.pk, w.number) for w in rows}) < len(rows):
        raise ValidationFailed([FieldError("workstations", "field.invalid")])
    Workstation.objects.bulk_create(rows)
    audit_record(actor=actor, action="competitions.venue.created", target=venue,
                 new={"name": venue.name, "workstations": {s.pk: list(n) for s, n in workstations.items()}})
    return venue


_ROLE_FOR = {RefereeRole.CHIEF: Role.CHIEF_REFEREE, RefereeRole.REFEREE: Role.REFEREE}


@transaction.atomic(durable=True)
def referee_assign(
    *, actor: Actor, skill: Skill, referee: User, role: RefereeRole = RefereeRole.REFEREE, priority: int = 100,
    aspect_codes: Sequence[str] = (), workstation_nos: Sequence[str] = (), reason: str = "",
) -> RefereeAssignment:
    """Appoint a referee (or the chief referee) to a skill; the person must hold that role in some unit, which is
    recorded for recusal. Aspects and workstations narrow the assignment (empty: all).

    Once marking starts the panels are frozen: a change (a referee taken ill, a late declared relationship) is made
    by the skill's chief referee with a reason, audited with the assignment as it was; after publication, by
    nobody."""
    if skill.status in (Status.PUBLISHED, Status.ARCHIVED):
        raise Conflict("assignment.results_published")
    if skill.status in (Status.MARKING, Status.REVIEW):
        if not (isinstance(actor, User) and access.is_chief_of(actor, skill)):
            require(actor, Action.COMPETITION_MANAGE, skill)
            raise Conflict("assignment.frozen")
        if not reason.strip():
            raise ValidationFailed([FieldError("reason", "assignment.reason_required")])
    else:
        require(actor, Action.COMPETITION_MANAGE, skill)
    before = RefereeAssignment.objects.filter(skill=skill, referee=referee).values(
        "role", "priority", "workstation_nos").first()
    wanted = _ROLE_FOR[RefereeRole(role)]
    if wanted not in roles_of(referee):
        raise ValidationFailed([FieldError("referee", "assignment.wrong_role",
                                           {"person": str(referee), "role": str(wanted.label)})])
    unit_id = referee.memberships.filter(role=wanted).values_list("organization_id", flat=True).first()
    assignment, _created = RefereeAssignment.objects.update_or_create(
        skill=skill, referee=referee,
        defaults={"role": role, "priority": priority, "organization_id": unit_id,
                  "workstation_nos": [str(n) for n in workstation_nos]},
    )
    if aspect_codes:
        scheme = getattr(skill, "scheme", None)
        aspects = list(scheme.aspects.filter(code__in=aspect_codes)) if scheme is not None else []
        if len(aspects) != len(set(aspect_codes)):
            raise ValidationFailed([FieldError("aspect_codes", "field.invalid")])
        assignment.aspects.set(aspects)
    else:
        assignment.aspects.clear()
    audit_record(
        actor=actor, action="competitions.referee.assigned", target=assignment, old=before,
        new={"skill": skill.pk, "referee": referee.pk, "role": role, "priority": priority,
             "aspects": sorted(aspect_codes), "workstation_nos": [str(n) for n in workstation_nos]},
        reason=reason.strip(),
    )
    # A grouped referee appointed anew (another unit) keeps no conflicting workstation in their block
    # (competitions.services.groups, "After the groups are formed").
    marking_groups_follow_recusal(actor=actor, skill=skill, reason=RECUSAL_REASON)
    return assignment


@transaction.atomic(durable=True)
def relationship_declare(*, referee: User, person: User, reason: str) -> RelationshipDeclaration:
    """A referee declares a relationship to a person (回避申报); they will not mark that person anywhere."""
    if not reason.strip():
        raise ValidationFailed([FieldError("reason", "relationship.reason_required")])
    if referee.pk == person.pk:
        raise ValidationFailed([FieldError("person", "field.invalid")])
    declaration, _created = RelationshipDeclaration.objects.get_or_create(
        referee=referee, person=person, defaults={"reason": reason.strip()}
    )
    audit_record(actor=referee, action="competitions.relationship.declared", target=declaration,
                 new={"referee": referee.pk, "person": person.pk, "reason": declaration.reason})
    # The referee's own declaration holds everywhere: the blocks of their grouped skills follow it where they can
    # (competitions.services.groups). Where they cannot, it is recorded all the same, never refused: a refusal
    # would tell the referee that the person sits in their block, and leave them free to mark that person; the mark
    # path refuses them that workstation (competitions.access), and the chief referee sees the aspect incomplete.
    grouped = Skill.objects.filter(referee_assignments__referee=referee, referee_assignments__group__isnull=False,
                                   status__in=(Status.CHECK_IN, Status.COMPETING, Status.MARKING)).distinct()
    for skill in grouped:
        try:
            marking_groups_follow_recusal(actor=referee, skill=skill, reason=RECUSAL_REASON)
        except Conflict as exc:
            if exc.code != "groups.re_form_needed":
                raise
    return declaration
