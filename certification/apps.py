from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationConfig(AppConfig):
    """职业技能等级认定: the occupation catalogue and the ladder, people's levels, eligibility (issue 12 items 1–3);
    exam batches, question bank, papers and certificates follow."""

    name = "certification"
    verbose_name = _("技能等级认定")

    def ready(self) -> None:
        from certification import errors  # noqa: F401 - registers the app's messages
        from certification.permissions import Action  # registers the app's section of the policy table
        from shell.navigation import NavEntry, register_nav

        register_nav(
            NavEntry("certification_catalogue", _("职业目录"), "certification:catalogue", Action.CATALOGUE_VIEW),
            NavEntry("certification_mine", _("我的技能等级"), "certification:my_levels", None),
            NavEntry("certification_eligibility", _("申报条件核查"), "certification:eligibility",
                     Action.ELIGIBILITY_CHECK),
            NavEntry("certification_banks", _("题库与组卷"), "certification:banks", Action.BANK_VIEW),
            NavEntry("certification_batches", _("考核批次"), "certification:batches", None),
            NavEntry("certification_appointments", _("评聘管理"), "certification:appointments",
                     Action.APPOINTMENT_MANAGE),
            NavEntry("certification_certificates_mine", _("我的证书"), "certification:my_certificates", None),
            NavEntry("certification_bodies", _("机构证书与备案"), "certification:bodies", Action.FILING_VIEW),
        )
        from certification import home

        home.register()
        from certification import audit_labels

        audit_labels.register()
