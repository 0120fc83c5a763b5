"""Navigation and home-page entries of the intake, profile, consent and enterprise-pool pages (pool2's part),
registered from `TalentpoolConfig.ready`: the pool search for its readers, the shortlist and contact requests for
enterprise HR, the intake policy for the admin, 我的人才档案 for everyone (a person outside the pool is told how
one comes in); on the home page, a talent's contact requests waiting for their answer."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shell.navigation import NavEntry, WaitingItem, register_nav, register_waiting
from talentpool.models import ContactRequest, ContactStatus
from talentpool.permissions import Action


def contact_requests_waiting(user: Any) -> list[WaitingItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    count = ContactRequest.objects.filter(talent__person_id=user.pk, status=ContactStatus.PENDING).count()
    if not count:
        return []
    return [WaitingItem(_("企业联系请求"), _("%(n)s 家企业请求您的联系方式") % {"n": count},
                        reverse("talentpool:my_requests"), count, code="talentpool.contact_requests")]


def register() -> None:
    register_nav(
        NavEntry("talentpool_pool", gettext_lazy("人才库检索"), "talentpool:pool", Action.POOL_SEARCH),
        NavEntry("talentpool_shortlist", gettext_lazy("候选名单"), "talentpool:shortlist", Action.SHORTLIST_MANAGE),
        NavEntry("talentpool_contact_requests", gettext_lazy("我的联系请求"), "talentpool:contact_requests",
                 Action.CONTACT_REQUEST),
        NavEntry("talentpool_mine", gettext_lazy("我的人才档案"), "talentpool:my_profile", None),
        NavEntry("talentpool_intake", gettext_lazy("入库规则"), "talentpool:intake_policy",
                 Action.INTAKE_POLICY_MANAGE),
    )
    register_waiting(contact_requests_waiting)
