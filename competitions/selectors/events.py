"""Reads of events, skills and registrations, and what a skill lacks to move on.

- Events: anyone (signed in or not) sees events past the draft; drafts only those who manage the event.
- Registrations: all of a skill's for its organizer, a unit's own for the unit's staff.
- The views (`EventView`, `EventDetailView`, `SkillView`, `EntryView`) are what the API returns, from its lists
  and from its writes alike (`entry_view(services.entry_approve(...))`), and what the pages render.
- The organizer's page of an event (`event_management`): each skill's progress and next move.
- Readiness (`skill_missing`): what each status move needs of a skill, as competitions.services.events
  documents the moves.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.identity import shown_id_number, shown_mobile
from accounts.models import User
from accounts.permissions import can, can_view_pii, filter_allowed, require
from competitions import access
from competitions.adapters import domain_aspect
from competitions.domain import readiness, scoring
from competitions.models import (
    ALLOWED_MOVES,
    Aspect,
    Entry,
    EntryCoach,
    EntryMember,
    EntryStatus,
    Event,
    MarkingScheme,
    Objection,
    RefereeAssignment,
    RefereeRole,
    Sheet,
    SheetStatus,
    Skill,
    StandingsCheck,
    StandingsSnapshot,
    Status,
    Workstation,
    status_index,
)
from competitions.permissions import Action
from core.errors import RuleBroken
from core.lookup import batched, get_or_404


@dataclass(frozen=True, slots=True)
class EventView:
    id: int
    name: str
    level: str
    level_label: str
    series: str
    organizer_id: int
    organizer: str
    starts_on: date
    ends_on: date
    status: str
    status_label: str


@dataclass(frozen=True, slots=True)
class SkillBrief:
    """A skill as an event's page lists it."""

    id: int
    name: str
    occupation_code: str
    group: str
    team_size: int
    status: str


@dataclass(frozen=True, slots=True)
class SkillView(SkillBrief):
    """A skill with where it stands in review and publication."""

    event_id: int
    review_until: datetime | None
    decrypted: bool
    published_at: datetime | None
    occupation_id: int | None = None  # the catalogue's occupation (certification), when linked


@dataclass(frozen=True, slots=True)
class EventDetailView(EventView):
    skills: list[SkillBrief]


@dataclass(frozen=True, slots=True)
class MemberView:
    person_id: int
    name: str


@dataclass(frozen=True, slots=True)
class EntryView:
    """A registration as its unit and the organizer see it: the people by name, never their numbers."""

    id: int
    skill_id: int
    unit_id: int
    unit: str
    status: str
    status_label: str
    review_reason: str
    members: list[MemberView]


def event_view(event: Event) -> EventView:
    return EventView(
        id=event.pk, name=event.name, level=event.level, level_label=str(event.get_level_display()),
        series=event.series, organizer_id=event.organizer_id, organizer=event.organizer.name,
        starts_on=event.starts_on, ends_on=event.ends_on, status=event.status,
        status_label=str(event.get_status_display()),
    )


def skill_view(skill: Skill) -> SkillView:
    return SkillView(
        id=skill.pk, name=skill.name, occupation_code=skill.occupation_code, group=skill.group,
        team_size=skill.team_size, status=skill.status, event_id=skill.event_id, review_until=skill.review_until,
        decrypted=skill.decrypted_at is not None, published_at=skill.published_at,
        occupation_id=skill.occupation_id,
    )


def entry_view(entry: Entry) -> EntryView:
    return EntryView(
        id=entry.pk, skill_id=entry.skill_id, unit_id=entry.unit_id, unit=entry.unit.name, status=entry.status,
        status_label=str(entry.get_status_display()), review_reason=entry.review_reason,
        members=[MemberView(m.person_id, str(m.person)) for m in entry.members.all()],
    )


def event_list(*, viewer: Any, limit: int) -> list[EventView]:
    """The events the viewer may see (`events_visible`), newest first, at most `limit` of them."""
    return [event_view(e) for e in events_visible(viewer=viewer)[:limit]]


def event_detail(*, viewer: Any, event_id: int) -> EventDetailView:
    """An event the viewer may see, with its skills; NotFound otherwise."""
    event = event_visible(viewer=viewer, event_id=event_id)
    return EventDetailView(
        **asdict(event_view(event)),
        skills=[SkillBrief(s.pk, s.name, s.occupation_code, s.group, s.team_size, s.status)
                for s in skills_of(event)],
    )


def entry_views(entries: Iterable[Entry]) -> list[EntryView]:
    """The views of entries just written (a roster import), read back in slices of `IN_BATCH`, in the order they
    were made. Members come with their person in one join: Django 5.2 prefetches a forward key on SQLite as one
    `id = … OR id = …` chain, which fails past 1,000 rows (the API's import of 1,200 rows answered 500 after
    committing them; issue 8 item 6)."""
    members = Prefetch("members", queryset=EntryMember.objects.select_related("person").order_by("pk"))
    views: list[EntryView] = []
    for batch in batched(sorted(e.pk for e in entries)):
        qs = Entry.objects.filter(pk__in=batch).select_related("unit").prefetch_related(members).order_by("pk")
        views.extend(entry_view(e) for e in qs)
    return views


@dataclass(frozen=True, slots=True)
class NextMove:
    """The one status an event or a skill may move to next (`ALLOWED_MOVES`), for the button that asks for it."""

    status: str
    label: str


def next_move(status: str) -> NextMove | None:
    target = ALLOWED_MOVES.get(status)
    return NextMove(target, str(Status(target).label)) if target is not None else None


@dataclass(frozen=True, slots=True)
class SkillProgress:
    """A skill as its organizer's event page lists it: where it stands, its registrations approved and waiting
    for review, its sheets not yet signed off, and its next move."""

    id: int
    name: str  # with its group: 焊工（职工组）
    status: str
    status_label: str
    approved: int
    pending: int
    open_sheets: int
    next: NextMove | None
    has_theory: bool = False  # a theory part: its scores and absences are recorded on the theory page
    # What its next move still needs (competitions.domain.readiness), shown as a checklist before the click.
    missing: tuple[str, ...] = ()
    workstations: int = 0


@dataclass(frozen=True, slots=True)
class EventManagement:
    """The organizer's page of one event (竞赛管理): the event, its next move, and each skill's progress."""

    event: EventView
    next: NextMove | None
    skills: list[SkillProgress]
    # What the event's next move still needs: its own conditions, then each skill's that it takes along.
    missing: tuple[str, ...] = ()
    # Until the event reaches check-in its skills move with it: the first move each skill waits for, else None.
    skills_wait_for: NextMove | None = None
    editable: bool = False  # in 筹备 or 报名: the event and its skills may still be edited and skills added


def event_management(*, viewer: Any, event: Event) -> EventManagement:
    """The event's page for those who manage it (PermissionDenied or NotFound otherwise); one query for all its
    skills' counts, however many skills and entries it has."""
    require(viewer, Action.COMPETITION_MANAGE, event)
    skills = list(skills_of(event).annotate(
        approved=Count("entries", filter=Q(entries__status=EntryStatus.APPROVED), distinct=True),
        pending=Count("entries", filter=Q(entries__status=EntryStatus.SUBMITTED), distinct=True),
        open_sheets=Count("entries__sheets", filter=Q(entries__sheets__status=SheetStatus.OPEN), distinct=True),
    ))
    facts = skill_facts(skills)
    now = timezone.now()
    event_next = next_move(event.status)
    event_missing: list[str] = []
    if event_next is not None:
        event_missing = [m.message for m in readiness.event_missing(len(skills), event_next.status)]
        event_missing += [
            f"{s}：{m.message}" for s in skills if status_index(s.status) < status_index(event_next.status)
            for m in readiness.skill_missing(facts[s.pk], event_next.status, now=now)
        ]

    # Until check-in a skill moves with its event (competitions.services.events): its own button would be refused.
    alone = status_index(event.status) >= status_index(Status.CHECK_IN)

    def skill_lacks(skill: Skill) -> tuple[str, ...]:
        move = next_move(skill.status)
        if move is None or not alone:
            return ()
        return tuple(m.message for m in readiness.skill_missing(facts[skill.pk], move.status, now=now))

    return EventManagement(
        event=event_view(event), next=event_next,
        skills=[
            SkillProgress(
                id=s.pk, name=str(s), status=s.status, status_label=str(s.get_status_display()),
                approved=s.approved, pending=s.pending, open_sheets=s.open_sheets,
                next=next_move(s.status) if alone else None,
                has_theory=s.theory_weight is not None, missing=skill_lacks(s),
                workstations=facts[s.pk].workstations,
            )
            for s in skills
        ],
        missing=tuple(event_missing), skills_wait_for=None if alone else event_next,
        editable=event.status in (Status.DRAFT, Status.REGISTRATION),
    )


@dataclass(frozen=True, slots=True)
class RosterLine:
    """One contestant of a registration as the roster export (报名表) writes it, in the import's order: the
    contestant's ID and mobile numbers masked unless `may_see_numbers`, the coach's (in the same position) unless
    `may_see_coach_number`."""

    team: int | None  # the entry's number in the list, for a team skill
    name: str
    id_number: str
    mobile: str
    unit: str
    group: str
    coach_id_number: str | None
    status_label: str


def may_see_numbers(viewer: Any, entry: Entry, person: User) -> bool:
    """Unmasked ID and mobile numbers of an entrant: the permission module decides, asked on the person and on the
    entry (whose units are the organizer's and the nominating unit's)."""
    return can_view_pii(viewer, person) or can_view_pii(viewer, entry)


def may_see_coach_number(viewer: Any, entry: Entry, coach: User) -> bool:
    """The unmasked ID number of an entry's coach: for whoever may see the coach's own real-name data (the
    coach, their unit's staff, the platform admin) and the nominating unit's staff, who named the coach. Not for
    the organizer by way of the entry, as for its contestants: the organizer verifies who competes, not who
    coaches (issue 9 item 10: the organizer's export showed every coach's number whole)."""
    return can_view_pii(viewer, coach) or can_view_pii(viewer, entry.unit)


def roster_lines(*, viewer: Any, skill: Skill) -> list[RosterLine]:
    """The skill's registrations the viewer may see (all for the organizer, a unit's own for its staff), one line
    per contestant, masked for the viewer."""
    skill = Skill.objects.select_related("event").get(pk=skill.pk)
    access.require_skill_visible(viewer, skill)  # an event in preparation: not even its name in a file name
    if not (can(viewer, Action.ENTRY_REVIEW, skill.event) or can(viewer, Action.ENTRY_VIEW)):
        require(viewer, Action.ENTRY_REVIEW, skill.event)
    lines = []
    # Coaches joined to their person (a forward-key prefetch fails on SQLite past 1,000: `entry_views`).
    with_coaches = Prefetch("coaches", queryset=EntryCoach.objects.select_related("person")
                            .prefetch_related("person__memberships").order_by("pk"))
    for number, entry in enumerate(entries_visible(viewer=viewer, skill=skill).prefetch_related(with_coaches),
                                   start=1):
        coaches = list(entry.coaches.all())
        for position, member in enumerate(entry.members.all()):
            person = member.person
            full = may_see_numbers(viewer, entry, person)
            coach = coaches[position].person if position < len(coaches) else None
            lines.append(RosterLine(
                team=number if skill.team_size > 1 else None,
                name=str(person),
                id_number=shown_id_number(person.id_number, full=full),
                mobile=shown_mobile(person.mobile, full=full),
                unit=entry.unit.name,
                group=member.group,
                coach_id_number=shown_id_number(coach.id_number, full=may_see_coach_number(viewer, entry, coach))
                if coach else None,
                status_label=str(entry.get_status_display()),
            ))
    return lines


def skill_entries(*, viewer: Any, skill: Skill) -> list[EntryView]:
    """A skill's registrations the viewer may see (`entries_visible`)."""
    return [entry_view(e) for e in entries_visible(viewer=viewer, skill=skill)]


def events_visible(*, viewer: Any) -> QuerySet[Event]:
    """Every event past its draft, and the drafts the viewer manages."""
    events = Event.objects.select_related("organizer").order_by("-starts_on", "name")
    managed = filter_allowed(viewer, Action.COMPETITION_MANAGE, Event.objects.all(), unit_field="organizer")
    return events.filter(~Q(status=Status.DRAFT) | Q(pk__in=managed.values("pk")))


def event_visible(*, viewer: Any, event_id: int) -> Event:
    return get_or_404(events_visible(viewer=viewer), pk=event_id)


def is_jury(viewer: Any, event: Event) -> bool:
    return can(viewer, Action.COMPETITION_JURY_VIEW, event)


def my_entries(*, person: User) -> QuerySet[Entry]:
    """Entries where the person competes or coaches."""
    return (
        Entry.objects.filter(Q(members__person=person) | Q(coaches__person=person))
        .select_related("skill__event", "unit").distinct().order_by("-skill__event__starts_on", "pk")
    )


def entries_visible(*, viewer: Any, skill: Skill) -> QuerySet[Entry]:
    """A skill's registrations: all of them for its organizer, a unit's own for the unit's staff."""
    # Members joined to their person, not prefetched by person: see `entry_views` (SQLite past 1,000 people).
    members = Prefetch("members", queryset=EntryMember.objects.select_related("person").order_by("pk"))
    qs = Entry.objects.filter(skill=skill).select_related("unit").prefetch_related(members).order_by("pk")
    if can(viewer, Action.ENTRY_REVIEW, skill.event):
        return qs
    return filter_allowed(viewer, Action.ENTRY_VIEW, qs, unit_field="unit")


def skills_of(event: Event) -> QuerySet[Skill]:
    return event.skills.select_related("event").order_by("id")


def skill_missing(skill: Skill, target: str, *, now: datetime) -> list[str]:
    """What `skill` lacks to move to `target` (competitions.domain.readiness); empty when it may move."""
    facts = skill_facts([skill])[skill.pk]
    return [m.message for m in readiness.skill_missing(facts, target, now=now)]


def _counted(rows: QuerySet[Any]) -> Coalesce:
    """A correlated COUNT of `rows`, which are filtered on the outer skill through `skill_id=OuterRef("pk")`."""
    counted = rows.order_by().values("skill_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def skill_facts(skills: Iterable[Skill]) -> dict[int, readiness.SkillFacts]:
    """The readiness facts of the skills (competitions.domain.readiness), in three queries whatever their number:
    the counts, the schemes' aspects, and the snapshots that disagree."""
    ids = [s.pk for s in skills]
    if not ids:
        return {}
    by_id = {s.pk: s for s in skills}
    entries = Entry.objects.filter(skill_id=OuterRef("pk"))
    approved = entries.filter(status=EntryStatus.APPROVED)
    sheets = Sheet.objects.filter(entry__skill_id=OuterRef("pk"), entry__status=EntryStatus.APPROVED).annotate(
        skill_id=F("entry__skill_id"))
    rows = Skill.objects.filter(pk__in=ids).annotate(
        n_submitted=_counted(entries.filter(status=EntryStatus.SUBMITTED)),
        n_approved=_counted(approved),
        n_no_checkin=_counted(approved.filter(checkin_no__isnull=True)),
        n_no_station=_counted(approved.filter(workstation_no="")),
        n_theory_lacking=_counted(approved.filter(theory_score__isnull=True, theory_absent_reason="")),
        n_workstations=_counted(Workstation.objects.filter(skill_id=OuterRef("pk"))),
        n_referees=_counted(RefereeAssignment.objects.filter(skill_id=OuterRef("pk"), role=RefereeRole.REFEREE)),
        n_sheets=_counted(sheets),
        n_open_sheets=_counted(sheets.filter(status=SheetStatus.OPEN)),
        n_objections=_counted(Objection.objects.filter(entry__skill_id=OuterRef("pk"), answered_at__isnull=True)
                              .annotate(skill_id=F("entry__skill_id"))),
        mismatch=Exists(StandingsSnapshot.objects.filter(skill_id=OuterRef("pk"),
                                                         check_status=StandingsCheck.MISMATCH)),
    ).values()
    problems = _scheme_problems(list(by_id.values()))
    facts = {}
    for row in rows:
        skill = by_id[row["id"]]
        until = row["review_until"]
        facts[row["id"]] = readiness.SkillFacts(
            submitted=row["n_submitted"], approved=row["n_approved"],
            approved_without_checkin_no=row["n_no_checkin"], approved_without_workstation_no=row["n_no_station"],
            workstations=row["n_workstations"], scheme_problem=problems[skill.pk], referees=row["n_referees"],
            sheets=row["n_sheets"], open_sheets=row["n_open_sheets"], decrypted=row["decrypted_at"] is not None,
            has_theory=row["theory_weight"] is not None, theory_lacking=row["n_theory_lacking"],
            standings_mismatch=row["mismatch"], review_until=timezone.localtime(until) if until else None,
            unanswered_objections=row["n_objections"],
        )
    return facts


def _scheme_problems(skills: list[Skill]) -> dict[int, str | None]:
    """`scheme_problem` of each skill, its aspects read in one query for all of them."""
    aspects: dict[int, list[Aspect]] = defaultdict(list)
    schemes: dict[int, int] = {}
    for scheme_id, skill_id in MarkingScheme.objects.filter(skill__in=skills).values_list("pk", "skill_id"):
        schemes[skill_id] = scheme_id
    for aspect in (Aspect.objects.filter(scheme_id__in=schemes.values()).select_related("module")
                   .order_by("module__position", "module_id", "position", "id")):
        aspects[aspect.scheme_id].append(aspect)
    out: dict[int, str | None] = {}
    for skill in skills:
        if skill.pk not in schemes:
            out[skill.pk] = _("没有评分标准")
            continue
        try:
            built = scoring.MarkingScheme(tuple(domain_aspect(a, a.module.code) for a in aspects[schemes[skill.pk]]),
                                          theory_weight=skill.theory_weight)
        except RuleBroken as exc:
            out[skill.pk] = exc.message
            continue
        if not built.aspects:
            out[skill.pk] = _("没有评分项")
            continue
        errors = scoring.scheme_errors(built)
        out[skill.pk] = errors[0].message if errors else None
    return out


def scheme_problem(skill: Skill) -> str | None:
    """Why the skill's scheme is not usable (no scheme, no aspects, practical part not 100), or None."""
    return _scheme_problems([skill])[skill.pk]

