from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationConfig(AppConfig):
    """职业技能等级认定 (issue to come): occupations, exam plans, question bank, papers, certificates."""

    name = "certification"
    verbose_name = _("技能等级认定")
