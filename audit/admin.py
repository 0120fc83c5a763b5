from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from audit.models import AuditEntry, AuditTreeHead


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    """Read-only: the admin can look, never add, change or delete."""

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["id", "created_at", "actor_label", "action", "target_type", "target_id", "request_id"]
    list_filter = ["action", "target_type"]
    search_fields = ["action", "target_type", "target_id", "actor_label", "request_id"]
    ordering = ["-id"]


@admin.register(AuditTreeHead)
class AuditTreeHeadAdmin(ReadOnlyAdmin):
    list_display = ["tree_size", "timestamp", "root_hash", "key_id"]
    ordering = ["-tree_size"]
