"""Side effects never fail a committed write (issue 8 item 3; competitions/live.py): with the channel layer down, a
mark is committed and answered 201 (the mark's path no longer touches the layer: its delta is a row, and the
sequencer wakes the boards, competitions.services.stream), the sequencer's wake-up fails without failing its
numbering, `/healthz` names the layer, and once the layer answers again the event's group is sent a resync so
boards read the stream from the database.

The layer that is down is a real channels-redis layer pointed at a real closed port (connection refused) or at a
real socket that accepts and never answers; nothing is mocked. The layer that comes back is the one the settings
configure: the in-memory layer on the embedded defaults, Redis in CI's second run.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import time
from collections.abc import Iterator
from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest
from asgiref.sync import async_to_sync
from channels import DEFAULT_CHANNEL_LAYER
from channels.layers import channel_layers, get_channel_layer
from channels_redis.core import RedisChannelLayer
from django.test import Client

from audit.models import AuditEntry
from competitions import live
from competitions.models import Mark, StreamDelta
from competitions.services.stream import stream_sequence
from tests.accounts.steps import bearer
from tests.competitions.steps import Scenario, mark


def _closed_port() -> int:
    """A port nothing listens on: the kernel hands out a free one, and it is closed again at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


async def _receive(layer: Any, channel: str, timeout: float) -> dict[str, Any]:
    message: dict[str, Any] = await asyncio.wait_for(layer.receive(channel), timeout)
    return message


class Layers:
    """Swaps the process's default channel layer between the configured one and one that is down."""

    def __init__(self) -> None:
        self.working = get_channel_layer()

    def down(self, url: str) -> None:
        channel_layers.backends[DEFAULT_CHANNEL_LAYER] = RedisChannelLayer(hosts=[url])

    def back(self) -> None:
        channel_layers.backends[DEFAULT_CHANNEL_LAYER] = self.working

    def listen(self, event_id: int) -> str:
        channel: str = async_to_sync(self.working.new_channel)()
        async_to_sync(self.working.group_add)(live.event_group(event_id), channel)
        return channel


@pytest.fixture
def layers() -> Iterator[Layers]:
    swap = Layers()
    yield swap
    swap.back()
    live.resync_pending()  # whatever a failed assertion left pending goes out to the working layer, not to later tests


def _post_mark(client: Client, s: Scenario, workstation_no: str) -> Any:
    return client.post(f"/api/v1/competitions/skills/{s.skill.pk}/marks",
                       {"workstation_no": workstation_no, "aspect_code": "A1", "value": "20",
                        "idempotency_key": str(uuid4())},
                       content_type="application/json", **bearer(s.referee_a))


@pytest.mark.django_db(transaction=True)
def test_with_the_channel_layer_down_a_mark_is_committed_answered_201_and_resynced_later(
    scenario: Scenario, client: Client, layers: Layers, caplog: pytest.LogCaptureFixture
) -> None:
    s = scenario
    first, second = s.entries_b
    channel = layers.listen(s.event.pk)
    layers.down(f"redis://127.0.0.1:{_closed_port()}/0")

    with caplog.at_level(logging.WARNING, logger="competitions.live"):
        answered = _post_mark(client, s, first.workstation_no)
        again = _post_mark(client, s, second.workstation_no)
        numbered = stream_sequence(event_id=s.event.pk)  # the sequencer's run; its wake-up is lost
    assert answered.status_code == 201 and again.status_code == 201  # today's 500 after commit is gone
    assert numbered.numbered == 2 and not StreamDelta.objects.filter(seq__isnull=True).exists()
    for entry in (first, second):
        saved = Mark.objects.get(entry=entry, aspect=s.aspects["A1"])
        assert saved.value == 20
        assert AuditEntry.objects.filter(action="competitions.mark.recorded", target_id=str(saved.pk)).exists()
    assert live.pending_resyncs() == {s.event.pk: 1}
    warnings = [r for r in caplog.records if r.name == "competitions.live" and r.levelno == logging.WARNING]
    assert len(warnings) == 1 and f"event {s.event.pk} will be resynced" in warnings[0].getMessage()

    health = client.get("/healthz")
    assert health.status_code == 503 and health.json()["down"] == ["channel_layer"]

    # The layer answers again: the group hears one resync naming the event (from the retry thread, or from the
    # next publication, whichever comes first), then the wake-up of the new mark's delta. The lost wake-up is not
    # replayed: the boards read the numbered deltas from the database on the resync.
    layers.back()
    mark(s.referee_a, first, s.aspects["A2"], Decimal("60.3"))
    stream_sequence(event_id=s.event.pk)
    heard = [async_to_sync(_receive)(layers.working, channel, 5)]
    while heard[-1]["type"] != live.WAKE_MESSAGE_TYPE and len(heard) < 3:  # both may have sent a resync; harmless
        heard.append(async_to_sync(_receive)(layers.working, channel, 5))
    *resyncs, wake = heard
    assert resyncs and all(message == {"type": live.RESYNC_MESSAGE_TYPE, "event": s.event.pk, "missed": 1}
                           for message in resyncs)
    assert wake["type"] == live.WAKE_MESSAGE_TYPE and wake["seq"] == 3
    assert live.pending_resyncs() == {}
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_an_event_with_no_further_writes_is_resynced_by_the_retry_thread(
    scenario: Scenario, client: Client, layers: Layers, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(live, "RETRY_FIRST_SECONDS", 0.1)
    s = scenario
    channel = layers.listen(s.event.pk)
    layers.down(f"redis://127.0.0.1:{_closed_port()}/0")
    assert _post_mark(client, s, s.entries_b[0].workstation_no).status_code == 201
    stream_sequence(event_id=s.event.pk)
    assert live.pending_resyncs() == {s.event.pk: 1}

    layers.back()  # and nothing else is written
    deadline = time.monotonic() + 10
    while live.pending_resyncs() and time.monotonic() < deadline:  # the thread retries every 0.1 s, then less often
        time.sleep(0.05)
    heard = async_to_sync(_receive)(layers.working, channel, 1)
    assert heard["type"] == live.RESYNC_MESSAGE_TYPE and heard["event"] == s.event.pk
    assert live.pending_resyncs() == {}


@pytest.mark.django_db(transaction=True)
def test_a_layer_that_accepts_and_never_answers_holds_the_sequencer_up_only_for_the_send_timeout(
    scenario: Scenario, client: Client, layers: Layers, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(live, "SEND_TIMEOUT_SECONDS", 0.3)
    s = scenario
    with socket.socket() as silent:  # a listening socket that never reads: connections queue in its backlog
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        layers.down(f"redis://127.0.0.1:{silent.getsockname()[1]}/0")
        assert _post_mark(client, s, s.entries_b[0].workstation_no).status_code == 201
        started = time.monotonic()
        assert stream_sequence(event_id=s.event.pk).numbered == 1
        assert time.monotonic() - started < 3  # the wake-up's send gave up after its timeout
    assert Mark.objects.filter(entry=s.entries_b[0]).count() == 1
    assert live.pending_resyncs() == {s.event.pk: 1}
