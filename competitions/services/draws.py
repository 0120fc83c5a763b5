"""The two draws (二次加密) and decryption (解密), by the encryption officer (DESIGN.md "Anonymity").

Both draws run while the skill is at check-in and may be re-run until decryption (a contestant who did not turn
up is withdrawn and the draw repeated): each run is a new `Draw` row with its seed, algorithm and result, and the
newest run of a stage is in force. Re-running the first draw clears the second, which depends on it; either
drops the skill's marking groups, whose blocks name the old 工位号 (competitions.services.groups).

The audit entry of a draw records the draw's id, the algorithm and the SHA-256 of the seed, not the seed: the audit
log is readable by organizer staff, and the seed would let them decrypt before the sheets are signed off. The
hash commits the officer to the seed kept in the `Draw` row, so nobody can later swap it unnoticed.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.permissions import require
from audit.services import audit_record
from competitions.domain import draws
from competitions.live import publish_on_commit
from competitions.models import Draw, DrawStage, Entry, EntryStatus, Sheet, SheetStatus, Skill, Status, Workstation
from competitions.permissions import Action
from competitions.selectors.draws import current_draw
from competitions.services.groups import marking_groups_drop
from competitions.services.stream import delta_append, wake_on_commit
from core.errors import Conflict


def _locked_skill(officer: User, skill: Skill, action: Action) -> Skill:
    skill = Skill.objects.select_for_update(of=("self",)).select_related("event").get(pk=skill.pk)
    require(officer, action, skill)
    return skill


def _at_check_in(skill: Skill) -> None:
    if skill.status != Status.CHECK_IN:
        raise Conflict("event.wrong_stage", {"status": skill.get_status_display(), "needed": Status.CHECK_IN.label})
    if skill.decrypted_at is not None:
        raise Conflict("draw.already_decrypted")


@transaction.atomic(durable=True)
def draw_checkin(*, officer: User, skill: Skill, seed: str | None = None) -> Draw:
    """First encryption: every approved entry of the skill draws its 检录号 (competitions.domain.draws, draw-v1)."""
    skill = _locked_skill(officer, skill, Action.DRAW_RUN)
    _at_check_in(skill)
    entries = list(Entry.objects.filter(skill=skill, status=EntryStatus.APPROVED).order_by("pk"))
    if not entries:
        raise Conflict("draw.no_entries")
    seed = seed or draws.new_seed()
    numbers = draws.draw_checkin_numbers([e.pk for e in entries], seed)
    # Clear first: the unique (skill, 检录号) constraint would otherwise trip over the numbers being swapped.
    Entry.objects.filter(skill=skill).update(checkin_no=None, workstation_no="")
    marking_groups_drop(actor=officer, skill=skill, reason="检录号重新抽签")  # the 工位号 are cleared with it
    for entry in entries:
        entry.checkin_no = numbers[entry.pk]
    Entry.objects.bulk_update(entries, ["checkin_no"])
    draw = Draw.objects.create(
        skill=skill, stage=DrawStage.CHECKIN, seed=seed, algorithm=draws.ALGORITHM, drawn_by=officer,
        result={str(pk): no for pk, no in numbers.items()},
    )
    audit_record(actor=officer, action="competitions.draw.checkin", target=draw,
                 new={"skill": skill.pk, "algorithm": draws.ALGORITHM, "seed_sha256": draws.seed_commitment(seed),
                      "entries": len(entries)})
    return draw


@transaction.atomic(durable=True)
def draw_workstations(*, officer: User, skill: Skill, seed: str | None = None) -> Draw:
    """Second encryption, shortly before the start: 检录号 → 工位号 over the skill's workstations."""
    skill = _locked_skill(officer, skill, Action.DRAW_RUN)
    _at_check_in(skill)
    entries = list(Entry.objects.filter(skill=skill, status=EntryStatus.APPROVED).order_by("pk"))
    if not entries:
        raise Conflict("draw.no_entries")
    drawn: list[int] = []
    for entry in entries:
        if entry.checkin_no is None:
            raise Conflict("draw.checkin_missing")
        drawn.append(entry.checkin_no)
    stations = list(Workstation.objects.filter(skill=skill).values_list("number", flat=True))
    seed = seed or draws.new_seed()
    mapping = draws.draw_workstations(drawn, stations, seed)
    Entry.objects.filter(skill=skill).update(workstation_no="")
    for entry, checkin_no in zip(entries, drawn, strict=True):
        entry.workstation_no = mapping[checkin_no]
    Entry.objects.bulk_update(entries, ["workstation_no"])
    marking_groups_drop(actor=officer, skill=skill, reason="工位号重新抽签")  # the blocks named the old numbers
    draw = Draw.objects.create(
        skill=skill, stage=DrawStage.WORKSTATION, seed=seed, algorithm=draws.ALGORITHM, drawn_by=officer,
        result={str(no): station for no, station in mapping.items()},
    )
    audit_record(actor=officer, action="competitions.draw.workstation", target=draw,
                 new={"skill": skill.pk, "algorithm": draws.ALGORITHM, "seed_sha256": draws.seed_commitment(seed),
                      "entries": len(entries)})
    return draw


@transaction.atomic(durable=True)
def skill_decrypt(*, officer: User, skill: Skill) -> Skill:
    """Decryption, 工位号 → 检录号 → person, after every sheet of the skill is signed off; the encryption officer
    alone, audited. The two recorded draws are composed backwards (domain.draws.decrypt) and must agree with
    the numbers on the entries."""
    skill = _locked_skill(officer, skill, Action.DECRYPT)
    if skill.decrypted_at is not None:
        raise Conflict("decrypt.already_done")
    sheets = Sheet.objects.filter(entry__skill=skill, entry__status=EntryStatus.APPROVED)
    open_count = sheets.filter(status=SheetStatus.OPEN).count()
    if open_count or not sheets.exists():
        raise Conflict("decrypt.sheets_open", {"count": open_count})
    checkin, workstation = current_draw(skill, DrawStage.CHECKIN), current_draw(skill, DrawStage.WORKSTATION)
    if checkin is None or workstation is None:
        raise Conflict("draw.checkin_missing")
    approved = set(Entry.objects.filter(skill=skill, status=EntryStatus.APPROVED).values_list("pk", flat=True))
    checkin_map = {int(pk): no for pk, no in checkin.result.items() if int(pk) in approved}
    numbers = set(checkin_map.values())
    station_map = {int(no): st for no, st in workstation.result.items() if int(no) in numbers}
    by_station = draws.decrypt(station_map, checkin_map)
    on_entries = dict(
        Entry.objects.filter(skill=skill, status=EntryStatus.APPROVED).values_list("workstation_no", "pk")
    )
    if on_entries != by_station:
        raise Conflict("draw.inconsistent", {"unknown_numbers": [], "unplaced_numbers": []})
    skill.decrypted_at = timezone.now()
    skill.decrypted_by = officer
    skill.save(update_fields=["decrypted_at", "decrypted_by"])
    audit_record(actor=officer, action="competitions.skill.decrypted", target=skill,
                 new={"decrypted_at": skill.decrypted_at, "entries": len(by_station)})
    publish_on_commit(skill.event_id, {"kind": "skill.decrypted", "skill": skill.pk})
    # The names are not in the delta: a board refetches its snapshot on it (competitions.consumers).
    delta_append(event_id=skill.event_id, kind="skill.decrypted",
                 payload={"kind": "skill.decrypted", "skill": skill.pk, "decrypted": True})
    wake_on_commit()
    return skill
