"""Freezing the public board (封榜) and revealing it (揭榜) (competitions.services.freeze, selectors.stream,
consumers; README "Live stream"): while frozen the public learns nothing new, not even the seq; its snapshot is
the board at the freeze; the jury moves on and sees what is pending; each reveal step shows one more workstation
from the bottom; after the thaw the public board is the jury's projection."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from accounts.models import OrganizationKind, Role
from audit.models import AuditEntry
from competitions import services
from competitions.domain.stream import Audience
from competitions.models import BoardFreeze, StreamDelta
from competitions.selectors.stream import board_snapshot, stream_resume
from competitions.services.stream import stream_rebuild, stream_sequence
from core.actors import SYSTEM
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tests.accounts.factories import OrganizationFactory, person
from tests.competitions.steps import Scenario, connect_board, mark_by_measurer


def _figures(snapshot: dict[str, Any]) -> dict[str, tuple[Any, ...]]:
    """工位号 → the figures a board shows (names aside)."""
    return {e["workstation_no"]: (e["module_scores"], e["practical"], e.get("total"))
            for skill in snapshot["skills"] for e in skill["entries"]}


def _freeze(s: Scenario) -> BoardFreeze:
    return services.board_freeze(actor=s.organizer, event=s.event, reason="最后一小时封榜")


def _scores(s: Scenario) -> None:
    """Distinct practical parts: b0 0, a0 20, b1 20 (a tie), a1 50."""
    a0, a1 = s.entries_a
    _b0, b1 = s.entries_b
    mark_by_measurer(s, a0, "A1", 20)
    mark_by_measurer(s, a1, "A1", 20)
    mark_by_measurer(s, a1, "A2", "60")
    mark_by_measurer(s, b1, "A1", 20)


@pytest.mark.django_db
def test_a_freeze_holds_the_public_board_at_its_seq_while_the_jury_moves_on(  # type: ignore[no-untyped-def]
    scenario: Scenario, client, client_of
) -> None:
    s = scenario
    mark_by_measurer(s, s.entries_b[0], "A1", 20)
    stream_sequence(event_id=s.event.pk)
    at_freeze = board_snapshot(s.event.pk, Audience.PUBLIC).message()
    freeze = _freeze(s)
    assert freeze.seq == 2 and StreamDelta.objects.get(event=s.event, seq=2).kind == "board.frozen"
    _scores(s)
    stream_sequence(event_id=s.event.pk)

    public = board_snapshot(s.event.pk, Audience.PUBLIC).message()
    assert public["seq"] == 2 and public["frozen"] == {"since": freeze.since.isoformat(), "seq": 2}
    assert _figures(public) == _figures(at_freeze)  # the board at the freeze, nothing of the marks since
    jury = board_snapshot(s.event.pk, Audience.JURY).message()
    assert jury["seq"] == 6 and jury["frozen"] == {"since": freeze.since.isoformat(), "seq": 2, "pending": 4}
    assert _figures(jury)[s.entries_a[1].workstation_no][1] == "50.0000"

    epoch = jury["epoch"]
    url = f"/api/v1/competitions/events/{s.event.pk}/feed"
    for since in ("", f"{epoch}:1", f"{epoch}:2", f"{epoch}:6", "other:2"):
        [frame] = client.get(url, {"since": since, "audience": "public"}).json()["frames"]
        assert frame["seq"] == 2 and all(d["seq"] <= 2 for d in frame.get("deltas", []))
        if frame["type"] == "snapshot":
            assert _figures(frame) == _figures(at_freeze) and frame["frozen"]["seq"] == 2
    [nothing_new] = client.get(url, {"since": f"{epoch}:2"}).json()["frames"]
    assert nothing_new == {"type": "delta", "epoch": epoch, "recovered": True, "seq": 2, "deltas": []}
    [held] = client_of(s.organizer).get(url, {"since": f"{epoch}:2"}).json()["frames"]
    assert [d["seq"] for d in held["deltas"]] == [3, 4, 5, 6]  # the jury's stream keeps moving

    entry = AuditEntry.objects.get(action="competitions.board.frozen")
    assert (entry.actor_id, entry.target_id, entry.reason) == (s.organizer.pk, str(s.event.pk), "最后一小时封榜")
    assert entry.old == {"frozen": False} and entry.new == {"frozen": True, "seq": 2, "planned_thaw_at": None}


@pytest.mark.django_db
def test_each_reveal_step_shows_exactly_one_more_workstation_from_the_bottom(scenario: Scenario) -> None:
    s = scenario
    _freeze(s)  # before any mark: the frozen board is all zeros
    _scores(s)
    stream_sequence(event_id=s.event.pk)
    jury = _figures(board_snapshot(s.event.pk, Audience.JURY).message())
    # bottom first: lowest practical part, then among a tie the higher 工位号
    expected = sorted(jury, key=lambda no: (Decimal(jury[no][1]), [-ord(c) for c in no]))
    shown = _figures(board_snapshot(s.event.pk, Audience.PUBLIC).message())
    revealed: list[str] = []
    for step in range(1, len(expected) + 1):
        services.board_reveal_next(actor=s.organizer, event=s.event, reason=f"第 {step} 名")
        now = _figures(board_snapshot(s.event.pk, Audience.PUBLIC).message())
        changed = [no for no in now if now[no] != shown[no]]
        assert len(changed) <= 1  # b0 is revealed first with the 0 it already showed
        revealed.append(BoardFreeze.objects.get(event=s.event).revealed[-1]["workstation_no"])
        assert revealed == expected[:step]
        assert all(now[no] == jury[no] for no in revealed)
        assert all(now[no][1] == "0.0000" for no in now if no not in revealed)  # unrevealed: as at the freeze
        shown = now
    with pytest.raises(Conflict) as refused:
        services.board_reveal_next(actor=s.organizer, event=s.event)
    assert refused.value.code == "board.nothing_to_reveal"
    steps = AuditEntry.objects.filter(action="competitions.board.revealed").order_by("id")
    assert [(e.old, e.new["revealed"], e.new["workstation_no"], e.reason) for e in steps] == [
        ({"revealed": i}, i + 1, no, f"第 {i + 1} 名") for i, no in enumerate(expected)]
    services.board_thaw(actor=s.organizer, event=s.event, reason="颁奖典礼结束")
    public = board_snapshot(s.event.pk, Audience.PUBLIC).message()
    assert public["frozen"] is None and _figures(public) == jury
    thawed = AuditEntry.objects.get(action="competitions.board.thawed")
    assert thawed.old == {"frozen": True, "seq": 1, "revealed": 4} and thawed.new == {"frozen": False}
    assert thawed.reason == "颁奖典礼结束"


@pytest.mark.django_db
def test_freezing_is_for_the_organizers_staff_and_the_admin_and_refusals_are_named(  # type: ignore[no-untyped-def]
    scenario: Scenario, worker_of_a, outsider, platform_admin
) -> None:
    s = scenario
    other_unit = OrganizationFactory(name="另一主办单位", kind=OrganizationKind.ORGANIZER)
    other_organizer = person(Role.ORGANIZER_STAFF, other_unit, username="other_organizer")
    for who in (s.referee_a, s.chief, worker_of_a, outsider, other_organizer, AnonymousUser()):
        for attempt in (lambda u=who: services.board_freeze(actor=u, event=s.event, reason="封榜"),
                        lambda u=who: services.board_thaw(actor=u, event=s.event),
                        lambda u=who: services.board_reveal_next(actor=u, event=s.event)):
            with pytest.raises((PermissionDenied, NotFound)):
                attempt()
    with pytest.raises(PermissionDenied):
        services.board_freeze(actor=SYSTEM, event=s.event, reason="封榜")
    with pytest.raises(ValidationFailed) as no_reason:
        services.board_freeze(actor=s.organizer, event=s.event, reason="  ")
    assert no_reason.value.field_errors[0].code == "board.reason_required"
    with pytest.raises(Conflict) as not_frozen:
        services.board_thaw(actor=s.organizer, event=s.event)
    assert not_frozen.value.code == "board.not_frozen"
    services.board_freeze(actor=platform_admin, event=s.event, reason="封榜")
    with pytest.raises(Conflict) as twice:
        _freeze(s)
    assert twice.value.code == "board.already_frozen"
    with pytest.raises(Conflict) as rebuild:
        stream_rebuild(actor=SYSTEM, event=s.event)
    assert rebuild.value.code == "board.frozen_rebuild"
    assert not AuditEntry.objects.filter(action__startswith="competitions.board.", actor=s.organizer).exists()
    assert AuditEntry.objects.filter(action="competitions.board.frozen", actor=platform_admin).count() == 1


# --- on the websocket -------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_public_frames_while_frozen_carry_nothing_new_and_the_thaw_brings_the_jurys_figures(
    scenario: Scenario, settings: Any
) -> None:
    """On the configured layer (in-memory, or Redis with REDIS_URL)."""
    s = scenario
    sync = database_sync_to_async

    def mark_and_sequence(entry_index: int, aspect: str, value: int | str) -> None:
        mark_by_measurer(s, s.entries[entry_index], aspect, value)
        stream_sequence(event_id=s.event.pk)

    def reveal() -> None:
        services.board_reveal_next(actor=s.organizer, event=s.event)
        stream_sequence(event_id=s.event.pk)

    async def scene() -> dict[str, Any]:
        seen: dict[str, Any] = {}
        public = await connect_board(s.event.pk, AnonymousUser())
        jury = await connect_board(s.event.pk, s.organizer, "audience=jury")
        await public.receive_json_from(5)
        await jury.receive_json_from(5)
        await sync(mark_and_sequence)(2, "A1", 20)  # seq 1, before the freeze: everyone sees it
        seen["before"] = await public.receive_json_from(5)
        await jury.receive_json_from(5)
        await sync(_freeze)(s)  # seq 2
        seen["public_frozen"] = await public.receive_json_from(5)
        seen["jury_frozen"] = await jury.receive_json_from(5)
        for index, aspect, value in ((0, "A1", 20), (1, "A1", 20), (1, "A2", "60"), (2, "A1", 0)):
            await sync(mark_and_sequence)(index, aspect, value)
            seen.setdefault("jury_deltas", []).append(await jury.receive_json_from(5))
        seen["public_silent"] = await public.receive_nothing(0.5)
        await public.send_json_to({"type": "ping"})
        seen["public_heartbeat"] = await public.receive_json_from(5)
        await jury.send_json_to({"type": "ping"})
        seen["jury_heartbeat"] = await jury.receive_json_from(5)
        # a newcomer, and a public client resuming from before the freeze: the board at the freeze
        late = await connect_board(s.event.pk, AnonymousUser(), f"epoch={seen['before']['epoch']}&seq=1")
        seen["late"] = await late.receive_json_from(5)
        await sync(reveal)()  # seq 7
        seen["reveal_public"] = await public.receive_json_from(5)
        seen["reveal_late"] = await late.receive_json_from(5)
        seen["reveal_jury"] = await jury.receive_json_from(5)
        await late.disconnect()
        await sync(services.board_thaw)(actor=s.organizer, event=s.event)  # seq 8
        seen["thaw_public"] = await public.receive_json_from(5)
        seen["thaw_jury"] = await jury.receive_json_from(5)
        await public.disconnect()
        await jury.disconnect()
        return seen

    seen = async_to_sync(scene)()
    epoch = seen["before"]["epoch"]
    frozen = seen["public_frozen"]
    assert frozen["type"] == "snapshot" and frozen["seq"] == 2 and frozen["frozen"]["seq"] == 2
    assert "pending" not in frozen["frozen"]
    assert seen["jury_frozen"]["frozen"]["pending"] == 0
    assert [d["seq"] for f in seen["jury_deltas"] for d in f["deltas"]] == [3, 4, 5, 6]
    assert seen["public_silent"] is True  # not a frame, not even a seq
    assert seen["public_heartbeat"] == {"type": "heartbeat", "epoch": epoch, "seq": 2}
    assert seen["jury_heartbeat"] == {"type": "heartbeat", "epoch": epoch, "seq": 6}
    assert seen["late"]["type"] == "snapshot" and seen["late"]["seq"] == 2
    assert _figures(seen["late"]) == _figures(frozen)
    revealed = seen["reveal_public"]
    assert revealed["type"] == "snapshot" and revealed["seq"] == 2 and revealed == seen["reveal_late"]
    [step] = BoardFreeze.objects.get(event=s.event).revealed
    jury_now = _figures(seen["thaw_jury"])  # the thaw changes no figure
    assert _figures(revealed) == {**_figures(frozen), step["workstation_no"]: jury_now[step["workstation_no"]]}
    assert jury_now[step["workstation_no"]][1] == "0.0000"  # the bottom one (b0 or b1, both at 0)
    assert seen["reveal_jury"]["frozen"]["pending"] == 5
    thawed = seen["thaw_public"]
    assert thawed["type"] == "snapshot" and thawed["frozen"] is None and thawed["seq"] == 8
    assert _figures(thawed) == _figures(seen["thaw_jury"])
    assert _figures(thawed)[s.entries[1].workstation_no][1] == "50.0000"


@pytest.mark.django_db
def test_a_public_client_resuming_across_freeze_and_thaw_ends_at_the_jurys_figures(scenario: Scenario) -> None:
    s = scenario
    mark_by_measurer(s, s.entries_b[0], "A1", 20)
    epoch = stream_sequence(event_id=s.event.pk).epoch
    _freeze(s)
    _scores(s)
    stream_sequence(event_id=s.event.pk)
    during = stream_resume(s.event.pk, Audience.PUBLIC, epoch, 1)  # crossing the freeze: the frozen board
    assert during.snapshot is not None and during.position.seq == 2 and during.decision.reason == "board_changed"
    services.board_reveal_next(actor=s.organizer, event=s.event)
    stream_sequence(event_id=s.event.pk)
    after_reveal = stream_resume(s.event.pk, Audience.PUBLIC, epoch, 2)  # it cannot name the step: a snapshot
    assert after_reveal.snapshot is not None and after_reveal.decision.reason == "revealed"
    services.board_thaw(actor=s.organizer, event=s.event)
    jury = _figures(board_snapshot(s.event.pk, Audience.JURY).message())
    for seq in (1, 2):
        back = stream_resume(s.event.pk, Audience.PUBLIC, epoch, seq).message()
        assert back["type"] == "snapshot" and back["frozen"] is None and _figures(back) == jury
    # the jury's own replay shows what happened, in order
    kinds = [d["kind"] for d in stream_resume(s.event.pk, Audience.JURY, epoch, 1).deltas]
    assert kinds[0] == "board.frozen" and kinds[-2:] == ["board.revealed", "board.thawed"]


# --- the organizer's controls: the event page and the API ----------------------------------------------------------


@pytest.mark.django_db
def test_the_event_page_freezes_reveals_the_next_and_thaws_with_csrf_forms(  # type: ignore[no-untyped-def]
    scenario: Scenario, client, client_of
) -> None:
    s = scenario
    page_url = f"/competitions/events/{s.event.pk}/manage/"
    other = person(Role.ORGANIZER_STAFF, OrganizationFactory(name="另一主办单位", kind=OrganizationKind.ORGANIZER),
                   username="other_organizer")
    assert client_of(other).post(f"/competitions/events/{s.event.pk}/board/freeze/",
                                 {"reason": "x"}).status_code == 404
    assert client_of(s.chief).post(f"/competitions/events/{s.event.pk}/board/freeze/",
                                   {"reason": "x"}).status_code in (403, 404)
    client.logout()
    assert client.post(f"/competitions/events/{s.event.pk}/board/freeze/", {"reason": "x"}).status_code == 302
    organizer = client_of(s.organizer)
    page = organizer.get(page_url).content.decode()
    form = page[page.index('data-testid="freeze-form"'):page.index("</form>", page.index('data-testid="freeze-form"'))]
    assert "csrfmiddlewaretoken" in form and 'name="planned_thaw_at"' in form
    refused = organizer.post(f"/competitions/events/{s.event.pk}/board/freeze/", {"reason": ""}, follow=True)
    assert 'data-code="board.reason_required"' in refused.content.decode()
    _scores(s)
    tomorrow = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%d")
    answer = organizer.post(f"/competitions/events/{s.event.pk}/board/freeze/",
                            {"reason": "最后一小时", "planned_thaw_at": f"{tomorrow}T15:00"}, follow=True)
    page = answer.content.decode()
    assert 'data-frozen="yes"' in page and "最后一小时" in page and f"{tomorrow} 15:00" in page
    plan_first = s.entries_b[0].workstation_no  # b0 is the only one at 0
    assert f"工位 {plan_first}（还剩 4 个工位）" in page and 'data-testid="freeze-pending">0<' in page
    page = organizer.post(f"/competitions/events/{s.event.pk}/board/reveal/", follow=True).content.decode()
    assert f"已揭晓工位 {plan_first}。" in page and "还剩 3 个工位" in page
    stream_sequence(event_id=s.event.pk)  # the reveal's delta, numbered: the jury's stream moved on by one
    page = organizer.get(page_url).content.decode()
    assert 'data-testid="freeze-revealed">1<' in page and 'data-testid="freeze-pending">1<' in page
    page = organizer.post(f"/competitions/events/{s.event.pk}/board/thaw/", {"reason": "典礼结束"},
                          follow=True).content.decode()
    assert "已全部揭晓" in page and 'data-frozen="no"' in page
    assert AuditEntry.objects.filter(action__startswith="competitions.board.").count() == 3


@pytest.mark.django_db
def test_the_api_freezes_reveals_and_thaws_through_the_same_service(  # type: ignore[no-untyped-def]
    scenario: Scenario, client, client_of
) -> None:
    s = scenario
    base = f"/api/v1/competitions/events/{s.event.pk}/board"
    assert client.post(f"{base}/freeze", {"reason": "x"}, content_type="application/json").status_code == 401
    assert client_of(s.referee_a).post(f"{base}/freeze", {"reason": "x"},
                                       content_type="application/json").status_code in (403, 404)
    api = client_of(s.organizer)
    assert api.get(f"{base}/freeze").json()["frozen"] is False
    for unfit in ("2000-01-01T00:00:00+08:00", "2099-01-01T10:00:00+08:00", "9999-12-31T23:59:59-23:00",
                  "2026-01-01T10:00:00"):  # past, too far, beyond what a date holds, no time zone
        refused = api.post(f"{base}/freeze", {"reason": "x", "planned_thaw_at": unfit},
                           content_type="application/json")
        assert refused.status_code == 422, unfit
    soon = (timezone.now() + timedelta(hours=2)).isoformat()
    frozen = api.post(f"{base}/freeze", {"reason": "封榜", "planned_thaw_at": soon},
                      content_type="application/json")
    assert frozen.status_code == 200
    view = frozen.json()
    assert view["frozen"] is True and view["remaining"] == 4 and view["revealed"] == 0 and view["seq"] == 1
    assert api.post(f"{base}/freeze", {"reason": "again"}, content_type="application/json").status_code == 409
    step = api.post(f"{base}/reveal", {}, content_type="application/json").json()
    assert step["revealed"] == 1 and step["remaining"] == 3
    assert api.post(f"{base}/thaw", {"reason": "典礼"}, content_type="application/json").json()["frozen"] is False
    assert api.post(f"{base}/thaw", {}, content_type="application/json").status_code == 409
    assert api.post(f"/api/v1/competitions/events/{s.event.pk + 999}/board/thaw", {},
                    content_type="application/json").status_code == 404
