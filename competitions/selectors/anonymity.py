"""What the audit log shows of the marking stage before decryption (DESIGN.md "Anonymity (二次加密)"; issue 9
item 1): no 工位号 to anyone who is not on the skill's jury until the skill is decrypted.

The marking services audit what they did by 工位号 (a mark recorded, a sheet signed off, a standings check of one
workstation), which is what the jury works with. The log's readers are the platform admin and the organizer's staff
(audit.permissions), who also read the registrations by name; so the log must not hand them the workstation, or the
sheet or mark whose workstation it is, beside anything they can tie to an entry. The choice (one of the two the issue
allows): entries stay as written (they are append-only and their bytes are sealed into the Merkle tree) and are
redacted when read, through audit.redaction:

- what is hidden: the value of every `workstation_no` key, at any depth of `old` and `new`, and a standings check's
  `scope` when it names one workstation (`sign_off:D03`);
- of which entries: those whose target belongs to a skill not yet decrypted (a mark, a sheet, a correction, an
  entry, a draw, the skill or its standings snapshot); an entry whose target is of another kind or no longer
  exists, but which holds such a key, is hidden too (closed when in doubt);
- from whom: everyone but the skill's jury, that is its referees and chief referees (RefereeAssignment) and the
  organizer's encryption officer, who made the draws. Organizer staff and the platform admin are not the jury;
- until when: the skill's decryption (`Skill.decrypted_at`), after which the mapping is what the results show.

Free text (issue 9 item 1, route 3; the choice): a 工位号 typed by hand into a reason (a chief referee's divergence
confirmation, a correction asked or decided, a regrouping, a refused mark's recorded reason, a referee's assignment
changed mid-marking) escapes any redaction by key. So for the writes of the marking stage (`MARKING_STAGE_ACTIONS`:
marks, sheets, corrections, groups, standings checks, referee assignments) of a skill not yet decrypted, the same
readers are not shown the entry's `reason` nor any free-text field of old and new (`FREE_TEXT_KEYS`), each replaced
by audit.redaction.REDACTED and named in the entry's `redacted`; the jury reads them whole. The hidden text is the
whole text, not the numbers found in it, since "五号工位" or "第 5 工位" would pass any pattern. An entry's own
history (its registration, withdrawal, theory score, 缺考) and the skill's own (its settings, its stage moves) stay
readable: they are written by name, or by the organizer, on the organizer's side. Objections are filed only in the
review period, which comes after decryption, so their texts and answers need no hiding. Of the other pages that
show what the jury writes, the sign-off page is the chief referee's, the corrections page the chief referees' and the
supervisor's (监督, who oversees the marking and reads no registration), and the groups page shows the organizer the
groups' names and sizes, never their blocks; the group names are hidden in the log like any free text.

The other half of the rule lives where the objects are made and owned: sheets are created in the 工位号 draw's order
(competitions.services.events), and sheets, marks and corrections belong to the organizer, not the nominating unit
(competitions.models.marking_stage_unit_ids), so the 404-or-not of a history tells nobody whose they are. The
salt of audit.chain keeps a redacted entry's leaf hash from being matched against the skill's 工位号.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from accounts.permissions import can
from audit.models import AuditEntry
from audit.redaction import REDACTED, Redacted, redact_keys
from competitions.models import Draw, Entry, Mark, MarkCorrection, RefereeAssignment, Sheet, Skill
from competitions.permissions import Action

# `moved`: how many workstations a recusal re-placed in a grouped skill (competitions.services.groups), which says
# whether the person recused from sat in that referee's group's block.
SECRET_KEYS = frozenset({"workstation_no", "moved"})
ONE_WORKSTATION_SCOPE = "sign_off:"
WHOLE_SKILL_SCOPE = "sign_off:skill"

# target type → how to reach the target's skill id from its own table
_SKILL_OF: dict[str, tuple[type[Any], str]] = {
    "competitions.mark": (Mark, "entry__skill_id"),
    "competitions.sheet": (Sheet, "entry__skill_id"),
    "competitions.markcorrection": (MarkCorrection, "mark__entry__skill_id"),
    "competitions.entry": (Entry, "skill_id"),
    "competitions.draw": (Draw, "skill_id"),
    "competitions.refereeassignment": (RefereeAssignment, "skill_id"),
}
_SKILL_TARGETS = frozenset({"competitions.skill", "competitions.standingssnapshot"})
# The writes of the marking stage, whose free text is hidden with the 工位号 (module docstring), by action code. Not
# the entry's (its registration, withdrawal, theory score, 缺考: written by name on the organizer's side) nor the
# skill's own (its creation, settings and stage moves).
MARKING_STAGE_ACTIONS = ("competitions.mark.", "competitions.sheet.", "competitions.correction.",
                         "competitions.groups.", "competitions.standings.", "competitions.referee.")
# Keys of old/new whose values are typed by hand: reasons (a divergence confirmed, a correction asked or decided, a
# regrouping), a group's name, an objection's or a note's text.
FREE_TEXT_KEYS = frozenset({"reason", "reasons", "confirmed_divergences", "name", "text", "note", "answer", "comment"})


def _holds_secret(value: Any) -> bool:
    if isinstance(value, dict):
        for key, item in value.items():
            if key in SECRET_KEYS and item not in (None, "", REDACTED):
                return True
            if key == "scope" and _names_workstation(item):
                return True
            if _holds_secret(item):
                return True
    elif isinstance(value, list):
        return any(_holds_secret(item) for item in value)
    return False


def _names_workstation(scope: Any) -> bool:
    return isinstance(scope, str) and scope.startswith(ONE_WORKSTATION_SCOPE) and scope != WHOLE_SKILL_SCOPE


def _redact(value: Any, hidden: set[str]) -> Any:
    value = redact_keys(value, SECRET_KEYS, hidden)
    if isinstance(value, dict) and _names_workstation(value.get("scope")):
        hidden.add("scope")
        return {**value, "scope": ONE_WORKSTATION_SCOPE + REDACTED}
    return value


def _skills_of(entries: Sequence[AuditEntry]) -> dict[int, int | None]:
    """Audit entry id → the skill its target belongs to (None: not known), a query per target type."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for entry in entries:
        if entry.target_id.isdigit():
            wanted[entry.target_type].add(int(entry.target_id))
    found: dict[tuple[str, int], int] = {}
    for target_type, ids in wanted.items():
        if target_type in _SKILL_TARGETS:
            found.update({(target_type, pk): pk for pk in ids})
        elif target_type in _SKILL_OF:
            model, path = _SKILL_OF[target_type]
            found.update({(target_type, pk): skill_id
                          for pk, skill_id in model.objects.filter(pk__in=ids).values_list("pk", path)})
    return {e.pk: found.get((e.target_type, int(e.target_id))) if e.target_id.isdigit() else None for e in entries}


def workstation_jury_of(viewer: Any, skills: Sequence[Skill]) -> set[int]:
    """The ids of the skills among `skills` on whose jury for 工位号 `viewer` is (module docstring): assigned to the
    skill as referee or chief referee, or its encryption officer. Organizer staff and the platform admin are not.
    One query for the assignments; the skills need their event loaded."""
    if not skills or not getattr(viewer, "is_authenticated", False):
        return set()
    ids = {s.pk for s in skills}
    jury = set(RefereeAssignment.objects.filter(skill_id__in=ids, referee_id=viewer.pk)
               .values_list("skill_id", flat=True))
    return jury | {s.pk for s in skills if can(viewer, Action.DRAW_RUN, s) or can(viewer, Action.DECRYPT, s)}


def _open_to(viewer: Any, skill_ids: set[int]) -> set[int]:
    """The skills among `skill_ids` whose 工位号 `viewer` may read in the log: decrypted ones, and those whose jury
    the viewer is on (module docstring)."""
    if not skill_ids:
        return set()
    skills = list(Skill.objects.filter(pk__in=skill_ids).select_related("event"))
    return {s.pk for s in skills if s.decrypted_at is not None} | workstation_jury_of(viewer, skills)


def _holds_free_text(entry: AuditEntry) -> bool:
    """Whether a marking-stage entry carries text someone typed: a reason, or a free-text field of old or new."""
    if not entry.action.startswith(MARKING_STAGE_ACTIONS):
        return False
    return bool(entry.reason.strip()) or _holds_key(entry.old, FREE_TEXT_KEYS) or _holds_key(entry.new,
                                                                                             FREE_TEXT_KEYS)


def _holds_key(value: Any, keys: frozenset[str]) -> bool:
    if isinstance(value, dict):
        return any((k in keys and v not in (None, "", {}, [])) or _holds_key(v, keys) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_key(item, keys) for item in value)
    return False


def marking_stage_redactions(viewer: Any, entries: Sequence[AuditEntry]) -> Mapping[int, Redacted]:
    """The audit app's redactor for the competitions app (module docstring): entry id → what `viewer` reads."""
    secret = {e.pk for e in entries if _holds_secret(e.old) or _holds_secret(e.new)}
    typed = {e.pk for e in entries if _holds_free_text(e)}
    candidates = [e for e in entries if e.pk in secret or e.pk in typed]
    if not candidates:
        return {}
    skill_of = _skills_of(candidates)
    open_ids = _open_to(viewer, {s for s in skill_of.values() if s is not None})
    shown: dict[int, Redacted] = {}
    for entry in candidates:
        skill_id = skill_of[entry.pk]
        if skill_id is not None and skill_id in open_ids:
            continue
        hidden: set[str] = set()
        old, new, reason = _redact(entry.old, hidden), _redact(entry.new, hidden), None
        if entry.pk in typed:  # closed when in doubt: a target no longer found counts as not decrypted
            old, new = redact_keys(old, FREE_TEXT_KEYS, hidden), redact_keys(new, FREE_TEXT_KEYS, hidden)
            if entry.reason.strip():
                reason = REDACTED
                hidden.add("reason")
        if hidden:
            shown[entry.pk] = Redacted(old, new, tuple(sorted(hidden)), reason)
    return shown
