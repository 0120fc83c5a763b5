"""Searching the pool (issue 14 item 7): the enterprise's search page, the API's `GET /talents`, saved searches
and the Excel export all run `pool_search` on one `PoolQuery`, so they find the same people and mask the same way
(contact data only where the reader's enterprise holds the person's consent: selectors.profiles).

Filters: occupation (an occupation code, whole or its leading part like "6-18", or words of its name), minimum
rung (in that occupation when one is given, else in any), city, industry chain, best award at least, open to
offers only, and free text (name, summary, skill points, occupation names). Ordered by best award, then highest
holding, then time in the pool. A page costs a fixed number of queries whatever its size (count, page, holdings,
skills, chains, consent)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from django.db.models import Max, Prefetch, Q, QuerySet

from talentpool.models import AwardKind, City, Education, IndustryChain, Talent, TalentHolding, TalentStatus
from talentpool.selectors.profiles import (
    Contact,
    HoldingView,
    contact_of,
    contact_visible_for,
    rung_label,
)

PER_PAGE = 20
EXPORT_LIMIT = 5000
_CODE = re.compile(r"^\d(-\d{1,2}){0,3}$")


@dataclass(frozen=True, slots=True)
class PoolQuery:
    occupation: str = ""
    min_rung: int | None = None
    city: str = ""
    chain_id: int | None = None
    min_award: int | None = None
    open_only: bool = False
    text: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in ("", None, False)}

    @property
    def empty(self) -> bool:
        return not self.as_dict()


def _int(value: Any, low: int, high: int) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None


def query_from(data: Mapping[str, Any]) -> PoolQuery:
    """A PoolQuery from a form's GET, an API's query or a saved search: unknown or malformed values are dropped
    (a search never fails on a bad filter; it just does not apply it)."""
    city = str(data.get("city") or "").strip()
    open_only = str(data.get("open_only") or "").strip().lower() in ("1", "true", "on", "yes")
    return PoolQuery(
        occupation=str(data.get("occupation") or "").strip()[:100],
        min_rung=_int(data.get("min_rung"), 1, 8), city=city if city in City.values else "",
        chain_id=_int(data.get("chain_id"), 1, 2**31 - 1), min_award=_int(data.get("min_award"), 1, 4),
        open_only=open_only, text=str(data.get("text") or "").strip()[:100],
    )


@dataclass(frozen=True, slots=True)
class TalentRow:
    id: int
    name: str
    city: str
    city_label: str
    education_label: str
    years_experience: int | None  # None: not given
    open_to_offers: bool
    best_award: int
    best_award_label: str
    holdings: list[HoldingView]
    skills: list[str]
    chains: list[str]
    contact: Contact | None  # only where the reader may see it


@dataclass(frozen=True, slots=True)
class SearchPage:
    query: PoolQuery
    rows: list[TalentRow]
    total: int
    page: int
    pages: int


def _filtered(query: PoolQuery) -> QuerySet[Talent]:
    found = Talent.objects.filter(status=TalentStatus.IN_POOL)
    holding = Q()
    occupation = query.occupation
    if occupation:
        if _CODE.match(occupation):
            holding &= Q(occupation_code=occupation) | Q(occupation_code__startswith=occupation + "-")
        else:
            holding &= Q(occupation_name__icontains=occupation)
    if query.min_rung:
        holding &= Q(rung__gte=query.min_rung)
    if occupation or query.min_rung:
        found = found.filter(pk__in=TalentHolding.objects.filter(holding).values("talent_id"))
    if query.city:
        found = found.filter(city=query.city)
    if query.chain_id:
        found = found.filter(chains__id=query.chain_id)
    if query.min_award:
        found = found.filter(best_award__gte=query.min_award)
    if query.open_only:
        found = found.filter(open_to_offers=True)
    if query.text:
        t = query.text
        matches = (Q(person__real_name__icontains=t) | Q(summary__icontains=t)
                   | Q(pk__in=TalentHolding.objects.filter(occupation_name__icontains=t).values("talent_id"))
                   | Q(skills__skill_point__name__icontains=t))
        found = found.filter(pk__in=Talent.objects.filter(matches).values("pk"))
    return found


def _ordered(found: QuerySet[Talent]) -> QuerySet[Talent]:
    return found.annotate(top_rung=Max("holdings__rung")).order_by("-best_award", "-top_rung", "entered_at", "pk")


def _rows(reader: Any, talents: list[Talent]) -> list[TalentRow]:
    visible = contact_visible_for(reader, talents)
    return [TalentRow(
        id=t.pk, name=str(t.person), city=t.city, city_label=str(City(t.city).label) if t.city else "",
        education_label=str(Education(t.education).label), years_experience=t.years_experience,
        open_to_offers=t.open_to_offers, best_award=t.best_award, best_award_label=str(AwardKind(t.best_award).label),
        holdings=[HoldingView(h.occupation_code, h.occupation_name, h.rung, rung_label(h.rung))
                  for h in t.holdings.all()],
        skills=[s.skill_point.name for s in t.skills.all()], chains=[c.name for c in t.chains.all()],
        contact=contact_of(t, t.pk in visible),
    ) for t in talents]


def _with_relations(found: QuerySet[Talent]) -> QuerySet[Talent]:
    return found.select_related("person").prefetch_related(
        Prefetch("holdings", queryset=TalentHolding.objects.order_by("-rung", "occupation_code")),
        "skills__skill_point", Prefetch("chains", queryset=IndustryChain.objects.order_by("position", "pk")))


def pool_search(reader: Any, query: PoolQuery, *, page: int = 1, per_page: int = PER_PAGE) -> SearchPage:
    """One page of the pool for `query` (the caller checked the right to search: access_pool)."""
    found = _filtered(query)
    total = found.count()
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    talents = list(_with_relations(_ordered(found))[(page - 1) * per_page:page * per_page])
    return SearchPage(query=query, rows=_rows(reader, talents), total=total, page=page, pages=pages)


def pool_search_all(reader: Any, query: PoolQuery, *, limit: int = EXPORT_LIMIT) -> list[TalentRow]:
    """Every match (up to `limit`), for the export."""
    return _rows(reader, list(_with_relations(_ordered(_filtered(query)))[:limit]))


def talent_rows(reader: Any, talent_ids: list[int]) -> dict[int, TalentRow]:
    """Rows for the given talents (the shortlist), in one fixed set of queries."""
    talents = list(_with_relations(Talent.objects.filter(pk__in=talent_ids)))
    return {r.id: r for r in _rows(reader, talents)}


def chain_choices() -> list[tuple[int, str]]:
    return list(IndustryChain.objects.order_by("position", "pk").values_list("pk", "name"))


@dataclass(frozen=True, slots=True)
class SavedSearchView:
    id: int
    name: str
    query: PoolQuery
    created_at: Any


def saved_searches(owner: Any, enterprise_id: int) -> list[SavedSearchView]:
    from talentpool.models import SavedSearch

    return [SavedSearchView(s.pk, s.name, query_from(s.query), s.created_at)
            for s in SavedSearch.objects.filter(owner=owner, organization_id=enterprise_id).order_by("name")]


@dataclass(frozen=True, slots=True)
class ShortlistEntry:
    id: int
    talent: TalentRow
    post_id: int | None
    post_name: str
    note: str
    added_by_name: str
    added_at: Any


def shortlist(reader: Any, enterprise_id: int, post_id: int | None = None) -> list[ShortlistEntry]:
    """The enterprise's shortlist (general and per post, or one post's when `post_id`), newest first."""
    from talentpool.models import ShortlistItem

    items = ShortlistItem.objects.filter(organization_id=enterprise_id).select_related("post", "added_by")
    if post_id is not None:
        items = items.filter(post_id=post_id)
    items_list = list(items.order_by("-added_at", "-pk"))
    rows = talent_rows(reader, [i.talent_id for i in items_list])
    return [ShortlistEntry(i.pk, rows[i.talent_id], i.post_id, i.post.name if i.post else "", i.note,
                           str(i.added_by), i.added_at) for i in items_list if i.talent_id in rows]
