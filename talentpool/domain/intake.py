"""Who comes into the talent pool and why (DESIGN.md "Talent pool" → "Intake"): pure, plain data in and out.

Given the policy in force and plain facts about one person — their levels (standing or ended, with the reason
they ended), their published award lines — `intake_decide` answers which sources qualify (each with its stable
reference, kind and a Chinese label), which sources that once qualified no longer stand (with the reason), the
holdings (occupation code → highest rung of the person's standing levels) and the best `AwardKind`.

Choices:
- Levels: a standing level at or above `min_certificate_rung` (二级/技师 by default) qualifies, whether it came from
  a certificate, a hand-recorded level (a certificate issued before the platform) or a competition promotion
  (DESIGN.md: a promotion counts as holding the level). An appointment (特级技师, 首席技师) qualifies when the
  policy includes appointments, whatever the rung threshold. The reference is the level's row ("level:<id>").
- Holdings count every standing level of the person, also those below the threshold (the matching index wants
  every occupation a person holds once the person is in), each occupation at its highest rung.
- Competitions: an award line qualifies when its event's level is at or above `min_competition_level` and its
  award code is one of the policy's. The order of levels, highest first: 世赛选拔, 国赛, 省级一类, 省级二类, 市级,
  then 行业, 企业, 院校 — industry, enterprise and college competitions rank below 市级, so under the default
  policy (市级 and above) they bring nobody in; an admin who sets the minimum to one of them lets them in.
- Awards counted (the awards factor of the match score): 世赛选拔 and 国赛 → national medal; 省级一类/二类 →
  provincial; 市级 → city; a 技术能手 title (全国 or 省) → title; industry, enterprise and college awards count as
  none (they may still bring a person in when the policy says so).
- A title line (a 技术能手 title proposed by a published ranking) qualifies when the policy includes titles.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import IntEnum

# Competition levels, highest first (competitions.domain.promotion.CompetitionLevel slugs: plain strings here).
COMPETITION_ORDER: tuple[str, ...] = ("worldskills_selection", "national", "provincial_1", "provincial_2", "city",
                                      "industry", "enterprise", "college")

LEVEL_LABELS: dict[str, str] = {
    "worldskills_selection": "世赛选拔", "national": "国赛", "provincial_1": "省级一类", "provincial_2": "省级二类",
    "city": "市级", "industry": "行业", "enterprise": "企业", "college": "院校",
}

AWARD_LABELS: dict[str, str] = {
    "gold": "金牌", "silver": "银牌", "bronze": "铜牌", "excellence": "优胜奖", "first_prize": "一等奖",
    "second_prize": "二等奖", "third_prize": "三等奖",
}

TITLE_LABELS: dict[str, str] = {"national": "全国技术能手", "provincial": "省技术能手"}

RUNG_LABELS: dict[int, str] = {1: "学徒工", 2: "五级/初级工", 3: "四级/中级工", 4: "三级/高级工", 5: "二级/技师",
                               6: "一级/高级技师", 7: "特级技师", 8: "首席技师"}


class Award(IntEnum):
    """talentpool.models.AwardKind's values (the domain imports no model)."""

    NONE = 0
    CITY_MEDAL = 1
    TITLE = 2
    PROVINCIAL_MEDAL = 3
    NATIONAL_MEDAL = 4


_AWARD_BY_LEVEL: dict[str, Award] = {
    "worldskills_selection": Award.NATIONAL_MEDAL, "national": Award.NATIONAL_MEDAL,
    "provincial_1": Award.PROVINCIAL_MEDAL, "provincial_2": Award.PROVINCIAL_MEDAL, "city": Award.CITY_MEDAL,
}


class Kind:
    """talentpool.models.SourceKind's values."""

    COMPETITION = "competition"
    TITLE = "title"
    CERTIFICATE = "certificate"
    APPOINTMENT = "appointment"


@dataclass(frozen=True, slots=True)
class Policy:
    min_competition_level: str = "city"
    award_codes: frozenset[str] = frozenset(AWARD_LABELS)
    include_titles: bool = True
    min_certificate_rung: int = 5
    include_appointments: bool = True


@dataclass(frozen=True, slots=True)
class LevelFact:
    """One of the person's levels (certification's record): `kind` is certification's source kind
    ("certificate", "competition_promotion", "appointment"); `standing` False once withdrawn or lapsed, with
    `ended_reason`."""

    id: int
    occupation_code: str
    occupation_name: str
    rung: int
    kind: str
    label: str
    obtained_on: date
    standing: bool = True
    ended_reason: str = ""


@dataclass(frozen=True, slots=True)
class AwardFact:
    """One line of a published result naming the person (the newest published version of the skill)."""

    skill_id: int
    entry_id: int
    event_name: str
    skill_name: str
    competition_level: str
    award_code: str | None
    title_scope: str | None
    place: int
    occupation_code: str
    occupation_name: str
    published_on: date


@dataclass(frozen=True, slots=True)
class Qualifying:
    ref: str  # TalentSource.source_ref: stable across runs
    kind: str
    label: str
    occupation_code: str
    occupation_name: str
    rung: int | None
    award: Award
    obtained_on: date


@dataclass(frozen=True, slots=True)
class Decision:
    sources: tuple[Qualifying, ...]
    ended: dict[str, str] = field(default_factory=dict)  # ref of a level that no longer stands → why
    holdings: dict[str, tuple[str, int]] = field(default_factory=dict)  # code → (name, highest rung)
    best_award: Award = Award.NONE

    @property
    def qualifies(self) -> bool:
        return bool(self.sources)


def level_at_least(level: str, minimum: str) -> bool:
    """True when competition level `level` is `minimum` or higher; unknown levels are below every known one."""
    if minimum not in COMPETITION_ORDER:
        return False
    if level not in COMPETITION_ORDER:
        return False
    return COMPETITION_ORDER.index(level) <= COMPETITION_ORDER.index(minimum)


def award_kind(competition_level: str) -> Award:
    return _AWARD_BY_LEVEL.get(competition_level, Award.NONE)


def level_ref(level_id: int) -> str:
    return f"level:{level_id}"


def award_ref(skill_id: int, entry_id: int) -> str:
    return f"published:{skill_id}:entry:{entry_id}"


def title_ref(skill_id: int, entry_id: int) -> str:
    return f"title:{skill_id}:entry:{entry_id}"


_LEVEL_KIND_LABELS = {"certificate": "职业技能等级", "competition_promotion": "竞赛晋级", "appointment": "评聘"}


def _level_source(policy: Policy, fact: LevelFact) -> Qualifying | None:
    if fact.kind == "appointment":
        if not policy.include_appointments:
            return None
        kind = Kind.APPOINTMENT
    else:
        if fact.rung < policy.min_certificate_rung:
            return None
        kind = Kind.COMPETITION if fact.kind == "competition_promotion" else Kind.CERTIFICATE
    what = _LEVEL_KIND_LABELS.get(fact.kind, "")
    label = f"{fact.occupation_name} {RUNG_LABELS.get(fact.rung, str(fact.rung))}（{what}{'：' if fact.label else ''}" \
            f"{fact.label}）"
    return Qualifying(ref=level_ref(fact.id), kind=kind, label=label[:300], occupation_code=fact.occupation_code,
                      occupation_name=fact.occupation_name, rung=fact.rung, award=Award.NONE,
                      obtained_on=fact.obtained_on)


def _award_sources(policy: Policy, fact: AwardFact) -> list[Qualifying]:
    found = []
    where = f"{fact.event_name} {fact.skill_name}"
    if (fact.award_code and fact.award_code in policy.award_codes
            and level_at_least(fact.competition_level, policy.min_competition_level)):
        label = f"{where}（{LEVEL_LABELS.get(fact.competition_level, fact.competition_level)}）" \
                f" {AWARD_LABELS.get(fact.award_code, fact.award_code)}"
        found.append(Qualifying(ref=award_ref(fact.skill_id, fact.entry_id), kind=Kind.COMPETITION, label=label[:300],
                                occupation_code=fact.occupation_code, occupation_name=fact.occupation_name,
                                rung=None, award=award_kind(fact.competition_level), obtained_on=fact.published_on))
    if fact.title_scope and policy.include_titles:
        label = f"{TITLE_LABELS.get(fact.title_scope, fact.title_scope)}（{where} 第 {fact.place} 名）"
        found.append(Qualifying(ref=title_ref(fact.skill_id, fact.entry_id), kind=Kind.TITLE, label=label[:300],
                                occupation_code=fact.occupation_code, occupation_name=fact.occupation_name,
                                rung=None, award=Award.TITLE, obtained_on=fact.published_on))
    return found


def intake_decide(policy: Policy, levels: Iterable[LevelFact], awards: Iterable[AwardFact]) -> Decision:
    """The person's qualifying sources, ended level sources, holdings and best award (module docstring)."""
    levels = list(levels)
    sources: list[Qualifying] = []
    ended: dict[str, str] = {}
    holdings: dict[str, tuple[str, int]] = {}
    for fact in levels:
        if not fact.standing:
            ended[level_ref(fact.id)] = fact.ended_reason or "等级已撤销"
            continue
        name, rung = holdings.get(fact.occupation_code, (fact.occupation_name, 0))
        if fact.rung > rung:
            holdings[fact.occupation_code] = (fact.occupation_name, fact.rung)
        source = _level_source(policy, fact)
        if source is not None:
            sources.append(source)
    for award in awards:
        sources.extend(_award_sources(policy, award))
    best = max((s.award for s in sources), default=Award.NONE)
    sources.sort(key=lambda s: (s.obtained_on, s.ref))
    return Decision(sources=tuple(sources), ended=ended, holdings=holdings, best_award=best)
