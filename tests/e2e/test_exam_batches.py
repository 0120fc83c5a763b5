"""An exam batch from plan to door (issue 12 item 4), in the pages of the demo province: the exam center's staff
create a 焊工 四级 batch, set its theory and practical parts, add a room and a group, put the demo invigilators
and assessors on duty (the plan's check listing each shortfall until the ratios are met) and open registration;
the demo enterprise's HR imports its welders from an Excel file built here (a first file with an ineligible row is
refused naming its cell, and saves nothing); the exam center approves them in bulk, closes registration and
allocates seats; one welder signs in, downloads the 准考证, and the test reads its QR code (pypdfium2 + zxing-cpp)
and opens the URL as the door staff (the demo invigilator). Screenshots of the main pages at 1280 and 390 px,
each checked for horizontal scrolling on the phone."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import openpyxl
import pypdfium2
import pytest
import zxingcpp
from django.utils import timezone

from accounts.models import User
from certification.models import Batch, Registration
from tests.e2e.steps import follow, outside_the_browser_loop, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BATCH_NAME = "2026 年第二批焊工四级（浏览器测试）"
PHONE = {"width": 390, "height": 844}


def _welders() -> list[tuple[str, str, str]]:
    """(username, real name, ID number) of three demo welders of 鲁中重型机械 (not demo logins); the first is given
    the demo password so they can sign in."""
    found = list(User.objects.filter(username__startswith="demo_welder1_").order_by("username")[:3])
    found[0].set_password("demo-2026")
    found[0].save(update_fields=["password"])
    return [(u.username, u.real_name, u.id_number) for u in found]


def _sheet(rows: list[list[object]], path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "报名表"
    sheet.append(["姓名", "身份证号", "从事本职业工作年限", "完成学徒培训", "毕业院校类型", "学历"])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _no_horizontal_scroll(page) -> None:  # type: ignore[no-untyped-def]
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways on a phone: {width}px"


def _shoot(browser, base: str, who: str, path: str, name: str, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    """The page at 390 px (after the 1280 px shot the test took): no sideways scrolling, every button and field at
    least 44 px tall."""
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True)
    phone = context.new_page()
    sign_in(phone, base, who)
    phone.goto(base + path)
    phone.screenshot(path=str(artifacts / f"{name}-phone.png"), full_page=True)
    _no_horizontal_scroll(phone)
    small = phone.evaluate("""[...document.querySelectorAll(
            'main button, main input:not([type=hidden]):not([type=checkbox]), main select, main a.button')]
        .filter(e => e.offsetParent !== null && e.getBoundingClientRect().height < 44)
        .map(e => e.outerHTML.slice(0, 80))""")
    assert phone.locator("main button").count() + phone.locator("main a.button").count() > 0  # the check saw some
    assert small == [], f"{path}: controls under 44 px on a phone: {small}"
    context.close()


def test_a_batch_from_plan_to_the_door(page, browser, live_server, demo_data,  # type: ignore[no-untyped-def]
                                       artifacts: Path, tmp_path: Path) -> None:
    base = live_server.url
    welders = outside_the_browser_loop(_welders)
    today = timezone.localdate()
    exam_day = (today + timedelta(days=21)).isoformat()

    # The exam center's staff plan the batch.
    sign_in(page, base, "examcenter")
    page.goto(f"{base}/certification/batches/")
    page.screenshot(path=str(artifacts / "batches-desktop.png"), full_page=True)
    form = page.locator("form", has=page.locator("input[name=registration_opens]"))
    form.locator("select[name=occupation]").select_option(label="焊工（6-18-02-04）")
    form.locator("select[name=level]").select_option("4")
    form.locator("input[name=name]").fill(BATCH_NAME)
    form.locator("input[name=registration_opens]").fill(today.isoformat())
    form.locator("input[name=registration_closes]").fill((today + timedelta(days=10)).isoformat())
    follow(page, form.locator("button[type=submit]"))
    assert page.locator("[data-testid=batch-title]").inner_text() == BATCH_NAME
    batch_url = page.url
    problems = page.locator("[data-testid=plan-problems]").inner_text()
    assert "理论知识考试" in problems and "操作技能考核" in problems

    for kind, starts, ends in (("theory", "09:00", "10:30"), ("practical", "13:30", "16:00")):
        part_form = page.locator("[data-testid=part-form]")
        part_form.locator("select[name=kind]").select_option(kind)
        part_form.locator("input[name=day]").fill(exam_day)
        part_form.locator("input[name=starts]").fill(starts)
        part_form.locator("input[name=ends]").fill(ends)
        follow(page, part_form.locator("button[type=submit]"))
    for kind, room, seats in (("theory", "第二考场", "10"), ("practical", "焊接实训车间 第三组", "10")):
        room_form = page.locator(f"[data-part={kind}] form", has=page.locator("input[name=seats]"))
        room_form.locator("input[name=name]").fill(room)
        room_form.locator("input[name=seats]").fill(seats)
        follow(page, room_form.locator("button[type=submit]"))
    assert "监考员每 15 名考生至少 1 名" in page.locator("[data-testid=plan-problems]").inner_text()
    for kind, username in (("theory", "invigilator"), ("theory", "demo_invig01"), ("practical", "assessor"),
                           ("practical", "chiefassessor"), ("practical", "demo_assessor01")):
        staff_form = page.locator(f"[data-part={kind}] form", has=page.locator("input[name=username]"))
        staff_form.locator("input[name=username]").fill(username)
        follow(page, staff_form.locator("button[type=submit]"))
    assert page.locator("[data-testid=plan-ok]").is_visible()
    follow(page, "[data-testid=open-batch]")
    assert page.locator("[data-testid=batch-status]").inner_text() == "报名中"
    page.screenshot(path=str(artifacts / "batch-plan-desktop.png"), full_page=True)
    batch_id = outside_the_browser_loop(lambda: Batch.objects.get(name=BATCH_NAME).pk)

    # The enterprise's HR imports its welders; a file with an ineligible row is refused naming its cell.
    hr_context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
    hr = hr_context.new_page()
    sign_in(hr, base, "enterprise")
    hr.goto(f"{base}/certification/batches/{batch_id}/register/")
    rows: list[list[object]] = [[name, id_number, 6, "否", "", "高中"] for _u, name, id_number in welders]
    bad = _sheet([*rows[:2], [welders[2][1], welders[2][2], 2, "否", "", "高中"]], tmp_path / "报名表-有误.xlsx")
    hr.locator("[data-testid=import-form] input[name=file]").set_input_files(str(bad))
    follow(hr, hr.locator("[data-testid=import-form] button[type=submit]"))
    errors = hr.locator(".import-errors, [data-testid=import-errors]").first.inner_text()
    assert "从事本职业工作年限" in errors
    cells = hr.locator("[data-testid=import-errors] tbody tr").all_inner_texts()
    assert len(cells) == 1 and cells[0].split("\t")[:3] == ["报名表", "4", "从事本职业工作年限"], cells
    assert outside_the_browser_loop(lambda: Registration.objects.filter(batch_id=batch_id).count()) == 0
    good = _sheet(rows, tmp_path / "报名表.xlsx")
    hr.locator("[data-testid=import-form] input[name=file]").set_input_files(str(good))
    follow(hr, hr.locator("[data-testid=import-form] button[type=submit]"))
    assert "已导入 3 条报名" in hr.locator(".messages").inner_text()
    hr.screenshot(path=str(artifacts / "batch-register-desktop.png"), full_page=True)
    hr_context.close()

    # The exam center approves them in bulk, closes registration and allocates seats.
    page.goto(batch_url)
    page.locator("[data-testid=select-all]").check()
    assert page.locator("[data-testid=registrations] input[name=registration]:checked").count() == 3
    follow(page, "[data-testid=approve]")
    assert "已通过 3 条报名" in page.locator(".messages").inner_text()
    follow(page, "[data-testid=close-batch]")
    follow(page, "[data-testid=allocate]")
    assert "考场编排完成：3 人" in page.locator(".messages").inner_text()
    assert page.locator("[data-testid=registrations] tr[data-status=seated]").count() == 3
    page.screenshot(path=str(artifacts / "batch-seated-desktop.png"), full_page=True)

    # A welder downloads the ticket; its QR opens the door check for the invigilator.
    candidate_context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800},
                                            accept_downloads=True)
    mine = candidate_context.new_page()
    sign_in(mine, base, welders[0][0])
    mine.goto(f"{base}/certification/registrations/mine/")
    mine.screenshot(path=str(artifacts / "my-registrations-desktop.png"), full_page=True)
    row = mine.locator("[data-testid=my-registrations] tr[data-status=seated]", has_text=BATCH_NAME)
    with mine.expect_download() as download:
        row.locator("[data-testid=ticket-link]").click()
    pdf = Path(download.value.path()).read_bytes()
    candidate_context.close()
    ticket = pypdfium2.PdfDocument(pdf)[0]
    [code] = zxingcpp.read_barcodes(ticket.render(scale=2).to_pil())
    assert code.text.startswith(f"{base}/certification/tickets/")
    assert welders[0][1] in ticket.get_textpage().get_text_range()

    door_context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True)
    door = door_context.new_page()
    sign_in(door, base, "invigilator")
    door.goto(code.text)
    shown = door.locator("main").inner_text()
    assert welders[0][1] in shown and BATCH_NAME in shown and welders[0][2] not in shown  # ID number masked
    door.screenshot(path=str(artifacts / "ticket-check-phone.png"), full_page=True)
    _no_horizontal_scroll(door)
    door_context.close()

    for who, path, name in (("examcenter", "/certification/batches/", "batches"),
                            ("examcenter", f"/certification/batches/{batch_id}/", "batch-plan"),
                            ("enterprise", f"/certification/batches/{batch_id}/register/", "batch-register"),
                            (welders[0][0], "/certification/registrations/mine/", "my-registrations")):
        _shoot(browser, base, who, path, name, artifacts)
