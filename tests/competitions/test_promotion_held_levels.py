"""Promotion by held level (DESIGN.md "Promotion"; issue 12 item 2): a published skill linked to a catalogue
occupation promotes each contestant from the level certification says they held on the competition's last day, and
records the promotion there as a held level pointing at the published entry; publishing again records nothing
twice; an approved correction of the published results moves the promotions with it (withdrawn, never deleted)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.actors import SYSTEM
from accounts.models import User
from audit.models import AuditEntry
from certification import services as certification_services
from certification.domain.ladder import SkillLevel
from certification.models import HeldLevel, Occupation, SourceKind
from certification.selectors import held_level
from competitions import services
from competitions.models import PublishedResults, Skill
from competitions.services.results import promotions_sync
from tests.competitions import steps
from tests.competitions.steps import Scenario

ALL = (SkillLevel.FIVE, SkillLevel.FOUR, SkillLevel.THREE, SkillLevel.TWO, SkillLevel.ONE)


def _linked(s: Scenario) -> Occupation:
    welder = certification_services.occupation_create(
        actor=SYSTEM, data=certification_services.OccupationData("6-18-02-04", "焊工", ALL))
    Skill.objects.filter(pk=s.skill.pk).update(occupation=welder, occupation_code="6-18-02-04")
    s.skill.refresh_from_db()
    return welder


def _member(s: Scenario, index: int) -> User:
    return s.entries[index].members.get().person


def _hold(person: User, welder: Occupation, level: SkillLevel, on: date) -> None:
    certification_services.held_level_record(actor=SYSTEM, person_id=person.pk, occupation_id=welder.pk,
                                             level=level, obtained_on=on, evidence="证书（测试）")


def test_publication_promotes_by_the_level_held_on_the_last_day_and_records_it(scenario: Scenario) -> None:
    s = scenario
    welder = _linked(s)
    ends = s.event.ends_on
    _hold(_member(s, 0), welder, SkillLevel.TWO, ends)  # holds the target (技师): one level up, 一级
    _hold(_member(s, 1), welder, SkillLevel.ONE, date(ends.year - 3, 1, 1))  # holds above: nothing
    _hold(_member(s, 2), welder, SkillLevel.TWO, ends + timedelta(days=10))  # after the last day: not counted
    steps.mark_review_publish(s)  # every entry alike: all share place 1 of a 省级一类 event (→ 技师)

    promotions = HeldLevel.objects.filter(source_kind=SourceKind.PROMOTION)
    got = {h.person_id: h.level for h in promotions}
    assert got == {_member(s, 0).pk: 1, _member(s, 2).pk: 2, _member(s, 3).pk: 2}
    first = promotions.get(person=_member(s, 0))
    assert first.source_id == s.entries[0].pk and first.source_type.model == "entry"
    s.refresh()
    assert s.skill.published_at is not None and first.obtained_on == timezone.localdate(s.skill.published_at)
    assert held_level(_member(s, 3), welder, on=date(ends.year + 2, 1, 1)) is SkillLevel.TWO
    assert AuditEntry.objects.filter(action="certification.promotion.recorded").count() == 3
    # The published row of the first contestant shows the level held counted.
    row = next(r for r in PublishedResults.objects.get(skill=s.skill).document["rows"]
               if r["entry"] == s.entries[0].pk)
    assert row["promotion_level"] == 1

    # Publishing again (the same document through the same path) records nothing twice.
    promotions_sync(skill=Skill.objects.select_related("event").get(pk=s.skill.pk), actor=s.organizer,
                    rows=PublishedResults.objects.get(skill=s.skill).document["rows"], now=s.skill.published_at)
    assert HeldLevel.objects.filter(source_kind=SourceKind.PROMOTION).count() == 3


def test_an_approved_correction_withdraws_a_promotion_the_results_no_longer_give(scenario: Scenario) -> None:
    s = scenario
    _linked(s)
    steps.mark_review_publish(s)
    entry = s.entries[0]
    person = entry.members.get().person
    assert HeldLevel.objects.get(person=person, source_kind=SourceKind.PROMOTION).level == 2
    a1 = entry.marks.get(aspect=s.aspects["A1"])
    correction = services.correction_request(actor=User.objects.get(pk=a1.referee_id), mark_id=a1.pk,
                                             new_value=Decimal(0), reason="复核发现焊缝尺寸超差")
    services.correction_approve(chief=s.chief, correction_id=correction.pk)

    rows = {r["entry"]: r for r in PublishedResults.objects.filter(skill=s.skill).latest("version").document["rows"]}
    now_level = rows[entry.pk]["promotion_level"]
    standing = HeldLevel.objects.filter(person=person, source_kind=SourceKind.PROMOTION, withdrawn_at__isnull=True)
    withdrawn = HeldLevel.objects.get(person=person, source_kind=SourceKind.PROMOTION, withdrawn_at__isnull=False)
    assert withdrawn.level == 2 and withdrawn.withdrawn_reason == "复核发现焊缝尺寸超差"
    assert [h.level for h in standing] == ([now_level] if now_level is not None else [])
    assert now_level != 2
    assert AuditEntry.objects.get(action="certification.promotion.withdrawn").actor_id == s.chief.pk
    # the others' promotions did not move
    others = HeldLevel.objects.filter(source_kind=SourceKind.PROMOTION, withdrawn_at__isnull=True).exclude(
        person=person)
    assert sorted(h.level for h in others) == [2, 2, 2]


def test_a_skill_linked_to_no_occupation_records_no_promotion(scenario: Scenario) -> None:
    steps.mark_review_publish(scenario)
    assert not HeldLevel.objects.exists()
