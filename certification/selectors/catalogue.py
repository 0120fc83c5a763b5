"""Reads of the occupation catalogue shared by pages, API and the export: frozen views, no masking needed (the
catalogue is reference data every signed-in person reads; certification.permissions)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet

from certification.domain import eligibility
from certification.domain.ladder import LADDER, SkillLevel
from certification.models import Occupation, OccupationLevel
from core.errors import render_message

PAGE_SIZE = 50


def level_label(level: SkillLevel | int) -> str:
    """A certified level by its ladder label in the reader's language (五级/初级工)."""
    return render_message(f"ladder.level.{int(level)}", {})


@dataclass(frozen=True, slots=True)
class LevelView:
    level: int
    label: str


@dataclass(frozen=True, slots=True)
class OccupationView:
    """An occupation as lists show it: its code with the hierarchy's prefixes, and its levels, lowest first."""

    id: int
    code: str
    name: str
    major_code: str
    middle_code: str
    minor_code: str
    description: str
    levels: list[LevelView]


@dataclass(frozen=True, slots=True)
class ConditionView:
    kind: str
    text: str


@dataclass(frozen=True, slots=True)
class RuleView:
    """The eligibility rule of one level of an occupation: each path (申报条件之一) as its conditions in words."""

    level: int
    label: str
    paths: list[list[ConditionView]]


@dataclass(frozen=True, slots=True)
class OccupationDetail:
    occupation: OccupationView
    rules: list[RuleView]


@dataclass(frozen=True, slots=True)
class RungView:
    """One rung of the 新八级工 ladder, lowest first: its certified level (1–5) or none, and how it is obtained."""

    rung: int
    label: str
    level: int | None
    how_obtained: str


@dataclass(frozen=True, slots=True)
class OccupationPage:
    query: str
    total: int
    number: int
    pages: int
    rows: list[OccupationView]


def _levels() -> Prefetch[str]:
    return Prefetch("levels", queryset=OccupationLevel.objects.order_by("-level"))


def occupation_view(o: Occupation) -> OccupationView:
    return OccupationView(
        id=o.pk, code=o.code, name=o.name, major_code=o.major_code, middle_code=o.middle_code,
        minor_code=o.minor_code, description=o.description,
        levels=[LevelView(v.level, level_label(SkillLevel(v.level))) for v in o.levels.all()],
    )


def _matching(query: str) -> QuerySet[Occupation]:
    found = Occupation.objects.all()
    query = query.strip()
    if query:
        found = found.filter(Q(code__startswith=query) | Q(name__icontains=query))
    return found


def occupation_page(*, query: str = "", page: int | str = 1) -> OccupationPage:
    """One page of the catalogue, searched by code (a prefix: 6-18 finds the whole 中类) or by name: three
    queries whatever the page holds (count, rows, their levels)."""
    paginator = Paginator(_matching(query).prefetch_related(_levels()).order_by("code"), PAGE_SIZE)
    current = paginator.get_page(page)
    return OccupationPage(query=query.strip(), total=paginator.count, number=current.number,
                          pages=paginator.num_pages, rows=[occupation_view(o) for o in current.object_list])


def occupations_all() -> list[OccupationView]:
    """The whole catalogue (the export, the skills' choice of occupation): two queries."""
    return [occupation_view(o) for o in Occupation.objects.prefetch_related(_levels()).order_by("code")]


def condition_text(condition: eligibility.Condition) -> str:
    """A condition in words, as a rule states it (no candidate): the unmet form names what is required."""
    check = eligibility.check_condition(condition, eligibility.Candidate())
    if check.met:  # only a zero-year condition is met by nobody's facts
        return check.message
    required = eligibility.ConditionCheck(condition, False, f"rule.{condition.kind.value}", check.params)
    return required.message


def rule_view(level: OccupationLevel) -> RuleView:
    rule = eligibility.rule_from_data(SkillLevel(level.level), level.eligibility)
    return RuleView(level=level.level, label=level_label(SkillLevel(level.level)), paths=[
        [ConditionView(c.kind.value, condition_text(c)) for c in path.conditions] for path in rule.paths
    ])


def occupation_detail(occupation: Occupation) -> OccupationDetail:
    levels = list(occupation.levels.order_by("-level"))
    return OccupationDetail(
        occupation=OccupationView(
            id=occupation.pk, code=occupation.code, name=occupation.name, major_code=occupation.major_code,
            middle_code=occupation.middle_code, minor_code=occupation.minor_code,
            description=occupation.description,
            levels=[LevelView(v.level, level_label(SkillLevel(v.level))) for v in levels],
        ),
        rules=[rule_view(v) for v in levels],
    )


def ladder() -> list[RungView]:
    """The 新八级工 ladder (certification.domain.ladder), lowest rung first."""
    return [RungView(int(r), render_message(f"ladder.rung.{int(r)}", {}),
                     None if r.skill_level is None else int(r.skill_level), r.how_obtained.value)
            for r in LADDER]


def occupation_choices() -> list[tuple[int, str]]:
    """(id, "焊工（6-18-02-04）") of every occupation, for a form linking something to the catalogue."""
    return [(pk, f"{name}（{code}）") for pk, code, name in Occupation.objects.order_by("code")
            .values_list("pk", "code", "name")]


def occupation_by_id(occupation_id: int) -> OccupationView | None:
    found = Occupation.objects.filter(pk=occupation_id).prefetch_related(_levels()).first()
    return None if found is None else occupation_view(found)
