"""The admin site asks the one permission module who may enter (the platform admin role), not is_staff alone, and
audits every change made through it (accounts.admin_audit, mixed into every ModelAdmin registered here)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from accounts.admin_audit import AuditedAdminMixin
from accounts.permissions import Action, can


class PlatformAdminSite(admin.AdminSite):
    site_header = "技能山东 · 后台管理"
    site_title = "技能山东"

    def has_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_staff and can(request.user, Action.ADMIN_SITE))

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        """Register as Django does, with every change through the admin audited (accounts.admin_audit)."""
        base = admin_class or admin.ModelAdmin
        if not issubclass(base, AuditedAdminMixin):
            base = type(f"Audited{base.__name__}", (AuditedAdminMixin, base), {"__module__": base.__module__})
        super().register(model_or_iterable, base, **options)
