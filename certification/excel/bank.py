"""The question bank's Excel sheet (issue 12 item 5): one row per question, read and written by core.excel.

Columns: 题型 (单选/多选/判断, or 单项选择题 …), 鉴定点代码 (A-B-A-001), 重要程度 (X/Y/Z), 难度 (1–5), 题干,
选项A … 选项F (choice questions; a true/false row leaves them blank: its options are 正确/错误), 答案 (the option
letters, `ABD`; a true/false row writes 正确/错误 or 对/错 or A/B), 解析 (optional). Every bad cell is named by
sheet, row and column in one pass (the format checks of core.excel and the question's own rules of
certification.domain.questions together); nothing is saved when any row is wrong.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from certification.domain.papers import Importance, Kind
from certification.domain.questions import (
    TRUE_FALSE_OPTIONS,
    QuestionContent,
    answer_letters,
    check_question,
    normalize_point_code,
    parse_answer_letters,
)
from core.errors import ImportFailed, RowError
from core.excel import CellError, Column, Sheet, read_rows, template_workbook, write_workbook

LETTERS = "ABCDEF"
KIND_WORDS = {"单选": Kind.SINGLE, "单项选择题": Kind.SINGLE, "单选题": Kind.SINGLE, "多选": Kind.MULTIPLE,
              "多项选择题": Kind.MULTIPLE, "多选题": Kind.MULTIPLE, "判断": Kind.TRUE_FALSE, "判断题": Kind.TRUE_FALSE}
KIND_LABEL = {Kind.SINGLE: "单选", Kind.MULTIPLE: "多选", Kind.TRUE_FALSE: "判断"}
TRUE_WORDS = {"正确": 0, "对": 0, "√": 0, "A": 0, "TRUE": 0, "错误": 1, "错": 1, "×": 1, "B": 1, "FALSE": 1}


def _kind(text: str) -> Kind:
    if text in KIND_WORDS:
        return KIND_WORDS[text]
    raise CellError("bank.bad_kind")


def _importance(text: str) -> Importance:
    if text.upper() in ("X", "Y", "Z"):
        return Importance(text.upper())
    raise CellError("question.bad_importance")


def _difficulty(text: str) -> int:
    if text in {"1", "2", "3", "4", "5"}:
        return int(text)
    raise CellError("question.bad_difficulty")


QUESTIONS = Sheet("题库", [
    Column("题型", "kind", _kind, example="单选", note="单选、多选或判断"),
    Column("鉴定点代码", "point_code", normalize_point_code, example="A-B-A-001", text=True,
           note="鉴定要素细目表的鉴定点代码，前几段为知识范围"),
    Column("重要程度", "importance", _importance, example="X", note="X 核心、Y 一般、Z 辅助"),
    Column("难度", "difficulty", _difficulty, example="3", note="1（易）至 5（难）"),
    Column("题干", "stem", example="焊接作业场所应配备的灭火器材是（ ）。"),
    *[Column(f"选项{letter}", f"option_{letter}", required=False, example=example) for letter, example in zip(
        LETTERS, ("干粉灭火器", "清水", "湿棉被", "沙土以外的任何物品", "", ""), strict=True)],
    Column("答案", "answer", example="A", note="选项字母，多选如 ABD；判断题填 正确 或 错误"),
    Column("解析", "explanation", required=False, example="电气火灾和焊接火花引起的火灾宜用干粉灭火器扑救。"),
], notes=("每行一道题；判断题不填选项。", "任何一行有误时整个文件都不会保存，并列出每处错误所在的工作表、行和列。"))

_HEADER = {c.key: c.header for c in QUESTIONS.columns}
_FIELD_COLUMN = {"point_code": "鉴定点代码", "difficulty": "难度", "stem": "题干", "options": "选项A",
                 "answer": "答案", "importance": "重要程度"}


def _content(row: dict[str, Any]) -> tuple[QuestionContent | None, list[RowError]]:
    number = row["_row"]
    kind: Kind = row["kind"]
    errors: list[RowError] = []
    if kind == Kind.TRUE_FALSE:
        options: tuple[str, ...] = TRUE_FALSE_OPTIONS
        index = TRUE_WORDS.get(row["answer"].strip().upper())
        answer: tuple[int, ...] = () if index is None else (index,)
    else:
        texts = [(row.get(f"option_{letter}") or "").strip() for letter in LETTERS]
        while texts and not texts[-1]:
            texts.pop()
        options = tuple(texts)
        for position, text in enumerate(texts):
            if not text:
                errors.append(RowError(QUESTIONS.name, number, f"选项{LETTERS[position]}", "bank.option_gap"))
        answer = parse_answer_letters(row["answer"]) or ()
    content = QuestionContent(kind=kind, point_code=row["point_code"], importance=row["importance"],
                              difficulty=row["difficulty"], stem=row["stem"].strip(), options=options, answer=answer,
                              explanation=(row.get("explanation") or "").strip())
    for field, code in check_question(content):
        if field == "options" and errors:
            continue
        errors.append(RowError(QUESTIONS.name, number, _FIELD_COLUMN.get(field, field), code,
                               {"value": row["answer"]} if field == "answer" else {}))
    return (None if errors else content), errors


def read_questions(data: bytes) -> list[QuestionContent]:
    """The questions of a bank workbook, or ImportFailed naming every bad cell, by row then column."""
    rows, errors = read_rows(data, QUESTIONS, partial=True)
    out = []
    for row in rows:
        if row["_bad"]:
            continue
        content, problems = _content(row)
        errors.extend(problems)
        if content is not None:
            out.append(content)
    if errors:
        headers = [c.header for c in QUESTIONS.columns]
        raise ImportFailed(sorted(errors, key=lambda e: (e.row, headers.index(e.column) if e.column in headers
                                                         else -1)))
    return out


def _row(q: QuestionContent) -> dict[str, Any]:
    row: dict[str, Any] = {"kind": KIND_LABEL[q.kind], "point_code": q.point_code, "importance": q.importance.value,
                           "difficulty": q.difficulty, "stem": q.stem, "explanation": q.explanation}
    if q.kind == Kind.TRUE_FALSE:
        row["answer"] = TRUE_FALSE_OPTIONS[q.answer[0]]
    else:
        row["answer"] = answer_letters(q.answer)
        row.update({f"option_{LETTERS[i]}": text for i, text in enumerate(q.options)})
    return row


def write_questions(questions: Sequence[QuestionContent]) -> bytes:
    return write_workbook([(QUESTIONS, [_row(q) for q in questions])])


def questions_template() -> bytes:
    return template_workbook(QUESTIONS)


MAX_FILE_BYTES = 10 * 1024 * 1024


def read_bank_file(name: str, data: bytes) -> tuple[list[QuestionContent], str]:
    """The questions of an uploaded bank file by its extension: .xlsx (this sheet), .xml (certification.moodle) or
    .gift/.txt (certification.gift), and which format it was; ImportFailed naming every bad entry otherwise."""
    from certification import gift, moodle

    lower = name.lower()
    if len(data) > MAX_FILE_BYTES:
        raise ImportFailed([RowError("", 0, "", "bank.too_large", {"max": MAX_FILE_BYTES // 2**20})])
    if lower.endswith(".xlsx"):
        return read_questions(data), "excel"
    if lower.endswith(".xml"):
        return moodle.parse(data), "moodle"
    if lower.endswith((".gift", ".txt")):
        return gift.parse(data), "gift"
    raise ImportFailed([RowError("", 0, "", "bank.unknown_format")])
