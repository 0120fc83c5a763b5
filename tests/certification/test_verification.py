"""Verifying certificates online (issue 13 item 5): the page `/verify/…`, the API, the bulk API, the rate limits,
the published keys and the signed status list; a revoked certificate checked offline with the downloaded list."""

from __future__ import annotations

import json
from itertools import count

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Organization, User
from certification import keys, verify
from certification.domain.certificates import ReissueKind
from certification.models import Certificate
from certification.selectors.certificates import certificate_verification_url
from certification.services import certificates as services
from tests.certification.certificate_steps import file_codes, published_batch

pytestmark = pytest.mark.usefixtures("certificate_keys")
_addresses = count(1)


@pytest.fixture
def issued(exam_staff: User, exam_center: Organization, enterprise_a: Organization, platform_admin: User,  # type: ignore[no-untyped-def]
           settings) -> list[Certificate]:
    file_codes(platform_admin, exam_center)
    sitting = published_batch(exam_staff, exam_center, enterprise_a, settings)
    done = services.certificate_issue_batch(actor=exam_staff, batch_id=sitting.batch.pk)
    return [Certificate.objects.get(number=c.number) for c in done.issued]


def _client() -> Client:
    """A client of its own address, so one test's rate limit never meets another's."""
    return Client(REMOTE_ADDR=f"10.1.{next(_addresses) // 250}.{next(_addresses) % 250}")


def _path(url: str) -> str:
    return url.removeprefix("https://jineng.example.cn")


def _verdict(response) -> dict[str, str]:  # type: ignore[no-untyped-def]
    html = response.content.decode()
    start = html.index('data-testid="verdict"')
    tag = html[html.rindex("<", 0, start):html.index(">", start)]
    status = tag.split('data-status="')[1].split('"')[0]
    reason = tag.split('data-reason="')[1].split('"')[0]
    return {"status": status, "reason": reason, "html": html}


def test_the_qr_url_of_a_certificate_opens_a_page_saying_it_is_valid(issued: list[Certificate]) -> None:
    response = _client().get(_path(certificate_verification_url(issued[0])))
    verdict = _verdict(response)
    assert response.status_code == 200 and verdict["status"] == "valid"
    assert issued[0].holder_name in verdict["html"] and issued[0].number in verdict["html"]
    assert "证书有效" in verdict["html"]
    assert "no-store" in response["Cache-Control"]


def test_a_changed_digit_is_reported_as_tampering_in_plain_words(issued: list[Certificate]) -> None:
    url = certificate_verification_url(issued[0])
    digit = url[-10]
    forged = url[:-10] + ("1" if digit != "1" else "2") + url[-9:]
    verdict = _verdict(_client().get(_path(forged)))
    assert verdict["status"] == "invalid"
    assert "此二维码已被篡改" in verdict["html"]
    assert issued[0].holder_name not in verdict["html"]


def test_a_revoked_certificate_shows_the_date_and_the_reason(issued: list[Certificate], exam_staff: User) -> None:
    services.certificate_revoke(actor=exam_staff, certificate_id=issued[0].pk, reason="考试作弊，经查实撤销")
    verdict = _verdict(_client().get(_path(certificate_verification_url(issued[0]))))
    assert verdict["status"] == "revoked" and "考试作弊，经查实撤销" in verdict["html"]
    assert 'data-testid="revoked"' in verdict["html"]


def test_a_reissued_certificate_links_its_successor(issued: list[Certificate], exam_staff: User) -> None:
    successor = services.certificate_reissue(actor=exam_staff, certificate_id=issued[0].pk, reason="证书遗失",
                                             kind=ReissueKind.LOST)
    verdict = _verdict(_client().get(_path(certificate_verification_url(issued[0]))))
    assert verdict["status"] == "superseded"
    assert _path(certificate_verification_url(successor)) in verdict["html"]
    assert _verdict(_client().get(_path(certificate_verification_url(successor))))["status"] == "valid"


def test_a_typed_number_is_looked_up_with_the_name_masked(issued: list[Certificate]) -> None:
    number = issued[0].number
    spaced = f" {number[:6]} {number[6:14]}-{number[14:]} "
    verdict = _verdict(_client().get(reverse("verify_form"), {"q": spaced}))
    name = issued[0].holder_name
    assert verdict["status"] == "valid"
    assert name not in verdict["html"] and name[0] + "*" in verdict["html"]


def test_a_well_formed_number_never_issued_is_invalid(issued: list[Certificate]) -> None:
    never = issued[0].number[:-6] + "999999"
    verdict = _verdict(_client().get(f"/verify/{never}"))
    assert (verdict["status"], verdict["reason"]) == ("invalid", "number.unknown")
    bad = _verdict(_client().get("/verify/S00003700012326"))
    assert (bad["status"], bad["reason"]) == ("invalid", "number.bad_format")


def test_an_english_reader_reads_english(issued: list[Certificate]) -> None:
    response = _client().get(_path(certificate_verification_url(issued[0])), HTTP_ACCEPT_LANGUAGE="en")
    assert "Certificate valid" in response.content.decode()
    level = response.content.decode().split("<dt>Level</dt><dd>", 1)[1].split("</dd>", 1)[0]
    assert level.startswith("Level ") and "级" not in level  # 五级/初级工 → "Level 5 / junior worker"


def test_the_api_answers_one_verification_in_one_query(  # type: ignore[no-untyped-def]
    issued: list[Certificate], django_assert_max_num_queries
) -> None:
    client = _client()
    url = certificate_verification_url(issued[0])
    with django_assert_max_num_queries(1):
        body = client.get("/api/v1/certification/verify", {"payload": url}).json()
    assert body["status"] == "valid" and body["facts"]["number"] == issued[0].number
    by_number = client.get("/api/v1/certification/verify", {"number": issued[1].number}).json()
    assert by_number["status"] == "valid" and by_number["facts"]["holder_name"] != issued[1].holder_name


def test_single_verifications_are_rate_limited_per_address(issued: list[Certificate], settings) -> None:  # type: ignore[no-untyped-def]
    settings.CERTIFICATE_VERIFY_PER_MINUTE = 2
    client = _client()
    assert client.get("/api/v1/certification/verify", {"number": issued[0].number}).status_code == 200
    assert client.get(f"/verify/{issued[0].number}").status_code == 200
    refused = client.get("/api/v1/certification/verify", {"number": issued[0].number})
    assert refused.status_code == 429 and "2" in refused.json()["message"]
    assert client.get(f"/verify/{issued[0].number}").status_code == 429
    assert _client().get(f"/verify/{issued[0].number}").status_code == 200  # another address


def test_an_employer_checks_a_thousand_in_one_request_and_one_query(  # type: ignore[no-untyped-def]
    issued: list[Certificate], hr_of_b: User, client_of, django_assert_max_num_queries
) -> None:
    items = [issued[0].number, certificate_verification_url(issued[1]), issued[0].number[:-6] + "999999", "junk"]
    items += [issued[0].number] * (1000 - len(items))
    client = client_of(hr_of_b)
    with django_assert_max_num_queries(4):  # the session, the user, their grants; then one for the certificates
        response = client.post("/api/v1/certification/verify/bulk", {"items": items}, content_type="application/json")
    body = response.json()
    assert response.status_code == 200 and body["count"] == 1000
    assert [r["status"] for r in body["results"][:4]] == ["valid", "valid", "invalid", "invalid"]
    assert [r["reason"] for r in body["results"][2:4]] == ["number.unknown", "payload.not_digits"]


def test_a_bulk_request_over_the_limit_is_refused_naming_it(hr_of_b: User, client_of) -> None:  # type: ignore[no-untyped-def]
    response = client_of(hr_of_b).post("/api/v1/certification/verify/bulk", {"items": ["S"] * 1001},
                                       content_type="application/json")
    assert response.status_code == 422
    assert response.json()["code"] == "certificate.verify_bulk_too_many" and "1000" in response.json()["message"]


def test_bulk_is_for_employers_and_the_talent_pool_only(outsider: User, client_of) -> None:  # type: ignore[no-untyped-def]
    anonymous = _client().post("/api/v1/certification/verify/bulk", {"items": []}, content_type="application/json")
    assert anonymous.status_code == 401
    refused = client_of(outsider).post("/api/v1/certification/verify/bulk", {"items": []},
                                       content_type="application/json")
    assert refused.status_code == 403


def test_the_keys_are_published_for_anyone_to_cache(issued: list[Certificate]) -> None:
    response = _client().get("/.well-known/certificate-keys.json")
    document = response.json()
    assert response.status_code == 200 and "public" in response["Cache-Control"]
    [key] = document["keys"]
    assert key["kid"] == issued[0].key_id and key["alg"] == "Ed25519"
    assert key["public_key_multibase"].startswith("z6Mk") and key["valid_until"] is None
    assert document["verify_prefix"] == "https://jineng.example.cn/verify/"


def test_a_revoked_certificate_is_revoked_offline_with_the_downloaded_status_list(  # type: ignore[no-untyped-def]
    issued: list[Certificate], exam_staff: User
) -> None:
    client = _client()
    key_set = verify.load_keys(client.get("/.well-known/certificate-keys.json").json())
    url = certificate_verification_url(issued[0])
    status_url = f"/certification/status/{issued[0].status_list_no}.json"
    before = verify.load_status_list(client.get(status_url).json(), key_set)
    assert verify.verify_payload(url, key_set, [before]).status == "valid"

    services.certificate_revoke(actor=exam_staff, certificate_id=issued[0].pk, reason="证书信息造假")
    response = client.get(status_url)
    assert response["Content-Type"] == "application/vc+ld+json" and "public" in response["Cache-Control"]
    after = verify.load_status_list(json.loads(response.content), key_set)
    verdict = verify.verify_payload(url, key_set, [after])
    assert (verdict.status, verdict.reason) == ("revoked", "status.revoked")
    assert verify.verify_payload(certificate_verification_url(issued[1]), key_set, [after]).status == "valid"


def test_the_status_list_answers_304_to_its_etag_until_a_revocation(  # type: ignore[no-untyped-def]
    issued: list[Certificate], exam_staff: User
) -> None:
    client = _client()
    status_url = f"/certification/status/{issued[0].status_list_no}.json"
    first = client.get(status_url)
    assert client.get(status_url).content == first.content  # deterministic for one state
    assert client.get(status_url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    services.certificate_revoke(actor=exam_staff, certificate_id=issued[0].pk, reason="撤销")
    changed = client.get(status_url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    assert client.get("/certification/status/999.json").status_code == 404


def test_rotation_keeps_old_certificates_valid_and_signs_new_ones_with_the_new_key(  # type: ignore[no-untyped-def]
    issued: list[Certificate], exam_staff: User
) -> None:
    old_key = issued[1].key_id
    keys.key_rotate()
    new = services.certificate_reissue(actor=exam_staff, certificate_id=issued[0].pk, reason="信息变更",
                                       kind=ReissueKind.CHANGED)
    assert new.key_id != old_key
    client = _client()
    key_set = verify.load_keys(client.get("/.well-known/certificate-keys.json").json())
    assert [k.kid for k in key_set.keys.values()] == [new.key_id, old_key]
    for row in (issued[1], new):
        assert _verdict(client.get(_path(certificate_verification_url(row))))["status"] == "valid"
        assert verify.verify_payload(certificate_verification_url(row), key_set).valid
