"""The bank's files: Moodle XML (parse, refusals by question number and field, DOCTYPE refused, round trip) and
the Excel sheet (every bad cell by sheet, row and column; round trip)."""

from __future__ import annotations

import dataclasses

import pytest

from certification import moodle
from certification.excel.bank import QUESTIONS, read_questions, write_questions
from core.errors import ImportFailed
from core.excel import write_workbook
from tests.certification.bank_steps import multiple, single, true_false

GOOD = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category"><category><text>$course$/焊工</text></category></question>
  <question type="multichoice">
    <name><text>A-B-A-001</text></name>
    <questiontext format="html"><text><![CDATA[<p>焊接场所电气火灾应首先（ ）。</p>]]></text></questiontext>
    <generalfeedback format="html"><text>先断电。</text></generalfeedback>
    <single>true</single>
    <answer fraction="100"><text>切断电源</text></answer>
    <answer fraction="0"><text>用水浇灭</text></answer>
    <tags><tag><text>point:A-B-A-001</text></tag><tag><text>importance:X</text></tag><tag><text>difficulty:2</text></tag></tags>
  </question>
  <question type="multichoice">
    <questiontext format="html"><text>药皮的作用有（ ）。</text></questiontext>
    <single>false</single>
    <answer fraction="50"><text>稳弧</text></answer>
    <answer fraction="50"><text>保护</text></answer>
    <answer fraction="-100"><text>降低效率</text></answer>
    <tags><tag><text>point:A-B-B-002</text></tag><tag><text>importance:Y</text></tag><tag><text>difficulty:3</text></tag></tags>
  </question>
  <question type="truefalse">
    <questiontext format="html"><text>焊机外壳应接地。</text></questiontext>
    <answer fraction="100"><text>true</text></answer>
    <answer fraction="0"><text>false</text></answer>
    <tags><tag><text>point:B-B-A-003</text></tag><tag><text>importance:Z</text></tag><tag><text>difficulty:1</text></tag></tags>
  </question>
</quiz>"""


def test_a_moodle_file_reads_each_type() -> None:
    first, second, third = moodle.parse(GOOD.encode())
    assert first.stem == "焊接场所电气火灾应首先（ ）。" and first.answer == (0,) and first.difficulty == 2
    assert second.kind == "multiple" and second.answer == (0, 1) and second.importance == "Y"
    assert third.kind == "truefalse" and third.options == ("正确", "错误") and third.answer == (0,)


def test_bad_moodle_entries_are_named_by_question_number_and_field() -> None:
    bad = GOOD.replace('fraction="50"><text>保护', 'fraction="40"><text>保护').replace(
        "<text>importance:Z</text>", "<text>importance:Q</text>").replace('type="truefalse"', 'type="truefalse"', 1)
    with pytest.raises(ImportFailed) as caught:
        moodle.parse(bad.encode())
    assert [(e.row, e.column, e.code) for e in caught.value.row_errors] == [
        (2, "fraction", "moodle.multiple_fractions"), (3, "importance", "question.bad_importance")]


def test_a_moodle_single_choice_needs_one_full_answer_and_unknown_types_are_refused() -> None:
    bad = GOOD.replace('fraction="0"><text>用水浇灭', 'fraction="100"><text>用水浇灭').replace(
        '<question type="truefalse">', '<question type="essay">')
    with pytest.raises(ImportFailed) as caught:
        moodle.parse(bad.encode())
    assert [(e.row, e.column) for e in caught.value.row_errors] == [(1, "fraction"), (3, "type")]


@pytest.mark.parametrize("evil", [
    b'<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY a "aaaa">]><quiz>&a;</quiz>',
    b'<?xml version="1.0"?><!DOCTYPE quiz SYSTEM "file:///etc/passwd"><quiz/>',
])
def test_a_file_with_a_doctype_is_refused_before_parsing(evil: bytes) -> None:
    with pytest.raises(ImportFailed) as caught:
        moodle.parse(evil)
    assert caught.value.row_errors[0].code == "moodle.doctype"


def test_not_xml_and_not_a_quiz_are_refused() -> None:
    for data, code in ((b"<quiz>", "moodle.unreadable"), (b"<html/>", "moodle.not_a_quiz"),
                       (b"<quiz/>", "moodle.no_questions")):
        with pytest.raises(ImportFailed) as caught:
            moodle.parse(data)
        assert caught.value.row_errors[0].code == code


def test_moodle_export_then_import_gives_the_same_questions() -> None:
    questions = [single(1), multiple(2), true_false(3)]
    tricky = dataclasses.replace(single(4), stem="含 <b>标记</b> & 符号的题干（ ）。", explanation="a < b")
    data = moodle.write([*questions, tricky], "焊工/4")
    assert b"<!DOCTYPE" not in data and b'<single>false</single>' in data
    assert moodle.parse(data) == [*questions, tricky]


def test_moodle_multiple_fractions_sum_to_100_for_three_correct() -> None:
    data = moodle.write([multiple(1)], "x")
    assert data.count(b'fraction="33.33333"') == 3
    assert moodle.parse(data) == [multiple(1)]


def test_an_excel_bank_names_every_bad_cell_and_saves_nothing() -> None:
    data = write_workbook([(QUESTIONS, [
        {"kind": "单选", "point_code": "A-B-A-001", "importance": "X", "difficulty": "3", "stem": "题一（ ）。",
         "option_A": "甲", "option_B": "乙", "answer": "C"},
        {"kind": "填空", "point_code": "AB001", "importance": "W", "difficulty": "9", "stem": "题二",
         "answer": "A"},
        {"kind": "多选", "point_code": "A-B-A-003", "importance": "Y", "difficulty": "2", "stem": "题三（ ）。",
         "option_A": "甲", "option_C": "丙", "answer": "AC"},
    ])])
    with pytest.raises(ImportFailed) as caught:
        read_questions(data)
    assert [(e.sheet, e.row, e.column) for e in caught.value.row_errors] == [
        ("题库", 2, "答案"), ("题库", 3, "题型"), ("题库", 3, "重要程度"), ("题库", 3, "难度"), ("题库", 4, "选项B")]


def test_excel_export_then_import_gives_the_same_questions() -> None:
    questions = [single(1), multiple(2), true_false(3)]
    assert read_questions(write_questions(questions)) == questions


GIFT = """// 焊工四级
$CATEGORY: $course$/焊工

::A-B-A-001|X|2:: 焊接场所电气火灾应首先（ ）。{=切断电源 ~用水浇灭 ~继续作业 ####先断电。}

::A-B-B-002|Y|3:: 药皮的作用有（ ）。{~%50%稳弧 ~%50%保护 ~%-100%降低效率}

::B-B-A-003|Z|1:: 焊机外壳应接地\\: 必须。{T}
"""


def test_a_gift_file_reads_each_type() -> None:
    from certification import gift

    first, second, third = gift.parse(GIFT.encode())
    assert first.options == ("切断电源", "用水浇灭", "继续作业") and first.answer == (0,)
    assert first.explanation == "先断电。" and first.difficulty == 2
    assert second.kind == "multiple" and second.answer == (0, 1)
    assert third.kind == "truefalse" and third.stem == "焊机外壳应接地: 必须。" and third.answer == (0,)


def test_bad_gift_entries_are_named_by_question_number_and_field() -> None:
    from certification import gift

    matching = "{=焊条 -> 电弧焊 =焊丝 -> 气保焊}"
    bad = GIFT.replace("|Y|3::", "|Q|3::").replace("~%50%保护", "~%40%保护").replace("{T}", matching)
    with pytest.raises(ImportFailed) as caught:
        gift.parse(bad.encode())
    assert [(e.row, e.column) for e in caught.value.row_errors] == [(2, "importance"), (2, "answer"), (3, "type")]
