"""The admin site asks the one permission module who may enter (the platform admin role), not is_staff alone."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from accounts.permissions import Action, can


class PlatformAdminSite(admin.AdminSite):
    site_header = "技能山东 · 后台管理"
    site_title = "技能山东"

    def has_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_staff and can(request.user, Action.ADMIN_SITE))
