"""Writes of a batch's results (issue 12 item 9): part results the body's staff record (the theory score for now,
absences), the moves of the results' state (review, publication) and objections with their answers. Each takes
an actor, checks its right through certification.access, runs certification.domain.results, saves in one
transaction and writes its audit entry.

Choices where the issue is silent (each tested in tests/certification/test_services_results.py):
- **The theory score for now** is entered by the body's staff (0–100, one decimal) or recorded absent (缺考);
  when the online exam lands (issue 12 item 7) it writes the same `PartResult` row through `part_result_record`,
  and `selectors.results.theory_score_of` is the one place the pass rules read it from.
- **Absences** of the practical part and the review are recorded by the body's staff, not by the assessors; a
  candidate with a score from an assessor cannot be recorded absent (the scores would be lost from the result),
  nor scored once absent.
- **Every change says why**: the first entry needs no reason, any change of a recorded score or absence does;
  each change is a `PartResultRevision` (old, new, who, when, why) and an audit entry. Part results change only
  while the results are graded: during the review, only an upheld objection (which sends the batch back to graded)
  opens them; after publication, never here.
- **The review period** (公示) is `settings.CERTIFICATION_REVIEW_WORKING_DAYS` working days (default 5, domain
  `ReviewPeriod`), counted in Asia/Shanghai from the day after the start; a deployment, or a test, sets 0 to end
  it at once. Starting it needs every seated candidate's outcome settled (domain `move_refusal`).
- **Objections**: the candidate themselves, while the batch is in review and its period has not ended; answered by
  the body's staff (who consult the chief assessor) with an answer and whether it is upheld. An upheld objection
  sends the results back to graded (domain RESULTS_MOVES): the body corrects the result and starts the review
  again, in full.
- **Publication** waits for the period's end and for every objection's answer; published results are final here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.actors import Actor
from accounts.models import User
from audit.services import audit_record
from certification import access
from certification.domain import results as dom
from certification.domain.ladder import SkillLevel
from certification.models import (
    AssessorScore,
    Batch,
    BatchResults,
    Objection,
    PartResult,
    PartResultRevision,
    RegistrationStatus,
    ResultsState,
)
from certification.selectors import results as views
from core.errors import Conflict, FieldError, NotFound, ValidationFailed
from core.lookup import get_or_404


def _user(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) else None


def review_period() -> dom.ReviewPeriod:
    return dom.ReviewPeriod(working_days=int(getattr(settings, "CERTIFICATION_REVIEW_WORKING_DAYS",
                                                     dom.DEFAULT_REVIEW_DAYS)))


def _results_row(batch: Batch) -> BatchResults:
    # Locked: the state moves and the objections of one batch are decided one at a time.
    BatchResults.objects.get_or_create(batch=batch, defaults={"updated_at": timezone.now()})
    return BatchResults.objects.select_for_update().get(batch=batch)


@dataclass(frozen=True, slots=True)
class PartResultIn:
    part: str  # theory | practical | review
    score: Decimal | None = None  # theory only: the practical and review scores come from their panels
    absent: bool = False
    reason: str = ""


@transaction.atomic(durable=True)
def part_result_record(*, actor: Actor, registration_id: int, data: PartResultIn) -> PartResult:
    """Record a theory score, or an absence from any part (module docstring)."""
    registration = get_or_404(access._registrations(True), pk=registration_id)
    batch = access.access_batch_results(actor, registration.batch_id, manage=True)
    if registration.status != RegistrationStatus.SEATED:
        raise Conflict("results.not_seated")
    if data.part not in {p.value for p in dom.Part}:
        raise ValidationFailed([FieldError("part", "results.unknown_part")])
    part = dom.Part(data.part)
    if part is not dom.Part.THEORY and data.score is not None:
        raise ValidationFailed([FieldError("score", "results.score_from_panel")])
    if part is not dom.Part.THEORY and not data.absent:
        raise ValidationFailed([FieldError("absent", "results.score_from_panel")])
    refusal = dom.part_refusal(SkillLevel(batch.level), dom.PartResult(part, data.score, data.absent))
    if refusal is not None:
        raise refusal
    if data.score is None and not data.absent:
        raise ValidationFailed([FieldError("score", "results.score_required")])
    if data.score is not None and data.score != data.score.quantize(Decimal("0.1")):
        raise ValidationFailed([FieldError("score", "results.one_decimal")])
    row = _results_row(batch)
    if row.state != ResultsState.GRADED:
        raise Conflict("results.not_graded", {"state": ResultsState(row.state).label})
    if data.absent and part is not dom.Part.THEORY and AssessorScore.objects.filter(
            registration=registration, item__sheet__part__kind=part.value).exists():
        raise Conflict("results.absent_but_scored")
    result = PartResult.objects.select_for_update().filter(registration=registration, part=part.value).first()
    reason = data.reason.strip()
    if result is not None and (result.score is not None or result.absent):
        if result.score == data.score and result.absent == data.absent:
            return result
        if not reason:
            raise ValidationFailed([FieldError("reason", "results.change_reason_required")])
    now = timezone.now()
    old_score, old_absent = (None, None) if result is None else (result.score, result.absent)
    old = None if result is None else {"score": old_score, "absent": old_absent}
    if result is None:
        result = PartResult.objects.create(registration=registration, part=part.value, score=data.score,
                                           absent=data.absent, updated_by=_user(actor), updated_at=now)
    else:
        result.score, result.absent, result.updated_by, result.updated_at = data.score, data.absent, _user(actor), now
        result.save(update_fields=["score", "absent", "updated_by", "updated_at"])
    PartResultRevision.objects.create(result=result, old_score=old_score, old_absent=old_absent, score=data.score,
                                      absent=data.absent, reason=reason, written_by=_user(actor), written_at=now)
    audit_record(actor=actor, action="certification.results.part_recorded", target=result, old=old,
                 new={"part": part.value, "score": data.score, "absent": data.absent,
                      "registration": registration.pk}, reason=reason)
    return result


def _move(actor: Actor, batch: Batch, row: BatchResults, target: dom.ResultsState, now: datetime,
          reason: str = "") -> BatchResults:
    outcomes = [o for _r, o in views.batch_outcomes(batch)]
    facts = views.results_facts(batch, outcomes)
    refusal = dom.move_refusal(facts, target, now)
    if refusal is not None:
        raise refusal
    old = {"state": row.state, "review_ends_at": row.review_ends_at}
    row.state = target.value
    if target is dom.ResultsState.IN_REVIEW:
        row.review_started_at = now
        row.review_ends_at = dom.review_ends(timezone.localtime(now), review_period())
    elif target is dom.ResultsState.GRADED:
        row.review_started_at = row.review_ends_at = None
    else:
        row.published_at = now
    row.updated_at = now
    row.save()
    audit_record(actor=actor, action=f"certification.results.{target.value}", target=row, old=old,
                 new={"state": row.state, "review_ends_at": row.review_ends_at}, reason=reason)
    return row


@transaction.atomic(durable=True)
def results_review_start(*, actor: Actor, batch_id: int) -> BatchResults:
    """Start the review period (公示): every seated candidate's outcome settled (domain `move_refusal`)."""
    batch = access.access_batch_results(actor, batch_id, manage=True, lock=True)
    return _move(actor, batch, _results_row(batch), dom.ResultsState.IN_REVIEW, timezone.now())


@transaction.atomic(durable=True)
def results_publish(*, actor: Actor, batch_id: int) -> BatchResults:
    """Publish after the review period, with every objection answered (domain `move_refusal`)."""
    batch = access.access_batch_results(actor, batch_id, manage=True, lock=True)
    return _move(actor, batch, _results_row(batch), dom.ResultsState.PUBLISHED, timezone.now())


@transaction.atomic(durable=True)
def objection_file(*, actor: User, registration_id: int, text: str) -> Objection:
    """A candidate's objection to their own results, during the review (module docstring)."""
    registration = access.access_registration_for_objection(actor, registration_id)
    if not text.strip():
        raise ValidationFailed([FieldError("text", "results.objection_text_required")])
    row = _results_row(registration.batch)
    facts = dom.BatchResults(dom.ResultsState(row.state),
                             row.review_ends_at if row.state != ResultsState.GRADED else None)
    refusal = dom.objection_window_refusal(facts, timezone.now())
    if refusal is not None:
        raise refusal
    objection = Objection.objects.create(registration=registration, text=text.strip()[:4000], filed_by=actor,
                                         filed_at=timezone.now())
    audit_record(actor=actor, action="certification.results.objection_filed", target=objection,
                 new={"registration": registration.pk, "text": objection.text})
    return objection


@transaction.atomic(durable=True)
def objection_answer(*, actor: Actor, objection_id: int, answer: str, upheld: bool) -> Objection:
    """Answer an objection; an upheld one sends the batch's results back to graded (module docstring)."""
    objection = access.access_objection(actor, objection_id, lock=True)
    if objection.answered_at is not None:
        raise Conflict("results.objection_answered")
    if not answer.strip():
        raise ValidationFailed([FieldError("answer", "results.answer_required")])
    batch = objection.registration.batch
    row = _results_row(batch)
    if row.state == ResultsState.PUBLISHED:
        raise NotFound()  # cannot happen: publication waits for every answer
    now = timezone.now()
    objection.answer, objection.upheld, objection.answered_by, objection.answered_at = (
        answer.strip()[:4000], upheld, _user(actor), now)
    objection.save(update_fields=["answer", "upheld", "answered_by", "answered_at"])
    audit_record(actor=actor, action="certification.results.objection_answered", target=objection,
                 new={"answer": objection.answer, "upheld": upheld})
    if upheld and row.state == ResultsState.IN_REVIEW:
        _move(actor, batch, row, dom.ResultsState.GRADED, now, reason=objection.answer)
    return objection
