"""The catalogue as an Excel file, from the shared selector (anyone who may read the catalogue may export it);
the file imports again unchanged (certification.excel.sheets)."""

from __future__ import annotations

from typing import Any

from certification import access
from certification.domain.catalogue import levels_text
from certification.domain.ladder import SkillLevel
from certification.excel.sheets import CATALOGUE
from certification.selectors.catalogue import occupations_all
from core.excel import write_workbook


def catalogue_export(*, viewer: Any) -> bytes:
    access.require_catalogue_view(viewer)
    rows = [{"code": o.code, "name": o.name, "levels": levels_text([SkillLevel(v.level) for v in o.levels]),
             "description": o.description} for o in occupations_all()]
    return write_workbook([(CATALOGUE, rows)])
