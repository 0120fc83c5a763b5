"""The theory exam's pages: the candidate's page (a shell the script fills; others' registrations are 404), the
invigilator's live room (seats, states, forms with CSRF; other units 404), release and extra time by form."""

from __future__ import annotations

import pytest

from accounts.models import Organization, User
from certification.models import ExtraTimeGrant, SittingEvent
from certification.services import exam
from tests.certification.exam_steps import answer, exam_world, invigilator, open_sitting


@pytest.fixture
def world(exam_staff: User, exam_center: Organization, enterprise_a: Organization):  # type: ignore[no-untyped-def]
    return exam_world(exam_staff, exam_center, enterprise_a)


def test_the_exam_page_is_the_candidates_own(client_of, world) -> None:  # type: ignore[no-untyped-def]
    page = client_of(world.candidates[0]).get(f"/certification/exam/{world.registrations[0].pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and "data-exam" in html and "js/exam.js" in html and "<script>" not in html
    assert 'data-t-saved="已保存"' in html and 'data-t-unsaved="未保存"' in html
    mine = client_of(world.candidates[0]).get("/certification/registrations/mine/").content.decode()
    assert f"/certification/exam/{world.registrations[0].pk}/" in mine
    assert client_of(world.candidates[1]).get(f"/certification/exam/{world.registrations[0].pk}/").status_code == 404


def test_the_room_shows_every_seat_live_without_id_numbers(client_of, world, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    sitting = open_sitting(world)
    exam.answers_save(actor=world.candidates[0], sitting_id=sitting.pk, session_key="session-key-0001",
                      answers=[answer(0, (0,), 1), answer(1, (0,), 2)])
    client = client_of(invigilator(world))
    page = client.get(f"/certification/exam/rooms/{sitting.room_id}/")
    html = page.content.decode()
    assert page.status_code == 200 and 'hx-trigger="every 5s"' in html and "csrfmiddlewaretoken" in html
    assert html.count("data-seat=") == 3 and 'data-state="in"' in html and "2/7" in html
    assert "在线作答" in html and "未进入" in html
    assert world.candidates[0].id_number not in html if world.candidates[0].id_number else True
    with django_assert_max_num_queries(25):
        seats = client.get(f"/certification/exam/rooms/{sitting.room_id}/seats/")
    assert seats.status_code == 200 and "<html" not in seats.content.decode()


def test_the_room_is_invisible_to_another_unit(client_of, world, hr_of_b: User) -> None:  # type: ignore[no-untyped-def]
    sitting = open_sitting(world)
    assert client_of(hr_of_b).get(f"/certification/exam/rooms/{sitting.room_id}/").status_code == 404
    assert client_of(world.candidates[0]).get(f"/certification/exam/rooms/{sitting.room_id}/").status_code == 404


def test_release_and_extra_time_by_form_with_reasons(client_of, world) -> None:  # type: ignore[no-untyped-def]
    sitting = open_sitting(world)
    client = client_of(invigilator(world))
    refused = client.post(f"/certification/exam/sittings/{sitting.pk}/extra-time/", {"minutes": "10", "reason": ""},
                          follow=True)
    assert "请填写延时原因" in refused.content.decode() and not ExtraTimeGrant.objects.exists()
    done = client.post(f"/certification/exam/sittings/{sitting.pk}/extra-time/",
                       {"minutes": "10", "reason": "低视力考生"}, follow=True)
    assert "已批准延时" in done.content.decode() and ExtraTimeGrant.objects.get().reason == "低视力考生"
    assert "延时 10 分钟" in done.content.decode()
    client.post(f"/certification/exam/sittings/{sitting.pk}/release/", {"reason": "电脑蓝屏"}, follow=True)
    assert SittingEvent.objects.get(sitting=sitting, kind="released").detail["reason"] == "电脑蓝屏"
