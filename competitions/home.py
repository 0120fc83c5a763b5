"""What the competitions app puts on a person's home page ("待办事项"), one provider per role.

Each provider answers with a few queries whatever the size of the competition, and counts only what the person
may act on, scoped the way the pages that act on it are:

- a referee: the skills in marking where marks of theirs are still missing, counted cell by cell exactly as their
  marking page offers them (`selectors.marking_sheet`: assignment, panel, recusal), so the two never disagree; this
  provider costs one query, plus the marking page's reads for each skill in marking (a referee marks one skill at
  a time);
- the chief referee of a skill: sheets complete and ready to sign off, sheets with a divergence, pending
  corrections and unanswered objections;
- the encryption officer of the organizer: skills at check-in whose 检录号 or 工位号 draw is not done, and skills
  whose sheets are all signed off but not decrypted;
- organizer staff: registrations awaiting review, 技术能手 proposals awaiting 核准, skills whose review period
  (公示) is over with every objection answered, which can be published, and events still in 筹备 (set-up);
- a contestant or coach: results of their entries published in the last `RECENT` days, and answers to their
  objections in that time.

Units come from `accounts.permissions.reach`, and only its own-unit part: a to-do list names what is the person's
job, and the platform admin, who may act everywhere, would otherwise see every unit's work of the province.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, IntegerField, Max, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import can, reach
from competitions import selectors
from competitions.adapters import domain_aspect
from competitions.domain import corrections, scoring
from competitions.models import (
    Aspect,
    CorrectionStatus,
    DrawStage,
    Entry,
    EntryStatus,
    Event,
    Mark,
    MarkCorrection,
    Objection,
    RefereeAssignment,
    RefereeRole,
    Sheet,
    SheetStatus,
    Skill,
    Status,
    TitleProposal,
)
from competitions.permissions import Action
from shell.navigation import (
    PublicItem,
    PublicLink,
    PublicSection,
    WaitingItem,
    register_front_door,
    register_waiting,
)

RECENT = timedelta(days=30)


def _count(rows: QuerySet[Any], outer: str) -> Coalesce:
    """A correlated COUNT of `rows`, which are filtered on OuterRef(...) through the lookup `outer`."""
    counted = rows.order_by().values(outer).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


# --- referees -----------------------------------------------------------------------------------------------------


def referee_items(user: Any) -> list[WaitingItem]:
    if not can(user, Action.MARK_ENTER):
        return []
    assignments = RefereeAssignment.objects.filter(
        referee=user, role=RefereeRole.REFEREE, skill__status=Status.MARKING
    ).select_related("skill__event", "skill__scheme").order_by("skill_id")
    items = []
    for assignment in assignments:
        skill = assignment.skill
        sheet = selectors.marking_sheet(referee=user, skill=skill)
        missing = sum(1 for row in sheet.workstations for cell in row.cells if cell.may_mark and cell.my_value is None)
        if missing:
            items.append(WaitingItem(
                _("待评分"),
                _("%(event)s · %(skill)s：还有 %(count)d 项评分待录入。")
                % {"event": skill.event.name, "skill": skill, "count": missing},
                reverse("competitions:marking", args=[skill.pk]), count=missing, code="competitions.aspects_to_mark",
            ))
    return items


# --- chief referees -----------------------------------------------------------------------------------------------


def _aspect_open(dom: scoring.Aspect, scores: tuple[int, Decimal, Decimal] | None) -> tuple[bool, bool]:
    """(incomplete, divergent) of one aspect of one entry, as `selectors.marking.sheet_state` decides them, from the
    number of scores and their extremes: DESIGN.md decides completeness by the number of scores and divergence by
    max − min alone, so a list with the same count and extremes scores the same."""
    if scores is None:
        return True, False
    count, lowest, highest = scores
    result = scoring.score_aspect(dom, [lowest, *[highest] * (count - 1)])
    return result.mark is None, result.divergent


def _sheets_to_sign(skill_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Skill id → (open sheets complete without divergence, open sheets with a divergence), in three queries:
    the open sheets, the aspects, and each (entry, aspect)'s count, min and max of marks on an open sheet."""
    sheets = list(
        Sheet.objects.filter(entry__skill_id__in=skill_ids, entry__status=EntryStatus.APPROVED, status=SheetStatus.OPEN)
        .values_list("entry_id", "module_id", "entry__skill_id")
    )
    if not sheets:
        return {}
    aspects: dict[int, list[tuple[int, scoring.Aspect]]] = defaultdict(list)
    for aspect in Aspect.objects.filter(scheme__skill_id__in=skill_ids):
        aspects[aspect.module_id].append((aspect.pk, domain_aspect(aspect, "")))
    scores = {
        (entry_id, aspect_id): (count, lowest, highest)
        for entry_id, aspect_id, count, lowest, highest in Mark.objects.filter(
            entry__skill_id__in=skill_ids, entry__status=EntryStatus.APPROVED,
            entry__sheets__module_id=F("aspect__module_id"), entry__sheets__status=SheetStatus.OPEN,
        ).order_by().values_list("entry_id", "aspect_id").annotate(Count("pk"), Min("value"), Max("value"))
    }
    counts: dict[int, tuple[int, int]] = {}
    for entry_id, module_id, skill_id in sheets:
        states = [_aspect_open(dom, scores.get((entry_id, aspect_id))) for aspect_id, dom in aspects[module_id]]
        ready, divergent = counts.get(skill_id, (0, 0))
        if any(d for _i, d in states):
            divergent += 1
        elif not any(i for i, _d in states):
            ready += 1
        counts[skill_id] = (ready, divergent)
    return counts


def chief_items(user: Any) -> list[WaitingItem]:
    if not can(user, Action.SHEET_SIGN_OFF):  # with the assignment as chief: access.is_chief_of
        return []
    skills = list(
        Skill.objects.filter(referee_assignments__referee=user, referee_assignments__role=RefereeRole.CHIEF)
        .select_related("event")
        .annotate(
            # Not their own requests: someone else decides those (two people for every correction).
            pending_corrections=_count(MarkCorrection.objects.filter(
                mark__entry__skill=OuterRef("pk"), status=CorrectionStatus.PENDING).exclude(requested_by=user),
                "mark__entry__skill"),
            unanswered_objections=_count(Objection.objects.filter(
                entry__skill=OuterRef("pk"), answered_at__isnull=True), "entry__skill"),
        )
        .order_by("pk")
    )
    sheets = _sheets_to_sign([s.pk for s in skills if s.status == Status.MARKING])
    items = []
    for skill in skills:
        where = {"event": skill.event.name, "skill": skill}
        ready, divergent = sheets.get(skill.pk, (0, 0))
        if ready:
            items.append(WaitingItem(
                _("评分表待签字确认"),
                _("%(event)s · %(skill)s：%(count)d 张评分表已评完，待您签字确认。") % {**where, "count": ready},
                reverse("competitions:sheets", args=[skill.pk]), count=ready, code="competitions.sheets_to_sign",
            ))
        if divergent:
            items.append(WaitingItem(
                _("评分存在分歧"),
                _("%(event)s · %(skill)s：%(count)d 张评分表存在分歧，需复评或由您说明理由后确认。")
                % {**where, "count": divergent},
                reverse("competitions:sheets", args=[skill.pk]), count=divergent, level="warning",
                code="competitions.sheets_divergent",
            ))
        if skill.pending_corrections:
            items.append(WaitingItem(
                _("评分更正待审批"),
                _("%(event)s · %(skill)s：%(count)d 项评分更正待您审批。")
                % {**where, "count": skill.pending_corrections},
                reverse("competitions:corrections", args=[skill.pk]),
                count=skill.pending_corrections, code="competitions.corrections_to_decide",
            ))
        if skill.unanswered_objections:
            items.append(WaitingItem(
                _("成绩异议待答复"),
                _("%(event)s · %(skill)s：%(count)d 条实名异议待您答复，答复后才能公布成绩。")
                % {**where, "count": skill.unanswered_objections},
                reverse("competitions:skill_objections", args=[skill.pk]),
                count=skill.unanswered_objections, level="warning", code="competitions.objections_to_answer",
            ))
    return items


# --- supervisors ---------------------------------------------------------------------------------------------------


def supervisor_items(user: Any) -> list[WaitingItem]:
    """The organizer's supervisor (监督): corrections that a skill's only chief referee requested, which nobody
    but the supervisor may decide (competitions.domain.corrections)."""
    units = reach(user, Action.CORRECTION_SUPERVISE).units
    if not units:
        return []
    pending = list(
        MarkCorrection.objects.filter(status=CorrectionStatus.PENDING, mark__entry__skill__event__organizer__in=units)
        .values_list("mark__entry__skill_id", "mark__referee_id", "requested_by_id")
    )
    if not pending:
        return []
    chiefs: dict[int, set[int]] = defaultdict(set)
    for skill_id, referee_id in RefereeAssignment.objects.filter(
        skill_id__in={p[0] for p in pending}, role=RefereeRole.CHIEF
    ).values_list("skill_id", "referee_id"):
        chiefs[skill_id].add(referee_id)
    counts: dict[int, int] = defaultdict(int)
    for skill_id, referee_id, requested_by_id in pending:
        request = corrections.CorrectionRequest(referee_id, requested_by_id)
        if corrections.decision_refusal(user.pk, request, chiefs[skill_id], supervisor=True) is None:
            counts[skill_id] += 1
    items = []
    for skill in Skill.objects.filter(pk__in=counts).select_related("event").order_by("pk"):
        items.append(WaitingItem(
            _("裁判长的更正申请待监督审批"),
            _("%(event)s · %(skill)s：%(count)d 项由裁判长本人提出的评分更正，须由您（监督）审批。")
            % {"event": skill.event.name, "skill": skill, "count": counts[skill.pk]},
            reverse("competitions:corrections", args=[skill.pk]), count=counts[skill.pk],
            code="competitions.corrections_to_supervise",
        ))
    return items


# --- encryption officers ------------------------------------------------------------------------------------------


def encryption_items(user: Any) -> list[WaitingItem]:
    draw_units, decrypt_units = reach(user, Action.DRAW_RUN).units, reach(user, Action.DECRYPT).units
    if not draw_units and not decrypt_units:
        return []
    approved = Entry.objects.filter(skill=OuterRef("pk"), status=EntryStatus.APPROVED)
    sheets = Sheet.objects.filter(entry__skill=OuterRef("pk"), entry__status=EntryStatus.APPROVED)
    # The conditions of services.draws: both draws at check-in, decryption once every sheet is signed off.
    skills = (
        Skill.objects.filter(
            Q(status=Status.CHECK_IN, event__organizer__in=draw_units)
            | Q(status=Status.MARKING, decrypted_at__isnull=True, event__organizer__in=decrypt_units)
        )
        .select_related("event")
        .annotate(
            checkin_missing=Exists(approved.filter(checkin_no__isnull=True)),
            workstation_missing=Exists(approved.filter(workstation_no="")),
            has_sheets=Exists(sheets), open_sheets=Exists(sheets.filter(status=SheetStatus.OPEN)),
        )
        .order_by("pk")
    )
    items = []
    for skill in skills:
        where = {"event": skill.event.name, "skill": skill}
        # The draws page of the event, at the skill (the venue's device may also use the API).
        page = reverse("competitions:event_draws", args=[skill.event_id]) + f"#skill-{skill.pk}"
        if skill.status == Status.CHECK_IN and (skill.checkin_missing or skill.workstation_missing):
            stage = DrawStage.CHECKIN if skill.checkin_missing else DrawStage.WORKSTATION
            items.append(WaitingItem(
                _("待抽签"), _("%(event)s · %(skill)s：%(stage)s。") % {**where, "stage": stage.label}, page,
                code=f"competitions.{stage.value}_draw_due",  # checkin_draw_due, workstation_draw_due
            ))
        elif skill.status == Status.MARKING and skill.has_sheets and not skill.open_sheets:
            items.append(WaitingItem(
                _("待解密"), _("%(event)s · %(skill)s：评分表已全部签字确认，可以解密。") % where, page,
                code="competitions.decrypt_due",
            ))
    return items


# --- organizer staff ----------------------------------------------------------------------------------------------


def organizer_items(user: Any) -> list[WaitingItem]:
    review_units = reach(user, Action.ENTRY_REVIEW).units
    title_units = reach(user, Action.TITLE_APPROVE).units
    manage_units = reach(user, Action.COMPETITION_MANAGE).units
    items = []
    if review_units:
        for event_id, event_name, count in (
            Entry.objects.filter(status=EntryStatus.SUBMITTED, skill__event__organizer__in=review_units)
            .order_by().values_list("skill__event_id", "skill__event__name").annotate(Count("pk"))
        ):
            items.append(WaitingItem(
                _("报名待审核"), _("%(event)s：%(count)d 条报名待审核。") % {"event": event_name, "count": count},
                reverse("competitions:event_registrations", args=[event_id]) + f"?status={EntryStatus.SUBMITTED}",
                count=count,
                code="competitions.entries_to_review",
            ))
    if title_units:
        for event_id, event_name, count in (
            TitleProposal.objects.filter(approved_at__isnull=True, entry__skill__event__organizer__in=title_units)
            .order_by().values_list("entry__skill__event_id", "entry__skill__event__name").annotate(Count("pk"))
        ):
            items.append(WaitingItem(
                _("技术能手待核准"),
                _("%(event)s：%(count)d 项技术能手推荐待核准。") % {"event": event_name, "count": count},
                reverse("competitions:event_titles", args=[event_id]), count=count,
                code="competitions.titles_to_approve",
            ))
    if manage_units:
        # The two conditions of selectors.events.skill_missing(…, PUBLISHED), for every skill at once.
        unanswered = Objection.objects.filter(entry__skill=OuterRef("pk"), answered_at__isnull=True)
        for event_id, event_name, count in (
            Skill.objects.filter(status=Status.REVIEW, review_until__lte=timezone.now(),
                                 event__organizer__in=manage_units)
            .exclude(Exists(unanswered))
            .order_by().values_list("event_id", "event__name").annotate(Count("pk"))
        ):
            items.append(WaitingItem(
                _("成绩可以公布"),
                _("%(event)s：%(count)d 个赛项公示期满、异议均已答复，可以公布成绩。")
                % {"event": event_name, "count": count},
                reverse("competitions:event_manage", args=[event_id]), count=count,
                code="competitions.results_to_publish",
            ))
        # Events still in 筹备: the event's page lists what opening registration needs (competitions.views.setup).
        for event_id, event_name, skill_count in (
            Event.objects.filter(status=Status.DRAFT, organizer__in=manage_units)
            .order_by("starts_on", "pk").annotate(n=Count("skills")).values_list("pk", "name", "n")[:20]
        ):
            items.append(WaitingItem(
                _("竞赛筹备中"),
                _("%(event)s：已添加 %(count)d 个赛项；设置赛项、评分标准和工位后即可开放报名。")
                % {"event": event_name, "count": skill_count},
                reverse("competitions:event_manage", args=[event_id]), code="competitions.event_in_setup",
            ))
    return items


# --- contestants and coaches --------------------------------------------------------------------------------------


def contestant_items(user: Any) -> list[WaitingItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    since = timezone.now() - RECENT
    items = []
    for event_id, event_name, count in (
        Entry.objects.filter(Q(members__person=user) | Q(coaches__person=user), status=EntryStatus.APPROVED,
                             skill__published_at__gte=since)
        .order_by().values_list("skill__event_id", "skill__event__name").annotate(Count("pk", distinct=True))
    ):
        items.append(WaitingItem(
            _("比赛成绩已公布"), _("%(event)s：您参加或指导的 %(count)d 个项目成绩已公布。")
            % {"event": event_name, "count": count},
            reverse("competitions:results", args=[event_id]), count=count, code="competitions.results_published",
        ))
    answered = Objection.objects.filter(filed_by=user, answered_at__gte=since).count()
    if answered:
        items.append(WaitingItem(
            _("异议已答复"), _("裁判长已答复您提出的 %(count)d 条成绩异议。") % {"count": answered},
            reverse("competitions:mine"), count=answered, code="competitions.objections_answered",
        ))
    return items


# --- units (enterprises, colleges, a city's staff) -----------------------------------------------------------------


def unit_items(user: Any) -> list[WaitingItem]:
    """Staff who nominate for their own unit: events open for registration, and their entries rejected while the
    event is still open (so they can correct and enter again), both pointing at the unit's registration page."""
    units = reach(user, Action.ENTRY_SUBMIT).units
    if not units:
        return []
    items = []
    page = reverse("competitions:unit_registrations")
    open_events = list(Event.objects.filter(status=Status.REGISTRATION).order_by("starts_on", "pk")
                       .values_list("name", flat=True)[:4])
    if open_events:
        items.append(WaitingItem(
            _("竞赛报名中"), _("正在报名：%(events)s。可逐个报名或用 Excel 报名表导入。")
            % {"events": "、".join(open_events)}, page, count=len(open_events), code="competitions.registration_open",
        ))
    rejected = Entry.objects.filter(unit_id__in=units, status=EntryStatus.REJECTED,
                                    skill__event__status=Status.REGISTRATION).count()
    if rejected:
        items.append(WaitingItem(
            _("报名被驳回"), _("%(count)d 条报名被主办单位驳回，请查看原因后修改重报。") % {"count": rejected},
            page, count=rejected, level="warning", code="competitions.entries_rejected",
        ))
    return items


# --- the public front door ------------------------------------------------------------------------------------------


# Events whose live board the front door links (the board itself is open for any event past its draft).
LIVE_BOARD_STATUSES = frozenset({Status.COMPETING, Status.MARKING, Status.REVIEW})


def _public_item(event: selectors.PublicEvent) -> PublicItem:
    links = [PublicLink(_("成绩"), reverse("competitions:results", args=[event.id]), "competitions.results")] \
        if event.has_results else []
    if event.status in LIVE_BOARD_STATUSES:
        links.insert(0, PublicLink(_("实时成绩"), reverse("competitions:board", args=[event.id]), "competitions.board"))
    return PublicItem(
        title=event.name,
        detail=_("%(level)s · %(organizer)s · %(start)s–%(end)s · %(status)s") % {
            "level": event.level_label, "organizer": event.organizer, "start": event.starts_on.isoformat(),
            "end": event.ends_on.isoformat(), "status": event.status_label},
        status=event.status, links=tuple(links),
    )


def front_door_sections() -> list[PublicSection]:
    current, past = selectors.front_door_events()
    return [
        PublicSection("competitions_current", _("正在进行的竞赛"), [_public_item(e) for e in current],
                      _("暂无正在进行的竞赛。")),
        PublicSection("competitions_past", _("往届竞赛"), [_public_item(e) for e in past], _("暂无往届竞赛。")),
    ]


def register() -> None:
    for provider in (referee_items, chief_items, supervisor_items, encryption_items, organizer_items,
                     unit_items, contestant_items):
        register_waiting(provider)
    register_front_door(front_door_sections)
