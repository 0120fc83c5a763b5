"""The online theory exam's pages (issue 12 item 7).

- `exam_page`: the candidate's exam. A scrolling list of every question with a navigator of numbers at the top
  (chosen over one question at a time: on a 390-px phone a candidate scrolls naturally, sees at a glance which
  numbers are 未保存, and a reload lands on the whole paper); static/js/exam.js opens the sitting through the API,
  so the page itself writes nothing on GET.
- `exam_room`: the invigilator's live room, refreshed by htmx polling every 5 s (chosen over a websocket: a room
  is 30–50 seats, a 5-s poll of one indexed read per room is cheap, and polling is what sweeps the room, so a
  refresh is also what submits the time-up sittings and records the silent ones as disconnected). Release and
  extra time are plain forms that return to the room with a message.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.auth import signed_in_user
from certification import access
from certification.selectors import exam as views
from certification.services import exam as services
from core.errors import DomainError, ValidationFailed


@login_required
@require_GET
def exam_page(request: HttpRequest, registration_id: int) -> HttpResponse:
    user = signed_in_user(request)
    registration = access.access_registration_for_exam(user, registration_id)
    return render(request, "certification/exam.html", {
        "registration": {"id": registration.pk, "batch_name": registration.batch.name},
        "api_url": "/api/v1/certification/exam"})


def _room(request: HttpRequest, room_id: int) -> views.RoomView:
    user = signed_in_user(request)
    services.room_watch(actor=user, room_id=room_id)
    return views.room_view(access.access_room_for_invigilation(user, room_id))


@login_required
@require_GET
def exam_room(request: HttpRequest, room_id: int) -> HttpResponse:
    return render(request, "certification/exam_room.html", {"room": _room(request, room_id)})


@login_required
@require_GET
def exam_room_seats(request: HttpRequest, room_id: int) -> HttpResponse:
    return render(request, "certification/_exam_seats.html", {"room": _room(request, room_id)})


def _message(error: DomainError) -> str:
    if isinstance(error, ValidationFailed):
        return "；".join(e.message for e in error.field_errors)
    return error.message


@login_required
@require_POST
def exam_release(request: HttpRequest, sitting_id: int) -> HttpResponse:
    user = signed_in_user(request)
    sitting = access.access_sitting_for_invigilation(user, sitting_id)
    try:
        services.session_release(actor=user, sitting_id=sitting_id, reason=request.POST.get("reason", ""))
        messages.success(request, _("已释放该考生的会话，考生可在新设备上继续作答。"))
    except DomainError as error:
        messages.error(request, _message(error))
    return redirect("certification:exam_room", sitting.room_id)


@login_required
@require_POST
def exam_extra(request: HttpRequest, sitting_id: int) -> HttpResponse:
    user = signed_in_user(request)
    sitting = access.access_sitting_for_invigilation(user, sitting_id)
    try:
        minutes = int(request.POST.get("minutes", "0"))
    except ValueError:
        minutes = 0
    try:
        services.extra_time_grant(actor=user, sitting_id=sitting_id, minutes=minutes,
                                  reason=request.POST.get("reason", ""))
        messages.success(request, _("已批准延时。"))
    except DomainError as error:
        messages.error(request, _message(error))
    return redirect("certification:exam_room", sitting.room_id)
