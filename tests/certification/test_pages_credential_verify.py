"""Verifying an uploaded credential on a page (the API's credentials/verify on /certification/credentials/verify/,
linked from /verify/): a file or pasted text, the verdict plainly (valid; revoked with date and reason; superseded
with the successor; not ours with the reason), in the reader's language, CSRF-protected, escaped, rate-limited
with the single verifications."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.models import Organization, User
from certification.domain.certificates import ReissueKind
from certification.models import Certificate
from certification.selectors.credentials import certificate_credential
from certification.services import certificates as services
from tests.certification.certificate_steps import file_codes, published_batch

pytestmark = pytest.mark.usefixtures("certificate_keys")
PAGE = "/certification/credentials/verify/"


@pytest.fixture(autouse=True)
def _verifications_unthrottled(settings) -> None:  # type: ignore[no-untyped-def]
    settings.CERTIFICATE_VERIFY_PER_MINUTE = 1_000_000  # the cache is shared; the throttle test lowers it


@pytest.fixture
def issued(exam_staff: User, exam_center: Organization, enterprise_a: Organization, platform_admin: User,  # type: ignore[no-untyped-def]
           settings) -> list[Certificate]:
    file_codes(platform_admin, exam_center)
    sitting = published_batch(exam_staff, exam_center, enterprise_a, settings)
    return list(services.certificate_issue_batch(actor=exam_staff, batch_id=sitting.batch.pk).issued)


def _credential(row: Certificate) -> str:
    return json.dumps(certificate_credential(Certificate.objects.get(pk=row.pk)), ensure_ascii=False)


def _verdict(page: str) -> str:
    return page.split('data-testid="verdict"', 1)[1].split("</section>", 1)[0]


def test_the_verify_page_links_the_credential_form() -> None:
    assert PAGE == reverse("certification:credential_verify")
    assert PAGE in Client().get("/verify/").content.decode()
    form = Client().get(PAGE)
    assert form.status_code == 200 and 'data-testid="credential-form"' in form.content.decode()
    assert 'name="csrfmiddlewaretoken"' in form.content.decode()


def test_an_uploaded_credential_of_a_valid_certificate_verifies(issued: list[Certificate]) -> None:
    upload = SimpleUploadedFile("c.jsonld", _credential(issued[0]).encode(), content_type="application/ld+json")
    page = Client().post(PAGE, {"credential": upload}).content.decode()
    verdict = _verdict(page)
    assert 'data-valid="true"' in verdict and 'data-status="valid"' in verdict
    assert "凭证有效，证书有效" in verdict and issued[0].number in verdict


def test_a_pasted_credential_of_a_revoked_certificate_shows_the_date_and_reason(
        issued: list[Certificate], exam_staff: User) -> None:
    services.certificate_revoke(actor=exam_staff, certificate_id=issued[0].pk, reason="材料造假<b>")
    page = Client().post(PAGE, {"text": _credential(issued[0])}).content.decode()
    verdict = _verdict(page)
    assert 'data-status="revoked"' in verdict and 'data-testid="revoked"' in verdict
    assert "材料造假&lt;b&gt;" in verdict and "<b>" not in verdict  # the reason is escaped


def test_a_credential_of_a_reissued_certificate_names_its_successor(issued: list[Certificate],
                                                                    exam_staff: User) -> None:
    credential = _credential(issued[1])
    new = services.certificate_reissue(actor=exam_staff, certificate_id=issued[1].pk, reason="遗失",
                                       kind=ReissueKind.LOST)
    verdict = _verdict(Client().post(PAGE, {"text": credential}).content.decode())
    assert 'data-status="superseded"' in verdict and 'data-testid="successor"' in verdict
    assert f"/verify/?q={new.number}" in verdict


def test_a_credential_not_ours_is_refused_with_its_reason_in_the_readers_language(issued: list[Certificate]) -> None:
    doc = json.loads(_credential(issued[0]))
    doc["issuer"]["id"] = "https://badges.example/<script>"
    page = Client().post(PAGE, {"text": json.dumps(doc)}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    verdict = _verdict(page)
    assert 'data-valid="false"' in verdict and 'data-reason="credential.not_our_issuer"' in verdict
    assert "&lt;script&gt;" in verdict and "<script>" not in page.split("<main", 1)[-1]
    assert "Not a valid credential of the platform" in verdict
    tampered = json.loads(_credential(issued[0]))
    tampered["credentialSubject"]["name"] = "冒名"
    verdict = _verdict(Client().post(PAGE, {"text": json.dumps(tampered, ensure_ascii=False)}).content.decode())
    assert 'data-valid="false"' in verdict


def test_nothing_uploaded_is_asked_for(db: None) -> None:
    response = Client().post(PAGE, {"text": "  "})
    assert response.status_code == 422 and 'data-testid="missing"' in response.content.decode()


def test_the_form_needs_its_csrf_token(issued: list[Certificate]) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.post(PAGE, {"text": _credential(issued[0])}).status_code == 403
    client.get(PAGE)
    token = client.cookies["csrftoken"].value
    assert client.post(PAGE, {"text": _credential(issued[0]), "csrfmiddlewaretoken": token}).status_code == 200


def test_the_page_counts_with_the_single_verifications(issued: list[Certificate], settings) -> None:  # type: ignore[no-untyped-def]
    settings.CERTIFICATE_VERIFY_PER_MINUTE = 1
    client = Client(REMOTE_ADDR="203.0.113.77")
    assert client.get(f"/verify/{issued[0].number}").status_code == 200
    answer = client.post(PAGE, {"text": _credential(issued[0])})
    assert answer.status_code == 429 and 'data-testid="throttled"' in answer.content.decode()
