"""Writes of the online theory exam that cannot be lost (在线理论考试; issue 12 item 7). The rules are the pure
modules' (certification.domain.exam_clock, answers, grading, papers); this module loads, calls them, saves in one
transaction and logs.

Choices where the issue is silent (each tested in tests/certification/test_services_exam.py):

- **Entry**: a seated candidate opens the exam from the theory part's start until `late_entry_s` after it (default
  15 minutes, the usual 开考 15 分钟后不得入场); the paper is assembled then from the bank's blueprint with a fresh
  recorded seed, avoiding the questions of the candidate's earlier papers in the bank. A sitting's clock starts
  when the server hands out the paper (exam_clock); its duration is the part's policy (`ExamPolicy`), or the
  part's own length when the body set none.
- **One session**: the page presents a session key it generated; `exam_clock`'s sibling `answers.session_decision`
  decides. A refused second session is logged for the invigilator (its own transaction, so the refusal survives
  the error) and raised naming the first device and time. Release is by an invigilator with a reason, audited.
- **Disconnects** are the server's view: the page beats every 5 s; contact after more than `DISCONNECT_AFTER`
  (20 s) of silence records the gap as a disconnect (and the invigilator's room records a silence it sees as an
  open one, closed at the next contact). Under the PAUSE policy these intervals move the deadline.
- **Deadline: a sweep on read**, not a timer task: every request of the candidate's page and every refresh of the
  invigilator's room submits a sitting whose last instant to submit has passed (`submitted_at` = that instant, so
  when it was read does not matter), and grades it. A room nobody watches and a candidate who never returns are
  swept when results are read (`part_sweep`); the instant recorded is the rule's, never the sweep's.
- **Answers after submission**: answers given before the deadline that arrive within the offline window after an
  automatic submission are accepted (exam_clock) and the sitting is graded again (a new grade version).
- **Audit**: opening, submission, release, extra time and regrades are audit entries; a sweep writes one entry
  for the part naming every sitting it submitted (`certification.exam.swept`). Each answer is recorded in
  the append-only `AnswerReceipt` table instead (accepted, repeated or refused with its code), which is the
  answer's audit trail: an audit entry per click would double the hot path's writes for no reader.
- **States**: a sitting moves (in progress, released, submitted) only through `_sitting_move`, which checks the one
  table of certification.domain.sittings; its state is read from the stored facts, not kept in a column.
- **Grading** runs on submission (domain.grading), with the key as corrected by any regrade of the versions.
- **Regrade**: after a question is revised in the bank (a new current version), `question_regrade` regrades every
  submitted sitting whose paper carried the old version, with the new version's key (or voids the item), records
  per candidate the old and new score and the changed items, adds a grade version to each changed sitting and
  writes one audit entry naming every change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from accounts.actors import Actor
from accounts.models import User
from accounts.permissions import require
from audit.services import audit_record
from certification import access
from certification.domain import answers as log_rules
from certification.domain import exam_clock as clock
from certification.domain import grading
from certification.domain import sittings as states
from certification.domain.papers import Kind
from certification.domain.papers import PaperItem as DomainItem
from certification.models import (
    AnswerReceipt,
    BatchPart,
    DisconnectInterval,
    ExamPolicy,
    ExtraTimeGrant,
    PaperItem,
    PartKind,
    QuestionVersion,
    ReceiptOutcome,
    Registration,
    RegistrationStatus,
    Regrade,
    RegradeChange,
    SavedAnswer,
    Seat,
    Sitting,
    SittingEvent,
    SittingEventKind,
    SittingGrade,
    SubmittedHow,
)
from certification.permissions import Action
from certification.selectors.exam import DISCONNECT_AFTER, sitting_timing, timing_policy
from certification.services.bank import paper_store
from core import sql
from core.errors import Conflict, FieldError, RuleBroken, ValidationFailed
from core.lookup import get_or_404

MAX_BATCH = 200


def _user(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) else None


# --- the clock -----------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class PolicyData:
    duration_minutes: int
    disconnect: clock.DisconnectPolicy = clock.DisconnectPolicy.RUNS_ON
    pause_per_disconnect_minutes: int = 5
    pause_total_minutes: int = 15
    deadline: clock.DeadlinePolicy = clock.DeadlinePolicy.AUTO_SUBMIT
    submit_grace_minutes: int = 5
    max_offline_minutes: int = 10
    late_entry_minutes: int = 15
    multiple_grading: grading.MultiplePolicy = grading.MultiplePolicy.ALL_OR_NOTHING


@transaction.atomic(durable=True)
def exam_policy_set(*, actor: Actor, part_id: int, data: PolicyData) -> ExamPolicy:
    """Set the theory part's timing policy (exam_clock.check_policy names every problem), audited old → new."""
    part = get_or_404(BatchPart.objects.select_related("batch"), pk=part_id, kind=PartKind.THEORY)
    access.access_batch(actor, part.batch_id, manage=True, lock=True)
    m = timedelta(minutes=1)
    domain = clock.TimingPolicy(data.duration_minutes * m, data.disconnect, data.pause_per_disconnect_minutes * m,
                                data.pause_total_minutes * m, data.deadline, data.submit_grace_minutes * m,
                                data.max_offline_minutes * m)
    problems = clock.check_policy(domain)
    if data.late_entry_minutes < 0:
        problems.append("exam.policy.bad_window")
    if problems:
        raise ValidationFailed([FieldError("policy", code) for code in problems])
    row = ExamPolicy.objects.filter(part=part).first()
    old = None if row is None else _policy_snapshot(row)
    row = row or ExamPolicy(part=part)
    row.duration_s, row.disconnect = data.duration_minutes * 60, data.disconnect.value
    row.pause_per_disconnect_s = data.pause_per_disconnect_minutes * 60
    row.pause_total_s = data.pause_total_minutes * 60
    row.deadline, row.submit_grace_s = data.deadline.value, data.submit_grace_minutes * 60
    row.max_offline_s, row.late_entry_s = data.max_offline_minutes * 60, data.late_entry_minutes * 60
    row.multiple_grading, row.updated_at = data.multiple_grading.value, timezone.now()
    row.save()
    audit_record(actor=actor, action="certification.exam.policy_set", target=part, old=old,
                 new=_policy_snapshot(row))
    return row


def _policy_snapshot(row: ExamPolicy) -> dict[str, object]:
    return {"duration_s": row.duration_s, "disconnect": row.disconnect, "deadline": row.deadline,
            "pause_per_disconnect_s": row.pause_per_disconnect_s, "pause_total_s": row.pause_total_s,
            "submit_grace_s": row.submit_grace_s, "max_offline_s": row.max_offline_s,
            "late_entry_s": row.late_entry_s, "multiple_grading": row.multiple_grading}


# --- events and contact --------------------------------------------------------------------------------------------

def _event(sitting: Sitting, kind: SittingEventKind, at: datetime, **detail: object) -> SittingEvent:
    return SittingEvent(sitting=sitting, kind=kind, at=at, detail=detail)


def _contact(sitting: Sitting, now: datetime, events: list[SittingEvent]) -> list[str]:
    """Record contact from the page at `now`: a silence longer than DISCONNECT_AFTER was a disconnect (module
    docstring); returns the sitting's fields changed."""
    last = sitting.last_seen_at
    if last is not None and now - last > DISCONNECT_AFTER:
        closed = DisconnectInterval.objects.filter(sitting=sitting, ended_at__isnull=True).update(ended_at=now)
        if not closed:
            DisconnectInterval.objects.create(sitting=sitting, started_at=last, ended_at=now)
            events.append(_event(sitting, SittingEventKind.DISCONNECTED, last))
        events.append(_event(sitting, SittingEventKind.RECONNECTED, now, away_s=int((now - last).total_seconds())))
    sitting.last_seen_at = now
    return ["last_seen_at"]


# --- grading -------------------------------------------------------------------------------------------------------

def _key_of(version_ids: set[int]) -> dict[int, grading.KeyEntry]:
    """The answer key of these versions as it stands: each version's own answer, unless a regrade corrected it (the
    latest regrade of a version wins)."""
    key = {pk: grading.KeyEntry(Kind(kind), tuple(sorted(answer))) for pk, kind, answer in
           QuestionVersion.objects.filter(pk__in=version_ids).values_list("pk", "kind", "answer")}
    for r in Regrade.objects.filter(old_version_id__in=version_ids).order_by("created_at", "pk"):
        key[r.old_version_id] = grading.KeyEntry(key[r.old_version_id].kind, tuple(r.correct), r.voided)
    return key


def _multiple_policy(part: BatchPart) -> grading.MultiplePolicy:
    row: ExamPolicy | None = getattr(part, "exam_policy", None)
    return grading.MultiplePolicy(row.multiple_grading) if row else grading.MultiplePolicy.ALL_OR_NOTHING


def _paper_items(paper_id: int) -> list[DomainItem]:
    return _papers_items([paper_id])[paper_id]


def _papers_items(paper_ids: list[int]) -> dict[int, list[DomainItem]]:
    out: dict[int, list[DomainItem]] = {pk: [] for pk in paper_ids}
    for paper, v, q, k, o, p in PaperItem.objects.filter(paper_id__in=paper_ids).order_by(
            "paper_id", "position").values_list("paper_id", "version_id", "version__question_id", "version__kind",
                                                "option_order", "points"):
        out[paper].append(DomainItem(v, q, Kind(k), tuple(o), p))
    return out


def _choices(sitting: Sitting, size: int) -> list[tuple[int, ...]]:
    saved = dict(SavedAnswer.objects.filter(sitting=sitting).values_list("position", "choices"))
    return [tuple(saved.get(p, ())) for p in range(size)]


def _points_text(points: grading.Points) -> str:
    return str(points) if isinstance(points, int) else f"{points.numerator}/{points.denominator}"


def _grade(sitting: Sitting, now: datetime, regrade: Regrade | None = None) -> SittingGrade:
    return _grade_many([sitting], now, regrade)[0]


def _grade_many(sittings: Sequence[Sitting], now: datetime, regrade: Regrade | None = None) -> list[SittingGrade]:
    """Grade sittings (domain.grading) in a fixed number of queries whatever their number: their papers' items,
    their saved answers, the key of every version, the versions graded so far, one insert of the grades."""
    items_of = _papers_items([s.paper_id for s in sittings])
    saved: dict[int, dict[int, tuple[int, ...]]] = {s.pk: {} for s in sittings}
    for sitting_id, position, choices in SavedAnswer.objects.filter(sitting__in=sittings).values_list(
            "sitting_id", "position", "choices"):
        saved[sitting_id][position] = tuple(choices)
    key = _key_of({i.version_id for items in items_of.values() for i in items})
    last = dict(SittingGrade.objects.filter(sitting__in=sittings).values("sitting_id").annotate(
        n=Max("version")).values_list("sitting_id", "n"))
    rows = []
    for sitting in sittings:
        items = items_of[sitting.paper_id]
        answers = saved[sitting.pk]
        result = grading.grade(items, [answers.get(p, ()) for p in range(len(items))], key,
                               _multiple_policy(sitting.part))
        rows.append(SittingGrade(sitting=sitting, version=(last.get(sitting.pk) or 0) + 1, score=result.score,
                                 earned=[_points_text(e) for e in result.earned], total=result.total,
                                 graded_at=now, regrade=regrade))
    return SittingGrade.objects.bulk_create(rows, batch_size=1000)


# --- the sitting's one transition (domain.sittings) -----------------------------------------------------------------

def _sitting_state(sitting: Sitting) -> states.SittingState:
    return states.state_of(submitted=sitting.submitted_at is not None, released=sitting.session_released)


def _sitting_move(sitting: Sitting, target: states.SittingState, *, at: datetime | None = None,
                  how: SubmittedHow | None = None) -> list[str]:
    """Move a sitting to `target` (certification.domain.sittings: the one table of moves, its refusal raised):
    sets the stored facts the state is read from and returns the fields changed; the caller saves them, one row
    or a sweep's in bulk. Submission takes its instant and how."""
    refusal = states.move_refusal(_sitting_state(sitting), target)
    if refusal is not None:
        raise refusal
    if target is states.SittingState.SUBMITTED:
        if at is None or how is None:
            raise ValueError("a submission needs its instant and how")
        sitting.submitted_at, sitting.submitted_how = at, how
        return ["submitted_at", "submitted_how"]
    sitting.session_released = target is states.SittingState.RELEASED
    return ["session_released"]


def _submit(actor: Actor, sitting: Sitting, at: datetime, how: SubmittedHow, now: datetime) -> SittingGrade:
    sitting.save(update_fields=_sitting_move(sitting, states.SittingState.SUBMITTED, at=at, how=how))
    SittingEvent.objects.create(sitting=sitting, kind=SittingEventKind.SUBMITTED, at=at, detail={"how": how.value})
    grade = _grade(sitting, now)
    audit_record(actor=actor, action="certification.exam.submitted", target=sitting,
                 new={"how": how.value, "at": at, "answered": sitting.answered, "score": grade.score})
    return grade


def _sweep(actor: Actor, sitting: Sitting, now: datetime, policy: clock.TimingPolicy | None = None) -> bool:
    """Submit a sitting whose last instant to submit has passed, at that instant (module docstring); True when it
    did. The caller holds the sitting's row lock."""
    if not states.may_move(_sitting_state(sitting), states.SittingState.SUBMITTED):
        return False
    policy = policy or timing_policy(sitting.part)
    t = sitting_timing(sitting, now, policy)
    if now < t.closes_at:
        return False
    how = SubmittedHow.GRACE_EXPIRED if policy.deadline is clock.DeadlinePolicy.GRACE else SubmittedHow.AUTO
    _submit(actor, sitting, t.closes_at, how, now)
    return True


@transaction.atomic(durable=True)
def part_sweep(*, actor: Actor, part_id: int) -> int:
    """Submit (and grade) every sitting of a theory part whose time is up; how many it submitted. What the
    results call before they read (module docstring: a sweep on read); in bulk, so a hall of thousands is a
    handful of queries plus one audit entry per submission."""
    now = timezone.now()
    sittings = list(Sitting.objects.select_for_update(of=("self",)).select_related(
        "part", "part__exam_policy").filter(part_id=part_id, submitted_at__isnull=True).order_by("pk"))
    if not sittings:
        return 0
    policy = timing_policy(sittings[0].part)
    how = SubmittedHow.GRACE_EXPIRED if policy.deadline is clock.DeadlinePolicy.GRACE else SubmittedHow.AUTO
    due, events = [], []
    for sitting in sittings:
        t = sitting_timing(sitting, now, policy)
        if now >= t.closes_at:
            _sitting_move(sitting, states.SittingState.SUBMITTED, at=t.closes_at, how=how)
            due.append(sitting)
            events.append(_event(sitting, SittingEventKind.SUBMITTED, t.closes_at, how=how.value))
    if not due:
        return 0
    Sitting.objects.bulk_update(due, ["submitted_at", "submitted_how"], batch_size=500)
    SittingEvent.objects.bulk_create(events, batch_size=1000)
    grades = _grade_many(due, now)
    # One entry for the sweep, naming every sitting it submitted with its instant and score: the submissions are
    # the rule's (the deadline passed), not anyone's act, and a hall of thousands is one audited write.
    audit_record(actor=actor, action="certification.exam.swept", target=sittings[0].part, new={
        "how": how.value, "submitted": [{"sitting": s.pk, "at": s.submitted_at, "answered": s.answered,
                                         "score": g.score} for s, g in zip(due, grades, strict=True)]})
    return len(due)


# --- opening a sitting ---------------------------------------------------------------------------------------------

def _theory_seat(registration: Registration) -> Seat:
    seat = Seat.objects.select_related("part", "part__exam_policy", "room").filter(
        registration=registration, part__kind=PartKind.THEORY).first()
    if registration.status != RegistrationStatus.SEATED or seat is None:
        raise Conflict("exam.not_seated")
    return seat


def _new_sitting(actor: Actor, registration: Registration, session_key: str, device: str, now: datetime) -> Sitting:
    seat = _theory_seat(registration)
    part = seat.part
    if now < part.starts_at:
        raise Conflict("exam.not_yet", {"starts": timezone.localtime(part.starts_at).strftime("%H:%M")})
    policy: ExamPolicy | None = getattr(part, "exam_policy", None)
    late = timedelta(seconds=policy.late_entry_s if policy else 900)
    if now > part.starts_at + late:
        raise Conflict("exam.entry_closed", {"minutes": int(late.total_seconds() // 60)})
    batch = registration.batch
    ref = access.BankRef(batch.occupation, batch.level)
    paper = paper_store(actor, ref, candidate_id=registration.candidate_id)
    items = list(PaperItem.objects.filter(paper=paper).order_by("position").values_list(
        "version__kind", "version__options", "option_order"))
    # The move not started → in progress (domain.sittings) is the row's creation; the row lock on the
    # registration keeps a second page from creating a second one.
    sitting = Sitting.objects.create(
        registration=registration, part=part, room=seat.room, candidate_id=registration.candidate_id, paper=paper,
        shape=[[kind, len(options), order] for kind, options, order in items], started_at=now,
        session_key=session_key, session_device=device[:200], session_opened_at=now, last_seen_at=now)
    SittingEvent.objects.create(sitting=sitting, kind=SittingEventKind.OPENED, at=now, detail={"device": device[:200]})
    audit_record(actor=actor, action="certification.exam.started", target=sitting,
                 new={"paper": paper.pk, "seed": paper.seed, "device": device[:200]})
    return sitting


@transaction.atomic(durable=True)
def _open(actor: Actor, registration_id: int, session_key: str, device: str) -> Sitting:
    registration = access.access_registration_for_exam(actor, registration_id, lock=True)
    now = timezone.now()
    sitting = Sitting.objects.select_for_update(of=("self",)).select_related("part", "part__exam_policy").filter(
        registration=registration).first()
    if sitting is None:
        return _new_sitting(actor, registration, session_key, device, now)
    active = log_rules.Session(sitting.session_key, timezone.localtime(sitting.session_opened_at),
                               sitting.session_device, sitting.session_released)
    move = log_rules.session_decision(active, session_key)  # raises Conflict naming the first session
    events: list[SittingEvent] = []
    fields = _contact(sitting, now, events)
    if move is log_rules.SessionMove.TAKE_OVER:
        events.append(_event(sitting, SittingEventKind.TAKEN_OVER, now, device=device[:200],
                             previous=sitting.session_device))
        sitting.session_key, sitting.session_device, sitting.session_opened_at = session_key, device[:200], now
        fields += ["session_key", "session_device", "session_opened_at"]
        if _sitting_state(sitting) is states.SittingState.RELEASED:
            fields += _sitting_move(sitting, states.SittingState.IN_PROGRESS)
        else:  # submitted while released: the new page takes the session only to show the submission
            sitting.session_released = False
            fields.append("session_released")
        audit_record(actor=actor, action="certification.exam.session_taken_over", target=sitting,
                     new={"device": device[:200]})
    else:
        events.append(_event(sitting, SittingEventKind.RESUMED, now))
    SittingEvent.objects.bulk_create(events)
    sitting.save(update_fields=fields)
    _sweep(actor, sitting, now)
    return sitting


@transaction.atomic(durable=True)
def _log_session_refused(registration_id: int, device: str) -> None:
    sitting = Sitting.objects.filter(registration_id=registration_id).first()
    if sitting is not None:
        SittingEvent.objects.create(sitting=sitting, kind=SittingEventKind.SESSION_REFUSED, at=timezone.now(),
                                    detail={"device": device[:200], "active": sitting.session_device})


def sitting_open(*, actor: Actor, registration_id: int, session_key: str, device: str = "") -> Sitting:
    """Start or resume the candidate's sitting with one active session (module docstring): the first page opens
    it (and assembles the paper), the same session resumes, a session released by staff is taken over; any other
    is refused with `Conflict("exam.session.active")` naming the first, and the refusal is logged."""
    if not 8 <= len(session_key) <= 64:
        raise ValidationFailed([FieldError("session_key", "exam.session.unknown")])
    try:
        return _open(actor, registration_id, session_key, device)
    except Conflict as refused:
        if refused.code == "exam.session.active":
            _log_session_refused(registration_id, device)
        raise


# --- saving answers (the hot path) ---------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class AnswerIn:
    """One answer as the page sends it: 0-based position, the displayed option indexes picked, its sequence
    number, and when the page says it was given (its own clock)."""

    position: int
    choices: tuple[int, ...]
    seq: int
    given_at: datetime


@dataclass(frozen=True, slots=True)
class RefusalOut:
    seq: int
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class SaveResult:
    """What the page is told: the acknowledgement (every number up to it is settled), the numbers accepted and
    refused (with the codes and Chinese messages), the next number to use, and the clock."""

    ack: int
    accepted: list[int]
    repeated: list[int]
    refused: list[RefusalOut]
    next_seq: int
    server_time: datetime
    deadline: datetime
    time_left_ms: int
    phase: str
    submitted: bool


def _check_session(sitting: Sitting, session_key: str) -> None:
    if sitting.session_key != session_key or sitting.session_released:
        raise Conflict("exam.session.unknown")


def _ahead_from(data: dict[str, str | None]) -> dict[int, datetime | None]:
    return {int(k): (datetime.fromisoformat(v) if v else None) for k, v in data.items()}


def _clock_fields(t: clock.Timing, submitted: bool) -> dict[str, object]:
    return {"server_time": t.at, "deadline": t.deadline, "time_left_ms": int(t.time_left.total_seconds() * 1000),
            "phase": t.phase.value, "submitted": submitted}


_SAVED_COLUMNS = sql.Columns(SavedAnswer, "a", exclude=("id", "sitting"))


def _saved_of(sitting_id: int, positions: set[int]) -> dict[int, log_rules.Saved]:
    """The answers in force at these positions of the sitting (core.sql: the save path's statements are written
    once; composed with the ORM they cost more CPU than the database took to run them)."""
    if not positions:
        return {}
    statement = (f"SELECT {_SAVED_COLUMNS.sql()} FROM {sql.table(SavedAnswer)} a "  # noqa: S608
                 f"WHERE a.sitting_id = %s AND a.position IN ({', '.join(['%s'] * len(positions))})")
    with connection.cursor() as cursor:
        cursor.execute(statement, [sitting_id, *sorted(positions)])
        rows = cursor.fetchall()
    return {a.position: log_rules.Saved(tuple(a.choices), a.seq, a.given_at)
            for a in (_SAVED_COLUMNS.load(row) for row in rows)}


@transaction.atomic(durable=True)
def answers_save(*, actor: Actor, sitting_id: int, session_key: str, answers: Sequence[AnswerIn],
                 offset: clock.OffsetEstimate = clock.UNKNOWN_OFFSET) -> SaveResult:
    """Apply a batch of answers from the page (answers.apply: idempotent by sequence number, later wins,
    contiguous acknowledgement; exam_clock.answer_refusal decides time): every answer is recorded as received,
    refusals logged for the invigilator and returned with their codes. A few queries whatever the batch's size:
    the sitting (locked), the saved answers of the positions touched, one upsert, one insert of receipts, the
    sitting's update (and the disconnects when the policy pauses)."""
    if len(answers) > MAX_BATCH:
        raise ValidationFailed([FieldError("answers", "exam.too_many")])
    sitting = access.access_sitting_for_candidate(actor, sitting_id, lock=True)
    _check_session(sitting, session_key)
    now = timezone.now()
    policy = timing_policy(sitting.part)
    events: list[SittingEvent] = []
    fields = _contact(sitting, now, events)
    if sitting.round_trip_ms is None or offset.round_trip < timedelta(milliseconds=sitting.round_trip_ms):
        if offset is not clock.UNKNOWN_OFFSET:
            sitting.offset_ms = int(offset.offset.total_seconds() * 1000)
            sitting.round_trip_ms = int(offset.round_trip.total_seconds() * 1000)
            fields += ["offset_ms", "round_trip_ms"]
    t = sitting_timing(sitting, now, policy)
    shape = [log_rules.ItemShape(Kind(kind), count) for kind, count, _order in sitting.shape]
    batch: list[log_rules.Answer] = []
    for a in answers:
        order = sitting.shape[a.position][2] if 0 <= a.position < len(sitting.shape) else []
        stored = log_rules.to_stored(order, a.choices) if all(0 <= c < len(order) for c in a.choices) else \
            tuple(sorted(set(a.choices))) + (10_000,)  # an index off the page: refused by shape_refusal
        batch.append(log_rules.Answer(a.position, stored, a.seq, a.given_at))
    positions = {a.position for a in batch}
    saved = _saved_of(sitting.pk, positions)
    log = log_rules.AnswerLog(saved, sitting.ack, _ahead_from(sitting.ahead), sitting.acknowledged_at)

    def judge(answer: log_rules.Answer, last: datetime | None) -> RuleBroken | None:
        return clock.answer_refusal(t, page_time=answer.given_at, estimate=offset, received_at=now,
                                    last_acknowledged=last)

    applied = log_rules.apply(log, batch, shape, judge)
    changed = [SavedAnswer(sitting=sitting, position=p, choices=list(s.choices), seq=s.seq, given_at=s.given_at)
               for p, s in applied.log.answers.items() if saved.get(p) != s]
    sql.insert_rows(changed, on_conflict=["sitting", "position"], update=["choices", "seq", "given_at"])
    refused = {r.seq: r.error for r in applied.refused}
    accepted, repeated = set(applied.accepted), set(applied.repeated)
    sql.insert_rows([
        AnswerReceipt(sitting=sitting, seq=a.seq, position=a.position, choices=list(a.choices), given_at=a.given_at,
                      received_at=now, code=refused[a.seq].code if a.seq in refused else "",
                      outcome=ReceiptOutcome.ACCEPTED if a.seq in accepted else ReceiptOutcome.REPEATED
                      if a.seq in repeated else ReceiptOutcome.REFUSED) for a in batch])
    if refused:
        events.append(_event(sitting, SittingEventKind.REFUSED_ANSWER, now,
                             seqs=sorted(refused), codes=sorted({e.code for e in refused.values()})))
    if events:
        SittingEvent.objects.bulk_create(events)
    before = sum(1 for s in saved.values() if s.choices)
    after = sum(1 for p, s in applied.log.answers.items() if p in positions and s.choices)
    sitting.answered += after - before
    sitting.ack, sitting.acknowledged_at = applied.log.ack, applied.log.acknowledged_at
    sitting.ahead = {str(k): (v.isoformat() if v else None) for k, v in applied.log.ahead.items()}
    sql.update(sitting, [*fields, "answered", "ack", "acknowledged_at", "ahead"])
    if _sitting_state(sitting) is states.SittingState.SUBMITTED and changed:
        _grade(sitting, now)  # an offline answer given in time reached us after the automatic submission
    else:
        _sweep(actor, sitting, now, policy)
    t = sitting_timing(sitting, now, policy)
    return SaveResult(ack=applied.ack, accepted=sorted(accepted), repeated=sorted(repeated),
                      refused=[RefusalOut(seq, e.code, e.message) for seq, e in sorted(refused.items())],
                      next_seq=applied.log.next_seq, **_clock_fields(t, sitting.submitted_at is not None))  # type: ignore[arg-type]


# --- heartbeat, page visibility, submission ------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class BeatResult:
    received_at: datetime  # t1 of the NTP exchange
    server_time: datetime
    deadline: datetime
    time_left_ms: int
    phase: str
    submitted: bool
    ack: int
    next_seq: int


@transaction.atomic(durable=True)
def sitting_heartbeat(*, actor: Actor, sitting_id: int, session_key: str, visible: bool | None = None,
                      was_hidden: bool = False) -> BeatResult:
    """Contact from the page (every few seconds, and on reconnection): records disconnects seen as silence and the
    page leaving or coming back (`visible`), sweeps, and returns the server's clock for the page's offset."""
    received = timezone.now()
    sitting = access.access_sitting_for_candidate(actor, sitting_id, lock=True)
    _check_session(sitting, session_key)
    events: list[SittingEvent] = []
    fields = _contact(sitting, received, events)
    if visible is False:
        events.append(_event(sitting, SittingEventKind.LEFT_PAGE, received))
    elif visible is True and was_hidden:
        events.append(_event(sitting, SittingEventKind.BACK, received))
    if events:
        SittingEvent.objects.bulk_create(events)
    sitting.save(update_fields=fields)
    _sweep(actor, sitting, received)
    now = timezone.now()
    t = sitting_timing(sitting, now)
    ack_next = max((sitting.ack, *(int(k) for k in sitting.ahead))) + 1
    return BeatResult(received_at=received, ack=sitting.ack, next_seq=ack_next,
                      **_clock_fields(t, sitting.submitted_at is not None))  # type: ignore[arg-type]


@transaction.atomic(durable=True)
def sitting_submit(*, actor: Actor, sitting_id: int, session_key: str) -> SittingGrade:
    """The candidate submits (交卷): allowed until the last instant to submit (the deadline, or its grace);
    graded at once (domain.grading)."""
    sitting = access.access_sitting_for_candidate(actor, sitting_id, lock=True)
    _check_session(sitting, session_key)
    now = timezone.now()
    if _sweep(actor, sitting, now):
        raise Conflict("exam.submitted")
    return _submit(actor, sitting, now, SubmittedHow.CANDIDATE, now)


# --- the invigilator's actions -------------------------------------------------------------------------------------

@transaction.atomic(durable=True)
def session_release(*, actor: Actor, sitting_id: int, reason: str) -> Sitting:
    """Release the candidate's active session (a crashed computer, a move to a spare seat), with a reason: the
    next page the candidate opens takes over (answers.session_decision). Audited."""
    sitting = access.access_sitting_for_invigilation(actor, sitting_id, lock=True)
    if not reason.strip():
        raise ValidationFailed([FieldError("reason", "exam.release.reason_required")])
    sitting.save(update_fields=_sitting_move(sitting, states.SittingState.RELEASED))
    now = timezone.now()
    SittingEvent.objects.create(sitting=sitting, kind=SittingEventKind.RELEASED, at=now,
                                detail={"reason": reason.strip(), "device": sitting.session_device})
    audit_record(actor=actor, action="certification.exam.session_released", target=sitting,
                 old={"device": sitting.session_device}, new={"released": True}, reason=reason.strip())
    return sitting


@transaction.atomic(durable=True)
def extra_time_grant(*, actor: Actor, sitting_id: int, minutes: int, reason: str) -> ExtraTimeGrant:
    """Grant a candidate extra time (延时) with a reason (exam_clock.extra_time_refusal): grants add up and cannot
    reopen a closed sitting. Audited, and logged for the room."""
    sitting = access.access_sitting_for_invigilation(actor, sitting_id, lock=True)
    now = timezone.now()
    policy = timing_policy(sitting.part)
    _sweep(actor, sitting, now, policy)
    extra = (clock.ExtraTime(timedelta(seconds=sitting.extra_s), "granted"),) if sitting.extra_s else ()
    refusal = clock.extra_time_refusal(policy, clock.Sitting(sitting.started_at, extra, (), sitting.submitted_at),
                                       clock.ExtraTime(timedelta(minutes=minutes), reason), now)
    if refusal is not None:
        if refusal.code == "exam.extra.closed":
            raise Conflict(refusal.code, refusal.params)
        raise ValidationFailed([FieldError("reason" if "reason" in refusal.code else "minutes", refusal.code,
                                           refusal.params)])
    grant = ExtraTimeGrant.objects.create(sitting=sitting, seconds=minutes * 60, reason=reason.strip(),
                                          granted_by=_user(actor), granted_at=now)
    old = sitting.extra_s
    sitting.extra_s += minutes * 60
    sitting.save(update_fields=["extra_s"])
    SittingEvent.objects.create(sitting=sitting, kind=SittingEventKind.EXTRA_TIME, at=now,
                                detail={"minutes": minutes, "reason": reason.strip()})
    audit_record(actor=actor, action="certification.exam.extra_time", target=sitting, old={"extra_s": old},
                 new={"extra_s": sitting.extra_s}, reason=reason.strip())
    return grant


@transaction.atomic(durable=True)
def room_watch(*, actor: Actor, room_id: int) -> int:
    """What the room page does before it reads: submits the sittings whose time is up, and records as an open
    disconnect every sitting silent for longer than DISCONNECT_AFTER (module docstring). Returns how many it
    changed."""
    access.access_room_for_invigilation(actor, room_id)
    now = timezone.now()
    changed = 0
    sittings = list(Sitting.objects.select_for_update(of=("self",)).select_related("part", "part__exam_policy")
                    .filter(room_id=room_id, submitted_at__isnull=True))
    open_ids = set(DisconnectInterval.objects.filter(sitting__in=sittings, ended_at__isnull=True)
                   .values_list("sitting_id", flat=True))
    for sitting in sittings:
        if _sweep(actor, sitting, now):
            changed += 1
            continue
        last = sitting.last_seen_at
        if last is not None and now - last > DISCONNECT_AFTER and sitting.pk not in open_ids:
            DisconnectInterval.objects.create(sitting=sitting, started_at=last)
            SittingEvent.objects.create(sitting=sitting, kind=SittingEventKind.DISCONNECTED, at=last)
            changed += 1
    return changed


# --- regrade after a correction ------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class RegradeOptions:
    """A regrade of `old_version_id`: with the key of the question's current (corrected) version, or `void`ed (every
    candidate gets the item's points; domain.grading)."""

    old_version_id: int
    reason: str
    void: bool = False


@transaction.atomic(durable=True)
def question_regrade(*, actor: Actor, options: RegradeOptions) -> Regrade:
    """Regrade every submitted sitting whose paper carried the old version (module docstring): per candidate the
    old and new score and the items that changed, a new grade version for each changed sitting, one audit entry."""
    require(actor, Action.EXAM_REGRADE)
    if not options.reason.strip():
        raise ValidationFailed([FieldError("reason", "exam.regrade.reason_required")])
    old = get_or_404(QuestionVersion.objects.select_for_update(), pk=options.old_version_id)
    current = QuestionVersion.objects.filter(question_id=old.question_id, is_current=True).first()
    if not options.void and (current is None or current.pk == old.pk):
        raise Conflict("exam.regrade.not_corrected")
    used = PaperItem.objects.filter(version=old).values("paper_id")
    sittings = list(Sitting.objects.select_for_update(of=("self",)).select_related("part", "part__exam_policy")
                    .filter(submitted_at__isnull=False, paper_id__in=used)
                    .order_by("pk"))
    if not sittings:
        raise Conflict("exam.regrade.nothing")
    papers_of = {s.pk: _paper_items(s.paper_id) for s in sittings}
    versions = {i.version_id for items in papers_of.values() for i in items}
    key = _key_of(versions)
    entry = grading.KeyEntry(key[old.pk].kind, (), True) if options.void else grading.KeyEntry(
        Kind(current.kind), tuple(sorted(current.answer)))  # type: ignore[union-attr]
    now = timezone.now()
    results: list[grading.CandidateRegrade] = []
    for sitting in sittings:  # a part's multiple-choice policy is its own, so each paper is regraded with it
        items = papers_of[sitting.pk]
        paper = grading.PaperToGrade(sitting.pk, items, _choices(sitting, len(items)))
        results.extend(grading.regrade([paper], key, {old.pk: entry}, _multiple_policy(sitting.part)))
    changed = [r for r in results if r.changed]
    run = Regrade.objects.create(old_version=old, new_version=None if options.void else current,
                                 correct=list(entry.correct), voided=options.void, reason=options.reason.strip(),
                                 sittings=len(results), changed=len(changed), created_by=_user(actor),
                                 created_at=now)
    by_id = {s.pk: s for s in sittings}
    RegradeChange.objects.bulk_create([
        RegradeChange(regrade=run, sitting_id=int(str(r.candidate)), old_score=r.old_score, new_score=r.new_score,
                      items=[{"position": i.position, "version": i.version_id, "old": _points_text(i.old),
                              "new": _points_text(i.new)} for i in r.items]) for r in changed])
    for r in changed:
        _grade(by_id[int(str(r.candidate))], now, run)
    audit_record(actor=actor, action="certification.exam.regraded", target=run,
                 old={"version": old.pk, "key": list(key[old.pk].correct)},
                 new={"key": list(entry.correct), "voided": options.void, "sittings": len(results),
                      "changes": [{"sitting": r.candidate, "old": r.old_score, "new": r.new_score} for r in changed]},
                 reason=options.reason.strip())
    return run
