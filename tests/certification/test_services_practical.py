"""Services of the practical assessment: who scores, revisions and reasons, idempotency, the frozen sheet, flags
and the chief assessor's confirmation or re-score request, the part score that follows (issue 12 item 8)."""

from __future__ import annotations

from decimal import Decimal
from uuid import uuid4

import pytest
from django.core.management import call_command

from accounts.models import Organization, Role, User
from audit.models import AuditEntry
from certification import access
from certification.demo_batches import BATCH_NAME
from certification.models import (
    AssessorScore,
    AssessorScoreRevision,
    BatchPart,
    ChiefDecision,
    PartResult,
    ScoringSheet,
)
from certification.selectors import practical as views
from certification.selectors import results as result_views
from certification.services import batches as batch_services
from certification.services import practical as services
from core.errors import Conflict, NotFound, PermissionDenied, RuleBroken, ValidationFailed
from tests.accounts.factories import person
from tests.certification.practical_steps import (
    SHEET,
    practical_panel,
    score,
    score_all,
    seated_review_sitting,
    seated_sitting,
    theory,
)


@pytest.fixture
def sitting(exam_staff: User, exam_center: Organization, enterprise_a: Organization):  # type: ignore[no-untyped-def]
    return seated_sitting(exam_staff, exam_center, enterprise_a)


def _practical(registration_id: int) -> PartResult | None:
    return PartResult.objects.filter(registration_id=registration_id, part="practical").first()


def test_three_assessors_score_every_item_and_the_part_score_is_their_mean(sitting) -> None:  # type: ignore[no-untyped-def]
    r = sitting.registrations[0]
    score_all(sitting, r, ("30", "32", "34"), ("45", "50", "52"))
    result = _practical(r.pk)
    assert result is not None and result.score == Decimal("81.0")  # 32 + 49 (mean of 45, 50, 52)
    assert AssessorScore.objects.filter(registration=r).count() == 6
    assert AuditEntry.objects.filter(action="certification.practical.scored").count() == 6
    assert AuditEntry.objects.filter(action="certification.results.part_scored").count() == 1


def test_an_incomplete_sheet_has_no_part_score(sitting) -> None:  # type: ignore[no-untyped-def]
    r = sitting.registrations[0]
    score(sitting.panel[0], r, "A1", "30")
    result = _practical(r.pk)
    assert result is not None and result.score is None


def test_changing_a_score_needs_a_reason_and_keeps_the_old_value(sitting) -> None:  # type: ignore[no-untyped-def]
    r = sitting.registrations[0]
    assessor = sitting.panel[0]
    score(assessor, r, "A1", "30")
    with pytest.raises(ValidationFailed) as refused:
        score(assessor, r, "A1", "28")
    assert refused.value.field_errors[0].code == "practical.change_reason_required"
    score(assessor, r, "A1", "28", reason="看错焊缝编号")
    revisions = list(AssessorScoreRevision.objects.filter(score__registration=r).order_by("pk"))
    assert [(x.old_value, x.value, x.reason) for x in revisions] == [
        (None, Decimal("30.00"), ""), (Decimal("30.00"), Decimal("28.00"), "看错焊缝编号")]
    assert revisions[1].written_by == assessor
    entry = AuditEntry.objects.filter(action="certification.practical.scored").order_by("pk").last()
    assert Decimal(str(entry.old["value"])) == Decimal(30) and Decimal(str(entry.new["value"])) == Decimal(28)
    assert entry.reason == "看错焊缝编号"


def test_a_retry_with_the_same_key_writes_nothing(sitting) -> None:  # type: ignore[no-untyped-def]
    r = sitting.registrations[0]
    key = uuid4()
    first = services.score_record(assessor=sitting.panel[0], registration_id=r.pk, part_kind="practical",
                                  item_code="A1", value=Decimal("30"), idempotency_key=key)
    again = services.score_record(assessor=sitting.panel[0], registration_id=r.pk, part_kind="practical",
                                  item_code="A1", value=Decimal("30"), idempotency_key=key)
    assert not first.replayed and again.replayed and again.value == Decimal("30")
    assert AssessorScoreRevision.objects.count() == 1


def test_a_score_above_the_items_maximum_is_refused(sitting) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RuleBroken) as refused:
        score(sitting.panel[0], sitting.registrations[0], "A1", "40.5")
    assert refused.value.code == "practical.bad_score"
    assert not AssessorScore.objects.exists()


def test_an_assessor_not_on_duty_in_the_room_cannot_score(sitting, exam_center: Organization) -> None:  # type: ignore[no-untyped-def]
    other = person(Role.ASSESSOR, exam_center, username="not_on_duty")
    with pytest.raises(NotFound):
        score(other, sitting.registrations[0], "A1", "30")


def test_the_body_staff_cannot_score(sitting, exam_staff: User) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        score(exam_staff, sitting.registrations[0], "A1", "30")


def test_a_recused_assessor_cannot_score_and_is_not_told_why(sitting) -> None:  # type: ignore[no-untyped-def]
    r = sitting.registrations[0]
    assessor = sitting.panel[0]
    batch_services.relationship_declare(actor=assessor, declarer_id=assessor.pk, person_id=r.candidate_id,
                                        reason="亲属")
    with pytest.raises(NotFound):
        score(assessor, r, "A1", "30")
    tablet = views.tablet(assessor, sitting.practical)
    assert r.pk not in [c.registration_id for c in tablet.candidates]
    assert len(tablet.candidates) == 1


def test_the_sheet_is_frozen_at_the_first_score(sitting, exam_staff: User) -> None:  # type: ignore[no-untyped-def]
    services.sheet_set(actor=exam_staff, part_id=sitting.practical.pk, data=SHEET)  # still editable
    score(sitting.panel[0], sitting.registrations[0], "A1", "30")
    assert ScoringSheet.objects.get(part=sitting.practical).frozen_at is not None
    with pytest.raises(Conflict) as refused:
        services.sheet_set(actor=exam_staff, part_id=sitting.practical.pk, data=SHEET)
    assert refused.value.code == "practical.sheet_frozen"


def test_a_sheet_not_totalling_100_is_refused(sitting, exam_staff: User) -> None:  # type: ignore[no-untyped-def]
    bad = services.SheetIn(items=[services.SheetItemIn("A1", "外观", Decimal(50))])
    with pytest.raises(ValidationFailed) as refused:
        services.sheet_set(actor=exam_staff, part_id=sitting.practical.pk, data=bad)
    assert [e.code for e in refused.value.field_errors] == ["practical.total_not_100"]


def test_another_units_staff_do_not_see_the_sheet(sitting, hr_of_a: User) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFound):
        services.sheet_set(actor=hr_of_a, part_id=sitting.practical.pk, data=SHEET)


def test_a_divergence_beyond_tolerance_is_flagged_and_blocks_the_score(sitting) -> None:  # type: ignore[no-untyped-def]
    r = sitting.registrations[0]
    score_all(sitting, r, ("30", "30", "38"), ("45", "45", "45"))  # spread 8 > tolerance 5
    flags = views.batch_flags(sitting.batch.pk)
    assert [(f.registration_id, f.item_code, f.scores, f.spread) for f in flags] == [
        (r.pk, "A1", (Decimal("30.00"), Decimal("30.00"), Decimal("38.00")), Decimal("8.00"))]
    assert _practical(r.pk).score is None  # type: ignore[union-attr]


def test_the_chief_confirms_a_flag_with_a_reason_and_the_score_follows(sitting) -> None:  # type: ignore[no-untyped-def]
    r = sitting.registrations[0]
    score_all(sitting, r, ("30", "30", "38"), ("45", "45", "45"))
    with pytest.raises(RuleBroken):
        services.flag_confirm(chief=sitting.chief, registration_id=r.pk, part_kind="practical", item_code="A1",
                              reason=" ")
    services.flag_confirm(chief=sitting.chief, registration_id=r.pk, part_kind="practical", item_code="A1",
                          reason="第三位考评员的评分有依据")
    assert views.batch_flags(sitting.batch.pk) == []
    assert _practical(r.pk).score == Decimal("77.7")  # type: ignore[union-attr]  # 32.6667 + 45
    decision = ChiefDecision.objects.get()
    assert decision.scores == ["30.00", "30.00", "38.00"] and decision.decided_by == sitting.chief
    assert AuditEntry.objects.filter(action="certification.practical.flag_confirmed",
                                     reason="第三位考评员的评分有依据").exists()


def test_a_changed_score_voids_the_confirmation(sitting) -> None:  # type: ignore[no-untyped-def]
    r = sitting.registrations[0]
    score_all(sitting, r, ("30", "30", "38"), ("45", "45", "45"))
    services.flag_confirm(chief=sitting.chief, registration_id=r.pk, part_kind="practical", item_code="A1",
                          reason="有依据")
    score(sitting.panel[2], r, "A1", "39", reason="复核")
    assert [f.item_code for f in views.batch_flags(sitting.batch.pk)] == ["A1"]
    assert _practical(r.pk).score is None  # type: ignore[union-attr]


def test_the_chief_asks_for_a_rescore_and_the_tablets_show_it(sitting) -> None:  # type: ignore[no-untyped-def]
    r = sitting.registrations[0]
    score_all(sitting, r, ("30", "30", "38"), ("45", "45", "45"))
    services.rescore_request(chief=sitting.chief, registration_id=r.pk, part_kind="practical", item_code="A1",
                             reason="请按评分细则复评")
    mine = next(c for c in views.tablet(sitting.panel[2], sitting.practical).candidates if c.registration_id == r.pk)
    assert [s.rescore_requested for s in mine.scores] == [True, False]
    score(sitting.panel[2], r, "A1", "32", reason="复评")
    mine = next(c for c in views.tablet(sitting.panel[2], sitting.practical).candidates if c.registration_id == r.pk)
    assert [s.rescore_requested for s in mine.scores] == [False, False]
    assert views.batch_flags(sitting.batch.pk) == []
    assert _practical(r.pk).score == Decimal("75.7")  # type: ignore[union-attr]  # 30.6667 + 45


def test_an_assessor_is_not_a_chief(sitting) -> None:  # type: ignore[no-untyped-def]
    r = sitting.registrations[0]
    score_all(sitting, r, ("30", "30", "38"), ("45", "45", "45"))
    with pytest.raises(PermissionDenied):
        services.flag_confirm(chief=sitting.panel[0], registration_id=r.pk, part_kind="practical", item_code="A1",
                              reason="有依据")


def test_a_chief_assessor_not_on_duty_in_the_batch_sees_nothing(sitting, exam_center: Organization) -> None:  # type: ignore[no-untyped-def]
    r = sitting.registrations[0]
    score_all(sitting, r, ("30", "30", "38"), ("45", "45", "45"))
    other = person(Role.CHIEF_ASSESSOR, exam_center, username="other_chief")
    with pytest.raises(NotFound):
        services.flag_confirm(chief=other, registration_id=r.pk, part_kind="practical", item_code="A1",
                              reason="有依据")



def test_the_demo_has_a_practical_sheet_partly_scored_by_its_assessor(db: None) -> None:
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)  # again: nothing doubles
    part = BatchPart.objects.get(batch__name=BATCH_NAME, kind="practical")
    tablet = views.tablet(User.objects.get(username="assessor"), part)
    assert [c.scored for c in tablet.candidates] == [3, 1] + [0] * 13  # her group of the 30-candidate batch
    assert part.batch.registrations.count() == 30
    chief = User.objects.get(username="chiefassessor")
    assert access.access_batch_for_chief(chief, part.batch_id) == part.batch


def test_the_review_panel_scores_the_comprehensive_review_of_a_technician(
        exam_staff: User, exam_center: Organization, enterprise_a: Organization) -> None:
    review = seated_review_sitting(exam_staff, exam_center, enterprise_a)
    r = review.registration
    theory(exam_staff, r, "70")
    for assessor in practical_panel(review.batch):
        score(assessor, r, "A1", "30")
        score(assessor, r, "A2", "45")
    with pytest.raises(NotFound):  # a practical assessor is not on the review panel
        score(practical_panel(review.batch)[0], r, "defence", "50", part_kind="review")
    outcome = result_views.batch_results(exam_staff, review.batch).candidates[0]
    assert outcome.passed is None and [p.part for p in outcome.parts] == ["theory", "practical", "review"]
    for reviewer, defence in zip(review.reviewers, ("30", "32", "34"), strict=True):
        score(reviewer, r, "defence", defence, part_kind="review")
        score(reviewer, r, "work_record", "20", part_kind="review")
    result = PartResult.objects.get(registration=r, part="review")
    assert result.score == Decimal("52.0")  # 32 + 20
    outcome = result_views.batch_results(exam_staff, review.batch).candidates[0]
    assert outcome.passed is False and outcome.reasons == ("综合评审：52.0 分，低于合格线 60 分",)


def test_a_review_sheet_must_keep_the_defence_and_the_work_record(
        exam_staff: User, exam_center: Organization, enterprise_a: Organization) -> None:
    review = seated_review_sitting(exam_staff, exam_center, enterprise_a)
    with pytest.raises(ValidationFailed) as refused:
        services.sheet_set(actor=exam_staff, part_id=review.review.pk, data=SHEET)
    assert "practical.review_items" in [e.code for e in refused.value.field_errors]
