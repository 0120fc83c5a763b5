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

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.auth import signed_in_user
from accounts.permissions import can
from certification import access
from certification.domain import exam_clock as clock
from certification.domain.grading import MultiplePolicy
from certification.models import DeadlinePolicy, DisconnectPolicy, MultipleChoiceGrading, QuestionVersion
from certification.permissions import Action
from certification.selectors import exam as views
from certification.services import exam as services
from core.errors import DomainError, ValidationFailed
from core.lookup import get_or_404


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


# --- the body's policy page and the bank keeper's regrade (issue 12, follow-ups) ------------------------------------
# - `exam_policy`: a theory part's policy (disconnect, deadline, multiple-choice grading, windows) as a form for the
#   body's staff who plan the batch (read-only for those who only view it); linked from the batch page's theory
#   part. Saving goes through services.exam_policy_set (audited old → new); a refused policy re-renders the form
#   with every problem. Extra time per candidate stays on the room page, where the sitting exists.
# - `exam_regrade`: started from a question's page, for a version that submitted sittings carried; redirects to
#   `exam_regrade_detail`, which lists per candidate old → new score and whether the pass flipped.

class PolicyForm(forms.Form):
    duration_minutes = forms.IntegerField(label=gettext_lazy("考试时长（分钟）"), min_value=90, max_value=1000)
    disconnect = forms.ChoiceField(label=gettext_lazy("断线处理"), choices=DisconnectPolicy.choices)
    pause_per_disconnect_minutes = forms.IntegerField(label=gettext_lazy("每次断线暂停上限（分钟）"), min_value=0,
                                                      max_value=1000)
    pause_total_minutes = forms.IntegerField(label=gettext_lazy("断线暂停累计上限（分钟）"), min_value=0,
                                             max_value=1000)
    deadline = forms.ChoiceField(label=gettext_lazy("到时处理"), choices=DeadlinePolicy.choices)
    submit_grace_minutes = forms.IntegerField(label=gettext_lazy("交卷宽限（分钟）"), min_value=0, max_value=1000)
    max_offline_minutes = forms.IntegerField(label=gettext_lazy("离线答案补交时限（分钟）"), min_value=0,
                                             max_value=1000)
    late_entry_minutes = forms.IntegerField(label=gettext_lazy("开考后允许入场（分钟）"), min_value=0, max_value=1000)
    multiple_grading = forms.ChoiceField(label=gettext_lazy("多选题评分"), choices=MultipleChoiceGrading.choices)

    def data_object(self) -> services.PolicyData:
        d = self.cleaned_data
        return services.PolicyData(
            duration_minutes=d["duration_minutes"], disconnect=clock.DisconnectPolicy(d["disconnect"]),
            pause_per_disconnect_minutes=d["pause_per_disconnect_minutes"],
            pause_total_minutes=d["pause_total_minutes"], deadline=clock.DeadlinePolicy(d["deadline"]),
            submit_grace_minutes=d["submit_grace_minutes"], max_offline_minutes=d["max_offline_minutes"],
            late_entry_minutes=d["late_entry_minutes"], multiple_grading=MultiplePolicy(d["multiple_grading"]))


def _policy_initial(view: views.PolicyView) -> dict[str, object]:
    return {name: getattr(view, name) for name in PolicyForm.base_fields}


@login_required
@require_http_methods(["GET", "POST"])
def exam_policy(request: HttpRequest, part_id: int) -> HttpResponse:
    user = signed_in_user(request)
    part = access.access_theory_part(user, part_id)
    may_manage = can(user, Action.BATCH_MANAGE, part.batch)
    view = views.policy_view(part)
    form = PolicyForm(request.POST or None, initial=_policy_initial(view))
    status = 200
    if request.method == "POST":
        access.access_theory_part(user, part_id, manage=True)
        if form.is_valid():
            try:
                services.exam_policy_set(actor=user, part_id=part_id, data=form.data_object())
            except ValidationFailed as error:
                for e in error.field_errors:
                    form.add_error(None, e.message)
            else:
                messages.success(request, _("理论考试规则已保存。"))
                return redirect("certification:exam_policy", part_id)
        status = 422
    return render(request, "certification/exam_policy.html", {"policy": view, "form": form,
                                                                "may_manage": may_manage}, status=status)


@login_required
@require_POST
def exam_regrade(request: HttpRequest, version_id: int) -> HttpResponse:
    user = signed_in_user(request)
    version = get_or_404(QuestionVersion.objects.only("pk", "question_id"), pk=version_id)
    access.access_question(user, version.question_id)
    try:
        run = services.question_regrade(actor=user, options=services.RegradeOptions(
            version.pk, request.POST.get("reason", ""), request.POST.get("void") == "on"))
    except DomainError as error:
        messages.error(request, _message(error))
        return redirect("certification:question", version.question_id)
    messages.success(request, _("重新评分完成。"))
    return redirect("certification:exam_regrade_detail", run.pk)


@login_required
@require_GET
def exam_regrade_detail(request: HttpRequest, regrade_id: int) -> HttpResponse:
    run = access.access_regrade(signed_in_user(request), regrade_id)
    return render(request, "certification/exam_regrade.html", {"regrade": views.regrade_view(run)})
