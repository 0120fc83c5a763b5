"""The platform admin imports a Moodle XML file with one bad question into the 焊工 四级 bank (sees the question
number and field named, nothing saved), then a good one, defines a blueprint in the table editor, and
test-assembles a paper (issue 12 items 5–6); screenshots on a desktop and a phone."""

from __future__ import annotations

from pathlib import Path

import pytest

from certification import moodle
from certification.models import Occupation, Question
from tests.certification.bank_steps import multiple, single, true_false
from tests.e2e.steps import follow, outside_the_browser_loop, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_admin_imports_moodle_defines_a_blueprint_and_test_assembles(  # type: ignore[no-untyped-def]
    page, browser, live_server, demo_data, artifacts: Path, tmp_path: Path
) -> None:
    welder = outside_the_browser_loop(lambda: Occupation.objects.get(code="6-18-02-04").pk)
    before = outside_the_browser_loop(lambda: Question.objects.filter(occupation_id=welder, level=3).count())
    questions = [single(n, area="C-A") for n in range(1, 7)] + [multiple(1, area="C-A"), true_false(1, area="C-A")]
    good = tmp_path / "bank.xml"
    good.write_bytes(moodle.write(questions, "焊工/三级"))
    bad = tmp_path / "bad.xml"
    bad.write_bytes(good.read_bytes().replace(b"difficulty:3", b"difficulty:9", 1))

    sign_in(page, live_server.url, "admin")
    page.goto(f"{live_server.url}/certification/banks/{welder}/3/")
    follow(page, "[data-testid=bank-files]")
    page.set_input_files("input[name=file]", str(bad))
    follow(page, "text=导入题库")
    errors = page.locator("[data-testid=import-errors]").inner_text()
    assert "difficulty" in errors and "难度应为 1 至 5" in errors
    page.screenshot(path=str(artifacts / "bank-import-refused.png"), full_page=True)
    assert outside_the_browser_loop(lambda: Question.objects.filter(occupation_id=welder, level=3).count()) == before

    page.set_input_files("input[name=file]", str(good))
    follow(page, "text=导入题库")
    assert "新增 8 道" in page.locator(".messages").inner_text()

    page.goto(f"{live_server.url}/certification/banks/{welder}/3/blueprint/")
    rows = page.locator("[data-testid=blueprint-table] tbody tr")
    rows.nth(0).locator("input[name=area]").fill("C-A")
    rows.nth(0).locator("input[name=count]").fill("4")
    rows.nth(1).locator("input[name=area]").fill("C-A")
    rows.nth(1).locator("select[name=kind]").select_option("truefalse")
    rows.nth(1).locator("select[name=difficulty]").select_option("1")
    rows.nth(1).locator("input[name=count]").fill("1")
    follow(page, "[data-testid=blueprint-form] button[type=submit]")
    assert "共 5 题" in page.locator("[data-testid=blueprint-total]").inner_text()
    page.screenshot(path=str(artifacts / "bank-blueprint.png"), full_page=True)

    page.goto(f"{live_server.url}/certification/banks/{welder}/3/trial/")
    follow(page, "[data-testid=trial-form] button[type=submit]")
    assert page.locator(".paper > li").count() == 5
    assert "校验通过" in page.locator("[data-testid=paper-check]").inner_text()
    page.screenshot(path=str(artifacts / "bank-trial-desktop.png"), full_page=True)

    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    mobile = phone.new_page()
    sign_in(mobile, live_server.url, "admin")
    mobile.goto(f"{live_server.url}/certification/banks/{welder}/4/")
    mobile.screenshot(path=str(artifacts / "bank-counts-phone.png"), full_page=True)
    mobile.goto(f"{live_server.url}/certification/banks/{welder}/3/blueprint/")
    mobile.screenshot(path=str(artifacts / "bank-blueprint-phone.png"), full_page=True)
    phone.close()
