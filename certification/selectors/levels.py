"""A person's levels (DESIGN.md "Certification" → "A person's levels"): ONE selector answers "what does this person
hold in this occupation on this day" (`held_level`), which competitions asks when promoting and the talent pool
will ask when matching; `held_levels` is the same question for many people at once (one query), and
`person_levels` is the record a person's page and the API show.

The rule of `held_level`: the highest level among the person's levels in the occupation obtained on or before the
day, whatever their source (a certificate, a competition promotion, an appointment: DESIGN.md "Competition
promotions count as holding the level"); a withdrawn level (a promotion undone by a corrected result, a level
recorded by mistake) counts never, since it was never rightly held.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Min, Model

from certification.domain.ladder import SkillLevel
from certification.models import HeldLevel, Occupation, SourceKind
from certification.selectors.catalogue import level_label


def _id(obj: Any) -> int:
    return int(obj if isinstance(obj, int) else obj.pk)


def held_level(person: Any, occupation: Occupation | int, *, on: date) -> SkillLevel | None:
    """The highest level `person` holds in `occupation` on the day `on` (module docstring); None when none."""
    found = HeldLevel.objects.filter(person_id=_id(person), occupation_id=_id(occupation), obtained_on__lte=on,
                                     withdrawn_at__isnull=True).aggregate(best=Min("level"))["best"]
    return None if found is None else SkillLevel(found)


def held_levels(person_ids: Iterable[int], occupation: Occupation | int, *, on: date,
                excluding: Sequence[Model] = ()) -> dict[int, SkillLevel]:
    """`held_level` for many people in one occupation on one day, in one query: person id → level (those who
    hold none are absent). `excluding` leaves out the levels that came from these source records: a competition
    asking what its contestants held before it leaves out the promotions its own results gave (which would
    otherwise count when its results are corrected on the day they were published)."""
    ids = sorted(set(person_ids))
    if not ids:
        return {}
    found = HeldLevel.objects.filter(person_id__in=ids, occupation_id=_id(occupation), obtained_on__lte=on,
                                     withdrawn_at__isnull=True)
    if excluding:
        content_type = ContentType.objects.get_for_model(excluding[0])
        found = found.exclude(source_type=content_type, source_id__in=[int(s.pk) for s in excluding])
    rows = found.values("person_id").annotate(best=Min("level")).values_list("person_id", "best")
    return {person_id: SkillLevel(best) for person_id, best in rows}


@dataclass(frozen=True, slots=True)
class HeldLevelView:
    """One level of a person's record, with where it came from."""

    id: int
    occupation_id: int
    occupation_code: str
    occupation_name: str
    level: int
    level_label: str
    source_kind: str
    source_kind_label: str
    source_label: str
    evidence: str
    obtained_on: date
    recorded_at: datetime
    withdrawn_at: datetime | None
    withdrawn_reason: str


@dataclass(frozen=True, slots=True)
class PersonLevels:
    person_id: int
    name: str
    levels: list[HeldLevelView]  # standing levels, highest first within each occupation
    withdrawn: list[HeldLevelView]


def held_level_view(h: HeldLevel) -> HeldLevelView:
    return HeldLevelView(
        id=h.pk, occupation_id=h.occupation_id, occupation_code=h.occupation.code, occupation_name=h.occupation.name,
        level=h.level, level_label=level_label(h.level), source_kind=h.source_kind,
        source_kind_label=str(SourceKind(h.source_kind).label), source_label=h.source_label, evidence=h.evidence,
        obtained_on=h.obtained_on, recorded_at=h.recorded_at, withdrawn_at=h.withdrawn_at,
        withdrawn_reason=h.withdrawn_reason,
    )


def person_levels(person: Any) -> PersonLevels:
    """Every level the person holds or held (withdrawn ones apart), in one query; the caller has checked the
    reader's right (certification.access.access_person_levels)."""
    rows = [held_level_view(h) for h in HeldLevel.objects.filter(person_id=person.pk).select_related("occupation")
            .order_by("occupation__code", "level", "-obtained_on", "pk")]
    return PersonLevels(
        person_id=person.pk, name=str(person),
        levels=[r for r in rows if r.withdrawn_at is None], withdrawn=[r for r in rows if r.withdrawn_at is not None],
    )
