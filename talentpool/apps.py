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
        from talentpool.tasks import connect_intake_receivers

        connect_intake_receivers()  # intake re-runs in the background after publications and certificate changes
        from talentpool import nav_pool

        nav_pool.register()  # pool search, shortlist, contact requests, 我的人才档案, intake policy
        from talentpool.home_matchmaking import register as register_matchmaking

        register_matchmaking()  # matchmaking, challenges, equipment, dashboard: menu and home entries

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
