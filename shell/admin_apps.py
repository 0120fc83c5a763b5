from django.contrib.admin.apps import AdminConfig


class PlatformAdminConfig(AdminConfig):
    """Django's admin, with a site that asks accounts.permissions who may enter."""

    default_site = "shell.admin_site.PlatformAdminSite"
