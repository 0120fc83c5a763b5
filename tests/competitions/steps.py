"""Shared steps of the competitions tests: the scenario's type and the moves that bring it to a stage.

Test modules import steps from here (never from each other); the fixtures that build the scenario are in
conftest.py. Each step goes through the services, like a person using the platform would.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import uuid4

from channels.testing import WebsocketCommunicator
from django.db import connections
from django.utils import timezone

from accounts.models import User
from competitions import services
from competitions.consumers import EventBoardConsumer
from competitions.models import Aspect, CompetitionLevel, Entry, Event, Sheet, Skill, Status
from tests.competitions.factories import EventFactory, SkillFactory


@dataclass
class Scenario:
    event: Event
    skill: Skill
    organizer: User
    encryptor: User
    chief: User
    referee_a: User
    r1: User
    r2: User
    r3: User
    entries_a: list[Entry]
    entries_b: list[Entry]
    aspects: dict[str, Aspect] = field(default_factory=dict)

    @property
    def entries(self) -> list[Entry]:
        return [*self.entries_a, *self.entries_b]

    def refresh(self) -> None:
        self.skill.refresh_from_db()
        self.event.refresh_from_db()
        for entry in self.entries:
            entry.refresh_from_db()

    def panel(self, entry: Entry) -> list[User]:
        return [self.r1, self.r2, self.r3] if entry in self.entries_a else [self.referee_a, self.r1, self.r2]

    def measurer(self, entry: Entry) -> User:
        return self.panel(entry)[0]


def mark(referee: User, entry: Entry, aspect: Aspect, value: Decimal | int) -> object:
    """One mark as the API and the marking page record it, through the service (which calls the access function)."""
    return services.mark_record(referee=referee, skill_id=entry.skill_id, workstation_no=entry.workstation_no,
                                aspect_code=aspect.code, value=Decimal(value), idempotency_key=uuid4())


def mark_entry(s: Scenario, entry: Entry, *, a1: int = 20, a2: str = "60.3", j1: tuple[int, int, int] = (2, 2, 3),
               j2: tuple[str, str, str] = ("15", "16", "17")) -> None:
    """Every aspect of one entry, by its panel."""
    panel = s.panel(entry)
    mark(panel[0], entry, s.aspects["A1"], a1)
    mark(panel[0], entry, s.aspects["A2"], Decimal(a2))
    for referee, score in zip(panel, j1, strict=True):
        mark(referee, entry, s.aspects["J1"], score)
    for referee, score in zip(panel, j2, strict=True):
        mark(referee, entry, s.aspects["J2"], Decimal(score))


def marked_and_decrypted(s: Scenario, *, theory_weight: Decimal = Decimal("0.3")) -> None:
    """The skill with a theory part, every entry marked, every sheet signed off, and decrypted."""
    Skill.objects.filter(pk=s.skill.pk).update(theory_weight=theory_weight)
    s.skill.refresh_from_db()
    for entry in s.entries:
        mark_entry(s, entry)
    for sheet in Sheet.objects.filter(entry__skill=s.skill):
        services.sheet_sign_off(chief=s.chief, sheet_id=sheet.pk)
    services.skill_decrypt(officer=s.encryptor, skill=s.skill)


def later(days: int) -> datetime:
    return timezone.now() + timedelta(days=days)


def bring_to_review_with_a_tie(s: Scenario) -> None:
    """Places 1, 2, 2, 4: the first entry best, the next two identical, the last without A1."""
    mark_entry(s, s.entries[0], j1=(3, 3, 3))
    mark_entry(s, s.entries[1])
    mark_entry(s, s.entries[2])
    mark_entry(s, s.entries[3], a1=0)
    for sheet in Sheet.objects.filter(entry__skill=s.skill):
        services.sheet_sign_off(chief=s.chief, sheet_id=sheet.pk)
    services.skill_decrypt(officer=s.encryptor, skill=s.skill)
    services.event_transition(actor=s.organizer, event=s.event, target=Status.REVIEW)


def publish(s: Scenario) -> None:
    """Publish once the review period (5 working days) is over."""
    services.event_transition(actor=s.organizer, event=s.event, target=Status.PUBLISHED, now=later(8))


def national_welding(s: Scenario) -> Skill:
    national = EventFactory(organizer=s.event.organizer, level=CompetitionLevel.NATIONAL, name="全国职业技能大赛")
    return SkillFactory(event=national, name="焊工（国赛）")


def link_nomination(s: Scenario, target: Skill, top: int) -> None:
    # The scenario's skill is a factory row; the link is set the same way skill_create would have stored it.
    Skill.objects.filter(pk=s.skill.pk).update(nominates_to=target, nominate_top=top)
    s.skill.refresh_from_db()


def bring_to_review(s: Scenario) -> None:
    """Every entry marked and signed off, decrypted, and the results under review (公示)."""
    for entry in s.entries:
        mark_entry(s, entry)
    for sheet in Sheet.objects.filter(entry__skill=s.skill):
        services.sheet_sign_off(chief=s.chief, sheet_id=sheet.pk)
    services.skill_decrypt(officer=s.encryptor, skill=s.skill)
    services.event_transition(actor=s.organizer, event=s.event, target=Status.REVIEW)


def mark_review_publish(s: Scenario) -> None:
    """Every entry marked alike, signed off, decrypted, reviewed and published."""
    bring_to_review(s)
    services.event_transition(actor=s.organizer, event=s.event, target=Status.PUBLISHED, now=later(8))


def marking_cell_html(page: str, workstation_no: str, aspect_code: str) -> str:
    """The HTML of one cell of the marking page (its id is `cell-<工位号>-<aspect code>`), up to the next cell or the
    end of its workstation's card; "" when the page has no such cell."""
    start = page.find(f'id="cell-{workstation_no}-{aspect_code}"')
    if start < 0:
        return ""
    ends = [i for i in (page.find('<div class="cell"', start), page.find("</section>", start)) if i >= 0]
    return page[start:min(ends)] if ends else page[start:]


def marking_workstations(page: str, numbers: set[str]) -> set[str]:
    """Which of these 工位号 the marking page shows a card for."""
    return {no for no in numbers if f'data-testid="workstation" data-workstation="{no}"' in page}


def at_once(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run each call in its own thread and database connection, released together; each result or exception."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - the test inspects every outcome
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


async def connect_board(event_id: int, user: Any, query: str = "") -> Any:
    """A websocket to the event's live board (competitions.consumers) as `user`, connected; the communicator."""
    path = f"/ws/competitions/events/{event_id}/board/" + (f"?{query}" if query else "")
    communicator = WebsocketCommunicator(EventBoardConsumer.as_asgi(), path)
    communicator.scope["user"] = user
    communicator.scope["url_route"] = {"kwargs": {"event_id": event_id}}
    connected, _code = await communicator.connect()
    assert connected
    return communicator


def mark_by_measurer(s: Scenario, entry: Entry, aspect_code: str, value: Decimal | int | str) -> None:
    """One measurement aspect of an entry, by the referee its panel starts with."""
    mark(s.measurer(entry), entry, s.aspects[aspect_code], Decimal(value))
