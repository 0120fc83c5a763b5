"""The live stream (competitions.services.stream, selectors.stream, consumers; README "Live stream"): deltas are
appended by the writes that change a board, numbered gap-free in commit order by the sequencer, and a board's
websocket gets a snapshot, coalesced deltas, exact replays on resume, or a snapshot when it cannot replay."""

from __future__ import annotations

from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from audit.models import AuditEntry
from competitions.consumers import CLOSE_NOT_ALLOWED, CLOSE_NOT_SIGNED_IN, EventBoardConsumer
from competitions.domain.stream import Audience
from competitions.models import EventStream, StreamDelta
from competitions.selectors.stream import stream_resume
from competitions.services.stream import stream_rebuild, stream_sequence
from core.actors import SYSTEM
from tests.competitions.steps import Scenario, mark


def _sequenced(s: Scenario) -> list[int]:
    return list(StreamDelta.objects.filter(event=s.event).order_by("seq").values_list("seq", flat=True))


@pytest.mark.django_db
def test_a_mark_appends_one_absolute_delta_that_the_sequencer_numbers(scenario: Scenario) -> None:
    s = scenario
    entry = s.entries_b[0]
    mark(s.referee_a, entry, s.aspects["A1"], 20)
    delta = StreamDelta.objects.get(event=s.event)
    assert delta.seq is None and delta.entry_id == entry.pk
    assert delta.payload["practical"] == "20.0000" and delta.payload["aspect_mark"] == "20.0000"
    assert "total" not in delta.payload  # it carries the theory score, recorded by name: only after decryption
    assert delta.payload["scores"] == [{"referee": s.referee_a.pk, "value": "20.0000"}]
    report = stream_sequence(event_id=s.event.pk)
    assert (report.numbered, report.last_seq) == (1, 1)
    assert stream_sequence(event_id=s.event.pk).numbered == 0  # nothing numbered twice
    mark(s.referee_a, entry, s.aspects["A1"], 0)  # a changed value: absolute totals again, never an increment
    stream_sequence(event_id=s.event.pk)
    assert StreamDelta.objects.get(event=s.event, seq=2).payload["practical"] == "0.0000"


@pytest.mark.django_db
def test_a_delta_that_commits_late_is_numbered_in_the_next_batch_never_skipped(scenario: Scenario) -> None:
    """A lower id committing after a higher one was numbered: the look is for "no seq yet", not "id above"."""
    s = scenario
    mark(s.referee_a, s.entries_b[0], s.aspects["A1"], 20)
    mark(s.referee_a, s.entries_b[1], s.aspects["A1"], 20)
    late, early = StreamDelta.objects.filter(event=s.event).order_by("id")
    # the sequencer saw only the higher id: the lower one's transaction had not committed yet
    EventStream.objects.create(event=s.event, epoch="e", next_seq=2)
    StreamDelta.objects.filter(pk=early.pk).update(seq=1)
    assert stream_sequence(event_id=s.event.pk).numbered == 1
    late.refresh_from_db()
    assert late.seq == 2 and _sequenced(s) == [1, 2]


@pytest.mark.django_db
def test_a_rebuild_starts_a_new_epoch_audited(scenario: Scenario) -> None:
    s = scenario
    mark(s.referee_a, s.entries_b[0], s.aspects["A1"], 20)
    old = stream_sequence(event_id=s.event.pk).epoch
    stream = stream_rebuild(actor=SYSTEM, event=s.event)
    assert stream.epoch != old and stream.next_seq == 1 and not StreamDelta.objects.exists()
    assert AuditEntry.objects.filter(action="competitions.stream.rebuilt").count() == 1
    resumed = stream_resume(s.event.pk, Audience.PUBLIC, old, 1)
    assert resumed.snapshot is not None and resumed.decision.reason == "epoch_changed"


# --- the websocket ------------------------------------------------------------------------------------------------


async def _connect(s: Scenario, user: Any, query: str = "") -> tuple[bool, Any, WebsocketCommunicator]:
    path = f"/ws/competitions/events/{s.event.pk}/board/" + (f"?{query}" if query else "")
    communicator = WebsocketCommunicator(EventBoardConsumer.as_asgi(), path)
    communicator.scope["user"] = user
    communicator.scope["url_route"] = {"kwargs": {"event_id": s.event.pk}}
    connected, code = await communicator.connect()
    return connected, code, communicator


def _mark_and_sequence(s: Scenario, entry_index: int, value: int) -> None:
    mark(s.referee_a, s.entries_b[entry_index], s.aspects["A1"], value)
    stream_sequence(event_id=s.event.pk)


@pytest.mark.django_db(transaction=True)
def test_a_viewer_gets_a_snapshot_then_coalesced_deltas_and_recovers_exactly_what_it_missed(
    scenario: Scenario, settings: Any
) -> None:
    """On the configured layer: in-memory by default, channels-redis with REDIS_URL (CI's second run)."""
    s = scenario
    act = database_sync_to_async(_mark_and_sequence)

    async def scene() -> dict[str, Any]:
        seen: dict[str, Any] = {}
        connected, _, board = await _connect(s, AnonymousUser())
        assert connected
        seen["snapshot"] = await board.receive_json_from(5)
        await act(s, 0, 20)
        seen["delta"] = await board.receive_json_from(5)
        await board.disconnect()
        # while away: two more marks
        await act(s, 1, 20)
        await act(s, 0, 0)
        _, _, back = await _connect(s, AnonymousUser())
        await back.receive_json_from(5)  # a snapshot on connect without a position
        await back.send_json_to({"type": "resume", "epoch": seen["delta"]["epoch"], "seq": 1})
        seen["recovered"] = await back.receive_json_from(5)
        await back.send_json_to({"type": "resume", "epoch": "not-this-one", "seq": 1})
        seen["epoch_changed"] = await back.receive_json_from(5)
        await back.send_json_to({"type": "resume", "epoch": seen["delta"]["epoch"], "seq": 99})
        seen["future"] = await back.receive_json_from(5)
        await back.send_to(text_data="{not json")
        seen["not_json"] = await back.receive_json_from(5)
        await back.send_json_to({"type": "resume", "epoch": seen["delta"]["epoch"], "seq": "-3"})
        seen["bad_seq"] = await back.receive_json_from(5)
        await back.send_json_to(["resume"])
        seen["not_object"] = await back.receive_json_from(5)
        await back.send_json_to({"type": "ping"})  # still usable after the errors
        seen["heartbeat"] = await back.receive_json_from(5)
        await back.disconnect()
        return seen

    seen = async_to_sync(scene)()
    snapshot = seen["snapshot"]
    assert snapshot["type"] == "snapshot" and snapshot["audience"] == "public" and snapshot["seq"] == 0
    assert {e["workstation_no"] for e in snapshot["skills"][0]["entries"]} >= {s.entries_b[0].workstation_no}
    delta = seen["delta"]
    assert delta["type"] == "delta" and delta["seq"] == 1 and [d["seq"] for d in delta["deltas"]] == [1]
    first = delta["deltas"][0]
    assert first["practical"] == "20.0000" and "referee" not in first["scores"][0]  # public: no referee id
    recovered = seen["recovered"]
    assert recovered["recovered"] is True and [d["seq"] for d in recovered["deltas"]] == [2, 3]
    assert recovered["deltas"][-1]["practical"] == "0.0000"
    assert seen["epoch_changed"]["type"] == "snapshot" and seen["epoch_changed"]["seq"] == 3
    assert seen["future"]["type"] == "snapshot"
    assert seen["not_json"] == {"type": "error", "code": "message.not_json"}
    assert seen["bad_seq"] == {"type": "error", "code": "resume.bad_position"}
    assert seen["not_object"] == {"type": "error", "code": "message.not_an_object"}
    assert seen["heartbeat"] == {"type": "heartbeat", "epoch": delta["epoch"], "seq": 3}


@pytest.mark.django_db(transaction=True)
def test_the_jury_board_refuses_strangers_and_shows_the_chief_the_referees(scenario: Scenario, outsider: Any,
                                                                           settings: Any) -> None:
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    s = scenario
    mark(s.referee_a, s.entries_b[0], s.aspects["A1"], 20)
    stream_sequence(event_id=s.event.pk)
    epoch = EventStream.objects.get(pk=s.event.pk).epoch

    async def scene() -> dict[str, Any]:
        seen: dict[str, Any] = {}
        for who, user in (("anonymous", AnonymousUser()), ("stranger", outsider)):
            _, _, refused = await _connect(s, user, "audience=jury")
            seen[who] = await refused.receive_output(5)  # closed before any frame, with a code a browser reads
        connected, _, chief = await _connect(s, s.chief, f"epoch={epoch}&seq=0")  # jury picked by rights
        seen["chief"] = await chief.receive_json_from(5)
        await chief.disconnect()
        connected, _, public = await _connect(s, s.chief, f"audience=public&epoch={epoch}&seq=0")
        seen["public"] = await public.receive_json_from(5)
        await public.disconnect()
        return seen

    seen = async_to_sync(scene)()
    assert seen["anonymous"] == {"type": "websocket.close", "code": CLOSE_NOT_SIGNED_IN}
    assert seen["stranger"] == {"type": "websocket.close", "code": CLOSE_NOT_ALLOWED}
    jury = seen["chief"]
    assert jury["recovered"] is True and jury["deltas"][0]["scores"] == [{"referee": s.referee_a.pk,
                                                                          "value": "20.0000"}]
    assert seen["public"]["deltas"][0]["scores"] == [{"value": "20.0000"}]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_mark_wakes_no_board(scenario: Scenario, settings: Any) -> None:
    """The delta row is written in the mark's transaction: a mark refused after its writes began leaves none, and
    the board hears nothing (test_mark_path covers a failing COMMIT)."""
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    s = scenario
    async def scene() -> Any:
        _, _, board = await _connect(s, AnonymousUser())
        await board.receive_json_from(5)

        def rolled_back() -> None:
            with pytest.raises(RuntimeError), transaction.atomic():
                StreamDelta.objects.create(event=s.event, kind="mark", payload={"total": "99.00"})
                raise RuntimeError
            stream_sequence(event_id=s.event.pk)

        await database_sync_to_async(rolled_back)()
        nothing = await board.receive_nothing(0.5)
        await board.disconnect()
        return nothing

    assert async_to_sync(scene)() is True
    assert not StreamDelta.objects.exists()


# --- the feed for integrations --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_feed_replays_after_since_or_answers_a_snapshot_and_guards_the_jury(  # type: ignore[no-untyped-def]
    scenario: Scenario, client, client_of, outsider, django_assert_max_num_queries
) -> None:
    s = scenario
    for value in (20, 0, 20):
        mark(s.referee_a, s.entries_b[0], s.aspects["A1"], value)
    epoch = stream_sequence(event_id=s.event.pk).epoch
    url = f"/api/v1/competitions/events/{s.event.pk}/feed"
    with django_assert_max_num_queries(6):
        replay = client.get(url, {"since": f"{epoch}:1"})
    assert replay.status_code == 200
    [frame] = replay.json()["frames"]
    assert frame["type"] == "delta" and frame["recovered"] is True and frame["seq"] == 3
    assert [d["seq"] for d in frame["deltas"]] == [2, 3] and "referee" not in frame["deltas"][0]["scores"][0]
    for since in ("", "junk", f"{epoch}:99", f"other:{1}"):
        [frame] = client.get(url, {"since": since}).json()["frames"]
        assert frame["type"] == "snapshot" and frame["epoch"] == epoch and frame["seq"] == 3
    assert client.get(url, {"audience": "jury"}).status_code == 401
    assert client_of(outsider).get(url, {"audience": "jury"}).status_code == 403
    assert client.get(url, {"audience": "nonsense"}).status_code == 404
    [jury] = client_of(s.organizer).get(url, {"since": f"{epoch}:2"}).json()["frames"]
    assert jury["deltas"][0]["scores"] == [{"referee": s.referee_a.pk, "value": "20.0000"}]
    assert client.get(f"/api/v1/competitions/events/{s.event.pk + 999}/feed").status_code == 404


@pytest.mark.django_db
def test_a_run_numbers_a_thousand_deltas_in_id_order_with_a_few_statements(
        scenario: Scenario, django_assert_max_num_queries: Any) -> None:
    """The sequencer's cost is per run, not per delta (services.stream `_number`): 1,000 waiting deltas, three
    chunks of UPDATE (the first run also makes the stream row), numbered 1…1,000 in id order with no gap."""
    from competitions.services.stream import delta_append

    s = scenario
    with transaction.atomic():
        for n in range(1000):
            delta_append(event_id=s.event.pk, kind="entry", payload={"n": n}, entry_id=s.entries_b[n % 2].pk)
    with django_assert_max_num_queries(15):  # the stream row made on first use; 3 UPDATEs
        report = stream_sequence(event_id=s.event.pk)
    assert (report.numbered, report.last_seq) == (1000, 1000)
    rows = list(StreamDelta.objects.filter(event=s.event).order_by("id").values_list("seq", "payload"))
    assert [seq for seq, _ in rows] == list(range(1, 1001))
    assert [payload["n"] for _, payload in rows] == list(range(1000))
