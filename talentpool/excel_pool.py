"""The pool's exports (issue 14 item 7): a search result or the shortlist as an Excel file, from the same
selector rows as the pages, so contact columns are filled only where the reader's enterprise holds the person's
consent (selectors.profiles); written with core's workbook writer (text cells, formula-injection safe)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from core.excel import Column, Sheet, write_workbook
from talentpool.selectors.pool import TalentRow
from talentpool.selectors.profiles import CONTACT_HIDDEN

POOL_SHEET = Sheet("人才库", [
    Column("姓名", "name"), Column("所在城市", "city"), Column("职业（工种）及等级", "holdings"),
    Column("技能点", "skills"), Column("最高奖项", "award"), Column("学历", "education"),
    Column("从业年限", "years"), Column("接受工作机会", "open"), Column("产业链", "chains"),
    Column("联系电话", "phone", text=True), Column("电子邮箱", "email", text=True), Column("备注", "note"),
])


def _row(r: TalentRow, note: str = "") -> dict[str, Any]:
    hidden = str(CONTACT_HIDDEN)
    return {
        "name": r.name, "city": r.city_label,
        "holdings": "；".join(f"{h.occupation_name}（{h.occupation_code}）{h.rung_label}" for h in r.holdings),
        "skills": "、".join(r.skills), "award": r.best_award_label, "education": r.education_label,
        "years": "" if r.years_experience is None else r.years_experience,  # not given: an empty cell
        "open": "是" if r.open_to_offers else "否", "chains": "、".join(r.chains),
        "phone": r.contact.phone if r.contact else hidden, "email": r.contact.email if r.contact else hidden,
        "note": note,
    }


def pool_workbook(rows: Iterable[TalentRow], notes: dict[int, str] | None = None) -> bytes:
    notes = notes or {}
    return write_workbook([(POOL_SHEET, [_row(r, notes.get(r.id, "")) for r in rows])])
