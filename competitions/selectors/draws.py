"""What the draws page shows (DESIGN.md "Anonymity (二次加密)"; issue 4 item 7): per skill of an event, the two
draws in force with who ran them, when, by which algorithm and from which seed, a re-run of each recorded seed
through the pure `competitions.domain.draws` functions, the draw result and, once decrypted, the full mapping.

Who sees what, decided here once for the page (and for any later export):

- the encryption officer (加密裁判) of the organizer, who runs the draws and decrypts (`Action.DRAW_RUN`,
  `Action.DECRYPT`), sees everything: the seeds, the 检录号 → 工位号 table, and the buttons;
- whoever manages the event (`Action.COMPETITION_MANAGE`: the organizer's staff, the platform admin) sees whether
  and when each draw ran, its algorithm, the SHA-256 of its seed (the same commitment the audit log records) and
  the re-run check, but neither the seed nor the 检录号 → 工位号 table until the skill is decrypted. A seed is as
  good as the draw itself: the entry ids plus the first seed give each person's 检录号, and the second seed
  gives the 工位号, so showing it would decrypt before the sheets are signed off. `competitions.services.draws`
  keeps the seed out of the audit log for the same reason, and `accounts.permissions` gives the draws to the
  encryption officer "alone, not even the platform admin". People at check-in know who holds which 检录号, so the
  检录号 → 工位号 table alone would decrypt too. After decryption nothing is secret any more: the seeds are shown
  to every viewer, so anyone can re-run them, with the full 工位号 → 检录号 → contestant table;
- anybody else: 403 when they hold a role in the organizer's unit (its referees), 404 otherwise.

The 检录号 → person mapping is never shown before decryption, to anyone: that is the point of the second draw.

The re-run check: the newest draw of each stage is re-run from its recorded seed with the recorded inputs (the
entry ids of the stored check-in result; the 检录号 of the stored workstation result over the skill's
workstations) and compared with the stored result. A workstation added or removed after the draw shows as a
mismatch, which it is: the record no longer reproduces the draw.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from accounts.permissions import can, reach, require
from competitions.domain import draws
from competitions.models import Draw, DrawStage, Entry, EntryStatus, Event, Sheet, SheetStatus, Skill, Status
from competitions.permissions import Action
from core.errors import DomainError, NotFound, PermissionDenied, render_message


@dataclass(frozen=True, slots=True)
class DrawCheck:
    """The re-run of a recorded draw: `ok`, or what went wrong in words."""

    ok: bool
    problem: str = ""


@dataclass(frozen=True, slots=True)
class DrawRecord:
    """The draw of one stage in force, as the viewer may see it (`seed` is None when hidden)."""

    draw_id: int
    stage: DrawStage
    algorithm: str
    drawn_by: str
    drawn_at: datetime
    runs: int
    seed: str | None
    seed_sha256: str
    check: DrawCheck


@dataclass(frozen=True, slots=True)
class PlacedRow:
    """One approved entry: its 检录号 and 工位号, and after decryption its contestants and unit."""

    checkin_no: int | None
    workstation_no: str
    names: list[str] | None
    unit: str | None
    registration_no: int | None = None  # 报名编号 (the entry's id): the check-in draw's input, after decryption


@dataclass(frozen=True, slots=True)
class SkillDraws:
    skill: Skill
    checkin: DrawRecord | None
    workstation: DrawRecord | None
    # The second draw was made before the newest first draw, which cleared it: it must be run again.
    workstation_stale: bool
    rows: list[PlacedRow] | None  # None: hidden from this viewer
    may_draw_checkin: bool
    may_draw_workstation: bool
    may_decrypt: bool
    decrypt_refusal: str
    decrypted_by: str

    @property
    def stages(self) -> list[tuple[DrawStage, DrawRecord | None, bool]]:
        """(stage, draw in force, may the viewer run it now), in the order they are drawn."""
        return [(DrawStage.CHECKIN, self.checkin, self.may_draw_checkin),
                (DrawStage.WORKSTATION, self.workstation, self.may_draw_workstation)]


@dataclass(frozen=True, slots=True)
class EventDraws:
    event: Event
    officer: bool
    skills: list[SkillDraws]


@dataclass(frozen=True, slots=True)
class DrawView:
    """A draw as the encryption officer who ran it gets it back: the seed and the whole result (entry id → 检录号,
    or 检录号 → 工位号). Only the officer runs draws, and the officer sees everything (module docstring)."""

    id: int
    skill_id: int
    stage: str
    algorithm: str
    seed: str
    drawn_at: datetime
    result: dict[str, int | str]


def draw_view(draw: Draw) -> DrawView:
    return DrawView(id=draw.pk, skill_id=draw.skill_id, stage=draw.stage, algorithm=draw.algorithm, seed=draw.seed,
                    drawn_at=draw.drawn_at, result=dict(draw.result))


def _differences(stored: Mapping[Any, Any], rerun: Mapping[Any, Any]) -> int:
    return sum(1 for key in stored.keys() | rerun.keys() if stored.get(key) != rerun.get(key))


def verify_draw(draw: Draw, workstation_nos: list[str]) -> DrawCheck:
    """Re-run a recorded draw from its seed with the pure `competitions.domain.draws` and compare the result
    with the stored one (module docstring). The differences are counted, not listed: a list would name entries and
    numbers the viewer may not see."""
    if draw.algorithm != draws.ALGORITHM:
        return DrawCheck(False, _("算法 %(algorithm)s 无法复算。") % {"algorithm": draw.algorithm})
    stored: dict[Any, Any]
    rerun: dict[Any, Any]
    try:
        if draw.stage == DrawStage.CHECKIN:
            stored = {int(pk): no for pk, no in draw.result.items()}
            rerun = dict(draws.draw_checkin_numbers(list(stored), draw.seed))
        else:
            stored = {int(no): station for no, station in draw.result.items()}
            rerun = dict(draws.draw_workstations(list(stored), workstation_nos, draw.seed))
    except (DomainError, ValueError, AttributeError) as exc:
        return DrawCheck(False, _("无法复算：%(reason)s") % {"reason": getattr(exc, "message", str(exc))})
    count = _differences(stored, rerun)
    if count:
        return DrawCheck(False, _("复算结果与记录不一致：%(count)d 处不同。") % {"count": count})
    return DrawCheck(True)


def _record(draw: Draw | None, runs: int, *, seed_shown: bool, workstation_nos: list[str]) -> DrawRecord | None:
    if draw is None:
        return None
    return DrawRecord(
        draw_id=draw.pk, stage=DrawStage(draw.stage), algorithm=draw.algorithm, drawn_by=str(draw.drawn_by),
        drawn_at=draw.drawn_at, runs=runs, seed=draw.seed if seed_shown else None,
        seed_sha256=draws.seed_commitment(draw.seed), check=verify_draw(draw, workstation_nos),
    )


def _rows(skill: Skill, *, decrypted: bool) -> list[PlacedRow]:
    entries = Entry.objects.filter(skill=skill, status=EntryStatus.APPROVED).select_related("unit")
    if decrypted:
        placed = entries.prefetch_related("members__person").order_by("workstation_no", "checkin_no")
        return [
            PlacedRow(e.checkin_no, e.workstation_no, [str(m.person) for m in e.members.all()], e.unit.name, e.pk)
            for e in placed
        ]
    # Before decryption the entry itself stays out of the row: 检录号 and 工位号 only.
    return [
        PlacedRow(no, station, None, None)
        for no, station in entries.order_by("checkin_no").values_list("checkin_no", "workstation_no")
    ]


def _decrypt_refusal(skill: Skill, open_sheets: int, has_sheets: bool) -> str:
    if skill.decrypted_at is not None:
        return ""
    if not has_sheets:
        return _("评分开始后，评分表全部签字确认才能解密。")
    if open_sheets:
        return render_message("decrypt.sheets_open", {"count": open_sheets})
    return ""


def skill_draws(*, viewer: Any, skill: Skill, officer: bool) -> SkillDraws:
    """The draws of one skill as `viewer` may see them (module docstring)."""
    decrypted = skill.decrypted_at is not None
    secrets_shown = officer or decrypted
    stage_draws = Draw.objects.filter(skill=skill).select_related("drawn_by")
    runs = dict(stage_draws.order_by().values_list("stage").annotate(Count("pk")))
    checkin = stage_draws.filter(stage=DrawStage.CHECKIN).order_by("-id").first()
    workstation = stage_draws.filter(stage=DrawStage.WORKSTATION).order_by("-id").first()
    stations = list(skill.workstations.values_list("number", flat=True))
    sheets = Sheet.objects.filter(entry__skill=skill, entry__status=EntryStatus.APPROVED).aggregate(
        total=Count("pk"), open=Count("pk", filter=Q(status=SheetStatus.OPEN)),
    )
    approved = Entry.objects.filter(skill=skill, status=EntryStatus.APPROVED)
    at_check_in = skill.status == Status.CHECK_IN and not decrypted
    checkin_done = approved.exists() and not approved.filter(checkin_no__isnull=True).exists()
    refusal = _decrypt_refusal(skill, sheets["open"], bool(sheets["total"]))
    return SkillDraws(
        skill=skill,
        checkin=_record(checkin, runs.get(DrawStage.CHECKIN, 0), seed_shown=secrets_shown, workstation_nos=stations),
        workstation=_record(workstation, runs.get(DrawStage.WORKSTATION, 0), seed_shown=secrets_shown,
                            workstation_nos=stations),
        workstation_stale=workstation is not None and checkin is not None and workstation.pk < checkin.pk,
        rows=_rows(skill, decrypted=decrypted) if secrets_shown else None,
        may_draw_checkin=at_check_in and can(viewer, Action.DRAW_RUN, skill),
        may_draw_workstation=at_check_in and checkin_done and can(viewer, Action.DRAW_RUN, skill),
        may_decrypt=not decrypted and not refusal and checkin is not None and can(viewer, Action.DECRYPT, skill),
        decrypt_refusal=refusal,
        decrypted_by=str(skill.decrypted_by or "") if decrypted else "",
    )


def draw_record_file(*, viewer: Any, draw_id: int) -> dict[str, Any]:
    """A draw as a downloadable record (`competitions.domain.draws.record`; re-run it with
    `python -m competitions.draws verify FILE`). The seed decides it all, so a record is given when the page
    shows that draw's seed and result (module docstring), and the check-in draw, which ties people to 检录号,
    only after decryption, even to the officer: before, its record would be the 检录号 → person table."""
    draw = Draw.objects.select_related("skill__event", "drawn_by").filter(pk=draw_id).first()
    if draw is None:
        raise NotFound()
    skill = draw.skill
    officer = require_draws_view(viewer, skill.event)
    decrypted = skill.decrypted_at is not None
    if not decrypted and (not officer or draw.stage == DrawStage.CHECKIN):
        raise PermissionDenied("draw.record_hidden")
    about: dict[str, Any] = {
        "event": skill.event.name, "skill": str(skill), "stage_label": str(DrawStage(draw.stage).label),
        "drawn_by": str(draw.drawn_by), "drawn_at": draw.drawn_at.isoformat(), "draw_id": draw.pk,
    }
    if draw.stage == DrawStage.CHECKIN:
        entries = Entry.objects.filter(pk__in=[int(k) for k in draw.result]).select_related("unit") \
            .prefetch_related("members__person")
        about["registrations"] = {
            str(e.pk): {"names": [str(m.person) for m in e.members.all()], "unit": e.unit.name} for e in entries
        }
    stations = list(skill.workstations.values_list("number", flat=True))
    return draws.record(stage=draw.stage, seed=draw.seed, algorithm=draw.algorithm, result=draw.result,
                        workstation_nos=stations, about=about)


def is_draw_officer(viewer: Any, event: Event) -> bool:
    """The encryption officer of the event's organizer: runs the draws, decrypts, sees the seeds."""
    return can(viewer, Action.DRAW_RUN, event) or can(viewer, Action.DECRYPT, event)


def require_draws_view(viewer: Any, event: Event) -> bool:
    """May `viewer` open the event's draws page? True for the encryption officer, False for a manager of the event
    (read-only, seeds hidden); otherwise 404 or 403 as `accounts.permissions.require` decides."""
    if is_draw_officer(viewer, event):
        return True
    require(viewer, Action.COMPETITION_MANAGE, event)
    return False


def event_draws(*, viewer: Any, event: Event) -> EventDraws:
    """Every skill of the event with its draws, for the draws page (module docstring)."""
    officer = require_draws_view(viewer, event)
    skills = Skill.objects.filter(event=event).select_related("event", "decrypted_by").order_by("pk")
    return EventDraws(event, officer, [skill_draws(viewer=viewer, skill=s, officer=officer) for s in skills])


def draws_events(*, viewer: Any) -> list[Event]:
    """Events whose draws the viewer runs (the encryption officer's own units), newest first, for the menu."""
    units = reach(viewer, Action.DRAW_RUN).units | reach(viewer, Action.DECRYPT).units
    if not units:
        return []
    return list(Event.objects.filter(organizer__in=units).exclude(status=Status.DRAFT).order_by("-starts_on", "pk"))


def current_draw(skill: Skill, stage: DrawStage) -> Draw | None:
    """The latest draw of a stage (a draw may be re-run before decryption)."""
    return Draw.objects.filter(skill=skill, stage=stage).order_by("-id").first()
