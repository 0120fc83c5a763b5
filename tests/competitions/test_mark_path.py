"""The hot path of one mark (DESIGN.md "Data flow of one mark"; issue 7 item 4, issue 8 item 1): what it costs in
SQL queries through the API (bearer token or page session) and through the marking page, and that a mark whose
transaction does not commit is never published.

Counted with real transactions (`transaction=True`: what production runs, with no test savepoints), for a
referee's first mark of a full-or-zero aspect (the mark completes the aspect, so the entry's cached totals move),
a new idempotency key each time, on a device already signed in (the token's `last_used_at` is written at most
once a minute, the session is in the cache):

    before issue 7       API token 30, API session 30, page 30; replay 12, 13, 9
    after issue 7        API token 19, API session 19, page 19; replay 3, 3, 3 (savepoints not counted)
    now                  API token 10, API session 10, page 10; replay 5, 5, 5 (BEGIN and COMMIT counted)

What a new mark costs, in order (the same on SQLite and PostgreSQL):

    1  the caller: the token with its user and grants (a page: the session's user with its grants; the session
       itself comes from the cache)                                                             accounts.auth
    1  BEGIN of the mark's one durable transaction                                              services.mark_record
    1  the aspect with its module, whether the idempotency key was used (a retry is answered here
       with one more query, `selectors.mark_replay`, then COMMIT: 5 in all), and the entry at the
       工位号 with its sheet of the module, both rows locked (of=self, entry): one statement      access
    1  the caller's own assignment and the assignments covering this aspect, each with its unit,
       relations and mark of this aspect: the panel, recusal and the marks the delta starts from  access
    2  the mark and its revision
    1  the entry's cached totals (module score, practical, total: one row), when they move
    1  the audit entry: one INSERT, no lock (the sealer signs it later)                         audit.services
    1  the board's delta row: one INSERT, no lock (the sequencer numbers it later)               services.stream
    1  COMMIT
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import IntegrityError, connection
from django.test import Client

from audit.models import AuditEntry
from competitions.live import WAKE_MESSAGE_TYPE, event_group
from competitions.models import Mark, MarkRevision, StreamDelta
from competitions.services.stream import stream_sequence
from tests.accounts.steps import bearer
from tests.competitions.steps import Scenario, mark

NEW_MARK_BUDGET = 10
REPLAY_BUDGET = 5


def _api_post(client: Client, url: str, payload: dict[str, str], headers: dict[str, str]) -> Any:
    return client.post(url, payload, content_type="application/json", **headers)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("signed_in", ["token", "session"])
def test_a_mark_through_the_api_keeps_its_query_budget(  # type: ignore[no-untyped-def]
    scenario: Scenario, client: Client, client_of, django_assert_max_num_queries, signed_in: str
) -> None:
    s = scenario
    entry = s.entries_b[0]
    url = f"/api/v1/competitions/skills/{s.skill.pk}/marks"
    headers = bearer(s.referee_a) if signed_in == "token" else {}
    if signed_in == "session":
        client = client_of(s.referee_a)
    assert client.get("/api/v1/competitions/my/assignments", **headers).status_code == 200  # signed in already
    payload = {"workstation_no": entry.workstation_no, "aspect_code": "A1", "value": "20",
               "idempotency_key": str(uuid4())}
    with django_assert_max_num_queries(NEW_MARK_BUDGET):
        first = _api_post(client, url, payload, headers)
    assert first.status_code == 201 and first.json()["value"] == "20.0000"
    entry.refresh_from_db()
    assert entry.practical == Decimal(20)  # the totals moved: the dearest kind of mark was counted
    with django_assert_max_num_queries(REPLAY_BUDGET):
        retry = _api_post(client, url, payload, headers)
    assert retry.status_code == 200 and retry.json() == {**first.json(), "replayed": True}
    assert Mark.objects.count() == MarkRevision.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_mark_on_the_marking_page_keeps_the_same_budget(  # type: ignore[no-untyped-def]
    scenario: Scenario, client_of, django_assert_max_num_queries
) -> None:
    s = scenario
    entry = s.entries_b[0]
    client = client_of(s.referee_a)
    url = f"/competitions/skills/{s.skill.pk}/marking/"
    assert client.get(url).status_code == 200  # the referee has the page open
    payload = {"workstation_no": entry.workstation_no, "aspect_code": "A1", "value": "20",
               "idempotency_key": str(uuid4())}
    with django_assert_max_num_queries(NEW_MARK_BUDGET):
        assert client.post(url, payload).status_code == 302
    with django_assert_max_num_queries(REPLAY_BUDGET):
        assert client.post(url, payload).status_code == 302
    assert Mark.objects.get(entry=entry, aspect=s.aspects["A1"]).value == 20
    assert MarkRevision.objects.count() == 1


@contextmanager
def _orm_statements() -> Iterator[list[str]]:
    """The statements the ORM composes meanwhile (every queryset, save and update runs through one of these
    compilers' execute_sql), by compiler class; hand-written statements (core.sql) do not pass here."""
    from django.db.models.sql import compiler

    composed: list[str] = []
    originals = {cls: cls.execute_sql for cls in (compiler.SQLCompiler, compiler.SQLInsertCompiler,
                                                   compiler.SQLUpdateCompiler, compiler.SQLDeleteCompiler)}

    def counting(cls: type, original: Any) -> Any:
        def execute_sql(self: Any, *args: Any, **kwargs: Any) -> Any:
            if type(self) is cls or cls is compiler.SQLCompiler and type(self) not in originals:
                composed.append(f"{cls.__name__}: {self.query.model._meta.label if self.query.model else '-'}")
            return original(self, *args, **kwargs)
        return execute_sql

    for cls, original in originals.items():
        cls.execute_sql = counting(cls, original)  # type: ignore[method-assign]
    try:
        yield composed
    finally:
        for cls, original in originals.items():
            cls.execute_sql = original  # type: ignore[method-assign]


@pytest.mark.django_db(transaction=True)
def test_a_new_mark_through_the_api_composes_no_orm_statement(scenario: Scenario, client: Client) -> None:
    """Issue 8 ("Performance"): composing SQL with the ORM cost the mark path more CPU in the server process than
    the database took to answer, so every statement of a new mark is written once (core.sql, access.py's seat
    statement). A device already signed in (its token's last use recorded within the minute)."""
    s = scenario
    headers = bearer(s.referee_a)
    url = f"/api/v1/competitions/skills/{s.skill.pk}/marks"
    assert client.get("/api/v1/competitions/my/assignments", **headers).status_code == 200  # type: ignore[arg-type]
    with _orm_statements() as composed:
        Mark.objects.exists()
    assert composed == ["SQLCompiler: competitions.Mark"]  # the counter sees what the ORM composes
    for workstation_no, value in ((s.entries_b[0].workstation_no, "20"), (s.entries_b[1].workstation_no, "0")):
        payload = {"workstation_no": workstation_no, "aspect_code": "A1", "value": value,
                   "idempotency_key": str(uuid4())}
        with _orm_statements() as composed:
            assert _api_post(client, url, payload, headers).status_code == 201
        assert composed == []
    with _orm_statements() as composed:  # a changed value: the mark's UPDATE, not an INSERT
        payload = {**payload, "value": "20", "idempotency_key": str(uuid4())}
        assert _api_post(client, url, payload, headers).status_code == 201
    assert composed == []
    assert AuditEntry.objects.filter(action="competitions.mark.recorded").count() == 3
    assert Mark.objects.get(entry=s.entries_b[1], aspect=s.aspects["A1"]).value == 20
    assert MarkRevision.objects.count() == 3


# --- a mark that does not commit is not published -----------------------------------------------------------------


async def _receive(layer: Any, channel: str, timeout: float) -> dict[str, Any]:
    message: dict[str, Any] = await asyncio.wait_for(layer.receive(channel), timeout)
    return message


@contextmanager
def _commit_refused() -> Iterator[None]:
    """Every mark revision written meanwhile names a correction that does not exist. The foreign key is deferred
    (Django creates them so on SQLite and PostgreSQL), so the database notices only at COMMIT: the mark's
    transaction has done all its work, its delta is scheduled, and then it is rolled back."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("CREATE FUNCTION test_dangling_correction() RETURNS trigger LANGUAGE plpgsql AS "
                           "$$ BEGIN NEW.via_correction_id := -1; RETURN NEW; END $$")
            cursor.execute("CREATE TRIGGER test_dangling_correction BEFORE INSERT ON competitions_markrevision "
                           "FOR EACH ROW EXECUTE FUNCTION test_dangling_correction()")
        else:
            cursor.execute("CREATE TRIGGER test_dangling_correction AFTER INSERT ON competitions_markrevision "
                           "BEGIN UPDATE competitions_markrevision SET via_correction_id = -1 WHERE id = NEW.id; END")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("DROP TRIGGER test_dangling_correction ON competitions_markrevision")
                cursor.execute("DROP FUNCTION test_dangling_correction()")
            else:
                cursor.execute("DROP TRIGGER test_dangling_correction")


@pytest.mark.django_db(transaction=True)
def test_a_mark_whose_transaction_rolls_back_publishes_nothing(scenario: Scenario, settings: Any) -> None:
    """`mark_record` owns a durable transaction, so no outer block can roll it back; what can undo a mark after
    its delta row was written is its own COMMIT failing. Real transactions here (not the test's wrapping one), the
    in-memory channel layer, and a real receive on the event's group: the committed mark leaves a delta that the
    sequencer numbers and announces; the rolled-back one leaves no delta, so nothing is numbered or sent."""
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    s = scenario
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(event_group(s.event.pk), channel)

    mark(s.referee_a, s.entries_b[0], s.aspects["A1"], 20)  # committed: its delta is numbered, the group woken
    assert stream_sequence(event_id=s.event.pk).numbered == 1
    heard = async_to_sync(_receive)(layer, channel, 5)
    assert heard["type"] == WAKE_MESSAGE_TYPE and heard["seq"] == 1
    assert StreamDelta.objects.get(seq=1).payload["workstation_no"] == s.entries_b[0].workstation_no

    before = (Mark.objects.count(), MarkRevision.objects.count(), AuditEntry.objects.count(),
              StreamDelta.objects.count())
    with _commit_refused(), pytest.raises(IntegrityError):
        mark(s.referee_a, s.entries_b[1], s.aspects["A1"], 20)
    assert (Mark.objects.count(), MarkRevision.objects.count(), AuditEntry.objects.count(),
            StreamDelta.objects.count()) == before
    assert stream_sequence(event_id=s.event.pk).numbered == 0
    with pytest.raises(asyncio.TimeoutError):
        async_to_sync(_receive)(layer, channel, 0.5)
    s.entries_b[1].refresh_from_db()
    assert s.entries_b[1].practical == 0
