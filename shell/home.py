"""What the shell itself puts in the menu and on the home page: the home entry, and accounts' pages and items.

accounts sits below the shell (the shell asks its permission engine), so it cannot register with the shell
itself; the shell registers for it here, reading through accounts' selectors. Apps above the shell (tasks,
audit, competitions …) register their own entries in their `AppConfig.ready`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import selectors
from accounts.permissions import Action
from shell.navigation import NavEntry, WaitingItem, register_nav, register_waiting

EXPIRY_WARNING = timedelta(days=14)


def accounts_waiting_items(user: Any) -> list[WaitingItem]:
    items = []
    if selectors.real_name_missing(user):
        items.append(WaitingItem(
            _("完善实名信息"), _("报名、认定和证书都需要姓名与身份证号。"), reverse("accounts:profile"),
            level="warning", code="accounts.real_name_missing",
        ))
    expiring = selectors.tokens_expiring_count(owner=user, within=EXPIRY_WARNING)
    if expiring:
        items.append(WaitingItem(
            _("API 令牌即将过期"), _("%(count)d 个设备令牌将在 14 天内过期。") % {"count": expiring},
            reverse("accounts:tokens"), count=expiring, level="warning", code="accounts.tokens_expiring",
        ))
    return items


def register() -> None:
    register_nav(
        NavEntry("home", gettext_lazy("首页"), "home", None),
        NavEntry("people", gettext_lazy("人员"), "accounts:people", Action.MEMBERSHIP_MANAGE),
        NavEntry("tokens", gettext_lazy("API 令牌"), "accounts:tokens", Action.DEVICE_TOKENS),
        NavEntry("profile", gettext_lazy("我的账号"), "accounts:profile", None),
    )
    register_waiting(accounts_waiting_items)
