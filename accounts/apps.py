from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("账号与单位")

    def ready(self) -> None:
        from accounts import errors, permissions  # noqa: F401 - register the error messages, the policy section
