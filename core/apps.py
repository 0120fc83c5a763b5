from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    default = True
    name = "core"
    verbose_name = _("平台基础")

    def ready(self) -> None:
        from core.home import register

        register()
