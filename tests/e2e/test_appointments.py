"""The demo enterprise's HR records a 特级技师 appointment of a 高级技师 among its workers (a refused try first:
no document), and the worker then finds it on their levels page with its term and a link to the document
(issue 12 item 10); screenshots on a desktop and a phone."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from accounts.actors import SYSTEM
from accounts.models import Organization, Role, User
from certification import services
from certification.domain.ladder import SkillLevel
from certification.models import Appointment, Occupation
from tests.accounts.factories import person
from tests.certification.appointment_steps import PDF_BYTES
from tests.e2e.steps import follow, outside_the_browser_loop, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _senior_welder() -> User:
    unit = Organization.objects.get(name="鲁中重型机械股份有限公司")
    worker = person(Role.CANDIDATE, unit, username="welder_senior", real_name="孔繁森")
    worker.set_password("demo-2026")
    worker.save()
    services.held_level_record(actor=SYSTEM, person_id=worker.pk, occupation_id=Occupation.objects.get(
        code="6-18-02-04").pk, level=SkillLevel.ONE, obtained_on=date(2019, 5, 1), evidence="高级技师证书（测试）")
    return worker


def test_enterprise_hr_records_an_appointment_the_person_sees(  # type: ignore[no-untyped-def]
    page, browser, live_server, demo_data, artifacts: Path, tmp_path: Path, settings
) -> None:
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path / "media"}}}
    worker = outside_the_browser_loop(_senior_welder)
    document = tmp_path / "聘任文件.pdf"
    document.write_bytes(PDF_BYTES)

    sign_in(page, live_server.url, "enterprise")
    page.goto(f"{live_server.url}/certification/appointments/")
    table = page.locator("[data-testid=appointments]")
    assert "首席技师" in table.inner_text()  # the demo's 郑海波
    form = page.locator("[data-testid=record-appointment]")
    option = form.locator("select[name=person] option", has_text="孔繁森")
    assert "一级：焊工" in option.inner_text()
    form.locator("select[name=person]").select_option(label=option.inner_text())
    form.locator("select[name=occupation]").select_option(label="焊工（6-18-02-04）")
    form.locator("select[name=title]").select_option("principal")
    form.locator("input[name=term_start]").fill("2026-07-01")
    form.locator("input[name=term_end]").fill("2029-06-30")
    form.locator("input[name=document_no]").fill("鲁重机人字〔2026〕12号")
    follow(page, form.locator("button[type=submit]"))
    assert "请上传聘任文件" in page.locator("[data-field=evidence]").inner_text()

    form = page.locator("[data-testid=record-appointment]")
    form.locator("input[name=evidence]").set_input_files(str(document))
    follow(page, form.locator("button[type=submit]"))
    assert "评聘已登记" in page.locator(".messages").inner_text()
    appointment = outside_the_browser_loop(lambda: Appointment.objects.get(person__username="welder_senior"))
    row = page.locator(f"[data-appointment='{appointment.pk}']")
    assert row.get_attribute("data-status") == "active" and "2026-07-01 – 2029-06-30" in row.inner_text()
    page.screenshot(path=str(artifacts / "appointments-desktop.png"), full_page=True)

    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    mobile = phone.new_page()
    sign_in(mobile, live_server.url, "enterprise")
    mobile.goto(f"{live_server.url}/certification/appointments/")
    mobile.screenshot(path=str(artifacts / "appointments-phone.png"), full_page=True)
    phone.close()

    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    mine = context.new_page()
    sign_in(mine, live_server.url, worker.username)
    mine.goto(f"{live_server.url}/certification/levels/mine/")
    held = mine.locator("[data-testid=held-levels] tr[data-title=principal]")
    assert "特级技师" in held.inner_text() and "2029-06-30" in held.inner_text()
    listed = mine.locator(f"[data-testid=person-appointments] tr[data-appointment='{appointment.pk}']")
    assert "鲁中重型机械股份有限公司" in listed.inner_text() and "2026-07-01 – 2029-06-30" in listed.inner_text()
    href = listed.locator("[data-testid=evidence]").get_attribute("href")
    answer = mine.request.get(f"{live_server.url}{href}")
    assert answer.status == 200 and answer.headers["content-type"] == "application/pdf"
    assert answer.body() == PDF_BYTES
    mine.screenshot(path=str(artifacts / "appointments-person-phone.png"), full_page=True)
    context.close()
