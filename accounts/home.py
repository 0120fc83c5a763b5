"""What the accounts app puts on a person's home page and in the menu."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import ApiToken
from accounts.permissions import Action
from core.navigation import NavEntry, WaitingItem, register_nav, register_waiting

EXPIRY_WARNING = timedelta(days=14)


def waiting_items(user: Any) -> list[WaitingItem]:
    items = []
    if not user.real_name or not user.id_number:
        items.append(WaitingItem(
            _("完善实名信息"), _("报名、认定和证书都需要姓名与身份证号。"), reverse("accounts:profile"),
            level="warning",
        ))
    now = timezone.now()
    expiring = ApiToken.objects.filter(
        user=user, revoked_at__isnull=True, expires_at__gt=now, expires_at__lte=now + EXPIRY_WARNING
    ).count()
    if expiring:
        items.append(WaitingItem(
            _("API 令牌即将过期"), _("%(count)d 个设备令牌将在 14 天内过期。") % {"count": expiring},
            reverse("accounts:tokens"), count=expiring, level="warning",
        ))
    return items


def register() -> None:
    register_nav(
        NavEntry("home", gettext_lazy("首页"), "home", None),
        NavEntry("people", gettext_lazy("人员"), "accounts:people", Action.MEMBERSHIP_MANAGE),
        NavEntry("tokens", gettext_lazy("API 令牌"), "accounts:tokens", None),
        NavEntry("profile", gettext_lazy("我的账号"), "accounts:profile", None),
    )
    register_waiting(waiting_items)
