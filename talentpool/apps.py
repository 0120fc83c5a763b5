from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentpoolConfig(AppConfig):
    """高技能人才库 (issue to come): profiles, intake, demand and supply checklists, matching."""

    name = "talentpool"
    verbose_name = _("高技能人才库")
