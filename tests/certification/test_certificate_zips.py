"""A batch's certificate PDFs as a background zip (issue 13 item 3), with the database worker run here: the body's
staff start it on the page, it runs to 100 % and the zip holds one PDF per valid certificate, whose QR decodes to
the row's verification URL and verifies as valid; a certificate that fails is listed and the others are still
made; the API starts and follows it; who may not start or download it; one certificate's PDF for the holder and
the staff, and none for a revoked certificate."""

from __future__ import annotations

import io
import zipfile

import pypdfium2
import pytest
import zxingcpp
from django.core.management import call_command
from django.test import Client

from accounts.models import Organization, Role, User
from audit.models import AuditEntry
from certification.certificate_pdf import REPORT_NAME
from certification.models import Certificate
from certification.selectors.certificates import certificate_verification_url
from certification.selectors.verification import verification_of
from certification.services import certificates as services
from tests.accounts.factories import OrganizationFactory, person
from tests.certification.certificate_steps import file_codes, published_batch

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("certificate_keys", "evidence_store")]
UNCOVERED = "\U00030041"  # CJK Ext G: no installed font has it (tests/certification/test_certificate_pdf.py)


def run_worker() -> None:
    call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", verbosity=0)


@pytest.fixture
def issued(exam_staff: User, exam_center: Organization, enterprise_a: Organization, platform_admin: User,  # type: ignore[no-untyped-def]
           settings) -> list[Certificate]:
    file_codes(platform_admin, exam_center)
    sitting = published_batch(exam_staff, exam_center, enterprise_a, settings, n=4)
    done = services.certificate_issue_batch(actor=exam_staff, batch_id=sitting.batch.pk)
    return list(Certificate.objects.filter(pk__in=[c.pk for c in done.issued]).order_by("number"))


def _zip_of(client: Client, url: str) -> zipfile.ZipFile:
    answer = client.get(url)
    assert answer.status_code == 200 and answer["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(b"".join(answer.streaming_content)))  # type: ignore[attr-defined]


def _qr_of(pdf: bytes) -> str:
    [code] = zxingcpp.read_barcodes(pypdfium2.PdfDocument(pdf)[0].render(scale=3).to_pil())
    return str(code.text)


def test_the_body_staff_zip_the_batch_in_the_background_and_download_it(  # type: ignore[no-untyped-def]
        client_of, exam_staff: User, issued: list[Certificate]) -> None:
    batch_id = issued[0].registration.batch_id  # type: ignore[union-attr]
    client: Client = client_of(exam_staff)
    page = f"/certification/batches/{batch_id}/certificates/zip/"
    assert client.post(page).status_code == 302
    queued = AuditEntry.objects.get(action="certification.certificates.zip_queued")
    assert queued.actor_id == exam_staff.pk and queued.new["certificates"] == 3
    assert 'data-status="queued"' in client.get(page).content.decode()

    run_worker()

    state = client.get(f"/api/v1/certification/batches/{batch_id}/certificates-zip").json()
    assert state["status"] == "succeeded" and state["percent"] == 100 and state["done"] == state["total"] == 3
    assert state["made"] == 3 and state["failures"] == []
    html = client.get(page, headers={"HX-Request": "true"}).content.decode()
    assert 'data-testid="zip-download"' in html and "hx-get" not in html  # finished: the polling stops
    archive = _zip_of(client, state["download_url"])
    assert sorted(archive.namelist()) == sorted([f"{c.number}.pdf" for c in issued] + [REPORT_NAME])
    for row in issued:
        payload = _qr_of(archive.read(f"{row.number}.pdf"))
        assert payload == certificate_verification_url(row)
        assert verification_of(payload).status == "valid"
    assert "共 3 张：已生成 3 张，失败 0 张。" in archive.read(REPORT_NAME).decode("utf-8-sig")


def test_a_failing_certificate_is_listed_and_the_others_are_still_made(  # type: ignore[no-untyped-def]
        client_of, exam_staff: User, issued: list[Certificate]) -> None:
    batch_id = issued[0].registration.batch_id  # type: ignore[union-attr]
    bad = issued[1]
    Certificate.objects.filter(pk=bad.pk).update(holder_name=f"张{UNCOVERED}")  # fonts removed since issuance
    client: Client = client_of(exam_staff)
    started = client.post(f"/api/v1/certification/batches/{batch_id}/certificates-zip")
    assert started.status_code == 202
    run_worker()
    state = client.get(f"/api/v1/certification/batches/{batch_id}/certificates-zip/{started.json()['task_id']}")
    body = state.json()
    assert body["status"] == "succeeded" and body["made"] == 2
    [failure] = body["failures"]
    assert failure["number"] == bad.number and "U+30041" in failure["reason"]
    html = client.get(f"/certification/batches/{batch_id}/certificates/zip/").content.decode()
    assert 'data-testid="zip-failures"' in html and bad.number in html and "U+30041" in html
    archive = _zip_of(client, body["api_download_url"])
    assert f"{bad.number}.pdf" not in archive.namelist() and len(archive.namelist()) == 3
    assert f"{bad.number}\t失败\t" in archive.read(REPORT_NAME).decode("utf-8-sig")


def test_a_newer_zip_of_the_batch_replaces_the_older_one(  # type: ignore[no-untyped-def]
        client_of, exam_staff: User, issued: list[Certificate]) -> None:
    batch_id = issued[0].registration.batch_id  # type: ignore[union-attr]
    client: Client = client_of(exam_staff)
    first = client.post(f"/api/v1/certification/batches/{batch_id}/certificates-zip").json()["task_id"]
    run_worker()
    old = client.get(f"/api/v1/certification/batches/{batch_id}/certificates-zip/{first}").json()["api_download_url"]
    client.post(f"/api/v1/certification/batches/{batch_id}/certificates-zip")
    run_worker()
    assert client.get(old).status_code == 404


def test_who_may_not_zip_a_batch(client_of, organizer: User, exam_staff: User,  # type: ignore[no-untyped-def]
                                 issued: list[Certificate]) -> None:
    batch_id = issued[0].registration.batch_id  # type: ignore[union-attr]
    other_center = OrganizationFactory(name="丁考核站")
    stranger = person(Role.EXAM_CENTER_STAFF, other_center, username="other_staff")
    url = f"/api/v1/certification/batches/{batch_id}/certificates-zip"
    assert client_of(organizer).post(url).status_code == 403  # oversees, does not print the body's certificates
    assert client_of(stranger).post(url).status_code == 404  # another body's batch is not there
    assert client_of(stranger).get(f"/certification/batches/{batch_id}/certificates/zip/").status_code == 404
    task_id = client_of(exam_staff).post(url).json()["task_id"]
    run_worker()
    assert client_of(stranger).get(f"{url}/{task_id}/download").status_code == 404
    assert not AuditEntry.objects.filter(action="certification.certificates.zip_queued", actor_id=organizer.pk)


def test_the_holder_and_the_staff_download_one_certificate_and_a_revoked_one_has_no_pdf(  # type: ignore[no-untyped-def]
        client_of, exam_staff: User, issued: list[Certificate], hr_of_b: User) -> None:
    row = issued[0]
    for reader in (row.holder, exam_staff):
        answer = client_of(reader).get(f"/certification/certificates/{row.pk}/certificate.pdf")
        assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
        assert _qr_of(answer.content) == certificate_verification_url(row)
        text = pypdfium2.PdfDocument(answer.content)[0].get_textpage().get_text_range()
        assert row.holder_name in text and row.number in text
    api = client_of(row.holder).get(f"/api/v1/certification/certificates/{row.pk}/pdf")
    assert api.status_code == 200 and api.content[:5] == b"%PDF-"
    assert client_of(hr_of_b).get(f"/certification/certificates/{row.pk}/certificate.pdf").status_code == 404
    services.certificate_revoke(actor=exam_staff, certificate_id=row.pk, reason="冒名顶替")
    refused = client_of(exam_staff).get(f"/api/v1/certification/certificates/{row.pk}/pdf")
    assert refused.status_code == 409 and "已撤销" in refused.json()["message"]
