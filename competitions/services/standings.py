"""The check of a skill's standings snapshot against a full recomputation from the marks (DESIGN.md "Data flow of
one mark", "Publication"; issue 8 item 5). How the snapshot is stored and kept current, without a hot row on the
mark path, is in competitions.selectors.standings.

When it runs (the choice; DESIGN.md says "at sign-off and at publication"):
- **At each sign-off**, for the signed entry: its practical, total and every module score recomputed from all of its
  marks by the pure scoring functions, against its cached totals and against its row of the snapshot. A few hundred
  marks, so a chief signing 12,000 sheets of a large skill does not recompute the skill 12,000 times.
- **At the sign-off that closes the skill's last open sheet** (two sign-offs closing the last two sheets at the
  same moment each see the other open; the move to review checks anyway), and when the skill enters review (公示)
  or is published: the whole skill, every row (place, award, tie-break values, module scores, title, promotion)
  recomputed from every mark (the numpy path of competitions.domain.standings for complete score sets) and
  compared with the snapshot, after the snapshot has been brought up to date from the caches.

A mismatch is an error, never silently replaced: the snapshot keeps what it holds, the check's result is stored on
it (`check_status`, `mismatches`) and shown to the chief referee on the sign-off page and in the sign-off's API
answer, it is logged (ERROR, logger `competitions.standings`) and audited (`competitions.standings.mismatch`).
A skill whose last check found a mismatch cannot move to review or be published (selectors.events.skill_missing),
and a mismatch found while it moves refuses the move (Conflict `standings.mismatch`, logged; the move's
transaction is rolled back, so it names the workstations in its message instead of being stored). It is resolved by
finding the cause (a cache moved wrongly, a snapshot row edited by hand); the next whole-skill check that agrees
records that it agrees.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import asdict
from decimal import Decimal

from django.utils import timezone

from accounts.actors import Actor
from audit.services import audit_record
from competitions.adapters import domain_scheme
from competitions.domain import scoring
from competitions.models import (
    Entry,
    EntryStatus,
    Mark,
    Sheet,
    SheetStatus,
    Skill,
    StandingsCheck,
    StandingsSnapshot,
)
from competitions.selectors.marking import Mismatch
from competitions.selectors.results import _modules
from competitions.selectors.standings import compare_rows, is_current, rows_from_marks, snapshot_current
from core.errors import Conflict

logger = logging.getLogger("competitions.standings")

SHOWN_MISMATCHES = 50  # stored and named at most; the log has the count


def _record(*, actor: Actor, snapshot: StandingsSnapshot, scope: str, mismatches: Sequence[Mismatch],
            whole_skill: bool) -> None:
    """Store the check's result on the snapshot: a mismatch always (logged and audited); an agreement only for a
    whole-skill check (an entry that agrees says nothing of the other entries)."""
    now = timezone.now()
    if mismatches:
        logger.error("standings snapshot of skill %s disagrees with the full recomputation (%s): %d differences, "
                     "first %s", snapshot.skill_id, scope, len(mismatches), asdict(mismatches[0]))
        snapshot.check_status = StandingsCheck.MISMATCH
        snapshot.mismatches = [asdict(m) for m in mismatches[:SHOWN_MISMATCHES]]
        audit_record(actor=actor, action="competitions.standings.mismatch", target=snapshot.skill,
                     new={"scope": scope, "count": len(mismatches), "mismatches": snapshot.mismatches})
    elif whole_skill:
        snapshot.check_status, snapshot.mismatches = StandingsCheck.AGREES, []
    else:
        return
    snapshot.checked_at, snapshot.check_scope = now, scope
    snapshot.save(update_fields=["check_status", "mismatches", "checked_at", "check_scope"])


def standings_check_skill(*, actor: Actor, skill: Skill, scope: str) -> list[Mismatch]:
    """The whole-skill check (module docstring), inside the caller's transaction; returns the mismatches, which
    are stored, logged and audited."""
    # No lock (the mark path's lock order stays as it is): a correction committing between the caches the snapshot
    # is built from and the marks read here moves the watermark, and the check is run again.
    for _attempt in range(3):
        snapshot = snapshot_current(skill)
        _codes, recomputed = rows_from_marks(skill)
        if is_current(snapshot, skill):
            break
    mismatches = compare_rows(snapshot.rows, recomputed)
    _record(actor=actor, snapshot=snapshot, scope=scope, mismatches=mismatches, whole_skill=True)
    return mismatches


def standings_check_or_refuse(*, actor: Actor, skill: Skill, scope: str) -> None:
    """The whole-skill check of a skill moving to review or publication: a mismatch refuses the move (module
    docstring)."""
    mismatches = standings_check_skill(actor=actor, skill=skill, scope=scope)
    if mismatches:
        raise Conflict("standings.mismatch", {
            "skill": skill.name, "count": len(mismatches),
            "workstations": "、".join(sorted({m.workstation_no for m in mismatches})[:10]),
        })


def _entry_recomputed(skill: Skill, entry: Entry, module_codes: Sequence[str]) -> dict[str, object]:
    scheme = domain_scheme(skill.scheme, skill.theory_weight)
    codes = dict(skill.scheme.aspects.values_list("pk", "code"))
    marks = [scoring.MarkEntry(entry.pk, codes[a], r, v)
             for a, r, v in Mark.objects.filter(entry=entry).values_list("aspect_id", "referee_id", "value")]
    theory = {entry.pk: entry.theory_score} if entry.theory_score is not None else None
    result = scoring.compute_results(scheme, marks, theory, contestant_ids=[entry.pk])[entry.pk]
    by_code = dict(zip(scheme.modules, result.module_scores, strict=True))
    return {
        "total": str(scoring.round_total(result.total)), "practical": str(scoring.round_total(result.practical)),
        "module_scores": [str(scoring.round_total(by_code.get(code, Decimal(0)))) for code in module_codes],
    }


def standings_check_sign_off(*, actor: Actor, sheet: Sheet) -> list[Mismatch]:
    """The check run by a sign-off (module docstring), inside its transaction, after the sheet is signed off:
    the signed entry always, the whole skill when no sheet of it is left open."""
    skill = Skill.objects.select_related("event", "scheme").get(pk=sheet.entry.skill_id)
    open_left = Sheet.objects.filter(entry__skill=skill, entry__status=EntryStatus.APPROVED,
                                     status=SheetStatus.OPEN).exists()
    if not open_left:
        return standings_check_skill(actor=actor, skill=skill, scope="sign_off:skill")
    module_ids, codes = _modules(skill)
    # No lock beyond the sheet's (the mark path's lock order stays as it is): a mark of another of the entry's
    # modules committing between its cached totals and its marks moves its standings_seq, and both are read again.
    for _attempt in range(3):
        entry = Entry.objects.get(pk=sheet.entry_id)
        recomputed = _entry_recomputed(skill, entry, codes)
        if Entry.objects.filter(pk=entry.pk, standings_seq=entry.standings_seq).exists():
            break
    cached = {
        "total": str(scoring.round_total(entry.total)), "practical": str(scoring.round_total(entry.practical)),
        "module_scores": [str(scoring.round_total(entry.module_score(m))) for m in module_ids],
    }
    mismatches = [Mismatch(entry.workstation_no, f"cache.{name}", str(cached[name]), str(value))
                  for name, value in recomputed.items() if cached[name] != value]
    snapshot = StandingsSnapshot.objects.filter(skill=skill).first()
    if snapshot is not None and is_current(snapshot, skill):
        # A lagging snapshot will be rebuilt from the caches just compared; a current one must hold the same row.
        row = next((r for r in snapshot.rows if r["entry"] == entry.pk), None)
        mismatches += compare_rows([row] if row is not None else [],
                                   [{"entry": entry.pk, "workstation_no": entry.workstation_no, **recomputed}],
                                   entry_ids=[entry.pk], fields=("total", "practical", "module_scores"))
    if mismatches or snapshot is not None:
        _record(actor=actor, snapshot=snapshot or snapshot_current(skill), scope=f"sign_off:{entry.workstation_no}",
                mismatches=mismatches, whole_skill=False)
    return mismatches
