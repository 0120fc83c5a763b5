"""What certification puts on a person's home page ("待办事项"): for an evaluation body's staff, the registrations
of their own body's batches waiting for review (own-unit reach only, as competitions' home does: the admin's
to-do list is not every body's work); for a candidate, their tickets ready to download and, from the review
on, their results; for assessors their scoring duties, and for a chief assessor the flags page of each batch
they are on duty in."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.permissions import roles_of, units_of
from certification.models import (
    Certificate,
    CertificateStatus,
    Duty,
    Registration,
    RegistrationStatus,
    StaffAssignment,
)
from certification.selectors.batches import waiting_reviews
from shell.navigation import WaitingItem, register_waiting

_RESULTS_SHOWN = ("in_review", "published")  # a candidate sees their result from the review period on


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
    # One read of the person's seated registrations serves the tickets and the results (a home page's budget).
    seated = list(Registration.objects.filter(candidate=user, status=RegistrationStatus.SEATED).order_by("pk")
                  .values_list("pk", "batch__name", "batch__results__state"))
    if seated:
        items.append(WaitingItem(_("准考证可下载"), _("%(n)s 张准考证") % {"n": len(seated)},
                                 reverse("certification:my_registrations"), len(seated), code="certification.tickets"))
    items += _practical_waiting(user)
    for registration_id, batch_name, _state in [r for r in seated if r[2] in _RESULTS_SHOWN][:5]:
        items.append(WaitingItem(_("考核成绩"), batch_name, reverse("certification:my_result", args=[registration_id]),
                                 1, code="certification.result"))
    items += _new_certificates(user)
    return items


def _new_certificates(user: Any) -> list[WaitingItem]:
    """Certificates issued to the person in the last 30 days (one query): the holder's view with the PDF and the
    verification link to share."""
    since = timezone.now() - timedelta(days=30)
    count = Certificate.objects.filter(holder_id=user.pk, status=CertificateStatus.VALID, issued_at__gte=since).count()
    if not count:
        return []
    return [WaitingItem(_("新发证书"), _("%(n)s 张证书可查看、下载和分享") % {"n": count},
                        reverse("certification:my_certificates"), count, code="certification.certificates")]


def _practical_waiting(user: Any) -> list[WaitingItem]:
    """Scoring duties of parts whose results are still graded (the assessor's tablet) and the chief assessor's flag
    pages of the batches they are on duty in; nothing read for someone who holds neither role."""
    items: list[WaitingItem] = []
    roles = roles_of(user)
    if not roles & {Role.ASSESSOR, Role.CHIEF_ASSESSOR}:
        return items  # scoring and flags need one of these roles (certification.permissions PRACTICAL_*)
    duties = StaffAssignment.objects.filter(person_id=user.pk, part__kind__in=("practical", "review")).exclude(
        duty=Duty.INVIGILATOR).exclude(part__batch__results__state__in=["in_review", "published"]).select_related(
        "part", "part__batch")
    for duty in duties[:5]:
        items.append(WaitingItem(_("考核评分"), f"{duty.part.batch.name} · {duty.part.get_kind_display()}",
                                 reverse("certification:practical_tablet", args=[duty.part_id]), 1,
                                 code="certification.scoring"))
    if Role.CHIEF_ASSESSOR in roles:
        batch_ids = StaffAssignment.objects.filter(person_id=user.pk).exclude(
            part__batch__results__state__in=["in_review", "published"]).values_list("part__batch_id", flat=True)
        for batch_id in sorted(set(batch_ids))[:5]:
            items.append(WaitingItem(_("评分差异处理"), _("考评组长确认或要求重新评分"),
                                     reverse("certification:practical_flags", args=[batch_id]), 1,
                                     code="certification.flags"))
    return items


def register() -> None:
    register_waiting(batches_waiting)
