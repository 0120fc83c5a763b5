"""Writes of the question bank and its papers (issue 12 items 5–6). Every write asks `Action.BANK_MANAGE`
(certification.permissions: the provincial bank is kept by the platform admin acting for the guidance center) and
is audited through audit.services.audit_record.

- **Versions**: `question_revise` adds a version (the old one stays, and stays in every paper that used it) and
  moves the current mark; the audit entry holds the old and new content, who and why (a reason is required). A
  revision that changes nothing is refused, so the history holds only real changes.
- **Retire, never delete**: `question_retire` marks the question with a reason; it is no longer drawn into papers
  and no longer counted, its versions stay. A retired question is not revised.
- **Import** (Excel or Moodle XML, parsed before the transaction): all or nothing; a question identical (type,
  stem, options, answer) to a current question of the same bank is skipped, so importing the same file twice adds
  nothing. One audit entry per import names the counts and the format; each created question gets its own entry.
- **Blueprint**: one per bank, replaced whole (`blueprint_set`), audited old → new; its table is checked by the
  pure `check_blueprint` (a blueprint the bank cannot meet yet is still stored: the test-assembly page names the
  short cells).
- **Paper**: `paper_assemble` draws from the current versions of the bank's questions that are not retired with a
  seed (a fresh random 63-bit one when none is given), saves the seed, the blueprint as it was, the excluded
  question ids and every item (version, position, option order, points), audited.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.actors import Actor
from accounts.models import User
from audit.services import audit_record
from certification import access
from certification.domain import papers
from certification.domain.questions import QuestionContent, check_question
from certification.models import Blueprint, Paper, PaperItem, Question, QuestionVersion
from certification.selectors.bank import bank_digest, bank_versions, questions_seen
from core.errors import Conflict, FieldError, RuleBroken, ValidationFailed


@dataclass(frozen=True, slots=True)
class BankImportSummary:
    created: int
    skipped: int
    format: str


def _user(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) else None


def content_of(version: QuestionVersion) -> QuestionContent:
    return QuestionContent(kind=papers.Kind(version.kind), point_code=version.point_code,
                           importance=papers.Importance(version.importance), difficulty=version.difficulty,
                           stem=version.stem, options=tuple(version.options), answer=tuple(version.answer),
                           explanation=version.explanation)


def _snapshot(content: QuestionContent) -> dict[str, object]:
    return {"kind": content.kind.value, "point_code": content.point_code, "importance": content.importance.value,
            "difficulty": content.difficulty, "stem": content.stem, "options": list(content.options),
            "answer": list(content.answer), "explanation": content.explanation}


def _validate(content: QuestionContent) -> None:
    problems = check_question(content)
    if problems:
        raise ValidationFailed([FieldError(field, code) for field, code in problems])


def _new_version(question: Question, number: int, content: QuestionContent, actor: Actor,
                 reason: str = "") -> QuestionVersion:
    return QuestionVersion(
        question=question, version=number, is_current=True, kind=content.kind.value, point_code=content.point_code,
        importance=content.importance.value, difficulty=content.difficulty, stem=content.stem.strip(),
        options=list(content.options), answer=sorted(content.answer), explanation=content.explanation.strip(),
        created_by=_user(actor), created_at=timezone.now(), reason=reason)


def _create(actor: Actor, ref: access.BankRef, contents: Sequence[QuestionContent]) -> list[Question]:
    now = timezone.now()
    questions = Question.objects.bulk_create([Question(occupation=ref.occupation, level=ref.level, created_at=now)
                                              for _ in contents])
    QuestionVersion.objects.bulk_create([_new_version(q, 1, c, actor) for q, c in zip(questions, contents,
                                                                                     strict=True)])
    for question, content in zip(questions, contents, strict=True):
        audit_record(actor=actor, action="certification.question.created", target=question, new=_snapshot(content))
    return questions


@transaction.atomic(durable=True)
def question_create(*, actor: Actor, occupation_id: int, level: int, content: QuestionContent) -> Question:
    """Add one question to the bank of an occupation and level, as its version 1."""
    ref = access.access_bank(actor, occupation_id, level, manage=True)
    _validate(content)
    return _create(actor, ref, [content])[0]


@transaction.atomic(durable=True)
def questions_import(*, actor: Actor, occupation_id: int, level: int, contents: Sequence[QuestionContent],
                     source_format: str) -> BankImportSummary:
    """Add the questions of a parsed file (certification.excel.bank, certification.moodle) to a bank: all or
    nothing, identical questions skipped (module docstring)."""
    ref = access.access_bank(actor, occupation_id, level, manage=True)
    for content in contents:  # the parsers checked each question; a caller handing raw content is checked too
        _validate(content)
    held = {content_of(v).fingerprint() for v in QuestionVersion.objects.filter(
        question__occupation=ref.occupation, question__level=ref.level, question__retired_at__isnull=True,
        is_current=True)}
    fresh = []
    for content in contents:
        if content.fingerprint() not in held:
            held.add(content.fingerprint())
            fresh.append(content)
    _create(actor, ref, fresh)
    summary = BankImportSummary(created=len(fresh), skipped=len(contents) - len(fresh), format=source_format)
    if fresh:
        audit_record(actor=actor, action="certification.bank.imported",
                     target=("certification.bank", f"{ref.occupation.code}:{ref.level}"),
                     new={"created": summary.created, "skipped": summary.skipped, "format": source_format})
    return summary


@transaction.atomic(durable=True)
def question_revise(*, actor: Actor, question_id: int, content: QuestionContent, reason: str) -> QuestionVersion:
    """Edit a question: a new version with who, when and why; the old version stays (module docstring)."""
    question = access.access_question(actor, question_id, lock=True)
    if question.retired_at is not None:
        raise Conflict("question.retired")
    errors = [FieldError(field, code) for field, code in check_question(content)]
    if not reason.strip():
        errors.append(FieldError("reason", "question.reason_required"))
    if errors:
        raise ValidationFailed(errors)
    current = QuestionVersion.objects.get(question=question, is_current=True)
    before = content_of(current)
    if _snapshot(before) == _snapshot(content):
        raise Conflict("question.unchanged")
    # The question's row lock (access_question) orders two editors: the second sees the first's version.
    QuestionVersion.objects.filter(pk=current.pk).update(is_current=False)
    version = _new_version(question, current.version + 1, content, actor, reason.strip())
    version.save()
    old, new = _snapshot(before), _snapshot(content)
    changed = [k for k in new if old[k] != new[k]]
    audit_record(actor=actor, action="certification.question.revised", target=question,
                 old={"version": current.version, **{k: old[k] for k in changed}},
                 new={"version": version.version, **{k: new[k] for k in changed}}, reason=reason.strip())
    return version


@transaction.atomic(durable=True)
def question_retire(*, actor: Actor, question_id: int, reason: str) -> Question:
    """Retire a question (停用) with a reason: no longer drawn into papers; kept with all its versions."""
    question = access.access_question(actor, question_id, lock=True)
    if question.retired_at is not None:
        raise Conflict("question.retired")
    if not reason.strip():
        raise ValidationFailed([FieldError("reason", "question.reason_required")])
    question.retired_at, question.retired_reason = timezone.now(), reason.strip()
    question.save(update_fields=["retired_at", "retired_reason"])
    audit_record(actor=actor, action="certification.question.retired", target=question,
                 old={"retired_at": None}, new={"retired_at": question.retired_at}, reason=question.retired_reason)
    return question


@transaction.atomic(durable=True)
def blueprint_set(*, actor: Actor, occupation_id: int, level: int, blueprint: papers.Blueprint) -> Blueprint:
    """Store the bank's 鉴定要素细目表 (replacing the previous one whole), audited old → new."""
    ref = access.access_bank(actor, occupation_id, level, manage=True)
    problems = papers.check_blueprint(blueprint)
    if problems:
        raise ValidationFailed([FieldError("cells", code) for code in problems])
    data = papers.blueprint_to_data(blueprint)
    row = Blueprint.objects.select_for_update().filter(occupation=ref.occupation, level=ref.level).first()
    old = None if row is None else {"depth": row.depth, "cells": row.cells, "points": row.points}
    if old == data:
        return row  # type: ignore[return-value]  # old is None exactly when row is None
    if row is None:
        row = Blueprint(occupation=ref.occupation, level=ref.level)
    row.depth, row.cells, row.points, row.updated_at = blueprint.depth, data["cells"], data["points"], timezone.now()
    row.save()
    audit_record(actor=actor, action="certification.blueprint.set", target=row, old=old, new=data)
    return row


def new_seed() -> int:
    return secrets.randbits(63)


@transaction.atomic(durable=True)
def paper_assemble(*, actor: Actor, occupation_id: int, level: int, seed: int | None = None,
                   candidate_id: int | None = None, excluded: Iterable[int] | None = None) -> Paper:
    """Assemble and store a paper from the bank's blueprint (certification.domain.papers), audited; raises
    `BlueprintShort` naming every short cell when the bank cannot meet it. For a candidate, the questions of their
    earlier papers in this bank are avoided where the bank allows (unless `excluded` is given)."""
    ref = access.access_bank(actor, occupation_id, level, manage=True)
    return paper_store(actor, ref, seed=seed, candidate_id=candidate_id, excluded=excluded)


def paper_store(actor: Actor, ref: access.BankRef, *, seed: int | None = None, candidate_id: int | None = None,
                excluded: Iterable[int] | None = None) -> Paper:
    """The body of `paper_assemble` inside the caller's transaction, for a caller that has checked its own right
    (the theory exam assembles the candidate's paper when they start: certification.services.exam)."""
    row = Blueprint.objects.filter(occupation=ref.occupation, level=ref.level).first()
    if row is None:
        raise RuleBroken("blueprint.missing")
    blueprint = papers.blueprint_from_data({"depth": row.depth, "cells": row.cells, "points": row.points})
    seed = new_seed() if seed is None else seed
    if excluded is None:
        excluded = questions_seen(candidate_id, ref.occupation.pk, ref.level) if candidate_id is not None else ()
    avoid = sorted(set(excluded))
    as_of = timezone.now()  # taken before the bank is read: every version it reads was written by then
    bank = bank_versions(ref.occupation.pk, ref.level)
    drawn = papers.assemble(bank, blueprint, seed, avoid)
    paper = Paper.objects.create(occupation=ref.occupation, level=ref.level, seed=seed,
                                 blueprint=papers.blueprint_to_data(blueprint), excluded=avoid,
                                 candidate_id=candidate_id, bank_as_of=as_of, bank_digest=bank_digest(bank),
                                 created_by=_user(actor), created_at=timezone.now())
    PaperItem.objects.bulk_create([
        PaperItem(paper=paper, position=n, version_id=item.version_id, option_order=list(item.option_order),
                  points=item.points) for n, item in enumerate(drawn.items, start=1)])
    audit_record(actor=actor, action="certification.paper.assembled", target=paper,
                 new={"seed": seed, "questions": len(drawn.items), "points": drawn.total_points,
                      "excluded": len(avoid), "candidate": candidate_id})
    return paper
