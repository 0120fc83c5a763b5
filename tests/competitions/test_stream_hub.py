"""Fan-out encoded once (competitions.consumers.BoardHub; DESIGN.md "Coalescing"): the viewers of one event and
audience in a process share one read of the database and one encoded text per wake-up; a viewer at another
position catches up on its own; every viewer gets each delta once, in order. And bad input (issue 11): a
flooding client is throttled without slowing the others."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from django.contrib.auth.models import AnonymousUser

from competitions import consumers
from competitions.consumers import CLOSE_THROTTLED, BoardHub
from competitions.domain.freeze import Position
from competitions.domain.stream import Audience
from competitions.services.stream import stream_sequence
from tests.competitions.steps import Scenario, connect_board, mark_by_measurer

pytestmark = pytest.mark.django_db(transaction=True)


def _mark_and_sequence(s: Scenario, index: int, value: int) -> str:
    mark_by_measurer(s, s.entries[index], "A1", value)
    return stream_sequence(event_id=s.event.pk).epoch


def test_viewers_of_one_audience_share_one_read_and_one_text_per_wake_up(scenario: Scenario) -> None:
    s = scenario
    act = database_sync_to_async(_mark_and_sequence)

    async def scene() -> list[dict[str, Any]]:
        public = [await connect_board(s.event.pk, AnonymousUser()) for _ in range(5)]
        jury = [await connect_board(s.event.pk, s.organizer, "audience=jury") for _ in range(2)]
        for board in (*public, *jury):
            await board.receive_json_from(5)
        rounds = []
        for index, value in ((0, 20), (3, 20), (0, 0)):
            reads = consumers.NEWS_READS["count"]
            await act(s, index, value)
            texts = {"public": [await b.receive_from(5) for b in public],
                     "jury": [await b.receive_from(5) for b in jury]}
            await asyncio.sleep(0.1)  # every viewer's wake-up handled
            texts["reads"] = consumers.NEWS_READS["count"] - reads
            rounds.append(texts)
        for board in (*public, *jury):
            await board.disconnect()
        return rounds

    rounds = async_to_sync(scene)()
    for seq, texts in enumerate(rounds, start=1):
        assert texts["reads"] == 2  # one per audience, not one per viewer
        assert len(set(texts["public"])) == 1 and len(set(texts["jury"])) == 1  # one encoding each
        public, jury = json.loads(texts["public"][0]), json.loads(texts["jury"][0])
        assert [d["seq"] for d in public["deltas"]] == [d["seq"] for d in jury["deltas"]] == [seq]
        assert "referee" in jury["deltas"][0]["scores"][0] and "referee" not in public["deltas"][0]["scores"][0]
    assert not consumers._hubs  # the last viewer took the hub with it


def test_a_viewer_off_the_hubs_position_catches_up_on_its_own_and_every_delta_arrives_once_in_order(
    scenario: Scenario
) -> None:
    s = scenario
    act = database_sync_to_async(_mark_and_sequence)

    async def hub_scene() -> dict[str, Any]:
        epoch = await act(s, 0, 20)
        await act(s, 1, 20)
        hub = BoardHub(s.event.pk, Audience.PUBLIC, Position(epoch, 1))
        seen: dict[str, Any] = {}
        reads = consumers.NEWS_READS["count"]
        seen["on_chain"] = await hub.frames_for(Position(epoch, 1), (epoch, 2))
        seen["again"] = await hub.frames_for(Position(epoch, 1), (epoch, 2))  # the same wake-up: no new read
        seen["up_to_date"] = await hub.frames_for(Position(epoch, 2), (epoch, 2))
        seen["behind"] = await hub.frames_for(Position(epoch, 0), (epoch, 2))
        seen["reads"] = consumers.NEWS_READS["count"] - reads
        return seen

    seen = async_to_sync(hub_scene)()
    [frame] = seen["on_chain"]
    assert (frame.start.seq, frame.end.seq) == (1, 2) and [d["seq"] for d in json.loads(frame.text)["deltas"]] == [2]
    assert seen["again"] == [frame] and seen["up_to_date"] == [] and seen["behind"] is None
    assert seen["reads"] == 1

    async def viewers_scene() -> tuple[list[list[int]], list[int]]:
        boards = [await connect_board(s.event.pk, AnonymousUser()) for _ in range(3)]
        live: list[list[int]] = [[], [], []]  # the seqs of the live frames each board got
        replayed: list[int] = []  # board 1's resume, answered by its own replay
        for board in boards:
            await board.receive_json_from(5)
        for round_ in range(6):
            epoch = await act(s, round_ % 4, 20 if round_ % 2 else 0)
            if round_ == 2:  # one viewer goes back and resumes: its own replay, then the hub's frames again
                await boards[1].send_json_to({"type": "resume", "epoch": epoch, "seq": 2})
            last = 3 + round_
            for i, board in enumerate(boards):
                # the wake-up and the resume race: the replay may already hold this round's delta
                while max([*live[i], *(replayed if i == 1 else [])], default=0) < last or (
                        i == 1 and round_ == 2 and not replayed):
                    frame = await board.receive_json_from(5)
                    seqs = [d["seq"] for d in frame["deltas"]]
                    (replayed if frame.get("recovered") else live[i]).extend(seqs)
            await asyncio.sleep(0.05)
        for board in boards:
            assert await board.receive_nothing(0.3)
            await board.disconnect()
        return live, replayed

    live, replayed = async_to_sync(viewers_scene)()
    assert live[0] == live[2] == list(range(3, 9))  # each delta once, in order
    assert replayed == [3, 4, 5]  # exactly what follows the position it resumed from
    assert live[1] == sorted(set(live[1])) and set(live[1]) | set(replayed) == set(range(3, 9))
    assert [seq for seq in live[1] if seq > 5] == [6, 7, 8]  # back on the hub's frames, once each


def test_a_flooding_client_is_throttled_and_closed_without_slowing_the_others(scenario: Scenario,
                                                                             settings: Any) -> None:
    s = scenario
    settings.STREAM_CLIENT_ABUSE_SECONDS = 2

    async def scene() -> dict[str, Any]:
        seen: dict[str, Any] = {}
        flood = await connect_board(s.event.pk, AnonymousUser())
        calm = await connect_board(s.event.pk, AnonymousUser())
        await flood.receive_json_from(5)
        await calm.receive_json_from(5)
        for _ in range(200):
            await flood.send_json_to({"type": "ping"})
        started = time.monotonic()
        await calm.send_json_to({"type": "ping"})
        seen["calm"] = await calm.receive_json_from(5)
        seen["calm_seconds"] = time.monotonic() - started
        answers: list[Any] = []
        deadline = time.monotonic() + 8
        while "closed" not in seen and time.monotonic() < deadline:
            if await flood.receive_nothing(0.2):  # (a receive that times out would cancel the consumer)
                for _ in range(40):  # keep flooding, second after second: persistent abuse
                    await flood.send_json_to({"type": "ping"})
                continue
            answer = await flood.receive_output(1)
            if answer["type"] == "websocket.send":
                answers.append(json.loads(answer["text"]))
            else:
                seen["closed"] = answer
        seen["flood"] = answers
        await calm.disconnect()
        return seen

    seen = async_to_sync(scene)()
    assert seen["calm"]["type"] == "heartbeat" and seen["calm_seconds"] < 1.0
    answers = seen["flood"]
    throttled = [a for a in answers if a == {"type": "error", "code": "message.throttled"}]
    heartbeats = [a for a in answers if a["type"] == "heartbeat"]
    assert throttled and answers.index(throttled[0]) >= 20  # within the budget first: answered
    assert len(throttled) < 10 and len(heartbeats) < 200  # the rest dropped, told once a second
    assert seen["closed"] == {"type": "websocket.close", "code": CLOSE_THROTTLED}
