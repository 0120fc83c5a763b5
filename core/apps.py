from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    # An app only for its migrations' history: TaskProgress was created here and moved to tasks (0002).
    default = True
    name = "core"
    verbose_name = _("平台基础")
