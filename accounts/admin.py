"""Admin views of units and people; real-name data is shown here (numbers masked) but corrected through the
services' audited API with a reason, not in this form. Every change made here is audited (accounts.admin_audit)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.identity import mask_id_number, mask_mobile
from accounts.models import Alliance, AllianceMember, ApiToken, Membership, Organization, User
from accounts.permissions import forget_grants


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin[Organization]):
    list_display = ["name", "kind", "city", "created_at"]
    list_filter = ["kind", "city"]
    search_fields = ["name", "short_name", "credit_code"]


class AllianceMemberInline(admin.TabularInline[AllianceMember, Alliance]):
    model = AllianceMember
    extra = 0
    autocomplete_fields = ["organization"]


@admin.register(Alliance)
class AllianceAdmin(admin.ModelAdmin[Alliance]):
    list_display = ["name", "kind", "lead"]
    inlines = [AllianceMemberInline]


class MembershipInline(admin.TabularInline[Membership, User]):
    model = Membership
    extra = 0
    autocomplete_fields = ["organization"]


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    list_display = ["username", "real_name", "masked_id_number", "masked_mobile", "is_active"]
    search_fields = ["username", "real_name"]
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("实名信息"), {"fields": ("real_name", "masked_id_number", "birth_date", "masked_mobile", "email",
                                "language")}),
        (_("状态"), {"fields": ("is_active", "is_staff", "is_superuser", "last_login", "date_joined")}),
    )
    readonly_fields = ["real_name", "masked_id_number", "masked_mobile", "birth_date", "last_login", "date_joined"]

    def save_related(self, request: HttpRequest, form: ModelForm[User], formsets: Any, change: bool) -> None:
        """As the services do, taking a role away or closing the account here revokes the person's API tokens
        (inside the admin's transaction; the audit entries name the admin)."""
        user = form.instance
        before = set(Membership.objects.filter(user=user).values_list("pk", flat=True)) if change else set()
        super().save_related(request, form, formsets, change)
        after = set(Membership.objects.filter(user=user).values_list("pk", flat=True))
        forget_grants(user)
        if change and (before - after or not user.is_active) and isinstance(request.user, User):
            services.tokens_revoke_all_inside(actor=request.user, user=user, reason="admin site: access revoked")

    @admin.display(description=_("身份证号"))
    def masked_id_number(self, obj: User) -> str:
        return mask_id_number(obj.id_number)

    @admin.display(description=_("手机号"))
    def masked_mobile(self, obj: User) -> str:
        return mask_mobile(obj.mobile)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ["name", "user", "prefix", "created_at", "expires_at", "revoked_at", "last_used_at"]
    readonly_fields = ["user", "name", "prefix", "key_hash", "created_at", "expires_at", "revoked_at", "last_used_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # tokens are issued by token_create, which shows the plaintext once and audits it

    def has_change_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False
