"""One question's rules (certification.domain.questions): every bad field named, answers as letters, grading all
or nothing."""

from __future__ import annotations

import dataclasses

import pytest

from certification.domain.papers import Kind
from certification.domain.questions import check_question, grade, parse_answer_letters
from tests.certification.bank_steps import multiple, single, true_false


def test_sound_questions_pass() -> None:
    assert [check_question(q) for q in (single(1), multiple(1), true_false(1))] == [[], [], []]


@pytest.mark.parametrize(("change", "expected"), [
    ({"point_code": "A-B-A"}, [("point_code", "question.bad_point_code")]),
    ({"difficulty": 0, "stem": " "}, [("difficulty", "question.bad_difficulty"), ("stem", "question.stem_required")]),
    ({"answer": (0, 1)}, [("answer", "question.single_needs_one")]),
    ({"answer": (7,)}, [("answer", "question.answer_not_an_option")]),
    ({"options": ("甲", "甲", "乙")}, [("options", "question.repeated_option")]),
    ({"options": ("甲",)}, [("options", "question.bad_options"), ("answer", "question.answer_not_an_option")][:1]),
])
def test_every_bad_field_is_named(change: dict[str, object], expected: list[tuple[str, str]]) -> None:
    assert check_question(dataclasses.replace(single(1), **change))[:len(expected)] == expected


def test_multiple_needs_two_and_true_false_its_own_options() -> None:
    assert check_question(dataclasses.replace(multiple(1), answer=(1,))) == [("answer", "question.multiple_needs_two")]
    assert check_question(dataclasses.replace(true_false(1), options=("对", "错"), answer=(2,))) == [
        ("options", "question.true_false_options"), ("answer", "question.true_false_answer")]


def test_answer_letters_and_all_or_nothing_grading() -> None:
    assert parse_answer_letters("a, B、d") == (0, 1, 3) and parse_answer_letters("AX") is None
    assert grade(Kind.MULTIPLE, (0, 1, 2), (2, 1, 0), 2) == 2
    assert grade(Kind.MULTIPLE, (0, 1, 2), (0, 1), 2) == 0
