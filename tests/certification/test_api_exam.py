"""The theory exam's API (certification.api.exam): the candidate's whole round trip, refusals with their codes,
the invigilator's room and actions, invisibility across candidates and units, the regrade endpoint."""

from __future__ import annotations

import json
import time

import pytest

from accounts.models import Organization, User
from certification.models import SavedAnswer, Sitting, SittingEvent
from tests.certification.exam_steps import correct_displayed, exam_world, invigilator, theory

BASE = "/api/v1/certification/exam"
KEY = "api-session-0001"


@pytest.fixture
def world(exam_staff: User, exam_center: Organization, enterprise_a: Organization):  # type: ignore[no-untyped-def]
    return exam_world(exam_staff, exam_center, enterprise_a)


def post(client, url: str, body: dict) -> object:  # type: ignore[no-untyped-def]
    return client.post(url, json.dumps(body), content_type="application/json")


def now_ms() -> int:
    return int(time.time() * 1000)


def test_a_candidate_opens_answers_reloads_and_submits(client_of, world) -> None:  # type: ignore[no-untyped-def]
    client = client_of(world.candidates[0])
    opened = post(client, f"{BASE}/registrations/{world.registrations[0].pk}/sitting",
                  {"session_key": KEY, "device": "Safari iPhone"})
    assert opened.status_code == 200, opened.content
    paper = opened.json()
    assert len(paper["questions"]) == 7 and paper["next_seq"] == 1 and paper["phase"] == "answering"
    assert "answer" not in paper["questions"][0] and 5_300_000 < paper["time_left_ms"] <= 5_400_000
    sid = paper["sitting_id"]
    sitting = Sitting.objects.get(pk=sid)
    saved = post(client, f"{BASE}/sittings/{sid}/answers", {
        "session_key": KEY, "offset_ms": 0, "round_trip_ms": 30,
        "answers": [{"position": p, "choices": list(correct_displayed(sitting, p)), "seq": p + 1,
                     "given_at_ms": now_ms()} for p in range(3)]})
    assert saved.status_code == 200 and saved.json()["ack"] == 3 and saved.json()["accepted"] == [1, 2, 3]
    reloaded = post(client, f"{BASE}/registrations/{world.registrations[0].pk}/sitting",
                    {"session_key": KEY, "device": "Safari iPhone"}).json()
    assert reloaded["next_seq"] == 4 and [q["saved"] for q in reloaded["questions"][:3]] == [
        list(correct_displayed(sitting, p)) for p in range(3)]
    beat = post(client, f"{BASE}/sittings/{sid}/heartbeat", {"session_key": KEY, "visible": True}).json()
    assert beat["ack"] == 3 and beat["time_left_ms"] <= reloaded["time_left_ms"]
    done = post(client, f"{BASE}/sittings/{sid}/submit", {"session_key": KEY})
    assert done.status_code == 200 and done.json()["how"] == "candidate" and done.json()["answered"] == 3
    again = post(client, f"{BASE}/sittings/{sid}/submit", {"session_key": KEY})
    assert again.status_code == 409 and again.json()["code"] == "exam.submitted"


def test_a_second_session_gets_409_naming_the_first(client_of, world) -> None:  # type: ignore[no-untyped-def]
    client = client_of(world.candidates[0])
    url = f"{BASE}/registrations/{world.registrations[0].pk}/sitting"
    post(client, url, {"session_key": KEY, "device": "考场 12 号机"})
    refused = post(client, url, {"session_key": "other-device-77", "device": "家里电脑"})
    assert refused.status_code == 409 and refused.json()["code"] == "exam.session.active"
    assert "考场 12 号机" in refused.json()["message"]


def test_refusals_come_back_with_codes_and_bad_input_is_422(client_of, world) -> None:  # type: ignore[no-untyped-def]
    client = client_of(world.candidates[0])
    sid = post(client, f"{BASE}/registrations/{world.registrations[0].pk}/sitting",
               {"session_key": KEY}).json()["sitting_id"]
    reply = post(client, f"{BASE}/sittings/{sid}/answers", {"session_key": KEY, "answers": [
        {"position": 0, "choices": [9], "seq": 1, "given_at_ms": now_ms()}]}).json()
    assert reply["refused"][0]["code"] == "exam.answer.bad_choice" and reply["ack"] == 1
    bad = post(client, f"{BASE}/sittings/{sid}/answers", {"session_key": "x", "answers": []})
    assert bad.status_code == 422
    wrong_key = post(client, f"{BASE}/sittings/{sid}/answers", {"session_key": "not-my-session", "answers": []})
    assert wrong_key.status_code == 409 and wrong_key.json()["code"] == "exam.session.unknown"


def test_another_candidate_and_another_unit_get_404(client_of, world, hr_of_b: User) -> None:  # type: ignore[no-untyped-def]
    own = client_of(world.candidates[0])
    sid = post(own, f"{BASE}/registrations/{world.registrations[0].pk}/sitting",
               {"session_key": KEY}).json()["sitting_id"]
    other = client_of(world.candidates[1])
    assert post(other, f"{BASE}/sittings/{sid}/answers", {"session_key": KEY, "answers": []}).status_code == 404
    assert post(other, f"{BASE}/registrations/{world.registrations[0].pk}/sitting",
                {"session_key": KEY}).status_code == 404
    stranger = client_of(hr_of_b)
    room_id = Sitting.objects.get(pk=sid).room_id
    assert stranger.get(f"{BASE}/rooms/{room_id}").status_code == 404
    assert post(stranger, f"{BASE}/sittings/{sid}/release", {"reason": "x"}).status_code == 404


def test_the_invigilator_sees_the_room_releases_and_grants_time(client_of, world) -> None:  # type: ignore[no-untyped-def]
    me = client_of(world.candidates[0])
    sid = post(me, f"{BASE}/registrations/{world.registrations[0].pk}/sitting",
               {"session_key": KEY, "device": "平板"}).json()["sitting_id"]
    post(me, f"{BASE}/sittings/{sid}/answers", {"session_key": KEY, "answers": [
        {"position": 0, "choices": [0], "seq": 1, "given_at_ms": now_ms()}]})
    staff = client_of(invigilator(world))
    room = staff.get(f"{BASE}/rooms/{Sitting.objects.get(pk=sid).room_id}")
    assert room.status_code == 200
    seats = {s["sitting_id"]: s for s in room.json()["seats"]}
    assert len(room.json()["seats"]) == 3 and seats[sid]["state"] == "in" and seats[sid]["answered"] == 1
    assert seats[sid]["device"] == "平板" and "id_number" not in seats[sid]
    missing = post(staff, f"{BASE}/sittings/{sid}/extra-time", {"minutes": 10, "reason": ""})
    assert missing.status_code == 422
    granted = post(staff, f"{BASE}/sittings/{sid}/extra-time", {"minutes": 10, "reason": "听障考生"}).json()
    assert {s["sitting_id"]: s for s in granted["seats"]}[sid]["extra_minutes"] == 10
    released = post(staff, f"{BASE}/sittings/{sid}/release", {"reason": "换机"})
    assert released.status_code == 200 and SittingEvent.objects.filter(sitting_id=sid, kind="released").exists()
    me = client_of(world.candidates[0])  # one test client: signing in again switches back to the candidate
    assert post(me, f"{BASE}/registrations/{world.registrations[0].pk}/sitting",
                {"session_key": "spare-machine-1"}).status_code == 200
    assert SavedAnswer.objects.filter(sitting_id=sid).count() == 1  # the new device continues with the answer


def test_the_policy_is_set_by_the_body(client_of, world, exam_staff: User) -> None:  # type: ignore[no-untyped-def]
    staff = client_of(exam_staff)
    url = f"{BASE}/parts/{theory(world).pk}/policy"
    ok = staff.put(url, json.dumps({"duration_minutes": 120, "disconnect": "pause"}), content_type="application/json")
    assert ok.status_code == 200 and theory(world).exam_policy.duration_s == 7200
    short = staff.put(url, json.dumps({"duration_minutes": 30}), content_type="application/json")
    assert short.status_code == 422
