"""Large Excel imports (issue 8 item 6): above `IMPORT_BACKGROUND_ROWS` rows a roster or a scheme is imported by a
background task with a progress bar, through the API and the page alike, all or nothing, the owner's rights asked
again when it runs; below it the request answers as before. No import answers 500 after committing: every lookup
of the import and of its answer is read in bounded batches (SQLite refused 1,000+ at once). The database is asked
once per kind of thing, whatever the number of rows."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from accounts import services as accounts_services
from accounts.models import Membership, Organization, Role, User
from audit.models import AuditEntry
from competitions import excel as workbooks
from competitions import services
from competitions.models import Aspect, Entry, EntryMember, Group, Skill
from competitions.services import MemberData
from competitions.services.registration import AlreadyEntered, TeamData, _entries_submit
from tasks.models import TaskInput, TaskProgress, TaskStatus
from tests.accounts.factories import person
from tests.accounts.steps import bearer
from tests.competitions import rosters
from tests.competitions.factories import contestant

SCHEME_HEADERS = [c.header for c in workbooks.SCHEME.columns]


def run_worker() -> None:
    call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", verbosity=0)


def counts() -> dict[str, int]:
    return {"users": User.objects.count(), "entries": Entry.objects.count(), "members": EntryMember.objects.count(),
            "memberships": Membership.objects.count(), "aspects": Aspect.objects.count()}


def roster_url(skill: Skill) -> str:
    return f"/api/v1/competitions/skills/{skill.pk}/roster/import"


def scheme_rows(count: int) -> list[list[object]]:
    """`count` aspects in modules of 50, full-or-zero, maxima summing to 100 (count must divide 10,000)."""
    mark = Decimal(100) / count
    return [[f"M{i // 50 + 1}", f"模块{i // 50 + 1}", f"A{i + 1:04d}", "", "测量（全得或零分）", str(mark), None, None,
             None, None] for i in range(count)]


# --- in the request: below the threshold, and above it when the threshold is raised --------------------------------


def test_a_roster_of_1200_rows_imported_in_the_request_answers_201_with_every_entry(
    registration_skill: Skill, hr_of_a: User, organizer: User, client: Client, settings: Any
) -> None:
    settings.IMPORT_BACKGROUND_ROWS = 5000  # answered in the request, as any file was before
    drawn = rosters.roster_rows(2400, unit="甲企业")
    rows, coaches = drawn[:1200], drawn[1200:]
    User.objects.bulk_create([User(username=f"coach{i}", real_name=str(c[1]), id_number=str(c[2]))
                              for i, c in enumerate(coaches)])
    for row, coach in zip(rows, coaches, strict=True):
        row[6] = coach[2]  # 1,200 coaches, one each: the export reads them all back too
    response = client.post(roster_url(registration_skill), {"file": rosters.upload(rosters.workbook(rows))},
                           **bearer(hr_of_a))
    assert response.status_code == 201, response.content[:300]
    body = response.json()
    assert len(body) == 1200 and [e["members"][0]["name"] for e in body] == [r[1] for r in rows]
    assert Entry.objects.filter(skill=registration_skill).count() == 1200
    # The round trip reads them all back: the export lists every row, and the draws' lists would too. The
    # nominating unit's export, which shows the coaches it named unmasked (the organizer's masks them).
    book = load_workbook(io.BytesIO(workbooks.roster_export(viewer=hr_of_a, skill=registration_skill)))
    exported = list(book["报名表"].iter_rows(min_row=2, values_only=True))
    assert [(r[2], r[6]) for r in exported] == [(r[2], r[6]) for r in rows]
    book = load_workbook(io.BytesIO(workbooks.roster_export(viewer=organizer, skill=registration_skill)))
    exported = list(book["报名表"].iter_rows(min_row=2, values_only=True))
    assert [r[2] for r in exported] == [r[2] for r in rows] and all("*" in r[6] for r in exported)


def test_a_scheme_of_1250_aspects_imported_in_the_request_answers_200(
    registration_skill: Skill, organizer: User, client: Client, settings: Any
) -> None:
    settings.IMPORT_BACKGROUND_ROWS = 5000
    data = rosters.workbook(scheme_rows(1250), sheet="评分标准", headers=SCHEME_HEADERS)
    response = client.post(f"/api/v1/competitions/skills/{registration_skill.pk}/scheme/import",
                           {"file": rosters.upload(data, "scheme.xlsx")}, **bearer(organizer))
    assert response.status_code == 200, response.content[:300]
    assert len(response.json()["aspects"]) == 1250
    assert Aspect.objects.filter(scheme__skill=registration_skill).count() == 1250


def test_the_database_is_asked_once_per_kind_of_thing_whatever_the_number_of_rows(
    registration_skill: Skill, hr_of_a: User, enterprise_a: Organization
) -> None:
    """Beyond the audit entries (one per person, membership and entry, as for one registration), the import's
    queries do not grow with its rows."""
    coach = person(Role.COACH, enterprise_a, real_name="李教练")

    def queries(count: int, seed: int) -> int:
        data = rosters.workbook(rosters.roster_rows(count, unit="甲企业", seed=seed, coach_id=coach.id_number))
        actor = User.objects.get(pk=hr_of_a.pk)  # its roles not cached yet, each time
        with CaptureQueriesContext(connection) as captured:
            services.roster_import(actor=actor, skill=registration_skill, data=data)
        return sum(1 for q in captured.captured_queries if "audit_" not in q["sql"])

    few, more = queries(20, seed=1), queries(40, seed=2)
    assert few == more and more <= 20


# --- the switch -----------------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_file_at_the_threshold_is_imported_at_once_and_one_row_more_is_queued(
    registration_skill: Skill, hr_of_a: User, client: Client, settings: Any
) -> None:
    settings.IMPORT_BACKGROUND_ROWS = 3
    rows = rosters.roster_rows(7, unit="甲企业")
    at = client.post(roster_url(registration_skill), {"file": rosters.upload(rosters.workbook(rows[:3]))},
                     **bearer(hr_of_a))
    assert at.status_code == 201 and len(at.json()) == 3
    assert not TaskProgress.objects.exists()

    big = rosters.workbook(rows[3:])  # built once: a workbook carries the second it was written at
    above = client.post(roster_url(registration_skill), {"file": rosters.upload(big)}, **bearer(hr_of_a))
    assert above.status_code == 202
    started = above.json()
    progress = TaskProgress.objects.get(pk=started["task_id"])
    assert started["status"] == "queued" and started["progress_url"] == f"/tasks/{progress.pk}/"
    assert started["api_url"] == f"/api/v1/tasks/{progress.pk}"
    assert progress.owner == hr_of_a and progress.task_result_id and "4 行" in progress.label
    assert bytes(TaskInput.objects.get(progress=progress).data) == big
    assert Entry.objects.count() == 3  # nothing of the big file yet
    queued = AuditEntry.objects.get(action="competitions.roster.import_queued")
    assert queued.new["rows"] == 4 and queued.new["task"] == str(progress.pk)


# --- in the background ----------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_roster_of_1200_rows_through_the_api_is_queued_and_imported_by_the_worker_to_100_percent(
    registration_skill: Skill, hr_of_a: User, client: Client
) -> None:
    rows = rosters.roster_rows(1200, unit="甲企业")
    auth = bearer(hr_of_a)
    response = client.post(roster_url(registration_skill), {"file": rosters.upload(rosters.workbook(rows))}, **auth)
    assert response.status_code == 202
    task_id = response.json()["task_id"]

    run_worker()

    body = client.get(f"/api/v1/tasks/{task_id}", **auth).json()
    assert body["status"] == "succeeded" and body["percent"] == 100 and body["done"] == body["total"] == 1200
    assert body["result"]["summary"] == "已导入 1200 条报名。" and body["result"]["entries"] == 1200
    assert body["result"]["next_url"] == f"/competitions/skills/{registration_skill.pk}/excel/"
    assert Entry.objects.filter(skill=registration_skill).count() == 1200
    assert set(User.objects.filter(competition_entries__entry__skill=registration_skill)
               .values_list("id_number", flat=True)) == {r[2] for r in rows}
    imported = AuditEntry.objects.get(action="competitions.roster.imported")
    assert imported.actor_id == hr_of_a.pk and imported.new["rows"] == 1200 and imported.new["people_created"] == 1200
    assert AuditEntry.objects.filter(action="accounts.person.created").count() == 1200
    assert not TaskInput.objects.exists()  # the file, with its ID numbers, is gone once imported


@pytest.mark.django_db(transaction=True)
def test_a_bad_background_import_reports_every_cell_by_sheet_row_and_column_and_writes_nothing(
    registration_skill: Skill, hr_of_a: User, client: Client
) -> None:
    rows = rosters.roster_rows(400, unit="甲企业")
    rows[8][2] = "110105194912310021"  # row 10: a wrong check digit
    rows[198][4] = "不存在的单位"  # row 200: an unknown unit
    rows[348][2] = rows[5][2]  # row 350: the ID number of row 7 again
    rows[398][5] = "干部组"  # row 400: no such group
    auth = bearer(hr_of_a)
    response = client.post(roster_url(registration_skill), {"file": rosters.upload(rosters.workbook(rows))}, **auth)
    task_id = response.json()["task_id"]
    before = counts()
    audit_before = AuditEntry.objects.count()

    run_worker()

    body = client.get(f"/api/v1/tasks/{task_id}", **auth).json()
    assert body["status"] == "failed"
    result = body["result"]
    assert result["code"] == "import_failed" and result["message"] == "文件中有 4 处错误，未保存任何内容。"
    assert [(r["sheet"], r["row"], r["column"]) for r in result["rows"]] == [
        ("报名表", 10, "身份证号"), ("报名表", 200, "推荐单位"), ("报名表", 350, "身份证号"), ("报名表", 400, "组别")]
    assert "不存在的单位" in result["rows"][1]["message"] and "第 7 行" in result["rows"][2]["message"]
    assert counts() == before and AuditEntry.objects.count() == audit_before
    assert not TaskInput.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_task_asks_the_owner_s_rights_again_and_imports_nothing_once_they_are_gone(
    registration_skill: Skill, hr_of_a: User, hr_of_b: User, platform_admin: User, client: Client
) -> None:
    auth_a = bearer(hr_of_a)
    file = rosters.workbook(rosters.roster_rows(350, unit="甲企业"))
    revoked = client.post(roster_url(registration_skill), {"file": rosters.upload(file)}, **auth_a).json()["task_id"]
    file_b = rosters.workbook(rosters.roster_rows(350, unit="乙企业", seed=3))
    deactivated = client.post(roster_url(registration_skill), {"file": rosters.upload(file_b)},
                              **bearer(hr_of_b)).json()["task_id"]
    accounts_services.membership_revoke(actor=platform_admin, membership=hr_of_a.memberships.get(),
                                        reason="调离人事岗位")
    User.objects.filter(pk=hr_of_b.pk).update(is_active=False)
    before = counts()

    run_worker()

    for task_id in (revoked, deactivated):
        progress = TaskProgress.objects.get(pk=task_id)
        assert progress.status == TaskStatus.FAILED and progress.result is not None
        assert progress.result["code"] == "permission_denied" and progress.message == "您没有执行此操作的权限。"
    assert counts() == before
    assert not AuditEntry.objects.filter(action="competitions.roster.imported").exists()
    assert not TaskInput.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_an_import_that_could_never_run_is_refused_at_once_and_queues_nothing(
    registration_skill: Skill, referee_of_a: User, outsider: User, organizer: User, client: Client,
    settings: Any
) -> None:
    settings.IMPORT_BACKGROUND_ROWS = 3
    file = rosters.workbook(rosters.roster_rows(10, unit="甲企业"))
    for someone in (referee_of_a, outsider):  # nominates for no unit
        response = client.post(roster_url(registration_skill), {"file": rosters.upload(file)}, **bearer(someone))
        assert response.status_code in (403, 404)
    scheme = rosters.workbook(scheme_rows(10), sheet="评分标准", headers=SCHEME_HEADERS)
    response = client.post(f"/api/v1/competitions/skills/{registration_skill.pk}/scheme/import",
                           {"file": rosters.upload(scheme)}, **bearer(referee_of_a))
    assert response.status_code in (403, 404)
    assert not TaskProgress.objects.exists() and not TaskInput.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_big_scheme_is_imported_in_the_background(
    registration_skill: Skill, organizer: User, client: Client
) -> None:
    auth = bearer(organizer)
    data = rosters.workbook(scheme_rows(400), sheet="评分标准", headers=SCHEME_HEADERS)
    response = client.post(f"/api/v1/competitions/skills/{registration_skill.pk}/scheme/import",
                           {"file": rosters.upload(data, "scheme.xlsx")}, **auth)
    assert response.status_code == 202
    run_worker()
    body = client.get(f"/api/v1/tasks/{response.json()['task_id']}", **auth).json()
    assert body["status"] == "succeeded" and body["percent"] == 100
    assert body["result"]["summary"] == "评分标准已导入：400 个评分项。"
    assert Aspect.objects.filter(scheme__skill=registration_skill).count() == 400


@pytest.mark.django_db(transaction=True)
def test_the_page_sends_a_big_roster_to_its_progress_bar_which_ends_with_the_summary(
    registration_skill: Skill, hr_of_a: User, client_of  # type: ignore[no-untyped-def]
) -> None:
    client = client_of(hr_of_a)
    page = client.get(f"/competitions/skills/{registration_skill.pk}/excel/").content.decode()
    assert "超过 300 行的文件在后台导入" in page
    file = rosters.upload(rosters.workbook(rosters.roster_rows(320, unit="甲企业")))
    response = client.post(f"/competitions/skills/{registration_skill.pk}/excel/roster/import/", {"file": file})
    assert response.status_code == 302 and response["Location"].startswith("/tasks/")
    waiting = client.get(response["Location"]).content.decode()
    assert 'data-status="queued"' in waiting and 'hx-trigger="every 1s"' in waiting
    run_worker()
    fragment = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert 'data-status="succeeded"' in fragment and 'aria-valuenow="100"' in fragment
    assert "已导入 320 条报名。" in fragment
    assert f'href="/competitions/skills/{registration_skill.pk}/excel/"' in fragment
    assert "hx-trigger" not in fragment


@pytest.mark.django_db(transaction=True)
def test_the_page_lists_the_bad_cells_of_a_big_file_on_the_task_page(
    registration_skill: Skill, hr_of_a: User, client_of  # type: ignore[no-untyped-def]
) -> None:
    client = client_of(hr_of_a)
    rows = rosters.roster_rows(320, unit="甲企业")
    rows[300][1] = ""  # row 302: no name
    response = client.post(f"/competitions/skills/{registration_skill.pk}/excel/roster/import/",
                           {"file": rosters.upload(rosters.workbook(rows))})
    run_worker()
    html = client.get(response["Location"]).content.decode()
    assert 'data-status="failed"' in html and 'data-testid="import-errors"' in html
    assert "<td>报名表</td><td>302</td><td>姓名</td>" in html and "未保存任何内容" in html
    assert Entry.objects.count() == 0


def test_a_registration_committed_meanwhile_is_caught_by_the_constraint_and_named(
    registration_skill: Skill, hr_of_a: User, enterprise_a: Organization
) -> None:
    """`_entries_submit` leaves eligibility to its caller (the import checks it row by row in the same transaction);
    should another registration of one of the people commit in between, the one-entry-per-event constraint still
    refuses, and the people are named so the import can name their rows."""
    entered, other = contestant(enterprise_a), contestant(enterprise_a)
    services.entry_submit(actor=hr_of_a, skill=registration_skill, unit=enterprise_a,
                          members=[MemberData(entered, Group.WORKER)])
    before = counts()
    with pytest.raises(AlreadyEntered) as caught, transaction.atomic():
        _entries_submit(actor=hr_of_a, skill=registration_skill, teams=[
            TeamData(enterprise_a, [MemberData(other, Group.WORKER)]),
            TeamData(enterprise_a, [MemberData(entered, Group.WORKER)]),
        ])
    assert caught.value.person_ids == [entered.pk]
    assert caught.value.field_errors[0].code == "registration.already_entered"
    assert counts() == before
