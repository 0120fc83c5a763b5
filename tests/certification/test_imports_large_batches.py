"""A unit's registration file above `IMPORT_BACKGROUND_ROWS` (issue 12 item 4; DESIGN.md "People and files") goes
through the background task, as competitions' roster import does, with the database worker run here on SQLite:
400 good rows are all registered, to 100 %, audited, and the stored file deleted; 400 rows with three bad ones save
nothing and the task's result names each bad cell by sheet, row and column."""

from __future__ import annotations

import io
import random
from datetime import date

import openpyxl
import pytest
from django.core.management import call_command
from django.test import Client

from accounts.models import Membership, Organization, Role, User
from accounts.synthetic import synthetic_id_number
from audit.models import AuditEntry
from certification.models import Registration
from tasks.models import TaskInput, TaskProgress
from tests.accounts.factories import person
from tests.certification.batch_steps import planned_batch

pytestmark = pytest.mark.django_db(transaction=True)
ROWS = 400


def run_worker() -> None:
    call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", verbosity=0)


def _members(unit: Organization, n: int) -> list[User]:
    """`n` people of the unit, made in bulk (valid ID numbers, distinct)."""
    rng = random.Random(12)  # noqa: S311 - synthetic test people
    numbers: set[str] = set()
    while len(numbers) < n:
        numbers.add(synthetic_id_number(rng, born=date(1985, 1, 1 + len(numbers) % 28), male=rng.random() < 0.5))
    users = User.objects.bulk_create([User(username=f"welder{i:04d}", real_name=f"焊工{i:04d}", id_number=number)
                                      for i, number in enumerate(sorted(numbers))])
    Membership.objects.bulk_create([Membership(user=u, organization=unit, role=Role.CANDIDATE) for u in users])
    return users


def _upload(rows: list[list[object]]) -> io.BytesIO:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "报名表"
    sheet.append(["姓名", "身份证号", "从事本职业工作年限", "完成学徒培训", "毕业院校类型", "学历"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "报名表.xlsx"
    return out


def _queue(client: Client, batch_id: int, unit: Organization, rows: list[list[object]]) -> str:
    answer = client.post(f"/api/v1/certification/batches/{batch_id}/registrations/import",
                         {"unit_id": unit.pk, "file": _upload(rows)})
    assert answer.status_code == 202, answer.content[:300]
    assert Registration.objects.count() == 0  # nothing before the worker runs
    return str(answer.json()["task_id"])


def test_a_file_above_the_threshold_is_imported_by_the_task_to_the_last_row(  # type: ignore[no-untyped-def]
        client_of, exam_staff: User, exam_center: Organization, enterprise_a: Organization,
        hr_of_a: User) -> None:
    batch = planned_batch(exam_staff, exam_center)
    people = _members(enterprise_a, ROWS)
    client: Client = client_of(hr_of_a)
    task_id = _queue(client, batch.pk, enterprise_a, [[p.real_name, p.id_number, 6, "否", "", "高中"] for p in people])
    assert AuditEntry.objects.get(action="certification.registrations.import_queued").new["rows"] == ROWS

    run_worker()

    body = client.get(f"/api/v1/tasks/{task_id}").json()
    assert body["status"] == "succeeded" and body["percent"] == 100, body
    assert body["result"]["summary"] == f"已导入 {ROWS} 条报名。" and body["result"]["registrations"] == ROWS
    assert body["result"]["next_url"] == f"/certification/batches/{batch.pk}/register/"
    assert set(Registration.objects.filter(batch=batch, unit=enterprise_a).values_list("candidate_id", flat=True)) \
        == {p.pk for p in people}
    imported = AuditEntry.objects.get(action="certification.registrations.imported")
    assert imported.actor_id == hr_of_a.pk and imported.new["registrations"] == ROWS
    assert AuditEntry.objects.filter(action="certification.registration.submitted").count() == ROWS
    assert TaskProgress.objects.get(pk=task_id).owner == hr_of_a
    assert not TaskInput.objects.exists()  # the file, with its ID numbers, is gone once imported


def test_a_background_import_with_bad_rows_saves_nothing_and_names_every_cell(  # type: ignore[no-untyped-def]
        client_of, exam_staff: User, exam_center: Organization, enterprise_a: Organization,
        hr_of_a: User) -> None:
    batch = planned_batch(exam_staff, exam_center)
    people = _members(enterprise_a, ROWS)
    stranger = person(None, None, username="stranger", real_name="路人甲")
    rows: list[list[object]] = [[p.real_name, p.id_number, 6, "否", "", "高中"] for p in people]
    rows[9][2] = 2  # row 11: two years in the trade, short of every path to 四级
    rows[199] = [stranger.real_name, stranger.id_number, 6, "否", "", "高中"]  # row 201: not the unit's member
    rows[349][0] = "张冠李戴"  # row 351: a name that is not the ID number's
    client: Client = client_of(hr_of_a)
    task_id = _queue(client, batch.pk, enterprise_a, rows)
    audit_before = AuditEntry.objects.count()

    run_worker()

    body = client.get(f"/api/v1/tasks/{task_id}").json()
    assert body["status"] == "failed", body
    result = body["result"]
    assert result["code"] == "import_failed"
    assert [(r["sheet"], r["row"], r["column"]) for r in result["rows"]] == [
        ("报名表", 11, "从事本职业工作年限"), ("报名表", 201, "身份证号"), ("报名表", 351, "姓名")]
    assert "6 年" in result["rows"][0]["message"] and "张冠李戴" in result["rows"][2]["message"]
    assert result["next_url"] == f"/certification/batches/{batch.pk}/register/"
    assert Registration.objects.count() == 0
    assert AuditEntry.objects.count() == audit_before  # nothing written, not even the import's own entry
    assert not TaskInput.objects.exists()
