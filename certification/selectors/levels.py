"""A person's levels (DESIGN.md "Certification" → "A person's levels"): ONE selector answers "what does this person
hold in this occupation on this day" (`held_level`), which competitions asks when promoting and the talent pool
will ask when matching; `held_levels` is the same question for many people at once (one query), and
`person_levels` is the record a person's page and the API show.

The rule of `held_level`: the highest level among the person's levels in the occupation obtained on or before the
day, whatever their source (a certificate, a competition promotion, an appointment: DESIGN.md "Competition
promotions count as holding the level"); a withdrawn level (a promotion undone by a corrected result, a level
recorded by mistake) counts never, since it was never rightly held.

Appointments (评聘 of 特级技师 and 首席技师, issue 12 item 10) are held for their term: a level with `held_until`
counts only up to that day (the term's end, or the day before the appointment was ended early), so on a day after
the term the person no longer holds the title through it; an unrenewed appointment lapses (the choice is
certification.domain.appointments'). An appointment's level is 一级, what it rests on, so `held_level` (the
certified level, which competitions' promotions ask about) counts an appointee as holding 一级 and never more;
`held_titles` names the appointed titles held on the day and `held_rung` the highest rung of the whole ladder
(学徒工 aside), for the readers that name titles (the talent pool's intake, the person's record).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Min, Model, Q, QuerySet

from certification.domain.appointments import Title
from certification.domain.ladder import Rung, SkillLevel
from certification.models import AppointedTitle, HeldLevel, Occupation, SourceKind
from certification.selectors.catalogue import level_label


def _id(obj: Any) -> int:
    return int(obj if isinstance(obj, int) else obj.pk)


def standing_levels(on: date) -> QuerySet[HeldLevel]:
    """The levels held on the day `on`: obtained by then, not withdrawn, not lapsed (module docstring)."""
    return HeldLevel.objects.filter(Q(held_until__isnull=True) | Q(held_until__gte=on), obtained_on__lte=on,
                                    withdrawn_at__isnull=True)


def held_level(person: Any, occupation: Occupation | int, *, on: date,
               appointments: bool = True) -> SkillLevel | None:
    """The highest level `person` holds in `occupation` on the day `on` (module docstring); None when none.
    `appointments=False` counts certificates and promotions only (what an appointment must rest on)."""
    found = standing_levels(on).filter(person_id=_id(person), occupation_id=_id(occupation))
    if not appointments:
        found = found.exclude(source_kind=SourceKind.APPOINTMENT)
    best = found.aggregate(best=Min("level"))["best"]
    return None if best is None else SkillLevel(best)


def held_titles(person: Any, occupation: Occupation | int, *, on: date) -> frozenset[Title]:
    """The appointed titles (特级技师, 首席技师) `person` holds in `occupation` on the day `on`."""
    found = standing_levels(on).filter(person_id=_id(person), occupation_id=_id(occupation),
                                 source_kind=SourceKind.APPOINTMENT).values_list("title", flat=True)
    return frozenset(Title(t) for t in found)


def held_rung(person: Any, occupation: Occupation | int, *, on: date) -> Rung | None:
    """The highest rung of the ladder `person` holds in `occupation` on the day `on`: an appointed title while
    its term runs, else the certified level; None when none."""
    rows = list(standing_levels(on).filter(person_id=_id(person), occupation_id=_id(occupation))
                .values_list("level", "title"))
    rungs = [Title(title).rung if title else Rung.of(SkillLevel(level)) for level, title in rows]
    return max(rungs, default=None)


def held_levels(person_ids: Iterable[int], occupation: Occupation | int, *, on: date,
                excluding: Sequence[Model] = ()) -> dict[int, SkillLevel]:
    """`held_level` for many people in one occupation on one day, in one query: person id → level (those who
    hold none are absent). `excluding` leaves out the levels that came from these source records: a competition
    asking what its contestants held before it leaves out the promotions its own results gave (which would
    otherwise count when its results are corrected on the day they were published)."""
    ids = sorted(set(person_ids))
    if not ids:
        return {}
    found = standing_levels(on).filter(person_id__in=ids, occupation_id=_id(occupation))
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
    title: str  # an appointment's title (principal 特级技师, chief 首席技师); empty for other sources
    title_label: str
    held_until: date | None  # an appointment's last day; None when held for good


@dataclass(frozen=True, slots=True)
class PersonLevels:
    person_id: int
    name: str
    levels: list[HeldLevelView]  # levels not withdrawn (lapsed appointments too: `held_until`), highest first
    withdrawn: list[HeldLevelView]


def held_level_view(h: HeldLevel) -> HeldLevelView:
    return HeldLevelView(
        id=h.pk, occupation_id=h.occupation_id, occupation_code=h.occupation.code, occupation_name=h.occupation.name,
        level=h.level, level_label=level_label(h.level), source_kind=h.source_kind,
        source_kind_label=str(SourceKind(h.source_kind).label), source_label=h.source_label, evidence=h.evidence,
        obtained_on=h.obtained_on, recorded_at=h.recorded_at, withdrawn_at=h.withdrawn_at,
        withdrawn_reason=h.withdrawn_reason, title=h.title,
        title_label=str(AppointedTitle(h.title).label) if h.title else "", held_until=h.held_until,
    )


def _rung(h: HeldLevel) -> int:
    return int(Title(h.title).rung if h.title else Rung.of(SkillLevel(h.level)))


def person_levels(person: Any) -> PersonLevels:
    """Every level the person holds or held (withdrawn ones apart), in one query; the caller has checked the
    reader's right (certification.access.access_person_levels)."""
    found = HeldLevel.objects.filter(person_id=person.pk).select_related("occupation").order_by("-obtained_on", "pk")
    rows = [held_level_view(h) for h in sorted(found, key=lambda h: (h.occupation.code, -_rung(h)))]
    return PersonLevels(
        person_id=person.pk, name=str(person),
        levels=[r for r in rows if r.withdrawn_at is None], withdrawn=[r for r in rows if r.withdrawn_at is not None],
    )


@dataclass(frozen=True, slots=True)
class LevelRecord:
    """One level of a person as readers outside certification (the talent pool's intake) take it: its rung on the
    whole ladder, where it came from, and whether it stands on the day (not withdrawn, not lapsed) with the
    reason when it does not."""

    id: int
    person_id: int
    occupation_code: str
    occupation_name: str
    rung: int
    source_kind: str  # SourceKind: certificate, competition_promotion, appointment
    source_label: str
    obtained_on: date
    standing: bool
    ended_reason: str


def _ended_reason(h: HeldLevel, on: date) -> str:
    if h.withdrawn_at is not None:
        return h.withdrawn_reason
    if h.held_until is not None and h.held_until < on:
        return f"评聘期满（{h.held_until:%Y-%m-%d}）"
    return ""


def levels_of_people(person_ids: Iterable[int] | None, *, on: date) -> dict[int, list[LevelRecord]]:
    """Every level (standing or ended) of the people `person_ids` — of everyone who holds one when None — as of the
    day `on`, in one query: person id → their levels. Levels obtained after `on` are left out."""
    found = HeldLevel.objects.filter(obtained_on__lte=on).select_related("occupation").order_by("person_id", "pk")
    if person_ids is not None:
        found = found.filter(person_id__in=sorted(set(person_ids)))
    out: dict[int, list[LevelRecord]] = {}
    for h in found:
        reason = _ended_reason(h, on)
        out.setdefault(h.person_id, []).append(LevelRecord(
            id=h.pk, person_id=h.person_id, occupation_code=h.occupation.code, occupation_name=h.occupation.name,
            rung=_rung(h), source_kind=h.source_kind, source_label=h.source_label or h.evidence[:100],
            obtained_on=h.obtained_on, standing=not reason, ended_reason=reason))
    return out


def people_holding_at_least(rung: int, *, on: date) -> list[int]:
    """The ids of the people holding a standing level at rung `rung` or above on the day `on` (an appointment
    counts at its title's rung), in one query."""
    levels = [int(lvl) for lvl in SkillLevel if int(Rung.of(lvl)) >= rung]
    return sorted(set(standing_levels(on).filter(Q(level__in=levels) | ~Q(title=""))
                      .values_list("person_id", flat=True)))
