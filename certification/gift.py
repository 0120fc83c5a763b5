"""GIFT import for the question bank (issue 12 item 5, "a plus"): Moodle's plain-text format, for banks kept in a
text editor.

Supported: single choice `{=right ~wrong ~wrong}`, multiple choice with weights `{~%50%a ~%50%b ~%-100%c}`
(positive weights summing to 100, as Moodle's multichoice), true/false `{T}` / `{TRUE}` / `{F}` / `{FALSE}`,
general feedback `####…` inside the braces (the explanation), `// comments` and `$CATEGORY:` lines (skipped), and
the escapes `\\~ \\= \\# \\{ \\} \\:`. The bank's own fields ride in the title, separated by `|`:
`::A-B-A-001|X|3::` (鉴定点代码, importance, difficulty), the one place GIFT has for them. Other GIFT question
types (matching, numeric, short answer, essay) are refused naming the question number. Every bad entry is named by
question number (the n-th question of the file) and field; nothing is saved when any is bad.
"""

from __future__ import annotations

import re

from certification.domain.papers import Importance, Kind
from certification.domain.questions import TRUE_FALSE_OPTIONS, QuestionContent, check_question, normalize_point_code
from core.errors import ImportFailed, RowError

SHEET = "GIFT"
_ESCAPES = {"\\~": "\x01", "\\=": "\x02", "\\#": "\x03", "\\{": "\x04", "\\}": "\x05", "\\:": "\x06"}
_BACK = {"\x01": "~", "\x02": "=", "\x03": "#", "\x04": "{", "\x05": "}", "\x06": ":"}
_ANSWER = re.compile(r"([=~])(?:%(-?\d+(?:\.\d+)?)%)?([^=~]*)")


def _unescape(text: str) -> str:
    for mark, char in _BACK.items():
        text = text.replace(mark, char)
    return text.strip()


def _questions(text: str) -> list[str]:
    for escape, mark in _ESCAPES.items():
        text = text.replace(escape, mark)
    blocks: list[str] = []
    current: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("//") or stripped.startswith("$CATEGORY"):
            continue
        if not stripped:
            if current:
                blocks.append(" ".join(current))
                current = []
            continue
        current.append(stripped)
    if current:
        blocks.append(" ".join(current))
    return blocks


def _one(block: str) -> tuple[QuestionContent | None, list[tuple[str, str]]]:
    problems: list[tuple[str, str]] = []
    title = ""
    if block.startswith("::"):
        title, _, block = block[2:].partition("::")
    meta = [part.strip() for part in title.split("|")]
    point_code = normalize_point_code(meta[0]) if meta and meta[0] else ""
    importance = meta[1].upper() if len(meta) > 1 else ""
    difficulty = int(meta[2]) if len(meta) > 2 and meta[2].isdigit() else 0
    if not point_code:
        problems.append(("point_code", "moodle.point_missing"))
    if importance not in ("X", "Y", "Z"):
        problems.append(("importance", "question.bad_importance"))
    start, end = block.find("{"), block.rfind("}")
    if start < 0 or end < start:
        return None, [*problems, ("answer", "gift.no_answers")]
    stem = _unescape(block[:start] + " " + block[end + 1:])
    inside, _, feedback = block[start + 1:end].partition("####")
    inside = inside.strip()
    options: tuple[str, ...]
    answer: tuple[int, ...]
    if inside.upper() in ("T", "TRUE", "F", "FALSE"):
        kind, options, answer = Kind.TRUE_FALSE, TRUE_FALSE_OPTIONS, ((0,) if inside.upper()[0] == "T" else (1,))
    else:
        found = _ANSWER.findall(inside)
        if not found or "->" in inside:
            return None, [*problems, ("type", "moodle.unsupported_type")]
        options = tuple(_unescape(text) for _, _, text in found)
        weights = [100.0 if mark == "=" else float(weight or 0) for mark, weight, _ in found]
        answer = tuple(i for i, w in enumerate(weights) if w > 0)
        kind = Kind.SINGLE if any(mark == "=" for mark, _, _ in found) else Kind.MULTIPLE
        if kind == Kind.SINGLE and sorted(weights) != [0.0] * (len(weights) - 1) + [100.0]:
            problems.append(("answer", "moodle.single_fractions"))
        if kind == Kind.MULTIPLE and (abs(sum(w for w in weights if w > 0) - 100) > 0.5 or len(answer) < 2):
            problems.append(("answer", "moodle.multiple_fractions"))
    content = QuestionContent(kind=kind, point_code=point_code,
                              importance=Importance(importance) if importance in ("X", "Y", "Z") else Importance.Y,
                              difficulty=difficulty, stem=stem, options=options, answer=answer,
                              explanation=_unescape(feedback))
    seen = {field for field, _ in problems}
    problems.extend(p for p in check_question(content) if p[0] not in seen)
    return content, problems


def parse(data: bytes) -> list[QuestionContent]:
    """The questions of a GIFT file (UTF-8), or ImportFailed naming every bad entry (module docstring)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFailed([RowError(SHEET, 0, "", "gift.not_utf8")]) from None
    out: list[QuestionContent] = []
    errors: list[RowError] = []
    blocks = _questions(text)
    for number, block in enumerate(blocks, start=1):
        content, problems = _one(block)
        errors.extend(RowError(SHEET, number, field, code) for field, code in problems)
        if content is not None and not problems:
            out.append(content)
    if not blocks:
        errors.append(RowError(SHEET, 0, "", "moodle.no_questions"))
    if errors:
        raise ImportFailed(errors)
    return out
