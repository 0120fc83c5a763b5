"""The talent pool's section of the one policy table (accounts.permissions): its actions and their rules.

Registered when imported; `TalentpoolConfig.ready` imports it. Choices (issue 14; real practice of the province's
人才库, where enterprises search a province-wide pool and colleges and enterprises file their own checklists):
- The pool is province-wide: enterprise HR, organizer staff and the admin search it and read profiles (`ANY`); a
  talent's contact data is another matter, decided by the person's consent (talentpool.selectors), not by a role.
  The person reads and edits their own profile (`own`) and decides contact requests made to them.
- A demand checklist is its enterprise's: its HR files and edits it (`OWN_UNIT`); organizer staff and the admin
  read every one (they steer by them). Matches of a post: the post's enterprise, organizer staff, the admin.
- A supply checklist is its college's: its staff file it; the lead college of an alliance reads its members'
  (`ALLIANCE`); organizer staff and the admin read every one. `SUPPLY_BROWSE` is the public face of a college's
  supply (majors, courses, open equipment, research titles; never the contact data) that enterprises and other
  colleges browse when matching.
- Matchmaking events: organizer staff of the organizing unit manage them; every organizer staff and the admin read
  them; an invited unit reads the event it is invited to. `MATCHMAKING_RESPOND` (added for the invited side):
  the HR of an invited enterprise or the staff of an invited college accepts or declines for its unit (on the
  invited Organization), which `MATCHMAKING_VIEW` could not say, as it is also the organizer's.
- Challenges (揭榜挂帅): the enterprise's HR publishes and decides; colleges' staff read open challenges and apply
  for their own college; organizer staff and the admin read every one.
- Equipment requests: an enterprise's HR asks for its enterprise; the owning college's staff decide.
- The dashboard is aggregates only (no person, no contact): organizer staff, the admin, and the staff of
  enterprises and colleges (who see where they stand) read it.
- Intake, its policy and the chains: the admin (and scripts, the intake task and the demo).
"""

from __future__ import annotations

from accounts.models import Role as R
from accounts.permissions import PolicyAction, Rule, Scope, register_policy

A, U, AL = Scope.ANY, Scope.OWN_UNIT, Scope.ALLIANCE


class Action(PolicyAction):
    POOL_SEARCH = "talentpool.pool.search"
    TALENT_VIEW = "talentpool.talent.view"
    PROFILE_EDIT = "talentpool.profile.edit"
    CONTACT_REQUEST = "talentpool.contact.request"
    CONTACT_DECIDE = "talentpool.contact.decide"
    SHORTLIST_MANAGE = "talentpool.shortlist.manage"
    INTAKE_RUN = "talentpool.intake.run"
    INTAKE_POLICY_MANAGE = "talentpool.intake_policy.manage"
    CHAIN_MANAGE = "talentpool.chain.manage"
    DEMAND_VIEW = "talentpool.demand.view"
    DEMAND_MANAGE = "talentpool.demand.manage"
    SUPPLY_VIEW = "talentpool.supply.view"
    SUPPLY_MANAGE = "talentpool.supply.manage"
    SUPPLY_BROWSE = "talentpool.supply.browse"
    MATCH_VIEW = "talentpool.match.view"
    MATCHMAKING_VIEW = "talentpool.matchmaking.view"
    MATCHMAKING_MANAGE = "talentpool.matchmaking.manage"
    MATCHMAKING_RESPOND = "talentpool.matchmaking.respond"
    CHALLENGE_VIEW = "talentpool.challenge.view"
    CHALLENGE_PUBLISH = "talentpool.challenge.publish"
    CHALLENGE_APPLY = "talentpool.challenge.apply"
    EQUIPMENT_REQUEST = "talentpool.equipment.request"
    EQUIPMENT_DECIDE = "talentpool.equipment.decide"
    DASHBOARD_VIEW = "talentpool.dashboard.view"


_POOL_READERS = {R.PLATFORM_ADMIN: A, R.ORGANIZER_STAFF: A, R.ENTERPRISE_HR: A}

RULES: dict[Action, Rule] = {
    Action.POOL_SEARCH: Rule(_POOL_READERS, system=True),
    Action.TALENT_VIEW: Rule(_POOL_READERS, own=True, system=True),
    Action.PROFILE_EDIT: Rule({}, own=True, system=True),
    # On the enterprise (an Organization) the request is made for.
    Action.CONTACT_REQUEST: Rule({R.ENTERPRISE_HR: U}, system=True),
    # On the request: its talent decides (own).
    Action.CONTACT_DECIDE: Rule({}, own=True, system=True),
    # On the enterprise whose shortlist and saved searches they are.
    Action.SHORTLIST_MANAGE: Rule({R.ENTERPRISE_HR: U}, system=True),
    Action.INTAKE_RUN: Rule({R.PLATFORM_ADMIN: A}, system=True),
    Action.INTAKE_POLICY_MANAGE: Rule({R.PLATFORM_ADMIN: A}, system=True),
    Action.CHAIN_MANAGE: Rule({R.PLATFORM_ADMIN: A}, system=True),
    Action.DEMAND_VIEW: Rule({R.PLATFORM_ADMIN: A, R.ORGANIZER_STAFF: A, R.ENTERPRISE_HR: U}, system=True),
    # On the enterprise (to file) or on its checklist (to edit).
    Action.DEMAND_MANAGE: Rule({R.ENTERPRISE_HR: U}, system=True),
    Action.SUPPLY_VIEW: Rule({R.PLATFORM_ADMIN: A, R.ORGANIZER_STAFF: A, R.COLLEGE_STAFF: AL}, system=True),
    Action.SUPPLY_MANAGE: Rule({R.COLLEGE_STAFF: U}, system=True),
    Action.SUPPLY_BROWSE: Rule({R.PLATFORM_ADMIN: A, R.ORGANIZER_STAFF: A, R.ENTERPRISE_HR: A, R.COLLEGE_STAFF: A},
                               system=True),
    Action.MATCH_VIEW: Rule({R.PLATFORM_ADMIN: A, R.ORGANIZER_STAFF: A, R.ENTERPRISE_HR: U}, system=True),
    Action.MATCHMAKING_VIEW: Rule({R.PLATFORM_ADMIN: A, R.ORGANIZER_STAFF: A, R.ENTERPRISE_HR: U,
                                   R.COLLEGE_STAFF: U}, system=True),
    Action.MATCHMAKING_MANAGE: Rule({R.PLATFORM_ADMIN: A, R.ORGANIZER_STAFF: U}, system=True),
    # On the invited unit (an Organization).
    Action.MATCHMAKING_RESPOND: Rule({R.ENTERPRISE_HR: U, R.COLLEGE_STAFF: U}, system=True),
    Action.CHALLENGE_VIEW: Rule({R.PLATFORM_ADMIN: A, R.ORGANIZER_STAFF: A, R.COLLEGE_STAFF: A, R.ENTERPRISE_HR: U},
                                system=True),
    Action.CHALLENGE_PUBLISH: Rule({R.ENTERPRISE_HR: U}, system=True),
    # On the college (an Organization) that applies.
    Action.CHALLENGE_APPLY: Rule({R.COLLEGE_STAFF: U}, system=True),
    # On the enterprise that asks.
    Action.EQUIPMENT_REQUEST: Rule({R.ENTERPRISE_HR: U}, system=True),
    # On the equipment (its college).
    Action.EQUIPMENT_DECIDE: Rule({R.COLLEGE_STAFF: U}, system=True),
    Action.DASHBOARD_VIEW: Rule({R.PLATFORM_ADMIN: A, R.ORGANIZER_STAFF: A, R.ENTERPRISE_HR: A, R.COLLEGE_STAFF: A},
                                system=True),
}

register_policy(Action, RULES)
