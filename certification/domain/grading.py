"""Automatic grading of a theory paper, and the regrade after a question is corrected (DESIGN.md "Certification":
Question bank, Exam parts; issue 12 item 7: "Automatic grading. A re-grade after a question is corrected shows,
per candidate, what changed").

A paper is the candidate's `PaperItem`s (certification.domain.papers: version id and points per item); the answers
are the saved choices per position, as stored option indexes sorted (certification.domain.answers); the key maps a
question version to its type and correct options. Rules, and the choices where the issue is silent:

- **Single choice and true/false**: full points for the one correct option, else 0.
- **Multiple choice**: all-or-nothing by default (DESIGN.md): full points for exactly the correct set. The
  optional `PROPORTIONAL` policy is the usual Chinese practice for 多选题 where partial credit is allowed
  (错选不得分，少选按比例得分): any wrong option gives 0; a non-empty subset of the correct options gives
  points × chosen ÷ correct, kept exact (a fraction), never rounded per item.
- An unanswered item gives 0; there are no negative marks.
- **Score** = earned ÷ paper total × 100, rounded half up to one decimal, once, at the end (per-item rounding would
  let a 3-option partial credit drift). That rounded score is what the candidate sees and what passes (≥ 60).
- **A corrected question** (`regrade`): the correction gives a question version a new key, or voids it. A new key
  applies to every paper that carried that version, so a score may go down as well as up (the old key was wrong).
  A **void gives every candidate the item's full points**, answered or not, rather than removing it and rescaling
  the paper: rescaling changes the weight of every other item and can lower the score of a candidate who answered
  the void item right, turning a pass into a fail for the examiners' error; full points never lowers anyone, and
  is what Chinese exam boards do with a flawed item (该题全体考生均得分). A correction may not change a question's
  type (that is another question, not a correction).
- The regrade returns, per candidate, the old and the new score and each item whose points changed; a regrade
  that changes no key changes nothing (a hypothesis property).
- **Speed**: 5,000 papers of 100 items grade in well under a second in pure Python (bench/theory_grading.py:
  0.12–0.3 s all-or-nothing, 0.35–0.75 s with partial credit on a loaded 2-core machine): one dict look-up and one
  tuple comparison per item, integer sums, and fractions only for the partial credits, summed once per paper.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from certification.domain.papers import Kind, PaperItem
from core.errors import RuleBroken

Points = int | Fraction
Choices = tuple[int, ...]


class MultiplePolicy(StrEnum):
    """How a multiple-choice item is graded (多选题评分方式)."""

    ALL_OR_NOTHING = "all_or_nothing"  # 全对得分
    PROPORTIONAL = "proportional"  # 错选不得分，少选按比例得分


@dataclass(frozen=True, slots=True)
class KeyEntry:
    """The key of one question version: its type, the correct stored option indexes (sorted), void or not."""

    kind: Kind
    correct: Choices
    voided: bool = False


AnswerKey = Mapping[int, KeyEntry]  # by question version id


def check_key_entry(entry: KeyEntry) -> str | None:
    """What is wrong with a key entry (a message code), or None: one correct option for single choice and
    true/false, at least two for multiple choice, sorted and without repeats."""
    if entry.voided:
        return None
    if list(entry.correct) != sorted(set(entry.correct)) or any(c < 0 for c in entry.correct):
        return "grading.bad_key"
    if entry.kind is Kind.MULTIPLE:
        return None if len(entry.correct) >= 2 else "question.multiple_needs_two"
    return None if len(entry.correct) == 1 else "question.single_needs_one"


@dataclass(frozen=True, slots=True)
class Grade:
    """A graded paper: points earned per item (in paper order), their exact sum, the paper's total and the score
    out of 100 (one decimal, half up)."""

    earned: tuple[Points, ...]
    raw: Points
    total: int
    score: Decimal


def score_of(raw: Points, total: int) -> Decimal:
    """raw ÷ total × 100, rounded half up to one decimal (module docstring), exactly: integer arithmetic."""
    if total <= 0:
        raise RuleBroken("grading.empty_paper", {}, "The paper has no points to grade.")
    if isinstance(raw, int):
        tenths = (2000 * raw + total) // (2 * total)
    else:
        scaled = raw * 1000 / total + Fraction(1, 2)
        tenths = scaled.numerator // scaled.denominator
    return Decimal(tenths).scaleb(-1)


def _missing_key(version_id: int) -> RuleBroken:
    return RuleBroken("grading.no_key", {"version": version_id}, "No answer key for question version {version}.")


def grade(items: Sequence[PaperItem], choices: Sequence[Choices], key: AnswerKey,
          policy: MultiplePolicy = MultiplePolicy.ALL_OR_NOTHING) -> Grade:
    """One paper graded (module docstring). `choices[i]` is the saved answer of item i, sorted stored indexes, ()
    when unanswered; a paper and its answers must be the same length."""
    if len(items) != len(choices):
        raise RuleBroken("grading.length_mismatch", {}, "The answers do not match the paper.")
    proportional = policy is MultiplePolicy.PROPORTIONAL
    earned: list[Points] = []
    append = earned.append
    whole = 0
    parts: list[Fraction] = []  # summed once at the end: int + Fraction on every item would cost 8× the time
    total = 0
    for item, given in zip(items, choices, strict=True):
        entry = key.get(item.version_id)
        if entry is None:
            raise _missing_key(item.version_id)
        points = item.points
        total += points
        if entry.voided or given == entry.correct:
            append(points)
            whole += points
        elif proportional and given and entry.kind is Kind.MULTIPLE and set(given) <= set(entry.correct):
            part = Fraction(points * len(given), len(entry.correct))
            append(part)
            parts.append(part)
        else:
            append(0)
    raw: Points = whole + sum(parts, Fraction(0)) if parts else whole
    return Grade(tuple(earned), raw, total, score_of(raw, total))


@dataclass(frozen=True, slots=True)
class ItemChange:
    """One item whose points a regrade changed: its position (0-based) and version, old and new points."""

    position: int
    version_id: int
    old: Points
    new: Points


@dataclass(frozen=True, slots=True)
class CandidateRegrade:
    candidate: Hashable
    old_score: Decimal
    new_score: Decimal
    items: tuple[ItemChange, ...]

    @property
    def changed(self) -> bool:
        return bool(self.items) or self.old_score != self.new_score

    @property
    def difference(self) -> Decimal:
        return self.new_score - self.old_score


@dataclass(frozen=True, slots=True)
class PaperToGrade:
    """One candidate's paper and saved answers, as the regrade reads them."""

    candidate: Hashable
    items: Sequence[PaperItem]
    choices: Sequence[Choices]


def corrected_key(key: AnswerKey, corrections: Mapping[int, KeyEntry]) -> dict[int, KeyEntry]:
    """The key after `corrections` (version id → its corrected entry); a correction must concern a version of the
    key and keep its type, and a non-void correction must be a sound key (module docstring)."""
    out = dict(key)
    for version_id, entry in corrections.items():
        old = key.get(version_id)
        if old is None:
            raise _missing_key(version_id)
        if old.kind is not entry.kind:
            raise RuleBroken("grading.kind_changed", {"version": version_id},
                             "A correction cannot change the type of question version {version}.")
        problem = check_key_entry(entry)
        if problem is not None:
            raise RuleBroken(problem, {"version": version_id}, "The corrected key of version {version} is not valid.")
        out[version_id] = entry
    return out


def regrade(papers: Iterable[PaperToGrade], key: AnswerKey, corrections: Mapping[int, KeyEntry],
            policy: MultiplePolicy = MultiplePolicy.ALL_OR_NOTHING) -> tuple[CandidateRegrade, ...]:
    """Every paper graded with `key` and with `key` corrected by `corrections`: per candidate the old and new
    score and every item whose points changed (module docstring). Only the items of corrected versions can change,
    so the comparison looks at those alone."""
    new_key = corrected_key(key, corrections)
    touched = frozenset(v for v, e in corrections.items() if e != key[v])
    out = []
    for paper in papers:
        old = grade(paper.items, paper.choices, key, policy)
        if not touched or not any(item.version_id in touched for item in paper.items):
            out.append(CandidateRegrade(paper.candidate, old.score, old.score, ()))
            continue
        new = grade(paper.items, paper.choices, new_key, policy)
        changes = tuple(
            ItemChange(i, item.version_id, old.earned[i], new.earned[i])
            for i, item in enumerate(paper.items)
            if item.version_id in touched and old.earned[i] != new.earned[i])
        out.append(CandidateRegrade(paper.candidate, old.score, new.score, changes))
    return tuple(out)
