"""Review period (公示), objections, titles and nominations (DESIGN.md "Titles", "Publication"; issue 4 item 6).

Standings are never typed in: `competitions.selectors.skill_standings` derives them from the marks' cached totals
with the pure ranking, awards, titles and promotion functions, and the skill's standings snapshot stores what they
derive (competitions.selectors.standings; checked against the marks by competitions.services.standings). What is
stored besides is what needs a person's act: an objection and its answer, a title proposal and its approval
(核准), a nomination (选拔).

When a skill is published (`publish_side_effects`, inside the transition's transaction) its results are frozen
(`published_results_freeze`), then the 技术能手 proposals of the frozen ranking are recorded, one per team member,
and when the skill is linked to a higher-level skill its top N places (ties at the boundary included) are nominated
there.

**Published results do not move** (DESIGN.md "Publication": published and immutable except by audited correction;
issue 9 item 3). Publication stores the whole public result as a document, `PublishedResults` version 1: every
row's names, unit, members, place, total, module scores, tie-break values and the deciding tie-break, theory,
practical, award, standardised score, title and promotion, with the modules' codes and names and the tie-break list;
its SHA-256 is recorded in the audit entry `competitions.results.published`. From then on the results page, the
API, the official-results export and a contestant's own results read that document, so a person or a unit renamed
later, or an event's award rule edited later, changes nothing that was published. The rows are append-only in the
database (migration 0007).

The one way to change published results is an approved correction of a mark (two people, competitions.services
.marking): inside its transaction `published_results_correct` checks the whole skill against its marks again
(a mismatch refuses the correction) and stores the next version from the corrected standings, audited as
`competitions.results.corrected` with the old and new hash, every changed figure and the correction's reason; the
results then say they were corrected, when and why. Choices where DESIGN.md is silent (tested):
- a corrected version keeps each entry's names, unit and members as published (a correction concerns a mark, not
  who competed); only the figures and places follow the corrected marks;
- titles proposed and nominations recorded at publication are not withdrawn or re-proposed by a later correction:
  both are acts of people (核准, 选拔) that the organizer revisits; the audit entry names every changed place;
- a version is stored for every approved correction, even one whose rounded figures did not change, so the
  results say a correction was made.

**Promotions (竞赛晋级) are recorded in certification** (issue 12 item 2; DESIGN.md "Promotion"): when a skill
linked to a catalogue occupation is published, each member of each published row gets the promotion the pure
`competitions.domain.promotion.promotion_for` gives for the row's place, award and total and for the level the
member holds in that occupation on the competition's last day (certification's one selector, `held_levels`, leaving
out what this skill's own results gave), recorded through `certification.services.competition_promotions_sync`
as a held level pointing at the published entry, obtained on the publication day. Publishing again records
nothing twice. An approved correction of published results reconciles them in its transaction: a promotion the
corrected results no longer give is withdrawn with the correction's reason (kept, never deleted), a new one is
recorded, an unchanged one is left as it was (real practice: the promotion follows the officially published list,
and an official correction of the list revises it). A skill linked to no occupation promotes nobody in
certification (its rows still show the table's promotion).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.actors import Actor
from accounts.models import User
from accounts.permissions import require
from audit.services import audit_record
from certification.selectors import held_levels
from certification.services import PromotionRecord, competition_promotions_sync
from competitions import access
from competitions.domain import objections, promotion
from competitions.domain.awards import AwardCode
from competitions.models import (
    Entry,
    EntryMember,
    MarkCorrection,
    Module,
    Nomination,
    Objection,
    PublishedResults,
    Skill,
    Status,
    TitleProposal,
)
from competitions.permissions import Action
from competitions.selectors.results import standing_view, tie_break_codes, tie_documents
from competitions.selectors.standings import compare_rows, snapshot_refresh
from competitions.services.standings import standings_check_or_refuse
from competitions.signals import results_published_on_commit
from core.errors import Conflict, FieldError, ValidationFailed

DOCUMENT_FORMAT = 1
# The figures a correction may move, compared between versions for its audit entry (names and units never move).
FIGURES = ("place", "total", "practical", "theory", "module_scores", "completion_us", "award", "standardised_score",
           "title_scope", "promotion_level")


def _hash(document: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(document, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _document(skill: Skill, *, now: datetime, previous: PublishedResults | None, reason: str) -> dict[str, Any]:
    """The public result of the skill as it stands, in the stored form (module docstring): the snapshot's rows,
    rebuilt from the entries' caches, which the whole-skill check just compared with the marks."""
    snapshot = snapshot_refresh(skill, force=True)  # waits for a rebuild under way: always a snapshot
    assert snapshot is not None  # noqa: S101 - a waiting refresh always returns one
    rows = [dict(r) for r in snapshot.rows]
    kept = {r["entry"]: r for r in previous.document["rows"]} if previous is not None else {}
    members: dict[int, list[dict[str, Any]]] = {}
    for member in EntryMember.objects.filter(entry__skill=skill).select_related("person").order_by("id"):
        members.setdefault(member.entry_id, []).append({"person": member.person_id, "name": str(member.person)})
    for row in rows:
        before = kept.get(row["entry"])
        if before is not None:  # a correction: who competed stays as published
            row["names"], row["unit"], row["members"] = before["names"], before["unit"], before["members"]
        else:
            row["members"] = members.get(row["entry"], [])
    codes = tie_break_codes(skill)
    notes = tie_documents([standing_view(r, names=False) for r in rows], codes, snapshot.modules)
    for row, note in zip(rows, notes, strict=True):
        row["tie"] = note
    names = dict(Module.objects.filter(scheme__skill=skill).values_list("code", "name"))
    corrections = list(previous.document["corrections"]) if previous is not None else []
    if previous is not None:
        corrections.append({"version": previous.version + 1, "published_at": now.isoformat(), "reason": reason})
    return {
        "format": DOCUMENT_FORMAT,
        "skill_name": previous.document["skill_name"] if previous is not None else skill.name,
        "event_name": previous.document["event_name"] if previous is not None else skill.event.name,
        "published_at": previous.document["published_at"] if previous is not None else now.isoformat(),
        "modules": [{"code": code, "name": names.get(code, "")} for code in snapshot.modules],
        "tie_breaks": codes, "rows": rows, "corrections": corrections,
    }


def published_results_freeze(*, skill: Skill, actor: Actor, now: datetime) -> PublishedResults:
    """Store version 1 of the skill's published results (module docstring), inside the publishing transition's
    transaction, after its whole-skill check; audited with the document's hash."""
    document = _document(skill, now=now, previous=None, reason="")
    published = PublishedResults.objects.create(
        skill=skill, version=1, published_at=now, published_by=actor if isinstance(actor, User) else None,
        document=document, content_hash=_hash(document),
    )
    audit_record(actor=actor, action="competitions.results.published", target=skill,
                 new={"version": 1, "content_hash": published.content_hash, "rows": len(document["rows"])})
    return published


def published_results_correct(*, actor: User, skill_id: int, correction: MarkCorrection) -> PublishedResults | None:
    """After an approved correction of a mark of a published skill, inside its transaction: the whole skill is
    checked against its marks again (a mismatch refuses the correction) and the next version of its published
    results is stored and audited with the correction's reason (module docstring). None for a skill not published
    (its results are not frozen yet) or published before results were frozen."""
    skill = Skill.objects.select_related("event", "scheme").get(pk=skill_id)
    if skill.status not in (Status.PUBLISHED, Status.ARCHIVED):
        return None
    # Two corrections of one skill approved at once would both make the same next version: the latest is locked.
    previous = PublishedResults.objects.select_for_update().filter(skill=skill).order_by("-version").first()
    if previous is None:
        return None
    standings_check_or_refuse(actor=actor, skill=skill, scope="correction")
    now = timezone.now()
    document = _document(skill, now=now, previous=previous, reason=correction.reason)
    published = PublishedResults.objects.create(
        skill=skill, version=previous.version + 1, published_at=now, published_by=actor, document=document,
        content_hash=_hash(document), reason=correction.reason, correction=correction,
    )
    changed = compare_rows(previous.document["rows"], document["rows"], fields=FIGURES)
    audit_record(
        actor=actor, action="competitions.results.corrected", target=skill,
        old={"version": previous.version, "content_hash": previous.content_hash},
        new={"version": published.version, "content_hash": published.content_hash, "correction": correction.pk,
             "changed": [asdict(m) for m in changed]},
        reason=correction.reason,
    )
    promotions_sync(skill=skill, actor=actor, rows=document["rows"], now=now, reason=correction.reason)
    # The people of both versions: one a correction removed from the awards must be checked too.
    results_published_on_commit(skill.pk, [m["person"] for doc in (previous.document, document)
                                           for r in doc["rows"] for m in r["members"]])
    return published


def promotions_sync(*, skill: Skill, actor: Actor, rows: list[dict[str, Any]], now: datetime,
                    reason: str = "") -> None:
    """Record in certification the promotion of every member of the published rows, or reconcile them after a
    correction (module docstring, "Promotions"); nothing for a skill linked to no occupation."""
    if skill.occupation_id is None:
        return
    event = skill.event
    entries = {e.pk: e for e in Entry.objects.filter(pk__in=[r["entry"] for r in rows])}
    held = held_levels([m["person"] for r in rows for m in r["members"]], skill.occupation_id, on=event.ends_on,
                       excluding=list(entries.values()))
    records = []
    for row in rows:
        award = AwardCode(row["award"]) if row["award"] else None
        for member in row["members"]:
            promoted = promotion.promotion_for(event.level, row["place"], award, Decimal(row["total"]),
                                               held=held.get(member["person"]), min_total=event.min_total)
            if promoted is not None:
                records.append(PromotionRecord(
                    person_id=member["person"], level=promoted.level, source=entries[row["entry"]],
                    label=f"{event.name} · {skill.name}（{skill.get_group_display()}）· {row['place']}",
                ))
    competition_promotions_sync(actor=actor, occupation_id=skill.occupation_id, sources=list(entries.values()),
                                promotions=records, obtained_on=timezone.localdate(now), reason=reason)


def publish_side_effects(*, skill: Skill, actor: Actor, now: datetime) -> None:
    """Freeze the results of a skill being published, then record the title proposals and nominations of the
    frozen ranking, and the promotions in certification (module docstring)."""
    rows = published_results_freeze(skill=skill, actor=actor, now=now).document["rows"]
    promotions_sync(skill=skill, actor=actor, rows=rows, now=now)
    results_published_on_commit(skill.pk, [m["person"] for r in rows for m in r["members"]])
    for row in rows:
        if row["title_scope"] is None:
            continue
        for member in row["members"]:
            proposal, created = TitleProposal.objects.get_or_create(
                entry_id=row["entry"], person_id=member["person"],
                defaults={"scope": row["title_scope"], "place": row["place"], "proposed_at": now},
            )
            if created:
                audit_record(actor=actor, action="competitions.title.proposed", target=proposal,
                             new={"entry": row["entry"], "person": member["person"], "scope": row["title_scope"],
                                  "place": row["place"]})
    if skill.nominates_to_id is not None and skill.nominate_top:
        # A nomination names a person: the one who published, or for the system actor the decrypting officer.
        creator = actor if isinstance(actor, User) else (
            User.objects.filter(pk=skill.decrypted_by_id).first() if skill.decrypted_by_id is not None else None
        )
        for row in rows:
            place = row["place"]
            if place > skill.nominate_top or creator is None:
                continue
            nomination, created = Nomination.objects.get_or_create(
                from_entry_id=row["entry"], to_skill_id=skill.nominates_to_id,
                defaults={"place": place, "created_by": creator, "created_at": now},
            )
            if created:
                audit_record(actor=actor, action="competitions.nomination.recorded", target=nomination,
                             new={"entry": row["entry"], "to_skill": skill.nominates_to_id, "place": place})


@transaction.atomic(durable=True)
def objection_file(*, person: User, entry_id: int, text: str) -> Objection:
    """A real-name objection to a result during the review period (公示期), from someone the entry concerns, one
    open objection per person and entry, a few within minutes (competitions.domain.objections)."""
    entry = access.access_entry_for_objection(person, entry_id)
    # One person's objections are filed one after another, so the count of recent ones is exact.
    User.objects.select_for_update(of=("self",)).filter(pk=person.pk).first()
    now = timezone.now()
    mine = Objection.objects.filter(filed_by=person)
    refusal = objections.objection_refusal(
        access.objector(person, entry), has_open=mine.filter(entry=entry, answered_at__isnull=True).exists(),
        filed_at=mine.filter(filed_at__gte=now - objections.WINDOW).values_list("filed_at", flat=True), now=now,
    )
    if refusal is not None:
        raise refusal
    if not (person.real_name and person.id_number):
        raise ValidationFailed([FieldError("filed_by", "objection.real_name_required")])
    if not text.strip():
        raise ValidationFailed([FieldError("text", "field.required")])
    if entry.skill.status != Status.REVIEW:
        raise Conflict("objection.not_in_review")
    objection = Objection.objects.create(entry=entry, filed_by=person, text=text.strip(), filed_at=now)
    audit_record(actor=person, action="competitions.objection.filed", target=objection,
                 new={"entry": entry.pk, "text": objection.text})
    return objection


@transaction.atomic(durable=True)
def objection_answer(*, chief: User, objection: Objection, answer: str) -> Objection:
    """The chief referee answers an objection with a reason; publication waits for every answer."""
    objection = Objection.objects.select_for_update(of=("self",)).select_related("entry__skill").get(pk=objection.pk)
    access.require_chief(chief, objection.entry.skill)
    if objection.answered_at is not None:
        raise Conflict("objection.already_answered")
    if not answer.strip():
        raise ValidationFailed([FieldError("answer", "objection.answer_required")])
    objection.answer, objection.answered_by, objection.answered_at = answer.strip(), chief, timezone.now()
    objection.save(update_fields=["answer", "answered_by", "answered_at"])
    audit_record(actor=chief, action="competitions.objection.answered", target=objection,
                 new={"answer": objection.answer})
    return objection


@transaction.atomic(durable=True)
def title_approve(*, actor: Actor, proposal: TitleProposal) -> TitleProposal:
    """The organizer records the approval (核准) of a 技术能手 proposal; from then on the title is effective."""
    proposal = (TitleProposal.objects.select_for_update(of=("self",)).select_related("entry__skill__event")
                .get(pk=proposal.pk))
    require(actor, Action.TITLE_APPROVE, proposal.entry.skill.event)
    if proposal.approved_at is not None:
        raise Conflict("title.already_approved")
    proposal.approved_by = actor if isinstance(actor, User) else None
    proposal.approved_at = timezone.now()
    proposal.save(update_fields=["approved_by", "approved_at"])
    audit_record(actor=actor, action="competitions.title.approved", target=proposal,
                 old={"approved_at": None}, new={"approved_at": proposal.approved_at})
    return proposal
