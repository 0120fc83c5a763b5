"""The question bank's pages: counts for exam centers without question text, the question list (query budget),
a question's versions and edit, import refusals by question number, the blueprint editor and the test assembly
(short cells, or a sample paper that checks)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.actors import SYSTEM
from accounts.models import User
from certification import moodle, services
from certification.models import Blueprint, Question
from tests.certification.bank_steps import multiple, single, true_false
from tests.certification.factories import occupation

pytestmark = pytest.mark.django_db


def _bank(n: int = 12) -> int:
    welder = occupation()
    services.questions_import(actor=SYSTEM, occupation_id=welder.pk, level=4,
                              contents=[single(i) for i in range(n)] + [multiple(1), true_false(1)],
                              source_format="excel")
    return int(welder.pk)


def test_exam_center_staff_see_counts_but_not_questions(client_of, exam_staff: User,  # type: ignore[no-untyped-def]
                                                        outsider: User) -> None:
    welder = _bank()
    client = client_of(exam_staff)
    page = client.get(f"/certification/banks/{welder}/4/").content.decode()
    assert 'data-area="A-B" data-kind="single"' in page and "焊接安全题" not in page
    assert client.get(f"/certification/banks/{welder}/4/questions/").status_code == 403
    assert client.get(f"/certification/banks/{welder}/4/files/bank.xml").status_code == 403
    assert client.get(f"/certification/banks/{welder}/9/").status_code == 404
    assert client_of(outsider).get("/certification/banks/").status_code == 403


def test_the_question_list_searches_within_a_query_budget(client_of, platform_admin: User,  # type: ignore[no-untyped-def]
                                                          django_assert_max_num_queries) -> None:
    welder = _bank(40)
    client = client_of(platform_admin)
    client.get(f"/certification/banks/{welder}/4/questions/")
    with django_assert_max_num_queries(10):
        page = client.get(f"/certification/banks/{welder}/4/questions/")
    assert page.content.decode().count("data-question=") == 42
    found = client.get(f"/certification/banks/{welder}/4/questions/", {"kind": "truefalse"}).content.decode()
    assert found.count("data-question=") == 1


def test_an_edit_on_the_page_makes_a_new_version(client_of, platform_admin: User) -> None:  # type: ignore[no-untyped-def]
    _bank(1)
    question = Question.objects.order_by("pk").first()
    assert question is not None
    client = client_of(platform_admin)
    page = client.get(f"/certification/questions/{question.pk}/").content.decode()
    assert "csrfmiddlewaretoken" in page and 'data-version="1"' in page
    answer = client.post(f"/certification/questions/{question.pk}/", {
        "kind": "single", "point_code": "A-B-A-000", "importance": "Y", "difficulty": "2",
        "stem": "新的题干（ ）。", "options": "甲\n乙\n丙", "answer": "B", "explanation": "", "reason": "更正"})
    assert answer.status_code == 302
    page = client.get(f"/certification/questions/{question.pk}/").content.decode()
    assert 'data-version="2"' in page and 'data-version="1"' in page and "更正" in page
    refused = client.post(f"/certification/questions/{question.pk}/", {
        "kind": "single", "point_code": "bad", "importance": "Y", "difficulty": "2", "stem": "x",
        "options": "甲\n乙", "answer": "AB", "reason": "r"})
    assert refused.status_code == 422 and 'data-field="point_code"' in refused.content.decode()


def test_a_refused_moodle_file_names_the_question_and_saves_nothing(  # type: ignore[no-untyped-def]
        client_of, platform_admin: User) -> None:
    welder = occupation()
    data = moodle.write([single(1), single(2)], "焊工").replace(b"importance:X", b"importance:Q", 1)
    page = client_of(platform_admin).post(f"/certification/banks/{welder.pk}/4/files/import/",
                                          {"file": SimpleUploadedFile("bank.xml", data)})
    text = page.content.decode()
    assert page.status_code == 422 and "<td>1</td><td>importance</td>" in text
    assert not Question.objects.exists()


def test_the_blueprint_editor_and_the_test_assembly(client_of, platform_admin: User) -> None:  # type: ignore[no-untyped-def]
    welder = _bank(6)
    client = client_of(platform_admin)
    assert "csrfmiddlewaretoken" in client.get(f"/certification/banks/{welder}/4/blueprint/").content.decode()
    answer = client.post(f"/certification/banks/{welder}/4/blueprint/", {
        "depth": "2", "points_single": "1", "points_multiple": "2", "points_truefalse": "1",
        "area": ["A-B", "A-B", "Z-Z", ""], "kind": ["single", "multiple", "single", "single"],
        "difficulty": ["3", "2", "1", "3"], "count": ["4", "1", "2", ""]})
    assert answer.status_code == 302 and Blueprint.objects.get().cells[0]["area"] == "A-B"
    short = client.post(f"/certification/banks/{welder}/4/trial/").content.decode()
    assert 'data-short="Z-Z:single:1"' in short
    client.post(f"/certification/banks/{welder}/4/blueprint/", {
        "depth": "2", "points_single": "1", "points_multiple": "2", "area": ["A-B", "A-B"],
        "kind": ["single", "multiple"], "difficulty": ["3", "2"], "count": ["4", "1"]})
    sample = client.post(f"/certification/banks/{welder}/4/trial/", {"seed": "7"}).content.decode()
    assert sample.count("<li data-question=") == 5 and "校验通过" in sample
    again = client.post(f"/certification/banks/{welder}/4/trial/", {"seed": "7"}).content.decode()
    assert again[again.index('data-testid="sample-paper"'):] == sample[sample.index('data-testid="sample-paper"'):]


def test_the_exports_download(client_of, platform_admin: User) -> None:  # type: ignore[no-untyped-def]
    welder = _bank(2)
    client = client_of(platform_admin)
    xml = client.get(f"/certification/banks/{welder}/4/files/bank.xml")
    assert xml.status_code == 200 and len(moodle.parse(xml.content)) == 4
    assert client.get(f"/certification/banks/{welder}/4/files/template.xlsx").status_code == 200
    assert client.get(f"/certification/banks/{welder}/4/files/bank.xlsx").status_code == 200


def test_the_bank_pages_keep_their_query_budgets(client_of, platform_admin: User,  # type: ignore[no-untyped-def]
                                                 django_assert_max_num_queries) -> None:
    from certification import demo_bank

    welder = occupation().pk
    demo_bank.seed()
    client = client_of(platform_admin)
    client.get("/certification/banks/")
    with django_assert_max_num_queries(8):
        assert client.get("/certification/banks/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(f"/certification/banks/{welder}/4/").status_code == 200
    with django_assert_max_num_queries(12):
        page = client.post(f"/certification/banks/{welder}/4/trial/", {"seed": "3"})
    assert "校验通过" in page.content.decode()
