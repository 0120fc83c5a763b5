"""The competitions app's section of the one policy table: its actions and their rules (accounts.permissions).

Registered when imported; `CompetitionsConfig.ready` imports it, so the start-up check judges it. An event belongs
to its organizer; an entry to the organizer and the nominating unit (models' `permission_unit_ids`). What a role
opens here, competitions.access narrows per object (a referee's assignment, panel and recusal; the chief referee
of a skill).
"""

from __future__ import annotations

from accounts.models import Role
from accounts.permissions import UNIT_STAFF, PolicyAction, Rule, Scope, register_policy


class Action(PolicyAction):
    COMPETITION_MANAGE = "competitions.event.manage"
    COMPETITION_JURY_VIEW = "competitions.results.view_provisional"
    ENTRY_SUBMIT = "competitions.entry.submit"
    ENTRY_VIEW = "competitions.entry.view"
    ENTRY_REVIEW = "competitions.entry.review"
    DRAW_RUN = "competitions.draw.run"
    DECRYPT = "competitions.draw.decrypt"
    SCHEME_MANAGE = "competitions.scheme.manage"
    MARK_ENTER = "competitions.mark.enter"
    SHEET_SIGN_OFF = "competitions.sheet.sign_off"
    CORRECTION_APPROVE = "competitions.correction.approve"
    CORRECTION_SUPERVISE = "competitions.correction.supervise"
    OBJECTION_FILE = "competitions.objection.file"
    OBJECTION_ANSWER = "competitions.objection.answer"
    TITLE_APPROVE = "competitions.title.approve"
    BOARD_FREEZE = "competitions.board.freeze"


A, U = Scope.ANY, Scope.OWN_UNIT
R = Role

RULES: dict[Action, Rule] = {
    Action.COMPETITION_MANAGE: Rule({R.PLATFORM_ADMIN: A, R.ORGANIZER_STAFF: U}),
    # Provisional standings, with names once decrypted: the organizer and the jury of the organizer's unit.
    Action.COMPETITION_JURY_VIEW: Rule({R.PLATFORM_ADMIN: A, R.ORGANIZER_STAFF: U, R.CHIEF_REFEREE: U}),
    # Units nominate their own people (a city's 人社局 nominates for the city); asked on the nominating unit. The
    # demo's entries are submitted by the system actor (its units have no staff accounts).
    Action.ENTRY_SUBMIT: Rule({R.PLATFORM_ADMIN: A, **UNIT_STAFF}, system=True),
    Action.ENTRY_VIEW: Rule({R.PLATFORM_ADMIN: A, **UNIT_STAFF}),
    # Asked on the event, so a nominating unit's own staff never review their own nominations.
    Action.ENTRY_REVIEW: Rule({R.PLATFORM_ADMIN: A, R.ORGANIZER_STAFF: U}),
    # 二次加密 and 解密: the encryption officer (加密裁判) of the organizer alone, not even the platform admin.
    Action.DRAW_RUN: Rule({R.ENCRYPTION_OFFICER: U}),
    Action.DECRYPT: Rule({R.ENCRYPTION_OFFICER: U}),
    Action.SCHEME_MANAGE: Rule({R.PLATFORM_ADMIN: A, R.ORGANIZER_STAFF: U, R.CHIEF_REFEREE: U}),
    # Referees come from many employers: the role opens the door, and competitions.access decides per skill,
    # entry and aspect (assignment, panel, recusal).
    Action.MARK_ENTER: Rule({R.REFEREE: A, R.CHIEF_REFEREE: A}),
    Action.SHEET_SIGN_OFF: Rule({R.CHIEF_REFEREE: A}),
    Action.CORRECTION_APPROVE: Rule({R.CHIEF_REFEREE: A}),
    # The organizer's supervisor (监督) decides what a skill's only chief referee asked to correct
    # (competitions.domain.corrections); asked on the skill, so only the organizer's own supervisor.
    Action.CORRECTION_SUPERVISE: Rule({R.SUPERVISOR: U}),
    # A real-name objection comes from the entry's members and coaches (competitions.access) or, as asked here on
    # the nominating unit, its staff (competitions.domain.objections).
    Action.OBJECTION_FILE: Rule({R.ENTERPRISE_HR: U, R.COLLEGE_STAFF: U, R.EXAM_CENTER_STAFF: U,
                                 R.ORGANIZER_STAFF: U}),
    Action.OBJECTION_ANSWER: Rule({R.CHIEF_REFEREE: A}),
    Action.TITLE_APPROVE: Rule({R.PLATFORM_ADMIN: A, R.ORGANIZER_STAFF: U}),
    # 封榜 and 揭榜 of the public board (competitions.services.freeze): the organizing unit's staff and the platform
    # admin; not the chief referees, who see the jury board but do not run the ceremony.
    Action.BOARD_FREEZE: Rule({R.PLATFORM_ADMIN: A, R.ORGANIZER_STAFF: U}),
}
register_policy(Action, RULES)
