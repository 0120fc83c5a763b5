from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("账号与单位")

    def ready(self) -> None:
        # Register the error messages, the policy section, and the sign-in time of sessions (accounts.sessions).
        from accounts import errors, permissions, sessions  # noqa: F401
