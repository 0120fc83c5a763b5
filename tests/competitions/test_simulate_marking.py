"""`manage.py simulate_marking` (issue 11 item 4) against a live server: what it prints as confirmed is exactly
what the database holds, nothing was refused (the service refuses a value outside its aspect's range, and a cell the
referee's page does not offer), and its tokens end with the run."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from accounts.models import ApiToken
from competitions.management.commands.simulate_marking import RUN_LABEL
from competitions.models import MarkRevision
from tests.competitions.steps import Scenario

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_database_holds_exactly_the_confirmed_marks(  # type: ignore[no-untyped-def]
    scenario: Scenario, live_server, tmp_path: Path
) -> None:
    # The live server of an in-memory SQLite test database shares one connection among its threads: one
    # referee (one request at a time) there; two on PostgreSQL.
    referees = "1" if connection.vendor == "sqlite" else "2"
    log, out = tmp_path / "marks.jsonl", StringIO()
    before = MarkRevision.objects.count()
    call_command("simulate_marking", str(scenario.event.pk), "--referees", referees, "--rate", "12",
                 "--duration", "1.5", "--url", live_server.url, "--log", str(log), stdout=out)
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    confirmed = {line["key"] for line in lines if line["status"] in (200, 201)}
    printed = out.getvalue()
    assert f"sent {len(lines)} " in printed and f"confirmed {len(confirmed)} " in printed
    assert len(lines) >= 15 and len(confirmed) == len(lines), printed  # open cells only: nothing refused
    assert "refused 0 (none)" in printed and "failed 0 (none)" in printed and "latency p50" in printed
    stored = {str(key) for key in MarkRevision.objects.filter(idempotency_key__in=[line["key"] for line in lines])
              .values_list("idempotency_key", flat=True)}
    assert stored == confirmed
    assert MarkRevision.objects.count() - before == len(confirmed)
    assert not ApiToken.objects.filter(name=RUN_LABEL, revoked_at__isnull=True).exists()
    assert ApiToken.objects.filter(name=RUN_LABEL).count() == int(referees)


def test_an_unknown_event_is_refused_with_a_reason(scenario: Scenario) -> None:
    with pytest.raises(CommandError, match="No event 999999"):
        call_command("simulate_marking", "999999", "--duration", "1")
