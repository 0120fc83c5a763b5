"""The question bank API: counts for exam centers, questions and versions for the bank's keeper, a Moodle import
refused by question number, the blueprint, the test assembly naming short cells, a stored paper and its check,
and a candidate's second paper avoiding the questions of the first."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.actors import SYSTEM
from accounts.models import User
from audit.models import AuditEntry
from certification import moodle, services
from tests.certification.bank_steps import multiple, single, true_false
from tests.certification.factories import occupation

pytestmark = pytest.mark.django_db
BASE = "/api/v1/certification"


def _bank(n: int = 8) -> int:
    welder = occupation()
    services.questions_import(actor=SYSTEM, occupation_id=welder.pk, level=4,
                              contents=[single(i) for i in range(n)] + [multiple(1), true_false(1)],
                              source_format="excel")
    return int(welder.pk)


BLUEPRINT = {"depth": 2, "points": {"single": 1, "multiple": 2, "truefalse": 1},
             "cells": [{"area": "A-B", "kind": "single", "difficulty": 3, "count": 4},
                       {"area": "A-B", "kind": "truefalse", "difficulty": 1, "count": 1}]}


def test_exam_centers_read_counts_and_the_keeper_reads_questions(client_of, exam_staff: User,  # type: ignore[no-untyped-def]
                                                                 platform_admin: User) -> None:
    welder = _bank()
    staff = client_of(exam_staff)
    counts = staff.get(f"{BASE}/banks/{welder}/4").json()
    assert counts["total"] == 10 and counts["rows"][0]["area"] == "A-B"
    assert staff.get(f"{BASE}/banks/{welder}/4/questions").status_code == 403
    admin = client_of(platform_admin)
    page = admin.get(f"{BASE}/banks/{welder}/4/questions", {"kind": "single"}).json()
    assert page["total"] == 8
    question_id = page["rows"][0]["id"]
    revised = admin.put(f"{BASE}/questions/{question_id}", {
        "kind": "single", "point_code": "A-B-A-001", "importance": "X", "difficulty": 3, "stem": "改过的题干（ ）。",
        "options": ["甲", "乙"], "answer": [1], "reason": "更正"}, content_type="application/json").json()
    assert [v["version"] for v in revised["versions"]] == [2, 1] and revised["current"]["answer"] == "B"
    retired = admin.post(f"{BASE}/questions/{question_id}/retire", {"reason": "过时"},
                         content_type="application/json")
    assert retired.status_code == 200 and retired.json()["retired_reason"] == "过时"


def test_a_moodle_import_is_refused_by_question_then_accepted(client_of, platform_admin: User) -> None:  # type: ignore[no-untyped-def]
    welder = occupation()
    client = client_of(platform_admin)
    data = moodle.write([single(1), true_false(2)], "焊工")
    bad = client.post(f"{BASE}/banks/{welder.pk}/4/import",
                      {"file": SimpleUploadedFile("b.xml", data.replace(b"point:A-B-C-002", b"point:"))})
    assert bad.status_code == 422 and bad.json()["rows"][0]["row"] == 2
    good = client.post(f"{BASE}/banks/{welder.pk}/4/import", {"file": SimpleUploadedFile("b.xml", data)})
    assert good.json() == {"created": 2, "skipped": 0, "format": "moodle"}
    exported = client.get(f"{BASE}/banks/{welder.pk}/4/export.xml")
    assert moodle.parse(exported.content) == [single(1), true_false(2)]


def test_blueprint_trial_and_papers(client_of, platform_admin: User, worker_of_a: User) -> None:  # type: ignore[no-untyped-def]
    welder = _bank()
    client = client_of(platform_admin)
    assert client.put(f"{BASE}/banks/{welder}/4/blueprint", BLUEPRINT,
                      content_type="application/json").json()["questions"] == 5
    too_many = {**BLUEPRINT, "cells": [{**BLUEPRINT["cells"][0], "count": 9}, {"area": "B-B", "kind": "multiple",
                                                                              "difficulty": 2, "count": 2}]}
    client.put(f"{BASE}/banks/{welder}/4/blueprint", too_many, content_type="application/json")
    short = client.post(f"{BASE}/banks/{welder}/4/trial", {}, content_type="application/json").json()
    assert [(s["area"], s["missing"]) for s in short["shortages"]] == [("A-B", 1), ("B-B", 2)]
    refused = client.post(f"{BASE}/banks/{welder}/4/papers", {}, content_type="application/json")
    assert refused.status_code == 422 and refused.json()["code"] == "paper.blueprint_short"
    client.put(f"{BASE}/banks/{welder}/4/blueprint", BLUEPRINT, content_type="application/json")
    first = client.post(f"{BASE}/banks/{welder}/4/papers", {"seed": 5, "candidate_id": worker_of_a.pk},
                        content_type="application/json").json()
    assert first["seed"] == 5 and len(first["items"]) == 5 and first["problems"] == []
    second = client.post(f"{BASE}/banks/{welder}/4/papers", {"candidate_id": worker_of_a.pk},
                         content_type="application/json").json()
    singles = lambda p: {i["question_id"] for i in p["items"] if i["kind_label"] == "单项选择题"}  # noqa: E731
    assert singles(first) & singles(second) == set()  # 8 singles: the second paper avoids the first's 4
    assert client.get(f"{BASE}/papers/{first['id']}").json()["problems"] == []
    assert AuditEntry.objects.filter(action="certification.paper.assembled").count() == 2
