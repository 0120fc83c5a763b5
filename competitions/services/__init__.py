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
from competitions.services.excel import roster_import, roster_import_check, scheme_import, scheme_import_check
from competitions.services.marking import (
    AspectData,
    ModuleData,
    correction_approve,
    correction_reject,
    correction_request,
    mark_record,
    scheme_save,
    sheet_sign_off,
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

__all__ = [
    "AspectData",
    "EventData",
    "MemberData",
    "ModuleData",
    "SkillData",
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
    "mark_record",
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
    "sheet_sign_off",
    "skill_create",
    "skill_decrypt",
    "skill_transition",
    "title_approve",
    "venue_create",
]
