"""The audit pages (issue 10 item 7): find an object by its name, then read its change history in words, for the
admin and the organizer staff of its unit; the raw type and id form stays as the advanced way in.

A history shows `PER_PAGE` entries a page, oldest first (the order they were written in), each with its changed
fields labelled and translated (audit.labels) and redacted as audit.redaction says.
"""

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

PER_PAGE = 50


def _page_number(raw: str) -> int:
    try:
        return max(1, int(raw))
    except ValueError:
        return 1


@login_required
def history(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.AUDIT_VIEW)
    query = request.GET.get("q", "").strip()[:100]
    target_type = request.GET.get("target_type", "").strip()[:100]
    target_id = request.GET.get("target_id", "").strip()[:64]
    hits = selectors.audit_targets_search(viewer=request.user, query=query) if query else None
    target = entries = None
    number = pages = 1
    if target_type and target_id:
        target = selectors.audit_target(viewer=request.user, target_type=target_type, target_id=target_id)
        pages = max(1, -(-target.total // PER_PAGE))
        number = min(_page_number(request.GET.get("page", "1")), pages)
        entries = selectors.audit_history(viewer=request.user, target_type=target_type, target_id=target_id,
                                          offset=(number - 1) * PER_PAGE, limit=PER_PAGE)
    return render(request, "audit/history.html", {
        "query": query, "hits": hits, "target": target, "entries": entries, "number": number, "pages": pages,
        "target_type": target_type, "target_id": target_id, "can_verify": can(request.user, Action.AUDIT_VERIFY),
    })


@login_required
@require_POST
def verify(request: HttpRequest) -> HttpResponse:
    """Start sealing and verifying the whole log in the background and show its progress."""
    progress = audit_verify_start(actor=signed_in_user(request))
    return redirect("task_detail", task_id=progress.pk)
