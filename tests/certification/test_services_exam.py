"""The online theory exam's services (certification.services.exam): opening with one session, answers saved
idempotently and acknowledged, refusals logged, disconnects, extra time, the deadline swept on read, grading and
the regrade after a correction."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.actors import SYSTEM
from accounts.models import Organization, User
from audit.models import AuditEntry
from certification import services
from certification.domain import exam_clock as clock
from certification.models import (
    AnswerReceipt,
    DisconnectInterval,
    PaperItem,
    QuestionVersion,
    Regrade,
    RegradeChange,
    SavedAnswer,
    Sitting,
    SittingEvent,
    SittingGrade,
)
from certification.services import exam
from core.errors import Conflict, NotFound, ValidationFailed
from tests.certification.bank_steps import single
from tests.certification.exam_steps import (
    age,
    answer,
    correct_displayed,
    exam_world,
    invigilator,
    open_sitting,
    theory,
)

KEY = "session-key-0001"


@pytest.fixture
def world(exam_staff: User, exam_center: Organization, enterprise_a: Organization):  # type: ignore[no-untyped-def]
    return exam_world(exam_staff, exam_center, enterprise_a)


def test_opening_assembles_the_paper_with_a_recorded_seed_and_logs_it(world) -> None:  # type: ignore[no-untyped-def]
    sitting = open_sitting(world)
    assert sitting.paper.items.count() == 7 and sitting.paper.candidate_id == world.candidates[0].pk
    assert len(sitting.shape) == 7 and sitting.paper.seed
    assert SittingEvent.objects.filter(sitting=sitting, kind="opened").count() == 1
    assert AuditEntry.objects.filter(action="certification.exam.started").count() == 1
    again = open_sitting(world)  # a reload with the same session resumes the same paper
    assert again.pk == sitting.pk and again.paper_id == sitting.paper_id
    assert SittingEvent.objects.filter(sitting=sitting, kind="resumed").count() == 1


def test_a_second_session_is_refused_naming_the_first_until_an_invigilator_releases_it(world) -> None:  # type: ignore[no-untyped-def]
    sitting = open_sitting(world, device="华为平板")
    with pytest.raises(Conflict) as refused:
        open_sitting(world, key="another-device-99", device="联想电脑")
    assert refused.value.code == "exam.session.active" and "华为平板" in refused.value.message
    assert SittingEvent.objects.get(sitting=sitting, kind="session_refused").detail["device"] == "联想电脑"
    with pytest.raises(ValidationFailed):
        exam.session_release(actor=invigilator(world), sitting_id=sitting.pk, reason=" ")
    exam.session_release(actor=invigilator(world), sitting_id=sitting.pk, reason="电脑死机，换备用机")
    taken = open_sitting(world, key="another-device-99", device="联想电脑")
    assert taken.session_key == "another-device-99" and not taken.session_released
    with pytest.raises(Conflict):  # the old page's session is over
        exam.answers_save(actor=world.candidates[0], sitting_id=sitting.pk, session_key=KEY,
                          answers=[answer(0, (1,), 1)])
    assert AuditEntry.objects.get(action="certification.exam.session_released").reason == "电脑死机，换备用机"


def test_another_candidates_sitting_is_invisible(world, exam_staff: User) -> None:  # type: ignore[no-untyped-def]
    sitting = open_sitting(world)
    with pytest.raises(NotFound):
        exam.answers_save(actor=world.candidates[1], sitting_id=sitting.pk, session_key=KEY,
                          answers=[answer(0, (1,), 1)])
    with pytest.raises(NotFound):
        exam.sitting_open(actor=world.candidates[1], registration_id=world.registrations[0].pk, session_key=KEY)


def test_answers_are_saved_idempotently_acknowledged_and_every_receipt_kept(  # type: ignore[no-untyped-def]
        world, django_assert_max_num_queries) -> None:
    sitting = open_sitting(world)
    me = world.candidates[0]
    with django_assert_max_num_queries(7):
        result = exam.answers_save(actor=me, sitting_id=sitting.pk, session_key=KEY,
                                   answers=[answer(0, (1,), 1), answer(1, (2,), 2)])
    assert result.ack == 2 and result.accepted == [1, 2] and result.next_seq == 3 and result.phase == "answering"
    # A resend of 2 beside a new 4 (3 still in the browser): 2 is repeated, 4 is held beyond the gap.
    result = exam.answers_save(actor=me, sitting_id=sitting.pk, session_key=KEY,
                               answers=[answer(1, (0,), 2), answer(1, (3,), 4)])
    assert result.repeated == [2] and result.accepted == [4] and result.ack == 2 and result.next_seq == 5
    result = exam.answers_save(actor=me, sitting_id=sitting.pk, session_key=KEY, answers=[answer(1, (1,), 3)])
    assert result.ack == 4  # the gap filled; 3 came later than 4 but 4 wins for question 2
    order = PaperItem.objects.get(paper=sitting.paper, position=2).option_order
    assert SavedAnswer.objects.get(sitting=sitting, position=1).choices == [order[3]]
    assert SavedAnswer.objects.get(sitting=sitting, position=1).seq == 4
    assert list(AnswerReceipt.objects.filter(sitting=sitting).values_list("seq", "outcome")) == [
        (1, "accepted"), (2, "accepted"), (2, "repeated"), (4, "accepted"), (3, "accepted")]
    sitting.refresh_from_db()
    assert sitting.answered == 2 and sitting.ack == 4


def test_a_bad_answer_is_refused_with_its_code_and_logged(world) -> None:  # type: ignore[no-untyped-def]
    sitting = open_sitting(world)
    result = exam.answers_save(actor=world.candidates[0], sitting_id=sitting.pk, session_key=KEY,
                               answers=[answer(0, (0, 1), 1), answer(99, (0,), 2)])
    assert [r.code for r in result.refused] == ["exam.answer.one_choice", "exam.answer.bad_position"]
    assert result.ack == 2  # a refusal never stalls the acknowledgement
    assert "只能选一个" in result.refused[0].message
    assert AnswerReceipt.objects.filter(sitting=sitting, outcome="refused").count() == 2
    assert SittingEvent.objects.get(sitting=sitting, kind="refused_answer").detail["seqs"] == [1, 2]
    assert not SavedAnswer.objects.filter(sitting=sitting).exists()


def test_an_answer_after_the_deadline_is_refused_and_logged_and_the_sitting_submitted(world) -> None:  # type: ignore[no-untyped-def]
    sitting = open_sitting(world)
    exam.answers_save(actor=world.candidates[0], sitting_id=sitting.pk, session_key=KEY,
                      answers=[answer(0, correct_displayed(sitting, 0), 1)])
    age(sitting, 91)  # 90 minutes are up
    late = exam.answers_save(actor=world.candidates[0], sitting_id=sitting.pk, session_key=KEY,
                             answers=[answer(1, (0,), 2)],
                             offset=clock.OffsetEstimate(timedelta(0), timedelta(milliseconds=40)))
    assert [r.code for r in late.refused] == ["exam.answer.after_deadline"] and late.submitted
    sitting.refresh_from_db()
    assert sitting.submitted_how == "auto" and sitting.submitted_at == sitting.started_at + timedelta(minutes=90)
    assert AnswerReceipt.objects.get(sitting=sitting, seq=2).code == "exam.answer.after_deadline"
    assert SittingEvent.objects.filter(sitting=sitting, kind="refused_answer").exists()
    grade = SittingGrade.objects.get(sitting=sitting)
    assert grade.version == 1 and grade.total == 8 and grade.score == pytest.approx(12.5)  # 1 of 8 points


def test_an_offline_answer_given_in_time_is_accepted_after_the_deadline_and_regraded(world) -> None:  # type: ignore[no-untyped-def]
    sitting = open_sitting(world)
    age(sitting, 91)
    assert exam.part_sweep(actor=SYSTEM, part_id=theory(world).pk) == 1  # submitted automatically at 90 minutes
    given = sitting.started_at + timedelta(minutes=89)  # given a minute before the deadline, queued offline
    result = exam.answers_save(actor=world.candidates[0], sitting_id=sitting.pk, session_key=KEY,
                               answers=[answer(0, correct_displayed(sitting, 0), 1, given)],
                               offset=clock.OffsetEstimate(timedelta(0), timedelta(milliseconds=40)))
    assert result.accepted == [1] and result.submitted
    versions = list(SittingGrade.objects.filter(sitting=sitting).values_list("version", "score"))
    assert [v for v, _ in versions] == [1, 2] and versions[-1][1] > versions[0][1]


def test_grace_policy_lets_the_candidate_submit_but_not_answer_then_submits(world, exam_staff: User) -> None:  # type: ignore[no-untyped-def]
    exam.exam_policy_set(actor=exam_staff, part_id=theory(world).pk, data=exam.PolicyData(
        duration_minutes=90, deadline=clock.DeadlinePolicy.GRACE, submit_grace_minutes=5))
    sitting = open_sitting(world)
    age(sitting, 92)
    late = exam.answers_save(actor=world.candidates[0], sitting_id=sitting.pk, session_key=KEY,
                             answers=[answer(0, (0,), 1)])
    assert late.phase == "overdue" and not late.submitted and late.refused[0].code == "exam.answer.after_deadline"
    exam.sitting_submit(actor=world.candidates[0], sitting_id=sitting.pk, session_key=KEY)
    sitting.refresh_from_db()
    assert sitting.submitted_how == "candidate"
    other = open_sitting(world, 1, key="session-key-0002")
    age(other, 96)
    assert exam.part_sweep(actor=SYSTEM, part_id=theory(world).pk) == 1
    swept = AuditEntry.objects.get(action="certification.exam.swept")
    assert [s["sitting"] for s in swept.new["submitted"]] == [other.pk] and swept.new["how"] == "grace_expired"
    other.refresh_from_db()
    assert other.submitted_how == "grace_expired" and other.submitted_at == other.started_at + timedelta(minutes=95)


def test_a_policy_shorter_than_90_minutes_is_refused(world, exam_staff: User) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed) as bad:
        exam.exam_policy_set(actor=exam_staff, part_id=theory(world).pk, data=exam.PolicyData(duration_minutes=60))
    assert bad.value.field_errors[0].code == "exam.policy.too_short"


def test_extra_time_needs_a_reason_moves_the_deadline_and_is_audited(world) -> None:  # type: ignore[no-untyped-def]
    sitting = open_sitting(world)
    staff = invigilator(world)
    with pytest.raises(ValidationFailed):
        exam.extra_time_grant(actor=staff, sitting_id=sitting.pk, minutes=10, reason="")
    exam.extra_time_grant(actor=staff, sitting_id=sitting.pk, minutes=10, reason="视力障碍，延时 10 分钟")
    exam.extra_time_grant(actor=staff, sitting_id=sitting.pk, minutes=5, reason="设备故障补时")
    sitting.refresh_from_db()
    t = exam.sitting_timing(sitting, timezone.now())
    assert t.deadline == sitting.started_at + timedelta(minutes=105)
    age(sitting, 100)  # beyond 90 minutes, within the 105
    result = exam.answers_save(actor=world.candidates[0], sitting_id=sitting.pk, session_key=KEY,
                               answers=[answer(0, (0,), 1)])
    assert result.accepted == [1] and result.phase == "answering"
    assert AuditEntry.objects.filter(action="certification.exam.extra_time").count() == 2
    with pytest.raises(NotFound):  # the candidate cannot grant themselves time
        exam.extra_time_grant(actor=world.candidates[0], sitting_id=sitting.pk, minutes=5, reason="我想要")


def test_an_invigilator_of_another_room_or_unit_sees_nothing(world, hr_of_b: User) -> None:  # type: ignore[no-untyped-def]
    sitting = open_sitting(world)
    with pytest.raises(NotFound):
        exam.session_release(actor=hr_of_b, sitting_id=sitting.pk, reason="x")


def test_silence_is_a_disconnect_and_pause_policy_moves_the_deadline(world, exam_staff: User) -> None:  # type: ignore[no-untyped-def]
    exam.exam_policy_set(actor=exam_staff, part_id=theory(world).pk, data=exam.PolicyData(
        duration_minutes=90, disconnect=clock.DisconnectPolicy.PAUSE, pause_per_disconnect_minutes=5))
    sitting = open_sitting(world)
    age(sitting, 10)
    Sitting.objects.filter(pk=sitting.pk).update(last_seen_at=timezone.now() - timedelta(minutes=3))
    assert exam.room_watch(actor=invigilator(world), room_id=sitting.room_id) == 1
    assert DisconnectInterval.objects.get(sitting=sitting).ended_at is None
    beat = exam.sitting_heartbeat(actor=world.candidates[0], sitting_id=sitting.pk, session_key=KEY, visible=True)
    gap = DisconnectInterval.objects.get(sitting=sitting)
    assert gap.ended_at is not None
    assert beat.deadline - (sitting.started_at + timedelta(minutes=90)) == pytest.approx(
        gap.ended_at - gap.started_at, abs=timedelta(seconds=1))
    lost = SittingEvent.objects.get(sitting=sitting, kind="disconnected")
    back = SittingEvent.objects.get(sitting=sitting, kind="reconnected")
    assert lost.at == gap.started_at and back.at == gap.ended_at


def test_leaving_the_page_is_logged(world) -> None:  # type: ignore[no-untyped-def]
    sitting = open_sitting(world)
    exam.sitting_heartbeat(actor=world.candidates[0], sitting_id=sitting.pk, session_key=KEY, visible=False)
    exam.sitting_heartbeat(actor=world.candidates[0], sitting_id=sitting.pk, session_key=KEY, visible=True,
                           was_hidden=True)
    assert list(SittingEvent.objects.filter(sitting=sitting, kind__in=["left_page", "back"]).values_list(
        "kind", flat=True)) == ["left_page", "back"]


def test_submit_grades_and_a_second_submit_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    sitting = open_sitting(world)
    me = world.candidates[0]
    batch = [answer(p, correct_displayed(sitting, p), p + 1) for p in range(7)]
    exam.answers_save(actor=me, sitting_id=sitting.pk, session_key=KEY, answers=batch)
    grade = exam.sitting_submit(actor=me, sitting_id=sitting.pk, session_key=KEY)
    assert grade.score == 100 and grade.version == 1
    with pytest.raises(Conflict):
        exam.sitting_submit(actor=me, sitting_id=sitting.pk, session_key=KEY)
    # Ten seconds later (beyond the two seconds' benefit of the doubt of exam_clock) an answer comes in.
    Sitting.objects.filter(pk=sitting.pk).update(submitted_at=timezone.now() - timedelta(seconds=10))
    after = exam.answers_save(actor=me, sitting_id=sitting.pk, session_key=KEY, answers=[answer(0, (0,), 8)])
    assert after.refused[0].code == "exam.answer.after_submit"
    assert AuditEntry.objects.get(action="certification.exam.submitted").new["score"] == "100.0"


def test_a_regrade_after_a_correction_shows_per_candidate_what_changed_and_is_audited(world) -> None:  # type: ignore[no-untyped-def]
    first, second = open_sitting(world, 0), open_sitting(world, 1, key="session-key-0002")
    # Both answer everything right by the key; the first single-choice item of the first paper gets corrected.
    for s, who, key in ((first, 0, KEY), (second, 1, "session-key-0002")):
        exam.answers_save(actor=world.candidates[who], sitting_id=s.pk, session_key=key,
                          answers=[answer(p, correct_displayed(s, p), p + 1) for p in range(7)])
        exam.sitting_submit(actor=world.candidates[who], sitting_id=s.pk, session_key=key)
    item = PaperItem.objects.select_related("version").get(paper=first.paper, position=1)
    old = item.version
    corrected = single(0)
    corrected = type(corrected)(corrected.kind, old.point_code, corrected.importance, old.difficulty, old.stem,
                                tuple(old.options), ((old.answer[0] + 1) % 4,), "答案更正")
    services.question_revise(actor=SYSTEM, question_id=old.question_id, content=corrected, reason="原答案有误")
    with pytest.raises(ValidationFailed):
        exam.question_regrade(actor=SYSTEM, options=exam.RegradeOptions(old.pk, ""))
    run = exam.question_regrade(actor=SYSTEM, options=exam.RegradeOptions(old.pk, "原答案有误，按新答案重评"))
    used_by_second = PaperItem.objects.filter(paper=second.paper, version=old).exists()
    assert run.sittings == 1 + used_by_second and run.changed == run.sittings
    change = RegradeChange.objects.get(regrade=run, sitting=first)
    assert change.old_score == 100 and change.new_score == pytest.approx(87.5)
    assert change.items == [{"position": 0, "version": old.pk, "old": "1", "new": "0"}]
    assert SittingGrade.objects.filter(sitting=first).order_by("-version").first().regrade == run
    entry = AuditEntry.objects.get(action="certification.exam.regraded")
    assert entry.reason == "原答案有误，按新答案重评" and entry.new["sittings"] == run.sittings
    void = exam.question_regrade(actor=SYSTEM, options=exam.RegradeOptions(old.pk, "题目有歧义，作废", void=True))
    assert RegradeChange.objects.get(regrade=void, sitting=first).new_score == 100
    assert Regrade.objects.count() == 2
    unused = QuestionVersion.objects.exclude(pk__in=PaperItem.objects.values("version_id")).first()
    with pytest.raises(Conflict):  # a version nobody submitted has nothing to regrade
        exam.question_regrade(actor=SYSTEM, options=exam.RegradeOptions(unused.pk, "x", void=True))


def test_a_second_paper_avoids_the_questions_of_the_first(world) -> None:  # type: ignore[no-untyped-def]
    from certification.selectors.bank import questions_seen

    sitting = open_sitting(world)
    seen = set(PaperItem.objects.filter(paper=sitting.paper).values_list("version__question_id", flat=True))
    assert set(questions_seen(world.candidates[0].pk, world.batch.occupation_id, 4)) == seen


def test_a_sitting_moves_only_by_the_table_released_taken_over_and_swept(world) -> None:  # type: ignore[no-untyped-def]
    sitting = open_sitting(world)
    staff = invigilator(world)
    exam.session_release(actor=staff, sitting_id=sitting.pk, reason="电脑蓝屏")
    with pytest.raises(Conflict) as twice:  # released → released is off the table
        exam.session_release(actor=staff, sitting_id=sitting.pk, reason="再次释放")
    assert twice.value.code == "exam.session.not_active"
    taken = open_sitting(world, key="session-key-0002", device="备用电脑")  # released → in progress
    assert not taken.session_released and taken.session_key == "session-key-0002"
    exam.session_release(actor=staff, sitting_id=sitting.pk, reason="换座位")
    age(Sitting.objects.get(pk=sitting.pk), 200)  # released → submitted by the sweep when its time is up
    assert exam.part_sweep(actor=SYSTEM, part_id=sitting.part_id) == 1
    with pytest.raises(Conflict) as after:
        exam.session_release(actor=staff, sitting_id=sitting.pk, reason="交卷后")
    assert after.value.code == "exam.session.not_active"
