from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShellConfig(AppConfig):
    name = "shell"
    verbose_name = _("页面框架")

    def ready(self) -> None:
        from shell.home import register

        register()
