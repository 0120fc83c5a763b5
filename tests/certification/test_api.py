"""The certification API: catalogue reads for anyone signed in, writes for the admin, levels by their readers,
the eligibility explanation with every path."""

from __future__ import annotations

from datetime import date

from django.test import Client

from accounts.models import User
from audit.models import AuditEntry
from certification.domain.ladder import SkillLevel
from tests.certification.factories import held, occupation

BASE = "/api/v1/certification"


def test_anyone_signed_in_reads_the_catalogue_and_nobody_else(client_of, worker_of_a: User,  # type: ignore[no-untyped-def]
                                                              client: Client) -> None:
    occupation()
    assert client.get(f"{BASE}/occupations").status_code == 401
    body = client_of(worker_of_a).get(f"{BASE}/occupations", {"q": "6-18"}).json()
    assert body["total"] == 1 and body["rows"][0]["minor_code"] == "6-18-02"
    assert [r["label"] for r in client_of(worker_of_a).get(f"{BASE}/ladder").json()][-1] == "首席技师"


def test_the_admin_creates_an_occupation_and_others_are_refused(client_of, platform_admin: User,  # type: ignore[no-untyped-def]
                                                                organizer: User) -> None:
    payload = {"code": "6-18-02-04", "name": "焊工", "levels": [5, 4, 3]}
    assert client_of(organizer).post(f"{BASE}/occupations", payload, content_type="application/json"
                                     ).status_code == 403
    answer = client_of(platform_admin).post(f"{BASE}/occupations", payload, content_type="application/json")
    assert answer.status_code == 201
    assert [r["level"] for r in answer.json()["rules"]] == [5, 4, 3]
    bad = client_of(platform_admin).post(f"{BASE}/occupations", {**payload, "code": "6-18"},
                                         content_type="application/json")
    assert bad.status_code == 422 and bad.json()["fields"].keys() == {"code"}


def test_a_bad_import_answers_every_cell(client_of, platform_admin: User) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    from certification.excel.sheets import CATALOGUE
    from core.excel import write_workbook

    data = write_workbook([(CATALOGUE, [{"code": "bad", "name": "焊工", "levels": "九级"}])])
    answer = client_of(platform_admin).post(f"{BASE}/catalogue/import", {"file": SimpleUploadedFile("c.xlsx", data)})
    assert answer.status_code == 422
    assert [(r["row"], r["column"]) for r in answer.json()["rows"]] == [(2, "职业编码"), (2, "可认定等级")]


def test_levels_are_read_by_the_person_and_their_units_staff_only(client_of, worker_of_a: User,  # type: ignore[no-untyped-def]
                                                                   hr_of_a: User, hr_of_b: User) -> None:
    held(worker_of_a.pk, occupation(), SkillLevel.THREE, date(2021, 1, 1))
    mine = client_of(worker_of_a).get(f"{BASE}/my/levels").json()
    assert [(x["level"], x["source_kind"]) for x in mine["levels"]] == [(3, "certificate")]
    assert client_of(hr_of_a).get(f"{BASE}/people/{worker_of_a.pk}/levels").status_code == 200
    assert client_of(hr_of_b).get(f"{BASE}/people/{worker_of_a.pk}/levels").status_code == 404


def test_organizer_records_a_level_by_api_and_it_is_audited(client_of, organizer: User,  # type: ignore[no-untyped-def]
                                                            worker_of_a: User) -> None:
    welder = occupation()
    answer = client_of(organizer).post(f"{BASE}/people/{worker_of_a.pk}/levels", {
        "occupation_id": welder.pk, "level": 4, "obtained_on": "2019-07-01", "evidence": "证书编号 123"},
        content_type="application/json")
    assert answer.status_code == 201 and answer.json()["level_label"] == "四级/中级工"
    assert AuditEntry.objects.filter(action="certification.level.recorded", actor_id=organizer.pk).exists()


def test_the_eligibility_explanation_names_every_path(client_of, exam_staff: User,  # type: ignore[no-untyped-def]
                                                      worker_of_a: User, organizer: User) -> None:
    welder = occupation()
    held(worker_of_a.pk, welder, SkillLevel.FIVE, date(2020, 1, 1))
    payload = {"person_id": worker_of_a.pk, "occupation_id": welder.pk, "level": 4, "years_in_trade": "3"}
    # exam-center staff may check, but not a person of another unit: invisible
    assert client_of(exam_staff).post(f"{BASE}/eligibility", payload, content_type="application/json"
                                      ).status_code == 404
    body = client_of(organizer).post(f"{BASE}/eligibility", payload, content_type="application/json").json()
    assert body["eligible"] is False and body["held"] == 5 and len(body["paths"]) == 3
    assert [c["met"] for c in body["paths"][0]["conditions"]] == [True, False]
    body = client_of(organizer).post(f"{BASE}/eligibility", {**payload, "years_in_trade": "4"},
                                     content_type="application/json").json()
    assert body["eligible"] is True and body["paths"][0]["met"] is True


def test_a_search_with_a_nul_character_is_refused_not_a_server_error(client_of, worker_of_a: User) -> None:  # type: ignore[no-untyped-def]
    """PostgreSQL refuses NUL in a query's text (found by the API fuzzing): the search answers 422 naming `q`."""
    occupation()
    answer = client_of(worker_of_a).get(f"{BASE}/occupations", {"q": "6-18\x00"})
    assert answer.status_code == 422
    assert "q" in answer.content.decode()
