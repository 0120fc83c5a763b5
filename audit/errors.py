"""Messages of the audit app's error codes, Chinese first."""

from django.utils.translation import gettext_lazy as _

from core.errors import register_messages

register_messages(
    {
        "audit.append_only": _("审计记录只能追加，不能修改或删除。"),
        "audit.not_sealed": _("记录 {entry} 尚未封存进 {tree_size} 个叶子的树，请稍后再试。"),
        "audit.bad_sizes": _("第一个树头（{first}）不能大于第二个（{second}）。"),
    }
)
