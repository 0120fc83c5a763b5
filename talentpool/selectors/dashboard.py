"""The dashboard (issue 14 item 10): aggregates per industry chain, per city and per alliance (技工教育联盟/集团),
and a chain × city matrix, for organizer staff, the admin, enterprises and colleges (talentpool.permissions:
aggregates only; no person, no contact data, no unit's checklist detail).

Figures (talentpool.domain.dashboard for supply and gap):
- demand: head-count of the posts of each enterprise's newest submitted demand checklist; by chain through the
  checklist's chains (a post of a checklist naming two chains counts under each), by city through the post's place
  of work, by alliance through the member enterprises;
- pool: talents in the pool (status in_pool); by chain through their chains, by city through their city, by
  alliance through their memberships in member units;
- graduates: graduates of the last three years on each college's newest submitted supply checklist; by chain
  through the checklist's chains, by city through the checklist's city, by alliance through the member colleges
  (the lead counts as a member);
- outcomes by kind: by chain from events of that chain, by city from the enterprise's city, by alliance where the
  enterprise or college is a member, and the total.
A fixed number of queries, whatever the data (tests/talentpool/test_dashboard.py holds the budget).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet, Sum

from accounts.models import Alliance, AllianceMember
from talentpool.domain.dashboard import TILES, Figures, city_of
from talentpool.models import (
    City,
    DemandPost,
    GraduateRecord,
    IndustryChain,
    OutcomeKind,
    Talent,
    TalentStatus,
)
from talentpool.models import Outcome as OutcomeRow
from talentpool.selectors.matchmaking import graduate_years, latest_submitted_demand, latest_submitted_supply


@dataclass(frozen=True, slots=True)
class OutcomeCount:
    kind: str
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class Row:
    key: str
    label: str
    demand: int
    pool: int
    graduates: int
    supply: int
    gap: int
    outcomes: list[OutcomeCount]


@dataclass(frozen=True, slots=True)
class CityTile:
    key: str
    label: str
    column: int
    row: int
    demand: int
    pool: int
    graduates: int
    supply: int
    gap: int


@dataclass(frozen=True, slots=True)
class MatrixRow:
    chain: str
    gaps: list[int]  # one per city, in City order


@dataclass(frozen=True, slots=True)
class Dashboard:
    graduate_years: str
    chains: list[Row]
    cities: list[Row]
    alliances: list[Row]
    tiles: list[CityTile]
    city_labels: list[str]
    matrix: list[MatrixRow]
    outcomes: list[OutcomeCount]
    totals: Row


def _outcomes(counts: dict[str, int]) -> list[OutcomeCount]:
    return [OutcomeCount(kind, str(label), counts.get(kind, 0)) for kind, label in OutcomeKind.choices]


def _row(key: str, label: str, demand: int, pool: int, graduates: int, outcomes: dict[str, int]) -> Row:
    f = Figures(demand, pool, graduates)
    return Row(key, label, demand, pool, graduates, f.supply, f.gap, _outcomes(outcomes))


def _sum_by(queryset: QuerySet[Any], key: str, value: str) -> dict[Any, int]:
    """Sum of `value` grouped by `key` (the models' default ordering cleared, or it would join the grouping)."""
    grouped = queryset.order_by().values(key).annotate(total=Sum(value)).values_list(key, "total")
    return {k: int(v or 0) for k, v in grouped}


def dashboard() -> Dashboard:
    first, last = graduate_years()
    demand_ids = list(latest_submitted_demand().values_list("pk", flat=True))
    supply_ids = list(latest_submitted_supply().values_list("pk", flat=True))
    # Default orderings cleared: an ordering field would join every GROUP BY below.
    posts = DemandPost.objects.filter(checklist_id__in=demand_ids).order_by()
    graduates = GraduateRecord.objects.filter(checklist_id__in=supply_ids, year__gte=first, year__lte=last).order_by()
    talents = Talent.objects.filter(status=TalentStatus.IN_POOL).order_by()

    # per chain
    chains = list(IndustryChain.objects.all())
    demand_chain = _sum_by(posts, "checklist__chains", "headcount")
    grad_chain = _sum_by(graduates, "checklist__chains", "count")
    pool_chain = dict(talents.values("chains").annotate(n=Count("pk", distinct=True)).values_list("chains", "n"))
    outcomes = list(OutcomeRow.objects.order_by().values_list("kind", "count", "event__chain_id", "enterprise__city",
                                                   "enterprise_id", "college_id"))
    out_chain: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    out_city: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    out_total: dict[str, int] = defaultdict(int)
    for kind, count, chain_id, enterprise_city, _e, _c in outcomes:
        out_total[kind] += count
        if chain_id is not None:
            out_chain[chain_id][kind] += count
        out_city[city_of(enterprise_city or "")][kind] += count
    chain_rows = [_row(c.code, c.name, demand_chain.get(c.pk, 0), pool_chain.get(c.pk, 0), grad_chain.get(c.pk, 0),
                       out_chain[c.pk]) for c in chains]

    # per city
    demand_city = _sum_by(posts, "city", "headcount")
    grad_city = _sum_by(graduates, "checklist__city", "count")
    pool_city = dict(talents.values("city").annotate(n=Count("pk")).values_list("city", "n"))
    city_rows = [_row(value, str(label), demand_city.get(value, 0), pool_city.get(value, 0), grad_city.get(value, 0),
                      out_city[value]) for value, label in City.choices]
    by_city = {r.key: r for r in city_rows}
    tiles = [CityTile(value, name, column, row, by_city[value].demand, by_city[value].pool,
                      by_city[value].graduates, by_city[value].supply, by_city[value].gap)
             for value, name, column, row in TILES]

    # per alliance
    alliances = list(Alliance.objects.order_by("name"))
    members: dict[int, set[int]] = defaultdict(set)
    for alliance in alliances:
        members[alliance.pk].add(alliance.lead_id)
    for alliance_id, organization_id in AllianceMember.objects.values_list("alliance_id", "organization_id"):
        members[alliance_id].add(organization_id)
    demand_org = _sum_by(posts, "checklist__enterprise_id", "headcount")
    grad_org = _sum_by(graduates, "checklist__college_id", "count")
    talent_units: dict[int, set[int]] = defaultdict(set)
    for talent_id, organization_id in talents.filter(person__memberships__organization__isnull=False).values_list(
            "pk", "person__memberships__organization_id"):
        talent_units[organization_id].add(talent_id)
    alliance_rows = []
    for alliance in alliances:
        units = members[alliance.pk]
        pool_ids: set[int] = set().union(*(talent_units.get(u, set()) for u in units)) if units else set()
        counts: dict[str, int] = defaultdict(int)
        for kind, count, _chain, _city, enterprise_id, college_id in outcomes:
            if enterprise_id in units or college_id in units:
                counts[kind] += count
        alliance_rows.append(_row(str(alliance.pk), alliance.name, sum(demand_org.get(u, 0) for u in units),
                                  len(pool_ids), sum(grad_org.get(u, 0) for u in units), counts))

    # chain × city: the gap of each chain in each city
    demand_cc = {(c, p): int(n or 0) for c, p, n in posts.values("checklist__chains", "city").annotate(
        n=Sum("headcount")).values_list("checklist__chains", "city", "n")}
    grad_cc = {(c, p): int(n or 0) for c, p, n in graduates.values("checklist__chains", "checklist__city")
               .annotate(n=Sum("count")).values_list("checklist__chains", "checklist__city", "n")}
    pool_cc = {(c, p): int(n or 0) for c, p, n in talents.values("chains", "city").annotate(
        n=Count("pk", distinct=True)).values_list("chains", "city", "n")}
    matrix = [MatrixRow(chain.name, [Figures(demand_cc.get((chain.pk, v), 0), pool_cc.get((chain.pk, v), 0),
                                             grad_cc.get((chain.pk, v), 0)).gap for v in City.values])
              for chain in chains]

    total = _row("total", "全省", sum(p for p in demand_city.values()), talents.count(),
                 sum(grad_city.values()), out_total)
    return Dashboard(f"{first}–{last}", chain_rows, city_rows, alliance_rows, tiles,
                     [str(label) for _v, label in City.choices], matrix, _outcomes(out_total), total)

