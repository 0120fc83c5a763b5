"""Services of a batch's results: the theory score for now and absences with reasons, the review period, the
objections and publication, what candidates see (issue 12 item 9)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Organization, User
from audit.models import AuditEntry
from certification.models import BatchResults, Objection, PartResultRevision
from certification.selectors import results as views
from certification.services import results as services
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tests.certification.practical_steps import score, score_all, seated_sitting, theory


@pytest.fixture
def sitting(exam_staff: User, exam_center: Organization, enterprise_a: Organization):  # type: ignore[no-untyped-def]
    return seated_sitting(exam_staff, exam_center, enterprise_a)


def _graded(sitting, staff: User) -> None:  # type: ignore[no-untyped-def]
    """First candidate passes (theory 75, practical 75); the second fails the practical (30 + 24 = 54)."""
    first, second = sitting.registrations
    theory(staff, first, "75")
    score_all(sitting, first)
    theory(staff, second, "88.5")
    score_all(sitting, second, ("20", "20", "20"), ("34", "34", "34"))


def _end_review(batch_id: int) -> None:
    """Move the review's end into the past (dates in the data, never a sleep)."""
    BatchResults.objects.filter(batch_id=batch_id).update(review_ends_at=timezone.now() - timedelta(minutes=1))


def test_outcomes_name_every_failed_part_with_its_reason(sitting, exam_staff: User) -> None:  # type: ignore[no-untyped-def]
    _graded(sitting, exam_staff)
    view = views.batch_results(exam_staff, sitting.batch)
    first, second = view.candidates
    assert first.passed is True and first.reasons == ()
    assert second.passed is False
    assert second.reasons == ("操作技能考核：54.0 分，低于合格线 60 分",)
    assert [p.verdict for p in second.parts] == ["passed", "failed"]


def test_a_theory_score_change_needs_a_reason_and_is_kept(sitting, exam_staff: User) -> None:  # type: ignore[no-untyped-def]
    r = sitting.registrations[0]
    theory(exam_staff, r, "75")
    with pytest.raises(ValidationFailed) as refused:
        theory(exam_staff, r, "78")
    assert refused.value.field_errors[0].code == "results.change_reason_required"
    theory(exam_staff, r, "78", reason="复核试卷漏计一题")
    assert [(x.old_score, x.score, x.reason) for x in PartResultRevision.objects.filter(
        result__registration=r, result__part="theory").order_by("pk")] == [
        (None, Decimal("75.0"), ""), (Decimal("75.0"), Decimal("78.0"), "复核试卷漏计一题")]
    assert AuditEntry.objects.filter(action="certification.results.part_recorded",
                                     reason="复核试卷漏计一题").exists()


def test_an_absent_candidate_fails_the_part_as_absent(sitting, exam_staff: User) -> None:  # type: ignore[no-untyped-def]
    first, second = sitting.registrations
    theory(exam_staff, second, "70")
    services.part_result_record(actor=exam_staff, registration_id=second.pk,
                                data=services.PartResultIn("practical", absent=True, reason="未到场"))
    outcome = views.batch_results(exam_staff, sitting.batch).candidates[1]
    assert outcome.passed is False and outcome.reasons == ("操作技能考核：缺考",)
    with pytest.raises(Conflict):
        score(sitting.panel[0], second, "A1", "30")


def test_a_candidate_with_scores_cannot_be_recorded_absent(sitting, exam_staff: User) -> None:  # type: ignore[no-untyped-def]
    score(sitting.panel[0], sitting.registrations[0], "A1", "30")
    with pytest.raises(Conflict) as refused:
        services.part_result_record(actor=exam_staff, registration_id=sitting.registrations[0].pk,
                                    data=services.PartResultIn("practical", absent=True, reason="x"))
    assert refused.value.code == "results.absent_but_scored"


def test_the_review_cannot_start_while_a_candidate_is_pending(sitting, exam_staff: User) -> None:  # type: ignore[no-untyped-def]
    theory(exam_staff, sitting.registrations[0], "75")
    score_all(sitting, sitting.registrations[0])
    view = views.batch_results(exam_staff, sitting.batch)
    assert view.review_blocker == "还有 1 名考生有科目未评定成绩。"
    with pytest.raises(Conflict) as refused:
        services.results_review_start(actor=exam_staff, batch_id=sitting.batch.pk)
    assert refused.value.code == "results.pending_candidates"


def test_review_then_publication_after_the_period(sitting, exam_staff: User) -> None:  # type: ignore[no-untyped-def]
    _graded(sitting, exam_staff)
    row = services.results_review_start(actor=exam_staff, batch_id=sitting.batch.pk)
    assert row.state == "in_review" and row.review_ends_at is not None
    assert row.review_ends_at - row.review_started_at >= timedelta(days=5)  # type: ignore[operator]
    with pytest.raises(Conflict) as refused:
        services.results_publish(actor=exam_staff, batch_id=sitting.batch.pk)
    assert refused.value.code == "results.review_not_over"
    with pytest.raises(Conflict):  # closed for scoring while in review
        score(sitting.panel[0], sitting.registrations[0], "A1", "31", reason="x")
    _end_review(sitting.batch.pk)
    published = services.results_publish(actor=exam_staff, batch_id=sitting.batch.pk)
    assert published.state == "published" and published.published_at is not None
    assert AuditEntry.objects.filter(action="certification.results.published").count() == 1


def test_the_review_period_is_a_setting(sitting, exam_staff: User, settings) -> None:  # type: ignore[no-untyped-def]
    settings.CERTIFICATION_REVIEW_WORKING_DAYS = 0
    _graded(sitting, exam_staff)
    services.results_review_start(actor=exam_staff, batch_id=sitting.batch.pk)
    assert services.results_publish(actor=exam_staff, batch_id=sitting.batch.pk).state == "published"


def test_a_candidate_sees_their_result_only_from_the_review_on(sitting, exam_staff: User) -> None:  # type: ignore[no-untyped-def]
    _graded(sitting, exam_staff)
    second = sitting.registrations[1]
    before = views.my_result(second.candidate, second)
    assert not before.visible and before.parts == () and before.reasons == ()
    services.results_review_start(actor=exam_staff, batch_id=sitting.batch.pk)
    second.refresh_from_db()
    after = views.my_result(second.candidate, second)
    assert after.visible and after.passed is False and after.may_object
    assert after.reasons == ("操作技能考核：54.0 分，低于合格线 60 分",)


def test_an_open_objection_blocks_publication_until_answered(sitting, exam_staff: User) -> None:  # type: ignore[no-untyped-def]
    _graded(sitting, exam_staff)
    second = sitting.registrations[1]
    with pytest.raises(Conflict):  # not in review yet
        services.objection_file(actor=second.candidate, registration_id=second.pk, text="请复核操作成绩")
    services.results_review_start(actor=exam_staff, batch_id=sitting.batch.pk)
    objection = services.objection_file(actor=second.candidate, registration_id=second.pk, text="请复核操作成绩")
    _end_review(sitting.batch.pk)
    with pytest.raises(Conflict) as refused:
        services.results_publish(actor=exam_staff, batch_id=sitting.batch.pk)
    assert refused.value.code == "results.open_objections"
    services.objection_answer(actor=exam_staff, objection_id=objection.pk, answer="经复核，评分无误", upheld=False)
    assert services.results_publish(actor=exam_staff, batch_id=sitting.batch.pk).state == "published"


def test_an_upheld_objection_sends_the_results_back_to_graded(sitting, exam_staff: User) -> None:  # type: ignore[no-untyped-def]
    _graded(sitting, exam_staff)
    first = sitting.registrations[0]
    services.results_review_start(actor=exam_staff, batch_id=sitting.batch.pk)
    objection = services.objection_file(actor=first.candidate, registration_id=first.pk, text="理论成绩漏计")
    services.objection_answer(actor=exam_staff, objection_id=objection.pk, answer="属实，予以更正", upheld=True)
    row = BatchResults.objects.get(batch=sitting.batch)
    assert row.state == "graded" and row.review_ends_at is None
    theory(exam_staff, first, "80", reason="异议成立，更正")


def test_only_the_candidate_objects_to_their_own_result(sitting, exam_staff: User) -> None:  # type: ignore[no-untyped-def]
    _graded(sitting, exam_staff)
    services.results_review_start(actor=exam_staff, batch_id=sitting.batch.pk)
    first, second = sitting.registrations
    with pytest.raises((NotFound, PermissionDenied)):
        services.objection_file(actor=first.candidate, registration_id=second.pk, text="他人的异议")
    assert not Objection.objects.exists()


def test_another_units_staff_cannot_see_or_move_the_results(sitting, exam_staff: User, hr_of_b: User) -> None:  # type: ignore[no-untyped-def]
    _graded(sitting, exam_staff)
    with pytest.raises(NotFound):
        services.results_review_start(actor=hr_of_b, batch_id=sitting.batch.pk)


def test_the_upward_report_has_full_ids_for_the_body_and_masked_for_organizer_staff(
        sitting, exam_staff: User, organizer: User) -> None:  # type: ignore[no-untyped-def]
    _graded(sitting, exam_staff)
    mine = views.report_rows(exam_staff, sitting.batch)
    theirs = views.report_rows(organizer, sitting.batch)
    assert mine[0].id_number == sitting.registrations[0].candidate.id_number
    assert theirs[0].id_number != mine[0].id_number and "*" in theirs[0].id_number
    assert (mine[1].theory, mine[1].practical, mine[1].review, mine[1].passed) == (
        Decimal("88.5"), Decimal("54.0"), None, "不合格")
