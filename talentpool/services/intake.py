"""Intake (入库, issue 14 item 1; DESIGN.md "Talent pool" → "Intake"): bring people into the pool from the sources
the policy in force names, record each source, and take people out when their sources no longer stand.

`talent_intake_run` reads upstream facts only through certification's and competitions' selectors (the levels of
the people, the award lines of the newest published results), lets `talentpool.domain.intake` decide, and
reconciles the stored rows with the decision in one transaction:
- a qualifying source not yet recorded is recorded (`TalentSource`, `source_ref` naming the upstream row); the
  person's Talent is created with the first one;
- a recorded source that no longer qualifies is withdrawn with the reason: the upstream's own (a revoked
  certificate withdraws its level in certification with "证书 … 已撤销：…", a lapsed appointment), "公布成绩已更正"
  for an award line a correction removed, else "不再符合入库规则" (the policy changed); a withdrawn source that
  qualifies again (the corrected result restored it) stands again;
- holdings and the best award are recomputed from the standing levels and sources; a talent with no standing
  source leaves the pool (status out, left_at, left_reason), one who qualifies again comes back.
Nothing changed, nothing is written: the run is idempotent (no row, no audit entry, no version bump). Every change
is audited under `talentpool.intake.*`, and `PoolVersion.bump()` runs once when the pool changed.

Triggers: certification's `certificates_changed` and competitions' `results_published` signals (sent on commit)
enqueue `talentpool.tasks.intake_run` with the people concerned (talentpool.apps); the admin may run it for all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from accounts.actors import Actor
from accounts.models import User
from accounts.permissions import require
from audit.services import audit_record
from certification.selectors.levels import LevelRecord, levels_of_people, people_holding_at_least
from competitions.selectors.awards import AwardLine, award_lines
from core.errors import FieldError, ValidationFailed
from talentpool.domain import intake as dom
from talentpool.models import (
    IndustryChain,
    IntakePolicy,
    PoolVersion,
    Talent,
    TalentHolding,
    TalentSource,
    TalentStatus,
)
from talentpool.permissions import Action


@dataclass(slots=True)
class IntakeReport:
    policy_id: int
    checked: int = 0
    entered: list[int] = field(default_factory=list)  # person ids
    left: list[int] = field(default_factory=list)
    sources_recorded: int = 0
    sources_withdrawn: int = 0
    holdings_changed: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.entered or self.left or self.sources_recorded or self.sources_withdrawn
                    or self.holdings_changed)


def policy_in_force() -> IntakePolicy:
    policy = IntakePolicy.objects.order_by("-created_at", "-pk").first()
    if policy is None:  # the seed migration makes one; a database emptied by hand gets the defaults again
        policy = IntakePolicy.objects.create(award_codes=list(dom.AWARD_LABELS), reason="默认入库规则（DESIGN.md）")
    return policy


def domain_policy(policy: IntakePolicy) -> dom.Policy:
    return dom.Policy(min_competition_level=policy.min_competition_level,
                      award_codes=frozenset(str(c) for c in policy.award_codes),
                      include_titles=policy.include_titles, min_certificate_rung=policy.min_certificate_rung,
                      include_appointments=policy.include_appointments)


def _level_fact(r: LevelRecord) -> dom.LevelFact:
    return dom.LevelFact(id=r.id, occupation_code=r.occupation_code, occupation_name=r.occupation_name, rung=r.rung,
                         kind=r.source_kind, label=r.source_label, obtained_on=r.obtained_on, standing=r.standing,
                         ended_reason=r.ended_reason)


def _award_fact(a: AwardLine) -> dom.AwardFact:
    return dom.AwardFact(skill_id=a.skill_id, entry_id=a.entry_id, event_name=a.event_name, skill_name=a.skill_name,
                         competition_level=a.competition_level, award_code=a.award_code, title_scope=a.title_scope,
                         place=a.place, occupation_code=a.occupation_code, occupation_name=a.occupation_name,
                         published_on=a.published_on)


def _withdrawal_reason(ref: str, decision: dom.Decision) -> str:
    if ref in decision.ended:
        return decision.ended[ref]
    if ref.startswith(("published:", "title:")):
        return "公布成绩已更正，不再列有此奖项"
    return "不再符合入库规则"


@transaction.atomic(durable=True)
def talent_intake_run(*, actor: Actor, person_ids: Iterable[int] | None = None) -> IntakeReport:
    """Run intake for `person_ids` (everyone with a possible source, and everyone in the pool, when None): see the
    module docstring. Returns what changed."""
    require(actor, Action.INTAKE_RUN)
    policy = policy_in_force()
    rules = domain_policy(policy)
    today = timezone.localdate()
    if person_ids is None:
        lowest = min(rules.min_certificate_rung, 7) if rules.include_appointments else rules.min_certificate_rung
        ids = set(people_holding_at_least(lowest, on=today))
        lines = award_lines(None)
        ids |= {line.person_id for line in lines}
        ids |= set(Talent.objects.values_list("person_id", flat=True))
    else:
        ids = set(person_ids)
        lines = award_lines(ids)
    levels = levels_of_people(ids, on=today)
    awards: dict[int, list[AwardLine]] = {}
    for line in lines:
        awards.setdefault(line.person_id, []).append(line)
    talents = {t.person_id: t for t in Talent.objects.select_for_update().filter(person_id__in=ids)}
    sources: dict[int, dict[str, TalentSource]] = {}
    holdings: dict[int, dict[str, TalentHolding]] = {}
    talent_ids = [t.pk for t in talents.values()]
    for s in TalentSource.objects.filter(talent_id__in=talent_ids):
        sources.setdefault(s.talent_id, {})[s.source_ref] = s
    for h in TalentHolding.objects.filter(talent_id__in=talent_ids):
        holdings.setdefault(h.talent_id, {})[h.occupation_code] = h
    report = IntakeReport(policy_id=policy.pk)
    now = timezone.now()
    for person_id in sorted(ids):
        report.checked += 1
        decision = dom.intake_decide(rules, [_level_fact(r) for r in levels.get(person_id, [])],
                                     [_award_fact(a) for a in awards.get(person_id, [])])
        talent = talents.get(person_id)
        if talent is None:
            if not decision.qualifies:
                continue
            talent = Talent.objects.create(person_id=person_id, entered_at=now, updated_at=now)
            audit_record(actor=actor, action="talentpool.intake.entered", target=talent,
                         new={"person": person_id, "policy": policy.pk,
                              "sources": [s.ref for s in decision.sources]})
            report.entered.append(person_id)
        _reconcile(actor=actor, talent=talent, decision=decision, policy=policy, now=now, report=report,
                   recorded=sources.get(talent.pk, {}), held=holdings.get(talent.pk, {}))
    if report.changed:
        PoolVersion.bump()
    return report


def _reconcile(*, actor: Actor, talent: Talent, decision: dom.Decision, policy: IntakePolicy, now: datetime,
               report: IntakeReport, recorded: dict[str, TalentSource], held: dict[str, TalentHolding]) -> None:
    wanted = {s.ref: s for s in decision.sources}
    for ref, q in wanted.items():
        source = recorded.get(ref)
        if source is None:
            source = TalentSource.objects.create(
                talent=talent, kind=q.kind, source_ref=ref, label=q.label, occupation_code=q.occupation_code,
                occupation_name=q.occupation_name[:100], rung=q.rung, award=int(q.award), obtained_on=q.obtained_on,
                policy=policy, recorded_at=now)
            recorded[ref] = source
            audit_record(actor=actor, action="talentpool.intake.source_recorded", target=source,
                         new={"talent": talent.pk, "ref": ref, "kind": q.kind, "label": q.label, "policy": policy.pk})
            report.sources_recorded += 1
        elif source.withdrawn_at is not None:
            old = {"withdrawn_at": source.withdrawn_at, "withdrawn_reason": source.withdrawn_reason}
            source.withdrawn_at, source.withdrawn_reason = None, ""
            source.save(update_fields=["withdrawn_at", "withdrawn_reason"])
            audit_record(actor=actor, action="talentpool.intake.source_restored", target=source, old=old,
                         new={"withdrawn_at": None})
            report.sources_recorded += 1
    for ref, source in recorded.items():
        if ref in wanted or source.withdrawn_at is not None:
            continue
        source.withdrawn_at, source.withdrawn_reason = now, _withdrawal_reason(ref, decision)[:2000]
        source.save(update_fields=["withdrawn_at", "withdrawn_reason"])
        audit_record(actor=actor, action="talentpool.intake.source_withdrawn", target=source,
                     old={"withdrawn_at": None}, new={"withdrawn_at": now}, reason=source.withdrawn_reason)
        report.sources_withdrawn += 1
    standing = [s for s in recorded.values() if s.withdrawn_at is None]
    # Holdings: only while the person is in (an out talent keeps what it had, for the history).
    if standing:
        old_holdings = {code: h.rung for code, h in held.items()}
        new_holdings = {code: rung for code, (_name, rung) in decision.holdings.items()}
        if old_holdings != new_holdings:
            for code, h in held.items():
                if code not in new_holdings:
                    h.delete()
                elif h.rung != new_holdings[code]:
                    h.rung = new_holdings[code]
                    h.save(update_fields=["rung"])
            for code, (name, rung) in decision.holdings.items():
                if code not in held:
                    TalentHolding.objects.create(talent=talent, occupation_code=code, occupation_name=name[:100],
                                                 rung=rung)
            audit_record(actor=actor, action="talentpool.intake.holdings_changed", target=talent,
                         old=old_holdings, new=new_holdings)
            report.holdings_changed += 1
    best = max((s.award for s in standing), default=0)
    fields: list[str] = []
    if talent.best_award != best:
        audit_record(actor=actor, action="talentpool.intake.award_changed", target=talent,
                     old={"best_award": talent.best_award}, new={"best_award": best})
        talent.best_award = best
        fields.append("best_award")
    if not standing and talent.status == TalentStatus.IN_POOL:
        reasons = sorted({s.withdrawn_reason for s in recorded.values() if s.withdrawn_reason})
        talent.status, talent.left_at = TalentStatus.OUT, now
        talent.left_reason = "；".join(reasons)[:2000] or "入库依据均已撤销"
        fields += ["status", "left_at", "left_reason"]
        audit_record(actor=actor, action="talentpool.intake.left", target=talent, old={"status": "in_pool"},
                     new={"status": "out"}, reason=talent.left_reason)
        report.left.append(talent.person_id)
    elif standing and talent.status == TalentStatus.OUT:
        audit_record(actor=actor, action="talentpool.intake.entered", target=talent,
                     old={"status": "out", "left_reason": talent.left_reason}, new={"status": "in_pool"})
        talent.status, talent.left_at, talent.left_reason = TalentStatus.IN_POOL, None, ""
        fields += ["status", "left_at", "left_reason"]
        report.entered.append(talent.person_id)
    if fields:
        talent.updated_at = timezone.now()
        talent.save(update_fields=[*fields, "updated_at"])


@transaction.atomic(durable=True)
def intake_policy_change(*, actor: Actor, min_competition_level: str, award_codes: Iterable[str],
                         include_titles: bool, min_certificate_rung: int, include_appointments: bool,
                         reason: str) -> IntakePolicy:
    """A new policy row, in force from now (the old rows stay: every source names the policy that let it in);
    audited with the reason. The next intake run applies it (the admin may run it at once)."""
    require(actor, Action.INTAKE_POLICY_MANAGE)
    codes = sorted(set(award_codes))
    errors = []
    if not reason.strip():
        errors.append(FieldError("reason", "talentpool.intake.reason_required"))
    if not 1 <= min_certificate_rung <= 8:
        errors.append(FieldError("min_certificate_rung", "talentpool.intake.rung_range"))
    if min_competition_level not in dom.COMPETITION_ORDER:
        errors.append(FieldError("min_competition_level", "talentpool.intake.level_unknown"))
    if any(code not in dom.AWARD_LABELS for code in codes):
        errors.append(FieldError("award_codes", "talentpool.intake.award_unknown"))
    if errors:
        raise ValidationFailed(errors)
    old = policy_in_force()
    policy = IntakePolicy.objects.create(
        min_competition_level=min_competition_level, award_codes=codes, include_titles=include_titles,
        min_certificate_rung=min_certificate_rung, include_appointments=include_appointments,
        created_at=timezone.now(), created_by=actor if isinstance(actor, User) else None, reason=reason.strip())
    fields = ("min_competition_level", "award_codes", "include_titles", "min_certificate_rung",
              "include_appointments")
    audit_record(actor=actor, action="talentpool.intake.policy_changed", target=policy,
                 old={f: getattr(old, f) for f in fields}, new={f: getattr(policy, f) for f in fields},
                 reason=policy.reason)
    return policy


@transaction.atomic(durable=True)
def chain_create(*, actor: Actor, code: str, name: str) -> IndustryChain:
    """An admin adds a flagship industry chain (DESIGN.md: the 12 seeded, admins add the rest)."""
    require(actor, Action.CHAIN_MANAGE)
    code, name = code.strip().lower(), name.strip()
    errors = []
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,39}", code):
        errors.append(FieldError("code", "talentpool.chain.code_invalid"))
    if not name or len(name) > 50:
        errors.append(FieldError("name", "talentpool.chain.name_required"))
    if errors:
        raise ValidationFailed(errors)
    if IndustryChain.objects.filter(Q(code=code) | Q(name=name)).exists():
        raise ValidationFailed([FieldError("name", "talentpool.chain.exists")])
    position = (IndustryChain.objects.aggregate(m=Max("position"))["m"] or 0) + 1
    chain = IndustryChain.objects.create(code=code, name=name, position=position, created_at=timezone.now())
    audit_record(actor=actor, action="talentpool.chain.created", target=chain, new={"code": code, "name": name})
    PoolVersion.bump()
    return chain
