"""The question bank's rules for one question (DESIGN.md "Certification": Question bank), pure.

- Types: single choice (单项选择题: 2–6 options, exactly one correct), multiple choice (多项选择题: 2–6 options, at
  least two correct; graded all-or-nothing by default: `grade` gives full points only for exactly the correct set),
  true/false (判断题: the options are 正确/错误, in that order, one correct).
- 鉴定点 code: segments separated by `-`, letters for the 鉴定范围 levels and a number for the point itself
  (`A-B-A-001`); at least two segments, the last a 1–4 digit serial. Upper-cased on the way in.
- Importance X (核心) / Y (一般) / Z (辅助); difficulty 1 (easiest) – 5.
- `check_question` names every bad field at once (codes of certification.errors), so an Excel row or a Moodle
  question is refused with all its problems.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from certification.domain.papers import Importance, Kind

POINT_CODE = re.compile(r"^[A-Z]{1,2}(?:-[A-Z]{1,2}){0,4}-\d{1,4}$")
MAX_OPTIONS = 6  # the Excel sheet has 选项A–选项F
TRUE_FALSE_OPTIONS = ("正确", "错误")


@dataclass(frozen=True, slots=True)
class QuestionContent:
    """What one version of a question says: the fields a new version may change."""

    kind: Kind
    point_code: str
    importance: Importance
    difficulty: int
    stem: str
    options: tuple[str, ...]
    answer: tuple[int, ...]  # indexes into options, sorted
    explanation: str = ""

    def fingerprint(self) -> tuple[object, ...]:
        """What makes two questions the same question (an import skips a question the bank already holds)."""
        return (self.kind, self.stem.strip(), tuple(o.strip() for o in self.options), self.answer)


def normalize_point_code(text: str) -> str:
    return text.strip().upper().replace("－", "-").replace("—", "-")


def check_question(content: QuestionContent) -> list[tuple[str, str]]:
    """Every bad field as (field, message code): empty when the question is sound."""
    problems: list[tuple[str, str]] = []
    if not POINT_CODE.match(content.point_code):
        problems.append(("point_code", "question.bad_point_code"))
    if not 1 <= content.difficulty <= 5:
        problems.append(("difficulty", "question.bad_difficulty"))
    if not content.stem.strip():
        problems.append(("stem", "question.stem_required"))
    options = content.options
    if content.kind == Kind.TRUE_FALSE:
        if tuple(options) != TRUE_FALSE_OPTIONS:
            problems.append(("options", "question.true_false_options"))
        if len(content.answer) != 1 or content.answer[0] not in (0, 1):
            problems.append(("answer", "question.true_false_answer"))
        return problems
    if not 2 <= len(options) <= MAX_OPTIONS or any(not o.strip() for o in options):
        problems.append(("options", "question.bad_options"))
    elif len({o.strip() for o in options}) != len(options):
        problems.append(("options", "question.repeated_option"))
    if any(not 0 <= i < len(options) for i in content.answer) or len(set(content.answer)) != len(content.answer):
        problems.append(("answer", "question.answer_not_an_option"))
    elif content.kind == Kind.SINGLE and len(content.answer) != 1:
        problems.append(("answer", "question.single_needs_one"))
    elif content.kind == Kind.MULTIPLE and len(content.answer) < 2:
        problems.append(("answer", "question.multiple_needs_two"))
    return problems


def answer_letters(answer: tuple[int, ...]) -> str:
    return "".join("ABCDEFGH"[i] for i in answer)


def parse_answer_letters(text: str) -> tuple[int, ...] | None:
    """`ABD`, `A,B,D`, `a b d` → (0, 1, 3); None when a character is not an option letter."""
    letters = [c for c in text.upper() if c not in " ,，、;；"]
    if not letters or any(c not in "ABCDEFGH" for c in letters):
        return None
    return tuple(sorted({"ABCDEFGH".index(c) for c in letters}))


def grade(kind: Kind, answer: tuple[int, ...], given: tuple[int, ...], points: int) -> int:
    """Points for an answer: all or nothing for every type (multiple choice included, the default)."""
    return points if tuple(sorted(set(given))) == tuple(sorted(answer)) else 0
