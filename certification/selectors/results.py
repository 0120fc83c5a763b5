"""Reads of a batch's results (issue 12 item 9): every candidate's parts and outcome with the reasons
(certification.domain.results.judge over the stored part results), what a move of the results' state still
waits for, a candidate's own result, objections, and the rows of the upward report.

Masking and visibility:
- The body's list shows ID numbers as `accounts.permissions.can_view_pii` decides; the **upward report** (Excel,
  certification.excel.results) carries the full number for whoever may manage the batch's results (the body's
  staff who report it, the admin: the receiving 人社 office matches people by it) and the masked one for every
  other reader (organizer staff reading a body's batch).
- A candidate sees their own parts, verdicts and reasons from the start of the review on (domain
  `candidate_sees_results`); before, only that the results are not yet out.
- The theory score comes from `theory_score_of`, a staff-entered score (certification.services.results) for now;
  the online exam (issue 12 item 7) will feed the same `PartResult` row later, so nothing here changes then.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from accounts.identity import shown_id_number
from accounts.permissions import can, can_view_pii
from certification.domain import results as dom
from certification.domain.ladder import SkillLevel
from certification.models import Batch, BatchPart, BatchResults, Objection, PartResult, Registration, RegistrationStatus
from certification.permissions import Action
from certification.selectors.catalogue import level_label
from core.errors import render_message


@dataclass(frozen=True, slots=True)
class PartView:
    part: str
    label: str
    verdict: str  # passed | failed | absent | pending
    verdict_label: str
    score: Decimal | None
    message: str  # the part's words: its score and verdict, or why it failed


@dataclass(frozen=True, slots=True)
class CandidateResult:
    registration_id: int
    candidate_name: str
    id_number: str  # masked unless the reader may see it
    ticket_no: str
    parts: tuple[PartView, ...]
    passed: bool | None
    outcome_label: str
    reasons: tuple[str, ...]  # every failed part, in part order


@dataclass(frozen=True, slots=True)
class ObjectionView:
    id: int
    registration_id: int
    ticket_no: str
    text: str
    filed_at: datetime
    answer: str
    upheld: bool | None
    answered_at: datetime | None


@dataclass(frozen=True, slots=True)
class BatchResultsView:
    batch_id: int
    batch_name: str
    state: str
    state_label: str
    review_started_at: datetime | None
    review_ends_at: datetime | None
    published_at: datetime | None
    candidates: tuple[CandidateResult, ...]
    pending: int
    open_objections: int
    review_blocker: str  # why the review cannot start now ("" when it can)
    publish_blocker: str  # why the results cannot be published now ("" when they can)
    objections: tuple[ObjectionView, ...]


def verdict_label(verdict: dom.Verdict) -> str:
    return render_message(f"results.verdict.{verdict.value}", {})


def outcome_label(passed: bool | None) -> str:
    return render_message("results.outcome." + {True: "passed", False: "failed", None: "pending"}[passed], {})


def batch_results_row(batch: Batch) -> BatchResults | None:
    return BatchResults.objects.filter(batch=batch).first()


def results_facts(batch: Batch, outcomes: Iterable[dom.Outcome]) -> dom.BatchResults:
    row = batch_results_row(batch)
    state = dom.ResultsState(row.state) if row else dom.ResultsState.GRADED
    return dom.BatchResults(
        state, row.review_ends_at if row and row.state != "graded" else None,
        Objection.objects.filter(registration__batch=batch, answered_at__isnull=True).count(),
        sum(1 for o in outcomes if o.pending))


def theory_score_of(registration: Registration, stored: dict[str, PartResult]) -> dom.PartResult | None:
    """The theory part's result for the pass rules: the staff-entered score or absence for now (module docstring)."""
    row = stored.get("theory")
    return None if row is None else dom.PartResult(dom.Part.THEORY, row.score, row.absent)


def outcome_of(level: int, stored: dict[str, PartResult], registration: Registration) -> dom.Outcome:
    results = [r for r in [theory_score_of(registration, stored)] if r is not None]
    results += [dom.PartResult(dom.Part(p), r.score, r.absent) for p, r in stored.items() if p != "theory"]
    return dom.judge(SkillLevel(level), [r for r in results if r.part in dom.required_parts(SkillLevel(level))])


def _part_views(outcome: dom.Outcome) -> tuple[PartView, ...]:
    return tuple(PartView(p.part.value, render_message(f"results.part.{p.part.value}", {}), p.verdict.value,
                          verdict_label(p.verdict), p.score, p.message) for p in outcome.parts)


def _seated(batch: Batch) -> list[Registration]:
    return list(Registration.objects.filter(batch=batch, status=RegistrationStatus.SEATED)
                .select_related("candidate", "batch").prefetch_related("part_results", "candidate__memberships")
                .order_by("ticket_no", "pk"))


def batch_outcomes(batch: Batch) -> list[tuple[Registration, dom.Outcome]]:
    return [(r, outcome_of(batch.level, {p.part: p for p in r.part_results.all()}, r)) for r in _seated(batch)]


def _objection_view(o: Objection) -> ObjectionView:
    return ObjectionView(o.pk, o.registration_id, o.registration.ticket_no or "", o.text, o.filed_at, o.answer,
                         o.upheld, o.answered_at)


def batch_results(viewer: Any, batch: Batch, *, now: datetime | None = None) -> BatchResultsView:
    """The body's results page of a batch (the caller asked `access_batch_results`)."""
    now = now or timezone.now()
    outcomes = batch_outcomes(batch)
    facts = results_facts(batch, [o for _r, o in outcomes])
    row = batch_results_row(batch)
    candidates = tuple(CandidateResult(
        r.pk, str(r.candidate), shown_id_number(r.candidate.id_number, full=can_view_pii(viewer, r.candidate)),
        r.ticket_no or "", _part_views(o), o.passed, outcome_label(o.passed), tuple(p.message for p in o.reasons))
        for r, o in outcomes)
    review = dom.move_refusal(facts, dom.ResultsState.IN_REVIEW, now)
    publish = dom.move_refusal(facts, dom.ResultsState.PUBLISHED, now)
    objections = Objection.objects.filter(registration__batch=batch).select_related("registration") \
        .order_by("filed_at", "pk")
    return BatchResultsView(
        batch.pk, batch.name, facts.state.value, render_message(f"results.state.{facts.state.value}", {}),
        row.review_started_at if row else None, facts.review_ends_at, row.published_at if row else None,
        candidates, facts.pending, facts.open_objections, review.message if review else "",
        publish.message if publish else "", tuple(_objection_view(o) for o in objections))


@dataclass(frozen=True, slots=True)
class MyResultView:
    registration_id: int
    batch_name: str
    occupation_name: str
    level_label: str
    state: str
    state_label: str
    visible: bool  # False while the results are only graded: nothing below is filled
    parts: tuple[PartView, ...]
    passed: bool | None
    outcome_label: str
    reasons: tuple[str, ...]
    review_ends_at: datetime | None
    may_object: bool
    objections: tuple[ObjectionView, ...]


def my_result(viewer: Any, registration: Registration, *, now: datetime | None = None) -> MyResultView:
    """A candidate's own result (module docstring: visible from the review on)."""
    now = now or timezone.now()
    batch = registration.batch
    row = batch_results_row(batch)
    state = dom.ResultsState(row.state) if row else dom.ResultsState.GRADED
    visible = dom.candidate_sees_results(state)
    outcome = outcome_of(batch.level, {p.part: p for p in registration.part_results.all()}, registration)
    facts = dom.BatchResults(state, row.review_ends_at if row and state is not dom.ResultsState.GRADED else None)
    objections = Objection.objects.filter(registration=registration).select_related("registration")
    return MyResultView(
        registration.pk, batch.name, batch.occupation.name, level_label(batch.level), state.value,
        render_message(f"results.state.{state.value}", {}), visible, _part_views(outcome) if visible else (),
        outcome.passed if visible else None, outcome_label(outcome.passed) if visible else "",
        tuple(p.message for p in outcome.reasons) if visible else (), facts.review_ends_at,
        visible and dom.objection_window_refusal(facts, now) is None,
        tuple(_objection_view(o) for o in objections.order_by("filed_at", "pk")))


@dataclass(frozen=True, slots=True)
class ReportRow:
    """One row of the upward report (issue 12 item 9: the columns an evaluation body reports upward)."""

    name: str
    id_number: str
    occupation: str
    occupation_code: str
    level: str
    theory: Decimal | str | None  # a number, or 缺考
    practical: Decimal | str | None
    review: Decimal | str | None  # empty for levels without the review
    passed: str
    assessed_on: date | None
    body: str


def report_rows(viewer: Any, batch: Batch) -> list[ReportRow]:
    full = can(viewer, Action.RESULTS_MANAGE, batch)
    parts = {p.kind: p for p in BatchPart.objects.filter(batch=batch)}
    assessed = parts.get("practical") or parts.get("theory")
    on = timezone.localtime(assessed.starts_at).date() if assessed else None

    def cell(stored: dict[str, PartResult], part: str) -> Decimal | str | None:
        r = stored.get(part)
        if r is None:
            return None
        return render_message("results.verdict.absent", {}) if r.absent else r.score

    rows = []
    for r, o in batch_outcomes(batch):
        stored = {p.part: p for p in r.part_results.all()}
        rows.append(ReportRow(
            str(r.candidate), shown_id_number(r.candidate.id_number, full=full), batch.occupation.name,
            batch.occupation.code, level_label(batch.level), cell(stored, "theory"), cell(stored, "practical"),
            cell(stored, "review") if dom.Part.REVIEW in dom.required_parts(SkillLevel(batch.level)) else None,
            outcome_label(o.passed), on, batch.body.name))
    return rows
