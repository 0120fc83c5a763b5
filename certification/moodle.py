"""Moodle XML in and out for the question bank (issue 12 item 5), so banks move between systems.

Format (Moodle's "Moodle XML format"): `<quiz>` holding `<question type="multichoice">` (with
`<single>true</single>` for single choice, `false` for multiple choice; answers carry `fraction`: 100 for the one
correct option and 0 for the others in single choice, positive fractions summing to 100 for the correct options of
multiple choice and 0 or negative for the wrong ones) and `<question type="truefalse">` (answers `true`/`false`, one
at 100). `type="category"` entries are skipped; any other type is refused naming its number.

Where the bank's own fields live (Moodle has no 鉴定点 or X/Y/Z): tags `point:A-B-A-001`, `importance:X`,
`difficulty:3`; `<name>` repeats the point code for people browsing Moodle; `<generalfeedback>` is the
explanation. An imported question without them is refused naming the field (a bank is useless for assembly without
them). Text is written as HTML (escaped) and read back as plain text (tags dropped, entities unescaped).

Safety: the standard library's `xml.etree.ElementTree` expands internal entities, so a file with a DOCTYPE (the
only place entities are declared) is refused before it is parsed: no billion laughs, no external entity.
Every bad entry is named by its question number (the n-th `<question>` that is not a category) and field, all in
one pass; nothing is saved when any is bad (core.errors.ImportFailed, the same shape as an Excel import's).
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET  # noqa: S405 - DOCTYPE refused before parsing (module docstring)
from collections.abc import Sequence

from certification.domain.papers import Importance, Kind
from certification.domain.questions import (
    TRUE_FALSE_OPTIONS,
    QuestionContent,
    check_question,
    normalize_point_code,
)
from core.errors import ImportFailed, RowError

SHEET = "Moodle XML"
MAX_BYTES = 10 * 1024 * 1024
_TAG = re.compile(r"<[^>]+>")

FIELD_LABELS = {
    "type": "type", "point_code": "point", "importance": "importance", "difficulty": "difficulty",
    "stem": "questiontext", "options": "answer", "answer": "fraction", "single": "single",
}


def _text(node: ET.Element | None) -> str:
    if node is None:
        return ""
    inner = node.find("text")
    raw = (inner.text if inner is not None else node.text) or ""
    if node.get("format", "html") == "html":
        raw = html.unescape(_TAG.sub("", raw))
    return raw.strip()


def _tags(question: ET.Element) -> dict[str, str]:
    found = {}
    for tag in question.findall("./tags/tag"):
        value = _text(tag)
        key, sep, rest = value.partition(":")
        if sep:
            found[key.strip().lower()] = rest.strip()
    return found


def _fraction(answer: ET.Element) -> float | None:
    try:
        return float(answer.get("fraction", "0"))
    except ValueError:
        return None


def parse(data: bytes) -> list[QuestionContent]:
    """The questions of a Moodle XML file, or ImportFailed naming every bad entry (module docstring)."""
    head = data[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in data.lower():
        raise ImportFailed([RowError(SHEET, 0, "", "moodle.doctype")])
    try:
        root = ET.fromstring(data)  # noqa: S314 - DOCTYPE refused above
    except ET.ParseError as exc:
        raise ImportFailed([RowError(SHEET, 0, "", "moodle.unreadable", {"detail": str(exc)})]) from None
    if root.tag != "quiz":
        raise ImportFailed([RowError(SHEET, 0, "", "moodle.not_a_quiz")])
    out: list[QuestionContent] = []
    errors: list[RowError] = []
    number = 0
    for question in root.findall("question"):
        kind_text = question.get("type", "")
        if kind_text == "category":
            continue
        number += 1
        content, problems = _question(question, kind_text)
        errors.extend(RowError(SHEET, number, FIELD_LABELS.get(f, f), code) for f, code in problems)
        if content is not None and not problems:
            out.append(content)
    if not number and not errors:
        errors.append(RowError(SHEET, 0, "", "moodle.no_questions"))
    if errors:
        raise ImportFailed(errors)
    return out


def _question(question: ET.Element, kind_text: str) -> tuple[QuestionContent | None, list[tuple[str, str]]]:
    problems: list[tuple[str, str]] = []
    tags = _tags(question)
    point_code = normalize_point_code(tags.get("point", ""))
    if not point_code:
        problems.append(("point_code", "moodle.point_missing"))
    importance_text = tags.get("importance", "").upper()
    if importance_text not in ("X", "Y", "Z"):
        problems.append(("importance", "question.bad_importance"))
    try:
        difficulty = int(tags.get("difficulty", ""))
    except ValueError:
        difficulty = 0
    stem = _text(question.find("questiontext"))
    explanation = _text(question.find("generalfeedback"))
    answers = question.findall("answer")
    fractions = [_fraction(a) for a in answers]
    if any(f is None for f in fractions):
        problems.append(("answer", "moodle.bad_fraction"))
        return None, problems
    values = [f for f in fractions if f is not None]
    if kind_text == "truefalse":
        kind = Kind.TRUE_FALSE
        truth = {_text(a).lower(): v for a, v in zip(answers, values, strict=True)}
        if set(truth) != {"true", "false"} or sorted(truth.values()) != [0, 100]:
            problems.append(("answer", "moodle.true_false_fractions"))
            return None, problems
        options: tuple[str, ...] = TRUE_FALSE_OPTIONS
        answer: tuple[int, ...] = (0,) if truth["true"] == 100 else (1,)
    elif kind_text == "multichoice":
        single_text = _text(question.find("single")).lower() or "true"
        if single_text not in ("true", "false", "1", "0"):
            problems.append(("single", "moodle.bad_single"))
            return None, problems
        kind = Kind.SINGLE if single_text in ("true", "1") else Kind.MULTIPLE
        options = tuple(_text(a) for a in answers)
        answer = tuple(i for i, v in enumerate(values) if v > 0)
        if kind == Kind.SINGLE and sorted(values) != [0.0] * (len(values) - 1) + [100.0]:
            problems.append(("answer", "moodle.single_fractions"))
        if kind == Kind.MULTIPLE and (abs(sum(v for v in values if v > 0) - 100) > 0.5 or len(answer) < 2):
            problems.append(("answer", "moodle.multiple_fractions"))
    else:
        return None, [("type", "moodle.unsupported_type")]
    content = QuestionContent(
        kind=kind, point_code=point_code,
        importance=Importance(importance_text) if importance_text in ("X", "Y", "Z") else Importance.Y,
        difficulty=difficulty, stem=stem, options=options, answer=answer,
        explanation=explanation)
    seen = {field for field, _ in problems}
    problems.extend(p for p in check_question(content) if p[0] not in seen)
    return content, problems


def _el(parent: ET.Element, tag: str, text: str) -> ET.Element:
    node = ET.SubElement(parent, tag, format="html")
    ET.SubElement(node, "text").text = html.escape(text)
    return node


def _multiple_fractions(count: int) -> list[str]:
    """Positive fractions summing to 100 over `count` correct options, in Moodle's notation (33.33333)."""
    share = 100 / count
    return [f"{share:.5f}".rstrip("0").rstrip(".") for _ in range(count)]


def write(questions: Sequence[QuestionContent], category: str) -> bytes:
    """A Moodle XML file of `questions`, under one category (`$course$/焊工/四级`): `parse` reads it back the same."""
    quiz = ET.Element("quiz")
    cat = ET.SubElement(quiz, "question", type="category")
    category_node = ET.SubElement(cat, "category")
    ET.SubElement(category_node, "text").text = f"$course$/{category}"
    for q in questions:
        node = ET.SubElement(quiz, "question", type="truefalse" if q.kind == Kind.TRUE_FALSE else "multichoice")
        name = ET.SubElement(node, "name")
        ET.SubElement(name, "text").text = q.point_code
        _el(node, "questiontext", q.stem)
        _el(node, "generalfeedback", q.explanation)
        ET.SubElement(node, "defaultgrade").text = "1"
        if q.kind == Kind.TRUE_FALSE:
            for index, word in enumerate(("true", "false")):
                answer = ET.SubElement(node, "answer", fraction="100" if index in q.answer else "0",
                                       format="moodle_auto_format")
                ET.SubElement(answer, "text").text = word
        else:
            ET.SubElement(node, "single").text = "true" if q.kind == Kind.SINGLE else "false"
            ET.SubElement(node, "shuffleanswers").text = "true"
            ET.SubElement(node, "answernumbering").text = "ABCD"
            shares = iter(_multiple_fractions(len(q.answer)) if q.kind == Kind.MULTIPLE else ["100"])
            for index, option in enumerate(q.options):
                fraction = next(shares) if index in q.answer else "0"
                answer = ET.SubElement(node, "answer", fraction=fraction, format="html")
                ET.SubElement(answer, "text").text = html.escape(option)
        tags = ET.SubElement(node, "tags")
        for value in (f"point:{q.point_code}", f"importance:{q.importance.value}", f"difficulty:{q.difficulty}"):
            ET.SubElement(ET.SubElement(tags, "tag"), "text").text = value
    ET.indent(quiz)
    body: bytes = ET.tostring(quiz, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body
