"""The candidate's ID photo in the browser (certification.photos): on 我的报名, on a phone, the candidate picks a photo
file, saves it and sees it beside the registration; a file that is not a photo is refused with the reason on the
page. Screenshot in var/e2e/registration-photo.png."""

from __future__ import annotations

from pathlib import Path

import pytest

from certification.models import Registration
from tests.certification.certificate_steps import published_batch
from tests.certification.photo_steps import phone_photo
from tests.e2e.steps import follow, outside_the_browser_loop, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_candidate_uploads_a_photo_on_a_phone_and_sees_it(  # type: ignore[no-untyped-def]
        page, live_server, exam_staff, exam_center, enterprise_a, settings, tmp_path) -> None:
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path / "media"}}}
    sitting = outside_the_browser_loop(lambda: published_batch(exam_staff, exam_center, enterprise_a, settings,
                                                               n=2, publish=False))
    registration: Registration = sitting.registrations[0]
    candidate = registration.candidate
    candidate.set_password("demo-2026")
    outside_the_browser_loop(lambda: candidate.save(update_fields=["password"]))
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server.url, registration.candidate.username)
    page.goto(f"{live_server.url}/certification/registrations/mine/")
    row = page.locator(f'tr[data-registration="{registration.pk}"]')
    assert "未上传" in row.inner_text()

    (tmp_path / "not-a-photo.jpg").write_bytes(b"plain text, not a JPEG")
    row.locator("input[type=file]").set_input_files(str(tmp_path / "not-a-photo.jpg"))
    follow(page, row.get_by_role("button", name="保存"))
    assert "证件照无法读取" in page.locator("main").inner_text()

    (tmp_path / "me.jpg").write_bytes(phone_photo())
    row = page.locator(f'tr[data-registration="{registration.pk}"]')
    row.locator("input[type=file]").set_input_files(str(tmp_path / "me.jpg"))
    follow(page, row.get_by_role("button", name="保存"))
    assert "证件照已保存" in page.locator("main").inner_text()
    image = page.locator(f'tr[data-registration="{registration.pk}"] img.id-photo')
    assert image.evaluate("img => img.complete && img.naturalWidth") == 600  # served, decoded, 600 × 800
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    artifacts = Path(__file__).resolve().parents[2] / "var" / "e2e"
    artifacts.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(artifacts / "registration-photo.png"), full_page=True)
