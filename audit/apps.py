from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("审计日志")

    def ready(self) -> None:
        from accounts.permissions import Action as AccountsAction
        from audit import (
            accounts_kinds,
            errors,  # noqa: F401 - registers the error messages
        )
        from audit.permissions import Action  # registers the app's section of the policy table
        from audit.runner import start_if_wanted
        from shell.navigation import NavEntry, register_nav

        register_nav(
            NavEntry("audit", _("审计日志"), "audit:history", Action.AUDIT_VIEW),
            NavEntry("admin", _("后台管理"), "admin:index", AccountsAction.ADMIN_SITE),
        )
        accounts_kinds.register()  # people and units by name, accounts' actions in words (audit.targets, .labels)
        start_if_wanted()  # the sealer's every-second run, inside `manage.py db_worker` only (audit/runner.py)
