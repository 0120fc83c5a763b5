"""Every change made through the admin site is audited like any service write (DESIGN.md "Audit"; issue 9 item 12).

The platform's admin site (shell.admin_site) mixes `AuditedAdminMixin` into every ModelAdmin it registers, so no
app can forget it. The mixin hooks the points Django's admin passes for every write, all inside the admin's own
transaction where Django opens one:
- the object as it was is read when the admin loads it for a change (`get_object`);
- `log_addition`, `log_change` and `log_deletions` (which Django calls for the add and change forms, the list's
  inline editing, the password form, deletions and the delete action) append `<app>.<model>.admin_added`,
  `…admin_changed` or `…admin_deleted` with the admin as the actor, old → new, and Django's change message as
  the reason;
- the delete action and the password form, which Django does not wrap in a transaction, get one here, so the
  change and its entry commit together.
A person's record carries their roles (memberships edited inline) and staff/superuser flags; secrets never enter
the log (a password or token hash shows only as "changed"), and ID and mobile numbers are masked as the services
mask them.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.http import HttpRequest, HttpResponse

from accounts.identity import mask_id_number, mask_mobile
from accounts.models import User
from audit.services import audit_record

SECRET_FIELDS = frozenset({"password", "key_hash"})
MASKED_FIELDS = {"id_number": mask_id_number, "mobile": mask_mobile}
_LOADED = "_admin_audit_loaded"  # request attribute: (label, pk) -> (snapshot, secrets) as loaded


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def admin_snapshot(obj: models.Model) -> dict[str, Any]:
    """The object's own fields as the audit log may hold them (secrets left out, numbers masked)."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in SECRET_FIELDS:
            continue
        value = field.value_from_object(obj)
        mask = MASKED_FIELDS.get(field.name)
        data[field.attname if field.is_relation else field.name] = mask(value) if mask and value else _plain(value)
    if isinstance(obj, User) and obj.pk is not None:
        data["memberships"] = sorted(
            f"{role}@{unit if unit is not None else '-'}"
            for role, unit in obj.memberships.values_list("role", "organization_id")
        )
    return data


def _secrets(obj: models.Model) -> dict[str, Any]:
    return {f.name: f.value_from_object(obj) for f in obj._meta.concrete_fields if f.name in SECRET_FIELDS}


def _key(obj: models.Model) -> tuple[str, str]:
    return obj._meta.label_lower, str(obj.pk)


def _reason(message: Any) -> str:
    if isinstance(message, str):
        return message
    return json.dumps(message, ensure_ascii=False, default=str)


def _actor(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise TypeError("an admin write needs a signed-in person as its actor")
    return user


class AuditedAdminMixin:
    """What the admin site mixes into every ModelAdmin (module docstring)."""

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None) -> Any:
        obj = super().get_object(request, object_id, from_field)  # type: ignore[misc]
        if obj is not None:
            loaded = getattr(request, _LOADED, None)
            if loaded is None:
                loaded = {}
                setattr(request, _LOADED, loaded)
            loaded[_key(obj)] = (admin_snapshot(obj), _secrets(obj))
        return obj

    def log_addition(self, request: HttpRequest, obj: models.Model, message: Any) -> Any:
        entry = super().log_addition(request, obj, message)  # type: ignore[misc]
        with transaction.atomic():
            audit_record(actor=_actor(request), action=f"{obj._meta.label_lower}.admin_added", target=obj,
                         new=admin_snapshot(obj), reason=_reason(message))
        return entry

    def log_change(self, request: HttpRequest, obj: models.Model, message: Any) -> Any:
        entry = super().log_change(request, obj, message)  # type: ignore[misc]
        old, old_secrets = getattr(request, _LOADED, {}).get(_key(obj), (None, {}))
        new = admin_snapshot(obj)
        for name, value in _secrets(obj).items():
            if name in old_secrets and old_secrets[name] != value:
                new[name] = "changed"
        with transaction.atomic():
            audit_record(actor=_actor(request), action=f"{obj._meta.label_lower}.admin_changed", target=obj,
                         old=old, new=new, reason=_reason(message))
        return entry

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        objects = list(queryset)
        entries = super().log_deletions(request, objects)  # type: ignore[misc]
        with transaction.atomic():
            for obj in objects:
                audit_record(actor=_actor(request), action=f"{obj._meta.label_lower}.admin_deleted", target=obj,
                             old=admin_snapshot(obj), reason="admin site")
        return entries

    def response_action(self, request: HttpRequest, queryset: Any) -> HttpResponse | None:
        # The delete action logs, then deletes: one transaction, so an entry never outlives a refused deletion.
        with transaction.atomic():
            response: HttpResponse | None = super().response_action(request, queryset)  # type: ignore[misc]
            return response

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:  # noqa: A002
        with transaction.atomic():
            response: HttpResponse = super().user_change_password(request, id, form_url)  # type: ignore[misc]
            return response
