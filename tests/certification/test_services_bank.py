"""The question bank's writes: import (all or nothing, identical questions skipped, audited), versions (an edit is
a new version with who/when/why; the old one stays in the papers that used it), retirement, blueprints and paper
assembly (stored seed and versions, rebuilt and checked later, short cells named)."""

from __future__ import annotations

import dataclasses

import pytest

from accounts.actors import SYSTEM
from accounts.models import User
from audit.models import AuditEntry
from certification import services
from certification.domain.papers import Blueprint, BlueprintShort, Cell, Kind
from certification.models import Paper, Question, QuestionVersion
from certification.selectors import bank as selectors
from core.errors import Conflict, PermissionDenied, ValidationFailed
from tests.certification.bank_steps import multiple, single, true_false
from tests.certification.factories import occupation

pytestmark = pytest.mark.django_db

POINTS = {Kind.SINGLE: 1, Kind.MULTIPLE: 2, Kind.TRUE_FALSE: 1}


def _bank(n: int = 10) -> int:
    welder = occupation()
    services.questions_import(actor=SYSTEM, occupation_id=welder.pk, level=4,
                              contents=[single(i) for i in range(n)] + [multiple(100), true_false(200)],
                              source_format="excel")
    return int(welder.pk)


def test_an_import_adds_every_question_audited_and_a_second_import_adds_nothing() -> None:
    welder = _bank()
    assert Question.objects.filter(occupation_id=welder, level=4).count() == 12
    assert AuditEntry.objects.filter(action="certification.question.created").count() == 12
    entry = AuditEntry.objects.get(action="certification.bank.imported")
    assert entry.new == {"created": 12, "skipped": 0, "format": "excel"}
    again = services.questions_import(actor=SYSTEM, occupation_id=welder, level=4, contents=[single(1), single(50)],
                                      source_format="moodle")
    assert (again.created, again.skipped) == (1, 1)


def test_only_the_banks_keeper_imports(exam_staff: User, platform_admin: User) -> None:
    welder = occupation()
    with pytest.raises(PermissionDenied):
        services.questions_import(actor=exam_staff, occupation_id=welder.pk, level=4, contents=[single(1)],
                                  source_format="excel")
    services.questions_import(actor=platform_admin, occupation_id=welder.pk, level=4, contents=[single(1)],
                              source_format="excel")
    assert QuestionVersion.objects.get().created_by == platform_admin


def test_an_edit_is_a_new_version_with_who_and_why_and_the_old_one_stays(platform_admin: User) -> None:
    _bank(1)
    question = Question.objects.order_by("pk").first()
    assert question is not None
    changed = dataclasses.replace(single(0), stem="修改后的题干（ ）。", difficulty=4)
    version = services.question_revise(actor=platform_admin, question_id=question.pk, content=changed,
                                       reason="题干表述不清")
    assert version.version == 2 and version.is_current and version.created_by == platform_admin
    assert list(question.versions.order_by("version").values_list("version", "is_current")) == [(1, False), (2, True)]
    entry = AuditEntry.objects.get(action="certification.question.revised")
    assert entry.reason == "题干表述不清" and entry.old["version"] == 1 and entry.new["difficulty"] == 4
    assert set(entry.new) == {"version", "stem", "difficulty"}
    with pytest.raises(Conflict):
        services.question_revise(actor=platform_admin, question_id=question.pk, content=changed, reason="再存一次")
    with pytest.raises(ValidationFailed) as caught:
        services.question_revise(actor=platform_admin, question_id=question.pk,
                                 content=dataclasses.replace(changed, answer=(0, 1)), reason="")
    assert {e.field for e in caught.value.field_errors} == {"answer", "reason"}


def test_a_retired_question_is_kept_not_drawn_and_not_edited(platform_admin: User) -> None:
    _bank(3)
    question = Question.objects.order_by("pk").first()
    assert question is not None
    services.question_retire(actor=platform_admin, question_id=question.pk, reason="超出新标准")
    assert Question.objects.filter(pk=question.pk).exists()
    assert question.pk not in {q.question_id for q in selectors.bank_versions(question.occupation_id, 4)}
    with pytest.raises(Conflict):
        services.question_retire(actor=platform_admin, question_id=question.pk, reason="again")
    with pytest.raises(Conflict):
        services.question_revise(actor=platform_admin, question_id=question.pk, content=single(9), reason="x")
    assert AuditEntry.objects.get(action="certification.question.retired").reason == "超出新标准"


def test_a_paper_keeps_its_versions_and_is_rebuilt_and_checked_after_the_bank_changed(
        platform_admin: User) -> None:
    welder = _bank(10)
    services.blueprint_set(actor=platform_admin, occupation_id=welder, level=4, blueprint=Blueprint(
        (Cell("A-B", Kind.SINGLE, 3, 5), Cell("A-B", Kind.MULTIPLE, 2, 1), Cell("A-B", Kind.TRUE_FALSE, 1, 1)),
        POINTS))
    assert AuditEntry.objects.filter(action="certification.blueprint.set").count() == 1
    paper = services.paper_assemble(actor=platform_admin, occupation_id=welder, level=4, seed=42,
                                    candidate_id=platform_admin.pk)
    used = list(paper.items.order_by("position").values_list("version_id", flat=True))
    assert len(used) == 7 and len(set(used)) == 7 and paper.seed == 42
    assert selectors.paper_check(paper) == []
    # The bank changes afterwards: a used question is edited, another retired. The paper still names the old
    # versions and still rebuilds from the bank as it stood.
    first = QuestionVersion.objects.get(pk=used[0])
    services.question_revise(actor=platform_admin, question_id=first.question_id,
                             content=dataclasses.replace(services.bank.content_of(first), stem="新版本（ ）。"),
                             reason="更正")
    services.question_retire(actor=platform_admin, question_id=QuestionVersion.objects.get(pk=used[1]).question_id,
                             reason="停用")
    paper = Paper.objects.get(pk=paper.pk)
    assert list(paper.items.order_by("position").values_list("version_id", flat=True)) == used
    assert selectors.paper_check(paper) == []
    entry = AuditEntry.objects.get(action="certification.paper.assembled")
    assert entry.new["seed"] == 42 and entry.new["questions"] == 7


def test_a_paper_the_bank_cannot_meet_names_every_short_cell(platform_admin: User) -> None:
    welder = _bank(2)
    services.blueprint_set(actor=platform_admin, occupation_id=welder, level=4, blueprint=Blueprint(
        (Cell("A-B", Kind.SINGLE, 3, 5), Cell("C-D", Kind.MULTIPLE, 2, 1)), POINTS))
    with pytest.raises(BlueprintShort) as caught:
        services.paper_assemble(actor=platform_admin, occupation_id=welder, level=4)
    assert [(s.area, s.missing) for s in caught.value.shortages] == [("A-B", 3), ("C-D", 1)]
    assert not Paper.objects.exists()


def test_a_bad_blueprint_table_is_refused(platform_admin: User) -> None:
    welder = _bank(1)
    with pytest.raises(ValidationFailed) as caught:
        services.blueprint_set(actor=platform_admin, occupation_id=welder, level=4,
                               blueprint=Blueprint((Cell("A-B", Kind.SINGLE, 3, 1),), {}))
    assert [e.code for e in caught.value.field_errors] == ["blueprint.points_missing"]


def test_the_demo_bank_has_300_questions_and_a_blueprint_it_meets() -> None:
    from certification import demo_bank

    occupation()
    demo_bank.seed()
    demo_bank.seed()  # twice: nothing added
    welder = occupation()
    assert Question.objects.filter(occupation=welder, level=4).count() >= 300
    assert all(v.explanation for v in QuestionVersion.objects.all())
    paper = services.paper_assemble(actor=SYSTEM, occupation_id=welder.pk, level=4)
    assert selectors.paper_check(paper) == []
