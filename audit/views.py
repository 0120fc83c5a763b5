"""The audit page: an object's change history, for the admin and the organizer staff of its unit."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.auth import signed_in_user
from accounts.permissions import can, require
from audit import selectors
from audit.permissions import Action
from audit.tasks import audit_verify_start


@login_required
def history(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.AUDIT_VIEW)
    target_type = request.GET.get("target_type", "").strip()
    target_id = request.GET.get("target_id", "").strip()
    entries = None
    if target_type and target_id:
        entries = selectors.audit_history(viewer=request.user, target_type=target_type, target_id=target_id,
                                          limit=500)
    return render(request, "audit/history.html",
                  {"entries": entries, "target_type": target_type, "target_id": target_id,
                   "can_verify": can(request.user, Action.AUDIT_VERIFY)})


@login_required
@require_POST
def verify(request: HttpRequest) -> HttpResponse:
    """Start sealing and verifying the whole log in the background and show its progress."""
    progress = audit_verify_start(actor=signed_in_user(request))
    return redirect("task_detail", task_id=progress.pk)
