from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetitionsConfig(AppConfig):
    name = "competitions"
    verbose_name = _("职业技能竞赛")

    def ready(self) -> None:
        from competitions import errors  # noqa: F401 - registers the app's error messages
