from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentpoolConfig(AppConfig):
    """优秀技能人才库 (issue 14): profiles, intake, demand and supply checklists, matching, matchmaking, challenges,
    dashboards. Each part registers its navigation and home-page entries from its own module below."""

    name = "talentpool"
    verbose_name = _("优秀技能人才库")

    def ready(self) -> None:
        from talentpool import (
            errors,  # noqa: F401 - registers the app's messages
            permissions,  # noqa: F401 - registers the app's section of the policy table
        )

        self.register_checklists()

    def register_checklists(self) -> None:
        """The checklists (企业需求清单, 院校供给清单): their lists in the menu, for those who may read them."""
        from shell.navigation import NavEntry, register_nav
        from talentpool.permissions import Action

        register_nav(
            NavEntry("talentpool_demand_checklists", _("企业需求清单"), "talentpool:demand_checklists",
                     Action.DEMAND_VIEW),
            NavEntry("talentpool_supply_checklists", _("院校供给清单"), "talentpool:supply_checklists",
                     Action.SUPPLY_VIEW),
        )
