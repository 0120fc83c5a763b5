"""Background tasks through the database backend: enqueued on commit, run by the worker, progress recorded."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from accounts import services
from accounts.models import User
from audit.services import audit_record
from tasks.models import TaskProgress, TaskStatus


def _run_worker() -> None:
    call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_audit_verification_runs_in_the_worker_with_progress(client: Client) -> None:
    from accounts.models import Role
    from tests.accounts.factories import person

    admin = person(Role.PLATFORM_ADMIN, None, username="boss", is_staff=True, is_superuser=True)
    for i in range(3):
        with transaction.atomic():
            audit_record(actor=admin, action="tests.x", target=admin, new={"i": i})
    token = services.token_create(actor=admin, user=admin, name="t", days=1).plaintext
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    started = client.post("/api/v1/audit/verify", **auth)
    assert started.status_code == 202
    task_id = started.json()["task_id"]
    progress = TaskProgress.objects.get(pk=task_id)
    assert progress.status == TaskStatus.QUEUED and progress.task_result_id  # enqueued after commit

    _run_worker()

    body = client.get(f"/api/v1/tasks/{task_id}", **auth).json()
    assert body["status"] == "succeeded" and body["percent"] == 100
    assert body["result"]["ok"] is True and body["result"]["checked"] >= 4


@pytest.mark.django_db(transaction=True)
def test_only_the_admin_may_start_verification_and_only_the_owner_sees_a_task(client: Client) -> None:
    from accounts.models import Role
    from tests.accounts.factories import OrganizationFactory, person

    unit = OrganizationFactory()
    organizer: User = person(Role.ORGANIZER_STAFF, unit)
    admin = person(Role.PLATFORM_ADMIN, None, username="boss2")
    org_token = services.token_create(actor=organizer, user=organizer, name="t").plaintext
    adm_token = services.token_create(actor=admin, user=admin, name="t").plaintext
    org_auth, adm_auth = ({"HTTP_AUTHORIZATION": f"Bearer {token}"} for token in (org_token, adm_token))
    assert client.post("/api/v1/audit/verify", **org_auth).status_code == 403
    task_id = client.post("/api/v1/audit/verify", **adm_auth).json()["task_id"]
    assert client.get(f"/api/v1/tasks/{task_id}", **org_auth).status_code == 404
    assert client.get(f"/api/v1/tasks/{task_id}", **adm_auth).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_the_admin_starts_verification_from_the_page_and_watches_the_bar(client: Client) -> None:
    from accounts.models import Role
    from tests.accounts.factories import person

    admin = person(Role.PLATFORM_ADMIN, None, username="boss3")
    client.force_login(admin, backend="accounts.auth.AccountBackend")
    response = client.post("/audit/verify/")
    assert response.status_code == 302 and response["Location"].startswith("/tasks/")
    page = client.get(response["Location"]).content.decode()
    assert 'data-status="queued"' in page and 'hx-trigger="every 1s"' in page
    _run_worker()
    fragment = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert 'data-status="succeeded"' in fragment and "hx-trigger" not in fragment
    assert "<html" not in fragment  # htmx gets the fragment only
