"""The live board pages (issue 11 item 2; DESIGN.md "Live scoring"; README "Live stream (protocol)").

- `/competitions/events/<id>/board/`: the public board, for anyone who may see the event
  (competitions.access.access_event_board with the public audience): a section per skill (`?skill=<id>` shows one),
  a card per workstation (工位号) with its progress by module, module scores, practical, the total and the names
  once the skill is decrypted, and a provisional place, all labelled 暂定 until the skill's results are published.
- `/competitions/events/<id>/board/jury/`: the jury board (the websocket's jury audience: chief referees of the
  event's skills, the organizer's staff, the platform admin), refused through the same access function: a sign-in is
  asked of an anonymous visitor, and anyone else without the right gets the 403 page. It adds divergence flags
  (待复核) and signed-off sheets.
- `?screen=1` on either: the big-screen mode for the venue (1920×1080, one skill at a time, no scrolling; board.js
  turns pages and skills, competitions.domain.board.screen_grid sizes the grid).

The page renders the snapshot server-side (it works without JS), from the same `snapshot` frame the websocket
sends (competitions.selectors.stream.board_snapshot(...).message()), so the page and static/js/board.js render
one shape. board.js then connects, keeps `(epoch, seq)`, applies deltas in place, and replaces everything on a
snapshot. Choices where the design is silent: cards stay in 工位号 order (a venue finds a workstation where it
stands; the place is a badge on the card, not the order, so cards do not jump on every mark); freezing (封榜) is
only rendered here, from the snapshot's optional `frozen` field, and is decided by the server.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from competitions import access
from competitions.domain.board import SCREEN_PAGE_SIZE, screen_grid
from competitions.domain.scoring import round_total
from competitions.domain.stream import Audience
from competitions.selectors.stream import board_snapshot

SCREEN_TURN_SECONDS = 15  # a big screen shows each page (or skill) this long


@dataclass(frozen=True, slots=True)
class CardModule:
    id: str
    code: str
    name: str
    done: int
    count: int
    score: str
    signed_off: bool


@dataclass(frozen=True, slots=True)
class Card:
    workstation_no: str
    place: int
    practical: str
    total: str | None
    names: list[str]
    modules: list[CardModule]
    divergent: list[str]


@dataclass(frozen=True, slots=True)
class SkillBoard:
    id: int
    name: str
    decrypted: bool
    provisional: bool
    cards: list[Card]
    columns: int
    rows: int


def _two(value: str | None) -> str:
    return format(round_total(Decimal(value or "0")), "f")


def _skill_board(skill: dict[str, Any]) -> SkillBoard:
    cards = []
    for entry in skill["entries"]:
        modules = [CardModule(str(m["id"]), m["code"], m["name"], int(entry["marked"].get(str(m["id"]), 0)),
                              len(m["aspects"]), _two(entry["module_scores"].get(str(m["id"]))),
                              str(m["id"]) in (entry.get("signed_off") or ()))
                   for m in skill["modules"]]
        cards.append(Card(entry["workstation_no"], entry["place"], _two(entry["practical"]),
                          _two(entry["total"]) if "total" in entry else None, list(entry.get("names") or ()),
                          modules, list(entry.get("divergent") or ())))
    grid = screen_grid(len(cards))
    return SkillBoard(skill["skill"], skill["name"], skill["decrypted"], skill["provisional"], cards,
                      grid.columns, grid.rows)


def _frozen_since(frozen: Any) -> str:
    """The frozen board's "since" as HH:MM in the platform's time zone; the text as given if it is no ISO time."""
    since = str(frozen.get("since", "")) if isinstance(frozen, dict) else ""
    try:
        moment = datetime.fromisoformat(since)
    except ValueError:
        return since
    if timezone.is_naive(moment):
        return moment.strftime("%H:%M")
    return timezone.localtime(moment).strftime("%H:%M")


def _board(request: HttpRequest, event_id: int, wanted: Audience) -> HttpResponse:
    event, audience = access.access_event_board(request.user, event_id, wanted.value)
    frame = board_snapshot(event.pk, audience).message()
    skills = [_skill_board(s) for s in frame["skills"]]
    chosen = request.GET.get("skill", "")
    shown = [s for s in skills if str(s.id) == chosen] or skills
    screen = request.GET.get("screen") == "1"
    frozen = frame.get("frozen")
    context = {
        "event": event, "audience": audience.value, "jury": audience is Audience.JURY, "skills": skills,
        "shown": shown, "chosen": chosen if len(shown) == 1 and chosen else "", "epoch": frame["epoch"],
        "seq": frame["seq"], "frozen": frozen if isinstance(frozen, dict) else None,
        "frozen_since": _frozen_since(frozen), "screen": screen, "page_size": SCREEN_PAGE_SIZE,
        "turn_seconds": SCREEN_TURN_SECONDS,
        "may_see_jury": audience is Audience.JURY or (
            request.user.is_authenticated and access.may_see_jury_board(request.user, event)),
    }
    return render(request, "competitions/board_screen.html" if screen else "competitions/board.html", context)


def board(request: HttpRequest, event_id: int) -> HttpResponse:
    """The public board (module docstring)."""
    return _board(request, event_id, Audience.PUBLIC)


@login_required
def jury_board(request: HttpRequest, event_id: int) -> HttpResponse:
    """The jury board (module docstring); refused through competitions.access.access_event_board."""
    return _board(request, event_id, Audience.JURY)
