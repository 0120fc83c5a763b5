"""The sealer's every-second run lives in the long-running task worker, and only there."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.test import override_settings

from accounts.actors import SYSTEM
from accounts.models import Organization
from audit.models import AuditLeaf, AuditTreeHead
from audit.runner import wanted
from audit.services import audit_record

ROOT = Path(__file__).resolve().parents[2]


def test_only_the_long_running_worker_starts_a_sealer() -> None:
    assert wanted(["manage.py", "db_worker", "--queue-name", "*"])
    assert not wanted(["manage.py", "db_worker", "--batch"])
    assert not wanted(["manage.py", "runserver"]) and not wanted(["pytest"]) and not wanted(["manage.py"])
    with override_settings(AUDIT_SEAL_INTERVAL=0):
        assert not wanted(["manage.py", "db_worker"])


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the worker process needs a shared server database")
def test_a_running_worker_seals_committed_entries_by_itself() -> None:
    unit = Organization.objects.create(name="单位", kind="organizer", city="济南市")
    for i in range(3):
        with transaction.atomic():
            audit_record(actor=SYSTEM, action="tests.x", target=unit, new={"i": i})
    db = connection.settings_dict
    env = {**os.environ, "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
           "DJANGO_SETTINGS_MODULE": "config.settings_test", "AUDIT_SEAL_INTERVAL": "0.2"}
    worker = subprocess.Popen(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "db_worker", "--queue-name", "*", "--no-startup-delay"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(600):  # waits for the worker (at most a minute on a loaded machine); asserts no timing
            if AuditLeaf.objects.count() == 3:
                break
            time.sleep(0.1)
        assert AuditLeaf.objects.count() == 3 and AuditTreeHead.objects.get().tree_size == 3
    finally:
        worker.terminate()
        worker.communicate(timeout=30)
