"""Registration (报名): units nominate contestants and coaches, the organizer reviews, units withdraw; theory
scores and completion times are recorded (issue 4 item 2; DESIGN.md "Competitions").

Eligibility is `competitions.domain.eligibility.registration_errors`: every reason is reported at once, each under the
`members` field, with the person's name in the message. The one-entry-per-event rule is checked there and held
by a database constraint as well, which closes the race of two units entering one person at the same moment.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.actors import Actor
from accounts.models import Organization, User
from accounts.permissions import can, require
from audit.services import audit_record
from competitions import access
from competitions.adapters import requirements
from competitions.domain import eligibility, scoring
from competitions.live import publish_on_commit
from competitions.models import (
    ENTRY_MOVES,
    Entry,
    EntryCoach,
    EntryMember,
    EntryStatus,
    Group,
    Skill,
    Status,
)
from competitions.permissions import Action
from core.errors import Conflict, FieldError, NotFound, RuleBroken, ValidationFailed
from core.lookup import filter_in


@dataclass(frozen=True, slots=True)
class MemberData:
    """A contestant being entered and the group they belong to (employee, student, teacher)."""

    person: User
    group: Group


def _entry_snapshot(entry: Entry) -> dict[str, object]:
    return {
        "skill": entry.skill_id, "unit": entry.unit_id, "status": entry.status,
        "members": sorted(entry.members.values_list("person_id", flat=True)),
    }


def registration_problems(skill: Skill, members: Sequence[MemberData]) -> list[FieldError]:
    """Every reason the entry is refused (eligibility rules), as field errors naming the people."""
    return [error for _person, error in registration_reasons(skill, members)]


def entered_elsewhere(skill: Skill, person_ids: Iterable[int]) -> dict[Hashable, list[str]]:
    """Person pk -> the skills of the event each is actively entered in already (one-entry-per-event rule); asked
    in batches, so an import asks once for thousands of people instead of once per entry."""
    existing: dict[Hashable, list[str]] = {}
    rows = filter_in(
        EntryMember.objects.filter(event_id=skill.event_id, active=True).values_list("person_id", "entry__skill__name"),
        "person_id", person_ids,
    )
    for person_id, skill_name in rows:
        existing.setdefault(person_id, []).append(skill_name)
    return existing


def registration_reasons(
    skill: Skill, members: Sequence[MemberData], existing: Mapping[Hashable, list[str]] | None = None
) -> list[tuple[int | None, FieldError]]:
    """`registration_problems`, each with the pk of the member it is about (None: the entry as a whole), so an
    import can name the row of that member. `existing` is `entered_elsewhere` for (at least) these members, when
    the caller has read it for many entries at once; otherwise it is read here."""
    names = {m.person.pk: str(m.person) for m in members}
    errors: list[tuple[int | None, FieldError]] = []
    born: list[tuple[MemberData, date]] = []
    for member in members:
        if member.person.birth_date is None:
            errors.append((member.person.pk, FieldError("members", "field.required",
                                                        {"field": f"{names[member.person.pk]} 出生日期"})))
        else:
            born.append((member, member.person.birth_date))
    if errors:
        return errors
    # Keyed as eligibility.registration_errors declares (any hashable person id; a Mapping's key is invariant).
    if existing is None:
        existing = entered_elsewhere(skill, [pk for pk in names if pk is not None])
    registrants = [
        eligibility.Registrant(m.person.pk, birth_date, eligibility.Group(m.group)) for m, birth_date in born
    ]
    for problem in eligibility.registration_errors(requirements(skill), registrants, skill.competition_day, existing):
        params = dict(problem.params)
        person = params.get("person")
        if "person" in params:
            params["person"] = names.get(params["person"], params["person"])
        if "skills" in params:
            params["skills"] = "、".join(params["skills"])
        errors.append((person if person in names else None,
                       FieldError("members", problem.code, params, problem.default)))
    return errors


@transaction.atomic(durable=True)
def entry_submit(
    *, actor: Actor, skill: Skill, unit: Organization, members: Sequence[MemberData],
    coaches: Sequence[User] = (),
) -> Entry:
    """A unit enters contestants for a skill during registration; all eligibility reasons are reported at once."""
    return _entry_submit(actor=actor, skill=skill, unit=unit, members=members, coaches=coaches)


def _entry_submit(
    *, actor: Actor, skill: Skill, unit: Organization, members: Sequence[MemberData],
    coaches: Sequence[User] = (),
) -> Entry:
    """`entry_submit` inside a caller's transaction (a roster import enters every row all-or-nothing)."""
    skill = Skill.objects.select_related("event").get(pk=skill.pk)
    access.require_nominate(actor, skill.event, unit)
    if skill.event.status != Status.REGISTRATION:
        raise Conflict("event.not_open_for_registration", {"status": skill.event.get_status_display()})
    errors = registration_problems(skill, members)
    if errors:
        raise ValidationFailed(errors)
    entry = Entry.objects.create(skill=skill, unit=unit, submitted_by=actor if isinstance(actor, User) else None)
    try:
        with transaction.atomic():
            EntryMember.objects.bulk_create(
                [EntryMember(entry=entry, person=m.person, event=skill.event, group=m.group) for m in members]
            )
    except IntegrityError:
        # Another entry of the same person committed between our check and this insert.
        raise ValidationFailed([FieldError("members", "registration.already_entered",
                                           {"person": "", "skills": skill.name})]) from None
    EntryCoach.objects.bulk_create([EntryCoach(entry=entry, person=c) for c in coaches])
    audit_record(actor=actor, action="competitions.entry.submitted", target=entry,
                 new={**_entry_snapshot(entry), "coaches": [c.pk for c in coaches]})
    return entry


@dataclass(frozen=True, slots=True)
class TeamData:
    """One entry of a batch: the nominating unit, its contestants and their coaches."""

    unit: Organization
    members: Sequence[MemberData]
    coaches: Sequence[User] = ()


class AlreadyEntered(ValidationFailed):
    """Another registration of some of a batch's people committed between the batch's check and its insert;
    `person_ids` names them, so an import can name their rows."""

    def __init__(self, person_ids: Sequence[int], skill: Skill) -> None:
        self.person_ids = list(person_ids)
        super().__init__([FieldError("members", "registration.already_entered", {"person": "", "skills": skill.name})])


def _entries_submit(*, actor: Actor, skill: Skill, teams: Sequence[TeamData]) -> list[Entry]:
    """`_entry_submit` for many entries at once inside a caller's transaction (a roster import of thousands): the
    right to enter people for each unit and the open registration are asked here, once per unit; eligibility is
    the caller's, asked inside the same transaction with `registration_reasons` (and `entered_elsewhere` read
    once for the whole batch), since the caller names each reason at its row. Rows are inserted in bulk, one
    audit entry per entry as `entry_submit` writes it. The one-entry-per-event constraint still closes the race
    with a registration committed meanwhile: `AlreadyEntered` names those people and the caller's transaction
    rolls back."""
    skill = Skill.objects.select_related("event").get(pk=skill.pk)
    for unit in {team.unit.pk: team.unit for team in teams}.values():
        access.require_nominate(actor, skill.event, unit)
    if skill.event.status != Status.REGISTRATION:
        raise Conflict("event.not_open_for_registration", {"status": skill.event.get_status_display()})
    submitted_by = actor if isinstance(actor, User) else None
    entries = Entry.objects.bulk_create([Entry(skill=skill, unit=team.unit, submitted_by=submitted_by)
                                         for team in teams])
    try:
        with transaction.atomic():
            EntryMember.objects.bulk_create([
                EntryMember(entry=entry, person=m.person, event=skill.event, group=m.group)
                for entry, team in zip(entries, teams, strict=True) for m in team.members
            ])
    except IntegrityError:
        # Another entry of some of these people committed between the caller's check and this insert.
        people = [m.person.pk for team in teams for m in team.members]
        entered = entered_elsewhere(skill, people)
        raise AlreadyEntered([pk for pk in people if pk in entered], skill) from None
    EntryCoach.objects.bulk_create([EntryCoach(entry=entry, person=c)
                                    for entry, team in zip(entries, teams, strict=True) for c in team.coaches])
    for entry, team in zip(entries, teams, strict=True):
        snapshot = {"skill": skill.pk, "unit": team.unit.pk, "status": entry.status,
                    "members": sorted(m.person.pk for m in team.members)}
        audit_record(actor=actor, action="competitions.entry.submitted", target=entry,
                     new={**snapshot, "coaches": [c.pk for c in team.coaches]})
    return entries


def _entry_move(*, entry: Entry, to: EntryStatus, **changes: object) -> str:
    """The entry's one transition: move it to `to` if `ENTRY_MOVES` allows it from the status it was read with,
    writing `changes` along, and return the status it left; refuse with entry.not_submitted otherwise."""
    old = entry.status
    # Conditional update on the status read: of two requests moving one entry at once (two reviewers deciding, a
    # decision and a withdrawal), only the first counts.
    if to not in ENTRY_MOVES.get(old, frozenset()) or not Entry.objects.filter(pk=entry.pk, status=old).update(
        status=to, **changes
    ):
        raise Conflict("entry.not_submitted", {"status": entry.get_status_display()})
    entry.status = to
    return old


def _decide(*, actor: Actor, entry: Entry, status: EntryStatus, reason: str) -> Entry:
    entry = Entry.objects.select_related("skill__event").get(pk=entry.pk)
    require(actor, Action.ENTRY_REVIEW, entry.skill.event)
    old = _entry_move(entry=entry, to=status, review_reason=reason,
                      reviewed_by=actor if isinstance(actor, User) else None, reviewed_at=timezone.now())
    if status == EntryStatus.REJECTED:
        EntryMember.objects.filter(entry=entry).update(active=False)
    entry.refresh_from_db()
    audit_record(actor=actor, action=f"competitions.entry.{status.value}", target=entry,
                 old={"status": old}, new={"status": status}, reason=reason)
    return entry


@transaction.atomic(durable=True)
def entry_approve(*, actor: Actor, entry: Entry, reason: str = "") -> Entry:
    """The organizer accepts a registration."""
    return _decide(actor=actor, entry=entry, status=EntryStatus.APPROVED, reason=reason)


@transaction.atomic(durable=True)
def entry_reject(*, actor: Actor, entry: Entry, reason: str) -> Entry:
    """The organizer refuses a registration, with a reason the unit sees; the people are free to enter again."""
    if not reason.strip():
        raise ValidationFailed([FieldError("reason", "entry.reason_required")])
    return _decide(actor=actor, entry=entry, status=EntryStatus.REJECTED, reason=reason.strip())


@transaction.atomic(durable=True)
def entries_decide(*, actor: Actor, entry_ids: Sequence[int], status: EntryStatus, reason: str = "") -> list[Entry]:
    """The organizer approves or rejects several registrations at once (批量审核; issue 10 item 1), all or nothing:
    every entry goes through the same move and audit entry as `entry_approve` / `entry_reject`, in one transaction,
    and if any of them cannot be decided (no longer waiting for review, another event's) nothing is written and
    the refusal names every such entry by its unit and people, so the reviewer can untick them and send again.
    All or nothing, rather than each with its own result, because the page shows the list again after the
    decision: a half-applied batch would leave the reviewer to find out which half. A rejection needs a reason,
    which every rejected unit sees."""
    if status not in (EntryStatus.APPROVED, EntryStatus.REJECTED):
        raise ValidationFailed([FieldError("decision", "field.invalid")])
    reason = reason.strip()
    if status == EntryStatus.REJECTED and not reason:
        raise ValidationFailed([FieldError("reason", "entry.reason_required")])
    ids = sorted(set(entry_ids))
    if not ids:
        raise ValidationFailed([FieldError("entries", "entry.none_selected")])
    # Locked in one order (by id), so two reviewers deciding overlapping batches queue instead of deadlocking.
    entries = list(
        Entry.objects.select_for_update(of=("self",)).select_related("skill__event", "unit")
        .filter(pk__in=ids).order_by("pk")
    )
    if len(entries) != len(ids):
        raise NotFound()
    for event in {e.skill.event_id: e.skill.event for e in entries}.values():
        require(actor, Action.ENTRY_REVIEW, event)
    members = _member_names([e.pk for e in entries])
    errors = [
        FieldError(f"entries[{entry.pk}]", "entry.not_decidable",
                   {"unit": entry.unit.name, "members": members.get(entry.pk, ""),
                    "status": entry.get_status_display()})
        for entry in entries if status not in ENTRY_MOVES.get(entry.status, frozenset())
    ]
    if errors:
        raise ValidationFailed(errors)
    return [_decide(actor=actor, entry=entry, status=status, reason=reason) for entry in entries]


def _member_names(entry_ids: Sequence[int]) -> dict[int, str]:
    names: dict[int, list[str]] = {}
    for entry_id, person in (
        EntryMember.objects.filter(entry_id__in=entry_ids).select_related("person").order_by("pk")
        .values_list("entry_id", "person__real_name")
    ):
        names.setdefault(entry_id, []).append(person)
    return {pk: "、".join(n) for pk, n in names.items()}


@transaction.atomic(durable=True)
def entry_withdraw(*, actor: Actor, entry: Entry, reason: str) -> Entry:
    """A unit (or the organizer) withdraws an entry (退赛) before publication, with a reason; its marks are refused
    from now on and it leaves the ranking. The nominating unit's staff, or whoever reviews the event's entries."""
    entry = Entry.objects.select_for_update(of=("self",)).select_related("skill__event", "unit").get(pk=entry.pk)
    if not can(actor, Action.ENTRY_REVIEW, entry.skill.event):
        require(actor, Action.ENTRY_SUBMIT, entry.unit)
    if not reason.strip():
        raise ValidationFailed([FieldError("reason", "entry.withdraw_reason_required")])
    if entry.skill.status in (Status.PUBLISHED, Status.ARCHIVED):
        raise Conflict("entry.not_submitted", {"status": entry.get_status_display()})
    old = _entry_move(entry=entry, to=EntryStatus.WITHDRAWN, review_reason=reason)
    entry.review_reason = reason
    EntryMember.objects.filter(entry=entry).update(active=False)
    audit_record(actor=actor, action="competitions.entry.withdrawn", target=entry, old={"status": old},
                 new={"status": entry.status}, reason=reason)
    # Before decryption the workstation stays out of the delta: the withdrawal was made by name (competitions.live).
    delta: dict[str, object] = {"kind": "entry.withdrawn", "skill": entry.skill_id}
    if entry.skill.decrypted_at is not None:
        delta["workstation_no"] = entry.workstation_no
    publish_on_commit(entry.skill.event_id, delta)
    return entry


@transaction.atomic(durable=True)
def entry_theory_record(*, actor: Actor, entry: Entry, score: Decimal | None, absent_reason: str = "") -> Entry:
    """Record the theory score (0–100) of an entry, or that the entrant was absent from it (缺考, with a reason:
    counts 0); None and no reason clears it. The cached total follows (DESIGN.md "Marking scheme"). Until the
    skill's results are under review: then they change only through the audited correction flow."""
    entry = Entry.objects.select_for_update(of=("self",)).select_related("skill__event").get(pk=entry.pk)
    access.require_theory_recorder(actor, entry.skill)
    if entry.skill.theory_weight is None:
        raise RuleBroken("theory.not_in_scheme")
    if entry.skill.status in (Status.REVIEW, Status.PUBLISHED, Status.ARCHIVED):
        raise Conflict("theory.results_fixed")
    absent_reason = absent_reason.strip()
    if absent_reason and score is not None:
        raise ValidationFailed([FieldError("absent_reason", "theory.absent_with_score")])
    if score is not None:
        score = scoring.validate_theory(score)
    old = {"theory_score": entry.theory_score, "absent_reason": entry.theory_absent_reason, "total": entry.total}
    entry.theory_score, entry.theory_absent_reason = score, absent_reason
    entry.total = scoring.overall_total(entry.practical, score, entry.skill.theory_weight)
    entry.save(update_fields=["theory_score", "theory_absent_reason", "total"])
    audit_record(actor=actor, action="competitions.entry.theory_recorded", target=entry, old=old,
                 new={"theory_score": score, "absent_reason": absent_reason, "total": entry.total},
                 reason=absent_reason)
    return entry


@transaction.atomic(durable=True)
def entry_completion_time_record(*, actor: Actor, entry: Entry, completion_time: timedelta | None) -> Entry:
    """Record how long the contestant took (the first default tie-break); like the theory score, fixed once the
    results are under review (published results change only by an audited correction, services.results)."""
    entry = Entry.objects.select_for_update(of=("self",)).select_related("skill__event").get(pk=entry.pk)
    access.require_theory_recorder(actor, entry.skill)
    if entry.skill.status in (Status.REVIEW, Status.PUBLISHED, Status.ARCHIVED):
        raise Conflict("completion_time.results_fixed")
    if completion_time is not None and completion_time < timedelta(0):
        raise ValidationFailed([FieldError("completion_time", "field.invalid")])
    old = entry.completion_time
    entry.completion_time = completion_time
    entry.save(update_fields=["completion_time"])
    audit_record(actor=actor, action="competitions.entry.completion_time_recorded", target=entry,
                 old={"completion_time": old}, new={"completion_time": completion_time})
    return entry
