"""A checklist workbook of more detail rows than `IMPORT_BACKGROUND_ROWS` is imported as a background task: the
API answers 202 with the task, the worker imports it as its owner, the task's result links the checklist."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from accounts.models import Organization, User
from talentpool.excel import checklists as excel
from talentpool.models import DemandChecklist
from talentpool.selectors import checklists as selectors
from tasks.models import TaskInput, TaskProgress
from tests.certification.factories import occupation
from tests.talentpool.checklist_forms import WELDER, demand_form

pytestmark = pytest.mark.django_db(transaction=True)
API = "/api/v1/talentpool"


def test_a_big_workbook_is_imported_as_a_background_task(client_of, hr_of_a: User, enterprise_a: Organization,  # type: ignore[no-untyped-def]
                                                         settings) -> None:
    occupation(WELDER, "焊工")
    settings.IMPORT_BACKGROUND_ROWS = 2
    posts = tuple(demand_form().posts[0].__class__(name=f"岗位{i}", occupation_code=WELDER, headcount=1,
                                                   level="四级", city="jinan") for i in range(5))
    upload = io.BytesIO(excel.demand_workbook(2026, demand_form(posts=posts), selectors.chain_names()))
    upload.name = "big.xlsx"
    answer = client_of(hr_of_a).post(f"{API}/enterprises/{enterprise_a.pk}/demand-checklists/import",
                                     {"file": upload})
    assert answer.status_code == 202, answer.json()
    assert not DemandChecklist.objects.exists()
    call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", verbosity=0)
    progress = TaskProgress.objects.get(pk=answer.json()["task_id"])
    assert progress.status == "succeeded", (progress.status, progress.result)
    checklist = DemandChecklist.objects.get()
    assert progress.result["checklist_id"] == checklist.pk and checklist.posts.count() == 5
    assert not TaskInput.objects.exists()
