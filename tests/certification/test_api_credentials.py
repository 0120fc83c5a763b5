"""A certificate's verifiable credential (issue 13 items 8 and 9): the holder and the issuing body's staff download
it (page link and API), anyone else gets 404; the issuer's controller document lists every key ever used; an
uploaded credential is verified (JSON body or file) with the certificate's current status, a credential signed
with a rotated key still verifies, and one that is not ours is refused with its reason."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organization, OrganizationKind, Role, User
from certification import credentials, keys
from certification.domain.certificate_facts import CertificateFacts
from certification.domain.ladder import SkillLevel
from certification.models import Certificate, CertificateSerial, CertificateStatus
from tests.accounts.factories import OrganizationFactory, person
from tests.certification.credential_steps import independent_verifier_missing, independent_verify
from tests.certification.factories import held, occupation

pytestmark = pytest.mark.django_db
VERIFY = "/api/v1/certification/credentials/verify"
BASE_URL = "https://jineng.example.cn"  # the certificate_keys fixture's PUBLIC_BASE_URL


def certificate_row(holder: User, body: Organization, *, serial: int = 1, status_index: int = 4242) -> Certificate:
    """A certificate row as certcore's issuance leaves it: the facts frozen, signed with the active key, a slot."""
    occ = occupation()
    promotion = held(holder.pk, occ, SkillLevel.FOUR, date(2026, 11, 1))
    number = f"S000037000123264{serial:06d}"
    counter, _ = CertificateSerial.objects.get_or_create(prefix=number[:13], year=2026, level=4)
    facts = CertificateFacts(
        number=number, holder_name=holder.get_full_name() or "王𠅤", id_number_masked="3701**********1234",
        occupation_code=occ.code, occupation_name=occ.name, level=SkillLevel.FOUR, title="",
        issuer_name=body.name, issued_on=date(2026, 11, 30), status_list_no=0, status_index=status_index,
    )
    signed = keys.sign_facts(facts)
    return Certificate.objects.create(
        number=number, serial_counter=counter, serial=serial, holder_name=facts.holder_name,
        id_number_masked=facts.id_number_masked, occupation_code=facts.occupation_code,
        occupation_name=facts.occupation_name, level=4, title="", issuer_name=facts.issuer_name,
        issued_on=facts.issued_on, holder=holder, occupation=occ, body=body, source="promotion",
        promotion=promotion, issued_at=timezone.now(), key_id=signed.kid, signature=signed.signature,
        status_list_no=0, status_index=status_index,
    )


@pytest.fixture(autouse=True)
def _verifications_unthrottled(settings) -> None:  # type: ignore[no-untyped-def]
    """The verify rate limit counts per client address in a cache other tests (and, on Redis, other workers)
    share; these tests verify many times from 127.0.0.1, so they raise it, except the one that tests it."""
    settings.CERTIFICATE_VERIFY_PER_MINUTE = 1_000_000


@pytest.fixture
def holder(db: None) -> User:
    return person(None, None, username="holder")


@pytest.fixture
def certificate(certificate_keys, holder: User, exam_center: Organization) -> Certificate:
    return certificate_row(holder, exam_center)


def _download(client: Client, certificate: Certificate) -> dict:
    response = client.get(reverse("certification:certificate_credential", args=[certificate.pk]))
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/ld+json")
    assert f"{certificate.number}.credential.jsonld" in response["Content-Disposition"]
    return json.loads(response.content)


def _verify(client: Client, doc: object) -> dict:
    response = client.post(VERIFY, data=json.dumps(doc, ensure_ascii=False), content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()


def test_the_holder_downloads_their_credential_and_it_verifies(client_of, holder, certificate) -> None:
    doc = _download(client_of(holder), certificate)
    assert doc["credentialSubject"]["licenseNumber"] == certificate.number
    assert doc["issuer"]["id"] == f"{BASE_URL}/certification/credentials/issuer"
    assert doc["credentialStatus"]["statusListCredential"] == f"{BASE_URL}/certification/status/0.json"
    assert doc["credentialStatus"]["statusListIndex"] == "4242"
    assert doc["proof"]["verificationMethod"] == f"{BASE_URL}/certification/credentials/issuer#{keys.active_key_id()}"
    assert certificate.id_number_masked not in json.dumps(doc, ensure_ascii=False)
    result = _verify(Client(), doc)  # anyone may verify: no sign-in
    assert result["valid"] is True, result
    assert result["reason"] == "credential.valid"
    assert result["certificate_number"] == certificate.number
    assert result["status"] == "valid"


def test_the_body_staff_download_it_through_the_api_and_an_outsider_gets_404(
        client_of, exam_staff, outsider, certificate) -> None:
    api = f"/api/v1/certification/certificates/{certificate.pk}/credential"
    response = client_of(exam_staff).get(api)
    assert response.status_code == 200
    assert response.json()["credentialSubject"]["licenseNumber"] == certificate.number
    outsider_client = client_of(outsider)
    assert outsider_client.get(api).status_code == 404
    page = reverse("certification:certificate_credential", args=[certificate.pk])
    assert outsider_client.get(page).status_code == 404


def test_staff_of_another_body_get_404(client_of, certificate) -> None:
    other = OrganizationFactory(name="另一评价机构", kind=OrganizationKind.EXAM_CENTER)
    staff = person(Role.EXAM_CENTER_STAFF, other, username="other_staff")
    response = client_of(staff).get(reverse("certification:certificate_credential", args=[certificate.pk]))
    assert response.status_code == 404


def test_the_download_needs_a_sign_in(certificate) -> None:
    response = Client().get(reverse("certification:certificate_credential", args=[certificate.pk]))
    assert response.status_code == 302


def test_a_revoked_certificate_verifies_with_its_status(client_of, holder, certificate) -> None:
    doc = _download(client_of(holder), certificate)
    revoked_at = timezone.now()
    Certificate.objects.filter(pk=certificate.pk).update(  # as certcore's revocation leaves the row
        status=CertificateStatus.REVOKED, revoked_at=revoked_at, revoked_reason="证书信息有误")
    result = _verify(Client(), doc)
    assert result["valid"] is True  # the proof is good ...
    assert result["status"] == "revoked"  # ... and the certificate is revoked
    assert result["status_label"] == "已撤销"
    assert result["revoked_reason"] == "证书信息有误"
    assert result["revoked_at"] is not None


def test_a_credential_signed_before_a_key_rotation_still_verifies(client_of, holder, certificate) -> None:
    before = _download(client_of(holder), certificate)
    old_kid = keys.active_key_id()
    keys.key_rotate()
    after = _download(client_of(holder), certificate)
    assert after["proof"]["verificationMethod"].endswith("#" + keys.active_key_id())
    assert before["proof"]["verificationMethod"].endswith("#" + old_kid)
    assert _verify(Client(), before)["valid"] is True
    assert _verify(Client(), after)["valid"] is True


def test_a_tampered_credential_is_invalid(client_of, holder, certificate) -> None:
    doc = _download(client_of(holder), certificate)
    doc["credentialSubject"]["achievement"]["name"] = "焊工职业技能等级证书（一级/高级技师）"
    result = _verify(Client(), doc)
    assert result["valid"] is False
    assert result["reason"] == "credential.bad_signature"
    assert result["status"] is None


def test_a_foreign_credential_is_refused_naming_the_reason(certificate_keys) -> None:
    foreign = {
        "@context": list(credentials.CREDENTIAL_CONTEXT),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "https://badges.example/issuer", "type": ["Profile"], "name": "Someone else"},
        "proof": {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022",
                  "verificationMethod": "https://badges.example/issuer#key-1", "proofPurpose": "assertionMethod",
                  "proofValue": "z" + "1" * 80},
    }
    result = _verify(Client(), foreign)
    assert result["valid"] is False
    assert result["reason"] == "credential.not_our_issuer"
    assert "https://badges.example/issuer" in result["message"]


def test_the_verdict_is_in_the_readers_language(certificate_keys) -> None:
    response = Client().post(VERIFY, data="[1, 2]", content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["message"] == "The upload is not a JSON object."


def test_a_credential_uploaded_as_a_file_verifies(client_of, holder, certificate) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    doc = _download(client_of(holder), certificate)
    upload = SimpleUploadedFile("c.jsonld", json.dumps(doc).encode(), content_type="application/ld+json")
    result = Client().post(VERIFY, data={"credential": upload}).json()
    assert result["valid"] is True
    assert result["status"] == "valid"


def test_an_oversized_upload_is_refused_before_parsing(certificate_keys) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    big = SimpleUploadedFile("c.jsonld", b"{" + b" " * credentials.MAX_CREDENTIAL_BYTES + b"}")
    result = Client().post(VERIFY, data={"credential": big}).json()
    assert result["reason"] == "credential.too_large"


def test_the_issuer_lists_every_key_ever_used_for_assertion(certificate_keys) -> None:
    first = keys.active_key_id()
    keys.key_rotate()
    response = Client().get(reverse("certification:credential_issuer"))
    assert response.status_code == 200
    doc = json.loads(response.content)
    issuer = f"{BASE_URL}/certification/credentials/issuer"
    assert doc["id"] == issuer
    methods = {m["id"]: m for m in doc["verificationMethod"]}
    assert set(methods) == {f"{issuer}#{k.kid}" for k in keys.public_keys()}
    assert f"{issuer}#{first}" in methods and len(methods) == 2
    assert doc["assertionMethod"] == [m["id"] for m in doc["verificationMethod"]]
    for key in keys.public_keys():
        assert methods[f"{issuer}#{key.kid}"]["publicKeyMultibase"] == key.public_key_multibase
        assert methods[f"{issuer}#{key.kid}"]["type"] == "Multikey"


def test_the_downloaded_credential_passes_the_independent_verifier_with_the_served_issuer(
        client_of, holder, certificate) -> None:
    missing = independent_verifier_missing()
    if missing is not None:
        pytest.skip(missing)
    doc = _download(client_of(holder), certificate)
    controller = json.loads(Client().get(reverse("certification:credential_issuer")).content)
    assert independent_verify(doc, controller) == {"verified": True, "errors": []}


def test_a_superseded_certificate_names_its_successor(client_of, holder, exam_center, certificate) -> None:
    doc = _download(client_of(holder), certificate)
    successor = certificate_row(holder, exam_center, serial=2, status_index=777)
    Certificate.objects.filter(pk=certificate.pk).update(  # as certcore's re-issue leaves the old row
        status=CertificateStatus.SUPERSEDED, superseded_by=successor)
    result = _verify(Client(), doc)
    assert result["valid"] is True
    assert result["status"] == "superseded"
    assert result["superseded_by"] == successor.number


def test_a_good_proof_over_a_number_never_issued_is_reported(client_of, holder, certificate) -> None:
    doc = _download(client_of(holder), certificate)
    Certificate.objects.filter(pk=certificate.pk).update(number="S000037000123264999999")
    result = _verify(Client(), doc)
    assert result["valid"] is False
    assert result["reason"] == "credential.not_issued"


def test_a_certificate_issued_and_revoked_by_the_services_round_trips(
        certificate_keys, client_of, exam_staff, exam_center, enterprise_a, platform_admin, settings) -> None:
    """The whole path through certcore's services: a batch issues, the candidate downloads the credential, it
    verifies valid; the body revokes it, the same credential now verifies with status revoked and the reason."""
    from certification.services import certificates as certificate_services
    from tests.certification.certificate_steps import file_codes, published_batch

    file_codes(platform_admin, exam_center)
    sitting = published_batch(exam_staff, exam_center, enterprise_a, settings)
    issued = certificate_services.certificate_issue_batch(actor=exam_staff, batch_id=sitting.batch.pk).issued
    row = Certificate.objects.get(number=issued[0].number)
    doc = _download(client_of(row.holder), row)
    assert doc["credentialSubject"]["identifier"][0]["identityHash"] == row.holder.real_name
    assert doc["credentialStatus"]["statusListCredential"].endswith(f"/certification/status/{row.status_list_no}.json")
    assert _verify(Client(), doc)["status"] == "valid"
    certificate_services.certificate_revoke(actor=exam_staff, certificate_id=row.pk, reason="考试作弊，成绩取消")
    result = _verify(Client(), doc)
    assert (result["valid"], result["status"], result["revoked_reason"]) == (True, "revoked", "考试作弊，成绩取消")


def test_a_broken_form_upload_is_answered_not_crashed(certificate_keys) -> None:
    response = Client().post(VERIFY, data=b"--x\r\n", content_type="multipart/form-data")
    assert response.status_code == 200
    assert response.json()["reason"] == "credential.not_json"


def test_uploads_share_the_single_verification_rate_limit(certificate_keys, settings) -> None:
    import secrets

    settings.CERTIFICATE_VERIFY_PER_MINUTE = 3
    # An address of its own for each run (documentation range): no other test's or earlier run's count in this
    # minute's window, and no cache.clear(), which on Redis would empty the cache other workers use.
    client = Client(REMOTE_ADDR=f"2001:db8::{secrets.randbelow(1 << 16):x}:{secrets.randbelow(1 << 16):x}")
    answers = [client.post(VERIFY, data="{}", content_type="application/json").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    assert "3" in client.post(VERIFY, data="{}", content_type="application/json").json()["message"]


def test_verifying_an_upload_takes_one_query_and_a_download_a_few(
        client_of, holder, certificate, django_assert_max_num_queries) -> None:
    signed_in = client_of(holder)
    signed_in.get(reverse("certification:certificate_credential", args=[certificate.pk]))  # warm the session
    with django_assert_max_num_queries(6):  # session, user, the certificate with its joins, the permission check
        doc = _download(signed_in, certificate)
    anonymous = Client()
    with django_assert_max_num_queries(1):  # the certificate row with its successor
        assert _verify(anonymous, doc)["status"] == "valid"
