"""The Excel of a bank's blueprint and of a part's scoring sheet (certification.excel.tables): template, export,
a round trip, an import through the page and the API, every bad cell named by sheet, row and column, and nothing
saved on any error."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.actors import SYSTEM
from accounts.models import Organization, User
from audit.models import AuditEntry
from certification import services
from certification.domain.papers import Blueprint, Cell, Kind
from certification.excel import tables
from certification.models import Blueprint as BlueprintRow
from certification.models import SheetItem
from core.errors import ImportFailed
from tests.certification.bank_steps import multiple, single, true_false
from tests.certification.factories import occupation
from tests.certification.practical_steps import score, seated_sitting

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _workbook(sheets: dict[str, list[list[object]]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


CELLS_HEAD = ["知识范围", "题型", "难度", "题量"]
POINTS_HEAD = ["题型", "每题分值"]
GOOD_BLUEPRINT = {"细目表": [CELLS_HEAD, ["A-B", "单选", 3, 5], ["A-B", "多选", 3, 1], ["A-B", "判断", 3, 1]],
                  "分值": [POINTS_HEAD, ["单选", 1], ["多选", 2], ["判断", 1]]}
ITEMS_HEAD = ["评分项代码", "评分项", "配分", "误差允许范围"]


def _bank() -> int:
    welder = occupation()
    services.questions_import(actor=SYSTEM, occupation_id=welder.pk, level=4,
                              contents=[single(i) for i in range(8)] + [multiple(1), true_false(1)],
                              source_format="excel")
    return int(welder.pk)


def _errors(failed: ImportFailed) -> list[tuple[str, int, str, str]]:
    return [(e.sheet, e.row, e.column, e.code) for e in failed.row_errors]


def test_a_blueprint_goes_out_and_comes_back_the_same() -> None:
    blueprint = Blueprint((Cell("A-B", Kind.SINGLE, 3, 5), Cell("A-C", Kind.TRUE_FALSE, 2, 4)),
                          {Kind.SINGLE: 1, Kind.TRUE_FALSE: 1}, depth=2)
    assert tables.read_blueprint(tables.write_blueprint(blueprint)) == blueprint
    template = openpyxl.load_workbook(io.BytesIO(tables.blueprint_template()))
    assert template.sheetnames[:2] == ["细目表", "分值"]


def test_every_bad_cell_of_a_blueprint_is_named_by_sheet_row_and_column() -> None:
    bad = _workbook({"细目表": [CELLS_HEAD, ["A-B", "单选", 3, 5], ["A-B-C", "填空", 7, -1], ["A-B", "单选", 3, 2],
                                ["a b", "多选", 2, "两"]],
                     "分值": [POINTS_HEAD, ["单选", 0]]})
    with pytest.raises(ImportFailed) as failed:
        tables.read_blueprint(bad)
    assert _errors(failed.value) == [
        ("细目表", 3, "知识范围", "blueprint.mixed_depth"), ("细目表", 3, "题型", "bank.bad_kind"),
        ("细目表", 3, "难度", "question.bad_difficulty"), ("细目表", 3, "题量", "blueprint.bad_count"),
        ("细目表", 4, "知识范围", "blueprint.repeated_row"), ("细目表", 5, "知识范围", "blueprint.bad_area"),
        ("细目表", 5, "题量", "excel.not_a_number"), ("分值", 2, "每题分值", "blueprint.bad_points"),
    ]
    assert "与第 2 行重复" in failed.value.row_errors[4].message


def test_a_type_asked_without_its_points_is_named_at_its_first_row() -> None:
    with pytest.raises(ImportFailed) as failed:
        tables.read_blueprint(_workbook({"细目表": GOOD_BLUEPRINT["细目表"], "分值": [POINTS_HEAD, ["单选", 1]]}))
    assert _errors(failed.value) == [("细目表", 3, "题型", "blueprint.kind_without_points"),
                                     ("细目表", 4, "题型", "blueprint.kind_without_points")]


def test_the_blueprint_page_imports_a_file_or_saves_nothing(client_of, platform_admin: User) -> None:  # type: ignore[no-untyped-def]
    welder = _bank()
    client = client_of(platform_admin)
    page = client.get(f"/certification/banks/{welder}/4/blueprint/").content.decode()
    assert 'data-testid="blueprint-import"' in page and 'enctype="multipart/form-data"' in page
    template = client.get(f"/certification/banks/{welder}/4/blueprint/template.xlsx")
    assert template.status_code == 200 and template["Content-Type"] == XLSX
    bad = _workbook({"细目表": [CELLS_HEAD, ["A-B", "单选<b>", 3, 5]], "分值": [POINTS_HEAD, ["单选", 1]]})
    refused = client.post(f"/certification/banks/{welder}/4/blueprint/import/",
                          {"file": SimpleUploadedFile("bp.xlsx", bad, content_type=XLSX)})
    html = refused.content.decode()
    assert refused.status_code == 422 and 'data-testid="import-errors"' in html and "题型应为单选" in html
    assert not BlueprintRow.objects.exists()
    done = client.post(f"/certification/banks/{welder}/4/blueprint/import/",
                       {"file": SimpleUploadedFile("bp.xlsx", _workbook(GOOD_BLUEPRINT), content_type=XLSX)},
                       follow=True)
    assert "已从 Excel 导入" in done.content.decode()
    assert BlueprintRow.objects.get().cells[0] == {"area": "A-B", "kind": "multiple", "difficulty": 3, "count": 1}
    assert AuditEntry.objects.filter(action="certification.blueprint.set").count() == 1
    export = client.get(f"/certification/banks/{welder}/4/blueprint/blueprint.xlsx")
    assert tables.read_blueprint(export.content).size == 7


def test_the_blueprint_import_is_the_bank_keepers(client_of, exam_staff: User, platform_admin: User) -> None:  # type: ignore[no-untyped-def]
    welder = _bank()
    upload = {"file": SimpleUploadedFile("bp.xlsx", _workbook(GOOD_BLUEPRINT), content_type=XLSX)}
    assert client_of(exam_staff).post(f"/certification/banks/{welder}/4/blueprint/import/",
                                      upload).status_code in (403, 404)
    assert not BlueprintRow.objects.exists()
    api = client_of(platform_admin).post(
        f"/api/v1/certification/banks/{welder}/4/blueprint/import",
        {"file": SimpleUploadedFile("bp.xlsx", _workbook(GOOD_BLUEPRINT), content_type=XLSX)})
    assert api.status_code == 200 and api.json()["questions"] == 7
    bad = client_of(platform_admin).post(
        f"/api/v1/certification/banks/{welder}/4/blueprint/import",
        {"file": SimpleUploadedFile("bp.xlsx", _workbook({"细目表": [CELLS_HEAD, ["A-B", "单选", 9, 1]],
                                                           "分值": [POINTS_HEAD]}), content_type=XLSX)})
    assert bad.status_code == 422 and bad.json()["code"] == "import_failed"


@pytest.fixture
def sitting(exam_staff: User, exam_center: Organization, enterprise_a: Organization):  # type: ignore[no-untyped-def]
    return seated_sitting(exam_staff, exam_center, enterprise_a)


def test_a_scoring_sheet_goes_out_and_comes_back_and_bad_cells_are_named(sitting) -> None:  # type: ignore[no-untyped-def]
    from certification.selectors.practical import domain_sheet, part_sheet

    items = domain_sheet(part_sheet(sitting.practical)).items  # type: ignore[arg-type]
    assert tuple(tables.read_scoring_sheet(tables.write_scoring_sheet(items))) == items
    bad = _workbook({"评分表": [ITEMS_HEAD, ["A1", "焊前准备", 20, 3], ["A1", "", "二十", -1],
                               ["A3", "外观", 0.001, ""], ["A4", "内部质量", 50, ""]]})
    with pytest.raises(ImportFailed) as failed:
        tables.read_scoring_sheet(bad)
    assert _errors(failed.value) == [
        ("评分表", 3, "评分项代码", "practical.repeated_code"), ("评分表", 3, "评分项", "excel.cell_required"),
        ("评分表", 3, "配分", "excel.not_a_number"), ("评分表", 3, "误差允许范围", "practical.bad_tolerance_cell"),
        ("评分表", 4, "配分", "practical.bad_max_cell"),
    ]
    with pytest.raises(ImportFailed) as total:
        tables.read_scoring_sheet(_workbook({"评分表": [ITEMS_HEAD, ["A1", "准备", 20, ""], ["A2", "外观", 70, ""]]}))
    assert _errors(total.value) == [("评分表", 3, "配分", "practical.total_not_100_cell")]
    assert "现为 90 分" in total.value.row_errors[0].message


def test_the_sheet_page_imports_items_keeping_its_share_or_saves_nothing(client_of, sitting, exam_staff) -> None:  # type: ignore[no-untyped-def]
    client = client_of(exam_staff)
    url = f"/certification/parts/{sitting.practical.pk}/sheet/"
    html = client.get(url).content.decode()
    assert 'data-testid="sheet-import"' in html and client.get(url + "template.xlsx").status_code == 200
    before = list(SheetItem.objects.values_list("code", "max_points"))
    bad = _workbook({"评分表": [ITEMS_HEAD, ["B1", "<script>x</script>", 120, ""]]})
    refused = client.post(url + "import/", {"file": SimpleUploadedFile("s.xlsx", bad, content_type=XLSX)})
    page = refused.content.decode()
    assert refused.status_code == 422 and "配分应为大于 0" in page and "<script>x" not in page
    assert list(SheetItem.objects.values_list("code", "max_points")) == before
    good = _workbook({"评分表": [ITEMS_HEAD, ["B1", "坡口加工", 30, 4], ["B2", "焊缝外观", 70, ""]]})
    done = client.post(url + "import/", {"file": SimpleUploadedFile("s.xlsx", good, content_type=XLSX)}, follow=True)
    assert "评分表已从 Excel 导入" in done.content.decode()
    assert list(SheetItem.objects.filter(sheet__part=sitting.practical).values_list("code", flat=True)) == ["B1", "B2"]
    exported = client.get(url + "sheet.xlsx")
    assert [i.code for i in tables.read_scoring_sheet(exported.content)] == ["B1", "B2"]


def test_a_sheet_with_scores_refuses_an_import_by_the_api(client_of, sitting, exam_staff, hr_of_b) -> None:  # type: ignore[no-untyped-def]
    good = _workbook({"评分表": [ITEMS_HEAD, ["B1", "坡口加工", 30, 4], ["B2", "焊缝外观", 70, ""]]})
    api = f"/api/v1/certification/parts/{sitting.practical.pk}/sheet/import"
    assert client_of(hr_of_b).post(api, {"file": SimpleUploadedFile("s.xlsx", good)}).status_code in (403, 404)
    score(sitting.panel[0], sitting.registrations[0], "A1", "20")
    refused = client_of(exam_staff).post(api, {"file": SimpleUploadedFile("s.xlsx", good, content_type=XLSX)})
    assert refused.status_code == 409 and refused.json()["code"] == "practical.sheet_frozen"
