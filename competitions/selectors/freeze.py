"""What the organizer reads of the public board's freeze (封榜) and its reveal (揭榜): the state shown on the event
page and answered by the API (competitions.services.freeze writes it; competitions.domain.freeze has the rules).

`reveal_plan` is the one place the next workstation to reveal is decided, for the page ("揭晓下一名: 焊工 工位 07,
还剩 12 个") and for the service's step alike: the reveal order of competitions.domain.freeze over the board as it
is now (the jury's current figures, projected as the public board shows them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from competitions.access import require_board_freezer
from competitions.domain.freeze import Standing, pending, reveal_order
from competitions.domain.stream import Audience
from competitions.models import BoardFreeze, Event
from competitions.selectors.stream import BoardEntry, BoardSnapshot, board_snapshot, stream_state


@dataclass(frozen=True, slots=True)
class RevealNext:
    """The workstation the next step reveals, named by skill and 工位号, with its figures as the public will see
    them."""

    skill: int
    skill_name: str
    workstation_no: str
    module_scores: dict[str, str]
    practical: str
    total: str | None
    complete: list[str] = field(default_factory=list)  # its progress, as the board shows it
    marked: dict[str, int] = field(default_factory=dict)

    def figures(self) -> dict[str, Any]:
        shown: dict[str, Any] = {"skill": self.skill, "workstation_no": self.workstation_no,
                                 "module_scores": self.module_scores, "practical": self.practical,
                                 "complete": self.complete, "marked": self.marked}
        if self.total is not None:
            shown["total"] = self.total
        return shown


@dataclass(frozen=True, slots=True)
class RevealPlan:
    next: RevealNext | None
    remaining: int


def reveal_plan(event_id: int, revealed: list[dict[str, Any]]) -> RevealPlan:
    """The next workstation to reveal and how many remain, `revealed` being the freeze's steps so far."""
    board: BoardSnapshot = board_snapshot(event_id, Audience.PUBLIC, live=True)
    entries: dict[tuple[int, str], tuple[str, BoardEntry]] = {}
    standings = []
    for skill in board.skills:
        for entry in skill.entries:
            entries[(skill.skill, entry.workstation_no)] = (skill.name, entry)
            standings.append(Standing(skill.skill, entry.workstation_no, entry.place))
    order = reveal_order(standings, [(r["skill"], r["workstation_no"]) for r in revealed],
                         [skill.skill for skill in board.skills])
    if not order:
        return RevealPlan(None, 0)
    name, entry = entries[order[0]]
    return RevealPlan(RevealNext(skill=order[0][0], skill_name=name, workstation_no=entry.workstation_no,
                                 module_scores=entry.module_scores, practical=entry.practical, total=entry.total,
                                 complete=entry.complete, marked=entry.marked),
                      len(order))


@dataclass(frozen=True, slots=True)
class BoardFreezeView:
    """The public board's freeze as the organizer sees it: not frozen (`frozen` false, the rest empty), or since
    when, by whom, why, until when planned, at which seq, how many deltas the public has not seen (`pending`), how
    many workstations were revealed, and which comes next with how many remain."""

    event: int
    frozen: bool
    since: datetime | None = None
    frozen_by: str | None = None
    reason: str = ""
    planned_thaw_at: datetime | None = None
    seq: int | None = None
    pending: int = 0
    revealed: int = 0
    next_skill: int | None = None
    next_skill_name: str | None = None
    next_workstation_no: str | None = None
    remaining: int = 0


def board_freeze_view(*, viewer: Any, event: Event) -> BoardFreezeView:
    """The freeze in force of `event` (`require_board_freezer`: the organizer's staff, the platform admin)."""
    require_board_freezer(viewer, event)
    freeze = (BoardFreeze.objects.filter(event=event, thawed_at__isnull=True).select_related("frozen_by")
              .first())
    if freeze is None:
        return BoardFreezeView(event=event.pk, frozen=False)
    return freeze_view_of(freeze)


def freeze_view_of(freeze: BoardFreeze) -> BoardFreezeView:
    """A freeze as `BoardFreezeView` (the services answer with it after each step; thawed: `frozen` false)."""
    if freeze.thawed_at is not None:
        return BoardFreezeView(event=freeze.event_id, frozen=False)
    plan = reveal_plan(freeze.event_id, list(freeze.revealed))
    by = freeze.frozen_by
    return BoardFreezeView(
        event=freeze.event_id, frozen=True, since=freeze.since, frozen_by=str(by) if by is not None else None,
        reason=freeze.reason, planned_thaw_at=freeze.planned_thaw_at, seq=freeze.seq,
        pending=pending(stream_state(freeze.event_id).last, freeze.seq), revealed=len(freeze.revealed),
        next_skill=plan.next.skill if plan.next else None,
        next_skill_name=plan.next.skill_name if plan.next else None,
        next_workstation_no=plan.next.workstation_no if plan.next else None, remaining=plan.remaining,
    )
