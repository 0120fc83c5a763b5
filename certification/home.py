"""What certification puts on a person's home page ("待办事项"): for an evaluation body's staff, the registrations
of their own body's batches waiting for review (own-unit reach only, as competitions' home does: the admin's to-do
list is not every body's work); for a candidate, their tickets ready to download."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.permissions import units_of
from certification.models import Registration, RegistrationStatus
from certification.selectors.batches import waiting_reviews
from shell.navigation import WaitingItem, register_waiting


def batches_waiting(user: Any) -> list[WaitingItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    items = []
    bodies = sorted(units_of(user, [Role.EXAM_CENTER_STAFF]))
    if bodies:
        count = waiting_reviews(bodies)
        if count:
            items.append(WaitingItem(_("待审核的考核报名"), _("%(n)s 条报名等待审核") % {"n": count},
                                     reverse("certification:batches"), count, code="certification.reviews"))
    tickets = Registration.objects.filter(candidate=user, status=RegistrationStatus.SEATED).count()
    if tickets:
        items.append(WaitingItem(_("准考证可下载"), _("%(n)s 张准考证") % {"n": tickets},
                                 reverse("certification:my_registrations"), tickets, code="certification.tickets"))
    return items


def register() -> None:
    register_waiting(batches_waiting)
