"""The results of a batch as an evaluation body reports them upward (issue 12 item 9): one row per seated
candidate, from the shared selector (`selectors.results.report_rows`, which decides the ID number's masking: full
for whoever manages the batch's results, masked for other readers). Scores are numbers; 缺考 is text; the core
helper writes every text literally, so a name or answer never becomes a live formula."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from certification.models import Batch
from certification.selectors.results import report_rows
from core.excel import Column, Sheet, write_workbook

REPORT = Sheet("认定成绩", [
    Column("姓名", "name"),
    Column("证件号码", "id_number", text=True),
    Column("职业", "occupation"),
    Column("职业代码", "occupation_code", text=True),
    Column("等级", "level"),
    Column("理论成绩", "theory"),
    Column("操作成绩", "practical"),
    Column("综合评审成绩", "review"),
    Column("是否合格", "passed"),
    Column("考核日期", "assessed_on"),
    Column("评价机构", "body"),
])


def results_export(*, viewer: Any, batch: Batch) -> bytes:
    """The upward report of one batch (the caller asked `access_batch_results`)."""
    return write_workbook([(REPORT, [asdict(r) for r in report_rows(viewer, batch)])])
