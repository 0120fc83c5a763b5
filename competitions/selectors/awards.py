"""Per-person award lines of published results, for readers outside competitions (the talent pool's intake reads
them; competitions never imports it). A line is one member of one row of the newest published version of each
published (or archived) skill, read from the frozen `PublishedResults.document`: what was published is what
counts, and a correction's newer version replaces the older one (a line it no longer carries is gone)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Max
from django.utils import timezone

from competitions.models import PublishedResults, Status


@dataclass(frozen=True, slots=True)
class AwardLine:
    person_id: int
    skill_id: int
    entry_id: int
    event_name: str
    skill_name: str
    competition_level: str  # the event's level (CompetitionLevel slug)
    award_code: str | None  # AwardCode value, None without an award
    title_scope: str | None  # TitleScope value when the place proposes a 技术能手 title
    place: int
    occupation_code: str
    occupation_name: str
    published_on: date  # the day the skill's results were first published


def award_lines(person_ids: Iterable[int] | None = None) -> list[AwardLine]:
    """The award lines of `person_ids` (everyone's when None) with an award or a title; one query for the newest
    versions, one for their documents."""
    wanted = None if person_ids is None else set(person_ids)
    newest = (PublishedResults.objects.filter(skill__status__in=[Status.PUBLISHED, Status.ARCHIVED])
              .values("skill_id").annotate(v=Max("version")))
    keys = {(row["skill_id"], row["v"]) for row in newest}
    if not keys:
        return []
    versions = (PublishedResults.objects.filter(skill_id__in=[k[0] for k in keys])
                .select_related("skill__event", "skill__occupation").order_by("skill_id", "version"))
    lines = []
    for published in versions:
        if (published.skill_id, published.version) not in keys:
            continue
        skill = published.skill
        document = published.document
        first = document.get("published_at")
        published_on = (date.fromisoformat(first[:10]) if isinstance(first, str)
                        else timezone.localdate(published.published_at))
        occupation_name = skill.occupation.name if skill.occupation_id and skill.occupation else skill.name
        for row in document.get("rows", []):
            if not row.get("award") and not row.get("title_scope"):
                continue
            for member in row.get("members", []):
                if wanted is not None and member["person"] not in wanted:
                    continue
                lines.append(AwardLine(
                    person_id=member["person"], skill_id=skill.pk, entry_id=row["entry"],
                    event_name=document.get("event_name", skill.event.name),
                    skill_name=document.get("skill_name", skill.name), competition_level=skill.event.level,
                    award_code=row.get("award") or None, title_scope=row.get("title_scope") or None,
                    place=int(row.get("place") or 0), occupation_code=skill.occupation_code,
                    occupation_name=occupation_name, published_on=published_on))
    return lines
