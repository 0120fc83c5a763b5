"""Reads of the question bank and its papers (issue 12 items 5–6), shared by pages, API and exports.

Who reads what (certification.permissions): the bank list and its counts by area × type × difficulty, and the
blueprint, carry no question text (`BANK_VIEW`); a question, its versions, the export and a sample paper carry
text and answers and are read only under `BANK_MANAGE`, asked by the caller through certification.access.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.core.paginator import Paginator
from django.db.models import Count, Q

from certification import access
from certification.domain import papers
from certification.domain.questions import QuestionContent, answer_letters
from certification.models import Blueprint, OccupationLevel, Paper, Question, QuestionKind, QuestionVersion
from certification.selectors.catalogue import level_label

PAGE_SIZE = 50
KIND_LABELS = dict(QuestionKind.choices)
DEFAULT_DEPTH = 2


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


def bank_versions(occupation_id: int, level: int, as_of: datetime | None = None) -> list[papers.BankQuestion]:
    """The bank as assembly sees it: the current version of every question not retired; with `as_of`, the bank as
    it stood then (the latest version written by then, of each question created and not yet retired by then)."""
    rows = QuestionVersion.objects.filter(question__occupation_id=occupation_id, question__level=level)
    if as_of is None:
        rows = rows.filter(is_current=True, question__retired_at__isnull=True)
    else:
        rows = rows.filter(Q(question__retired_at__isnull=True) | Q(question__retired_at__gt=as_of),
                           created_at__lte=as_of)
    latest: dict[int, papers.BankQuestion] = {}
    for pk, qid, kind, code, importance, difficulty, options in rows.order_by("question_id", "version").values_list(
            "pk", "question_id", "kind", "point_code", "importance", "difficulty", "options"):
        latest[qid] = papers.BankQuestion(pk, qid, papers.Kind(kind), code, papers.Importance(importance),
                                          difficulty, len(options))
    return list(latest.values())


def bank_digest(versions: list[papers.BankQuestion]) -> str:
    return hashlib.sha256(",".join(str(v) for v in sorted(q.id for q in versions)).encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class BankView:
    occupation_id: int
    occupation_code: str
    occupation_name: str
    level: int
    level_label: str
    questions: int
    has_blueprint: bool


def banks_all() -> list[BankView]:
    """Every bank (one per occupation and certified level) with its count of questions in use: three queries."""
    counts = {(o, lv): n for o, lv, n in Question.objects.filter(retired_at__isnull=True).values_list(
        "occupation_id", "level").annotate(n=Count("pk")).values_list("occupation_id", "level", "n")}
    blueprints = set(Blueprint.objects.values_list("occupation_id", "level"))
    return [BankView(ol.occupation_id, ol.occupation.code, ol.occupation.name, ol.level, level_label(ol.level),
                     counts.get((ol.occupation_id, ol.level), 0), (ol.occupation_id, ol.level) in blueprints)
            for ol in OccupationLevel.objects.select_related("occupation").order_by("occupation__code", "-level")]


@dataclass(frozen=True, slots=True)
class CountRow:
    area: str
    kind: str
    kind_label: str
    by_difficulty: list[int]  # difficulty 1..5
    total: int
    x: int
    y: int
    z: int


@dataclass(frozen=True, slots=True)
class BankCounts:
    """A bank's questions in use counted by knowledge area × type × difficulty (and by importance)."""

    occupation_id: int
    occupation_code: str
    occupation_name: str
    level: int
    level_label: str
    depth: int
    total: int
    retired: int
    rows: list[CountRow]


def _blueprint_row(ref: access.BankRef) -> Blueprint | None:
    return Blueprint.objects.filter(occupation=ref.occupation, level=ref.level).first()


def bank_counts(ref: access.BankRef) -> BankCounts:
    """Counts at the blueprint's area depth (2 when the bank has none yet): three queries."""
    blueprint = _blueprint_row(ref)
    depth = blueprint.depth if blueprint is not None else DEFAULT_DEPTH
    cells: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0] * 8)  # d1..d5, X, Y, Z
    versions = bank_versions(ref.occupation.pk, ref.level)
    for q in versions:
        row = cells[(papers.area_of(q.point_code, depth), q.kind.value)]
        row[q.difficulty - 1] += 1
        row[5 + "XYZ".index(q.importance.value)] += 1
    order = {k.value: n for n, k in enumerate(papers.KIND_ORDER)}
    rows = [CountRow(area, kind, kind_label(kind), c[:5], sum(c[:5]), c[5], c[6], c[7])
            for (area, kind), c in sorted(cells.items(), key=lambda i: (i[0][0], order[i[0][1]]))]
    retired = Question.objects.filter(occupation=ref.occupation, level=ref.level, retired_at__isnull=False).count()
    return BankCounts(ref.occupation.pk, ref.occupation.code, ref.occupation.name, ref.level, level_label(ref.level),
                      depth, len(versions), retired, rows)


@dataclass(frozen=True, slots=True)
class QuestionRow:
    id: int
    version: int
    kind: str
    kind_label: str
    point_code: str
    importance: str
    difficulty: int
    stem: str
    retired: bool


@dataclass(frozen=True, slots=True)
class QuestionFilter:
    query: str = ""
    kind: str = ""
    importance: str = ""
    difficulty: int | None = None
    area: str = ""
    retired: bool = False


@dataclass(frozen=True, slots=True)
class QuestionPage:
    filter: QuestionFilter
    total: int
    number: int
    pages: int
    rows: list[QuestionRow]


def question_page(ref: access.BankRef, found: QuestionFilter, page: int | str = 1) -> QuestionPage:
    """One page of a bank's questions (current versions), searched in the stem or by 鉴定点 code prefix and
    filtered by type, importance, difficulty, area prefix, and in use or retired: two queries."""
    rows = QuestionVersion.objects.filter(question__occupation=ref.occupation, question__level=ref.level,
                                          is_current=True, question__retired_at__isnull=not found.retired)
    if found.query:
        rows = rows.filter(Q(stem__icontains=found.query) | Q(point_code__startswith=found.query.upper()))
    if found.kind:
        rows = rows.filter(kind=found.kind)
    if found.importance:
        rows = rows.filter(importance=found.importance)
    if found.difficulty:
        rows = rows.filter(difficulty=found.difficulty)
    if found.area:
        rows = rows.filter(point_code__startswith=found.area.upper())
    paginator = Paginator(rows.select_related("question").order_by("point_code", "question_id"), PAGE_SIZE)
    current = paginator.get_page(page)
    return QuestionPage(found, paginator.count, current.number, paginator.num_pages, [
        QuestionRow(v.question_id, v.version, v.kind, kind_label(v.kind), v.point_code, v.importance, v.difficulty,
                    v.stem if len(v.stem) <= 80 else v.stem[:80] + "…", v.question.retired_at is not None)
        for v in current.object_list])


@dataclass(frozen=True, slots=True)
class OptionView:
    letter: str
    text: str
    correct: bool


@dataclass(frozen=True, slots=True)
class VersionView:
    version: int
    is_current: bool
    kind: str
    kind_label: str
    point_code: str
    importance: str
    difficulty: int
    stem: str
    options: list[OptionView]
    answer: str
    explanation: str
    created_by: str
    created_at: datetime
    reason: str


@dataclass(frozen=True, slots=True)
class QuestionDetail:
    id: int
    occupation_id: int
    occupation_name: str
    level: int
    level_label: str
    retired_at: datetime | None
    retired_reason: str
    current: VersionView
    versions: list[VersionView]  # newest first


def _options(kind: str, options: list[str], answer: list[int], order: list[int] | None = None) -> list[OptionView]:
    shown = order if order is not None else list(range(len(options)))
    return [OptionView("ABCDEF"[n] if kind != "truefalse" else "", options[i], i in answer)
            for n, i in enumerate(shown)]


def _version_view(v: QuestionVersion) -> VersionView:
    answer = [int(i) for i in v.answer]
    return VersionView(
        version=v.version, is_current=v.is_current, kind=v.kind, kind_label=kind_label(v.kind),
        point_code=v.point_code, importance=v.importance, difficulty=v.difficulty, stem=v.stem,
        options=_options(v.kind, list(v.options), answer),
        answer=v.options[answer[0]] if v.kind == "truefalse" and answer else answer_letters(tuple(answer)),
        explanation=v.explanation, created_by=v.created_by.get_full_name() or v.created_by.username
        if v.created_by is not None else "system", created_at=v.created_at, reason=v.reason)


def question_detail(question: Question) -> QuestionDetail:
    """A question with every version, newest first: two queries."""
    versions = [_version_view(v) for v in question.versions.select_related("created_by").order_by("-version")]
    current = next(v for v in versions if v.is_current)
    return QuestionDetail(question.pk, question.occupation_id, question.occupation.name, question.level,
                          level_label(question.level), question.retired_at, question.retired_reason, current,
                          versions)


def question_content(question: Question) -> QuestionContent:
    v = question.versions.get(is_current=True)
    return QuestionContent(kind=papers.Kind(v.kind), point_code=v.point_code,
                           importance=papers.Importance(v.importance), difficulty=v.difficulty, stem=v.stem,
                           options=tuple(v.options), answer=tuple(v.answer), explanation=v.explanation)


def bank_contents(ref: access.BankRef) -> list[QuestionContent]:
    """Every question in use of a bank, current versions, by 鉴定点 code (the exports): one query."""
    return [QuestionContent(kind=papers.Kind(v.kind), point_code=v.point_code,
                            importance=papers.Importance(v.importance), difficulty=v.difficulty, stem=v.stem,
                            options=tuple(v.options), answer=tuple(v.answer), explanation=v.explanation)
            for v in QuestionVersion.objects.filter(question__occupation=ref.occupation, question__level=ref.level,
                                                    is_current=True, question__retired_at__isnull=True)
            .order_by("point_code", "question_id")]


@dataclass(frozen=True, slots=True)
class CellView:
    area: str
    kind: str
    kind_label: str
    difficulty: int
    count: int


@dataclass(frozen=True, slots=True)
class BlueprintView:
    depth: int
    cells: list[CellView]
    points: dict[str, int]
    questions: int
    total_points: int


def blueprint_of(ref: access.BankRef) -> papers.Blueprint | None:
    row = _blueprint_row(ref)
    return None if row is None else papers.blueprint_from_data(
        {"depth": row.depth, "cells": row.cells, "points": row.points})


def blueprint_view(ref: access.BankRef) -> BlueprintView | None:
    blueprint = blueprint_of(ref)
    if blueprint is None:
        return None
    return BlueprintView(blueprint.depth, [CellView(c.area, c.kind.value, kind_label(c.kind.value), c.difficulty,
                                                    c.count) for c in sorted(blueprint.cells, key=lambda c: c.key)],
                         {k.value: v for k, v in blueprint.points.items()}, blueprint.size,
                         blueprint.total_points())


@dataclass(frozen=True, slots=True)
class ShortageView:
    area: str
    kind: str
    kind_label: str
    difficulty: int
    wanted: int
    available: int
    missing: int


@dataclass(frozen=True, slots=True)
class PaperItemView:
    position: int
    question_id: int
    version: int
    kind_label: str
    point_code: str
    importance: str
    difficulty: int
    stem: str
    options: list[OptionView]
    points: int


@dataclass(frozen=True, slots=True)
class TrialView:
    """A test assembly: the seed, and either every short cell or the sample paper (not stored) and its check."""

    seed: int
    shortages: list[ShortageView]
    items: list[PaperItemView]
    total_points: int
    problems: list[str]


def _shortage(s: papers.Shortage) -> ShortageView:
    return ShortageView(s.area, s.kind.value, kind_label(s.kind.value), s.difficulty, s.wanted, s.available,
                        s.missing)


def _items(drawn: papers.Paper) -> list[PaperItemView]:
    versions = QuestionVersion.objects.in_bulk([item.version_id for item in drawn.items])
    out = []
    for n, item in enumerate(drawn.items, start=1):
        v = versions[item.version_id]
        out.append(PaperItemView(n, v.question_id, v.version, kind_label(v.kind), v.point_code, v.importance,
                                 v.difficulty, v.stem, _options(v.kind, list(v.options), [int(i) for i in v.answer],
                                                                list(item.option_order)), item.points))
    return out


def trial_assembly(ref: access.BankRef, blueprint: papers.Blueprint, seed: int) -> TrialView:
    """Assemble a sample paper without storing it: the short cells, or the paper with its own check (rebuilt from
    the seed and compared): three queries."""
    bank = bank_versions(ref.occupation.pk, ref.level)
    try:
        drawn = papers.assemble(bank, blueprint, seed)
    except papers.BlueprintShort as exc:
        return TrialView(seed, [_shortage(s) for s in exc.shortages], [], 0, [])
    return TrialView(seed, [], _items(drawn), drawn.total_points, papers.check(drawn, bank, blueprint))


@dataclass(frozen=True, slots=True)
class PaperView:
    id: int
    seed: int
    bank_as_of: datetime
    bank_digest: str
    excluded: list[int]
    items: list[PaperItemView]
    total_points: int
    problems: list[str]


def stored_paper(paper: Paper) -> papers.Paper:
    return papers.Paper(seed=paper.seed, excluded=frozenset(paper.excluded), items=tuple(
        papers.PaperItem(i.version_id, i.version.question_id, papers.Kind(i.version.kind), tuple(i.option_order),
                         i.points) for i in paper.items.select_related("version").order_by("position")))


def paper_check(paper: Paper) -> list[str]:
    """Rebuild a stored paper from the bank as it stood, its blueprint, seed and exclusions, and say everything that
    differs (empty: the paper is what its seed makes)."""
    bank = bank_versions(paper.occupation_id, paper.level, as_of=paper.bank_as_of)
    problems = [] if bank_digest(bank) == paper.bank_digest else ["the bank as of the paper's time differs"]
    return problems + papers.check(stored_paper(paper), bank, papers.blueprint_from_data(paper.blueprint))


def paper_view(paper: Paper) -> PaperView:
    drawn = stored_paper(paper)
    return PaperView(paper.pk, paper.seed, paper.bank_as_of, paper.bank_digest, list(paper.excluded), _items(drawn),
                     drawn.total_points, paper_check(paper))


def questions_seen(candidate_id: int, occupation_id: int, level: int) -> list[int]:
    """The questions (ids) of every earlier paper of this candidate in this bank: what a new paper avoids."""
    from certification.models import PaperItem

    return sorted(set(PaperItem.objects.filter(paper__candidate_id=candidate_id, paper__occupation_id=occupation_id,
                                               paper__level=level).values_list("version__question_id", flat=True)))
