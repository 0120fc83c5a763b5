"""Messages of the accounts app's error codes, Chinese first (English in locale/en)."""

from django.utils.translation import gettext_lazy as _

from core.errors import register_messages

register_messages(
    {
        "id_number.format": _("“{field}”应为 17 位数字加 1 位数字或 X，共 18 位。"),
        "id_number.region": _("“{field}”的地区码 {code} 不存在。"),
        "id_number.birth_date": _("“{field}”中的出生日期 {value} 无效。"),
        "id_number.check_digit": _("“{field}”的校验码不正确，请核对。"),
        "id_number.taken": _("“{field}”已被其他账号使用。"),
        "person.identity_locked": _("“{field}”设定后不能自行修改；如需更正，请联系本单位工作人员。"),
        "person.identity_reason": _("更正“{name}”须填写“{field}”。"),
        "email.format": _("“{field}”不是有效的电子邮箱地址。"),
        "mobile.format": _("“{field}”应为 11 位手机号码，以 13–19 开头。"),
        "username.taken": _("用户名“{value}”已被使用。"),
        "token.missing": _("缺少访问令牌。"),
        "token.invalid": _("访问令牌无效。"),
        "token.expired": _("访问令牌已于 {expired_at} 过期。"),
        "token.revoked": _("访问令牌已于 {revoked_at} 吊销。"),
        "token.days": _("“{field}”应在 1 到 {max} 之间。"),
        "token.password": _("“{field}”不正确：创建令牌需要再次输入您的登录密码。"),
        "login.locked": _("该账号连续登录失败 {limit} 次，已暂时锁定，请 {minutes} 分钟后再试或联系管理员。"),
        "login.address_locked": _(
            "此网络地址登录失败次数过多，已暂停从此处登录，请 {minutes} 分钟后再试或联系管理员。"
        ),
        "membership.unit_required": _("该角色必须属于某个单位。"),
        "membership.exists": _("该成员已拥有此角色。"),
        "audit.append_only": _("审计记录不可修改或删除。"),
    }
)
