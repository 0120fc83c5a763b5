"""The catalogue's writes: by hand and from Excel (every bad cell named, nothing saved, idempotent re-import), each
audited; only the platform admin edits it."""

from __future__ import annotations

import pytest

from accounts.models import User
from audit.models import AuditEntry
from certification import services
from certification.domain import eligibility
from certification.domain.ladder import SkillLevel
from certification.excel.exports import catalogue_export
from certification.excel.sheets import CATALOGUE
from certification.models import Occupation, OccupationLevel
from core.errors import ImportFailed, PermissionDenied, ValidationFailed
from core.excel import write_workbook

ROWS = [
    {"code": "6-18-02-04", "name": "焊工", "levels": "五级、四级、三级、二级、一级", "description": "焊接"},
    {"code": "6-31-01-03", "name": "电工", "levels": "五级、四级、三级"},
]


def _file(rows: list[dict[str, str]]) -> bytes:
    return write_workbook([(CATALOGUE, rows)])


def test_the_admin_imports_the_catalogue_with_default_rules_and_the_same_file_again_changes_nothing(
        platform_admin: User) -> None:
    summary = services.catalogue_import(actor=platform_admin, data=_file(ROWS))
    assert (summary.created, summary.updated, summary.unchanged) == (["6-18-02-04", "6-31-01-03"], [], 0)
    welder = Occupation.objects.get(code="6-18-02-04")
    assert (welder.major_code, welder.middle_code, welder.minor_code) == ("6", "6-18", "6-18-02")
    four = OccupationLevel.objects.get(occupation=welder, level=4)
    assert four.eligibility == eligibility.rule_to_data(eligibility.default_rule(SkillLevel.FOUR))
    entries = AuditEntry.objects.filter(action__startswith="certification.")
    assert sorted(entries.values_list("action", flat=True)) == [
        "certification.catalogue.imported", "certification.occupation.created", "certification.occupation.created"]

    again = services.catalogue_import(actor=platform_admin, data=_file(ROWS))
    assert (again.created, again.updated, again.unchanged) == ([], [], 2)
    assert AuditEntry.objects.filter(action__startswith="certification.").count() == 3


def test_a_reimport_updates_levels_and_keeps_a_standards_own_rule(platform_admin: User) -> None:
    services.catalogue_import(actor=platform_admin, data=_file(ROWS))
    electrician = Occupation.objects.get(code="6-31-01-03")
    own = eligibility.Rule(SkillLevel.FOUR, (eligibility.Path((eligibility.years(3),)),))
    services.occupation_rule_set(actor=platform_admin, occupation_id=electrician.pk, level=SkillLevel.FOUR, rule=own)
    changed = [ROWS[0], {**ROWS[1], "name": "电工（维修）", "levels": "四级、三级、二级"}]
    summary = services.catalogue_import(actor=platform_admin, data=_file(changed))
    assert summary.updated == ["6-31-01-03"]
    assert sorted(OccupationLevel.objects.filter(occupation=electrician).values_list("level", flat=True)) == [2, 3, 4]
    assert OccupationLevel.objects.get(occupation=electrician, level=4).eligibility == eligibility.rule_to_data(own)
    entry = AuditEntry.objects.filter(action="certification.occupation.updated").latest("pk")
    assert entry.old == {"name": "电工", "levels": [5, 4, 3]}
    assert entry.new == {"name": "电工（维修）", "levels": [4, 3, 2]}


def test_bad_codes_unknown_levels_and_repeats_are_named_by_cell_and_nothing_is_saved(platform_admin: User) -> None:
    rows = [
        {"code": "6-18-2-04", "name": "焊工", "levels": "五级"},
        {"code": "6-31-01-03", "name": "电工", "levels": "五级、特级技师"},
        {"code": "4-12-01-01", "name": "", "levels": "三级"},
        {"code": "6-31-01-03", "name": "电工", "levels": "五级"},
    ]
    with pytest.raises(ImportFailed) as refused:
        services.catalogue_import(actor=platform_admin, data=_file(rows))
    assert [(e["sheet"], e["row"], e["column"]) for e in refused.value.rows()] == [
        ("职业目录", 2, "职业编码"), ("职业目录", 3, "可认定等级"), ("职业目录", 4, "职业名称"),
        ("职业目录", 5, "职业编码")]
    assert "6-18-2-04" in refused.value.rows()[0]["message"] and "特级技师" in refused.value.rows()[1]["message"]
    assert not Occupation.objects.exists() and not AuditEntry.objects.filter(action__startswith="certification.")


def test_the_export_imports_again_unchanged(platform_admin: User, worker_of_a: User) -> None:
    services.catalogue_import(actor=platform_admin, data=_file(ROWS))
    exported = catalogue_export(viewer=worker_of_a)  # anyone signed in reads the catalogue
    assert services.catalogue_import(actor=platform_admin, data=exported).unchanged == 2


def test_only_the_admin_edits_the_catalogue(organizer: User, hr_of_a: User) -> None:
    for actor in (organizer, hr_of_a):
        with pytest.raises(PermissionDenied):
            services.catalogue_import(actor=actor, data=_file(ROWS))
        with pytest.raises(PermissionDenied):
            services.occupation_create(actor=actor, data=services.OccupationData("6-18-02-04", "焊工",
                                                                                 (SkillLevel.FIVE,)))


def test_a_code_taken_or_bad_is_a_field_error(platform_admin: User) -> None:
    services.occupation_create(actor=platform_admin, data=services.OccupationData("6-18-02-04", "焊工",
                                                                                  (SkillLevel.FIVE,)))
    with pytest.raises(ValidationFailed) as refused:
        services.occupation_create(actor=platform_admin, data=services.OccupationData("６-18-02-04", "焊工2",
                                                                                      (SkillLevel.FIVE,)))
    assert refused.value.fields().keys() == {"code"}
    with pytest.raises(ValidationFailed) as bad:
        services.occupation_create(actor=platform_admin, data=services.OccupationData("618", "", ()))
    assert bad.value.fields().keys() == {"code", "name", "levels"}
