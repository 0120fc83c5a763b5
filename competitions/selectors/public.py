"""What the public front door shows of competitions (issue 10 item 6): events past their draft, current ones
first, then past ones, each with a link to its results only where the results page has something to show a
logged-out visitor (a skill in 公示 or published: `results.PUBLIC_STATUSES`), so no link leads to an empty page.

- Current: every event announced and not yet published (registration to review); past: published or archived.
- Live boards: the event's public board (competitions.views.board) is linked from its item while the event is
  competing, marking or under review (competitions.home.LIVE_BOARD_STATUSES), read from `status`: no field needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef

from competitions.models import Event, Skill, Status
from competitions.selectors.results import PUBLIC_STATUSES

FRONT_DOOR_LIMIT = 30
PAST = (Status.PUBLISHED, Status.ARCHIVED)


@dataclass(frozen=True, slots=True)
class PublicEvent:
    id: int
    name: str
    level_label: str
    organizer: str
    starts_on: date
    ends_on: date
    status: str
    status_label: str
    has_results: bool


def _public_events(*, past: bool, limit: int) -> list[PublicEvent]:
    events = (
        Event.objects.exclude(status=Status.DRAFT).select_related("organizer")
        .annotate(has_results=Exists(Skill.objects.filter(event=OuterRef("pk"), status__in=PUBLIC_STATUSES)))
    )
    events = events.filter(status__in=PAST) if past else events.exclude(status__in=PAST)
    return [
        PublicEvent(e.pk, e.name, str(e.get_level_display()), e.organizer.name, e.starts_on, e.ends_on, e.status,
                    str(e.get_status_display()), e.has_results)
        for e in events.order_by("-starts_on", "pk")[:limit]
    ]


def front_door_events(*, limit: int = FRONT_DOOR_LIMIT) -> tuple[list[PublicEvent], list[PublicEvent]]:
    """(current, past) events for a logged-out visitor, newest first, at most `limit` of each (module docstring)."""
    return _public_events(past=False, limit=limit), _public_events(past=True, limit=limit)
