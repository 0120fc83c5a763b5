"""Reads of the practical assessment and the comprehensive review (issue 12 item 8): a part's scoring sheet, a
candidate's assessment as it stands (certification.domain.practical.assess over the stored scores and the chief
assessor's newest confirmations), the assessor's tablet and the chief assessor's flags.

Masking: the tablet and the flags name candidates by ticket (准考证号) and seat (工位号) only, never by name or
ID number (assessors score the work, not the person); the chief sees the panel's scores without the assessors'
names, sorted, as competitions' chief referee does.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from certification.access import candidate_panel
from certification.domain import practical as dom
from certification.models import (
    AssessorScore,
    BatchPart,
    BatchResults,
    ChiefDecision,
    ChiefDecisionKind,
    PartResult,
    Registration,
    ResultsState,
    ScoringSheet,
    Seat,
)
from certification.selectors.batches import part_label


@dataclass(frozen=True, slots=True)
class SheetItemView:
    code: str
    title: str
    max_points: Decimal
    tolerance: Decimal  # the item's own, or the sheet's share of its maximum


@dataclass(frozen=True, slots=True)
class SheetView:
    part_id: int
    part_kind: str
    items: tuple[SheetItemView, ...]
    tolerance_share: Decimal
    aggregation: str
    frozen: bool


def domain_sheet(sheet: ScoringSheet) -> dom.ScoringSheet:
    items = tuple(dom.SheetItem(i.code, i.title, i.max_points, i.tolerance) for i in sheet.items.all())
    return dom.ScoringSheet(items, sheet.tolerance_share,
                            dom.Aggregation(sheet.aggregation) if sheet.aggregation else None)


def sheet_view(sheet: ScoringSheet) -> SheetView:
    d = domain_sheet(sheet)
    return SheetView(sheet.part_id, sheet.part.kind,
                     tuple(SheetItemView(i.code, i.title, i.max_points, d.tolerance_of(i)) for i in d.items),
                     sheet.tolerance_share, sheet.aggregation, sheet.frozen_at is not None)


def part_sheet(part: BatchPart) -> ScoringSheet | None:
    return ScoringSheet.objects.prefetch_related("items").select_related("part").filter(part=part).first()


def results_state(batch_id: int) -> ResultsState:
    state = BatchResults.objects.filter(batch_id=batch_id).values_list("state", flat=True).first()
    return ResultsState(state) if state else ResultsState.GRADED


def part_closed(part: BatchPart) -> bool:
    """A scored part is closed (read-only) once its batch's results are in review or published; an upheld
    objection sends them back to graded and opens it again (certification.services.results)."""
    return results_state(part.batch_id) is not ResultsState.GRADED


@dataclass(frozen=True, slots=True)
class CandidateAssessment:
    registration_id: int
    panel: tuple[int, ...]
    assessment: dom.Assessment | None  # None when the panel cannot score (domain `panel_refusal`)
    scores: dict[tuple[dom.AssessorId, str], Decimal]
    rescore_requested: frozenset[tuple[int, str]]  # (assessor, item) asked to re-score and not re-scored since


def assessment_of(registration: Registration, part: BatchPart, sheet: ScoringSheet,
                  panel: tuple[int, ...] | None = None) -> CandidateAssessment:
    """A candidate's assessment as it stands (module docstring)."""
    if panel is None:
        seat = Seat.objects.get(registration=registration, part=part)
        panel = candidate_panel(registration, part, seat.room_id)
    d = domain_sheet(sheet)
    rows = list(AssessorScore.objects.filter(registration=registration, item__sheet=sheet).select_related("item"))
    scores: dict[tuple[dom.AssessorId, str], Decimal] = {
        (s.assessor_id, s.item.code): s.value for s in rows if s.assessor_id in panel}
    updated = {(s.assessor_id, s.item.code): s.updated_at for s in rows}
    confirmations: dict[str, dom.Confirmation] = {}
    rescore: set[tuple[int, str]] = set()
    for c in ChiefDecision.objects.filter(registration=registration, item__sheet=sheet).select_related("item") \
            .order_by("decided_at", "pk"):
        if c.kind == ChiefDecisionKind.CONFIRMED:
            confirmations[c.item.code] = dom.Confirmation(c.item.code, tuple(Decimal(v) for v in c.scores), c.reason)
        else:
            confirmations.pop(c.item.code, None)
            rescore |= {(a, c.item.code) for a in panel if updated.get((a, c.item.code), c.decided_at) <= c.decided_at}
    if dom.panel_refusal(panel) is not None:
        return CandidateAssessment(registration.pk, panel, None, scores, frozenset(rescore))
    return CandidateAssessment(registration.pk, panel, dom.assess(d, panel, scores, confirmations), scores,
                               frozenset(rescore))


# --- the assessor's tablet -----------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class TabletScore:
    item_code: str
    item_title: str
    max_points: Decimal
    value: Decimal | None
    rescore_requested: bool


@dataclass(frozen=True, slots=True)
class TabletCandidate:
    registration_id: int
    ticket_no: str
    seat_no: int
    room_name: str
    absent: bool
    scores: tuple[TabletScore, ...]

    @property
    def scored(self) -> int:
        return sum(1 for s in self.scores if s.value is not None)


@dataclass(frozen=True, slots=True)
class TabletView:
    part_id: int
    part_kind: str
    part_label: str
    batch_name: str
    has_sheet: bool
    read_only: bool
    candidates: tuple[TabletCandidate, ...]


def _card(assessor: Any, seat: Seat, ticket_no: str, sheet: ScoringSheet, current: CandidateAssessment,
          absent: bool) -> TabletCandidate:
    return TabletCandidate(
        seat.registration_id, ticket_no, seat.number, seat.room.name, absent,
        tuple(TabletScore(i.code, i.title, i.max_points, current.scores.get((assessor.pk, i.code)),
                          (assessor.pk, i.code) in current.rescore_requested) for i in sheet.items.all()))


def tablet_card(assessor: Any, part: BatchPart, seat: Seat, ticket_no: str, sheet: ScoringSheet,
                current: CandidateAssessment) -> TabletView:
    """The card a successful save answers with, from what the save read (services.practical.Recorded): the save
    refused a closed part and an absent candidate and checked the assessor is on the panel, so nothing is read
    again."""
    return TabletView(part.pk, part.kind, part_label(part.kind), part.batch.name, True, False,
                      (_card(assessor, seat, ticket_no, sheet, current, False),))


def tablet(assessor: Any, part: BatchPart, *, registration_id: int | None = None) -> TabletView:
    """The candidates one assessor scores in a part (the caller asked `access_assessor_part`), by seat number:
    those seated in the rooms of their duty whose panel they are on (a recused candidate is simply not listed);
    with `registration_id`, only that candidate (the card a save answers with)."""
    sheet = part_sheet(part)
    closed = part_closed(part)
    candidates = []
    if sheet is not None:
        seats = Seat.objects.filter(part=part).select_related("registration", "registration__batch", "room")
        if registration_id is not None:
            # One candidate's card: the panel check below already limits it to the rooms of the assessor's duty.
            seats = seats.filter(registration_id=registration_id)
        else:
            duty_rooms = set(part.staff.filter(person_id=assessor.pk).values_list("room_id", flat=True))
            if None not in duty_rooms:
                seats = seats.filter(room_id__in=duty_rooms)
        absent = set(PartResult.objects.filter(registration__seats__part=part, part=part.kind, absent=True)
                     .values_list("registration_id", flat=True))
        for seat in seats.order_by("room_id", "number"):
            current = assessment_of(seat.registration, part, sheet,
                                    candidate_panel(seat.registration, part, seat.room_id))
            if assessor.pk not in current.panel:
                continue
            candidates.append(_card(assessor, seat, seat.registration.ticket_no or "", sheet, current,
                                    seat.registration_id in absent))
    return TabletView(part.pk, part.kind, part_label(part.kind), part.batch.name, sheet is not None, closed,
                      tuple(candidates))


# --- the chief assessor's flags ------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class FlagView:
    registration_id: int
    ticket_no: str
    seat_no: int
    part_kind: str
    part_label: str
    item_code: str
    item_title: str
    max_points: Decimal
    scores: tuple[Decimal, ...]  # sorted, without the assessors' names
    spread: Decimal
    tolerance: Decimal


def batch_flags(batch_id: int) -> list[FlagView]:
    """Every divergent item not (validly) confirmed, of every candidate of the batch's scored parts."""
    flags = []
    for part in BatchPart.objects.filter(batch_id=batch_id, kind__in=("practical", "review")).select_related(
            "batch").order_by("starts_at"):
        sheet = part_sheet(part)
        if sheet is None:
            continue
        titles = {i.code: i for i in sheet.items.all()}
        for seat in Seat.objects.filter(part=part).select_related("registration", "registration__batch") \
                .order_by("room_id", "number"):
            current = assessment_of(seat.registration, part, sheet)
            if current.assessment is None:
                continue
            for item in current.assessment.items:
                if item.flagged:
                    flags.append(FlagView(
                        seat.registration_id, seat.registration.ticket_no or "", seat.number, part.kind,
                        part_label(part.kind), item.code, titles[item.code].title, titles[item.code].max_points,
                        tuple(sorted(s for s in item.scores if s is not None)), item.spread or Decimal(0),
                        item.tolerance))
    return flags
