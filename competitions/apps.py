from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetitionsConfig(AppConfig):
    name = "competitions"
    verbose_name = _("职业技能竞赛")

    def ready(self) -> None:
        from competitions import errors  # noqa: F401 - registers the app's error messages
        from competitions.home import register
        from competitions.permissions import Action  # registers the app's section of the policy table
        from shell.navigation import NavEntry, register_nav

        register_nav(
            NavEntry("competitions", _("竞赛"), "competitions:events", None),
            # Referees, chief referees, contestants and coaches all start from here (assignments, entries).
            NavEntry("competitions_mine", _("我的竞赛"), "competitions:mine", None),
            # The encryption officer's page; organizer staff reach it read-only from the event page.
            # Units (enterprises, colleges, a city's staff): events open for registration and their own entries.
            NavEntry("competitions_unit", _("本单位报名"), "competitions:unit_registrations", Action.ENTRY_SUBMIT),
            NavEntry("competitions_draws", _("抽签与解密"), "competitions:draws_index", Action.DRAW_RUN),
        )
        register()
        from audit.redaction import register_redactor
        from competitions.selectors.anonymity import marking_stage_redactions

        # No 工位号 from the audit log before decryption to anyone off the skill's jury (selectors.anonymity).
        register_redactor(self.label, marking_stage_redactions)
        from competitions import audit_labels

        audit_labels.register()  # events and skills found by name, actions and fields in words (audit pages)
