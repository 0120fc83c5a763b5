"""Reads of the online theory exam (issue 12 item 7), shared by the pages and the API.

- `exam_paper(sitting, at)`: what the candidate's page loads (and reloads): every question as the candidate sees
  it (options in the paper's displayed order, never the key), the saved answers mapped back to the displayed
  options, the acknowledgement and the next sequence number, and the clock from the server's deadline. The score
  is not shown on the exam page: results reach the candidate when the batch's results are published
  (certification.domain.results), so the page says only that the paper was submitted.
- `room_view(room, at)`: the invigilator's live room: per seat, the candidate's name and ticket number (no ID
  number or phone: the room has no need of them), the state (not started, in, away from the page, disconnected,
  submitted; certification.domain.answers.seat_view), answered of how many, time left, last contact, the number
  of times the page was left and the connection came back, extra time, and the latest events.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certification.domain import answers as log_rules
from certification.domain import exam_clock as clock
from certification.domain.results import PASS_MARK
from certification.models import (
    BatchPart,
    DeadlinePolicy,
    DisconnectPolicy,
    ExamPolicy,
    MultipleChoiceGrading,
    PaperItem,
    QuestionVersion,
    Regrade,
    RegradeChange,
    Room,
    SavedAnswer,
    Seat,
    Sitting,
    SittingEvent,
    SittingEventKind,
)

# The page beats every 5 s; this much silence is a lost connection (certification.services.exam).
DISCONNECT_AFTER = timedelta(seconds=20)


def timing_policy(part: BatchPart) -> clock.TimingPolicy:
    """The part's policy as the domain reads it (module docstring: the part's length without a policy row)."""
    row: ExamPolicy | None = getattr(part, "exam_policy", None)
    if row is None:
        return clock.TimingPolicy(duration=max(part.ends_at - part.starts_at, clock.MIN_THEORY_DURATION))
    return clock.TimingPolicy(
        duration=timedelta(seconds=row.duration_s), disconnect=clock.DisconnectPolicy(row.disconnect),
        pause_per_disconnect=timedelta(seconds=row.pause_per_disconnect_s),
        pause_total=timedelta(seconds=row.pause_total_s), deadline=clock.DeadlinePolicy(row.deadline),
        submit_grace=timedelta(seconds=row.submit_grace_s), max_offline=timedelta(seconds=row.max_offline_s),
        offset_tolerance=timedelta(milliseconds=row.offset_tolerance_ms))


def sitting_timing(sitting: Sitting, at: datetime, policy: clock.TimingPolicy | None = None) -> clock.Timing:
    """The sitting's clock at `at` (exam_clock.timing); the disconnects are read only when they can matter."""
    policy = policy or timing_policy(sitting.part)
    disconnects: tuple[clock.Disconnect, ...] = ()
    if policy.disconnect is clock.DisconnectPolicy.PAUSE:
        disconnects = tuple(clock.Disconnect(s, e) for s, e in sitting.disconnects.values_list(
            "started_at", "ended_at"))
    extra = (clock.ExtraTime(timedelta(seconds=sitting.extra_s), "granted"),) if sitting.extra_s else ()
    return clock.timing(policy, clock.Sitting(sitting.started_at, extra, disconnects, sitting.submitted_at), at)


KIND_LABELS = {"single": _("单项选择题"), "multiple": _("多项选择题"), "truefalse": _("判断题")}


@dataclass(frozen=True, slots=True)
class QuestionView:
    position: int  # 0-based, what the page sends back
    number: int  # 1-based, what the candidate reads
    kind: str
    kind_label: str
    stem: str
    options: list[str]  # in the displayed order
    points: int
    saved: list[int]  # displayed indexes of the saved answer
    saved_seq: int


@dataclass(frozen=True, slots=True)
class ExamPaperView:
    sitting_id: int
    batch_name: str
    candidate_name: str
    ticket_no: str
    questions: list[QuestionView]
    ack: int
    next_seq: int
    server_time: datetime
    started_at: datetime
    deadline: datetime
    time_left_ms: int
    phase: str
    submitted: bool
    submitted_at: datetime | None
    extra_minutes: int


def _name(user: object) -> str:
    return str(getattr(user, "real_name", "") or user)


def exam_paper(sitting: Sitting, at: datetime | None = None) -> ExamPaperView:
    at = at or timezone.now()
    t = sitting_timing(sitting, at)
    saved = {p: (c, s) for p, c, s in SavedAnswer.objects.filter(sitting=sitting).values_list(
        "position", "choices", "seq")}
    questions = []
    for item in PaperItem.objects.filter(paper_id=sitting.paper_id).select_related("version").order_by("position"):
        v, position = item.version, item.position - 1
        order = list(item.option_order)
        choices, seq = saved.get(position, ([], 0))
        questions.append(QuestionView(position, item.position, v.kind, str(KIND_LABELS.get(v.kind, v.kind)), v.stem,
                                      [v.options[i] for i in order], item.points,
                                      sorted(order.index(c) for c in choices if c in order), seq))
    registration = sitting.registration
    next_seq = max((sitting.ack, *(int(k) for k in sitting.ahead))) + 1
    return ExamPaperView(
        sitting_id=sitting.pk, batch_name=registration.batch.name, candidate_name=_name(registration.candidate),
        ticket_no=registration.ticket_no or "", questions=questions, ack=sitting.ack, next_seq=next_seq,
        server_time=at, started_at=sitting.started_at, deadline=t.deadline,
        time_left_ms=int(t.time_left.total_seconds() * 1000), phase=t.phase.value,
        submitted=sitting.submitted_at is not None, submitted_at=sitting.submitted_at,
        extra_minutes=sitting.extra_s // 60)


@dataclass(frozen=True, slots=True)
class EventView:
    at: datetime
    kind: str
    label: str


@dataclass(frozen=True, slots=True)
class SeatRow:
    seat: int
    candidate_name: str
    ticket_no: str
    sitting_id: int | None
    state: str
    state_label: str
    answered: int
    questions: int
    time_left_ms: int | None
    last_seen: datetime | None
    left_page: int
    reconnections: int
    extra_minutes: int
    device: str
    released: bool
    events: list[EventView]


@dataclass(frozen=True, slots=True)
class RoomView:
    room_id: int
    room_name: str
    batch_name: str
    part_id: int
    server_time: datetime
    seats: list[SeatRow]

    @property
    def counts(self) -> list[tuple[str, str, int]]:
        """(state, its label, how many seats), in the order of STATE_LABELS."""
        out: dict[str, int] = {}
        for s in self.seats:
            out[s.state] = out.get(s.state, 0) + 1
        return [(state, str(label), out[state]) for state, label in STATE_LABELS.items() if state in out]


STATE_LABELS = {"not_started": _("未进入"), "in": _("在线作答"), "away": _("离开页面"), "disconnected": _("断线"),
                "submitted": _("已交卷")}
SEAT_KIND = {
    SittingEventKind.OPENED: log_rules.SeatEventKind.CONNECTED,
    SittingEventKind.RESUMED: log_rules.SeatEventKind.CONNECTED,
    SittingEventKind.TAKEN_OVER: log_rules.SeatEventKind.CONNECTED,
    SittingEventKind.RECONNECTED: log_rules.SeatEventKind.CONNECTED,
    SittingEventKind.DISCONNECTED: log_rules.SeatEventKind.DISCONNECTED,
    SittingEventKind.LEFT_PAGE: log_rules.SeatEventKind.PAGE_HIDDEN,
    SittingEventKind.BACK: log_rules.SeatEventKind.PAGE_VISIBLE,
    SittingEventKind.SUBMITTED: log_rules.SeatEventKind.SUBMITTED,
}


def room_view(room: Room, at: datetime | None = None) -> RoomView:
    """The room as the invigilator sees it (module docstring); a fixed number of queries for any room size."""
    at = at or timezone.now()
    labels = dict(SittingEventKind.choices)
    seats = list(Seat.objects.filter(room=room).select_related("registration__candidate").order_by("number"))
    sittings = {s.registration_id: s for s in Sitting.objects.filter(room=room).select_related(
        "part", "part__exam_policy")}
    events: dict[int, list[SittingEvent]] = {}
    for e in SittingEvent.objects.filter(sitting__room=room).order_by("at", "pk"):
        events.setdefault(e.sitting_id, []).append(e)
    policy = timing_policy(room.part) if sittings else None
    rows = []
    for seat in seats:
        r = seat.registration
        s = sittings.get(r.pk)
        if s is None:
            rows.append(SeatRow(seat.number, _name(r.candidate), r.ticket_no or "", None, "not_started",
                                str(STATE_LABELS["not_started"]), 0, 0, None, None, 0, 0, 0, "", False, []))
            continue
        mine = events.get(s.pk, [])
        view = log_rules.seat_view([log_rules.SeatEvent(e.at, SEAT_KIND[SittingEventKind(e.kind)]) for e in mine
                                    if e.kind in SEAT_KIND], log_rules.AnswerLog(), len(s.shape))
        state = view.state.value
        if state in ("in", "away") and s.last_seen_at is not None and at - s.last_seen_at > DISCONNECT_AFTER:
            state = "disconnected"  # silent now, before the room's next sweep records it
        t = sitting_timing(s, at, policy)
        rows.append(SeatRow(
            seat.number, _name(r.candidate), r.ticket_no or "", s.pk, state, str(STATE_LABELS[state]), s.answered,
            len(s.shape), int(t.time_left.total_seconds() * 1000) if s.submitted_at is None else None,
            s.last_seen_at, view.left_page, view.reconnections, s.extra_s // 60, s.session_device,
            s.session_released, [EventView(e.at, e.kind, str(labels.get(e.kind, e.kind))) for e in mine[-5:]]))
    return RoomView(room.pk, room.name, room.part.batch.name, room.part_id, at, rows)


def candidate_sittings(registration_ids: list[int]) -> dict[int, int]:
    """registration id → sitting id, for the pages that link to the exam."""
    return dict(Sitting.objects.filter(registration_id__in=registration_ids).values_list("registration_id", "pk"))


@dataclass(frozen=True, slots=True)
class SubmittedView:
    sitting_id: int
    submitted_at: datetime
    how: str
    answered: int
    questions: int


def submitted_view(sitting: Sitting) -> SubmittedView:
    assert sitting.submitted_at is not None  # noqa: S101 - only asked of a submitted sitting
    return SubmittedView(sitting.pk, sitting.submitted_at, sitting.submitted_how, sitting.answered,
                         len(sitting.shape))


@dataclass(frozen=True, slots=True)
class ItemChangeView:
    number: int  # 1-based question number in the candidate's paper
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class CandidateChangeView:
    sitting_id: int
    candidate_name: str
    ticket_no: str
    old_score: str
    new_score: str
    items: list[ItemChangeView]
    old_passed: bool  # the theory part's pass (≥ 60) before and after
    new_passed: bool


@dataclass(frozen=True, slots=True)
class RegradeView:
    regrade_id: int
    old_version_id: int
    voided: bool
    reason: str
    sittings: int
    changed: int
    created_at: datetime
    changes: list[CandidateChangeView]
    question_id: int
    old_version: int  # the version number within its question
    flips: int  # candidates whose pass or fail changed


def regrade_view(regrade: Regrade) -> RegradeView:
    """A regrade with, per candidate, what changed (names and ticket numbers: the bank's keeper needs to say whom
    a correction touched; no ID numbers)."""
    changes = [CandidateChangeView(c.sitting_id, _name(c.sitting.candidate), c.sitting.registration.ticket_no or "",
                                   str(c.old_score), str(c.new_score),
                                   [ItemChangeView(i["position"] + 1, i["old"], i["new"]) for i in c.items],
                                   c.old_score >= PASS_MARK, c.new_score >= PASS_MARK)
               for c in RegradeChange.objects.filter(regrade=regrade).select_related(
                   "sitting__candidate", "sitting__registration").order_by("sitting__registration__ticket_no", "pk")]
    old = regrade.old_version
    return RegradeView(regrade.pk, regrade.old_version_id, regrade.voided, regrade.reason, regrade.sittings,
                       regrade.changed, regrade.created_at, changes, old.question_id, old.version,
                       sum(1 for c in changes if c.old_passed != c.new_passed))


# --- the policy and regrade pages (issue 12, follow-ups) ------------------------------------------------------------
# The policy page shows the part's policy in minutes as the form edits it (the defaults, with the part's own length,
# when the body set none); the question page shows per version how many submitted sittings used it and its past
# regrades; a regrade's page shows per candidate the old → new score and whether the theory part's pass (≥ 60,
# certification.domain.results.PASS_MARK) flipped.

@dataclass(frozen=True, slots=True)
class PolicyView:
    part_id: int
    batch_id: int
    batch_name: str
    starts_at: datetime
    ends_at: datetime
    is_set: bool  # False: the defaults, with the part's own length
    duration_minutes: int
    disconnect: str
    disconnect_label: str
    pause_per_disconnect_minutes: int
    pause_total_minutes: int
    deadline: str
    deadline_label: str
    submit_grace_minutes: int
    max_offline_minutes: int
    late_entry_minutes: int
    multiple_grading: str
    multiple_grading_label: str
    updated_at: datetime | None


def policy_view(part: BatchPart) -> PolicyView:
    row: ExamPolicy | None = getattr(part, "exam_policy", None)
    p = timing_policy(part)
    late = row.late_entry_s if row else 900
    grading_value = row.multiple_grading if row else MultipleChoiceGrading.ALL_OR_NOTHING.value

    def minutes(d: timedelta) -> int:
        return int(d.total_seconds() // 60)

    return PolicyView(
        part.pk, part.batch_id, part.batch.name, part.starts_at, part.ends_at, row is not None,
        minutes(p.duration), p.disconnect.value, str(DisconnectPolicy(p.disconnect.value).label),
        minutes(p.pause_per_disconnect), minutes(p.pause_total), p.deadline.value,
        str(DeadlinePolicy(p.deadline.value).label), minutes(p.submit_grace), minutes(p.max_offline), late // 60,
        grading_value, str(MultipleChoiceGrading(grading_value).label), row.updated_at if row else None)


@dataclass(frozen=True, slots=True)
class RegradeSummary:
    regrade_id: int
    old_version: int  # the version number within its question
    voided: bool
    reason: str
    sittings: int
    changed: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class VersionUse:
    version_id: int
    version: int
    is_current: bool
    sittings: int  # submitted sittings whose paper carried it: what a regrade of it touches


def version_uses(question_id: int) -> list[VersionUse]:
    """The question's versions that submitted sittings carried, newest first (what the page offers to regrade)."""
    counts = dict(PaperItem.objects.filter(version__question_id=question_id,
                                           paper__sitting__submitted_at__isnull=False)
                  .values("version_id").annotate(n=Count("paper__sitting")).values_list("version_id", "n"))
    return [VersionUse(pk, number, current, counts[pk]) for pk, number, current in QuestionVersion.objects.filter(
        pk__in=counts).order_by("-version").values_list("pk", "version", "is_current")]


def question_regrades(question_id: int) -> list[RegradeSummary]:
    return [RegradeSummary(r.pk, r.old_version.version, r.voided, r.reason, r.sittings, r.changed, r.created_at)
            for r in Regrade.objects.filter(old_version__question_id=question_id).select_related("old_version")]
