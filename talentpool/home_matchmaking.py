"""What matchmaking puts on a person's home page (待办事项) and in the menu: for an invited unit's HR or staff, the
invitations to events still to come waiting for an answer; for a college's staff, equipment requests waiting for
their reply. Own-unit reach only, and nothing read for someone who holds neither role."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import reach
from shell.navigation import NavEntry, WaitingItem, register_nav, register_waiting
from talentpool.models import EquipmentRequest, EquipmentRequestStatus, Invitation, InvitationStatus
from talentpool.permissions import Action


def matchmaking_waiting(user: Any) -> list[WaitingItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    items: list[WaitingItem] = []
    units = reach(user, Action.MATCHMAKING_RESPOND).units
    if units:
        count = Invitation.objects.filter(organization_id__in=units, status=InvitationStatus.INVITED,
                                          event__held_on__gte=timezone.localdate()).count()
        if count:
            items.append(WaitingItem(_("对接会邀请"), _("%(n)s 个对接会邀请待答复") % {"n": count},
                                     reverse("talentpool:events"), count, code="talentpool.invitations"))
    colleges = reach(user, Action.EQUIPMENT_DECIDE).units
    if colleges:
        count = EquipmentRequest.objects.filter(equipment__checklist__college_id__in=colleges,
                                                status=EquipmentRequestStatus.PENDING).count()
        if count:
            items.append(WaitingItem(_("设备共享申请"), _("%(n)s 条设备使用申请待答复") % {"n": count},
                                     reverse("talentpool:equipment_search"), count,
                                     code="talentpool.equipment_requests"))
    return items


def register() -> None:
    register_nav(
        NavEntry("talentpool_events", gettext_lazy("校企对接会"), "talentpool:events", Action.MATCHMAKING_VIEW),
        NavEntry("talentpool_challenges", gettext_lazy("揭榜挂帅"), "talentpool:challenges", Action.CHALLENGE_VIEW),
        NavEntry("talentpool_equipment", gettext_lazy("设备共享"), "talentpool:equipment_search",
                 Action.SUPPLY_BROWSE),
        NavEntry("talentpool_dashboard", gettext_lazy("产教资源匹配数字地图"), "talentpool:dashboard",
                 Action.DASHBOARD_VIEW),
    )
    register_waiting(matchmaking_waiting)
