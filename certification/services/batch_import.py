"""Registration of many people by their unit from Excel (批次报名表; certification.excel.batches), all or nothing.

Like competitions' roster import: the file is read and every cell parsed first (outside the transaction); then one
durable transaction checks every row against the database, naming every bad cell by sheet, row and column in one
pass (an unknown ID number, a name that does not match it, a person not of the unit, one already registered, an
ineligible one with every failing rule), and writes only when every row is good: the registrations in bulk, one
audit entry each, and one for the import. The database is asked once per kind of check (people by ID number,
their memberships, their standing registrations, their held levels), never once per row, so 5,000 rows fit the
issue's 20 s (bench/batch_registration_import.py).

Choice: the import registers people already on the platform as members of the unit (the unit keeps its people's
records; a file cannot create accounts under another unit's name), and a row naming anyone else is a cell error
at 身份证号 that says only that the unit has no such person.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts.excel import same_real_name
from accounts.models import Membership, User
from audit.services import audit_record
from certification import access
from certification.domain.eligibility import Education, SchoolType
from certification.excel.batches import REGISTRATIONS
from certification.models import Registration
from certification.selectors import batches as views
from certification.selectors.catalogue import level_label
from certification.services.batches import _check_open, _snapshot_registration, _user
from core.errors import ImportFailed, RowError
from core.excel import check_unique, read_rows
from core.lookup import batched, filter_in
from tasks.progress import Report

MAX_FILE_BYTES = 10 * 1024 * 1024
WRITE_BATCH = 500


def _silent(done: int, total: int, message: str = "") -> None:
    """Nobody watches an import answered in the request."""


def registrations_import(*, actor: Any, batch_id: int, unit_id: int, data: bytes,
                         progress: Report = _silent) -> list[Registration]:
    """Register every person of the file for the batch on behalf of the unit, or nobody (module docstring)."""
    access.access_batch_announced(actor, batch_id)
    access.access_unit_for_registration(actor, unit_id)
    if len(data) > MAX_FILE_BYTES:
        raise ImportFailed([RowError(REGISTRATIONS.name, 0, "", "bank.too_large", {"max": 10})])
    rows, cell_errors = read_rows(data, REGISTRATIONS, partial=True, max_rows=5000)
    progress(0, len(rows), gettext("已读取 %(count)s 行，正在检查……") % {"count": len(rows)})
    return _write(actor=actor, batch_id=batch_id, unit_id=unit_id, rows=rows, cell_errors=cell_errors,
                  progress=progress)


def _good(row: dict[str, Any], key: str) -> bool:
    return row[key] is not None and key not in row["_bad"]


@transaction.atomic(durable=True)
def _write(*, actor: Any, batch_id: int, unit_id: int, rows: list[dict[str, Any]], cell_errors: list[RowError],
           progress: Report) -> list[Registration]:
    batch = access.access_batch_announced(actor, batch_id)
    unit = access.access_unit_for_registration(actor, unit_id)
    _check_open(batch, timezone.localdate())
    errors = [*cell_errors, *check_unique(rows, REGISTRATIONS, "id_number")]
    ids = {r["id_number"] for r in rows if _good(r, "id_number")}
    people = {u.id_number: u for u in filter_in(User.objects.filter(is_active=True), "id_number", ids)}
    members = set(filter_in(Membership.objects.filter(organization=unit).values_list("user_id", flat=True),
                            "user_id", [u.pk for u in people.values()]))
    taken = set(filter_in(Registration.objects.filter(batch=batch, status__in=views.ACTIVE)
                          .values_list("candidate_id", flat=True), "candidate_id", [u.pk for u in people.values()]))
    facts: dict[int, views.FactsIn] = {}
    row_of: dict[int, dict[str, Any]] = {}
    for row in rows:
        if not _good(row, "id_number"):
            continue
        found = people.get(row["id_number"])
        if found is None or found.pk not in members:
            errors.append(RowError(REGISTRATIONS.name, row["_row"], "身份证号", "registration.no_person"))
            continue
        if _good(row, "name") and not same_real_name(found.real_name, row["name"]):
            errors.append(RowError(REGISTRATIONS.name, row["_row"], "姓名", "registration.name_mismatch",
                                   {"value": row["id_number"], "name": row["name"]}))
        if found.pk in taken:
            errors.append(RowError(REGISTRATIONS.name, row["_row"], "身份证号", "registration.exists",
                                   {"person": row["name"] or found.real_name}))
        if _good(row, "years") and _good(row, "education") and "school" not in row["_bad"] \
                and "apprenticeship" not in row["_bad"]:
            facts[found.pk] = views.FactsIn(row["years"], bool(row["apprenticeship"]),
                                            SchoolType(row["school"]) if row["school"] else None,
                                            Education(row["education"]))
            row_of[found.pk] = row
    records = views.eligibility_records(batch, facts, on=timezone.localdate()) if facts else {}
    for person_id, record in records.items():
        if not record["eligible"]:
            row = row_of[person_id]
            errors.append(RowError(REGISTRATIONS.name, row["_row"], "从事本职业工作年限", "registration.ineligible", {
                "occupation": batch.occupation.name, "level": level_label(batch.level),
                "reasons": views.failing_reasons(record)}))
    if errors:
        order = {c.header: i for i, c in enumerate(REGISTRATIONS.columns)}
        raise ImportFailed(sorted(errors, key=lambda e: (e.row, order.get(e.column, -1))))

    now, made = timezone.now(), []
    progress(0, len(rows), gettext("正在保存……"))
    for chunk in batched(list(facts.items()), WRITE_BATCH):
        made += Registration.objects.bulk_create([Registration(
            batch=batch, candidate_id=person_id, unit=unit, years_in_trade=f.years_in_trade,
            apprenticeship_finished=f.apprenticeship_finished, school=f.school.value if f.school else "",
            education=int(f.education), eligibility=records[person_id], submitted_by=_user(actor), submitted_at=now,
        ) for person_id, f in chunk])
        progress(len(made), len(rows), gettext("已保存 %(done)s / %(count)s 行……") % {"done": len(made),
                                                                                   "count": len(rows)})
    for r in made:
        audit_record(actor=actor, action="certification.registration.submitted", target=r,
                     new=_snapshot_registration(r))
    audit_record(actor=actor, action="certification.registrations.imported", target=batch,
                 new={"rows": len(rows), "unit": unit.pk, "registrations": len(made)})
    return made
