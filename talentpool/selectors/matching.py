"""Reads of matching (issue 14 item 6): a demand post's talents ranked by the match score with each factor's value,
weight and Chinese label and what would lift each one's rank, and the colleges whose majors and graduates supply
the post. The same dataclasses feed the page, the API and exports; the caller has loaded and checked the post
(talentpool.access.access_post_for_matching).

The index (talentpool.domain.matching.TalentIndex) is built from the database with one query per table (talents,
holdings, skill points), as columns, never as model objects, and kept per process keyed on `PoolVersion.number`,
which every write to the pool or to a checklist bumps: the first request after a write rebuilds it, the others
reuse it. A large pool (over `INLINE_REBUILD_MAX` talents; a million take ~9 s to read from PostgreSQL) is
rebuilt by one background thread while requests are answered from the previous index, whose version the answer
names (`PostMatches.pool_version`). The version is read before the rows, so a write that lands in between only
makes the next request rebuild again, never keeps a stale index under a new number.

Masking: a match shows the talent's name, city, holdings, level, award and the score; contact data (phone,
e-mail) is not part of these types at all: it is shown only under the person's consent, by the contact pages.
Only talents in the pool (status `in_pool`) and open to offers are ranked; colleges are read from submitted
supply checklists, the newest of each college.

Choices: the rung of the models (1 学徒工 … 8 首席技师) is the domain's level plus one; skill points are matched by
their row id, with the rung a post asks a point at and the rung a talent declares it at (domain docstring:
unstated counts as held; a rung off the ladder counts as unstated); a post's weights (`DemandPost.weights`, a
JSON object naming some of the seven factors) override the defaults factor by factor. The lifts shown are
those that would move the talent up at least one place. A talent who has not given their years of experience
(`Talent.years_experience` None: intake does not know them) scores as no experience and reads 未填写: the
enterprise is never shown experience nobody declared, and the lift "若工作经验达到 N 年" still tells the talent
what would count.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any

import numpy as np
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certification.domain.ladder import Rung
from core.errors import RuleBroken, render_message
from talentpool.domain.matching import (
    FACTORS,
    Lift,
    Match,
    PostQuery,
    TalentIndex,
    Weights,
    rank_post,
)
from talentpool.domain.text_similarity import CollegeSupply, MajorSupply, match_colleges, rank_offers
from talentpool.models import (
    AwardKind,
    CaseStudy,
    ChecklistStatus,
    City,
    CollaborationNeed,
    DemandChecklist,
    DemandPost,
    DemandPostSkill,
    Education,
    Equipment,
    GraduateRecord,
    PoolVersion,
    ResearchProject,
    SupplyChecklist,
    SupplyMajor,
    Talent,
    TalentHolding,
    TalentSkill,
    TalentStatus,
    TrainingCourse,
    TrainingNeed,
)

FACTOR_LABELS = {
    "occupation": gettext_lazy("职业（工种）"),
    "skills": gettext_lazy("技能点覆盖"),
    "level": gettext_lazy("技能等级"),
    "experience": gettext_lazy("工作经验"),
    "education": gettext_lazy("学历"),
    "place": gettext_lazy("工作地点"),
    "awards": gettext_lazy("竞赛奖项与称号"),
}
_CODE = re.compile(r"^\d-\d\d-\d\d-\d\d$")
_CITIES = tuple(City.values)
DEFAULT_K, MAX_K, COLLEGES_K = 20, 100, 10


@dataclass(frozen=True, slots=True)
class FactorView:
    """One factor of a match: code, Chinese label, value in [0, 1], weight, contribution, and what it read."""

    code: str
    label: str
    value: float
    weight: float
    contribution: float
    detail: str


@dataclass(frozen=True, slots=True)
class WeightView:
    """A factor's normalised weight for the post, with its label."""

    code: str
    label: str
    weight: float


@dataclass(frozen=True, slots=True)
class LiftView:
    """One change that would move the talent up: the factor, the change's code, the sentence, the new score and
    rank."""

    factor: str
    change: str
    sentence: str
    new_score: float
    new_rank: int


@dataclass(frozen=True, slots=True)
class TalentMatchView:
    """A ranked talent as an enterprise sees it: no contact data (module docstring)."""

    talent_id: int
    name: str
    city: str
    city_label: str
    rank: int
    score: float
    occupation_code: str
    occupation_name: str
    rung: int
    rung_label: str
    factors: tuple[FactorView, ...]
    lifts: tuple[LiftView, ...]


@dataclass(frozen=True, slots=True)
class CollegeMatchView:
    """A college that supplies the post: its best major, the occupation and graduates-posts values, graduates."""

    college_id: int
    college_name: str
    score: float
    major_code: str
    major_name: str
    occupation: float
    posts_text: float
    graduates: int


@dataclass(frozen=True, slots=True)
class PostMatches:
    """A post's matches: the talents (best first, `candidates` in all), the one talent asked about (if any, where
    they rank), and the colleges."""

    post_id: int
    post_name: str
    enterprise_name: str
    occupation_code: str
    occupation_name: str
    required_rung: int
    required_rung_label: str
    city_label: str
    same_city_only: bool
    candidates: int
    pool_version: int
    weights: tuple[WeightView, ...]
    talents: tuple[TalentMatchView, ...]
    asked: TalentMatchView | None
    colleges: tuple[CollegeMatchView, ...]


# --- the index, per process, on the pool version ------------------------------------------------------------------

# Above this many talents a stale index answers while a thread rebuilds it (1,000,000 take ~9 s from PostgreSQL);
# below it the rebuild takes well under a second and is done before answering.
INLINE_REBUILD_MAX = 100_000
_state_lock = threading.Lock()  # guards _cache and _rebuilding
_build_lock = threading.Lock()  # one build at a time in the process
_cache: tuple[int, TalentIndex] | None = None
_rebuilding: threading.Thread | None = None
logger = logging.getLogger(__name__)


def pool_version() -> int:
    return PoolVersion.objects.filter(pk=1).values_list("number", flat=True).first() or 0


_CHUNK = 20_000


def _columns(rows: Iterable[tuple[Any, ...]], dtype: list[tuple[str, str]]) -> np.ndarray:
    """Rows streamed from the database straight into a structured array: no list of a million tuples."""
    return np.fromiter(rows, dtype=np.dtype(dtype))


def _holdings(rows: Iterable[tuple[int, str, int]]) -> Iterator[tuple[int, int, int]]:
    # A code that is not X-XX-XX-XX (intake never writes one) or a rung off the ladder is skipped rather than
    # failing every post's matches.
    for talent_id, code, rung in rows:
        if _CODE.match(code) and 1 <= rung <= 8:
            yield talent_id, int(code.replace("-", "")), rung - 1


def build_index(version: int) -> TalentIndex:
    """The index of the pool as the database holds it now: one query per table, streamed as columns."""
    city_number = {c: i for i, c in enumerate(_CITIES)}
    in_pool = Talent.objects.filter(status=TalentStatus.IN_POOL)
    talents = _columns(
        ((pk, city_number.get(city, -1), open_, education, years or 0, award)  # not given scores as none
         for pk, city, open_, education, years, award
         in in_pool.order_by("pk").values_list("pk", "city", "open_to_offers", "education", "years_experience",
                                               "best_award").iterator(chunk_size=_CHUNK)),
        [("id", "i8"), ("city", "i2"), ("open", "?"), ("education", "i2"), ("years", "f8"), ("award", "i1")])
    holdings = _columns(_holdings(TalentHolding.objects.filter(talent__status=TalentStatus.IN_POOL).values_list(
        "talent_id", "occupation_code", "rung").iterator(chunk_size=_CHUNK)),
        [("talent", "i8"), ("code", "i8"), ("rung", "i1")])
    skills = _columns(
        ((t, p, r - 1 if r is not None and 1 <= r <= 8 else -1) for t, p, r in TalentSkill.objects.filter(
            talent__status=TalentStatus.IN_POOL).values_list("talent_id", "skill_point_id", "rung").iterator(
            chunk_size=_CHUNK)), [("talent", "i8"), ("point", "i8"), ("rung", "i1")])
    ids = talents["id"]
    points, point_number = np.unique(skills["point"], return_inverse=True)
    return TalentIndex.from_columns(
        talent_ids=ids, city=talents["city"], cities=_CITIES, open_to_offers=talents["open"],
        education=talents["education"], years=talents["years"], award=talents["award"],
        holding_talent=np.searchsorted(ids, holdings["talent"]), holding_occupation=holdings["code"],
        holding_rung=holdings["rung"], skill_talent=np.searchsorted(ids, skills["talent"]),
        skill_point=point_number, skill_points=tuple(str(int(p)) for p in points),
        skill_rung=skills["rung"], version=version,
    )


def talent_index(*, inline_up_to: int = INLINE_REBUILD_MAX) -> TalentIndex:
    """The process's index of the pool (module docstring): the cached one while the pool version stands; after a
    write, a small pool (at most `inline_up_to` talents) is rebuilt before answering, a large one is answered from
    the previous index while one background thread rebuilds it, so no request waits seconds for the build (and,
    under ASGI, no other sync view waits behind it)."""
    version = pool_version()
    cached = _cache
    if cached is not None and cached[0] == version:
        return cached[1]
    if cached is not None and len(cached[1]) > inline_up_to:
        _rebuild_in_background()
        return cached[1]
    with _build_lock:
        cached = _cache
        if cached is not None and cached[0] == version:
            return cached[1]
        return _build_and_keep(version)


def _build_and_keep(version: int) -> TalentIndex:
    global _cache
    index = build_index(version)
    with _state_lock:
        _cache = (version, index)
    return index


def _rebuild_in_background() -> None:
    global _rebuilding
    with _state_lock:
        if _rebuilding is not None and _rebuilding.is_alive():
            return  # one rebuild at a time: it reads the version when it starts, and the next read checks again
        _rebuilding = threading.Thread(target=_rebuild, name="talent-index-rebuild", daemon=True)
        _rebuilding.start()


def _rebuild() -> None:
    try:
        with _build_lock:
            version = pool_version()
            cached = _cache
            if cached is None or cached[0] != version:
                _build_and_keep(version)
    except Exception:
        logger.exception("rebuilding the talent index failed; the previous one stays in use")
    finally:
        connections.close_all()  # this thread's own database connection


def wait_for_rebuild(timeout: float | None = None) -> None:
    """Until the background rebuild, if one runs, has finished (tests, and a shutdown that wants it done)."""
    thread = _rebuilding
    if thread is not None:
        thread.join(timeout)


def forget_index() -> None:
    """Drop the process's index (tests whose rolled-back database reuses a version number)."""
    global _cache
    wait_for_rebuild()
    with _state_lock:
        _cache = None


# --- a post as the domain reads it --------------------------------------------------------------------------------

def post_weights(post: DemandPost) -> Weights | None:
    """The post's own weights, or None for the defaults; refuses a malformed set (`match.bad_weights`)."""
    if not post.weights:
        return None
    names = {f.name for f in fields(Weights)}
    given = post.weights
    if not isinstance(given, dict) or not set(given) <= names or not all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in given.values()):
        raise RuleBroken("match.bad_weights", {}, "Weights must be non-negative with a positive sum.")
    weights = Weights(**{name: float(value) for name, value in given.items()})
    weights.normalised()  # refuses negative or all-zero weights here, not in the middle of a ranking
    return weights


def post_query(post: DemandPost) -> PostQuery:
    skills = list(DemandPostSkill.objects.filter(post=post).order_by("pk").values_list(
        "skill_point_id", "must_have", "required_rung"))
    return PostQuery(
        occupation=post.occupation_code,
        skill_points=tuple(str(p) for p, _must, _rung in skills),
        must_have=frozenset(str(p) for p, must, _rung in skills if must),
        skill_rungs={str(p): rung - 1 for p, _must, rung in skills if rung is not None and 1 <= rung <= 8},
        required_rung=post.required_rung - 1,
        required_education=post.education or None,
        required_years=float(post.years_experience),
        city=post.city or None,
        weights=post_weights(post),
    )


# --- labels ---------------------------------------------------------------------------------------------------------

def rung_label(rung: int) -> str:
    """The name of a domain level 0–7 (models' rung − 1) in the reader's language (certification's messages)."""
    return render_message(f"ladder.rung.{Rung(rung + 1).value}", {}, Rung(rung + 1).label_zh)


def _city_label(city: str) -> str:
    return str(City(city).label) if city in _CITIES else _("未填写")


def _award_label(value: int) -> str:
    return str(AwardKind(value).label)


def _experience_detail(years: int | None, required: int) -> str:
    """The experience factor's words: a talent who gave no years reads 未填写 (and scored as none)."""
    if years is None:
        return str(_("未填写，要求 %(required)d 年") % {"required": required} if required else _("未填写"))
    if required:
        return str(_("%(years)d 年，要求 %(required)d 年") % {"years": years, "required": required})
    return str(_("%(years)d 年") % {"years": years})


def _details(match: Match, post: DemandPost, talent: dict[str, Any], occupation_name: str,
             points: int) -> dict[str, str]:
    return {
        "occupation": f"{occupation_name}（{match.occupation}）",
        "skills": (_("掌握岗位技能点 %(held)d/%(points)d 项") % {"held": match.skill_points_held, "points": points}
                   if points else _("岗位未列技能点")),
        "level": _("%(held)s，要求%(required)s") % {"held": rung_label(match.rung),
                                                 "required": rung_label(post.required_rung - 1)},
        "experience": _experience_detail(talent["years"], post.years_experience),
        "education": (_("%(held)s，要求%(required)s") % {"held": Education(talent["education"]).label,
                                                       "required": Education(post.education).label}
                      if post.education else str(Education(talent["education"]).label)),
        "place": _city_label(talent["city"]),
        "awards": _award_label(talent["award"]),
    }


def lift_sentence(lift: Lift, *, occupation_name: str, post: DemandPost, award: int) -> str:
    """The Chinese sentence of a lift: "若焊工等级再高一级，将升至第 3 名"."""
    rank = lift.new_rank
    if lift.change == "level+1":
        return _("若%(occupation)s等级再高一级，将升至第 %(rank)d 名") % {"occupation": occupation_name, "rank": rank}
    if lift.change == "occupation=post":
        return _("若持有本岗位职业（%(occupation)s）的同等级，将升至第 %(rank)d 名") % {
            "occupation": post.occupation_name, "rank": rank}
    if lift.change == "skills+1":
        return _("若再掌握一项岗位技能点，将升至第 %(rank)d 名") % {"rank": rank}
    if lift.change == "experience=required":
        return _("若工作经验达到 %(years)d 年，将升至第 %(rank)d 名") % {"years": post.years_experience, "rank": rank}
    if lift.change == "education=required":
        return _("若学历达到%(education)s，将升至第 %(rank)d 名") % {"education": Education(post.education).label,
                                                                "rank": rank}
    if lift.change == "place=city":
        return _("若在%(city)s工作，将升至第 %(rank)d 名") % {"city": _city_label(post.city), "rank": rank}
    return _("若获得更高一级奖项（%(award)s），将升至第 %(rank)d 名") % {
        "award": _award_label(min(award + 1, AwardKind.NATIONAL_MEDAL)), "rank": rank}


# --- the read -------------------------------------------------------------------------------------------------------

def _colleges(post: DemandPost, today: date) -> tuple[CollegeMatchView, ...]:
    """Colleges of the newest submitted supply checklist of each, matched by majors and graduates."""
    newest = _newest_submitted()
    if not newest:
        return ()
    chosen = {pk: college_id for pk, (college_id, _name) in newest.items()}
    names = {college_id: name for college_id, name in newest.values()}
    majors = list(SupplyMajor.objects.filter(checklist_id__in=chosen).order_by("pk").values_list(
        "pk", "checklist_id", "code", "name", "occupation_codes"))
    graduates: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for major_id, count, posts in GraduateRecord.objects.filter(
            checklist_id__in=chosen, year__gte=today.year - 3).values_list("major_id", "count", "posts"):
        graduates[major_id].append((count, posts))
    by_college: dict[int, list[MajorSupply]] = defaultdict(list)
    major_names: dict[tuple[int, str], str] = {}
    for pk, checklist_id, code, name, occupations in majors:
        college_id = chosen[checklist_id]
        codes = tuple(str(c) for c in occupations) if isinstance(occupations, list) else ()
        records = graduates.get(pk, [])
        by_college[college_id].append(MajorSupply(code, name, codes, sum(c for c, _p in records),
                                                  " ".join(p for _c, p in records if p)))
        major_names[(college_id, code)] = name
    supplies = [CollegeSupply(college_id, tuple(m)) for college_id, m in sorted(by_college.items())]
    ranked = match_colleges(post.occupation_code, f"{post.name} {post.occupation_name}", supplies, COLLEGES_K)
    return tuple(
        CollegeMatchView(m.college_id, names[m.college_id], m.score, m.major_code,
                         major_names[(m.college_id, m.major_code)], m.occupation, m.posts_text, m.graduates)
        for m in ranked)


def _talent_views(matches: list[Match], post: DemandPost, points: int) -> list[TalentMatchView]:
    """The matches as an enterprise reads them: two queries (the people, their holdings' names) for all of them."""
    ids = [m.talent_id for m in matches]
    people = {pk: (name or username, city, education, years, award) for pk, name, username, city, education, years,
              award in Talent.objects.filter(pk__in=ids).values_list(
                  "pk", "person__real_name", "person__username", "city", "education", "years_experience",
                  "best_award")}
    occupation_names = {(t, c): n for t, c, n in TalentHolding.objects.filter(talent_id__in=ids).values_list(
        "talent_id", "occupation_code", "occupation_name")}
    views = []
    for m in matches:
        name, city, education, years, award = people[m.talent_id]
        occupation_name = occupation_names.get((m.talent_id, m.occupation), m.occupation)
        details = _details(m, post, {"city": city, "education": education, "years": years, "award": award},
                           occupation_name, points)
        factors = tuple(FactorView(f.code, str(FACTOR_LABELS[f.code]), f.value, f.weight, f.contribution,
                                   details[f.code]) for f in m.factors)
        lifts = tuple(LiftView(lift.factor, lift.change, lift_sentence(lift, occupation_name=occupation_name,
                                                                       post=post, award=award),
                               lift.new_score, lift.new_rank)
                      for lift in m.lifts if lift.new_rank < m.rank)
        views.append(TalentMatchView(
            talent_id=m.talent_id, name=name, city=city, city_label=_city_label(city), rank=m.rank, score=m.score,
            occupation_code=m.occupation, occupation_name=occupation_name, rung=m.rung + 1,
            rung_label=rung_label(m.rung), factors=factors, lifts=lifts))
    return views


def post_matches(*, viewer: Any, post: DemandPost, k: int = DEFAULT_K, talent_id: int | None = None,
                 same_city_only: bool = False) -> PostMatches:
    """The post's top `k` talents, explained, with their lifts, and the colleges that supply it (module
    docstring); with `talent_id`, also that talent's explained match wherever they rank (`asked`, None when they
    are not a candidate); with `same_city_only`, only talents of the post's city are candidates. `viewer` has been
    checked by the caller; it decides nothing more here, since no field
    of these types is masked by role: contact data is never among them."""
    del viewer  # the access check is the caller's; kept so every read names its reader
    k = max(1, min(k, MAX_K))
    index = talent_index()
    query = replace(post_query(post), same_city_only=same_city_only)
    ranking = rank_post(index, query)
    matches = ranking.top(k)
    asked = ranking.explain(talent_id) if talent_id is not None else None
    views = _talent_views([*matches, *([asked] if asked else [])], post, len(query.skill_points))
    weights = (query.weights or Weights()).normalised()
    return PostMatches(
        post_id=post.pk, post_name=post.name, enterprise_name=post.checklist.enterprise_name,
        occupation_code=post.occupation_code, occupation_name=post.occupation_name,
        required_rung=post.required_rung, required_rung_label=rung_label(post.required_rung - 1),
        city_label=_city_label(post.city), same_city_only=same_city_only, candidates=len(ranking),
        pool_version=index.version,
        weights=tuple(WeightView(f, str(FACTOR_LABELS[f]), weights.of(f)) for f in FACTORS),
        talents=tuple(views[: len(matches)]), asked=views[-1] if asked else None,
        colleges=_colleges(post, timezone.localdate()),
    )


# --- needs ↔ offers -------------------------------------------------------------------------------------------------

OFFERS_K = 5
OFFER_KIND_LABELS = {
    "course": gettext_lazy("培训课程"),
    "research": gettext_lazy("科研项目"),
    "equipment": gettext_lazy("开放设备"),
    "case": gettext_lazy("典型案例"),
}


@dataclass(frozen=True, slots=True)
class OfferView:
    """A college's offer matched to a need: its kind, row id, college, title and the text similarity."""

    kind: str
    kind_label: str
    offer_id: int
    college_id: int
    college_name: str
    title: str
    score: float


@dataclass(frozen=True, slots=True)
class NeedOffers:
    """One training or collaboration need of a demand checklist with the offers most like it, best first."""

    kind: str
    need_id: int
    text: str
    offers: tuple[OfferView, ...]


@dataclass(frozen=True, slots=True)
class ChecklistOffers:
    checklist_id: int
    enterprise_name: str
    training: tuple[NeedOffers, ...]
    collaboration: tuple[NeedOffers, ...]


def _newest_submitted() -> dict[int, tuple[int, str]]:
    """checklist id → (college id, college name) of the newest submitted supply checklist of each college."""
    newest: dict[int, tuple[int, int, str]] = {}
    for pk, college_id, year, name in SupplyChecklist.objects.filter(status=ChecklistStatus.SUBMITTED).values_list(
            "pk", "college_id", "year", "college_name"):
        if college_id not in newest or year > newest[college_id][1]:
            newest[college_id] = (pk, year, name)
    return {pk: (college_id, name) for college_id, (pk, _year, name) in newest.items()}


def _ranked(kind: str, needs: list[tuple[int, str, str]], offers: list[tuple[str, int, int, str, str]],
            colleges: dict[int, tuple[int, str]], k: int) -> tuple[NeedOffers, ...]:
    """Each need (id, shown text, compared text) with its best offers (kind, id, checklist, title, compared text)."""
    ranked = rank_offers([text for _id, _shown, text in needs], [text for *_rest, text in offers], k)
    return tuple(
        NeedOffers(kind, need_id, shown, tuple(
            OfferView(offers[i][0], str(OFFER_KIND_LABELS[offers[i][0]]), offers[i][1], colleges[offers[i][2]][0],
                      colleges[offers[i][2]][1], offers[i][3], score) for i, score in best))
        for (need_id, shown, _text), best in zip(needs, ranked, strict=True))


def checklist_offers(*, viewer: Any, checklist: DemandChecklist, k: int = OFFERS_K) -> ChecklistOffers:
    """A demand checklist's training needs matched to colleges' training courses, and its collaboration needs to
    their research projects, open equipment and cases (Chinese text similarity, talentpool.domain.text_similarity),
    read from the newest submitted supply checklist of each college. Only the public face of a college's supply
    is shown (titles; never its contact data). The caller has checked `viewer`."""
    del viewer
    colleges = _newest_submitted()
    training = [(pk, content, f"{content} {trainees}") for pk, content, trainees in TrainingNeed.objects.filter(
        checklist=checklist).order_by("position").values_list("pk", "content", "trainees")]
    collaboration = [(pk, problem, f"{problem} {goal} {wanted}") for pk, problem, goal, wanted in
                     CollaborationNeed.objects.filter(checklist=checklist).order_by("position").values_list(
                         "pk", "problem", "goal", "resources_wanted")]
    courses = [("course", pk, c, name, f"{name} {content}") for pk, c, name, content in TrainingCourse.objects.filter(
        checklist_id__in=colleges).order_by("pk").values_list("pk", "checklist_id", "name", "content")]
    research = [("research", pk, c, name, f"{name} {kind}") for pk, c, name, kind in ResearchProject.objects.filter(
        checklist_id__in=colleges).order_by("pk").values_list("pk", "checklist_id", "name", "kind")]
    equipment = [("equipment", pk, c, name, f"{name} {function}") for pk, c, name, function in
                 Equipment.objects.filter(checklist_id__in=colleges, open_to_enterprises=True).order_by("pk")
                 .values_list("pk", "checklist_id", "name", "function")]
    cases = [("case", pk, c, title, f"{title} {description}") for pk, c, title, description in
             CaseStudy.objects.filter(checklist_id__in=colleges).order_by("pk").values_list(
                 "pk", "checklist_id", "title", "description")]
    return ChecklistOffers(
        checklist_id=checklist.pk, enterprise_name=checklist.enterprise_name,
        training=_ranked("training", training, courses, colleges, k),
        collaboration=_ranked("collaboration", collaboration, research + equipment + cases, colleges, k),
    )
