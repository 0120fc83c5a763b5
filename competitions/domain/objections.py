"""Who may object to a result under review, how often (DESIGN.md "Publication": a real-name objection is recorded
and answered by the chief referee with a reason; publication waits for every answer).

Rule: an objection concerns one entry, and comes from someone that entry concerns: a member of it, one of its
coaches, or staff of the unit that nominated it. Each person has at most one open (unanswered) objection per
entry: a second point goes into the open one's answer or waits for it. And since every open objection holds up
publication, one person files at most `LIMIT` objections within `WINDOW`, whatever the entries.

Choices where DESIGN.md is silent (each is tested):

- `LIMIT` = 5 within `WINDOW` = 10 minutes: a team's coach objecting to each of a few entries is served, a script
  filing dozens is not. Answered objections count too: the limit is on filing, not on waiting.
- The organizer's own staff are not "the nominating unit" of an entry the organizer did not nominate: the jury's
  side does not object to its own results.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.errors import Conflict, DomainError, NotFound, TooManyRequests

LIMIT = 5
WINDOW = timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class Objector:
    """How an entry concerns the person objecting to it."""

    member: bool = False
    coach: bool = False
    unit_staff: bool = False

    @property
    def concerned(self) -> bool:
        return self.member or self.coach or self.unit_staff


def objection_refusal(objector: Objector, *, has_open: bool, filed_at: Iterable[datetime],
                      now: datetime) -> DomainError | None:
    """Why this person may not object to this entry now, or None. `filed_at`: when the person filed their
    recent objections (any entry). An entry that does not concern them is not theirs to see (NotFound)."""
    if not objector.concerned:
        return NotFound()
    if has_open:
        return Conflict("objection.already_open", {}, "You have an unanswered objection to this entry already.")
    recent = sum(1 for moment in filed_at if now - moment < WINDOW)
    if recent >= LIMIT:
        return TooManyRequests("objection.too_many", {"limit": LIMIT, "minutes": int(WINDOW.total_seconds() // 60)},
                               "At most {limit} objections within {minutes} minutes.")
    return None
