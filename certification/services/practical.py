"""Writes of the practical assessment (操作技能考核) and the comprehensive review (综合评审) (issue 12 item 8): the
scoring sheet, an assessor's score, the chief assessor's confirmation or re-score request. Each takes an actor,
checks its right through certification.access, runs the rules of certification.domain.practical, saves in one
transaction and writes its audit entry.

Choices where the issue is silent (each tested in tests/certification/test_services_practical.py):
- **The sheet** of a practical or review part is set by the body's staff (`RESULTS_MANAGE`) as a whole (items,
  default tolerance share, aggregation) until the first score of any candidate; from then on it is frozen
  (`ScoringSheet.frozen_at`) and refused with `practical.sheet_frozen`. A review sheet must keep the defence and
  the work record (domain `check_review_sheet`).
- **Who scores**: the assessors on duty in the candidate's room (the review: the reviewers of the room or of the
  whole part), not recused from the candidate (checked again at every score, since a relationship may be
  declared after seating); anyone else gets 404 with no reason (certification.access `access_scoring`).
- **Marks are never lost**: a score row per (candidate, assessor, item) holds the current value; every value it
  took is an `AssessorScoreRevision` (old, new, who, when, why, idempotency key) and an audit entry. The first
  score needs no reason; changing it needs one (`practical.change_reason_required`). A retry with a used
  idempotency key is answered with the stored score and writes nothing. Writing the value already stored is
  answered as it stands, also writing nothing.
- **When**: while the batch's results are graded (not in review, not published; an upheld objection reopens),
  for a candidate not recorded absent from the part.
- **The part's score** (`PartResult`) follows the assessment in the same transaction: the domain's rounded score
  once the assessment is final (complete, no open flag), else empty (pending); each change is a
  `PartResultRevision`.
- **The chief assessor** (Role.CHIEF_ASSESSOR on duty in the batch) confirms a divergent complete item with a
  reason (recorded with the scores seen: a later change of any score voids it, domain `assess`) or asks for a
  re-score with a reason; the assessors' tablets then show the item as to be re-scored until they score it again.
  The chief never types a mark.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from accounts.actors import Actor
from accounts.models import User
from accounts.permissions import require
from audit.services import audit_record
from certification import access
from certification.domain import practical as dom
from certification.models import (
    AssessorScore,
    AssessorScoreRevision,
    BatchPart,
    ChiefDecision,
    ChiefDecisionKind,
    PartResult,
    PartResultRevision,
    Registration,
    ScoringSheet,
    SheetItem,
)
from certification.permissions import Action
from certification.selectors import practical as views
from core.errors import Conflict, FieldError, NotFound, RuleBroken, ValidationFailed
from core.lookup import get_or_404


def _user(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) else None


# --- the sheet -------------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class SheetItemIn:
    code: str
    title: str
    max_points: Decimal
    tolerance: Decimal | None = None


@dataclass(frozen=True, slots=True)
class SheetIn:
    items: Sequence[SheetItemIn]
    tolerance_share: Decimal = dom.DEFAULT_TOLERANCE_SHARE
    aggregation: str = ""  # "" → the domain's default for the panel's size


def _sheet_data(sheet: ScoringSheet) -> dict[str, object]:
    return {"tolerance_share": sheet.tolerance_share, "aggregation": sheet.aggregation,
            "items": [{"code": i.code, "title": i.title, "max_points": i.max_points, "tolerance": i.tolerance}
                      for i in sheet.items.all()]}


@transaction.atomic(durable=True)
def sheet_set(*, actor: Actor, part_id: int, data: SheetIn) -> ScoringSheet:
    """Set the scoring sheet of a practical or review part (module docstring): sound by the domain's checks, and
    only until its first score."""
    part = get_or_404(BatchPart.objects.select_related("batch"), pk=part_id, kind__in=access.SCORED_PARTS)
    access.access_batch_results(actor, part.batch_id, manage=True, lock=True)
    if data.aggregation and data.aggregation not in {a.value for a in dom.Aggregation}:
        raise ValidationFailed([FieldError("aggregation", "practical.bad_aggregation")])
    candidate = dom.ScoringSheet(
        tuple(dom.SheetItem(i.code.strip(), i.title.strip(), i.max_points, i.tolerance) for i in data.items),
        data.tolerance_share, dom.Aggregation(data.aggregation) if data.aggregation else None)
    problems = dom.check_review_sheet(candidate) if part.kind == "review" else dom.check_sheet(candidate)
    if any(not i.title for i in candidate.items):
        problems.append("practical.item_title_required")
    if data.tolerance_share > 1:
        problems.append("practical.bad_tolerance")
    if problems:
        raise ValidationFailed([FieldError("items", code) for code in dict.fromkeys(problems)])
    sheet = ScoringSheet.objects.select_for_update().filter(part=part).first()
    old = None
    if sheet is not None:
        if sheet.frozen_at is not None:
            raise Conflict("practical.sheet_frozen")
        old = _sheet_data(sheet)
        sheet.items.all().delete()
        sheet.tolerance_share, sheet.aggregation = data.tolerance_share, data.aggregation
        sheet.updated_by, sheet.updated_at = _user(actor), timezone.now()
        sheet.save()
    else:
        sheet = ScoringSheet.objects.create(part=part, tolerance_share=data.tolerance_share,
                                            aggregation=data.aggregation, updated_by=_user(actor),
                                            updated_at=timezone.now())
    SheetItem.objects.bulk_create([SheetItem(sheet=sheet, position=n, code=i.code, title=i.title[:200],
                                             max_points=i.max_points, tolerance=i.tolerance)
                                   for n, i in enumerate(candidate.items, start=1)])
    audit_record(actor=actor, action="certification.practical.sheet_set", target=sheet, old=old,
                 new=_sheet_data(sheet))
    return sheet


# --- scores ----------------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ScoreView:
    registration_id: int
    part_kind: str
    item_code: str
    value: Decimal
    replayed: bool = False


def refresh_part_result(*, actor: Actor, registration: Registration, part: BatchPart, sheet: ScoringSheet,
                        reason: str) -> PartResult:
    """Bring the part's stored score in line with the assessment (module docstring); inside the caller's
    transaction, with the registration's row locked by the caller."""
    return _refresh(actor, registration, part, sheet, reason, views.assessment_of(registration, part, sheet))


_UNREAD = object()


def _refresh(actor: Actor, registration: Registration, part: BatchPart, sheet: ScoringSheet, reason: str,
             current: views.CandidateAssessment, result: PartResult | None | object = _UNREAD) -> PartResult:
    """refresh_part_result's body; `result`: the part's stored result (or None) when the caller read it already."""
    score = current.assessment.score if current.assessment is not None and current.assessment.final else None
    if result is _UNREAD:
        result = PartResult.objects.filter(registration=registration, part=part.kind).first()
    if not isinstance(result, PartResult):
        # No get_or_create savepoint: the caller holds the registration's row lock, so no second writer races us.
        result = PartResult.objects.create(registration=registration, part=part.kind, updated_at=timezone.now(),
                                           updated_by=_user(actor))
    if result.score != score and not result.absent:
        PartResultRevision.objects.create(result=result, old_score=result.score, old_absent=result.absent,
                                          score=score, absent=False, reason=reason, written_by=_user(actor),
                                          written_at=timezone.now())
        audit_record(actor=actor, action="certification.results.part_scored", target=result,
                     old={"score": result.score}, new={"score": score, "part": part.kind}, reason=reason)
        result.score, result.updated_by, result.updated_at = score, _user(actor), timezone.now()
        result.save(update_fields=["score", "updated_by", "updated_at"])
    return result


def _open_for_scoring(target: access.ScoringTarget) -> tuple[ScoringSheet, PartResult | None]:
    """The part's sheet and the candidate's stored result (read once: the absence is refused here, the score
    refreshed with it after the write)."""
    sheet = views.part_sheet(target.part)
    if sheet is None:
        raise Conflict("practical.no_sheet")
    if views.part_closed(target.part):
        raise Conflict("practical.closed")
    result = PartResult.objects.filter(registration=target.registration, part=target.part.kind).first()
    if result is not None and result.absent:
        raise Conflict("practical.candidate_absent")
    return sheet, result


def _replay(assessor: User, key: UUID) -> ScoreView | None:
    revision = AssessorScoreRevision.objects.select_related("score", "score__item", "score__item__sheet__part") \
        .filter(idempotency_key=key).first()
    if revision is None:
        return None
    if revision.written_by_id != assessor.pk:
        raise Conflict("practical.key_used")
    s = revision.score
    return ScoreView(s.registration_id, s.item.sheet.part.kind, s.item.code, revision.value, replayed=True)


@dataclass(frozen=True, slots=True)
class Recorded:
    """A score recorded with what recording it read, for a caller that shows the candidate's card next (the
    tablet's save): the target (seat, panel), the sheet and the assessment as it now stands. Only the score when
    nothing was written (a replayed key, a value unchanged)."""

    score: ScoreView
    target: access.ScoringTarget | None = None
    sheet: ScoringSheet | None = None
    assessment: views.CandidateAssessment | None = None


@transaction.atomic(durable=True)
def score_record(*, assessor: User, registration_id: int, part_kind: str, item_code: str, value: Decimal,
                 idempotency_key: UUID, reason: str = "") -> ScoreView:
    """Record or change one assessor's score of one item for one candidate (module docstring)."""
    return _score(assessor, registration_id, part_kind, item_code, value, idempotency_key, reason).score


@transaction.atomic(durable=True)
def score_record_for_card(*, assessor: User, registration_id: int, part_kind: str, item_code: str, value: Decimal,
                          idempotency_key: UUID, reason: str = "") -> Recorded:
    """`score_record`, handing back what it read (`Recorded`) so the tablet's answer, the candidate's card, is
    built without reading the seat, the panel, the sheet and the scores a second time."""
    return _score(assessor, registration_id, part_kind, item_code, value, idempotency_key, reason)


def _score(assessor: User, registration_id: int, part_kind: str, item_code: str, value: Decimal,
           idempotency_key: UUID, reason: str) -> Recorded:
    replayed = _replay(assessor, idempotency_key)
    if replayed is not None:
        return Recorded(replayed)
    # The registration's row is locked: the panel's scores of one candidate and the part score they make are
    # written one at a time, so two assessors saving at once cannot leave a stale part score.
    target = access.access_scoring(assessor, registration_id, part_kind, lock=True)
    sheet, result = _open_for_scoring(target)
    refusal = dom.score_refusal(views.domain_sheet(sheet), item_code, value)
    if refusal is not None:
        raise refusal
    item = next(i for i in sheet.items.all() if i.code == item_code)  # prefetched; score_refusal named unknown ones
    now = timezone.now()
    score = AssessorScore.objects.select_for_update().filter(registration=target.registration, item=item,
                                                             assessor=assessor).first()
    old = None if score is None else score.value
    if old is not None and old == value:
        return Recorded(ScoreView(registration_id, part_kind, item_code, old))
    if old is not None and not reason.strip():
        raise ValidationFailed([FieldError("reason", "practical.change_reason_required")])
    if score is None:
        score = AssessorScore.objects.create(registration=target.registration, item=item, assessor=assessor,
                                             value=value, idempotency_key=idempotency_key, created_at=now,
                                             updated_at=now)
    else:
        score.value, score.idempotency_key, score.updated_at = value, idempotency_key, now
        score.save(update_fields=["value", "idempotency_key", "updated_at"])
    AssessorScoreRevision.objects.create(score=score, old_value=old, value=value, reason=reason.strip(),
                                         idempotency_key=idempotency_key, written_by=assessor, written_at=now)
    if sheet.frozen_at is None:
        ScoringSheet.objects.filter(pk=sheet.pk, frozen_at__isnull=True).update(frozen_at=now)
    audit_record(actor=assessor, action="certification.practical.scored", target=score,
                 old=None if old is None else {"value": old},
                 new={"value": value, "item": item_code, "part": part_kind, "registration": registration_id,
                      "idempotency_key": idempotency_key}, reason=reason.strip())
    current = views.assessment_of(target.registration, target.part, sheet, target.panel)  # the panel just checked
    _refresh(assessor, target.registration, target.part, sheet, "考评员评分", current, result)
    return Recorded(ScoreView(registration_id, part_kind, item_code, value), target, sheet, current)


# --- the chief assessor ----------------------------------------------------------------------------------------------

def _chief_target(chief: User, registration_id: int, part_kind: str) -> tuple[Registration, BatchPart,
                                                                              ScoringSheet]:
    require(chief, Action.PRACTICAL_CONFIRM)
    registration = get_or_404(Registration.objects.select_for_update(of=("self",)).select_related("batch"),
                              pk=registration_id)
    access.access_batch_for_chief(chief, registration.batch_id)
    part = get_or_404(BatchPart.objects.select_related("batch"), batch_id=registration.batch_id, kind=part_kind,
                      kind__in=access.SCORED_PARTS)
    sheet = views.part_sheet(part)
    if sheet is None:
        raise NotFound()
    if views.part_closed(part):
        raise Conflict("practical.closed")
    return registration, part, sheet


@transaction.atomic(durable=True)
def flag_confirm(*, chief: User, registration_id: int, part_kind: str, item_code: str, reason: str) -> ChiefDecision:
    """Confirm a divergent item's scores as they stand, with a reason (domain `confirmation_refusal`)."""
    registration, part, sheet = _chief_target(chief, registration_id, part_kind)
    current = views.assessment_of(registration, part, sheet)
    item_result = None if current.assessment is None else next(
        (i for i in current.assessment.items if i.code == item_code), None)
    if item_result is None:
        raise RuleBroken("practical.unknown_item", {"item": item_code})
    refusal = dom.confirmation_refusal(item_result, reason)
    if refusal is not None:
        raise refusal
    seen = sorted(s for s in item_result.scores if s is not None)
    decision = ChiefDecision.objects.create(
        registration=registration, item=sheet.items.get(code=item_code), kind=ChiefDecisionKind.CONFIRMED,
        scores=[str(s) for s in seen], reason=reason.strip(), decided_by=chief, decided_at=timezone.now())
    audit_record(actor=chief, action="certification.practical.flag_confirmed", target=decision,
                 new={"registration": registration.pk, "part": part_kind, "item": item_code,
                      "scores": [str(s) for s in seen]}, reason=reason.strip())
    refresh_part_result(actor=chief, registration=registration, part=part, sheet=sheet, reason=reason.strip())
    return decision


@transaction.atomic(durable=True)
def rescore_request(*, chief: User, registration_id: int, part_kind: str, item_code: str,
                    reason: str) -> ChiefDecision:
    """Ask the panel to re-score a divergent item (module docstring); a reason is required."""
    registration, part, sheet = _chief_target(chief, registration_id, part_kind)
    if not reason.strip():
        raise ValidationFailed([FieldError("reason", "practical.rescore_reason_required")])
    current = views.assessment_of(registration, part, sheet)
    item_result = None if current.assessment is None else next(
        (i for i in current.assessment.items if i.code == item_code), None)
    if item_result is None:
        raise RuleBroken("practical.unknown_item", {"item": item_code})
    if item_result.mark is None or not item_result.divergent:
        raise RuleBroken("practical.nothing_to_confirm", {"item": item_code})
    decision = ChiefDecision.objects.create(
        registration=registration, item=sheet.items.get(code=item_code), kind=ChiefDecisionKind.RESCORE,
        scores=[str(s) for s in sorted(s for s in item_result.scores if s is not None)], reason=reason.strip(),
        decided_by=chief, decided_at=timezone.now())
    audit_record(actor=chief, action="certification.practical.rescore_requested", target=decision,
                 new={"registration": registration.pk, "part": part_kind, "item": item_code}, reason=reason.strip())
    refresh_part_result(actor=chief, registration=registration, part=part, sheet=sheet, reason=reason.strip())
    return decision
