"""accounts' objects on the audit pages: people and units searchable by name, its actions and fields in words.

accounts stands below audit (DESIGN.md "Layout") and cannot register with it, so audit registers accounts' part
itself (as the shell registers accounts' menu entries); the other apps register their own in their `ready`.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from accounts import selectors
from accounts.models import AllianceKind, Language, OrganizationKind, Role
from audit.labels import FieldSpec, register_action_labels, register_fields
from audit.permissions import Action
from audit.targets import TargetKind, TargetMatch, register_target_kind


def _people(viewer: Any, query: str, limit: int) -> list[TargetMatch]:
    return [TargetMatch(str(pk), name) for pk, name in
            selectors.people_named(viewer=viewer, action=Action.AUDIT_VIEW, query=query, limit=limit)]


def _units(viewer: Any, query: str, limit: int) -> list[TargetMatch]:
    return [TargetMatch(str(pk), name) for pk, name in
            selectors.units_named(viewer=viewer, action=Action.AUDIT_VIEW, query=query, limit=limit)]


def _person_name(user: Any) -> str:
    return str(user.real_name or user.username)


def register() -> None:
    register_target_kind(TargetKind("accounts.user", _("人员"), _people, _person_name))
    register_target_kind(TargetKind("accounts.organization", _("单位"), _units, lambda unit: str(unit.name)))
    register_target_kind(TargetKind("accounts.alliance", _("联盟"), None, lambda alliance: str(alliance.name)))
    register_action_labels({
        "accounts.alliance.created": _("联盟已创建"),
        "accounts.alliance.member_added": _("联盟成员已加入"),
        "accounts.membership.granted": _("角色已授予"),
        "accounts.membership.revoked": _("角色已撤销"),
        "accounts.organization.created": _("单位已创建"),
        "accounts.person.created": _("人员已创建"),
        "accounts.person.deactivated": _("账号已停用"),
        "accounts.person.language_set": _("界面语言已设置"),
        "accounts.person.superuser_granted": _("已授予超级管理员"),
        "accounts.person.updated": _("人员信息已修改"),
        "accounts.token.created": _("API 令牌已创建"),
        "accounts.token.revoked": _("API 令牌已吊销"),
    })
    register_fields("accounts.user", {
        "username": _("用户名"), "real_name": _("姓名"), "id_number": _("身份证号"), "mobile": _("手机号"),
        "email": _("电子邮箱"), "language": FieldSpec(_("界面语言"), Language), "is_active": _("启用"),
        "is_staff": _("后台权限"), "is_superuser": _("超级管理员"), "role": FieldSpec(_("角色"), Role),
        "organization": _("单位"),
    })
    register_fields("accounts.organization", {
        "name": _("名称"), "kind": FieldSpec(_("类型"), OrganizationKind), "city": _("城市"),
        "short_name": _("简称"),
    })
    register_fields("accounts.alliance", {
        "name": _("名称"), "kind": FieldSpec(_("类型"), AllianceKind), "lead": _("牵头单位"),
        "organization": _("成员单位"),
    })
