"""The theory exam's hot path written by hand (core.sql, certification.access `_sitting_with_part`): the rows
read and written are those the ORM reads and writes, on whichever database the suite runs."""

from __future__ import annotations

from datetime import timedelta

import pytest

from accounts.models import Organization, User
from certification import access
from certification.models import AnswerReceipt, SavedAnswer, Sitting
from core import sql
from core.errors import NotFound
from tests.certification.exam_steps import exam_world, open_sitting

pytestmark = pytest.mark.django_db


def _fields(obj: object) -> dict[str, object]:
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}  # type: ignore[attr-defined]


def test_rows_inserted_by_hand_are_the_rows_bulk_create_writes_and_an_upsert_updates_only_its_fields(
    exam_staff: User, exam_center: Organization, enterprise_a: Organization,
) -> None:
    sitting = open_sitting(exam_world(exam_staff, exam_center, enterprise_a))
    at = sitting.started_at
    sql.insert_rows([SavedAnswer(sitting=sitting, position=p, choices=[p, 1], seq=p + 1, given_at=at)
                     for p in range(3)])
    assert list(SavedAnswer.objects.filter(sitting=sitting).values_list("position", "choices", "seq", "given_at")) \
        == [(0, [0, 1], 1, at), (1, [1, 1], 2, at), (2, [2, 1], 3, at)]
    later = at + timedelta(minutes=3)
    sql.insert_rows([SavedAnswer(sitting=sitting, position=1, choices=["改"], seq=9, given_at=later),
                     SavedAnswer(sitting=sitting, position=5, choices=[], seq=10, given_at=later)],
                    on_conflict=["sitting", "position"], update=["choices", "seq"])
    assert list(SavedAnswer.objects.filter(sitting=sitting).values_list("position", "choices", "seq", "given_at")) \
        == [(0, [0, 1], 1, at), (1, ["改"], 9, at), (2, [2, 1], 3, at), (5, [], 10, later)]
    sql.insert_rows([AnswerReceipt(sitting=sitting, seq=1, position=0, choices=[0], given_at=at, received_at=later,
                                   outcome="accepted")])
    receipt = AnswerReceipt.objects.get(sitting=sitting)
    assert (receipt.code, receipt.received_at, receipt.choices) == ("", later, [0])  # the field's default too
    sql.insert_rows([])  # nothing to write: no statement


def test_the_sitting_read_by_hand_is_the_sitting_the_orm_reads_with_its_part_and_policy(
    exam_staff: User, exam_center: Organization, enterprise_a: Organization, django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    from certification.models import ExamPolicy

    sitting = open_sitting(exam_world(exam_staff, exam_center, enterprise_a))
    for with_policy in (False, True):
        expected = Sitting.objects.select_related("part", "part__exam_policy").get(pk=sitting.pk)
        with django_assert_num_queries(1):
            loaded = access._sitting_with_part(sitting.pk, lock=True)
            assert _fields(loaded) == _fields(expected) and _fields(loaded.part) == _fields(expected.part)
            policy = getattr(loaded.part, "exam_policy", None)
            if with_policy:
                assert policy is not None and _fields(policy) == _fields(expected.part.exam_policy)
                assert policy.part is loaded.part
            else:
                assert policy is None
        if not with_policy:
            ExamPolicy.objects.create(part=sitting.part, duration_s=5400, submit_grace_s=120,
                                      updated_at=sitting.started_at)
    for missing in (0, -1, 10**9, 2**63):
        with pytest.raises(NotFound):
            access._sitting_with_part(missing, lock=False)


def test_an_answer_save_is_a_fixed_handful_of_queries_whatever_the_batch(
    exam_staff: User, exam_center: Organization, enterprise_a: Organization, django_assert_max_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    """The query budget of the hot path (issue 12, "Performance"): the sitting with its part and policy (locked),
    the saved answers of the positions touched, one upsert, one insert of receipts, the sitting's update, and the
    transaction's two statements; the same for one answer as for seven."""
    from certification.services import exam
    from tests.certification.exam_steps import answer

    world = exam_world(exam_staff, exam_center, enterprise_a)
    sitting = open_sitting(world)
    key = "session-key-0001"
    with django_assert_max_num_queries(7):
        one = exam.answers_save(actor=world.candidates[0], sitting_id=sitting.pk, session_key=key,
                                answers=[answer(0, (0,), 1)])
    with django_assert_max_num_queries(7):
        seven = exam.answers_save(actor=world.candidates[0], sitting_id=sitting.pk, session_key=key,
                                  answers=[answer(p, (1,), p + 2) for p in range(len(sitting.shape))])
    assert one.ack == 1 and seven.ack == len(sitting.shape) + 1
    assert SavedAnswer.objects.filter(sitting=sitting).count() == len(sitting.shape)
    assert AnswerReceipt.objects.filter(sitting=sitting).count() == len(sitting.shape) + 1
