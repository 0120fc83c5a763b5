"""The candidate's ID photo (证件照, certification.photos and services.registration_photos): uploaded on the
registration page, stored as an upright metadata-free JPEG, drawn on the admission ticket and the certificate,
refused with the field named when it is not a usable photo, fixed once a certificate stands on it; who may set and
see it."""

from __future__ import annotations

import io

import pypdfium2
import pytest
from django.core.files.storage import default_storage
from django.test import Client
from PIL import Image

from accounts.models import Organization, Role, User
from audit.models import AuditEntry
from certification.certificate_zips import certificate_pdf_of
from certification.models import Certificate, Registration
from certification.photos import STORED_SIDE, normalised_photo
from certification.selectors import batches as views
from certification.services import certificates as services
from certification.tickets import ticket_pdf
from tests.accounts.factories import person
from tests.certification.certificate_steps import file_codes, published_batch
from tests.certification.photo_steps import GREEN, phone_photo

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("certificate_keys", "evidence_store")]


def green_share(png_page: Image.Image) -> float:
    """The share of the page's pixels that are the photo's green."""
    pixels = png_page.convert("RGB").get_flattened_data()
    green = sum(1 for r, g, b in pixels if g > 150 and r < 90 and b < 110)
    return green / (png_page.width * png_page.height)


@pytest.fixture
def sitting(exam_staff: User, exam_center: Organization, enterprise_a: Organization, platform_admin: User,  # type: ignore[no-untyped-def]
            settings):
    file_codes(platform_admin, exam_center)
    return published_batch(exam_staff, exam_center, enterprise_a, settings, n=3)


def test_the_stored_photo_is_an_upright_jpeg_without_the_phones_metadata() -> None:
    stored = normalised_photo(phone_photo())
    image = Image.open(io.BytesIO(stored))
    assert image.format == "JPEG" and max(image.size) == STORED_SIDE and image.size == (600, 800)
    assert not image.getexif() and b"PhoneMaker" not in stored


def test_the_candidate_uploads_a_photo_on_the_registration_page_and_it_is_audited(  # type: ignore[no-untyped-def]
        client_of, sitting) -> None:
    registration: Registration = sitting.registrations[0]
    candidate = registration.candidate
    client: Client = client_of(candidate)
    page = client.get("/certification/registrations/mine/").content.decode()
    assert f'action="/certification/registrations/{registration.pk}/photo/"' in page and "未上传" in page

    upload = io.BytesIO(phone_photo())
    upload.name = "IMG_0001.jpg"
    answer = client.post(f"/certification/registrations/{registration.pk}/photo/", {"photo": upload}, follow=True)
    assert "证件照已保存" in answer.content.decode()
    registration.refresh_from_db()
    assert registration.photo.name.startswith("certification/photos/") and registration.photo_sha256
    assert default_storage.exists(registration.photo.name)
    entry = AuditEntry.objects.get(action="certification.registration.photo_set")
    assert entry.actor_id == candidate.pk and entry.old == {"photo_sha256": None}
    assert entry.new == {"photo_sha256": registration.photo_sha256}
    page = client.get("/certification/registrations/mine/").content.decode()
    assert f'src="/certification/registrations/{registration.pk}/photo.jpg"' in page and "更换证件照" in page
    served = client.get(f"/certification/registrations/{registration.pk}/photo.jpg")
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert "private, no-store" in served["Cache-Control"] and served.content[:2] == b"\xff\xd8"


def test_replacing_the_photo_deletes_the_old_file_and_records_both_digests(  # type: ignore[no-untyped-def]
        sitting, django_capture_on_commit_callbacks) -> None:
    from certification.services.registration_photos import registration_photo_set

    registration: Registration = sitting.registrations[0]
    candidate = registration.candidate
    first = registration_photo_set(actor=candidate, registration_id=registration.pk, data=phone_photo())
    old_name, old_digest = first.photo.name, first.photo_sha256
    with django_capture_on_commit_callbacks(execute=True):
        second = registration_photo_set(actor=candidate, registration_id=registration.pk,
                                        data=phone_photo(colour=(20, 20, 200)))
    assert second.photo.name != old_name and second.photo_sha256 != old_digest
    assert not default_storage.exists(old_name) and default_storage.exists(second.photo.name)
    last = AuditEntry.objects.filter(action="certification.registration.photo_set").order_by("-pk")[0]
    assert last.old == {"photo_sha256": old_digest} and last.new == {"photo_sha256": second.photo_sha256}


@pytest.mark.parametrize(("data", "words"), [
    (b"this is not an image at all", "证件照无法读取"),
    (phone_photo(size=(100, 140)), "每边至少需要 150 像素"),
])
def test_a_file_that_is_not_a_usable_photo_is_refused_naming_the_field_and_nothing_is_stored(  # type: ignore[no-untyped-def]
        client_of, sitting, evidence_store, data: bytes, words: str) -> None:
    registration: Registration = sitting.registrations[0]
    client: Client = client_of(registration.candidate)
    answer = client.post(f"/api/v1/certification/registrations/{registration.pk}/photo", {"photo": io.BytesIO(data)})
    assert answer.status_code == 422, answer.content
    assert list(answer.json()["fields"]) == ["photo"] and words in answer.json()["fields"]["photo"][0]
    page = client.post(f"/certification/registrations/{registration.pk}/photo/", {"photo": io.BytesIO(data)},
                       follow=True).content.decode()
    assert words in page
    assert "请选择证件照文件" in client.post(f"/certification/registrations/{registration.pk}/photo/",
                                            follow=True).content.decode()
    registration.refresh_from_db()
    assert registration.photo.name == "" and not (evidence_store / "certification" / "photos").exists()
    assert not AuditEntry.objects.filter(action="certification.registration.photo_set").exists()


def test_a_gif_is_refused_naming_its_format(client_of, sitting) -> None:  # type: ignore[no-untyped-def]
    gif = io.BytesIO()
    Image.new("RGB", (300, 400), GREEN).save(gif, format="GIF")
    registration: Registration = sitting.registrations[0]
    answer = client_of(registration.candidate).post(
        f"/api/v1/certification/registrations/{registration.pk}/photo", {"photo": io.BytesIO(gif.getvalue())})
    assert answer.status_code == 422 and "GIF" in answer.json()["fields"]["photo"][0]


def test_the_photo_is_drawn_on_the_ticket_and_on_the_certificate_and_then_fixed(  # type: ignore[no-untyped-def]
        client_of, sitting, exam_staff: User) -> None:
    from certification.services.registration_photos import registration_photo_set

    registration: Registration = sitting.registrations[0]
    candidate = registration.candidate
    without = pypdfium2.PdfDocument(ticket_pdf(views.ticket_view(registration), "http://x/"))[0]
    assert green_share(without.render(scale=1).to_pil()) == 0

    registration_photo_set(actor=candidate, registration_id=registration.pk, data=phone_photo())
    registration.refresh_from_db()
    answer = client_of(candidate).get(f"/certification/registrations/{registration.pk}/ticket.pdf")
    assert answer.status_code == 200
    assert green_share(pypdfium2.PdfDocument(answer.content)[0].render(scale=1).to_pil()) > 0.005

    services.certificate_issue_batch(actor=exam_staff, batch_id=sitting.batch.pk)
    certificate = Certificate.objects.get(registration=registration)
    page = pypdfium2.PdfDocument(certificate_pdf_of(certificate))[0].render(scale=1).to_pil()
    assert green_share(page) > 0.005
    other = Certificate.objects.get(registration=sitting.registrations[1])  # passed, no photo
    assert green_share(pypdfium2.PdfDocument(certificate_pdf_of(other))[0].render(scale=1).to_pil()) == 0

    refused = client_of(candidate).post(f"/api/v1/certification/registrations/{registration.pk}/photo",
                                        {"photo": io.BytesIO(phone_photo(colour=(20, 20, 200)))})
    assert refused.status_code == 409 and "已颁发证书" in refused.json()["message"]
    registration.refresh_from_db()
    assert Image.open(registration.photo.open("rb")).getpixel((10, 10))[1] > 150  # still the green one


def test_who_may_set_and_see_the_photo(client_of, sitting, enterprise_a: Organization,  # type: ignore[no-untyped-def]
                                       enterprise_b: Organization, exam_staff: User, outsider: User) -> None:
    registration: Registration = sitting.registrations[0]
    url = f"/api/v1/certification/registrations/{registration.pk}/photo"
    hr = person(Role.ENTERPRISE_HR, enterprise_a, username="hr_a")
    assert client_of(hr).post(url, {"photo": io.BytesIO(phone_photo())}).status_code == 200  # the unit's staff
    for stranger in (person(Role.ENTERPRISE_HR, enterprise_b, username="hr_b"), outsider):
        assert client_of(stranger).post(url, {"photo": io.BytesIO(phone_photo())}).status_code == 404
        assert client_of(stranger).get(url).status_code == 404
    assert client_of(exam_staff).get(url).status_code == 200  # the body's staff compare it at the door
    rows = client_of(exam_staff).get(f"/certification/batches/{sitting.batch.pk}/").content.decode()
    assert f"/certification/registrations/{registration.pk}/photo.jpg" in rows
    # ... and may take it at the on-site confirmation (现场确认), as they may register the candidate
    assert f'action="/certification/registrations/{registration.pk}/photo/"' in rows
    assert client_of(exam_staff).post(url, {"photo": io.BytesIO(phone_photo())}).status_code == 200
