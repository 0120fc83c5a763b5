"""Reads of the organizer's setup pages (issue 10 item 1): an event's venues and workstations, a skill's scheme as
the rows of the scheme page's table, and the units an organizer may announce events for.

Each read first asks the permission module (`Action.COMPETITION_MANAGE`, or the scheme's own rule through
competitions.access), so another unit's event is a 404 here as everywhere."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from accounts.models import Organization
from accounts.permissions import filter_allowed, require
from competitions.domain.workstations import compress_workstation_numbers
from competitions.excel.sheets import format_bands, plain
from competitions.models import Event, MarkingScheme, Skill, Venue, Workstation
from competitions.permissions import Action
from core.lookup import get_or_404


@dataclass(frozen=True, slots=True)
class StationsView:
    """The workstations one skill uses at one venue, as ranges people read ("H01–H40")."""

    skill_id: int
    skill: str
    count: int
    numbers: str


@dataclass(frozen=True, slots=True)
class VenueView:
    id: int
    name: str
    address: str
    stations: list[StationsView]


@dataclass(frozen=True, slots=True)
class SkillStations:
    """How many workstations a skill has over all venues, beside how many approved entries need one."""

    skill_id: int
    skill: str
    workstations: int


def event_venues(*, viewer: Any, event_id: int) -> tuple[list[VenueView], list[SkillStations]]:
    """The event's venues with each skill's workstations, and each skill's total (for those who manage it)."""
    event = get_or_404(Event, pk=event_id)
    require(viewer, Action.COMPETITION_MANAGE, event)
    skills = {s.pk: s for s in Skill.objects.filter(event=event).select_related("event").order_by("pk")}
    numbers: dict[tuple[int, int], list[str]] = defaultdict(list)
    for venue_id, skill_id, number in (Workstation.objects.filter(venue__event=event)
                                       .order_by("pk").values_list("venue_id", "skill_id", "number")):
        numbers[(venue_id, skill_id)].append(number)
    venues = [
        VenueView(v.pk, v.name, v.address, [
            StationsView(skill_id, str(skills[skill_id]), len(found), compress_workstation_numbers(found))
            for skill_id in skills if (found := numbers.get((v.pk, skill_id)))
        ])
        for v in Venue.objects.filter(event=event).order_by("pk")
    ]
    totals = [SkillStations(s.pk, str(s), sum(len(n) for (_v, k), n in numbers.items() if k == s.pk))
              for s in skills.values()]
    return venues, totals


def organizer_units(*, viewer: Any) -> list[Organization]:
    """The units the viewer may announce an event for (`Action.COMPETITION_MANAGE`), by name."""
    return list(filter_allowed(viewer, Action.COMPETITION_MANAGE, Organization.objects.all(), unit_field="pk")
                .order_by("name")[:200])


def _text(value: Decimal | None) -> str:
    return plain(value) or ""


def scheme_rows(skill: Skill) -> list[dict[str, str]]:
    """The skill's scheme as the scheme page's table rows, keyed like the import's columns (competitions.excel
    .SCHEME), in the texts the import reads back (an empty list when it has no scheme yet)."""
    scheme = MarkingScheme.objects.filter(skill=skill).first()
    if scheme is None:
        return []
    return [
        {
            "module_code": a.module.code, "module_name": a.module.name, "aspect_code": a.code,
            "description": a.description, "method": a.method, "max_mark": _text(a.max_mark),
            "nominal": _text(a.nominal), "bands": format_bands(a.bands) if a.bands else "",
            "referee_count": str(a.referee_count) if a.referee_count is not None else "",
            "divergence_threshold": _text(a.divergence_threshold) if a.divergence_threshold is not None else "无",
        }
        for a in scheme.aspects.select_related("module").order_by("module__position", "position", "id")
    ]
