"""The checklists in Excel: the template is laid out like the official form, export → import is the identity,
every bad cell is named by sheet, row and column with nothing saved, and a formula without a value is refused."""

from __future__ import annotations

import io

import openpyxl
import pytest

from accounts.models import Organization, OrganizationKind, Role, User
from core.errors import ImportFailed
from talentpool.excel import checklists as excel
from talentpool.models import DemandChecklist, SupplyChecklist
from talentpool.selectors import checklists as selectors
from talentpool.services import checklists as services
from tests.accounts.factories import OrganizationFactory, person
from tests.certification.factories import occupation
from tests.talentpool.checklist_forms import TURNER, WELDER, demand_form, supply_form

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _catalogue(db: None) -> None:
    occupation(WELDER, "焊工")
    occupation(TURNER, "车工")


def _book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def _errors(exc: ImportFailed) -> set[tuple[str, int, str]]:
    return {(e.sheet, e.row, e.column) for e in exc.row_errors}


def test_the_demand_template_is_laid_out_like_the_form() -> None:
    book = _book(excel.demand_template(selectors.chain_names()))
    assert book.sheetnames == ["企业需求清单", "岗位需求", "岗位技能点", "培训需求", "合作需求"]
    main = book["企业需求清单"]
    assert main["A1"].value == "企业需求清单"
    assert [main.cell(2, c).value for c in range(1, 5)] == ["一级指标", "二级指标", "填报内容", "填表说明"]
    column_b = [main.cell(r, 2).value for r in range(3, main.max_row + 1)]
    assert "企业性质 *" in column_b and "联系电话 *" in column_b
    assert any(str(main.cell(r, 1).value).startswith("填表说明") for r in range(1, main.max_row + 1))
    posts = book["岗位需求"]
    assert [c.value for c in posts[1]][:6] == [
        "岗位序号", "岗位名称", "职业（工种）编码", "职业（工种）名称", "需求人数", "技能等级要求"]
    assert posts["C2"].number_format == "@"  # codes are text
    assert any("四级/中级工" in (v.formula1 or "") for v in posts.data_validations.dataValidation)
    supply = _book(excel.supply_template(selectors.chain_names()))
    assert supply.sheetnames[0] == "院校供给清单" and "专利软著" in supply.sheetnames


def test_a_demand_checklist_round_trips_through_excel(hr_of_a: User, enterprise_a: Organization) -> None:
    checklist = services.demand_checklist_save(actor=hr_of_a, enterprise=enterprise_a, year=2026, form=demand_form())
    before = selectors.demand_form(checklist)
    data = excel.demand_workbook(2026, before, selectors.chain_names())
    imported = excel.read_demand(data, selectors.chains_by_name())
    assert imported.errors == [] and imported.year == 2026 and imported.form == before
    again = services.demand_checklist_import(actor=hr_of_a, enterprise=enterprise_a, data=data)
    assert selectors.demand_form(again) == before and DemandChecklist.objects.count() == 1


def test_a_supply_checklist_round_trips_through_excel() -> None:
    college = OrganizationFactory(name="乙学院", kind=OrganizationKind.COLLEGE)
    staff = person(Role.COLLEGE_STAFF, college)
    checklist = services.supply_checklist_save(actor=staff, college=college, year=2026, form=supply_form())
    before = selectors.supply_form(checklist)
    data = excel.supply_workbook(2026, before, selectors.chain_names())
    again = services.supply_checklist_import(actor=staff, college=college, data=data)
    assert selectors.supply_form(again) == before and SupplyChecklist.objects.count() == 1


def test_the_filled_template_imports(hr_of_a: User, enterprise_a: Organization) -> None:
    data = excel.demand_template(selectors.chain_names())
    checklist = services.demand_checklist_import(actor=hr_of_a, enterprise=enterprise_a, data=data)
    assert checklist.posts.get().skills.get().must_have is True


def test_every_bad_cell_is_named_and_nothing_is_saved(hr_of_a: User, enterprise_a: Organization) -> None:
    book = _book(excel.demand_workbook(2026, demand_form(), selectors.chain_names()))
    main = book["企业需求清单"]
    phone_row = next(r for r in range(3, 20) if str(main.cell(r, 2).value).startswith("联系电话"))
    main.cell(phone_row, 3).value = "12345"
    posts = book["岗位需求"]
    posts["E2"] = "0"  # 需求人数
    posts["F2"] = "大师"  # 技能等级要求
    posts.append([2, "车工", "9-99-99-99", "", "x", "四级", "不限", 0, "济南"])
    book["培训需求"]["C2"] = "abc"
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(ImportFailed) as caught:
        services.demand_checklist_import(actor=hr_of_a, enterprise=enterprise_a, data=buffer.getvalue())
    assert _errors(caught.value) >= {
        ("企业需求清单", phone_row, "填报内容"), ("岗位需求", 2, "需求人数"), ("岗位需求", 2, "技能等级要求"),
        ("岗位需求", 3, "职业（工种）编码"), ("岗位需求", 3, "需求人数"), ("培训需求", 2, "培训人数")}
    messages = {(e.sheet, e.row, e.column): e.message for e in caught.value.row_errors}
    assert messages[("岗位需求", 2, "需求人数")] == "“需求人数”必须大于 0。"
    assert "不在职业目录中" in messages[("岗位需求", 3, "职业（工种）编码")]
    assert not DemandChecklist.objects.exists()


def test_a_formula_without_a_value_is_refused_naming_its_cell(hr_of_a: User, enterprise_a: Organization) -> None:
    book = _book(excel.demand_workbook(2026, demand_form(), selectors.chain_names()))
    book["岗位需求"]["E2"] = "=1+1"
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(ImportFailed) as caught:
        services.demand_checklist_import(actor=hr_of_a, enterprise=enterprise_a, data=buffer.getvalue())
    assert ("岗位需求", 2, "需求人数", "excel.formula_without_value") in {
        (e.sheet, e.row, e.column, e.code) for e in caught.value.row_errors}


def test_exported_text_never_becomes_a_formula(hr_of_a: User, enterprise_a: Organization) -> None:
    form = demand_form(main_business="=HYPERLINK(\"http://x\")")
    data = excel.demand_workbook(2026, form, selectors.chain_names())
    main = _book(data)["企业需求清单"]
    cell = next(main.cell(r, 3) for r in range(3, 20) if str(main.cell(r, 2).value).startswith("主营业务"))
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_the_import_page_lists_every_bad_cell(client_of, hr_of_a: User, enterprise_a: Organization) -> None:  # type: ignore[no-untyped-def]
    book = _book(excel.demand_template(selectors.chain_names()))
    book["岗位需求"]["E2"] = "-1"
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.name = "demand.xlsx"
    buffer.seek(0)
    answer = client_of(hr_of_a).post("/talentpool/checklists/demand/import/",
                                     {"unit": str(enterprise_a.pk), "file": buffer})
    assert answer.status_code == 422
    html = answer.content.decode()
    assert "岗位需求" in html and "需求人数" in html and "必须大于 0" in html
    assert client_of(hr_of_a).get("/talentpool/checklists/demand/template.xlsx").status_code == 200


def test_bad_supply_cells_are_named_by_sheet_row_and_column() -> None:
    college = OrganizationFactory(name="乙学院", kind=OrganizationKind.COLLEGE)
    staff = person(Role.COLLEGE_STAFF, college)
    book = _book(excel.supply_workbook(2026, supply_form(), selectors.chain_names()))
    book["师资"]["C2"] = 99  # 其中高级职称 above 专任教师数 20
    book["在校生"]["A3"] = "9999"  # a major not in 专业设置
    book["设备"]["D2"] = "也许"  # 对企业开放: 是 or 否
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(ImportFailed) as caught:
        services.supply_checklist_import(actor=staff, college=college, data=buffer.getvalue())
    assert _errors(caught.value) == {("师资", 2, "其中高级职称"), ("在校生", 3, "专业代码"), ("设备", 2, "对企业开放")}
    assert not SupplyChecklist.objects.exists()
