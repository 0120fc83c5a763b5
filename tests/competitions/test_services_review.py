"""The review stage through the services: objections and their answers, 技术能手 approval (核准), and nominations
(选拔) of a lower-level skill's top N into the linked skill of a higher-level event (DESIGN.md "Competitions":
levels, "Titles", "Publication")."""

from __future__ import annotations

import pytest

from accounts.models import User
from audit.models import AuditEntry
from competitions import selectors, services
from competitions.models import Entry, Nomination, TitleProposal
from competitions.selectors import review as selectors_review
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tests.accounts.factories import person
from tests.competitions import steps
from tests.competitions.steps import Scenario


def test_publishing_nominates_the_top_n_with_ties_at_the_boundary_into_the_linked_skill(scenario: Scenario) -> None:
    s = scenario
    target = steps.national_welding(s)
    steps.link_nomination(s, target, 2)
    steps.bring_to_review_with_a_tie(s)
    assert not Nomination.objects.exists()  # nothing is nominated before publication
    steps.publish(s)
    nominations = Nomination.objects.filter(to_skill=target).order_by("place", "from_entry_id")
    assert [(n.from_entry_id, n.place) for n in nominations] == [
        (s.entries[0].pk, 1), *sorted([(s.entries[1].pk, 2), (s.entries[2].pk, 2)]),
    ]
    assert {n.created_by_id for n in nominations} == {s.organizer.pk}
    audited = AuditEntry.objects.filter(action="competitions.nomination.recorded", actor=s.organizer)
    assert sorted(int(a.target_id) for a in audited) == sorted(n.pk for n in nominations)

    sent = selectors_review.event_nominations(viewer=s.organizer, event=s.event)
    received = selectors_review.event_nominations(viewer=s.organizer, event=target.event)
    assert [n.place for n in sent.sent] == [1, 2, 2] and sent.received == []
    assert received.received == sent.sent
    assert sent.sent[0].names == [s.entries[0].members.get().person.real_name]


def test_a_skill_without_a_link_nominates_nobody(scenario: Scenario) -> None:
    steps.bring_to_review_with_a_tie(scenario)
    steps.publish(scenario)
    assert not Nomination.objects.exists()


def test_only_the_organizer_sees_the_nominations(scenario: Scenario, hr_of_a: User, outsider: User) -> None:
    with pytest.raises(PermissionDenied):
        selectors_review.event_nominations(viewer=scenario.chief, event=scenario.event)  # of the unit, not staff
    for stranger in (hr_of_a, outsider):
        with pytest.raises(NotFound):
            selectors_review.event_nominations(viewer=stranger, event=scenario.event)


def test_title_approval_records_the_organizer_once_and_is_audited(scenario: Scenario, hr_of_b: User) -> None:
    s = scenario
    steps.bring_to_review_with_a_tie(s)
    steps.publish(s)
    proposals = list(TitleProposal.objects.filter(entry__skill=s.skill).order_by("place", "pk"))
    # 省级一类, 职工组: top 3 places are proposed, here places 1, 2, 2.
    assert [p.place for p in proposals] == [1, 2, 2]
    proposal = proposals[0]
    with pytest.raises(NotFound):
        services.title_approve(actor=hr_of_b, proposal=proposal)  # asked on the event: another unit's
    with pytest.raises(PermissionDenied):
        services.title_approve(actor=s.chief, proposal=proposal)  # of the organizer's unit, not its staff
    approved = services.title_approve(actor=s.organizer, proposal=proposal)
    approved.refresh_from_db()
    assert approved.approved_by == s.organizer and approved.approved_at is not None
    entry = AuditEntry.objects.get(action="competitions.title.approved", target_id=str(proposal.pk))
    assert entry.actor == s.organizer and entry.old == {"approved_at": None} and entry.new["approved_at"]
    with pytest.raises(Conflict) as twice:
        services.title_approve(actor=s.organizer, proposal=proposal)
    assert twice.value.code == "title.already_approved"
    assert AuditEntry.objects.filter(action="competitions.title.approved").count() == 1
    views = selectors_review.event_titles(viewer=s.organizer, event=s.event)
    assert [(v.place, v.approved_at is not None) for v in views] == [(1, True), (2, False), (2, False)]


def test_objections_are_real_name_answered_once_with_a_reason_and_audited(scenario: Scenario) -> None:
    s = scenario
    entry: Entry = s.entries[3]
    contestant = entry.members.get().person
    with pytest.raises(Conflict) as early:
        services.objection_file(person=contestant, entry_id=entry.pk, text="A1 漏评")
    assert early.value.code == "objection.not_in_review"
    steps.bring_to_review_with_a_tie(s)
    objection = services.objection_file(person=contestant, entry_id=entry.pk, text="A1 漏评，请复核")
    assert AuditEntry.objects.filter(action="competitions.objection.filed", actor=contestant).exists()
    with pytest.raises(ValidationFailed):
        services.objection_answer(chief=s.chief, objection=objection, answer="  ")
    with pytest.raises(PermissionDenied):
        services.objection_answer(chief=s.r1, objection=objection, answer="维持")
    services.objection_answer(chief=s.chief, objection=objection, answer="经复核录像，焊缝余高超差，维持 0 分。")
    objection.refresh_from_db()
    assert objection.answered_by == s.chief and objection.answered_at is not None
    assert objection.answer == "经复核录像，焊缝余高超差，维持 0 分。"
    audit = AuditEntry.objects.get(action="competitions.objection.answered", target_id=str(objection.pk))
    assert audit.actor == s.chief and audit.new == {"answer": objection.answer}
    with pytest.raises(Conflict) as twice:
        services.objection_answer(chief=s.chief, objection=objection, answer="再次答复")
    assert twice.value.code == "objection.already_answered"

    (mine,) = selectors_review.my_objections(person=contestant)
    assert mine.answer == objection.answer and mine.names == [contestant.real_name]
    assert [o.id for o in selectors_review.skill_objections(chief=s.chief, skill=s.skill)] == [objection.pk]
    with pytest.raises(PermissionDenied):
        selectors_review.skill_objections(chief=s.r1, skill=s.skill)


def test_only_own_entries_under_review_are_open_to_objection(scenario: Scenario) -> None:
    s = scenario
    contestant = s.entries[0].members.get().person

    def objectable(someone: User) -> set[int]:
        return {e.id for e in selectors.my_entry_results(person=someone) if e.may_object}

    assert objectable(contestant) == set()
    steps.bring_to_review_with_a_tie(s)
    assert objectable(contestant) == {s.entries[0].pk}
    steps.publish(s)
    assert objectable(contestant) == set()
    assert objectable(person(None, None)) == set()
