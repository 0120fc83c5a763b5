"""The admin site's read-only audit pages. An entry's values are shown as audit.redaction leaves them for the admin
reading them (a 工位号 before its skill is decrypted, and the free text of the marking stage: the platform admin is not
on any jury), its reason likewise, and its salt never
(audit.chain): the admin site is one more reader of the log, not a way around the rules of the history page."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEntry, AuditTreeHead
from audit.redaction import redactions_for


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


_SHOWN = "_audit_shown"  # the entry's attribute: (old, new) as this admin may see them


def _json(value: Any) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["id", "created_at", "actor_label", "action", "target_type", "target_id", "request_id"]
    list_filter = ["action", "target_type"]
    search_fields = ["action", "target_type", "target_id", "actor_label", "request_id"]
    ordering = ["-id"]
    exclude = ["old", "new", "reason", "salt"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        hidden = {"old", "new", "reason", "salt"}
        return [f.name for f in self.model._meta.fields if f.name not in hidden] + [
            "old_shown", "new_shown", "reason_shown"]

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None) -> Any:
        entry = super().get_object(request, object_id, from_field)
        if entry is not None:
            redacted = redactions_for(request.user, [entry]).get(entry.pk)
            if redacted is None:
                shown = (entry.old, entry.new, entry.reason)
            else:
                shown = (redacted.old, redacted.new, entry.reason if redacted.reason is None else redacted.reason)
            setattr(entry, _SHOWN, shown)
        return entry

    @admin.display(description=_("原值"))
    def old_shown(self, entry: AuditEntry) -> str:
        return _json(getattr(entry, _SHOWN, (None, None, ""))[0])

    @admin.display(description=_("新值"))
    def new_shown(self, entry: AuditEntry) -> str:
        return _json(getattr(entry, _SHOWN, (None, None, ""))[1])

    @admin.display(description=_("原因"))
    def reason_shown(self, entry: AuditEntry) -> str:
        return str(getattr(entry, _SHOWN, (None, None, ""))[2])


@admin.register(AuditTreeHead)
class AuditTreeHeadAdmin(ReadOnlyAdmin):
    list_display = ["tree_size", "timestamp", "root_hash", "key_id"]
    ordering = ["-tree_size"]
