"""Every write of the competitions app (DESIGN.md "Layout": services.py, grown into a package).

Each service validates, runs the domain functions, saves in one durable transaction, appends its audit entry
inside it and publishes its delta after commit. Views, API endpoints, imports and the demo call these; nothing
else writes the competition tables.
"""

from competitions.services.draws import draw_checkin, draw_workstations, skill_decrypt
from competitions.services.events import (
    EventData,
    SkillData,
    event_create,
    event_transition,
    referee_assign,
    relationship_declare,
    skill_create,
    skill_transition,
    venue_create,
)
from competitions.services.excel import (
    roster_import,
    roster_import_check,
    scheme_import,
    scheme_import_check,
    scheme_table_save,
)
from competitions.services.freeze import board_freeze, board_reveal_next, board_thaw
from competitions.services.groups import GroupData, marking_groups_drop, marking_groups_form
from competitions.services.marking import (
    AspectData,
    BulkSignOff,
    ModuleData,
    correction_approve,
    correction_reject,
    correction_request,
    mark_record,
    scheme_save,
    sheet_sign_off,
    sheets_sign_off_clean,
)
from competitions.services.referees import relationship_record
from competitions.services.registration import (
    MemberData,
    entries_decide,
    entry_approve,
    entry_completion_time_record,
    entry_reject,
    entry_submit,
    entry_theory_record,
    entry_withdraw,
)
from competitions.services.results import objection_answer, objection_file, title_approve
from competitions.services.setup import (
    VenueData,
    event_update,
    skill_update,
    venue_add,
    venues_import,
    workstations_add,
    workstations_remove,
)

__all__ = [
    "board_freeze",
    "board_reveal_next",
    "board_thaw",
    "AspectData",
    "EventData",
    "GroupData",
    "MemberData",
    "ModuleData",
    "SkillData",
    "VenueData",
    "correction_approve",
    "correction_reject",
    "correction_request",
    "draw_checkin",
    "draw_workstations",
    "entries_decide",
    "entry_approve",
    "entry_completion_time_record",
    "entry_reject",
    "entry_submit",
    "entry_theory_record",
    "entry_withdraw",
    "event_create",
    "event_transition",
    "event_update",
    "mark_record",
    "marking_groups_drop",
    "marking_groups_form",
    "objection_answer",
    "objection_file",
    "referee_assign",
    "relationship_declare",
    "relationship_record",
    "roster_import",
    "roster_import_check",
    "scheme_import",
    "scheme_import_check",
    "scheme_save",
    "scheme_table_save",
    "sheet_sign_off",
    "sheets_sign_off_clean",
    "BulkSignOff",
    "skill_create",
    "skill_decrypt",
    "skill_transition",
    "skill_update",
    "title_approve",
    "venue_add",
    "venue_create",
    "venues_import",
    "workstations_remove",
    "workstations_add",
]
