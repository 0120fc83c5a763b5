"""The certificates API: issue a batch, list, detail with history, revoke and re-issue with reasons, mine, the
Excel export (ID numbers whole only for readers who may see them, no live formula), the filing codes; other
bodies' staff and outsiders see nothing (404)."""

from __future__ import annotations

import io

import openpyxl
import pytest

from accounts.models import Organization, Role, User
from certification.domain.numbering import parse_number
from tests.accounts.factories import person
from tests.certification.certificate_steps import file_codes, published_batch

pytestmark = pytest.mark.usefixtures("certificate_keys")
BASE = "/api/v1/certification"


@pytest.fixture
def sitting(exam_staff: User, exam_center: Organization, enterprise_a: Organization, platform_admin: User,  # type: ignore[no-untyped-def]
            settings):
    file_codes(platform_admin, exam_center)
    return published_batch(exam_staff, exam_center, enterprise_a, settings)


def test_staff_issue_list_revoke_and_reissue(client_of, sitting, exam_staff: User) -> None:  # type: ignore[no-untyped-def]
    client = client_of(exam_staff)
    batch_id = sitting.batch.pk
    preview = client.get(f"{BASE}/batches/{batch_id}/certificate-candidates").json()
    assert (preview["passed"], preview["to_issue"], preview["results_published"]) == (2, 2, True)
    answer = client.post(f"{BASE}/batches/{batch_id}/certificates")
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert len(body["issued"]) == 2 and [r["code"] for r in body["refused"]] == ["certificate.not_passed"]
    first = body["issued"][0]
    parse_number(first["number"])
    assert first["status"] == "valid" and "*" in first["id_number"]
    assert first["verification_url"].startswith("https://jineng.example.cn/")
    listed = client.get(f"{BASE}/batches/{batch_id}/certificates").json()
    assert {c["number"] for c in listed} == {c["number"] for c in body["issued"]}
    refused = client.post(f"{BASE}/certificates/{first['id']}/revoke", {"reason": ""},
                          content_type="application/json")
    assert refused.status_code == 422
    revoked = client.post(f"{BASE}/certificates/{first['id']}/revoke", {"reason": "材料造假"},
                          content_type="application/json").json()
    assert revoked["certificate"]["status"] == "revoked"
    assert [e["kind"] for e in revoked["events"]] == ["issued", "revoked"]
    again = client.post(f"{BASE}/certificates/{first['id']}/revoke", {"reason": "再次"},
                        content_type="application/json")
    assert again.status_code == 409
    second = body["issued"][1]
    new = client.post(f"{BASE}/certificates/{second['id']}/reissue", {"kind": "lost", "reason": "证书遗失"},
                      content_type="application/json").json()
    assert new["certificate"]["supersedes_number"] == second["number"]
    assert new["certificate"]["reissue_kind_label"] == "补证（遗失）"
    old = client.get(f"{BASE}/certificates/{second['id']}").json()
    assert old["certificate"]["status"] == "superseded"
    assert old["certificate"]["superseded_by_number"] == new["certificate"]["number"]


def test_other_bodies_and_outsiders_see_nothing(client_of, sitting, exam_staff: User, outsider: User) -> None:  # type: ignore[no-untyped-def]
    issued = client_of(exam_staff).post(f"{BASE}/batches/{sitting.batch.pk}/certificates").json()["issued"]
    other_body = Organization.objects.create(name="另一考核站", kind="exam_center", city="青岛")
    for user in (person(Role.EXAM_CENTER_STAFF, other_body, username="other_staff"), outsider):
        client = client_of(user)
        assert client.get(f"{BASE}/batches/{sitting.batch.pk}/certificates").status_code == 404
        assert client.get(f"{BASE}/certificates/{issued[0]['id']}").status_code == 404
        assert client.post(f"{BASE}/certificates/{issued[0]['id']}/revoke", {"reason": "x"},
                           content_type="application/json").status_code == 404
        assert client.get(f"{BASE}/batches/{sitting.batch.pk}/certificates.xlsx").status_code == 404
        assert client.get(f"{BASE}/certificates/mine").json() == []


def test_the_holder_sees_their_own(client_of, sitting, exam_staff: User) -> None:  # type: ignore[no-untyped-def]
    issued = client_of(exam_staff).post(f"{BASE}/batches/{sitting.batch.pk}/certificates").json()["issued"]
    holder = sitting.registrations[0].candidate
    client = client_of(holder)
    mine = client.get(f"{BASE}/certificates/mine").json()
    assert [c["holder_id"] for c in mine] == [holder.pk]
    assert client.get(f"{BASE}/certificates/{mine[0]['id']}").status_code == 200
    assert client.post(f"{BASE}/certificates/{mine[0]['id']}/revoke", {"reason": "x"},
                       content_type="application/json").status_code == 403
    others = [c for c in issued if c["holder_id"] != holder.pk]
    assert client.get(f"{BASE}/certificates/{others[0]['id']}").status_code == 404


def _rows(data: bytes) -> list[tuple[object, ...]]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [tuple(r) for r in sheet.iter_rows(values_only=True)]


def test_the_export_has_the_national_lookups_columns(client_of, sitting, exam_staff: User,  # type: ignore[no-untyped-def]
                                                     organizer: User) -> None:
    User.objects.filter(pk=sitting.registrations[0].candidate_id).update(real_name="=HYPERLINK(\"x\")")
    issued = client_of(exam_staff).post(f"{BASE}/batches/{sitting.batch.pk}/certificates").json()["issued"]
    assert len(issued) == 2
    rows = _rows(client_of(exam_staff).get(f"{BASE}/batches/{sitting.batch.pk}/certificates.xlsx").content)
    assert rows[0] == ("姓名", "证件类型", "证件号码", "证书编号", "职业（工种）及代码", "等级", "发证日期", "评价机构",
                       "状态")
    by_name = {r[0]: r for r in rows[1:]}
    formula = by_name['=HYPERLINK("x")']
    assert formula[1] == "居民身份证" and formula[4] == "焊工（6-18-02-04）" and formula[5] == "四级/中级工"
    # the body's staff see the holder's number whole? only with the accounts rule: staff of a unit the holder
    # belongs to; the exam center is not the holder's unit, so it is masked
    candidate = User.objects.get(pk=sitting.registrations[0].candidate_id)
    assert formula[2] == candidate.id_number[:4] + "*" * 10 + candidate.id_number[-4:]
    book = openpyxl.load_workbook(io.BytesIO(
        client_of(exam_staff).get(f"{BASE}/batches/{sitting.batch.pk}/certificates.xlsx").content))
    assert book.active.cell(row=2, column=1).data_type == "s"  # a literal string, never a formula
    body_rows = _rows(client_of(organizer).get(f"{BASE}/bodies/{sitting.batch.body_id}/certificates.xlsx").content)
    assert len(body_rows) == 3


def test_the_export_shows_full_numbers_to_a_reader_who_may_see_them(client_of, sitting, exam_staff: User,  # type: ignore[no-untyped-def]
                                                                   hr_of_a: User, platform_admin: User) -> None:
    client_of(exam_staff).post(f"{BASE}/batches/{sitting.batch.pk}/certificates")
    rows = _rows(client_of(platform_admin).get(f"{BASE}/bodies/{sitting.batch.body_id}/certificates.xlsx").content)
    numbers = {User.objects.get(pk=r.candidate_id).id_number for r in sitting.registrations[:2]}
    assert {r[2] for r in rows[1:]} == numbers


def test_filing_codes_get_and_set(client_of, exam_center: Organization, exam_staff: User,  # type: ignore[no-untyped-def]
                                  platform_admin: User) -> None:
    url = f"{BASE}/bodies/{exam_center.pk}/filing"
    assert client_of(exam_staff).put(url, {"site_serial": "000321"},
                                     content_type="application/json").status_code == 403
    answer = client_of(platform_admin).put(url, {"site_serial": "00032"}, content_type="application/json")
    assert answer.status_code == 422 and "site_serial" in answer.json()["fields"]
    answer = client_of(platform_admin).put(url, {"site_serial": "000321"}, content_type="application/json")
    assert answer.status_code == 200 and answer.json()["site_serial"] == "000321"
    got = client_of(exam_staff).get(url).json()
    assert (got["filed"], got["agency_code"], got["province_code"], got["site_serial"]) == (True, "0000", "37",
                                                                                           "000321")


def test_a_typed_number_is_validated_and_found(client_of, sitting, exam_staff: User, outsider: User) -> None:  # type: ignore[no-untyped-def]
    issued = client_of(exam_staff).post(f"{BASE}/batches/{sitting.batch.pk}/certificates").json()["issued"]
    number = issued[0]["number"]
    typed = f" {number[:5]}-{number[5:7]}-{number[7:13]} {number[13:].lower()} "
    found = client_of(exam_staff).post(f"{BASE}/certificates/lookup", {"number": typed},
                                       content_type="application/json")
    assert found.status_code == 200 and found.json()["certificate"]["id"] == issued[0]["id"]
    bad = client_of(exam_staff).post(f"{BASE}/certificates/lookup", {"number": number[:-1] + "X"},
                                     content_type="application/json")
    assert bad.status_code == 422 and "流水号" in str(bad.json())
    assert client_of(outsider).post(f"{BASE}/certificates/lookup", {"number": number},
                                    content_type="application/json").status_code == 404
